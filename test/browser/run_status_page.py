"""Launcher of the status page's browser test (CTest: browser_status_page).

Usage: run_status_page.py [CASEDESK_BINARY]

Runs status_page.test.mjs through launcher.py (which says how). The seed: status components in
two groups and one active incident, made through the admin API; $CASEDESK_SEED holds the admin
token, the incident and the components' names, groups and status words.
"""

import sys

import launcher

# name, group, status: the page shows each with its status word.
COMPONENTS = (
    ("API", "Platform", "operational"),
    ("Web app", "Platform", "degraded_performance"),
    ("Inbound mail", "Email", "operational"),
    ("Outbound mail", "Email", "operational"),
)
STATUS_WORDS = {
    "operational": "Operational",
    "degraded_performance": "Degraded performance",
    "partial_outage": "Partial outage",
    "major_outage": "Major outage",
    "under_maintenance": "Under maintenance",
}
INCIDENT_NAME = "Slow page loads in the web app"
INCIDENT_BODY = "We are investigating slow page loads for some customers."


def seed(desk):
    """Creates the components and the incident; returns the description handed to node."""
    components = []
    for name, group, status in COMPONENTS:
        created = launcher.admin_post(desk, "/api/v1/status/components",
                             {"name": name, "group": group, "status": status})
        components.append({"id": created["id"], "name": name, "group": group,
                           "status_word": STATUS_WORDS[status]})
    web_app = next(c for c in components if c["name"] == "Web app")
    incident = launcher.admin_post(desk, "/api/v1/status/incidents", {
        "name": INCIDENT_NAME, "status": "investigating", "impact": "minor",
        "body": INCIDENT_BODY, "component_ids": [web_app["id"]],
        "component_status": "degraded_performance"})
    incident_id = incident.get("id") or incident.get("incident", {}).get("id")
    if not incident_id:
        raise RuntimeError("no incident id in %r" % (incident,))
    return {"admin_token": desk.admin_token, "components": components,
            "groups": sorted({c["group"] for c in components}),
            "incident": {"id": incident_id, "name": INCIDENT_NAME, "body": INCIDENT_BODY}}


if __name__ == "__main__":
    sys.exit(launcher.run("status_page.test.mjs", seed))

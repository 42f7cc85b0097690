"""Launcher of the status page's browser test (CTest: browser_status_page).

Usage: run_status_page.py [CASEDESK_BINARY]

Starts the real `casedesk` through test/e2e/harness.py (init, admin token, serve on port 0),
seeds status components in two groups and one active incident through the admin API, then runs
`node status_page.test.mjs URL` in this folder with the seed described in $CASEDESK_SEED (JSON:
admin token, incident id, component names and statuses) and stops the server. Exits with node's
exit code; on failure it prints the server's log tail. The binary is the first argument, else
$CASEDESK_BIN, else build/casedesk. Needs Node.js, test/browser/node_modules (scripts/install-deps)
and /usr/bin/chromium. Python 3 standard library only.
"""

import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NODE_TIMEOUT = 240  # seconds; CTest's own limit for the test is 300
CHROMIUM = "/usr/bin/chromium"  # Debian's package; status_page.test.mjs launches it

if len(sys.argv) > 1:
    os.environ["CASEDESK_BIN"] = sys.argv[1]  # before harness reads it at import
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))

import harness  # noqa: E402  (needs the path above)

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


def admin_post(desk, path, body, expected=201):
    status, _, response = desk.admin("POST", path, body)
    if status != expected:
        raise RuntimeError("POST %s %r -> %s %r" % (path, body, status, response))
    return response


def seed(desk):
    """Creates the components and the incident; returns the description handed to node."""
    components = []
    for name, group, status in COMPONENTS:
        created = admin_post(desk, "/api/v1/status/components",
                             {"name": name, "group": group, "status": status})
        components.append({"id": created["id"], "name": name, "group": group,
                           "status_word": STATUS_WORDS[status]})
    web_app = next(c for c in components if c["name"] == "Web app")
    incident = admin_post(desk, "/api/v1/status/incidents", {
        "name": INCIDENT_NAME, "status": "investigating", "impact": "minor",
        "body": INCIDENT_BODY, "component_ids": [web_app["id"]],
        "component_status": "degraded_performance"})
    incident_id = incident.get("id") or incident.get("incident", {}).get("id")
    if not incident_id:
        raise RuntimeError("no incident id in %r" % (incident,))
    return {"admin_token": desk.admin_token, "components": components,
            "groups": sorted({c["group"] for c in components}),
            "incident": {"id": incident_id, "name": INCIDENT_NAME, "body": INCIDENT_BODY}}


def check_tools():
    """Raises with a clear message when Node.js, playwright-core or Chromium is missing."""
    missing = []
    if shutil.which("node") is None:
        missing.append("node (Node.js)")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        missing.append("test/browser/node_modules/playwright-core")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(CHROMIUM)
    if missing:
        raise RuntimeError("browser test needs %s: run scripts/install-deps" % ", ".join(missing))


def main():
    check_tools()
    with harness.Desk() as desk:
        base_url = "http://%s:%d" % (desk.host, desk.port)
        env = dict(os.environ, CASEDESK_SEED=json.dumps(seed(desk)))
        try:
            code = subprocess.run(["node", os.path.join(HERE, "status_page.test.mjs"), base_url],
                                  cwd=HERE, env=env, stdin=subprocess.DEVNULL,
                                  timeout=NODE_TIMEOUT).returncode
        except subprocess.TimeoutExpired:
            print("status_page.test.mjs did not finish within %ds" % NODE_TIMEOUT)
            code = 1
        if code != 0:
            print("casedesk serve's log:\n" + desk.log_tail())
        stopped = desk.stop()
        if stopped not in (0, None) and code == 0:
            print("casedesk serve exited with %s after SIGTERM:\n%s" % (stopped, desk.log_tail()))
            code = 1
    return code


if __name__ == "__main__":
    sys.exit(main())

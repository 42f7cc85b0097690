"""Launcher of the service tasks browser test (CTest: browser_service_tasks).

Usage: run_service_tasks.py [CASEDESK_BINARY]

Runs service_tasks.test.mjs through launcher.py (which says how). The seed: a customer
organisation on the professional plan with a contact (Alice), and two service tasks of theirs,
one requested and one already estimated by the admin (so the portal shows Approve / Decline);
Alice gets the admin's password (copied hash). $CASEDESK_SEED says who they are.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def seed(desk):
    acme = desk.create_org(harness.unique("Acme "), "customer", plan="professional")
    alice = harness.unique("alice-") + "@acme.example"
    _, alice_token = desk.create_user("customer", acme, email=alice, name="Alice Acme")
    tasks = []
    for subject in ("Open port 8443 " + XSS, "Resize the data volume"):
        status, _, body = desk.request("POST", "/api/v1/service-tasks", {
            "subject": subject, "description": "Please " + XSS, "severity": 3},
            token=alice_token)
        if status != 201:
            raise RuntimeError("service task -> %s %r" % (status, body))
        tasks.append(body["case_number"])
    status, _, body = desk.admin("POST", "/api/v1/cases/%d/service-task/estimate" % tasks[1],
                                 {"hours": 2.5, "completion_date": "2030-01-10"})
    if status != 200:
        raise RuntimeError("estimate -> %s %r" % (status, body))
    harness.give_admin_password(desk, alice)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "alice_email": alice, "requested_number": tasks[0], "estimated_number": tasks[1],
            "xss": XSS}


if __name__ == "__main__":
    sys.exit(launcher.run("service_tasks.test.mjs", seed))

"""Launcher of the engineering links and problems browser test (CTest: browser_engineering).

Usage: run_engineering.py [CASEDESK_BINARY]

Runs engineering.test.mjs through launcher.py (which says how). The seed: a customer with a
case whose subject carries an XSS payload, a second case of theirs already linked to a tracker
issue that moved to "released" (so its Engineering section holds a suggested update waiting to
be sent), and the admin's password for the customer. $CASEDESK_SEED says who they are.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def seed(desk):
    acme = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    alice = harness.unique("alice-") + "@acme.example"
    _, alice_token = desk.create_user("customer", acme, email=alice, name="Alice Acme")
    case = desk.create_case(alice_token, subject="Export fails " + XSS)
    prompted = desk.create_case(alice_token, subject="Report is slow")
    key = harness.unique("PERF-")
    status, _, body = desk.admin("POST", "/api/v1/cases/%d/engineering-links" % prompted["number"],
                                 {"tracker": "jira", "key": key, "title": "Slow " + XSS})
    if status != 201:
        raise RuntimeError("link -> %s %r" % (status, body))
    status, _, body = desk.admin("PATCH", "/api/v1/engineering/issues/jira/" + key,
                                 {"state": "released"})
    if status != 200:
        raise RuntimeError("state -> %s %r" % (status, body))
    harness.give_admin_password(desk, alice)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "alice_email": alice, "case_number": case["number"],
            "prompted_number": prompted["number"], "prompted_key": key, "xss": XSS}


if __name__ == "__main__":
    sys.exit(launcher.run("engineering.test.mjs", seed))

"""Launcher of the remote access browser test (CTest: browser_remote_access).

Usage: run_remote_access.py [CASEDESK_BINARY]

Runs remote_access.test.mjs through launcher.py (which says how). The seed: a customer
organisation with a contact (Alice) who opened a case, a waiting remote access request on it
(asked by the admin through the API, with an XSS payload in its purpose), a second case of hers
for the no-JavaScript check with its own request, and a contact of another organisation who must
never see either; the people get the admin's password (copied hash). $CASEDESK_SEED says who
they are.
"""

import sys
import time

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def ask(desk, number, purpose):
    now = time.time()
    status, _, body = desk.admin("POST", "/api/v1/cases/%d/remote-access" % number, {
        "method": "rdp", "purpose": purpose,
        "window_start": harness.rfc3339(now - 60), "window_end": harness.rfc3339(now + 7200)})
    if status != 201:
        raise RuntimeError("remote-access -> %s %r" % (status, body))
    return body["id"]


def seed(desk):
    acme = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    alice = harness.unique("alice-") + "@acme.example"
    _, alice_token = desk.create_user("customer", acme, email=alice, name="Alice Acme")
    other = desk.create_org(harness.unique("Umbrella "), "customer", plan="enterprise")
    olga = harness.unique("olga-") + "@umbrella.example"
    desk.create_user("customer", other, email=olga, name="Olga Other", token=False)
    case = desk.create_case(alice_token, subject="Speech server down")
    request_id = ask(desk, case["number"], "Read the recogniser logs " + XSS)
    plain = desk.create_case(alice_token, subject="No JavaScript here")
    plain_request = ask(desk, plain["number"], "Check the disk")
    harness.give_admin_password(desk, alice, olga)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "alice_email": alice, "olga_email": olga, "case_number": case["number"],
            "request_id": request_id, "plain_case": plain["number"],
            "plain_request": plain_request, "xss": XSS}


if __name__ == "__main__":
    sys.exit(launcher.run("remote_access.test.mjs", seed))

"""Launcher of the contract hours browser test (CTest: browser_hours).

Usage: run_hours.py [CASEDESK_BINARY]

Runs hours.test.mjs through launcher.py (which says how). The seed: a customer organisation on
the enterprise plan with its own 10-hour customer-success package and a contact, a case of
theirs, time logged on three days of the current month (so the burn-down has a shape), a
partner with an agent and one customer, and another customer the contact must never see; the
people get the admin's password (copied hash). $CASEDESK_SEED says who they are.
"""

import sys
import time

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def seed(desk):
    acme = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    alice = harness.unique("alice-") + "@acme.example"
    _, alice_token = desk.create_user("customer", acme, email=alice, name="Alice Acme",
                                      org_admin=True)
    other = desk.create_org(harness.unique("Umbrella "), "customer", plan="enterprise")
    partner = desk.create_org(harness.unique("Reseller "), "partner", plan="enterprise")
    initech = desk.create_org(harness.unique("Initech "), "customer", parent_id=partner,
                              plan="enterprise")
    pat = harness.unique("pat-") + "@reseller.example"
    desk.create_user("partner_agent", partner, email=pat, name="Pat Partner", token=False)
    status, _, body = desk.admin("PUT", "/api/v1/orgs/%d/packages" % acme, {
        "packages": [{"kind": "customer_success", "included_hours": 10},
                     {"kind": "training", "included_hours": 4}]})
    if status != 200:
        raise RuntimeError("packages -> %s %r" % (status, body))
    case = desk.create_case(alice_token, subject="Firewall review " + XSS)
    # Today (UTC, the organisation's zone) and two earlier days of this month when there are.
    now = time.time()
    day = time.gmtime(now).tm_mday
    for minutes, days_back in ((120, 2), (90, 1), (60, 0)):
        at = now - 86400 * min(days_back, day - 1)
        status, _, body = desk.admin("POST", "/api/v1/orgs/%d/time" % acme, {
            "minutes": minutes, "note": "Service review " + XSS,
            "activity": "service_level_management", "worked_at": harness.rfc3339(at - 60)})
        if status != 201:
            raise RuntimeError("time -> %s %r" % (status, body))
    harness.give_admin_password(desk, alice, pat)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "admin_token": desk.admin_token, "alice_email": alice, "pat_email": pat,
            "acme_id": acme, "other_id": other, "initech_id": initech,
            "case_number": case["number"], "xss": XSS}


if __name__ == "__main__":
    sys.exit(launcher.run("hours.test.mjs", seed))

"""Launcher of the reports browser test (CTest: browser_reports).

Usage: run_reports.py [CASEDESK_BINARY]

Runs reports.test.mjs through launcher.py (which says how). The seed: a customer organisation
on the enterprise plan whose name carries an XSS payload, a critical case imported 30 hours ago
(so it breaches), a major and a minor case, 90 minutes logged against its package; the admin
signs in. $CASEDESK_SEED says who and what.
"""

import sys
import time

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def seed(desk):
    acme = desk.create_org(harness.unique("Acme ") + XSS, "customer", plan="enterprise")
    customer_id, carol = desk.create_user("customer", acme, name="Carol " + XSS)
    now = time.time()
    old = desk.create_case(desk.admin_token, severity=1, org_id=acme, requester_id=customer_id,
                           created_at=harness.rfc3339(now - 30 * 3600))
    desk.create_case(carol, severity=2)
    desk.create_case(carol, severity=3)
    status, _, body = desk.admin("POST", "/api/v1/cases/%d/time" % old["number"],
                                 {"minutes": 90, "billable": True, "note": "call"})
    if status != 201:
        raise RuntimeError("time -> %s %r" % (status, body))
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "acme_id": acme, "from": harness.rfc3339(now - 5 * 86400)[:10],
            "to": harness.rfc3339(now + 86400)[:10], "xss": XSS}


if __name__ == "__main__":
    sys.exit(launcher.run("reports.test.mjs", seed))

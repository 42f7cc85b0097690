"""Launcher of the case console's browser test (CTest: browser_console_cases).

Usage: run_console_cases.py [CASEDESK_BINARY]

Runs console_cases.test.mjs through launcher.py (which says how). The seed: a customer
organisation, a customer and two cases made through the API (one whose subject and description
carry an XSS payload); $CASEDESK_SEED holds the admin's email, password and token and the case
numbers.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>'


def seed(desk):
    """Creates the customer's cases the agent triages; returns what node needs."""
    org = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    _, customer = desk.create_user("customer", org)
    first = desk.create_case(customer, subject="Checkout keeps failing " + XSS,
                             description="Every payment fails. " + XSS, severity=1)
    second = desk.create_case(customer, subject="Invoices look wrong", severity=3)
    return {"admin_email": harness.ADMIN_EMAIL, "admin_password": harness.ADMIN_PASSWORD,
            "admin_token": desk.admin_token, "customer_token": customer,
            "case_number": first["number"], "second_case_number": second["number"],
            "xss": XSS}


if __name__ == "__main__":
    sys.exit(launcher.run("console_cases.test.mjs", seed))

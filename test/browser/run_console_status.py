"""Launcher of the status console's browser test (CTest: browser_console_status).

Usage: run_console_status.py [CASEDESK_BINARY]

Runs console_status.test.mjs through launcher.py (which says how). The seed: a customer
organisation, a customer and one case, made through the API; $CASEDESK_SEED holds the admin's
email, password and token and the case number.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    """Creates the customer's case the test links to an incident; returns what node needs."""
    org = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    _, customer = desk.create_user("customer", org)
    case = desk.create_case(customer, subject="Checkout keeps failing")
    return {"admin_email": harness.ADMIN_EMAIL, "admin_password": harness.ADMIN_PASSWORD,
            "admin_token": desk.admin_token, "customer_token": customer,
            "case_number": case["number"]}


if __name__ == "__main__":
    sys.exit(launcher.run("console_status.test.mjs", seed))

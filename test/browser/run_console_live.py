"""Launcher of the console's live-update browser test (CTest: browser_console_live).

Usage: run_console_live.py [CASEDESK_BINARY]

Runs console_live.test.mjs through launcher.py (which says how). The seed: a customer and one
case made through the API, and a second agent (Sam) who signs in with the admin's password;
$CASEDESK_SEED holds the emails, the password, the tokens and the case number.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    org = desk.create_org(harness.unique("Initrode "), "customer", plan="enterprise")
    _, customer = desk.create_user("customer", org)
    case = desk.create_case(customer, subject="Backups stopped overnight", severity=2)
    agent_email = harness.unique("sam-") + "@provider.example"
    desk.create_user("agent", email=agent_email, name="Sam Agent", token=False)
    harness.give_admin_password(desk, agent_email)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "agent_email": agent_email, "admin_token": desk.admin_token,
            "customer_token": customer, "case_number": case["number"]}


if __name__ == "__main__":
    sys.exit(launcher.run("console_live.test.mjs", seed))

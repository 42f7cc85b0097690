"""Launcher of the console's mail administration browser test (CTest: browser_console_mail).

Usage: run_console_mail.py [CASEDESK_BINARY]

Runs console_mail.test.mjs through launcher.py (which says how). The seed: a customer
organisation (for accepting held mail as a new contact of it), an agent who is not an admin
(with the admin's password, copied hash) and the admin's API token (the test submits a held
message through POST /api/v1/mail/inbound). $CASEDESK_SEED says who they are.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    org_name = harness.unique("Initech ")
    org_id = desk.create_org(org_name, "customer", plan="enterprise")
    agent = harness.unique("ana-") + "@provider.example"
    desk.create_user("agent", email=agent, name="Ana Agent", token=False)
    harness.give_admin_password(desk, agent)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "agent_email": agent, "admin_token": desk.admin_token, "org_id": org_id,
            "org_name": org_name}


if __name__ == "__main__":
    sys.exit(launcher.run("console_mail.test.mjs", seed))

"""Launcher of the console's people, groups and organisations browser test (CTest:
browser_console_people).

Usage: run_console_people.py [CASEDESK_BINARY]

Runs console_people.test.mjs through launcher.py (which says how). The seed: an agent who is not
an admin and a customer contact of a customer organisation, both with the admin's password
(copied hash), and the admin's API token. $CASEDESK_SEED says who they are.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    agent = harness.unique("ana-") + "@provider.example"
    desk.create_user("agent", email=agent, name="Ana Agent", token=False)
    org = desk.create_org(harness.unique("Initech "), "customer", plan="enterprise")
    customer = harness.unique("carol-") + "@initech.example"
    desk.create_user("customer", org_id=org, email=customer, name="Carol Customer", token=False)
    harness.give_admin_password(desk, agent, customer)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "agent_email": agent, "customer_email": customer, "org_id": org,
            "admin_token": desk.admin_token}


if __name__ == "__main__":
    sys.exit(launcher.run("console_people.test.mjs", seed))

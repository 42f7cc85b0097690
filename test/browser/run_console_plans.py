"""Launcher of the console's plan pages browser test (CTest: browser_console_plans).

Usage: run_console_plans.py [CASEDESK_BINARY]

Runs console_plans.test.mjs through launcher.py (which says how). The seed: an agent who is not
an admin (with the admin's password, copied hash). $CASEDESK_SEED says who they are and holds the
admin's token for the API checks.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    agent = harness.unique("ana-") + "@provider.example"
    desk.create_user("agent", email=agent, name="Ana Agent", token=False)
    harness.give_admin_password(desk, agent)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "admin_token": desk.admin_token, "agent_email": agent}


if __name__ == "__main__":
    sys.exit(launcher.run("console_plans.test.mjs", seed))

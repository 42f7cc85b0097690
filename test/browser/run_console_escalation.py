"""Launcher of the console's escalation and on-call pages browser test (CTest:
browser_console_escalation).

Usage: run_console_escalation.py [CASEDESK_BINARY]

Runs console_escalation.test.mjs through launcher.py (which says how). The seed: an agent who
is not an admin (with the admin's password, copied hash). $CASEDESK_SEED says who they are.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    agent = harness.unique("ana-") + "@provider.example"
    desk.create_user("agent", email=agent, name="Ana Agent", token=False)
    harness.give_admin_password(desk, agent)
    return {"admin_email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD,
            "agent_email": agent}


if __name__ == "__main__":
    sys.exit(launcher.run("console_escalation.test.mjs", seed))

"""Launcher of the customer portal's browser test (CTest: browser_portal).

Usage: run_portal.py [CASEDESK_BINARY]

Runs portal.test.mjs through launcher.py (which says how). The seed: a customer organisation with
a customer, a provider agent (API token), a partner with a sender name, its partner agent and one
of its customers with a person; the people get the admin's password (by copying its hash in the
store: choosing passwords is the accounts pages' business). $CASEDESK_SEED says who they are.
"""

import os
import sqlite3
import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def give_password(desk, emails):
    """Copies the admin's password hash to these people."""
    quoted = ", ".join("'%s'" % email for email in emails)
    statement = ("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE "
                 "email = '%s') WHERE email IN (%s)" % (harness.ADMIN_EMAIL, quoted))
    if harness.STORE == "sqlite":
        with sqlite3.connect(os.path.join(desk.data_dir, "casedesk.db")) as db:
            db.execute(statement)
    else:
        harness.postgres_server().sql(desk.store_url.rsplit("/", 1)[1], statement)


def seed(desk):
    """Creates the people the test signs in as; returns what node needs."""
    # A distinctive provider name, so a page that names the provider is caught.
    provider_name = harness.unique("Cloudcorp ")
    status, _, body = desk.admin("PATCH", "/api/v1/orgs/%d" % desk.provider_org_id(),
                                 {"name": provider_name})
    if status != 200:
        raise RuntimeError("renaming the provider -> %s %r" % (status, body))
    acme = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    alice = harness.unique("alice-") + "@acme.example"
    desk.create_user("customer", acme, email=alice, name="Alice Acme", token=False)
    _, agent_token = desk.create_user("agent", name="Sam Agent")
    partner = desk.create_org(harness.unique("Reseller "), "partner", plan="enterprise")
    status, _, body = desk.admin("PUT", "/api/v1/orgs/%d/mail-settings" % partner,
                                 {"sender_name": "Reseller Help Desk"})
    if status != 200:
        raise RuntimeError("mail settings -> %s %r" % (status, body))
    initech = desk.create_org(harness.unique("Initech "), "customer", parent_id=partner,
                              plan="enterprise")
    pat = harness.unique("pat-") + "@reseller.example"
    desk.create_user("partner_agent", partner, email=pat, name="Pat Partner", token=False)
    carl = harness.unique("carl-") + "@initech.example"
    desk.create_user("customer", initech, email=carl, name="Carl Initech", token=False)
    give_password(desk, [alice, pat, carl])
    return {"password": harness.ADMIN_PASSWORD, "alice_email": alice, "pat_email": pat,
            "carl_email": carl, "agent_token": agent_token, "provider_name": provider_name,
            "partner_brand": "Reseller Help Desk", "initech_id": initech}


if __name__ == "__main__":
    sys.exit(launcher.run("portal.test.mjs", seed))

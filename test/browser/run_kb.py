"""Launcher of the knowledge base's browser test (CTest: browser_kb).

Usage: run_kb.py [CASEDESK_BINARY]

Runs kb.test.mjs through launcher.py (which says how). The seed: a customer organisation with a
customer, a provider agent (with the admin's password, copied in the store as run_portal.py
does, and an API token), a category with a section, and three published articles (public,
customers-only, internal) made through the API, and a case of the customer's with a public
reply from the agent. $CASEDESK_SEED says who and what they are.
"""

import sys

import launcher  # first: it reads the binary argument before harness loads

harness = launcher.harness


def seed(desk):
    """Creates the people, articles and case the test uses; returns what node needs."""
    acme = desk.create_org(harness.unique("Acme "), "customer", plan="enterprise")
    alice = harness.unique("alice-") + "@acme.example"
    _, alice_token = desk.create_user("customer", acme, email=alice, name="Alice Acme")
    sam = harness.unique("sam-") + "@provider.example"
    _, agent = desk.create_user("agent", email=sam, name="Sam Agent")
    harness.give_admin_password(desk, alice, sam)

    def post(path, body):
        status, _, response = desk.request("POST", path, body, token=agent)
        if status != 201:
            raise RuntimeError("POST %s %r -> %s %r" % (path, body, status, response))
        return response

    category = post("/api/v1/kb/categories", {"name": "Networking"})
    section = post("/api/v1/kb/sections", {"category_id": category["id"], "name": "VPN"})
    public = post("/api/v1/kb/articles", {
        "title": "Reset the VPN client", "visibility": "public", "status": "published",
        "section_id": section["id"],
        "body": "# Steps\n\n1. Quit the client\n2. Delete the **profile**\n\n"
                "<script>window.__pwned=1</script>\n\n| Platform | Folder |\n|---|---|\n"
                "| macOS | ~/Library/VPN |\n"})
    customers = post("/api/v1/kb/articles", {
        "title": "Renew the VPN licence", "visibility": "customers", "status": "published",
        "section_id": section["id"],
        "body": "Open **Licences** and press *Renew*. The tunnel comes back within a minute."})
    internal = post("/api/v1/kb/articles", {
        "title": "VPN concentrator runbook", "visibility": "internal", "status": "published",
        "body": "Restart the concentrator daemon."})
    case = desk.create_case(alice_token, subject="VPN licence expired")
    status, _, body = desk.request(
        "POST", "/api/v1/cases/%d/comments" % case["number"],
        {"body": "Renew it under **Licences**; it takes a minute.", "visibility": "public"},
        token=agent)
    if status != 201:
        raise RuntimeError("reply -> %s %r" % (status, body))
    return {"password": harness.ADMIN_PASSWORD, "alice_email": alice, "agent_email": sam,
            "agent_token": agent, "public_id": public["id"], "customers_id": customers["id"],
            "internal_id": internal["id"], "section_id": section["id"],
            "case_number": case["number"]}


if __name__ == "__main__":
    sys.exit(launcher.run("kb.test.mjs", seed))

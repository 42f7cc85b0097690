"""The staff console's API tokens page through the real binary (issue 5's admin: API tokens):
a staff member creates a token and sees it once, the token works on the API, the page lists it
without its secret, revoking it stops it at once; an admin creates one for someone else; bad
names, unknown people, another person's token, customers and forged forms are refused."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SECRET_FIELD = re.compile(rb'id="cc-tk-secret"[^>]* value="([^"]+)"')


def Session(desk, email):
    return harness.ConsoleSession(desk, email, csrf_page="/console/tokens")


class ConsoleTokensTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        try:
            cls.agent_email = harness.unique("kim-") + "@provider.example"
            cls.desk.create_user("agent", email=cls.agent_email, name="Kim Agent", token=False)
            org = cls.desk.create_org(harness.unique("Hooli "), "customer", plan="enterprise")
            cls.customer_email = harness.unique("c-") + "@hooli.example"
            cls.desk.create_user("customer", org_id=org, email=cls.customer_email, token=False)
            harness.give_admin_password(cls.desk, cls.agent_email, cls.customer_email)
            cls.admin = Session(cls.desk, harness.ADMIN_EMAIL)
            cls.agent = Session(cls.desk, cls.agent_email)
        except Exception:
            cls.desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def whoami(self, secret):
        return self.desk.request("GET", "/api/v1/users/me", token=secret)

    def create(self, session, name, **fields):
        status, _, page = session.post("/console/tokens", name=name, **fields)
        return status, page

    def test_a_token_is_shown_once_works_and_stops_when_revoked(self):
        name = harness.unique("deploy-bot ")
        status, page = self.create(self.agent, name)
        self.assertEqual(status, 201, page[:600])
        secret = SECRET_FIELD.search(page).group(1).decode()
        self.assertIn(b"It will not be shown again", page)
        status, _, me = self.whoami(secret)
        self.assertEqual(status, 200)
        self.assertEqual(me["email"], self.agent_email)
        status, headers, listing = self.agent.get("/console/tokens")
        self.assertEqual(status, 200)
        self.assertNotIn(secret.encode(), listing)
        self.assertIn(name.encode(), listing)
        self.assertIn("no-store", headers["cache-control"])
        token_id = re.search(rb'action="/console/tokens/(\d+)/revoke"[^<]*\s*<input[^>]*>\s*'
                             rb'<button[^>]*aria-label="Revoke token ' + re.escape(name.encode()),
                             listing)
        self.assertIsNotNone(token_id, listing[:2000])
        status, headers, _ = self.agent.post("/console/tokens/%s/revoke" %
                                             token_id.group(1).decode())
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/console/tokens?notice=token-revoked")
        status, _, page = self.agent.get(headers["location"])
        self.assertIn(b"Token revoked.", page)
        self.assertIn(b"Revoked", page)
        self.assertEqual(self.whoami(secret)[0], 401)
        # Someone else's token is not the agent's to revoke: the 404 page, the token still works.
        status, page = self.create(self.admin, harness.unique("admin-own "))
        admin_secret = SECRET_FIELD.search(page).group(1).decode()
        status, _, admin_listing = self.admin.get("/console/tokens")
        admin_token_id = re.findall(rb'action="/console/tokens/(\d+)/revoke"', admin_listing)[0]
        status, _, _ = self.agent.post("/console/tokens/%s/revoke" % admin_token_id.decode())
        self.assertEqual(status, 404)
        self.assertEqual(self.whoami(admin_secret)[0], 200)

    def test_an_admin_creates_a_token_for_someone_else(self):
        status, page = self.create(self.admin, "agent's import job", **{"for": self.agent_email})
        self.assertEqual(status, 201, page[:600])
        self.assertIn(("It belongs to %s." % self.agent_email).encode(), page)
        secret = SECRET_FIELD.search(page).group(1).decode()
        self.assertEqual(self.whoami(secret)[2]["email"], self.agent_email)
        # An agent may not: the field is not offered, and sending it anyway is refused.
        self.assertNotIn(b'name="for"', self.agent.get("/console/tokens")[2])
        status, page = self.create(self.agent, "sneaky", **{"for": harness.ADMIN_EMAIL})
        self.assertIn(status, (403, 404))
        self.assertNotIn(b'id="cc-tk-secret"', page)

    def test_bad_input_is_refused_with_what_was_typed(self):
        status, page = self.create(self.admin, "")
        self.assertEqual(status, 400)
        self.assertIn(b"name: give the token a name", page)
        status, page = self.create(self.admin, "x" * 101)
        self.assertEqual(status, 400)
        status, page = self.create(self.admin, "for nobody", **{"for": "nobody@nowhere.example"})
        self.assertEqual(status, 404)
        self.assertIn(b"for: no active person with that email address", page)
        self.assertIn(b'value="for nobody"', page)
        self.assertNotIn(b'id="cc-tk-secret"', page)
        xss = '<script>alert(1)</script>'
        status, page = self.create(self.admin, xss)
        self.assertEqual(status, 201)
        self.assertNotIn(xss.encode(), page)
        self.assertIn(b"&lt;script&gt;", page)

    def test_customers_and_forged_forms_are_refused(self):
        customer = Session(self.desk, self.customer_email)
        self.assertEqual(customer.get("/console/tokens")[0], 404)
        status, _, _ = self.admin.post("/console/tokens", csrf="0" * 64, name="forged")
        self.assertEqual(status, 403)
        self.assertIn(self.desk.request("GET", "/console/tokens")[0], (303, 404))
        self.assertEqual(self.admin.post("/console/tokens/abc/revoke")[0], 404)


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""Tokens, roles and directory audit trails through the real binary: issue, list, revoke, an
admin changing a person's role (and everything that refuses one), and the trail of
organisations, people and groups."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


class DirectoryApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        cls.customer_org = cls.desk.create_org(harness.unique("Acme "), "customer",
                                               plan="enterprise")
        cls.alice_id, cls.alice_token = cls.desk.create_user("customer", org_id=cls.customer_org)
        cls.agent_id, cls.agent_token = cls.desk.create_user("agent", tier="shift_engineer")

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def test_a_token_issued_through_the_api_works_until_revoked(self):
        status, _, issued = self.desk.request("POST", "/api/v1/tokens", {"name": "laptop"},
                                              token=self.alice_token)
        self.assertEqual(status, 201, issued)
        secret = issued["token"]
        status, _, me = self.desk.request("GET", "/api/v1/users/me", token=secret)
        self.assertEqual((status, me["id"]), (200, self.alice_id))

        status, _, listed = self.desk.request("GET", "/api/v1/users/%d/tokens" % self.alice_id,
                                              token=self.alice_token)
        self.assertEqual(status, 200, listed)
        names = {token["name"]: token for token in listed["items"]}
        self.assertIn("laptop", names)
        self.assertIsNone(names["laptop"]["revoked_at"])
        for token in listed["items"]:
            self.assertNotIn("token", token)  # the secret is shown once, at creation
            self.assertNotIn("digest", token)

        status, _, revoked = self.desk.request("DELETE", "/api/v1/tokens/%d" % issued["id"],
                                               token=self.alice_token)
        self.assertEqual(status, 200, revoked)
        self.assertIsNotNone(revoked["revoked_at"])
        status, _, _ = self.desk.request("GET", "/api/v1/users/me", token=secret)
        self.assertEqual(status, 401)
        # The token that revoked it still works.
        status, _, _ = self.desk.request("GET", "/api/v1/users/me", token=self.alice_token)
        self.assertEqual(status, 200)

    def test_others_cannot_list_or_revoke_someone_elses_tokens(self):
        status, _, issued = self.desk.request("POST", "/api/v1/tokens", {"name": "ci"},
                                              token=self.alice_token)
        self.assertEqual(status, 201, issued)
        status, _, body = self.desk.request("GET", "/api/v1/users/%d/tokens" % self.alice_id,
                                            token=self.agent_token)
        harness.assert_problem(self, (status, _, body), 404)
        status, _, body = self.desk.request("DELETE", "/api/v1/tokens/%d" % issued["id"],
                                            token=self.agent_token)
        harness.assert_problem(self, (status, _, body), 404)
        status, _, _ = self.desk.request("GET", "/api/v1/users/me", token=issued["token"])
        self.assertEqual(status, 200)
        # An admin may revoke anyone's token.
        status, _, _ = self.desk.admin("DELETE", "/api/v1/tokens/%d" % issued["id"])
        self.assertEqual(status, 200)
        status, _, _ = self.desk.request("GET", "/api/v1/users/me", token=issued["token"])
        self.assertEqual(status, 401)

    def test_directory_changes_leave_an_audit_trail_for_staff(self):
        status, _, patched = self.desk.admin("PATCH", "/api/v1/orgs/%d" % self.customer_org,
                                             {"shares_cases": True})
        self.assertEqual(status, 200, patched)
        status, _, trail = self.desk.request("GET", "/api/v1/orgs/%d/events" % self.customer_org,
                                             token=self.agent_token)
        self.assertEqual(status, 200, trail)
        kinds = [event["kind"] for event in trail["items"]]
        self.assertGreaterEqual(len(kinds), 2, kinds)
        self.assertTrue(kinds[0].endswith("created"), kinds)
        changed = [change for event in trail["items"] for change in event["changes"]
                   if change["field"] == "shares_cases"]
        self.assertIn({"field": "shares_cases", "before": "false", "after": "true"}, changed)

        status, _, trail = self.desk.request("GET", "/api/v1/users/%d/events" % self.alice_id,
                                             token=self.agent_token)
        self.assertEqual(status, 200, trail)
        self.assertTrue(trail["items"], "creating a user writes an event")

    def role_changes_of(self, user_id):
        status, _, trail = self.desk.admin("GET", "/api/v1/users/%d/events" % user_id)
        self.assertEqual(status, 200, trail)
        return [(change["before"], change["after"]) for event in trail["items"]
                if event["kind"] == "user.updated"
                for change in event["changes"] if change["field"] == "role"]

    def test_an_admin_moves_an_agent_to_another_staff_role_and_back(self):
        email = harness.unique("rhea-") + "@provider.example"
        rhea, rhea_token = self.desk.create_user("agent", email=email, tier="shift_lead",
                                                 skills=["network"])
        harness.give_admin_password(self.desk, email)
        session = harness.ConsoleSession(self.desk, email)
        status, _, _ = session.get("/console/cases")
        self.assertEqual(status, 200)

        status, _, moved = self.desk.admin("PATCH", "/api/v1/users/%d" % rhea,
                                           {"role": "success_manager"})
        self.assertEqual(status, 200, moved)
        # Still provider staff, so the tier and skills stay.
        self.assertEqual((moved["role"], moved["tier"], moved["skills"]),
                         ("success_manager", "shift_lead", ["network"]))
        # The web session signed in as an agent has ended; the API token answers at once with
        # the new role (no cached caller keeps the old one).
        status, headers, _ = session.get("/console/cases")
        self.assertEqual(status, 303)
        self.assertIn("/login", headers["location"])
        status, _, me = self.desk.request("GET", "/api/v1/users/me", token=rhea_token)
        self.assertEqual((status, me["role"]), (200, "success_manager"))
        status, _, _ = harness.ConsoleSession(self.desk, email).get("/console/cases")
        self.assertEqual(status, 200)

        status, _, back = self.desk.admin("PATCH", "/api/v1/users/%d" % rhea, {"role": "agent"})
        self.assertEqual((status, back["role"]), (200, "agent"), back)
        # The role it already has changes nothing and records nothing.
        status, _, same = self.desk.admin("PATCH", "/api/v1/users/%d" % rhea, {"role": "agent"})
        self.assertEqual((status, same["role"]), (200, "agent"), same)
        self.assertEqual(self.role_changes_of(rhea),
                         [("agent", "success_manager"), ("success_manager", "agent")])
        status, _, trail = self.desk.admin("GET", "/api/v1/users/%d/events" % rhea)
        admin_id = self.desk.admin("GET", "/api/v1/users/me")[2]["id"]
        self.assertEqual({event["actor_id"] for event in trail["items"]
                          if event["kind"] == "user.updated"}, {admin_id})

    def test_role_changes_are_refused_with_the_reason(self):
        path = "/api/v1/users/%d" % self.alice_id
        # A customer contact cannot be made staff or a partner agent: wrong kind of organisation.
        body = harness.assert_problem(self, self.desk.admin("PATCH", path, {"role": "agent"}), 400)
        self.assertIn("role: provider roles belong to the provider organisation", body["detail"])
        body = harness.assert_problem(
            self, self.desk.admin("PATCH", path, {"role": "partner_agent"}), 400)
        self.assertIn("role: a partner agent belongs to a partner organisation", body["detail"])
        # Wrong types and unknown names.
        body = harness.assert_problem(self, self.desk.admin("PATCH", path, {"role": 3}), 400)
        self.assertIn("'role' must be a string", body["detail"])
        body = harness.assert_problem(self, self.desk.admin("PATCH", path, {"role": "wizard"}),
                                      400)
        self.assertIn("'role' must be one of customer, partner_agent, agent", body["detail"])
        # Nobody changes their own role, not even an admin.
        admin_id = self.desk.admin("GET", "/api/v1/users/me")[2]["id"]
        body = harness.assert_problem(
            self, self.desk.admin("PATCH", "/api/v1/users/%d" % admin_id, {"role": "agent"}), 400)
        self.assertIn("role: you cannot change your own role", body["detail"])
        # Only an admin changes roles; other people's organisations do not exist for a contact.
        other_id, _ = self.desk.create_user("agent", token=False)
        body = harness.assert_problem(self, self.desk.request(
            "PATCH", "/api/v1/users/%d" % other_id, {"role": "admin"}, token=self.agent_token),
            403)
        self.assertIn("only an admin may change a role", body["detail"])
        harness.assert_problem(self, self.desk.request(
            "PATCH", "/api/v1/users/%d" % other_id, {"role": "admin"}, token=self.alice_token),
            404)
        harness.assert_problem(
            self, self.desk.admin("PATCH", "/api/v1/users/999999999", {"role": "agent"}), 404)

        for user_id, role in ((self.alice_id, "customer"), (admin_id, "admin"),
                              (other_id, "agent")):
            status, _, user = self.desk.admin("GET", "/api/v1/users/%d" % user_id)
            self.assertEqual((status, user["role"]), (200, role))
            self.assertEqual(self.role_changes_of(user_id), [])

    def test_leaving_provider_staff_clears_tier_and_skills(self):
        """Every role that fits the provider is staff, so only a person recorded with a staff
        role outside the provider (written before the role rules held) can leave staff."""
        person, _ = self.desk.create_user("customer", org_id=self.customer_org, token=False)
        harness.execute_sql(self.desk, "UPDATE users SET role = 'agent', tier = 'sme', "
                                       "skills = '[\"network\"]' WHERE id = %d" % person)
        status, _, misfiled = self.desk.admin("GET", "/api/v1/users/%d" % person)
        self.assertEqual((misfiled["role"], misfiled["tier"], misfiled["skills"]),
                         ("agent", "sme", ["network"]))
        status, _, fixed = self.desk.admin("PATCH", "/api/v1/users/%d" % person,
                                           {"role": "customer"})
        self.assertEqual(status, 200, fixed)
        self.assertEqual((fixed["role"], fixed["tier"], fixed["skills"]), ("customer", None, []))
        status, _, stored = self.desk.admin("GET", "/api/v1/users/%d" % person)
        self.assertEqual((stored["role"], stored["tier"], stored["skills"]),
                         ("customer", None, []))
        self.assertEqual(self.role_changes_of(person), [("agent", "customer")])

    def test_customers_cannot_read_directory_trails(self):
        for path in ("/api/v1/orgs/%d/events" % self.customer_org,
                     "/api/v1/users/%d/events" % self.alice_id):
            result = self.desk.request("GET", path, token=self.alice_token)
            harness.assert_problem(self, result, 404)


if __name__ == "__main__":
    unittest.main()

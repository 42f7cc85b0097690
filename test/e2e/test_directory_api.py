"""Tokens and directory audit trails through the real binary: issue, list, revoke, and read the
trail of organisations, people and groups."""

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

    def test_customers_cannot_read_directory_trails(self):
        for path in ("/api/v1/orgs/%d/events" % self.customer_org,
                     "/api/v1/users/%d/events" % self.alice_id):
            result = self.desk.request("GET", path, token=self.alice_token)
            harness.assert_problem(self, result, 404)


if __name__ == "__main__":
    unittest.main()

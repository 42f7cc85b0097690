"""Bad input against the real binary: every bad request gets a clear application/problem+json
error and leaves nothing half-written (counts of cases, comments, people and organisations are
unchanged afterwards), and the server stays healthy."""

import http.client
import json
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, unique  # noqa: E402

JSON = {"Content-Type": "application/json"}


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        desk = cls.desk = harness.Desk()
        try:
            cls.org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
            cls.other_org = desk.create_org(unique("Globex "), "customer", plan="enterprise")
            cls.customer_id, cls.customer = desk.create_user("customer", cls.org)
            cls.other_id, cls.other = desk.create_user("customer", cls.other_org)
            cls.agent_id, cls.agent = desk.create_user("agent", tier="shift_engineer")
            cls.case = desk.create_case(cls.customer, subject="existing")["number"]
            cls.other_case = desk.create_case(cls.other, subject="theirs")["number"]
        except BaseException:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def setUp(self):
        self.before = self.snapshot()

    def tearDown(self):
        # Whatever a test sent, the server is healthy and nothing was half-written.
        status, _, _ = self.desk.request("GET", "/healthz")
        self.assertEqual(status, 200, "server unhealthy after the test:\n" + self.desk.log_tail())
        self.assertEqual(self.snapshot(), self.before, "a bad request changed stored data")

    def snapshot(self):
        admin = self.desk.admin_token
        cases = self.desk.list_all("/api/v1/cases", admin)
        comments = {}
        for number in (self.case, self.other_case):
            comments[number] = len(self.desk.list_all("/api/v1/cases/%d/comments" % number,
                                                      admin))
        events = len(self.desk.list_all("/api/v1/cases/%d/events" % self.case, admin))
        case = self.desk.admin("GET", "/api/v1/cases/%d" % self.case)[2]
        return {
            "cases": sorted(item["number"] for item in cases),
            "comments": comments,
            "events": events,
            "case": {key: case.get(key) for key in
                     ("status", "severity", "assignee_id", "group_id", "subject", "fields")},
            "users": len(self.desk.list_all("/api/v1/users", admin)),
            "orgs": len(self.desk.list_all("/api/v1/orgs", admin)),
        }

    def post_case(self, token=None, body=None, raw_body=None, headers=None):
        return self.desk.request("POST", "/api/v1/cases", body=body, raw_body=raw_body,
                                 token=token or self.customer, headers=headers or JSON)

    # --- request bodies --------------------------------------------------------------------

    def test_malformed_json_bodies(self):
        for raw in (b'{"subject": ', b"{subject: 'x'}", b"", b"null", b"[1, 2]",
                    b'["subject"]', b'"a string"', b"42", b"\xff\xfe{}",
                    b'{"subject": "a"} trailing', b'{"subject": "a", "subject": 1'):
            with self.subTest(body=raw):
                assert_problem(self, self.post_case(raw_body=raw), 400)

    def test_deeply_nested_json_is_rejected_without_crashing(self):
        raw = b'{"subject": "x", "fields": ' + b"[" * 50000 + b"]" * 50000 + b"}"
        assert_problem(self, self.post_case(raw_body=raw), 400)

    def test_wrong_types(self):
        for body in ({"subject": "x", "severity": "high"},
                     {"subject": "x", "severity": 2.5},
                     {"subject": "x", "severity": True},
                     {"subject": "x", "severity": [1]},
                     {"subject": 42, "severity": 2},
                     {"subject": "x", "severity": 2, "fields": "server=db1"},
                     {"subject": "x", "severity": 2, "fields": {"server_name": 7}},
                     {"subject": "x", "severity": 2, "followers": "all"},
                     {"subject": "x", "severity": 2, "category": 3},
                     {"subject": "x", "severity": 2, "org_id": "x"}):
            with self.subTest(body=body):
                token = self.agent if "org_id" in body else self.customer
                assert_problem(self, self.post_case(token, body), 400)
        # Huge numbers do not wrap around into valid ones.
        for raw in (b'{"subject": "x", "severity": 4294967298}',
                    b'{"subject": "x", "severity": 1e400}',
                    b'{"subject": "x", "severity": -1}'):
            with self.subTest(body=raw):
                assert_problem(self, self.post_case(raw_body=raw), 400)

    def test_out_of_range_and_unknown_enum_values(self):
        for body in ({"subject": "x", "severity": 0}, {"subject": "x", "severity": 5},
                     {"subject": "x", "severity": 2, "category": "complaint"},
                     {"subject": "", "severity": 2},
                     {"subject": "two\nlines", "severity": 2},
                     {"subject": "x" * 251, "severity": 2}):
            with self.subTest(body=str(body)[:60]):
                assert_problem(self, self.post_case(body=body), 400)

    def test_unknown_fields_are_named_in_the_error(self):
        problem = assert_problem(self, self.post_case(body={"subject": "x", "severity": 2,
                                                            "priority": "urgent"}), 400)
        self.assertIn("priority", problem["detail"])
        problem = assert_problem(self, self.desk.request(
            "PATCH", "/api/v1/cases/%d" % self.case, {"state": "open"}, token=self.agent), 400)
        self.assertIn("state", problem["detail"])
        assert_problem(self, self.desk.request(
            "POST", "/api/v1/cases/%d/comments" % self.case, {"body": "x", "html": "<b>"},
            token=self.customer), 400)

    def test_missing_required_fields(self):
        assert_problem(self, self.post_case(body={}), 400)
        assert_problem(self, self.post_case(body={"severity": 2, "description": "no subject"}),
                       400)
        # Staff must say which organisation the case is for.
        assert_problem(self, self.post_case(self.agent, {"subject": "x", "severity": 2}), 400)
        for body in ({}, {"visibility": "public"}, {"body": ""}):
            with self.subTest(body=body):
                assert_problem(self, self.desk.request(
                    "POST", "/api/v1/cases/%d/comments" % self.case, body, token=self.customer),
                    400)
        for body in ({"name": "x", "role": "customer", "org_id": self.org},
                     {"email": "not-an-email", "name": "x", "role": "customer",
                      "org_id": self.org},
                     {"email": unique("r") + "@example.com", "name": "x", "role": "wizard",
                      "org_id": self.org},
                     {"email": unique("t") + "@example.com", "name": "x", "role": "agent",
                      "org_id": self.desk.provider_org_id(), "tier": "overlord"}):
            with self.subTest(body=body):
                assert_problem(self, self.desk.admin("POST", "/api/v1/users", body), 400)
        for body in ({"kind": "customer", "parent_id": self.desk.provider_org_id(),
                      "plan": "enterprise"},
                     {"name": "x", "kind": "alien", "parent_id": self.desk.provider_org_id(),
                      "plan": "enterprise"},
                     {"name": "x", "kind": "customer", "parent_id": self.org,
                      "plan": "enterprise"},
                     {"name": "x", "kind": "provider", "parent_id": self.desk.provider_org_id(),
                      "plan": "enterprise"}):
            with self.subTest(body=body):
                assert_problem(self, self.desk.admin("POST", "/api/v1/orgs", body), 400)

    def test_invalid_patch_values(self):
        for body in ({"status": "bogus"}, {"status": 3}, {"severity": 9, "severity_reason": "x"},
                     {"severity": 1, "severity_reason": "x", "severity_reason_code": "whim"},
                     {"assignee_id": "me"}, {"fields": ["a"]}):
            with self.subTest(body=body):
                assert_problem(self, self.desk.request(
                    "PATCH", "/api/v1/cases/%d" % self.case, body, token=self.agent), 400)
        assert_problem(self, self.desk.request(
            "POST", "/api/v1/cases/%d/comments" % self.case,
            {"body": "x", "visibility": "secret"}, token=self.customer), 400)

    def test_oversize_json_body(self):
        description = "x" * (2 * 1024 * 1024)
        connection = self.desk.connection()
        try:
            try:
                result = harness.request_on(
                    connection, "POST", "/api/v1/cases",
                    body={"subject": "big", "severity": 3, "description": description},
                    token=self.customer)
            except (BrokenPipeError, ConnectionResetError):
                # The server may answer before reading it all; the answer is still there.
                response = connection.getresponse()
                raw = response.read()
                result = harness.HttpResult(response.status,
                                            {k.lower(): v for k, v in response.getheaders()},
                                            json.loads(raw), raw)
        finally:
            connection.close()
        assert_problem(self, result, 413)

    def test_wrong_content_type(self):
        result = self.post_case(raw_body=b'{"subject": "x", "severity": 2}',
                                headers={"Content-Type": "text/plain"})
        self.assertIn(result[0], (400, 415), result[2])
        assert_problem(self, result, result[0])

    # --- references ------------------------------------------------------------------------

    def test_unknown_references_create_nothing(self):
        missing = 987654321
        for token, body in (
                (self.agent, {"subject": "x", "severity": 2, "org_id": missing}),
                (self.agent, {"subject": "x", "severity": 2, "org_id": self.org,
                              "requester_id": missing}),
                (self.customer, {"subject": "x", "severity": 2, "followers": [missing]})):
            with self.subTest(body=body):
                result = self.post_case(token, body)
                self.assertIn(result[0], (400, 404, 422), result[2])
                assert_problem(self, result, result[0])
        for body in ({"assignee_id": missing}, {"group_id": missing}):
            with self.subTest(body=body):
                result = self.desk.request("PATCH", "/api/v1/cases/%d" % self.case, body,
                                           token=self.agent)
                self.assertIn(result[0], (400, 404, 422), result[2])
                assert_problem(self, result, result[0])
        result = self.desk.admin("POST", "/api/v1/orgs", {
            "name": "x", "kind": "customer", "parent_id": missing, "plan": "enterprise"})
        self.assertIn(result[0], (400, 404, 422), result[2])
        assert_problem(self, result, result[0])
        result = self.desk.admin("POST", "/api/v1/orgs", {
            "name": "x", "kind": "customer", "parent_id": self.desk.provider_org_id(),
            "plan": "platinum"})
        self.assertIn(result[0], (400, 404, 422), result[2])
        assert_problem(self, result, result[0])
        result = self.desk.admin("POST", "/api/v1/users", {
            "email": unique("u") + "@example.com", "name": "x", "role": "customer",
            "org_id": missing})
        self.assertIn(result[0], (400, 404, 422), result[2])
        assert_problem(self, result, result[0])

    def test_assignee_must_be_provider_staff(self):
        result = self.desk.request("PATCH", "/api/v1/cases/%d" % self.case,
                                   {"assignee_id": self.customer_id}, token=self.agent)
        self.assertIn(result[0], (400, 422), result[2])
        assert_problem(self, result, result[0])

    def test_another_tenants_ids(self):
        number = self.other_case
        for method, path, body in (
                ("GET", "/api/v1/cases/%d" % number, None),
                ("PATCH", "/api/v1/cases/%d" % number, {"status": "solved"}),
                ("GET", "/api/v1/cases/%d/comments" % number, None),
                ("POST", "/api/v1/cases/%d/comments" % number, {"body": "hello"}),
                ("GET", "/api/v1/cases/%d/events" % number, None),
                ("GET", "/api/v1/orgs/%d" % self.other_org, None),
                ("GET", "/api/v1/users/%d" % self.other_id, None)):
            with self.subTest(method=method, path=path):
                result = self.desk.request(method, path, body, token=self.customer)
                assert_problem(self, result, 404)
                self.assertNotIn(b"theirs", result.raw)
        # Naming another organisation or its people in a new case is refused.
        for body in ({"subject": "x", "severity": 2, "org_id": self.other_org},
                     {"subject": "x", "severity": 2, "requester_id": self.other_id},
                     {"subject": "x", "severity": 2, "followers": [self.other_id]}):
            with self.subTest(body=body):
                result = self.post_case(self.customer, body)
                self.assertIn(result[0], (400, 403, 404), result[2])
                assert_problem(self, result, result[0])
        # A customer cannot add people to another organisation.
        result = self.desk.request("POST", "/api/v1/users", {
            "email": unique("x") + "@example.com", "name": "x", "role": "customer",
            "org_id": self.other_org}, token=self.customer)
        self.assertIn(result[0], (403, 404), result[2])
        assert_problem(self, result, result[0])

    # --- authentication, methods, routes ---------------------------------------------------

    def test_missing_invalid_and_garbage_tokens(self):
        cases = [
            {},
            {"Authorization": "Bearer"},
            {"Authorization": "Bearer "},
            {"Authorization": "Bearer not-a-real-token"},
            {"Authorization": "Bearer " + self.customer + "x"},
            {"Authorization": "Bearer " + self.customer[:-1]},
            {"Authorization": "Basic YWRtaW46YWRtaW4="},
            {"Authorization": self.customer},
            {"Authorization": "Bearer " + "A" * 10000},
            {"Authorization": "Bearer ../../etc/passwd"},
        ]
        for headers in cases:
            with self.subTest(headers=str(headers)[:60]):
                for method, path, body in (("GET", "/api/v1/cases", None),
                                           ("POST", "/api/v1/cases",
                                            {"subject": "x", "severity": 2}),
                                           ("GET", "/api/v1/cases/%d" % self.case, None),
                                           ("GET", "/api/v1/users/me", None)):
                    all_headers = dict(JSON)
                    all_headers.update(headers)
                    result = self.desk.request(method, path, body, headers=all_headers)
                    problem = assert_problem(self, result, 401)
                    self.assertNotIn(self.customer, problem["detail"])

    def test_wrong_method(self):
        for method, path in (("DELETE", "/api/v1/cases"), ("PUT", "/api/v1/cases"),
                             ("DELETE", "/api/v1/cases/%d" % self.case),
                             ("POST", "/api/v1/cases/%d" % self.case),
                             ("PUT", "/api/v1/cases/%d/comments" % self.case),
                             ("POST", "/api/v1/search"), ("POST", "/healthz")):
            with self.subTest(method=method, path=path):
                assert_problem(self, self.desk.request(method, path, {}, token=self.agent), 405)

    def test_unknown_routes_and_ids(self):
        for path in ("/api/v1/nothing", "/api/v2/cases", "/api/v1/cases/abc",
                     "/api/v1/cases/-1", "/api/v1/cases/0", "/api/v1/cases/987654321",
                     "/api/v1/cases/99999999999999999999999",
                     "/api/v1/cases/%d/nothing" % self.case, "/api/v1/attachments/nope",
                     "/api/v1/cases/%d/../%d" % (self.case, self.other_case)):
            with self.subTest(path=path):
                assert_problem(self, self.desk.request("GET", path, token=self.customer), 404)

    def test_bad_list_parameters(self):
        for query in ("limit=abc", "limit=0", "limit=-5", "cursor=%00%ff-not-a-cursor",
                      "status=bogus", "severity=9", "org_id=x"):
            with self.subTest(query=query):
                assert_problem(self, self.desk.request("GET", "/api/v1/cases?" + query,
                                                       token=self.agent), 400)

    def test_malformed_http_does_not_hurt_the_server(self):
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                    b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                    b"POST /api/v1/cases HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}"):
            with self.subTest(raw=raw):
                with socket.create_connection((self.desk.host, self.desk.port), timeout=5) as s:
                    s.sendall(raw)
                    s.shutdown(socket.SHUT_WR)
                    try:
                        while s.recv(65536):
                            pass
                    except (ConnectionResetError, socket.timeout):
                        pass
        connection = http.client.HTTPConnection(self.desk.host, self.desk.port, timeout=5)
        connection.request("GET", "/healthz")
        self.assertEqual(connection.getresponse().status, 200)
        connection.close()


if __name__ == "__main__":
    unittest.main()

"""End-to-end: remote access requests (issue 7, seed 002) through the real binary. Staff ask for
access on a case; the requester and the organisation's admin get the request by mail (SMTP sink)
with the portal link; the requester grants it with credentials, staff read them while the grant
is active, the assignee hears of the decision; another tenant gets 404; the customer revokes and
the credentials are erased (a "case.secrets_erased" event naming the fields, never the values);
a short window expires by itself with the same erasure; refusals and withdrawals; bad input is a
400 naming the field. No credential value ever appears in mail, lists or audit events."""

import json
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, unique  # noqa: E402
from mail_peers import SmtpSink, body_text  # noqa: E402

PASSWORD = "pw-" + unique("s3cret")


class RemoteAccessTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="casedesk-remote-access-")
        cls.sink = SmtpSink(os.path.join(cls.root, "sink"))
        cls.desk = harness.Desk(env={
            "CASEDESK_SMTP_URL": cls.sink.url,
            "CASEDESK_SMTP_FROM": "Support <support@desk.example>",
            "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        desk = cls.desk
        cls.acme = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        cls.globex = desk.create_org(unique("Globex "), "customer", plan="enterprise")
        cls.agent_email = unique("agent-") + "@example.com"
        cls.agent_id, cls.agent = desk.create_user("agent", email=cls.agent_email)
        cls.requester_email = unique("carol-") + "@example.com"
        cls.requester_id, cls.requester = desk.create_user(
            "customer", org_id=cls.acme, email=cls.requester_email)
        cls.admin_email = unique("acme-admin-") + "@example.com"
        _, cls.acme_admin = desk.create_user("customer", org_id=cls.acme, email=cls.admin_email,
                                             org_admin=True)
        _, cls.colleague = desk.create_user("customer", org_id=cls.acme)
        _, cls.globex_contact = desk.create_user("customer", org_id=cls.globex)

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()
        cls.sink.close()
        shutil.rmtree(cls.root, True)

    # Helpers.

    def new_case(self):
        case = self.desk.create_case(self.requester)
        status, _, body = self.desk.request("PATCH", "/api/v1/cases/%d" % case["number"],
                                            {"assignee_id": self.agent_id}, token=self.agent)
        self.assertEqual(status, 200, body)
        return case["number"]

    def ask(self, number, start_in=-60, length=3600, token=None, **extra):
        now = time.time()
        body = {"method": "ssh", "purpose": "Read the recogniser's logs on the speech server",
                "window_start": harness.rfc3339(now + start_in),
                "window_end": harness.rfc3339(now + start_in + length)}
        body.update(extra)
        return self.desk.request("POST", "/api/v1/cases/%d/remote-access" % number, body,
                                 token=token or self.agent)

    def move(self, number, request_id, action, token, body=None):
        return self.desk.request(
            "POST", "/api/v1/cases/%d/remote-access/%d/%s" % (number, request_id, action),
            body if body is not None else {}, token=token)

    def credentials(self, number, request_id, token):
        return self.desk.request(
            "GET", "/api/v1/cases/%d/remote-access/%d/credentials" % (number, request_id),
            token=token)

    def events(self, number):
        status, _, body = self.desk.request("GET", "/api/v1/cases/%d/events?limit=200" % number,
                                            token=self.agent)
        self.assertEqual(status, 200, body)
        return body["items"]

    def mails_to(self, address, subject_part):
        return [m for envelope, m in self.sink.messages()
                if address in envelope.get("rcpt_tos", []) and subject_part in str(m["Subject"])]

    def assert_no_password_anywhere(self, number):
        for _, message in self.sink.messages():
            self.assertNotIn(PASSWORD, body_text(message))
            self.assertNotIn(PASSWORD, str(message["Subject"]))
        self.assertNotIn(PASSWORD, json.dumps(self.events(number)))
        for token in (self.agent, self.requester):
            status, _, listed = self.desk.request(
                "GET", "/api/v1/cases/%d/remote-access" % number, token=token)
            self.assertEqual(status, 200, listed)
            self.assertNotIn(PASSWORD, json.dumps(listed))
        self.assertNotIn(PASSWORD, self.desk.log_tail(200000))

    # Tests.

    def test_request_grant_read_and_revoke(self):
        number = self.new_case()
        status, _, request = self.ask(number, method="rdp")
        self.assertEqual(status, 201, request)
        self.assertEqual(request["status"], "requested")
        self.assertEqual(request["method"], "rdp")
        self.assertEqual(request["case_number"], number)
        self.assertTrue(request["actions"]["withdraw"])
        request_id = request["id"]

        # The customer side hears of it: the requester and the organisation's admin.
        for address in (self.requester_email, self.admin_email):
            mail = harness.wait_for(
                lambda: self.mails_to(address, "[#%d] Remote access requested" % number),
                "the request mail to " + address)
            text = body_text(mail[0])
            self.assertIn("/portal/cases/%d" % number, text)
            self.assertIn("recogniser's logs", text)
            self.assertIn("RDP", text)

        # Customers cannot ask; another tenant sees nothing.
        assert_problem(self, self.ask(number, token=self.requester), 403)
        for path in ("", "/%d" % request_id, "/%d/credentials" % request_id):
            assert_problem(self, self.desk.request(
                "GET", "/api/v1/cases/%d/remote-access%s" % (number, path),
                token=self.globex_contact), 404)
        assert_problem(self, self.move(number, request_id, "grant", self.globex_contact), 404)
        # A colleague who is not part of the case (the organisation does not share cases) too.
        assert_problem(self, self.move(number, request_id, "grant", self.colleague), 404)
        # Staff cannot grant on the customer's behalf.
        assert_problem(self, self.move(number, request_id, "grant", self.agent), 403)
        # Nothing to read before the grant.
        assert_problem(self, self.credentials(number, request_id, self.agent), 409)

        status, _, granted = self.move(number, request_id, "grant", self.requester, {
            "credentials": {"host": "10.0.0.5", "username": "support", "password": PASSWORD}})
        self.assertEqual(status, 200, granted)
        self.assertEqual(granted["status"], "granted")
        self.assertTrue(granted["active"])
        self.assertEqual(sorted(granted["credential_fields"]), ["host", "password", "username"])
        self.assertEqual(granted["decided_by"], self.requester_id)

        status, headers, secret = self.credentials(number, request_id, self.agent)
        self.assertEqual(status, 200, secret)
        self.assertEqual(secret["credentials"],
                         {"host": "10.0.0.5", "username": "support", "password": PASSWORD})
        self.assertEqual(headers.get("cache-control"), "no-store")
        status, _, item = self.desk.request(
            "GET", "/api/v1/cases/%d/remote-access/%d" % (number, request_id), token=self.agent)
        self.assertEqual(status, 200, item)
        self.assertTrue(item["actions"]["read_credentials"])

        # The assignee hears of the decision.
        decision = harness.wait_for(
            lambda: self.mails_to(self.agent_email, "[#%d] Remote access granted" % number),
            "the decision mail")
        self.assertIn("Credentials were given", body_text(decision[0]))

        # Granting twice is a conflict.
        assert_problem(self, self.move(number, request_id, "grant", self.requester), 409)

        status, _, revoked = self.move(number, request_id, "revoke", self.requester)
        self.assertEqual(status, 200, revoked)
        self.assertEqual(revoked["status"], "revoked")
        assert_problem(self, self.credentials(number, request_id, self.agent), 409)
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number, token=self.agent)
        self.assertEqual(status, 200, case)
        self.assertFalse([k for k in case.get("secret_fields", {}) if "remote_access" in k])

        events = self.events(number)
        kinds = [e["kind"] for e in events]
        for kind in ("remote_access.requested", "remote_access.granted", "remote_access.revoked",
                     "case.secrets_erased"):
            self.assertIn(kind, kinds)
        erased = next(e for e in events if e["kind"] == "case.secrets_erased")
        fields = sorted(c["field"] for c in erased["changes"])
        self.assertEqual(fields, ["secret_fields.remote_access.%d.%s" % (request_id, name)
                                  for name in ("host", "password", "username")])
        self.assert_no_password_anywhere(number)

    def test_refuse_and_withdraw(self):
        number = self.new_case()
        status, _, request = self.ask(number, method="screen_share")
        self.assertEqual(status, 201, request)
        status, _, refused = self.move(number, request["id"], "refuse", self.acme_admin,
                                       {"reason": "Not during the quarter close"})
        self.assertEqual(status, 200, refused)
        self.assertEqual(refused["status"], "refused")
        self.assertEqual(refused["refusal_reason"], "Not during the quarter close")
        assert_problem(self, self.move(number, request["id"], "grant", self.requester), 409)
        harness.wait_for(
            lambda: self.mails_to(self.agent_email, "[#%d] Remote access refused" % number),
            "the refusal mail")

        status, _, second = self.ask(number)
        self.assertEqual(status, 201, second)
        assert_problem(self, self.move(number, second["id"], "withdraw", self.requester), 403)
        status, _, withdrawn = self.move(number, second["id"], "withdraw", self.agent)
        self.assertEqual(status, 200, withdrawn)
        self.assertEqual(withdrawn["status"], "withdrawn")
        assert_problem(self, self.move(number, second["id"], "revoke", self.requester), 409)

        status, _, listed = self.desk.request(
            "GET", "/api/v1/cases/%d/remote-access" % number, token=self.requester)
        self.assertEqual(status, 200, listed)
        self.assertEqual([r["status"] for r in listed["items"]], ["withdrawn", "refused"])
        # A request id of another case is not found on this one.
        other = self.new_case()
        assert_problem(self, self.desk.request(
            "GET", "/api/v1/cases/%d/remote-access/%d" % (other, second["id"]),
            token=self.agent), 404)

    def test_a_short_window_expires_and_erases_the_credentials(self):
        number = self.new_case()
        status, _, request = self.ask(number, start_in=-5, length=9)
        self.assertEqual(status, 201, request)
        status, _, granted = self.move(number, request["id"], "grant", self.requester, {
            "credentials": {"one_time_code": "482913", "password": PASSWORD}})
        self.assertEqual(status, 200, granted)
        status, _, secret = self.credentials(number, request["id"], self.agent)
        self.assertEqual(status, 200, secret)
        self.assertEqual(secret["credentials"]["one_time_code"], "482913")

        # The background worker stores the expiry and erases the credentials on its own.
        harness.wait_for(lambda: "remote_access.expired" in
                         [e["kind"] for e in self.events(number)], "the expiry event", timeout=30)
        status, _, item = self.desk.request(
            "GET", "/api/v1/cases/%d/remote-access/%d" % (number, request["id"]),
            token=self.requester)
        self.assertEqual(status, 200, item)
        self.assertEqual(item["status"], "expired")
        self.assertFalse(item["active"])
        self.assertFalse(item["actions"]["revoke"])
        result = self.credentials(number, request["id"], self.agent)
        assert_problem(self, result, 409)
        self.assertIn("expired", result[2]["detail"])
        events = self.events(number)
        self.assertEqual([e["kind"] for e in events].count("remote_access.expired"), 1)
        erased = [e for e in events if e["kind"] == "case.secrets_erased"]
        self.assertEqual(len(erased), 1, erased)
        self.assertEqual(erased[0]["reason"], "remote access expired")
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number, token=self.agent)
        self.assertFalse([k for k in case.get("secret_fields", {}) if "remote_access" in k])
        assert_problem(self, self.move(number, request["id"], "revoke", self.requester), 409)
        self.assert_no_password_anywhere(number)

    def test_bad_input_is_a_400_naming_the_field(self):
        number = self.new_case()
        now = time.time()
        cases = [
            ({"method": "telnet"}, "method"),
            ({"purpose": "  "}, "purpose"),
            ({"purpose": "x" * 2001}, "purpose"),
            ({"window_start": "tomorrow"}, "window_start"),
            ({"window_end": harness.rfc3339(now - 3600)}, "window_end"),
            ({"window_start": harness.rfc3339(now + 600),
              "window_end": harness.rfc3339(now + 60)}, "window_end"),
            ({"window_end": harness.rfc3339(now + 15 * 86400)}, "window_end"),
            ({"colour": "red"}, "colour"),
        ]
        for extra, field in cases:
            result = self.ask(number, **extra)
            assert_problem(self, result, 400)
            self.assertIn(field, result[2].get("detail", ""), (extra, result[2]))
        status, _, request = self.ask(number)
        self.assertEqual(status, 201, request)
        result = self.move(number, request["id"], "grant", self.requester,
                           {"credentials": {"password": 5}})
        assert_problem(self, result, 400)
        self.assertIn("credentials.password", result[2]["detail"])
        result = self.move(number, request["id"], "grant", self.requester,
                           {"credentials": {"Bad Name": "x"}})
        assert_problem(self, result, 400)
        assert_problem(self, self.desk.request(
            "GET", "/api/v1/cases/%d/remote-access/999999" % number, token=self.agent), 404)


if __name__ == "__main__":
    unittest.main()

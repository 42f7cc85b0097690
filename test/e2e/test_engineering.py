"""End-to-end: engineering links, the signed tracker webhook and problem records (issue 7,
seed 004) through the real binary. Two cases of different organisations link one tracker key;
a webhook with a bad or missing signature is 401 and changes nothing; a good one moving the key
to "released" under the "send" policy posts an internal note on both cases and a templated
public update that reaches both requesters at the SMTP sink; a replay changes nothing; the
default "prompt" policy keeps a suggestion an agent sends with one call; customers get 404 for
the links and see no trace of them in their case, comments or history; problems group the
cases and the trend report counts them."""

import datetime
import hashlib
import hmac
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

SECRET = "tracker-secret-" + "x" * 24


def signature(body, secret=SECRET):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class EngineeringTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="casedesk-engineering-")
        cls.sink = SmtpSink(os.path.join(cls.root, "sink"))
        cls.desk = harness.Desk(env={
            "CASEDESK_SMTP_URL": cls.sink.url,
            "CASEDESK_SMTP_FROM": "Support <support@desk.example>",
            "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        desk = cls.desk
        cls.acme = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        cls.globex = desk.create_org(unique("Globex "), "customer", plan="enterprise")
        _, cls.agent = desk.create_user("agent")
        cls.acme_email = unique("acme-") + "@example.com"
        cls.globex_email = unique("globex-") + "@example.com"
        _, cls.acme_contact = desk.create_user("customer", org_id=cls.acme, email=cls.acme_email)
        _, cls.globex_contact = desk.create_user("customer", org_id=cls.globex,
                                                 email=cls.globex_email)
        # The admin configures the webhook secret and chooses to send the "released" update
        # with their own text; "resolved" keeps prompting.
        status, _, body = desk.admin("PUT", "/api/v1/engineering/settings", {
            "secret": SECRET,
            "policies": {"released": "send", "resolved": "prompt"},
            "templates": {"released": "Good news: the fix for case {case_number} is released.",
                          "resolved": "Fixed by our developers; the release follows."}})
        assert status == 200, (status, body)

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()
        cls.sink.close()
        shutil.rmtree(cls.root, True)

    def link(self, number, key, token=None, **fields):
        body = {"tracker": "jira", "key": key,
                "url": "https://jira.internal.example/browse/" + key, "title": "Export bug"}
        body.update(fields)
        return self.desk.request("POST", "/api/v1/cases/%d/engineering-links" % number, body,
                                 token=token or self.agent)

    def webhook(self, payload, sign=True, secret=SECRET, header=None):
        raw = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if header is not None:
            headers["X-Casedesk-Signature"] = header
        elif sign:
            headers["X-Casedesk-Signature"] = signature(raw, secret)
        return self.desk.request("POST", "/api/v1/hooks/tracker", raw_body=raw, headers=headers)

    def links_of(self, number):
        status, _, body = self.desk.request(
            "GET", "/api/v1/cases/%d/engineering-links" % number, token=self.agent)
        self.assertEqual(status, 200, body)
        return body["items"]

    def comments(self, number, token):
        status, _, body = self.desk.request("GET", "/api/v1/cases/%d/comments" % number,
                                            token=token)
        self.assertEqual(status, 200, body)
        return body["items"]

    def mails_to(self, email, text):
        return [m for envelope, m in self.sink.messages()
                if email in envelope.get("rcpt_tos", []) and text in body_text(m)]

    def assert_no_trace_for_customer(self, number, token, key):
        for path in ("/api/v1/cases/%d" % number, "/api/v1/cases/%d/comments" % number,
                     "/api/v1/cases/%d/events" % number):
            status, _, body = self.desk.request("GET", path, token=token)
            self.assertEqual(status, 200, (path, body))
            raw = json.dumps(body)
            self.assertNotIn(key, raw, path)
            self.assertNotIn("jira", raw, path)
            self.assertNotIn("engineering", raw, path)
        assert_problem(self, self.desk.request(
            "GET", "/api/v1/cases/%d/engineering-links" % number, token=token), 404)

    def test_webhook_updates_every_linked_case_and_customers_hear_through_the_case(self):
        key = unique("PROJ-")
        acme_case = self.desk.create_case(self.acme_contact)["number"]
        globex_case = self.desk.create_case(self.globex_contact)["number"]
        for number in (acme_case, globex_case):
            status, _, link = self.link(number, key)
            self.assertEqual(status, 201, link)
            self.assertEqual(link["state"], "open")
            self.assertEqual(link["key"], key)
        assert_problem(self, self.link(acme_case, key), 409)  # a case links a key once
        assert_problem(self, self.link(acme_case, "BAD KEY"), 400)
        # Customers cannot link, read or update links: 404, as for a case they cannot see.
        assert_problem(self, self.link(acme_case, unique("X-"), token=self.acme_contact), 404)
        assert_problem(self, self.desk.request(
            "GET", "/api/v1/engineering/issues/jira/" + key, token=self.acme_contact), 404)

        status, _, settings = self.desk.admin("GET", "/api/v1/engineering/settings")
        self.assertEqual(status, 200, settings)
        self.assertTrue(settings["secret_configured"])
        self.assertNotIn("secret", settings)
        self.assertEqual(settings["policies"]["released"], "send")
        assert_problem(self, self.desk.request("GET", "/api/v1/engineering/settings",
                                               token=self.agent), 403)
        assert_problem(self, self.desk.request("GET", "/api/v1/engineering/settings",
                                               token=self.acme_contact), 404)
        assert_problem(self, self.desk.admin("PUT", "/api/v1/engineering/settings", {
            "policies": {"closed": "send"}}), 400)  # a state that sends needs a template

        payload = {"tracker": "jira", "key": key, "state": "released", "title": "Export fixed"}
        # A bad signature, a missing one, and one made with another secret change nothing.
        assert_problem(self, self.webhook(payload, header="sha256=" + "0" * 64), 401)
        assert_problem(self, self.webhook(payload, sign=False), 401)
        assert_problem(self, self.webhook(payload, secret="another-secret-of-some-length"), 401)
        assert_problem(self, self.webhook(payload, header="sha1=abc"), 401)
        for number in (acme_case, globex_case):
            self.assertEqual(self.links_of(number)[0]["state"], "open")
            self.assertEqual([c for c in self.comments(number, self.agent)
                              if c["visibility"] == "internal"], [])

        status, _, result = self.webhook(payload)
        self.assertEqual(status, 200, result)
        self.assertEqual(result["cases"], 2)
        self.assertEqual(result["changed"], 2)
        self.assertNotIn("links", result)  # the tracker learns no case numbers
        for number, email in ((acme_case, self.acme_email), (globex_case, self.globex_email)):
            link = self.links_of(number)[0]
            self.assertEqual(link["state"], "released")
            self.assertEqual(link["title"], "Export fixed")
            self.assertIsNone(link["pending_update"])
            staff_view = self.comments(number, self.agent)
            notes = [c for c in staff_view if c["visibility"] == "internal"]
            self.assertEqual(len(notes), 1, staff_view)
            self.assertIn(key, notes[0]["body"])
            self.assertIn("open to released", notes[0]["body"])
            text = "Good news: the fix for case %d is released." % number
            public = [c for c in staff_view if c["visibility"] == "public" and c["body"] == text]
            self.assertEqual(len(public), 1, staff_view)
            harness.wait_for(lambda: self.mails_to(email, text), "the update mail to " + email)
            status, _, events = self.desk.request("GET", "/api/v1/cases/%d/events" % number,
                                                  token=self.agent)
            kinds = [e["kind"] for e in events["items"]]
            self.assertIn("engineering.linked", kinds)
            self.assertIn("engineering.state_changed", kinds)

        # A replayed delivery changes nothing and mails nobody again.
        status, _, replay = self.webhook(payload)
        self.assertEqual(status, 200, replay)
        self.assertEqual(replay["changed"], 0)
        time.sleep(1.5)
        for number, email in ((acme_case, self.acme_email), (globex_case, self.globex_email)):
            self.assertEqual(len([c for c in self.comments(number, self.agent)
                                  if c["visibility"] == "internal"]), 1)
            self.assertEqual(len(self.mails_to(email, "is released.")), 1)

        # Customers see the public update and nothing else of engineering.
        self.assert_no_trace_for_customer(acme_case, self.acme_contact, key)
        self.assert_no_trace_for_customer(globex_case, self.globex_contact, key)
        customer_bodies = [c["body"] for c in self.comments(acme_case, self.acme_contact)]
        self.assertIn("Good news: the fix for case %d is released." % acme_case, customer_bodies)
        # Another tenant's link is not even found by number.
        status, _, links = self.desk.request(
            "GET", "/api/v1/cases/%d/engineering-links" % acme_case, token=self.agent)
        assert_problem(self, self.desk.request(
            "PATCH", "/api/v1/cases/%d/engineering-links/%d" % (globex_case, links["items"][0]["id"]),
            {"state": "open"}, token=self.agent), 404)

    def test_prompt_policy_suggests_and_one_call_sends(self):
        key = unique("PROMPT-")
        number = self.desk.create_case(self.acme_contact)["number"]
        status, _, link = self.link(number, key, state="in_progress")
        self.assertEqual(status, 201, link)
        # By API on the tracker key: "resolved" prompts (the policy set above keeps it).
        status, _, result = self.desk.request(
            "PATCH", "/api/v1/engineering/issues/jira/" + key, {"state": "Resolved"},
            token=self.agent)
        self.assertEqual(status, 200, result)
        self.assertEqual(result["links"][0]["action"], "prompt")
        self.assertFalse(result["links"][0]["public_update_sent"])
        link = self.links_of(number)[0]
        self.assertEqual(link["state"], "resolved")
        self.assertEqual(link["pending_update"], "Fixed by our developers; the release follows.")
        self.assertEqual([c for c in self.comments(number, self.acme_contact)
                          if "release follows" in c["body"]], [])
        note = [c for c in self.comments(number, self.agent) if c["visibility"] == "internal"]
        self.assertIn("Suggested public update", note[0]["body"])

        path = "/api/v1/cases/%d/engineering-links/%d/send-update" % (number, link["id"])
        assert_problem(self, self.desk.request("POST", path, token=self.acme_contact), 404)
        status, _, sent = self.desk.request("POST", path, token=self.agent)
        self.assertEqual(status, 200, sent)
        self.assertIsNone(sent["pending_update"])
        self.assertIn("Fixed by our developers; the release follows.",
                      [c["body"] for c in self.comments(number, self.acme_contact)])
        harness.wait_for(lambda: self.mails_to(self.acme_email, "release follows"),
                         "the sent suggestion")
        assert_problem(self, self.desk.request("POST", path, token=self.agent), 422)
        # PATCH on the link itself: a state without a policy only notes.
        status, _, result = self.desk.request(
            "PATCH", "/api/v1/cases/%d/engineering-links/%d" % (number, link["id"]),
            {"state": "reopened"}, token=self.agent)
        self.assertEqual(status, 200, result)
        self.assertEqual(result["links"][0]["action"], "note")
        assert_problem(self, self.desk.request(
            "PATCH", "/api/v1/engineering/issues/jira/" + unique("NONE-"), {"state": "open"},
            token=self.agent), 404)

    def test_problems_group_cases_and_trends_count_them(self):
        component = unique("comp")
        before = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        acme_case = self.desk.create_case(self.acme_contact, component=component)["number"]
        globex_case = self.desk.create_case(self.globex_contact, component=component)["number"]
        status, _, problem = self.desk.request("POST", "/api/v1/problems", {
            "title": "Exports time out", "component": component,
            "root_cause": "Lock held across the batch"}, token=self.agent)
        self.assertEqual(status, 201, problem)
        self.assertEqual(problem["status"], "investigating")
        assert_problem(self, self.desk.request("POST", "/api/v1/problems", {"title": ""},
                                               token=self.agent), 400)
        assert_problem(self, self.desk.request("GET", "/api/v1/problems/%d" % problem["id"],
                                               token=self.acme_contact), 404)
        assert_problem(self, self.desk.request("GET", "/api/v1/problems",
                                               token=self.acme_contact), 404)
        for number in (acme_case, globex_case, acme_case):
            status, _, linked = self.desk.request(
                "POST", "/api/v1/problems/%d/cases" % problem["id"], {"case_number": number},
                token=self.agent)
            self.assertEqual(status, 200, linked)
        self.assertEqual(linked["case_count"], 2)
        assert_problem(self, self.desk.request(
            "POST", "/api/v1/problems/%d/cases" % problem["id"], {"case_number": 999999999},
            token=self.agent), 400)
        status, _, updated = self.desk.request(
            "PATCH", "/api/v1/problems/%d" % problem["id"], {"status": "known_error"},
            token=self.agent)
        self.assertEqual(status, 200, updated)
        self.assertEqual(updated["status"], "known_error")
        status, _, detail = self.desk.request("GET", "/api/v1/problems/%d" % problem["id"],
                                              token=self.agent)
        self.assertEqual(status, 200, detail)
        self.assertEqual(sorted(c["case_number"] for c in detail["cases"]),
                         sorted([acme_case, globex_case]))
        self.assertEqual([e["kind"] for e in detail["events"]],
                         ["problem.created", "problem.case_linked", "problem.case_linked",
                          "problem.updated"])
        status, _, events = self.desk.request("GET", "/api/v1/cases/%d/events" % acme_case,
                                              token=self.agent)
        kinds = [e["kind"] for e in events["items"]]
        self.assertIn("problem.linked", kinds)
        self.assertIn("problem.updated", kinds)
        status, _, events = self.desk.request("GET", "/api/v1/cases/%d/events" % acme_case,
                                              token=self.acme_contact)
        self.assertFalse([e for e in events["items"] if e["kind"].startswith("problem.")])

        after = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5)
        query = "/api/v1/incident-trends?from=%s&to=%s" % (iso(before), iso(after))
        status, _, trend = self.desk.request("GET", query, token=self.agent)
        self.assertEqual(status, 200, trend)
        self.assertGreaterEqual(trend["total"], 2)
        by_problem = {p["problem_id"]: p for p in trend["by_problem"]}
        self.assertEqual(by_problem[problem["id"]]["count"], 2)
        self.assertEqual(by_problem[problem["id"]]["title"], "Exports time out")
        by_component = {c["component"]: c["count"] for c in trend["by_component"]}
        self.assertEqual(by_component[component], 2)
        by_org = {o["org_id"]: o["count"] for o in trend["by_organisation"]}
        self.assertGreaterEqual(by_org[self.acme], 1)
        self.assertGreaterEqual(by_org[self.globex], 1)
        assert_problem(self, self.desk.request("GET", query, token=self.acme_contact), 404)
        assert_problem(self, self.desk.request(
            "GET", "/api/v1/incident-trends?from=%s&to=%s" % (iso(after), iso(before)),
            token=self.agent), 400)

        status, _, unlinked = self.desk.request(
            "DELETE", "/api/v1/problems/%d/cases/%d" % (problem["id"], globex_case),
            token=self.agent)
        self.assertEqual(status, 200, unlinked)
        self.assertEqual(unlinked["case_count"], 1)


if __name__ == "__main__":
    unittest.main()

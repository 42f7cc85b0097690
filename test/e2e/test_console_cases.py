"""The staff console's case pages through the real binary (issue 5): /console lands on the
queues; a case opened by a customer waits in the untriaged queue, sorted by its next SLA
deadline; on its page an agent takes it, confirms the severity, replies, writes an internal note
and changes the status with plain HTML forms (post, redirect, get), each change visible in the
queues and to the customer as it should be (the note never); refused forms come back with the
error and the typed text; pages answer If-None-Match with 304; attachments are downloads;
everything a customer wrote is escaped. Cookies are handled by hand."""

import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF_FIELD = re.compile(rb'name="csrf_token" value="([0-9a-f]+)"')
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class ConsoleCasesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        desk = cls.desk
        try:
            cls.org = desk.create_org(harness.unique("Globex "), "customer", plan="enterprise")
            cls.customer_id, cls.customer = desk.create_user("customer", org_id=cls.org)
            status, _, body = desk.admin("GET", "/api/v1/users/me")
            assert status == 200, status
            cls.admin_id = body["id"]
            status, headers, _ = desk.request(
                "POST", "/login", headers=FORM,
                raw_body=urllib.parse.urlencode({"email": harness.ADMIN_EMAIL,
                                                 "password": harness.ADMIN_PASSWORD}))
            assert status == 303, status
            cls.session = re.match(r"casedesk_session=([^;]+);", headers["set-cookie"]).group(1)
        except Exception:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def get(self, path, headers=None):
        all_headers = {"Cookie": "casedesk_session=%s" % self.session}
        all_headers.update(headers or {})
        return self.desk.request("GET", path, headers=all_headers)

    def page(self, path):
        status, headers, body = self.get(path)
        self.assertEqual(status, 200, body[:500])
        self.assertIn("text/html", headers["content-type"])
        return body

    def csrf(self, number):
        match = CSRF_FIELD.search(self.page("/console/cases/%d" % number))
        self.assertIsNotNone(match)
        return match.group(1).decode()

    def post(self, path, csrf, **fields):
        fields["csrf_token"] = csrf
        headers = dict(FORM, Cookie="casedesk_session=%s" % self.session)
        return self.desk.request("POST", path, raw_body=urllib.parse.urlencode(fields),
                                 headers=headers)

    def post_ok(self, number, action, notice, **fields):
        status, headers, body = self.post("/console/cases/%d/%s" % (number, action),
                                          self.csrf(number), **fields)
        self.assertEqual(status, 303, body[:800])
        self.assertEqual(headers["location"], "/console/cases/%d?notice=%s" % (number, notice))
        return self.page(headers["location"])

    def open_case(self, severity=3, subject=None):
        return self.desk.create_case(self.customer, severity=severity,
                                     subject=subject or harness.unique("Printer "))["number"]

    def queue_numbers(self, query):
        body = self.page("/console/cases?" + query)
        return [int(n) for n in re.findall(rb'data-case="(\d+)"', body)]

    def test_console_lands_on_the_queues(self):
        status, headers, _ = self.get("/console")
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/console/cases")
        body = self.page("/console/cases")
        self.assertIn(b"<h1 id=\"cq-heading\">Untriaged cases</h1>", body)
        self.assertIn(b'aria-current="page">Cases</a>', body)
        self.assertIn(b'<script src="/static/console.js" defer></script>', body)
        status, headers, script = self.desk.request("GET", "/static/console.js")
        self.assertEqual(status, 200)
        self.assertIn("javascript", headers["content-type"])
        self.assertIn(b"If-None-Match", script)

    def test_queue_is_sorted_by_next_deadline(self):
        minor = self.open_case(severity=3)
        critical = self.open_case(severity=1)
        major = self.open_case(severity=2)
        numbers = [n for n in self.queue_numbers("queue=untriaged")
                   if n in (minor, critical, major)]
        self.assertEqual(numbers, [critical, major, minor])
        self.assertIn(critical, self.queue_numbers("queue=severity&severity=1"))
        self.assertNotIn(minor, self.queue_numbers("queue=severity&severity=1"))
        self.assertIn(critical, self.queue_numbers("queue=breaching"))

    def test_agent_triages_replies_notes_and_changes_status(self):
        number = self.open_case(severity=1, subject="Down " + XSS)
        self.assertIn(number, self.queue_numbers("queue=untriaged"))
        self.assertNotIn(number, self.queue_numbers("queue=mine"))

        page = self.page("/console/cases/%d" % number)
        self.assertNotIn(b"<script>alert", page)
        self.assertNotIn(b"<img src=x", page)
        self.assertIn(b"&lt;script&gt;alert", page)
        self.assertIn(b"SLA clocks", page)
        self.assertIn(b"First response", page)

        page = self.post_ok(number, "assignee", "assignee-saved", assignee=str(self.admin_id))
        self.assertIn(b"Assignee saved.", page)
        self.assertIn(number, self.queue_numbers("queue=mine"))
        self.assertNotIn(number, self.queue_numbers("queue=untriaged"))

        page = self.post_ok(number, "severity", "severity-saved", severity="1",
                            reason_code="triage", reason="Production is down")
        self.assertNotIn(b"unconfirmed", page.split(b'class="cc-badges"')[1].split(b"</ul>")[0])

        page = self.post_ok(number, "reply", "reply-sent", body="We are on it " + XSS)
        self.assertIn(b"Public reply", page)
        self.assertNotIn(b"<script>alert", page)
        page = self.post_ok(number, "note", "note-added", body="Looks like the disk array")
        self.assertIn(b"Internal note", page)
        self.assertIn(b"Looks like the disk array", page)

        # The customer sees the reply, never the note.
        status, _, comments = self.desk.request("GET", "/api/v1/cases/%d/comments" % number,
                                                token=self.customer)
        self.assertEqual(status, 200)
        bodies = [c["body"] for c in comments["items"]]
        self.assertIn("We are on it " + XSS, bodies)
        self.assertNotIn("Looks like the disk array", bodies)

        page = self.post_ok(number, "status", "status-changed", status="pending")
        self.assertIn(b"Status: Pending", page)
        self.assertIn(number, self.queue_numbers("queue=on_hold"))
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number,
                                            token=self.customer)
        self.assertEqual(case["status"], "pending")
        self.assertEqual(case["severity_confirmed"], True)

        page = self.post_ok(number, "escalate", "escalated", reason="Customer CTO called")
        self.assertIn(b"Escalation requested.", page)
        page = self.post_ok(number, "flag", "flagged", reason="Not an outage")
        self.assertIn(b"flagged by", page)
        # The flag counts against the organisation and requester on their other cases too.
        other = self.page("/console/cases/%d" % self.open_case())
        counts = re.search(rb"flagged in the last 90 days: (\d+) for [^,]+, (\d+) for ", other)
        self.assertIsNotNone(counts)
        self.assertGreaterEqual(int(counts.group(1)), 1)
        self.assertGreaterEqual(int(counts.group(2)), 1)

        history = self.page("/console/cases/%d/history" % number)
        self.assertIn(b"Internal note", history)

    def test_refused_forms_come_back_with_the_error_and_the_text(self):
        number = self.open_case()
        csrf = self.csrf(number)
        status, _, body = self.post("/console/cases/%d/reply" % number, csrf, body="   ")
        self.assertEqual(status, 400)
        self.assertIn(b"body: required", body)
        self.assertIn(b'id="cc-reply-error"', body)
        status, _, body = self.post("/console/cases/%d/severity" % number, csrf, severity="2",
                                    reason_code="workaround_provided", reason="kept <text>")
        self.assertEqual(status, 400, body[:300])
        self.assertIn(b"kept &lt;text&gt;</textarea>", body)
        # A move the lifecycle forbids is refused by the use case, shown beside the form.
        status, _, body = self.post("/console/cases/%d/status" % number, csrf, status="closed")
        self.assertIn(status, (400, 409, 422))
        self.assertIn(b'id="cc-status-error"', body)
        # Without the CSRF token nothing happens.
        status, _, _ = self.post("/console/cases/%d/reply" % number, "0" * 32, body="hello")
        self.assertEqual(status, 403)

    def test_pages_answer_if_none_match(self):
        number = self.open_case()
        status, headers, _ = self.get("/console/cases/%d" % number)
        self.assertEqual(status, 200)
        etag = headers["etag"]
        status, _, body = self.get("/console/cases/%d" % number, {"If-None-Match": etag})
        self.assertEqual(status, 304)
        self.assertEqual(body, b"")
        status, headers, _ = self.get("/console/cases?queue=mine")
        status, _, _ = self.get("/console/cases?queue=mine", {"If-None-Match": headers["etag"]})
        self.assertEqual(status, 304)

    def test_unknown_cases_are_not_found_and_malformed_queues_refused(self):
        self.assertEqual(self.get("/console/cases/999999")[0], 404)
        self.assertEqual(self.get("/console/cases/abc")[0], 404)
        self.assertEqual(self.get("/console/cases?queue=everything")[0], 400)
        self.assertEqual(self.get("/console/cases?queue=severity&severity=9")[0], 400)
        status, headers, _ = self.desk.request("GET", "/console/cases")
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].startswith("/login?next="))

    def test_attachments_are_downloads(self):
        number = self.open_case()
        status, _, uploaded = self.desk.request(
            "POST", "/api/v1/cases/%d/attachments?filename=x.html" % number,
            token=self.customer, raw_body="<script>alert(1)</script>",
            headers={"Content-Type": "text/html"})
        self.assertEqual(status, 201, uploaded)
        page = self.page("/console/cases/%d" % number)
        link = ("/console/attachments/%s" % uploaded["id"]).encode()
        self.assertIn(link, page)
        status, headers, body = self.get(link.decode())
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-disposition"].startswith("attachment;"))
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        self.assertNotIn("html", headers["content-type"])
        self.assertEqual(self.get("/console/attachments/nope")[0], 404)


if __name__ == "__main__":
    unittest.main()

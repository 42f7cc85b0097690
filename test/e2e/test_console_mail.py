"""The console's mail administration pages through the real binary (issue 5's admin: inbound
addresses and sender policy, templates; issue 4's email channel): an admin changes the inbound
routes and the unknown-sender policy and mail from a stranger is then held, listed, shown as
escaped text and accepted into a case on the route's severity; an organisation's domain lets its
people open cases; a template edited on its page is what the next notification says at the SMTP
sink, and reset brings the shipped text back; a message the SMTP server refused is retried from
the outbox page and arrives; agents read but are refused on save with the reason; customers get
the console's 404 page; forged forms are refused."""

import os
import re
import shutil
import sys
import tempfile
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from mail_peers import SmtpSink, body_text  # noqa: E402
from harness import unique, wait_for  # noqa: E402

DESK_ADDRESS = "support@desk.example"
SETTINGS = dict(from_address="", from_name="Example Support", case_tag_prefix="Case",
                reply_local_part="support", reply_domain="", unknown_senders="notice",
                notice_interval_minutes="60", default_severity="3", routes="")
# An HTML payload in a held message: it must reach the page only as text.
PAYLOAD = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def raw_message(sender, to, subject, text, html=None):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="elsewhere.example")
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return bytes(msg)


class ConsoleMailTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="casedesk-console-mail-")
        cls.sink = SmtpSink(os.path.join(cls.root, "sink"))
        try:
            cls.desk = harness.Desk(env={
                "CASEDESK_SMTP_URL": cls.sink.url,
                "CASEDESK_SMTP_FROM": "Support <%s>" % DESK_ADDRESS,
                "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        except Exception:
            cls.sink.close()
            raise
        try:
            desk = cls.desk
            cls.org = desk.create_org(unique("Initech "), "customer", plan="enterprise")
            cls.agent_email = unique("ana-") + "@provider.example"
            desk.create_user("agent", email=cls.agent_email, name="Ana Agent", token=False)
            cls.customer_email = unique("c-") + "@initech.example"
            _, cls.customer_token = desk.create_user("customer", org_id=cls.org,
                                                     email=cls.customer_email)
            harness.give_admin_password(desk, cls.agent_email, cls.customer_email)
            cls.admin = harness.ConsoleSession(desk, harness.ADMIN_EMAIL)
            cls.agent = harness.ConsoleSession(desk, cls.agent_email)
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()
        cls.sink.close()
        shutil.rmtree(cls.root, True)

    def submit(self, raw, to):
        status, _, body = self.desk.request(
            "POST", "/api/v1/mail/inbound?to=" + to, raw_body=raw,
            token=self.desk.admin_token, headers={"Content-Type": "message/rfc822"})
        self.assertEqual(status, 201, body)
        return body

    def save_settings(self, **changes):
        status, headers, page = self.admin.post("/console/admin/mail", action="save",
                                                **dict(SETTINGS, **changes))
        self.assertEqual(status, 303, page)
        return headers["location"]

    def test_held_mail_under_a_new_policy_is_listed_shown_as_text_and_accepted(self):
        location = self.save_settings(unknown_senders="quarantine",
                                      routes="critical open_case 1\nescalation escalate")
        status, _, page = self.admin.get(location)
        self.assertIn(b"Mail settings saved.", page)
        self.assertIn(b'value="quarantine" checked', page)
        self.assertIn(b"critical open_case 1", page)
        status, _, settings = self.desk.admin("GET", "/api/v1/mail/settings")
        self.assertEqual(settings["unknown_senders"], "quarantine")
        self.assertEqual(settings["routes"][0], {"address": "critical", "action": "open_case",
                                                 "severity": 1})
        self.assertEqual(settings["routes"][1]["action"], "escalate")
        # A stranger writes to the critical address: held, not refused.
        stranger = unique("stranger-") + "@elsewhere.example"
        subject = unique("Payments down ")
        result = self.submit(raw_message(stranger, "critical@desk.example", subject,
                                         "Nothing works.\n" + PAYLOAD, html="<p>" + PAYLOAD),
                             "critical@desk.example")
        self.assertEqual(result["status"], "quarantined", result)
        inbound_id = result["id"]
        status, _, page = self.agent.get("/console/admin/mail/inbound")
        self.assertEqual(status, 200)
        self.assertIn(('href="/console/admin/mail/inbound/%d"' % inbound_id).encode(), page)
        self.assertIn(subject.encode(), page)
        status, _, page = self.admin.get("/console/admin/mail/inbound/%d" % inbound_id)
        self.assertEqual(status, 200)
        self.assertIn(stranger.encode(), page)
        self.assertIn(b"Nothing works.", page)
        self.assertNotIn(b"<script>alert", page)
        self.assertNotIn(b"<img src=x", page)
        self.assertIn(b"&lt;script&gt;alert(2)&lt;/script&gt;", page)
        self.assertIn(b"Accept and open a case", page)
        # Accepted as a new contact of the organisation: a case on the route's severity.
        status, headers, page = self.admin.post(
            "/console/admin/mail/inbound/%d/accept" % inbound_id, org_id=str(self.org))
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Accepted", page)
        status, _, row = self.desk.admin("GET", "/api/v1/mail/inbound/%d" % inbound_id)
        self.assertEqual(row["status"], "case_opened")
        self.assertIn(("/console/cases/%d" % row["case_number"]).encode(), page)
        status, _, case = self.desk.admin("GET", "/api/v1/cases/%d" % row["case_number"])
        self.assertEqual(status, 200)
        self.assertEqual(case["subject"], subject)
        self.assertEqual(case["severity"], 1)
        # Decided: no more buttons, and a second accept is refused with the reason.
        self.assertNotIn(b"Accept and open a case", page)
        status, _, page = self.admin.post(
            "/console/admin/mail/inbound/%d/accept" % inbound_id, org_id=str(self.org))
        self.assertEqual(status, 422, page)
        self.assertIn(b'role="alert"', page)
        # Rejecting another held message keeps it, refused, with the reason.
        other = self.submit(raw_message(unique("s-") + "@elsewhere.example", DESK_ADDRESS,
                                        "Buy now", "Spam."), DESK_ADDRESS)
        status, _, _ = self.agent.post("/console/admin/mail/inbound/%d/reject" % other["id"],
                                       reason="advertising")
        self.assertEqual(status, 303)
        status, _, row = self.desk.admin("GET", "/api/v1/mail/inbound/%d" % other["id"])
        self.assertEqual(row["status"], "rejected")
        status, _, page = self.agent.get("/console/admin/mail/inbound?status=rejected")
        self.assertIn(b"advertising", page)
        self.save_settings()

    def test_bad_settings_are_refused_with_the_reason_and_keep_what_was_typed(self):
        status, _, page = self.admin.post("/console/admin/mail", action="save",
                                          **dict(SETTINGS, routes="critical shout"))
        self.assertEqual(status, 400)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b"routes[0].action", page)
        self.assertIn(b">critical shout</textarea>", page)
        status, _, page = self.admin.post("/console/admin/mail", action="save",
                                          **dict(SETTINGS, notice_interval_minutes="soon"))
        self.assertEqual(status, 400)
        self.assertIn(b"notice_interval_minutes", page)
        self.assertIn(b'value="soon"', page)
        status, _, settings = self.desk.admin("GET", "/api/v1/mail/settings")
        self.assertNotIn("shout", str(settings["routes"]))

    def test_an_organisations_domain_lets_its_people_open_cases_by_mail(self):
        status, headers, _ = self.admin.get("/console/admin/mail?org=%d" % self.org)
        self.assertEqual(status, 303)
        path = "/console/admin/mail/orgs/%d" % self.org
        self.assertTrue(headers["location"].endswith(path))
        domain = unique("d").lower() + ".example"
        status, headers, page = self.admin.post(path, support_aliases="", domains=domain,
                                                sender_address="", sender_name="",
                                                signature="")
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Organisation mail settings saved.", page)
        self.assertIn(domain.encode(), page)
        status, _, settings = self.desk.admin("GET", "/api/v1/orgs/%d/mail-settings" % self.org)
        self.assertEqual(settings["domains"], [domain])
        result = self.submit(raw_message("bob@" + domain, DESK_ADDRESS, "Printer on fire",
                                         "Help."), DESK_ADDRESS)
        self.assertEqual(result["status"], "case_opened", result)
        status, _, page = self.admin.post(path, support_aliases="not an address",
                                          domains=domain, sender_address="", sender_name="",
                                          signature="")
        self.assertEqual(status, 400)
        self.assertIn(b"support_aliases", page)
        status, _, _ = self.admin.get("/console/admin/mail/orgs/999999")
        self.assertEqual(status, 404)

    def test_an_edited_template_is_what_the_next_mail_says_and_reset_restores_it(self):
        path = "/console/admin/mail/templates/case.opened"
        status, _, page = self.agent.get("/console/admin/mail/templates")
        self.assertEqual(status, 200)
        self.assertIn(b'href="' + path.encode() + b'"', page)
        status, _, page = self.admin.get(path)
        self.assertIn(b"{{case_subject}}", page)  # the placeholders listed
        self.assertIn(b"{{requester_name}}", page)
        self.assertIn(b"[case_subject]", page)  # the preview
        # A preview of a broken template explains and saves nothing.
        status, _, page = self.admin.post(path, action="preview", subject="Opened {{#x}}",
                                          body="Hello")
        self.assertEqual(status, 400)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b'value="Opened {{#x}}"', page)
        marker = unique("Ticket-")
        status, headers, page = self.admin.post(
            path, action="save", subject=marker + " {{case_number}} opened",
            body="Dear {{recipient_name}},\r\nwe opened {{case_subject}}.\r\n")
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Template saved.", page)
        self.assertIn(b"Reset to the shipped template", page)
        case = self.desk.create_case(self.customer_token, subject=unique("Disk full "))
        found = self.sink.wait_for(lambda envelope, msg: marker in str(msg["Subject"]),
                                   "with the edited subject")
        _, msg = found[0]
        self.assertIn(str(case["number"]), str(msg["Subject"]))
        self.assertIn("we opened " + case["subject"], body_text(msg))
        status, headers, _ = self.admin.post(path + "/reset")
        self.assertEqual(status, 303)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Template reset", page)
        status, _, entry = self.desk.admin("GET", "/api/v1/mail/templates/case.opened")
        self.assertFalse(entry["customised"])
        self.assertEqual(entry["subject"], "Case opened: {{case_subject}}")

    def test_a_refused_message_is_retried_from_the_outbox_page(self):
        reject = os.path.join(self.sink.directory, "reject")
        open(reject, "w").close()
        try:
            subject = unique("Refused at first ")
            self.desk.create_case(self.customer_token, subject=subject)

            def given_up():
                status, _, body = self.desk.admin("GET", "/api/v1/mail/outbox?state=failed")
                return [item for item in body["items"] if subject in item["subject"]]
            item = wait_for(given_up, "the refused mail to be given up")[0]
        finally:
            os.remove(reject)
        status, _, page = self.agent.get("/console/admin/mail/outbox")
        self.assertEqual(status, 200)
        self.assertIn(subject.encode(), page)
        self.assertNotIn(b'name="retry"', page)  # agents read only
        status, _, page = self.agent.post("/console/admin/mail/outbox/%d/retry" % item["id"])
        self.assertEqual(status, 403)
        self.assertIn(b"only an admin may retry notifications", page)
        status, _, page = self.admin.get("/console/admin/mail/outbox?state=failed")
        self.assertIn(("/console/admin/mail/outbox/%d/retry" % item["id"]).encode(), page)
        status, headers, page = self.admin.post("/console/admin/mail/outbox/%d/retry" % item["id"])
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Queued again for delivery.", page)
        self.sink.wait_for(lambda envelope, msg: subject in str(msg["Subject"]),
                           "after the retry")
        status, _, page = self.admin.post("/console/admin/mail/outbox/%d/retry" % item["id"])
        self.assertEqual(status, 422)
        self.assertIn(b"was not given up", page)

    def test_agents_read_but_are_refused_on_save_with_the_reason(self):
        for path in ("/console/admin/mail", "/console/admin/mail/templates/case.reply",
                     "/console/admin/mail/orgs/%d" % self.org):
            status, _, page = self.agent.get(path)
            self.assertEqual(status, 200, path)
            self.assertIn(b"Only an admin can change", page)
            self.assertNotIn(b'value="save"', page)
        status, _, page = self.agent.post("/console/admin/mail", action="save",
                                          **dict(SETTINGS, from_name="Agent's choice"))
        self.assertEqual(status, 403)
        self.assertIn(b"only an admin may change the mail settings", page)
        self.assertIn(b"Agent&apos;s choice", page)
        status, _, page = self.agent.post("/console/admin/mail/templates/case.reply",
                                          action="save", subject="x", body="y")
        self.assertEqual(status, 403)
        self.assertIn(b"only an admin may change mail templates", page)
        status, _, page = self.agent.post("/console/admin/mail/templates/case.reply/reset")
        self.assertEqual(status, 403)
        status, _, settings = self.desk.admin("GET", "/api/v1/mail/settings")
        self.assertNotEqual(settings["from_name"], "Agent's choice")
        status, _, entry = self.desk.admin("GET", "/api/v1/mail/templates/case.reply")
        self.assertFalse(entry["customised"])

    def test_customers_get_the_404_page_and_forged_forms_are_refused(self):
        customer = harness.ConsoleSession(self.desk, self.customer_email, csrf_page="/portal")
        for path in ("/console/admin/mail", "/console/admin/mail/templates",
                     "/console/admin/mail/templates/case.opened", "/console/admin/mail/inbound",
                     "/console/admin/mail/outbox", "/console/admin/mail/orgs/%d" % self.org):
            status, _, _ = customer.get(path)
            self.assertEqual(status, 404, path)
        status, _, _ = customer.post("/console/admin/mail", action="save", **SETTINGS)
        self.assertEqual(status, 404)
        status, _, _ = self.admin.post("/console/admin/mail", csrf="0" * 64, action="save",
                                       **dict(SETTINGS, from_name="Forged"))
        self.assertEqual(status, 403)
        status, _, settings = self.desk.admin("GET", "/api/v1/mail/settings")
        self.assertNotEqual(settings["from_name"], "Forged")
        status, _, _ = self.admin.get("/console/admin/mail/templates/no.such.kind")
        self.assertEqual(status, 404)
        status, _, _ = self.admin.get("/console/admin/mail/inbound?status=bogus")
        self.assertEqual(status, 404)

    def test_pages_stay_small(self):
        for path in ("/console/admin/mail", "/console/admin/mail/templates",
                     "/console/admin/mail/templates/status.notice", "/console/admin/mail/inbound",
                     "/console/admin/mail/outbox?state=pending"):
            status, _, page = self.admin.get(path)
            self.assertEqual(status, 200, path)
            self.assertLess(len(page), 100 * 1024, path)
            self.assertIn(b'aria-label="Mail administration"', page)
            self.assertIsNotNone(re.search(rb'<a href="/console/admin"[^>]*aria-current="page"',
                                           page), path)


if __name__ == "__main__":
    unittest.main()

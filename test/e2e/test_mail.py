"""The email channel through the real binary and real peers: messages piped in with
`casedesk mail ingest` (as Postfix does), delivered over LMTP, and polled from a Dovecot IMAP
mailbox open cases and thread replies; what the desk says goes out through the outbox to a real
SMTP server (aiosmtpd), survives an SMTP outage without duplicates, and answers strangers once."""

import json
import os
import shutil
import smtplib
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import mail_peers  # noqa: E402
from harness import unique, wait_for  # noqa: E402
from mail_peers import SmtpSink, body_text, message  # noqa: E402

DESK_ADDRESS = "support@desk.example"
EX_TEMPFAIL = 75


def mail_env(sink, **extra):
    env = {"CASEDESK_SMTP_URL": sink.url, "CASEDESK_SMTP_FROM": "Support <%s>" % DESK_ADDRESS,
           "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"}
    env.update(extra)
    return env


def ingest(desk, raw, to=DESK_ADDRESS, data_dir=None):
    """Pipes one message into `casedesk mail ingest` like an MTA; returns the CompletedProcess."""
    env = dict(os.environ)
    env.pop("CASEDESK_STORE_URL", None)
    env.update(harness.store_env(data_dir or desk.data_dir))
    env.update(desk.env)
    return subprocess.run([harness.BINARY, "mail", "ingest", "--data", data_dir or desk.data_dir,
                           "--to", to, "--from", "bounces@customer.example"],
                          input=raw, capture_output=True, env=env, timeout=60)


class MailTestCase(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="casedesk-mail-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.sink = SmtpSink(os.path.join(self.root, "sink"))
        self.addCleanup(self.sink.close)

    def start_desk(self, **extra_env):
        self.desk = harness.Desk(env=mail_env(self.sink, **extra_env))
        self.addCleanup(self.desk.close)
        desk = self.desk
        self.org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        self.customer_email = unique("alice-") + "@customer.example"
        self.customer_id, self.customer = desk.create_user("customer", self.org,
                                                           email=self.customer_email)
        self.agent_id, self.agent = desk.create_user("agent", tier="shift_engineer")
        return desk

    def case(self, number, token=None):
        status, _, body = self.desk.request("GET", "/api/v1/cases/%d" % number,
                                            token=token or self.agent)
        self.assertEqual(status, 200, body)
        return body

    def comments(self, number):
        return self.desk.list_all("/api/v1/cases/%d/comments" % number, self.agent)

    def mail_to(self, address):
        return lambda envelope, msg: address in envelope["rcpt_tos"]


class PipeAndSmtpTest(MailTestCase):
    def test_mail_opens_a_case_is_confirmed_and_replies_thread_both_ways(self):
        desk = self.start_desk()
        first = message(self.customer_email, DESK_ADDRESS, "Database down in eu-west",
                        "Our database cluster stopped answering at 09:12.\n\n-- \nAlice")
        result = ingest(desk, first)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"case_opened", result.stdout)
        number = int(result.stdout.split(b"(case ")[1].split(b")")[0])
        record = self.case(number)
        self.assertEqual(record["subject"], "Database down in eu-west")
        self.assertEqual(record["requester_id"], self.customer_id)
        self.assertEqual(record["severity"], 3)  # the default route
        self.assertNotIn("Alice", record["description"])  # the signature is not the problem

        # The confirmation: to the customer, threaded to their message, tagged, automatic.
        (envelope, confirmation), = self.sink.wait_for(self.mail_to(self.customer_email),
                                                      "confirming the case")
        self.assertIn("[Case #%d]" % number, confirmation["Subject"])
        self.assertEqual(confirmation["Auto-Submitted"], "auto-generated")
        original_id = first.split(b"Message-ID: ")[1].split(b"\n")[0].strip().decode()
        self.assertEqual(confirmation["In-Reply-To"], original_id)
        self.assertIn(DESK_ADDRESS, confirmation["From"])

        # Our own mail sent back to us (a forwarding loop) is recognised and never answered.
        result = ingest(desk, bytes(confirmation))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"automatic", result.stdout)

        # The customer answers that mail (quoting it): the reply lands in the case, quote-free.
        answer = message(self.customer_email, DESK_ADDRESS, "Re: " + confirmation["Subject"],
                         "It is back since 09:40.\n\nOn Monday, Support wrote:\n> Thanks\n",
                         in_reply_to=confirmation["Message-ID"])
        result = ingest(desk, answer)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"reply_added", result.stdout)
        bodies = [comment["body"] for comment in self.comments(number)]
        self.assertEqual(bodies, ["It is back since 09:40."])

        # An agent's public reply by the API reaches the customer threaded under the case.
        status, _, _ = desk.request("POST", "/api/v1/cases/%d/comments" % number,
                                    {"body": "Root cause: a full disk. Fixed."}, token=self.agent)
        self.assertEqual(status, 201)
        replies = self.sink.wait_for(
            lambda env, msg: self.customer_email in env["rcpt_tos"] and
            "Root cause" in body_text(msg), "with the agent's reply")
        self.assertIn("[Case #%d]" % number, replies[0][1]["Subject"])
        self.assertIn(confirmation["References"].split()[0], replies[0][1]["References"])

    def test_strangers_get_one_notice_and_automatic_mail_gets_none(self):
        desk = self.start_desk()
        stranger = unique("eve-") + "@elsewhere.example"
        for attempt in range(2):
            result = ingest(desk, message(stranger, DESK_ADDRESS, "Help %d" % attempt, "hello"))
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(b"rejected", result.stdout)
        robot = unique("robot-") + "@elsewhere.example"
        result = ingest(desk, message(robot, DESK_ADDRESS, "Out of office", "I am away",
                                      headers={"Auto-Submitted": "auto-replied"}))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"automatic", result.stdout)
        notices = self.sink.wait_for(self.mail_to(stranger), "for the stranger")
        time.sleep(1.5)  # room for a wrong second notice to arrive
        self.assertEqual(len([m for m in self.sink.messages() if stranger in m[0]["rcpt_tos"]]), 1)
        self.assertEqual(notices[0][1]["Auto-Submitted"], "auto-generated")
        self.assertEqual([m for m in self.sink.messages() if robot in m[0]["rcpt_tos"]], [])
        # Nothing is lost: every message is kept and listed.
        status, _, listed = desk.request("GET", "/api/v1/mail/inbound?limit=10",
                                         token=desk.admin_token)
        self.assertEqual(status, 200, listed)
        self.assertEqual(sorted(row["status"] for row in listed["items"]),
                         ["automatic", "rejected", "rejected"])

    def test_notifications_queued_while_smtp_is_down_are_all_delivered_once(self):
        desk = self.start_desk()
        self.sink.set_tempfail(True)
        numbers = [desk.create_case(self.customer, subject="Outage %d" % i)["number"]
                   for i in range(3)]
        wait_for(lambda: desk.request("GET", "/api/v1/mail/outbox?state=pending",
                                        token=desk.admin_token)[2]["items"] and
                   all(item["attempts"] >= 1 for item in desk.request(
                       "GET", "/api/v1/mail/outbox?state=pending",
                       token=desk.admin_token)[2]["items"]),
                   "the relay to refuse every notification once")
        self.assertEqual(self.sink.messages(), [])
        # A restart while the relay is down loses nothing either.
        desk.restart()
        self.sink.set_tempfail(False)
        for number in numbers:
            self.sink.wait_for(lambda env, msg, n=number: "[Case #%d]" % n in msg["Subject"],
                               "for case %d" % number, timeout=30)
        time.sleep(2)
        ids = [msg["Message-ID"] for _, msg in self.sink.messages()]
        self.assertEqual(len(ids), len(set(ids)), "a notification was delivered twice")
        self.assertEqual(len(ids), 3)

    def test_the_pipe_asks_the_mta_to_retry_when_the_desk_cannot_store(self):
        desk = self.start_desk()
        missing = os.path.join(self.root, "no-desk-here")
        result = ingest(desk, message(self.customer_email, DESK_ADDRESS, "x", "y"),
                        data_dir=missing)
        self.assertEqual(result.returncode, EX_TEMPFAIL, result.stderr)
        self.assertIn(b"will retry", result.stderr)

    def test_mail_parse_prints_the_decoded_message(self):
        corpus = os.path.join(harness.REPO, "test", "mail", "corpus")
        path = sorted(os.path.join(corpus, name) for name in os.listdir(corpus))[0]
        with open(path, "rb") as handle:
            raw = handle.read()
        result = subprocess.run([harness.BINARY, "mail", "parse"], input=raw,
                                capture_output=True, timeout=30)
        self.assertEqual(result.returncode, 0, result.stderr)
        parsed = json.loads(result.stdout)
        for key in ("from", "to", "cc", "subject", "date", "message_id", "in_reply_to",
                    "references", "text", "html", "reply", "attachments", "auto"):
            self.assertIn(key, parsed)
        bad = subprocess.run([harness.BINARY, "mail", "parse"], input=b"\x00\x01 not mail",
                             capture_output=True, timeout=30)
        self.assertNotEqual(bad.returncode, 0)


class LmtpAndImapTest(MailTestCase):
    def lmtp_port(self):
        def find():
            with open(self.desk.stdout_path) as out:
                for line in out:
                    if line.startswith("lmtp listening on port "):
                        return int(line.split()[-1])
            return None
        return wait_for(find, "the LMTP listener")

    def test_lmtp_delivers_to_routes_and_answers_per_recipient(self):
        desk = self.start_desk(CASEDESK_MAIL_LMTP_LISTEN="127.0.0.1:0")
        status, _, body = desk.request(
            "PUT", "/api/v1/mail/settings",
            {"routes": [{"address": "critical", "action": "open_case", "severity": 1}]},
            token=desk.admin_token)
        self.assertEqual(status, 200, body)
        raw = message(self.customer_email, "critical@desk.example", "Payments failing",
                      "Every card payment fails since 10:02.")
        with smtplib.LMTP("127.0.0.1", self.lmtp_port()) as lmtp:
            refused = lmtp.sendmail("bounces@customer.example", ["critical@desk.example"], raw)
        self.assertEqual(refused, {})
        cases = wait_for(lambda: [c for c in desk.list_all("/api/v1/cases", self.agent)
                                    if c["subject"] == "Payments failing"], "the LMTP case")
        self.assertEqual(cases[0]["severity"], 1)

    def test_imap_messages_become_cases_and_are_marked_only_once_stored(self):
        with mail_peers.DovecotServer(user="desk", password="imap-pass") as imap:
            desk = self.start_desk(CASEDESK_MAIL_IMAP_URL=imap.url("INBOX"),
                                   CASEDESK_MAIL_IMAP_USERNAME="desk",
                                   CASEDESK_MAIL_IMAP_PASSWORD="imap-pass",
                                   CASEDESK_MAIL_IMAP_INTERVAL_SECONDS="1")
            imap.append(message(self.customer_email, DESK_ADDRESS, "VPN drops hourly",
                                "The tunnel drops every hour on the hour."))
            cases = wait_for(lambda: [c for c in desk.list_all("/api/v1/cases", self.agent)
                                        if c["subject"] == "VPN drops hourly"], "the IMAP case")
            self.assertEqual(cases[0]["requester_id"], self.customer_id)
            wait_for(lambda: all("\\Seen" in m["flags"] for m in imap.messages("INBOX")),
                       "the message to be marked seen")
            with open(desk.stderr_path) as log:
                self.assertNotIn("imap-pass", log.read())

    def test_two_nodes_take_turns_on_one_mailbox_and_take_each_message_once(self):
        with mail_peers.DovecotServer(user="desk", password="imap-pass") as imap:
            imap_env = dict(CASEDESK_MAIL_IMAP_URL=imap.url("INBOX"),
                            CASEDESK_MAIL_IMAP_USERNAME="desk",
                            CASEDESK_MAIL_IMAP_PASSWORD="imap-pass",
                            CASEDESK_MAIL_IMAP_INTERVAL_SECONDS="1")
            first = self.start_desk(**imap_env)
            second = harness.Desk(env=mail_env(self.sink, **imap_env), data_dir=first.data_dir,
                                  init=False)
            self.addCleanup(second.close)
            subjects = ["Printer jam %d" % i for i in range(6)]
            for subject in subjects:
                imap.append(message(self.customer_email, DESK_ADDRESS, subject, "Tray 2 again."))
            wait_for(lambda: sorted(c["subject"] for c in first.list_all("/api/v1/cases",
                                                                        self.agent)
                                    if c["subject"].startswith("Printer jam")) == subjects,
                     "a case for every message")
            wait_for(lambda: all("\\Seen" in m["flags"] for m in imap.messages("INBOX")),
                     "every message marked seen")
            time.sleep(2)  # a node polling behind the other's back would fetch them again
            status, _, inbound = first.request("GET", "/api/v1/mail/inbound?limit=50",
                                               token=first.admin_token)
            self.assertEqual(status, 200, inbound)
            self.assertEqual(len(inbound["items"]), len(subjects), inbound)

            def fetched(node):
                with open(node.stderr_path) as log:
                    return "fetched" in log.read()
            pollers = [node for node in (first, second) if fetched(node)]
            self.assertEqual(len(pollers), 1, "both nodes polled the mailbox")
            # The polling node stops and gives the mailbox up: the other takes over at once.
            other = second if pollers[0] is first else first
            pollers[0].stop()
            imap.append(message(self.customer_email, DESK_ADDRESS, "Scanner offline", "Again."))
            wait_for(lambda: [c for c in other.list_all("/api/v1/cases", self.agent)
                              if c["subject"] == "Scanner offline"],
                     "the other node to poll the mailbox", timeout=10)


if __name__ == "__main__":
    unittest.main()

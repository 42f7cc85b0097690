"""The staff console's live updates through the real binary (issue 5, and issue 8's signals
between nodes on PostgreSQL: case changes, presence, and a revoked token refused at once by
every node):
a case page's Server-Sent Events stream hears when its case
changes (and not when another does), a queue stream hears when any case changes, presence
heartbeats tell the other agents on a case who is viewing or typing, and nobody but provider
staff gets a stream. Streams are read from raw sockets, as a browser's EventSource would."""

import os
import re
import socket
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF_FIELD = re.compile(rb'name="csrf_token" value="([0-9a-f]+)"')


class EventStream:
    """An open text/event-stream response: events as (name, data) in arrival order."""

    def __init__(self, desk, path, cookie):
        self.socket = socket.create_connection((desk.host, desk.port), timeout=10)
        self.socket.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n"
                             "Cookie: casedesk_session=%s\r\n\r\n"
                             % (path, desk.host, cookie)).encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n", time.monotonic() + 10)
        self.status = int(head.split(b" ", 2)[1])
        self.headers = head.decode("latin-1").lower()
        self.text = ""

    def _read_until(self, marker, deadline):
        while marker not in self.buffer:
            self.socket.settimeout(max(0.05, deadline - time.monotonic()))
            chunk = self.socket.recv(65536)
            if not chunk:
                raise EOFError("stream closed")
            self.buffer += chunk
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _decode_chunks(self):
        # Chunked transfer encoding: "<hex size>\r\n<data>\r\n".
        while True:
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            size = int(self.buffer[:line_end], 16)
            if len(self.buffer) < line_end + 2 + size + 2:
                return
            self.text += self.buffer[line_end + 2:line_end + 2 + size].decode()
            self.buffer = self.buffer[line_end + 2 + size + 2:]
            if size == 0:
                return

    def next_event(self, timeout=5.0):
        """The next (name, data) event, skipping comments and the retry line; None on timeout."""
        deadline = time.monotonic() + timeout
        self._decode_chunks()  # what arrived along with the headers or an earlier event
        while True:
            while "\n\n" in self.text:
                block, self.text = self.text.split("\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.split("\n")
                              if ": " in line and not line.startswith(":"))
                if "event" in fields:
                    return fields["event"], fields.get("data", "")
            if time.monotonic() >= deadline:
                return None
            self.socket.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = self.socket.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise EOFError("stream closed")
            self.buffer += chunk
            self._decode_chunks()

    def wait_for(self, name, predicate=lambda data: True, timeout=8.0):
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            event = self.next_event(deadline - time.monotonic())
            if event is None:
                break
            seen.append(event)
            if event[0] == name and predicate(event[1]):
                return event[1]
        raise AssertionError("no %s event within %.0f s; saw %r" % (name, timeout, seen))

    def close(self):
        self.socket.close()


def sign_in_on(desk, email):
    """The session cookie of `email` (who has the admin's password) signed in on `desk`."""
    status, headers, body = desk.request(
        "POST", "/login", headers=FORM,
        raw_body=urllib.parse.urlencode({"email": email, "password": harness.ADMIN_PASSWORD}))
    assert status == 303, (email, status, body)
    return re.match(r"casedesk_session=([^;]+);", headers["set-cookie"]).group(1)


def send_presence(desk, cookie, number, state, csrf=None):
    """A case page's presence heartbeat, with the CSRF token of that page unless one is given."""
    if csrf is None:
        status, _, page = desk.request("GET", "/console/cases/%d" % number,
                                       headers={"Cookie": "casedesk_session=%s" % cookie})
        assert status == 200, status
        csrf = CSRF_FIELD.search(page).group(1).decode()
    return desk.request(
        "POST", "/console/cases/%d/presence" % number,
        headers=dict(FORM, Cookie="casedesk_session=%s" % cookie),
        raw_body=urllib.parse.urlencode({"csrf_token": csrf, "state": state}))


class ConsoleLiveTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        desk = cls.desk
        try:
            cls.org = desk.create_org(harness.unique("Initech "), "customer", plan="enterprise")
            cls.customer_id, cls.customer = desk.create_user("customer", org_id=cls.org)
            cls.agent_email = harness.unique("sam-") + "@provider.example"
            desk.create_user("agent", email=cls.agent_email, name="Sam Agent", token=False)
            harness.give_admin_password(desk, cls.agent_email)
            cls.admin_cookie = cls.sign_in(harness.ADMIN_EMAIL)
            cls.agent_cookie = cls.sign_in(cls.agent_email)
            customer_email = harness.unique("cust-") + "@initech.example"
            desk.create_user("customer", org_id=cls.org, email=customer_email, token=False)
            harness.give_admin_password(desk, customer_email)
            cls.customer_cookie = cls.sign_in(customer_email)
        except Exception:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    @classmethod
    def sign_in(cls, email):
        return sign_in_on(cls.desk, email)

    def stream(self, path, cookie=None):
        events = EventStream(self.desk, path, cookie or self.admin_cookie)
        self.addCleanup(events.close)
        return events

    def open_case(self):
        return self.desk.create_case(self.customer, severity=3,
                                     subject=harness.unique("Fax "))["number"]

    def customer_reply(self, number):
        status, _, body = self.desk.request("POST", "/api/v1/cases/%d/comments" % number,
                                            body={"body": "Any news?"}, token=self.customer)
        self.assertEqual(status, 201, body)

    def presence(self, cookie, number, state, csrf=None):
        return send_presence(self.desk, cookie, number, state, csrf)

    def test_a_case_stream_hears_its_case_change_and_not_others(self):
        watched, other = self.open_case(), self.open_case()
        events = self.stream("/console/cases/%d/events" % watched)
        self.assertEqual(events.status, 200)
        self.assertIn("content-type: text/event-stream", events.headers)
        self.assertIn("transfer-encoding: chunked", events.headers)
        # On opening, who else is there (nobody yet).
        self.assertEqual(events.wait_for("presence"), '{"others":[]}')
        self.customer_reply(other)
        self.customer_reply(watched)
        # The first case event names the watched case: the other case's change sent nothing.
        self.assertEqual(events.wait_for("case"), str(watched))

    def test_a_queue_stream_hears_new_cases(self):
        events = self.stream("/console/events")
        self.assertEqual(events.status, 200)
        started = time.monotonic()
        self.open_case()
        self.assertEqual(events.wait_for("queue"), "changed")
        self.assertLess(time.monotonic() - started, 5.0)

    def test_presence_tells_other_agents_who_is_viewing_and_typing(self):
        number = self.open_case()
        sams_view = self.stream("/console/cases/%d/events" % number, self.agent_cookie)
        self.assertEqual(sams_view.wait_for("presence"), '{"others":[]}')
        self.assertEqual(self.presence(self.admin_cookie, number, "viewing")[0], 204)
        seen = sams_view.wait_for("presence", lambda data: "viewing" in data)
        self.assertIn('"state":"viewing"', seen)
        self.assertEqual(self.presence(self.admin_cookie, number, "typing")[0], 204)
        self.assertIn('"state":"typing"', sams_view.wait_for("presence", lambda d: "typing" in d))
        # The admin's own stream lists Sam once Sam says so, never the admin.
        admins_view = self.stream("/console/cases/%d/events" % number)
        self.assertEqual(admins_view.wait_for("presence"), '{"others":[]}')
        self.assertEqual(self.presence(self.agent_cookie, number, "viewing")[0], 204)
        self.assertIn("Sam Agent", admins_view.wait_for("presence", lambda d: "Sam" in d))
        self.assertEqual(self.presence(self.admin_cookie, number, "left")[0], 204)
        self.assertEqual(sams_view.wait_for("presence", lambda d: "typing" not in d),
                         '{"others":[]}')

    def test_only_staff_get_streams_and_presence_is_checked(self):
        number = self.open_case()
        for path in ("/console/events", "/console/cases/%d/events" % number):
            status, _, _ = self.desk.request(
                "GET", path, headers={"Cookie": "casedesk_session=%s" % self.customer_cookie})
            self.assertEqual(status, 404, path)
            self.assertIn(self.desk.request("GET", path)[0], (303, 404), path)
        status, _, _ = self.desk.request(
            "GET", "/console/cases/99999999/events",
            headers={"Cookie": "casedesk_session=%s" % self.admin_cookie})
        self.assertEqual(status, 404)
        status, _, body = self.presence(self.admin_cookie, number, "dancing")
        self.assertEqual(status, 400)
        self.assertIn("state:", body["detail"])
        self.assertEqual(self.presence(self.admin_cookie, number, "viewing", csrf="0" * 64)[0], 403)
        self.assertEqual(self.presence(self.admin_cookie, 99999999, "viewing",
                                       csrf=self.csrf_of_any_case(number))[0], 404)

    def csrf_of_any_case(self, number):
        status, _, page = self.desk.request(
            "GET", "/console/cases/%d" % number,
            headers={"Cookie": "casedesk_session=%s" % self.admin_cookie})
        self.assertEqual(status, 200)
        return CSRF_FIELD.search(page).group(1).decode()


@unittest.skipUnless(harness.STORE == "postgres", "several nodes share a PostgreSQL store")
class TwoNodesTest(unittest.TestCase):
    def test_a_stream_on_one_node_hears_a_change_made_on_another(self):
        with harness.Desk() as first:
            org = first.create_org(harness.unique("Umbrella "), "customer", plan="enterprise")
            _, customer = first.create_user("customer", org_id=org)
            number = first.create_case(customer, subject=harness.unique("VPN "))["number"]
            with harness.Desk(data_dir=first.data_dir, init=False) as second:
                cookie = sign_in_on(second, harness.ADMIN_EMAIL)
                events = EventStream(second, "/console/cases/%d/events" % number, cookie)
                queue = EventStream(second, "/console/events", cookie)
                try:
                    self.assertEqual(events.wait_for("presence"), '{"others":[]}')
                    status, _, body = first.request(
                        "POST", "/api/v1/cases/%d/comments" % number,
                        body={"body": "Written on the first node"}, token=customer)
                    self.assertEqual(status, 201, body)
                    self.assertEqual(events.wait_for("case"), str(number))
                    self.assertEqual(queue.wait_for("queue"), "changed")
                finally:
                    events.close()
                    queue.close()


    def test_presence_on_one_node_reaches_a_case_page_on_another(self):
        with harness.Desk() as first:
            org = first.create_org(harness.unique("Initech "), "customer", plan="enterprise")
            _, customer = first.create_user("customer", org_id=org)
            number = first.create_case(customer, subject=harness.unique("TPS "))["number"]
            sam_email = harness.unique("sam-") + "@provider.example"
            first.create_user("agent", email=sam_email, name="Sam Agent", token=False)
            harness.give_admin_password(first, sam_email)
            with harness.Desk(data_dir=first.data_dir, init=False) as second:
                admin = sign_in_on(second, harness.ADMIN_EMAIL)
                sam = sign_in_on(first, sam_email)
                events = EventStream(second, "/console/cases/%d/events" % number, admin)
                try:
                    self.assertEqual(events.wait_for("presence"), '{"others":[]}')
                    self.assertEqual(send_presence(first, sam, number, "typing")[0], 204)
                    seen = events.wait_for("presence", lambda data: "Sam" in data)
                    self.assertIn('"name":"Sam Agent","state":"typing"', seen)
                    self.assertEqual(send_presence(first, sam, number, "left")[0], 204)
                    self.assertEqual(events.wait_for("presence"), '{"others":[]}')
                finally:
                    events.close()

    def test_a_token_revoked_on_one_node_stops_at_once_on_another(self):
        with harness.Desk() as first:
            email = harness.unique("bot-") + "@provider.example"
            _, token = first.create_user("agent", email=email)
            with harness.Desk(data_dir=first.data_dir, init=False) as second:
                self.assertEqual(second.request("GET", "/api/v1/users/me", token=token)[0], 200)
                status, _, me = first.request("GET", "/api/v1/users/me", token=token)
                status, _, listed = first.admin("GET", "/api/v1/users/%d/tokens" % me["id"])
                token_id = listed["items"][0]["id"]
                # The second node has just cached the caller (its cache keeps callers 5 s).
                self.assertEqual(second.request("GET", "/api/v1/users/me", token=token)[0], 200)
                revoked_at = time.monotonic()
                self.assertEqual(first.admin("DELETE", "/api/v1/tokens/%d" % token_id)[0], 200)
                harness.wait_for(
                    lambda: second.request("GET", "/api/v1/users/me", token=token)[0] == 401,
                    "the revoked token refused by the second node", timeout=10)
                self.assertLess(time.monotonic() - revoked_at, 2.5,
                                "the second node noticed only when its cache expired")


    def test_a_case_changed_on_one_node_is_read_changed_on_another(self):
        with harness.Desk() as first:
            org = first.create_org(harness.unique("Initrode "), "customer", plan="enterprise")
            _, customer = first.create_user("customer", org_id=org)
            number = first.create_case(customer, subject=harness.unique("Jam "))["number"]
            path = "/api/v1/cases/%d" % number
            with harness.Desk(data_dir=first.data_dir, init=False) as second:
                def status_on(node):
                    code, _, case = node.request("GET", path, token=first.admin_token)
                    self.assertEqual(code, 200, case)
                    return case["status"]

                # Each node reads the case until it serves it from its case cache.
                for node in (first, second):
                    harness.wait_for(lambda node=node: (status_on(node),
                                                        case_cache_hits(node))[1] > 0,
                                     "the node's case cache serving the case", timeout=10)
                    self.assertEqual(status_on(node), "new")
                changed_at = time.monotonic()
                code, _, changed = first.admin("PATCH", path, {"status": "open"})
                self.assertEqual(code, 200, changed)
                # The node that made the change reads it at once; the other once it hears of it.
                self.assertEqual(status_on(first), "open")
                harness.wait_for(lambda: status_on(second) == "open",
                                 "the change read on the second node", timeout=10)
                self.assertLess(time.monotonic() - changed_at, 2.5,
                                "the second node noticed only when its copy expired")


def case_cache_hits(desk):
    """How many case reads DESK's case cache has served so far (its /metrics)."""
    _, _, text = desk.request("GET", "/metrics")
    text = text if isinstance(text, str) else text.decode()
    found = re.search(r"^casedesk_store_case_cache_hits_total (\d+)$", text, re.M)
    return int(found.group(1)) if found else 0


class ShutdownTest(unittest.TestCase):
    def test_sigterm_ends_open_streams_promptly(self):
        with harness.Desk() as desk:
            status, headers, _ = desk.request(
                "POST", "/login", headers=FORM, raw_body=urllib.parse.urlencode(
                    {"email": harness.ADMIN_EMAIL, "password": harness.ADMIN_PASSWORD}))
            self.assertEqual(status, 303)
            cookie = re.match(r"casedesk_session=([^;]+);", headers["set-cookie"]).group(1)
            events = EventStream(desk, "/console/events", cookie)
            self.assertEqual(events.status, 200)
            started = time.monotonic()
            desk.stop()
            self.assertLess(time.monotonic() - started, 5.0, desk.log_tail())
            events.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)

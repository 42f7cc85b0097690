"""The public status page through the real binary: an incident's life from investigating to
resolved with the customer cases it caused kept up to date, a maintenance window that starts and
ends by itself, subscribers (verified users, a visitor with double opt-in) receiving notices at a
real SMTP server with none lost across an SMTP outage and one-click unsubscribe, and the
Statuspage-compatible v2 documents checked field by field."""

import gzip
import hashlib
import hmac
import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, unique, wait_for  # noqa: E402
from mail_peers import SmtpSink, body_text  # noqa: E402

DESK_ADDRESS = "status@desk.example"

# Statuspage's public v2 format (https://<page>/api/v2): the keys of each object, in order.
PAGE_KEYS = ["id", "name", "url", "time_zone", "updated_at"]
STATUS_KEYS = ["indicator", "description"]
COMPONENT_KEYS = ["id", "name", "status", "created_at", "updated_at", "position", "description",
                  "showcase", "start_date", "group_id", "page_id", "group",
                  "only_show_if_degraded"]
INCIDENT_KEYS = ["id", "name", "status", "created_at", "updated_at", "monitoring_at",
                 "resolved_at", "impact", "shortlink", "started_at", "page_id",
                 "incident_updates", "components"]
UPDATE_KEYS = ["id", "status", "body", "incident_id", "created_at", "updated_at", "display_at",
               "affected_components", "deliver_notifications", "custom_tweet", "tweet_id"]
COMPONENT_STATUSES = {"operational", "degraded_performance", "partial_outage", "major_outage",
                      "under_maintenance"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$")
ORACLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared",
                      "oracles", "statuspage", "FIELDS.json")


class StatusPageTestCase(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="casedesk-status-")
        self.addCleanup(shutil.rmtree, self.root, True)

    def start_desk(self, env=None):
        self.desk = harness.Desk(env=env or {})
        self.addCleanup(self.desk.close)
        return self.desk

    def create_component(self, name, group=None, **fields):
        body = {"name": name}
        if group:
            body["group"] = group
        body.update(fields)
        status, _, component = self.desk.admin("POST", "/api/v1/status/components", body)
        self.assertEqual(status, 201, component)
        return component

    def v2(self, document):
        status, headers, body = self.desk.request("GET", "/api/v2/" + document)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("access-control-allow-origin"), "*")
        return body

    def fresh_v2(self, document, predicate, what):
        """The v2 document once `predicate` holds (the page cache follows changes at once on
        this node; other nodes within a second)."""
        return wait_for(lambda: (lambda body: body if predicate(body) else None)(
            self.v2(document)), what, timeout=10)


class IncidentLifeTest(StatusPageTestCase):
    def test_incident_from_investigating_to_resolved_moves_its_components_and_cases(self):
        desk = self.start_desk()
        api = self.create_component("API", group="EU West")
        dashboard = self.create_component("Dashboard", group="EU West")
        self.assertEqual(api["group_id"], dashboard["group_id"])
        org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        _, customer = desk.create_user("customer", org)
        _, agent = desk.create_user("agent", tier="shift_engineer")
        earlier = desk.create_case(customer, subject="API returns 502")

        status, _, incident = desk.request("POST", "/api/v1/status/incidents", {
            "name": "Elevated API errors", "status": "investigating", "impact": "major",
            "body": "We are investigating elevated error rates on the API.",
            "component_ids": [api["id"]], "component_status": "partial_outage"}, token=agent)
        self.assertEqual(status, 201, incident)
        incident_id = incident["id"]
        self.assertEqual(incident["updates"][0]["affected_components"], [
            {"component_id": api["id"], "name": "API", "old_status": "operational",
             "new_status": "partial_outage"}])

        # A case linked by hand, and one linked because its component is affected.
        status, _, linked = desk.request("POST", "/api/v1/status/incidents/%d/cases" % incident_id,
                                         {"case_number": earlier["number"]}, token=agent)
        self.assertEqual(status, 200, linked)
        later = desk.create_case(customer, subject="Cannot reach the API", component="api")
        status, _, view = desk.request("GET", "/api/v1/status/incidents/%d" % incident_id,
                                       token=agent)
        self.assertEqual(sorted(view["case_numbers"]), sorted([earlier["number"],
                                                               later["number"]]))

        summary = self.fresh_v2("summary.json",
                                lambda body: body["incidents"], "the incident on summary.json")
        self.assertEqual(summary["status"]["indicator"], "major")
        self.assertEqual(summary["incidents"][0]["name"], "Elevated API errors")
        statuses = {c["name"]: c["status"] for c in summary["components"]}
        self.assertEqual(statuses, {"EU West": "partial_outage", "API": "partial_outage",
                                    "Dashboard": "operational"})

        # One action updates every linked case with a public reply.
        status, _, _ = desk.request("POST", "/api/v1/status/incidents/%d/updates" % incident_id, {
            "status": "identified", "body": "A faulty load balancer was identified.",
            "linked_cases": "update"}, token=agent)
        self.assertEqual(status, 201)
        for case in (earlier, later):
            comments = desk.list_all("/api/v1/cases/%d/comments" % case["number"], customer)
            self.assertIn("A faulty load balancer was identified.",
                          [c["body"] for c in comments])

        status, _, _ = desk.request("POST", "/api/v1/status/incidents/%d/updates" % incident_id, {
            "status": "monitoring", "body": "A fix is deployed; we are monitoring."},
            token=agent)
        self.assertEqual(status, 201)
        status, _, resolved = desk.request(
            "POST", "/api/v1/status/incidents/%d/updates" % incident_id,
            {"status": "resolved", "body": "Error rates are back to normal.",
             "linked_cases": "solve"}, token=agent)
        self.assertEqual(status, 201, resolved)
        self.assertEqual([u["status"] for u in resolved["updates"]],
                         ["resolved", "monitoring", "identified", "investigating"])
        self.assertIsNotNone(resolved["monitoring_at"])
        self.assertIsNotNone(resolved["resolved_at"])
        # Resolving returned the component to operational by itself.
        self.assertEqual(resolved["updates"][0]["affected_components"], [
            {"component_id": api["id"], "name": "API", "old_status": "partial_outage",
             "new_status": "operational"}])
        for case in (earlier, later):
            status, _, record = desk.request("GET", "/api/v1/cases/%d" % case["number"],
                                             token=customer)
            self.assertEqual(record["status"], "solved", record)

        summary = self.fresh_v2("summary.json", lambda body: not body["incidents"],
                                "the resolved incident to leave summary.json")
        self.assertEqual(summary["status"], {"indicator": "none",
                                             "description": "All Systems Operational"})
        incidents = self.v2("incidents.json")["incidents"]
        self.assertEqual(incidents[0]["status"], "resolved")
        self.assertEqual(len(incidents[0]["incident_updates"]), 4)
        self.assertEqual(self.v2("incidents/unresolved.json")["incidents"], [])

        # Every step is in the incident's audit trail, with who did it.
        status, _, trail = desk.request("GET", "/api/v1/status/incidents/%d/events" % incident_id,
                                        token=agent)
        self.assertEqual(status, 200, trail)
        kinds = [event["kind"] for event in trail["items"]]
        self.assertEqual(kinds[0], "status_incident.created")
        self.assertEqual(kinds.count("status.update_posted"), 4, kinds)
        assert_problem(self, desk.request("GET", "/api/v1/status/incidents/%d/events" %
                                          incident_id, token=customer), 404)

        # The public incident page and the feeds carry the timeline; no login needed.
        status, headers, page = desk.request("GET", "/status/incidents/%d" % incident_id)
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["content-type"])
        for text in (b"Elevated API errors", b"Error rates are back to normal.",
                     b"A faulty load balancer was identified."):
            self.assertIn(text, page)
        status, headers, atom = desk.request("GET", "/status/history.atom")
        self.assertEqual(status, 200)
        self.assertIn("application/atom+xml", headers["content-type"])
        self.assertIn(b"Elevated API errors", atom)

    def test_staff_only_and_bad_input_is_refused_clearly(self):
        desk = self.start_desk()
        org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        _, customer = desk.create_user("customer", org)
        component = self.create_component("Storage")
        # Customers do not see the admin API at all.
        assert_problem(self, desk.request("GET", "/api/v1/status/incidents", token=customer), 404)
        assert_problem(self, desk.request("POST", "/api/v1/status/incidents",
                                          {"name": "x"}, token=customer), 404)
        assert_problem(self, desk.request("GET", "/api/v1/status/components"), 401)
        bad = [
            ({"name": "x", "status": "exploded"}, "status"),
            ({"name": "x", "impact": "maintenance"}, "impact"),
            ({"name": "", "status": "investigating"}, "name"),
            ({"name": "x", "component_ids": [999999]}, "component_ids"),
            ({"name": "x", "component_ids": "all"}, "component_ids"),
            ({"name": "x", "status": "in_progress"}, "status"),
            ({"name": "x", "colour": "red"}, "colour"),
        ]
        for body, field in bad:
            problem = assert_problem(self, desk.admin("POST", "/api/v1/status/incidents", body),
                                     400)
            self.assertIn(field, problem["detail"], body)
        problem = assert_problem(self, desk.admin("POST", "/api/v1/status/maintenances", {
            "name": "No window", "component_ids": [component["id"]]}), 400)
        self.assertIn("scheduled_for", problem["detail"])
        assert_problem(self, desk.admin("POST", "/api/v1/status/incidents/424242/updates",
                                        {"status": "resolved"}), 404)
        assert_problem(self, desk.admin("POST", "/api/v1/status/components",
                                        {"name": "Storage"}), 409)
        status, _, _ = desk.request("POST", "/api/v1/status/components", raw_body=b"{not json",
                                    token=desk.admin_token,
                                    headers={"Content-Type": "application/json"})
        self.assertEqual(status, 400)
        # An incident is not reachable as maintenance and the other way round.
        status, _, incident = desk.admin("POST", "/api/v1/status/incidents",
                                         {"name": "Blip", "body": "Short blip."})
        self.assertEqual(status, 201)
        assert_problem(self, desk.admin("GET", "/api/v1/status/maintenances/%d" %
                                        incident["id"]), 404)


class MaintenanceTest(StatusPageTestCase):
    def test_a_maintenance_window_starts_and_ends_by_itself(self):
        desk = self.start_desk()
        database = self.create_component("Database", group="US East")
        now = time.time()
        status, _, maintenance = desk.admin("POST", "/api/v1/status/maintenances", {
            "name": "Database upgrade", "body": "We will upgrade the database cluster.",
            "component_ids": [database["id"]], "scheduled_for": harness.rfc3339(now + 3),
            "scheduled_until": harness.rfc3339(now + 7)})
        self.assertEqual(status, 201, maintenance)
        self.assertEqual(maintenance["status"], "scheduled")
        self.assertEqual(maintenance["impact"], "maintenance")
        path = "/api/v1/status/maintenances/%d" % maintenance["id"]
        upcoming = self.fresh_v2("scheduled-maintenances/upcoming.json",
                                 lambda body: body["scheduled_maintenances"], "upcoming")
        self.assertEqual(upcoming["scheduled_maintenances"][0]["status"], "scheduled")
        self.assertEqual(self.v2("scheduled-maintenances/active.json")["scheduled_maintenances"],
                         [])

        def status_is(wanted):
            _, _, body = desk.admin("GET", path)
            return body if body["status"] == wanted else None

        started = wait_for(lambda: status_is("in_progress"), "the window to start", timeout=20)
        self.assertEqual(started["updates"][0]["affected_components"][0]["new_status"],
                         "under_maintenance")
        active = self.fresh_v2("scheduled-maintenances/active.json",
                               lambda body: body["scheduled_maintenances"], "active")
        self.assertEqual(active["scheduled_maintenances"][0]["name"], "Database upgrade")
        summary = self.v2("summary.json")
        self.assertEqual(summary["status"]["indicator"], "maintenance")
        self.assertEqual({c["name"]: c["status"] for c in summary["components"]}["Database"],
                         "under_maintenance")

        completed = wait_for(lambda: status_is("completed"), "the window to end", timeout=20)
        self.assertEqual([u["status"] for u in completed["updates"]],
                         ["completed", "in_progress", "scheduled"])
        self.assertEqual(completed["updates"][0]["affected_components"][0]["new_status"],
                         "operational")
        summary = self.fresh_v2("summary.json", lambda body: not body["scheduled_maintenances"],
                                "the completed maintenance to leave summary.json")
        self.assertEqual(summary["status"]["indicator"], "none")

    def test_a_window_that_passed_while_the_desk_was_down_completes_on_start(self):
        desk = self.start_desk()
        component = self.create_component("Backups")
        now = time.time()
        status, _, maintenance = desk.admin("POST", "/api/v1/status/maintenances", {
            "name": "Backup migration", "component_ids": [component["id"]],
            "scheduled_for": harness.rfc3339(now + 2), "scheduled_until": harness.rfc3339(now + 3)})
        self.assertEqual(status, 201, maintenance)
        desk.kill9()
        time.sleep(4)
        desk.start()
        path = "/api/v1/status/maintenances/%d" % maintenance["id"]
        done = wait_for(lambda: (lambda body: body if body["status"] == "completed" else None)(
            desk.admin("GET", path)[2]), "the missed window to complete", timeout=20)
        # Each transition was written exactly once.
        self.assertEqual([u["status"] for u in done["updates"]], ["completed", "scheduled"])


class SubscriberTest(StatusPageTestCase):
    def setUp(self):
        super().setUp()
        self.sink = SmtpSink(os.path.join(self.root, "sink"))
        self.addCleanup(self.sink.close)

    def notices(self, incident_name):
        return [(envelope, message) for envelope, message in self.sink.messages()
                if incident_name in (message["Subject"] or "")]

    def test_subscribers_get_every_notice_once_across_an_smtp_outage(self):
        desk = self.start_desk({"CASEDESK_SMTP_URL": self.sink.url,
                                "CASEDESK_SMTP_FROM": "Status <%s>" % DESK_ADDRESS,
                                "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        network = self.create_component("Network", group="EU West")
        storage = self.create_component("Storage", group="EU West")
        org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        customer_email = unique("carol-") + "@customer.example"
        desk.create_user("customer", org, email=customer_email)
        quiet_email = unique("quiet-") + "@customer.example"
        _, quiet = desk.create_user("customer", org, email=quiet_email)
        narrow_email = unique("narrow-") + "@customer.example"
        _, narrow = desk.create_user("customer", org, email=narrow_email)
        unverified_email = unique("unverified-") + "@customer.example"
        desk.create_user("customer", org, email=unverified_email, verified=False, token=False)

        # Users opt out, or narrow to one component.
        status, _, mine = desk.request("PUT", "/api/v1/status/subscription",
                                       {"subscribed": False}, token=quiet)
        self.assertEqual((status, mine["subscribed"]), (200, False), mine)
        status, _, mine = desk.request("PUT", "/api/v1/status/subscription",
                                       {"subscribed": True, "component_ids": [storage["id"]]},
                                       token=narrow)
        self.assertEqual(status, 200, mine)

        # A visitor subscribes with the public form and confirms from the mail.
        visitor = unique("visitor-") + "@elsewhere.example"
        status, _, page = desk.request(
            "POST", "/status/subscribe",
            raw_body=urllib.parse.urlencode({"email": visitor}),
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200, page)
        self.assertIn(b"Check your inbox", page)
        _, confirmation = self.sink.wait_for(
            lambda envelope, message: visitor in envelope["rcpt_tos"], "confirmation")[0]
        link = re.search(r"(http://\S+/status/confirm\?token=\S+)", body_text(confirmation))
        self.assertIsNotNone(link, body_text(confirmation))
        confirm_path = urllib.parse.urlsplit(link.group(1))
        status, _, page = desk.request("GET", confirm_path.path + "?" + confirm_path.query)
        self.assertEqual(status, 200, page)
        self.assertIn(b"confirmed", page)
        forged = confirm_path.query[:-4] + "0000"
        self.assertEqual(desk.request("GET", "/status/confirm?" + forged)[0], 404)

        # SMTP goes down while the incident is announced: nothing is lost, nothing doubled.
        self.sink.set_tempfail(True)
        status, _, incident = desk.admin("POST", "/api/v1/status/incidents", {
            "name": "Network degraded", "status": "investigating", "impact": "minor",
            "body": "Packet loss in EU West.", "component_ids": [network["id"]],
            "component_status": "degraded_performance"})
        self.assertEqual(status, 201, incident)
        time.sleep(3)
        self.assertEqual(self.notices("Network degraded"), [])
        self.sink.set_tempfail(False)
        expected = {customer_email, visitor, harness.ADMIN_EMAIL}
        wait_for(lambda: {e["rcpt_tos"][0] for e, _ in self.notices("Network degraded")} >=
                 expected, "every subscriber's notice", timeout=30)
        time.sleep(2)  # anything doubled would arrive meanwhile
        received = [envelope["rcpt_tos"][0] for envelope, _ in self.notices("Network degraded")]
        self.assertEqual(sorted(received), sorted(set(received)), "a notice arrived twice")
        self.assertEqual(set(received), expected,
                         "opted-out, narrowed-away and unverified users get nothing")

        notice = [m for e, m in self.notices("Network degraded") if e["rcpt_tos"] == [visitor]][0]
        self.assertIn("Packet loss in EU West.", body_text(notice))
        self.assertEqual(notice["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        unsubscribe = re.match(r"<(http://[^>]+)>", notice["List-Unsubscribe"]).group(1)

        # One-click unsubscribe, as a mail client sends it (RFC 8058).
        parts = urllib.parse.urlsplit(unsubscribe)
        status, _, _ = desk.request("POST", parts.path + "?" + parts.query,
                                    raw_body="List-Unsubscribe=One-Click",
                                    headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 200)
        status, _, _ = desk.admin("POST", "/api/v1/status/incidents/%d/updates" % incident["id"], {
            "status": "resolved", "body": "Packet loss has stopped."})
        self.assertEqual(status, 201)
        wait_for(lambda: len(self.notices("Network degraded")) >= 5,
                 "the resolution notices", timeout=30)
        time.sleep(2)
        resolved_to = sorted(e["rcpt_tos"][0] for e, m in self.notices("Network degraded")
                             if "Resolved" in m["Subject"])
        self.assertEqual(resolved_to, sorted({customer_email, harness.ADMIN_EMAIL}))

        # The storage incident reaches the narrowed user as well.
        status, _, _ = desk.admin("POST", "/api/v1/status/incidents", {
            "name": "Storage slow", "component_ids": [storage["id"]],
            "component_status": "degraded_performance"})
        self.assertEqual(status, 201)
        wait_for(lambda: narrow_email in {e["rcpt_tos"][0] for e, _ in
                                          self.notices("Storage slow")},
                 "the narrowed user's storage notice", timeout=30)


class WebhookReceiver:
    """An HTTP server on 127.0.0.1 recording every POST (path, headers, body)."""

    def __init__(self):
        self.received = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append((self.path, dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d/hooks/status" % self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class WebhookTest(StatusPageTestCase):
    def test_webhook_subscribers_receive_signed_deliveries(self):
        receiver = WebhookReceiver()
        self.addCleanup(receiver.close)
        desk = self.start_desk()  # no SMTP: webhooks need none
        component = self.create_component("API")
        other = self.create_component("Billing")
        status, _, hook = desk.admin("POST", "/api/v1/status/webhooks",
                                     {"url": receiver.url, "component_ids": [component["id"]]})
        self.assertEqual(status, 201, hook)
        secret = hook["secret"]
        self.assertEqual(len(secret), 64)
        assert_problem(self, desk.admin("POST", "/api/v1/status/webhooks",
                                        {"url": "http://example.com/hook"}), 400)
        status, _, listed = desk.admin("GET", "/api/v1/status/subscribers")
        self.assertNotIn("secret", listed["items"][0])

        status, _, incident = desk.admin("POST", "/api/v1/status/incidents", {
            "name": "API latency", "impact": "minor", "body": "Requests are slow.",
            "component_ids": [component["id"]], "component_status": "degraded_performance"})
        self.assertEqual(status, 201, incident)
        desk.admin("POST", "/api/v1/status/incidents", {
            "name": "Billing delay", "component_ids": [other["id"]]})
        wait_for(lambda: receiver.received, "the webhook delivery", timeout=20)
        time.sleep(1.5)  # a delivery for the other component would arrive meanwhile
        self.assertEqual(len(receiver.received), 1, [r[2] for r in receiver.received])
        path, headers, body = receiver.received[0]
        self.assertEqual(path, "/hooks/status")
        self.assertEqual(headers["Content-Type"], "application/json")
        expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        self.assertEqual(headers["X-Casedesk-Signature"], expected)
        payload = json.loads(body)
        self.assertEqual(payload["incident"]["name"], "API latency")
        self.assertEqual(payload["incident"]["status"], "investigating")
        self.assertEqual(payload["incident"]["update"]["body"], "Requests are slow.")
        self.assertEqual(payload["incident"]["components"][0]["status"], "degraded_performance")

        # Removed subscribers hear nothing more.
        status, _, _ = desk.admin("DELETE", "/api/v1/status/subscribers/%d" % hook["id"])
        self.assertEqual(status, 204)
        desk.admin("POST", "/api/v1/status/incidents/%d/updates" % incident["id"],
                   {"status": "resolved", "body": "Fixed."})
        time.sleep(2)
        self.assertEqual(len(receiver.received), 1)


class PublicDocumentsTest(StatusPageTestCase):
    def test_v2_documents_have_statuspage_fields_and_values(self):
        desk = self.start_desk()
        group_child = self.create_component("Compute", group="Frankfurt")
        lone = self.create_component("Website", status="degraded_performance")
        status, _, _ = desk.admin("POST", "/api/v1/status/incidents", {
            "name": "Slow website", "impact": "minor", "body": "Pages load slowly.",
            "component_ids": [lone["id"]]})
        self.assertEqual(status, 201)
        summary = self.fresh_v2("summary.json", lambda body: body["incidents"], "the incident")
        self.assertEqual(list(summary), ["page", "components", "incidents",
                                         "scheduled_maintenances", "status"])
        self.assertEqual(list(summary["page"]), PAGE_KEYS)
        self.assertRegex(summary["page"]["updated_at"], TIMESTAMP)
        self.assertEqual(list(summary["status"]), STATUS_KEYS)
        self.assertEqual(summary["status"]["indicator"], "minor")
        by_name = {c["name"]: c for c in summary["components"]}
        group = by_name["Frankfurt"]
        self.assertEqual(list(group), COMPONENT_KEYS + ["components"])
        self.assertTrue(group["group"])
        self.assertEqual(group["components"], [by_name["Compute"]["id"]])
        self.assertEqual(list(by_name["Compute"]), COMPONENT_KEYS)
        self.assertEqual(by_name["Compute"]["group_id"], group["id"])
        self.assertIsNone(by_name["Website"]["group_id"])
        self.assertIsInstance(by_name["Website"]["id"], str)
        for component in summary["components"]:
            self.assertIn(component["status"], COMPONENT_STATUSES)
            self.assertRegex(component["created_at"], TIMESTAMP)
            self.assertEqual(component["page_id"], summary["page"]["id"])
        incident = summary["incidents"][0]
        self.assertEqual(list(incident), INCIDENT_KEYS)
        self.assertEqual((incident["status"], incident["impact"]), ("investigating", "minor"))
        self.assertIsNone(incident["resolved_at"])
        update = incident["incident_updates"][0]
        self.assertEqual(list(update), UPDATE_KEYS)
        self.assertEqual(update["incident_id"], incident["id"])
        self.assertEqual(update["body"], "Pages load slowly.")
        self.assertIsNone(update["affected_components"])
        self.assertEqual([c["name"] for c in incident["components"]], ["Website"])
        for name, keys in (("status.json", ["page", "status"]),
                           ("components.json", ["page", "components"]),
                           ("incidents.json", ["page", "incidents"]),
                           ("incidents/unresolved.json", ["page", "incidents"]),
                           ("scheduled-maintenances.json", ["page", "scheduled_maintenances"]),
                           ("scheduled-maintenances/upcoming.json",
                            ["page", "scheduled_maintenances"]),
                           ("scheduled-maintenances/active.json",
                            ["page", "scheduled_maintenances"])):
            self.assertEqual(list(self.v2(name)), keys, name)
        # The field lists agree with the oracle assembled from Statuspage's documentation.
        if os.path.exists(ORACLE):
            with open(ORACLE) as handle:
                oracle = json.load(handle)
            self.assertEqual(oracle["page"], PAGE_KEYS)
            self.assertEqual(oracle["incident_update"]["fields"], UPDATE_KEYS)
            self.assertEqual(set(oracle["component"]["status_enum"]), COMPONENT_STATUSES)
            self.assertTrue(set(INCIDENT_KEYS) <= set(oracle["incident"]["fields"]))
        else:
            print("statuspage oracle not present: checked against the built-in field lists")

    def test_public_documents_are_cacheable_and_compressed(self):
        desk = self.start_desk()
        self.create_component("API")
        status, headers, page = desk.request("GET", "/status")
        self.assertEqual(status, 200)
        self.assertIn("public", headers["cache-control"])
        self.assertIn("default-src 'none'", headers["content-security-policy"])
        etag = headers["etag"]
        status, _, body = desk.request("GET", "/status", headers={"If-None-Match": etag})
        self.assertEqual((status, body), (304, b""))
        status, headers, packed = desk.request("GET", "/status",
                                               headers={"Accept-Encoding": "gzip"})
        self.assertEqual(headers.get("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(packed), page)
        self.assertLess(len(packed) * 5, len(page))
        # A change shows at once, under a new tag.
        self.create_component("Dashboard")
        status, headers, page = desk.request("GET", "/status")
        self.assertNotEqual(headers["etag"], etag)
        self.assertIn(b"Dashboard", page)
        # A form posted from another site is refused.
        status, _, _ = desk.request(
            "POST", "/status/subscribe", raw_body="email=someone%40example.com",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Origin": "https://evil.example"})
        self.assertEqual(status, 403)
        status, _, _ = desk.request("GET", "/status/unsubscribe?token=u1.forged")
        self.assertEqual(status, 404)
        status, _, _ = desk.request("GET", "/status/incidents/99999")
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()

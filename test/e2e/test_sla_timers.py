"""SLA clocks, timers and escalation through the real binary: a case imported with a creation
time in the past shows its clocks in GET /api/v1/cases/{number}, its warnings and breaches are
fired by the server's scheduler at their own instants, the shipped escalation policies notify the
tiers the seeds name (shift leads on a warning, support managers on a breach, executives on a
critical case), and nothing fires twice across a kill -9 and a restart."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import rfc3339, unique  # noqa: E402

SCHEDULER_WAIT = 15.0


def wait_for(predicate, what, timeout=SCHEDULER_WAIT):
    return harness.wait_for(predicate, what, timeout=timeout, interval=0.2)


class SlaTimersTest(unittest.TestCase):
    def setUp(self):
        self.desk = harness.Desk()
        self.addCleanup(self.desk.close)
        desk = self.desk
        self.org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        self.customer_id, self.customer = desk.create_user("customer", self.org)
        self.lead_id, self.lead = desk.create_user("agent", tier="shift_lead")
        self.manager_id, self.manager = desk.create_user("agent", tier="support_manager")
        self.executive_id, self.executive = desk.create_user("agent", tier="executive")

    def events(self, number, kind):
        items = self.desk.list_all("/api/v1/cases/%d/events" % number, self.manager)
        return [event for event in items if event["kind"] == kind]

    def changes(self, event):
        return {change["field"]: change["after"] for change in event["changes"]}

    def notifications(self, number):
        status, _, body = self.desk.request("GET", "/api/v1/cases/%d/notifications" % number,
                                            token=self.manager)
        self.assertEqual(status, 200, body)
        return body["items"]

    def import_case(self, hours_ago, severity):
        created = int(time.time()) - hours_ago * 3600
        status, _, case = self.desk.admin("POST", "/api/v1/cases", {
            "subject": "Imported from the old desk", "description": "Migrated history",
            "severity": severity, "org_id": self.org, "requester_id": self.customer_id,
            "created_at": rfc3339(created)})
        self.assertEqual(status, 201, case)
        self.assertEqual(case["created_at"], rfc3339(created))
        return case["number"], created

    def test_an_imported_case_breaches_at_its_own_instants_once_across_restarts(self):
        # Enterprise severity 1 runs on the 24x7 calendar: first response due 60 minutes after
        # creation (warning at 45), resolution 24 hours after (warning at 18).
        number, created = self.import_case(hours_ago=30, severity=1)

        def breached_clocks():
            return {self.changes(e)["clock"]: e for e in self.events(number, "sla.breached")}
        # (Opened outside business hours, the after-hours triage and status notification
        # clocks breach too.)
        breaches = wait_for(lambda: {"first_response", "resolution"} <= breached_clocks().keys()
                            and breached_clocks(), "the scheduler to fire the breaches")
        self.assertEqual(breaches["first_response"]["at"], rfc3339(created + 3600))
        self.assertEqual(breaches["resolution"]["at"], rfc3339(created + 24 * 3600))
        # On PostgreSQL firings commit on several connections, so the warning may land after
        # the breach it precedes: wait for it too.
        def warned_clocks():
            return {self.changes(e)["clock"]: e for e in self.events(number, "sla.warning")}
        warnings = wait_for(lambda: "first_response" in warned_clocks() and warned_clocks(),
                            "the scheduler to fire the warnings")
        self.assertEqual(warnings["first_response"]["at"], rfc3339(created + 45 * 60))

        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number,
                                            token=self.manager)
        self.assertEqual(status, 200, case)
        first = case["sla"]["first_response"]
        self.assertEqual(first["target"], 60)
        self.assertEqual(first["calendar"], "always")
        self.assertEqual(first["due_at"], rfc3339(created + 3600))
        self.assertEqual(first["breached_at"], rfc3339(created + 3600))
        self.assertIsNone(first["achieved_at"])
        self.assertTrue(first["explanation"])
        self.assertEqual(case["sla"]["resolution"]["breached_at"], rfc3339(created + 24 * 3600))

        # The shipped policies: executives hear of the critical case, shift leads of warnings,
        # support managers of breaches (which also raise the case a tier).
        def notified():
            by_recipient = {}
            for n in self.notifications(number):
                if n["kind"] == "case.escalated":  # (the requester has a confirmation too)
                    by_recipient.setdefault(n["recipient_id"], set()).add(n["kind"])
            return by_recipient if len(by_recipient) >= 3 else None
        by_recipient = wait_for(notified, "the escalation notifications")
        self.assertIn("case.escalated", by_recipient[self.executive_id])
        self.assertIn("case.escalated", by_recipient[self.lead_id])
        self.assertIn("case.escalated", by_recipient[self.manager_id])
        tier = wait_for(lambda: self.desk.request("GET", "/api/v1/cases/%d" % number,
                                                  token=self.manager)[2]["escalation_tier"]
                        != "none" and "raised", "the breach to raise the case a tier")
        self.assertTrue(tier)
        def fired():
            return (len(self.events(number, "sla.breached")),
                    len(self.events(number, "sla.warning")),
                    len(self.notifications(number)))
        # Escalation levels armed by the breaches fire on later passes: wait until nothing
        # changes for a while.
        fired_before, stable_since = fired(), time.monotonic()
        while time.monotonic() - stable_since < 2.0:
            time.sleep(0.25)
            now = fired()
            if now != fired_before:
                fired_before, stable_since = now, time.monotonic()

        # kill -9 and restart: everything already fired stays fired exactly once.
        self.desk.kill9()
        self.desk.start()
        time.sleep(2.0)  # several scheduler passes
        self.assertEqual(fired(), fired_before)

        # The customer never sees the internal escalation events.
        customer_kinds = {e["kind"] for e in self.desk.list_all(
            "/api/v1/cases/%d/events" % number, self.customer)}
        self.assertNotIn("case.escalated", customer_kinds)

    def test_a_reply_in_time_achieves_the_clock_and_nothing_breaches(self):
        status, _, case = self.desk.request("POST", "/api/v1/cases", {
            "subject": "Disk latency", "description": "Since this morning", "severity": 2},
            token=self.customer)
        self.assertEqual(status, 201, case)
        number = case["number"]
        status, _, body = self.desk.request("POST", "/api/v1/cases/%d/comments" % number,
                                            {"body": "Looking into it"}, token=self.lead)
        self.assertEqual(status, 201, body)
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number, token=self.lead)
        self.assertEqual(status, 200, case)
        self.assertEqual(case["sla"]["first_response"]["state"], "achieved")
        self.assertIsNotNone(case["sla"]["first_response"]["achieved_at"])
        self.assertEqual(case["sla"]["next_update"]["state"], "running")
        self.assertEqual(case["sla"]["next_update"]["cycle"], 1)
        # The customer sees the clocks of their own case too.
        status, _, seen = self.desk.request("GET", "/api/v1/cases/%d" % number,
                                            token=self.customer)
        self.assertEqual(status, 200, seen)
        self.assertIn("sla", seen)

    def test_only_admins_may_import(self):
        status, _, body = self.desk.request("POST", "/api/v1/cases", {
            "subject": "Old", "severity": 3, "org_id": self.org,
            "requester_id": self.customer_id, "created_at": "2020-01-01T00:00:00Z"},
            token=self.lead)
        self.assertEqual(status, 403, body)
        status, _, body = self.desk.admin("POST", "/api/v1/cases", {
            "subject": "Future", "severity": 3, "org_id": self.org,
            "requester_id": self.customer_id, "created_at": "2999-01-01T00:00:00Z"})
        self.assertEqual(status, 400, body)
        status, _, body = self.desk.admin("POST", "/api/v1/cases", {
            "subject": "Bad", "severity": 3, "org_id": self.org,
            "requester_id": self.customer_id, "created_at": "yesterday"})
        self.assertEqual(status, 400, body)


if __name__ == "__main__":
    harness.check_binary()
    unittest.main()

"""SLA reporting, escalation requests, notifications and priority-abuse flags through the real
binary: cases imported with a creation time in the past breach at their own due instants (fired
by the server's scheduler), the SLA report shows them as JSON and as CSV, flags are counted per
organisation and contact, a customer may ask for escalation but may read neither the report nor
a case's notifications."""

import csv
import io
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import rfc3339, assert_problem, unique  # noqa: E402

SCHEDULER_WAIT = 15.0  # seconds; the server fires due timers within about one


def wait_for(predicate, what, timeout=SCHEDULER_WAIT):
    return harness.wait_for(predicate, what, timeout=timeout, interval=0.2)


class SlaReportsApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        desk = cls.desk = harness.Desk()
        try:
            cls.org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
            cls.other_org = desk.create_org(unique("Other "), "customer", plan="enterprise")
            cls.customer_id, cls.customer = desk.create_user("customer", cls.org)
            cls.stranger_id, cls.stranger = desk.create_user("customer", cls.other_org)
            cls.agent_id, cls.agent = desk.create_user("agent", tier="shift_engineer")
            # The management escalation path for customers: their requests notify the agent.
            status, _, body = desk.admin(
                "PUT", "/api/v1/escalation-policies/management",
                {"name": "management", "description": "customers asking for escalation",
                 "levels": [{"trigger": "customer_request",
                             "targets": [{"kind": "user", "ref": str(cls.agent_id)}],
                             "actions": ["notify"]}]})
            if status != 200:
                raise RuntimeError("PUT escalation policy -> %s %r" % (status, body))
        except BaseException:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def req(self, method, path, body=None, token=None):
        return self.desk.request(method, path, body=body, token=token)

    def import_case(self, severity, hours_ago, org=None, requester=None):
        """Creates a case as the admin, as if opened `hours_ago` hours ago (an import)."""
        created = int(time.time()) - int(hours_ago * 3600)
        case = self.desk.create_case(self.desk.admin_token, severity=severity,
                                     org_id=org or self.org,
                                     requester_id=requester or self.customer_id,
                                     created_at=rfc3339(created))
        self.assertEqual(case["created_at"], rfc3339(created))
        return case, created

    def breach_events(self, number):
        status, _, body = self.req("GET", "/api/v1/cases/%d/events?limit=200" % number,
                                   token=self.agent)
        self.assertEqual(status, 200, body)
        return [event for event in body["items"] if event["kind"] == "sla.breached"]

    def report(self, query="", token=None):
        return self.req("GET", "/api/v1/reports/sla" + query, token=token or self.agent)

    def test_report_shows_imported_breaches_as_json_and_csv(self):
        # Critical on Enterprise runs 24x7: first response within 1 h, resolution within 24 h.
        recent, recent_at = self.import_case(1, 3)
        old, old_at = self.import_case(1, 30)
        major, _ = self.import_case(2, 0.01)
        # The scheduler fires the past deadlines at once, each dated at its own due instant.
        wait_for(lambda: len(self.breach_events(old["number"])) >= 2, "the old case's breaches")
        wait_for(lambda: self.breach_events(recent["number"]), "the recent case's breach")

        plan = "?plan=enterprise&from=" + rfc3339(time.time() - 2 * 86400)
        status, headers, report = self.report(plan)
        self.assertEqual(status, 200, report)
        self.assertTrue(headers["content-type"].startswith("application/json"))
        mine = {recent["number"], old["number"], major["number"]}
        breaches = [b for b in report["breaches"] if b["case_number"] in mine]
        expected = sorted([
            (old["number"], "first_response", rfc3339(old_at + 3600)),
            (old["number"], "resolution", rfc3339(old_at + 86400)),
            (recent["number"], "first_response", rfc3339(recent_at + 3600)),
        ], key=lambda item: item[2])
        self.assertEqual([(b["case_number"], b["clock"], b["breached_at"]) for b in breaches],
                         expected)
        for breach in breaches:
            self.assertEqual(breach["due_at"], breach["breached_at"])
            self.assertEqual((breach["plan"], breach["severity"]), ("enterprise", 1))
        rows = {(row["plan"], row["severity"]): row for row in report["rows"]}
        critical = rows[("enterprise", 1)]
        self.assertGreaterEqual(critical["cases"], 2)
        self.assertGreaterEqual(critical["first_response"]["breached"], 2)
        self.assertGreaterEqual(critical["resolution"]["breached"], 1)
        self.assertIn(("enterprise", 2), rows)
        self.assertIsNone(report["total"]["plan"])
        self.assertEqual(report["total"]["cases"], sum(row["cases"] for row in report["rows"]))

        status, headers, raw = self.report(plan + "&format=csv")
        self.assertEqual(status, 200, raw)
        self.assertEqual(headers["content-type"], "text/csv; charset=utf-8")
        self.assertEqual(headers["content-disposition"], 'attachment; filename="sla-report.csv"')
        text = raw.decode("utf-8")
        self.assertTrue(text.endswith("\r\n"))
        lines = list(csv.DictReader(io.StringIO(text, newline="")))
        self.assertEqual(len(lines), len(report["rows"]) + 1)
        self.assertEqual(lines[-1]["plan"], "(all)")
        self.assertEqual(int(lines[-1]["cases"]), report["total"]["cases"])
        by_key = {(line["plan"], line["severity"]): line for line in lines[:-1]}
        self.assertEqual(int(by_key[("enterprise", "1")]["first_response_breached"]),
                         critical["first_response"]["breached"])
        self.assertEqual(int(by_key[("enterprise", "1")]["resolution_breached"]),
                         critical["resolution"]["breached"])

    def test_severity_flags_are_counted_in_the_report(self):
        flagged_id, flagged = self.desk.create_user("customer", self.org)
        first = self.desk.create_case(flagged, severity=1)
        second = self.desk.create_case(flagged, severity=1)
        for case in (first, second):
            status, _, flag = self.req("POST", "/api/v1/cases/%d/severity-flags" % case["number"],
                                       {"reason": "a cosmetic issue is not an outage"},
                                       token=self.agent)
            self.assertEqual(status, 201, flag)
            self.assertEqual((flag["org_id"], flag["requester_id"], flag["flagged_severity"]),
                             (self.org, flagged_id, 1))
            self.assertEqual(flag["flagged_by"], self.agent_id)
        problem = assert_problem(self, self.req(
            "POST", "/api/v1/cases/%d/severity-flags" % first["number"], {"reason": "again"},
            token=self.agent), 409)
        self.assertIn("already flagged", problem["detail"])
        status, _, listed = self.req("GET", "/api/v1/cases/%d/severity-flags" % first["number"],
                                     token=self.agent)
        self.assertEqual(status, 200, listed)
        self.assertEqual(len(listed["items"]), 1)
        events = self.req("GET", "/api/v1/cases/%d/events" % first["number"],
                          token=self.agent)[2]["items"]
        self.assertIn("case.severity_flagged", [event["kind"] for event in events])

        time.sleep(1.1)  # the report's period ends (exclusively) at the current second
        status, _, report = self.report()
        self.assertEqual(status, 200, report)
        counts = {(row["org_id"], row["requester_id"]): row["flags"]
                  for row in report["severity_flags"]}
        self.assertEqual(counts.get((self.org, flagged_id)), 2)

        assert_problem(self, self.req("POST", "/api/v1/cases/%d/severity-flags" % first["number"],
                                      {"reason": "mine"}, token=flagged), 403)
        assert_problem(self, self.req("GET", "/api/v1/cases/%d/severity-flags" % first["number"],
                                      token=flagged), 403)
        assert_problem(self, self.req("GET", "/api/v1/cases/%d/severity-flags" % first["number"],
                                      token=self.stranger), 404)

    def test_a_customer_may_ask_for_escalation_and_staff_see_the_notification(self):
        case = self.desk.create_case(self.customer, severity=2)
        path = "/api/v1/cases/%d" % case["number"]
        status, _, body = self.req("POST", path + "/escalations",
                                   {"reason": "production is still down"}, token=self.customer)
        self.assertEqual(status, 202, body)
        # This test's policy and the shipped "management-escalation" one.
        self.assertEqual(body, {"levels_armed": 2, "trigger": "customer_request"})
        assert_problem(self, self.req("POST", path + "/escalations", {"reason": "me too"},
                                      token=self.stranger), 404)
        assert_problem(self, self.req("POST", path + "/escalations", {}, token=self.customer),
                       400)

        def escalated():
            status, _, listed = self.req("GET", path + "/notifications", token=self.agent)
            self.assertEqual(status, 200, listed)
            return [n for n in listed["items"] if n["kind"] == "case.escalated"]
        notifications = wait_for(escalated, "the escalation's notification")
        self.assertEqual(notifications[0]["recipient_id"], self.agent_id)
        self.assertIsNone(notifications[0]["sent_at"])
        self.assertIn("customer_request", notifications[0]["body"])
        events = self.req("GET", path + "/events", token=self.customer)[2]["items"]
        requested = [e for e in events if e["kind"] == "case.escalation_requested"]
        self.assertEqual(len(requested), 1)
        self.assertEqual(requested[0]["reason"], "production is still down")

        status, _, body = self.req("POST", path + "/escalations", {"reason": "by hand"},
                                   token=self.agent)
        self.assertEqual(status, 202, body)
        self.assertEqual(body["trigger"], "manual")

        assert_problem(self, self.req("GET", path + "/notifications", token=self.customer), 403)
        assert_problem(self, self.req("GET", path + "/notifications", token=self.stranger), 404)

    def test_a_closed_case_cannot_be_escalated(self):
        case = self.desk.create_case(self.customer, severity=3)
        path = "/api/v1/cases/%d" % case["number"]
        for status_name in ("solved", "closed"):
            status, _, body = self.req("PATCH", path, {"status": status_name}, token=self.agent)
            self.assertEqual(status, 200, body)
        problem = assert_problem(self, self.req("POST", path + "/escalations", {"reason": "late"},
                                                token=self.customer), 422)
        self.assertIn("closed", problem["detail"])

    def test_customers_cannot_read_the_report_and_bad_queries_are_problems(self):
        for token in (self.customer, self.stranger):
            problem = assert_problem(self, self.report(token=token), 403)
            self.assertIn("provider staff", problem["detail"])
            assert_problem(self, self.report("?format=csv", token=token), 403)
        assert_problem(self, self.req("GET", "/api/v1/reports/sla"), 401)
        for query, field in (("?from=yesterday", "from"),
                             ("?from=2026-03-09T00:00:00Z&to=2026-03-01T00:00:00Z", "from"),
                             ("?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "400 days"),
                             ("?severity=7", "severity"),
                             ("?format=pdf", "format")):
            problem = assert_problem(self, self.report(query), 400)
            self.assertIn(field, problem["detail"])


if __name__ == "__main__":
    unittest.main()

"""Reports and service reviews through the real binary (issue 7): cases imported with a creation
time in the past breach their SLA targets (fired by the server's scheduler); time is logged and a
severity flagged; then each report (SLA compliance, backlog, partner resolution, severity flags,
service credits under an admin-set credit rule) is checked as JSON and as CSV, the console's
service-review page shows its charts and CSV links, and another tenant's organisation is 404."""

import csv
import io
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import rfc3339, assert_problem, unique  # noqa: E402

SCHEDULER_WAIT = 20.0


class ReportsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        desk = cls.desk = harness.Desk()
        try:
            cls.org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
            cls.other_org = desk.create_org(unique("Other "), "customer", plan="enterprise")
            cls.partner = desk.create_org(unique("Reseller "), "partner", plan="enterprise")
            cls.resold = desk.create_org(unique("Resold "), "customer", parent_id=cls.partner,
                                         plan="enterprise")
            cls.customer_id, cls.customer = desk.create_user("customer", cls.org)
            cls.org_admin_id, cls.org_admin = desk.create_user("customer", cls.org, org_admin=True)
            cls.stranger_id, cls.stranger = desk.create_user("customer", cls.other_org,
                                                             org_admin=True)
            cls.resold_id, cls.resold_user = desk.create_user("customer", cls.resold)
            cls.partner_agent_id, cls.partner_agent = desk.create_user("partner_agent",
                                                                       cls.partner)
            cls.agent_id, cls.agent = desk.create_user("agent", tier="shift_engineer")
            cls.start = time.time() - 3 * 86400
            cls.seed()
        except BaseException:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    @classmethod
    def req(cls, method, path, body=None, token=None, headers=None):
        return cls.desk.request(method, path, body=body, token=token, headers=headers)

    @classmethod
    def import_case(cls, severity, hours_ago, org, requester):
        created = int(time.time() - hours_ago * 3600)
        return cls.desk.create_case(cls.desk.admin_token, severity=severity, org_id=org,
                                    requester_id=requester, created_at=rfc3339(created))

    @classmethod
    def breaches(cls, number):
        status, _, body = cls.req("GET", "/api/v1/cases/%d/events?limit=200" % number,
                                  token=cls.agent)
        assert status == 200, body
        return [e for e in body["items"] if e["kind"] == "sla.breached"]

    @classmethod
    def seed(cls):
        desk = cls.desk
        # Enterprise critical: first response 1 h, resolution 24 h, around the clock.
        cls.old = cls.import_case(1, 30, cls.org, cls.customer_id)      # breaches both
        cls.recent = cls.import_case(1, 3, cls.org, cls.customer_id)    # first response only
        cls.major = desk.create_case(cls.customer, severity=2)          # nothing yet
        cls.minor = desk.create_case(cls.customer, severity=3)
        harness.wait_for(lambda: len(cls.breaches(cls.old["number"])) >= 2,
                         "the old case's two breaches", timeout=SCHEDULER_WAIT, interval=0.2)
        harness.wait_for(lambda: cls.breaches(cls.recent["number"]),
                         "the recent case's breach", timeout=SCHEDULER_WAIT, interval=0.2)
        # Time against the package, and a severity flag on the minor case's requester.
        status, _, body = cls.req("POST", "/api/v1/cases/%d/time" % cls.major["number"],
                                  {"minutes": 90, "billable": True, "note": "call"},
                                  token=cls.agent)
        assert status == 201, body
        status, _, body = cls.req("POST", "/api/v1/cases/%d/severity-flags" % cls.recent["number"],
                                  {"reason": "not an outage"}, token=cls.agent)
        assert status == 201, body
        # Partner Level 1: one case the partner solves itself, one handed to the provider.
        kept = desk.create_case(cls.resold_user, severity=3)
        status, _, body = cls.req("POST", "/api/v1/cases/%d/comments" % kept["number"],
                                  {"body": "try this", "visibility": "public"},
                                  token=cls.partner_agent)
        assert status == 201, body
        status, _, body = cls.req("PATCH", "/api/v1/cases/%d" % kept["number"],
                                  {"status": "solved"}, token=cls.partner_agent)
        assert status == 200, body
        handed = desk.create_case(cls.resold_user, severity=3)
        status, _, body = cls.req("POST", "/api/v1/cases/%d/comments" % handed["number"],
                                  {"body": "provider here", "visibility": "public"},
                                  token=cls.agent)
        assert status == 201, body
        desk.create_case(cls.resold_user, severity=4)  # still open with the partner
        # An admin sets the enterprise plan's fee, so credits have an amount.
        status, _, body = desk.admin(
            "PUT", "/api/v1/reports/credit-rules/enterprise",
            {"monthly_fee_cents": 100000, "currency": "EUR", "cap_percent": 20,
             "rules": [{"severity": "critical", "clock": "first_response", "percent": 10},
                       {"severity": "critical", "clock": "resolution", "percent": 15}]})
        assert status == 200, body

    def query(self, org=None):
        to = time.time() + 3600
        text = "?from=%s&to=%s" % (rfc3339(self.start), rfc3339(to))
        if org is not None:
            text += "&org=%d" % org
        return text

    def report(self, name, org=None, token=None, extra=""):
        status, headers, body = self.req("GET", "/api/v1/reports/%s%s%s"
                                         % (name, self.query(org), extra),
                                         token=token or self.agent)
        self.assertEqual(status, 200, body)
        return headers, body

    def csv_rows(self, name, org=None, token=None, **kwargs):
        status, headers, raw = self.req("GET", "/api/v1/reports/%s%s&format=csv"
                                        % (name, self.query(org)), token=token or self.agent,
                                        **kwargs)
        self.assertEqual(status, 200, raw)
        self.assertEqual(headers["content-type"], "text/csv; charset=utf-8")
        self.assertRegex(headers["content-disposition"],
                         r'^attachment; filename="casedesk-%s-(org\d+|all)-[0-9-]+\.csv"$' % name)
        text = raw.decode("utf-8")
        self.assertTrue(text.endswith("\r\n"))
        return list(csv.DictReader(io.StringIO(text, newline="")))

    def test_sla_compliance_counts_the_breaches_per_severity_and_clock(self):
        _, body = self.report("sla-compliance", self.org)
        self.assertEqual(body["org_id"], self.org)
        lines = {(l["severity"], l["clock"]): l for l in body["lines"]}
        critical_fr = lines[("critical", "first_response")]
        self.assertEqual(critical_fr["cases"], 2)
        self.assertEqual(critical_fr["breached"], 2)
        self.assertEqual(critical_fr["compliance_percent"], 0)
        critical_res = lines[("critical", "resolution")]
        self.assertEqual(critical_res["breached"], 1)
        self.assertEqual(critical_res["pending"], 1)
        self.assertEqual(lines[(None, "first_response")]["cases"], 4)
        self.assertEqual(lines[("major", "first_response")]["breached"], 0)
        months = body["months"]
        self.assertGreaterEqual(len(months), 1)
        self.assertEqual(sum(m["cases"] for m in months), 4)
        rows = self.csv_rows("sla-compliance", self.org)
        by_key = {(r["severity"], r["clock"]): r for r in rows}
        self.assertEqual(by_key[("critical", "first_response")]["breached"], "2")
        self.assertEqual(by_key[("critical", "first_response")]["compliance_percent"], "0.0")
        self.assertEqual(len(rows), len(body["lines"]))

    def test_backlog_counts_open_cases_by_severity_and_age(self):
        _, body = self.report("backlog", self.org)
        self.assertEqual(body["buckets"][0], "< 1 day")
        lines = {l["severity"]: l for l in body["lines"]}
        self.assertEqual(lines["critical"]["buckets"][0], 1)  # 3 hours old
        self.assertEqual(lines["critical"]["buckets"][1], 1)  # 30 hours old
        self.assertEqual(lines[None]["total"], 4)
        rows = self.csv_rows("backlog", self.org, headers={"Accept": "text/csv"})
        self.assertEqual(rows[-1]["severity"], "all")
        self.assertEqual(rows[-1]["total"], "4")

    def test_partner_resolution_counts_level_one_against_the_goal(self):
        for org in (self.partner, self.resold, None):
            _, body = self.report("partner-resolution", org)
            self.assertEqual(body["goal_percent"], {"low": 70, "high": 80})
            mine = [p for p in body["partners"] if p["partner_id"] == self.partner]
            self.assertEqual(len(mine), 1, body)
            line = mine[0]
            self.assertEqual((line["cases"], line["resolved_by_partner"],
                              line["handed_to_provider"], line["open"]), (3, 1, 1, 1))
            self.assertEqual(line["resolved_percent"], 50)
            self.assertEqual(line["goal"], "below")
        # The partner's own agents may read it; customers of another org may not.
        _, body = self.report("partner-resolution", self.partner, token=self.partner_agent)
        self.assertEqual(body["partners"][0]["cases"], 3)
        rows = self.csv_rows("partner-resolution", self.partner)
        self.assertEqual(rows[0]["goal"], "below")

    def test_severity_flags_and_service_credits(self):
        _, flags = self.report("severity-flags", self.org)
        self.assertEqual(flags["total"], 1)
        self.assertEqual(flags["lines"][0]["requester_id"], self.customer_id)
        _, credits = self.report("service-credits", self.org)
        self.assertEqual(len(credits["lines"]), 1, credits)
        line = credits["lines"][0]
        self.assertEqual(line["plan"], "enterprise")
        self.assertGreaterEqual(line["breach_total"], 3)  # update breaches may add to it
        self.assertEqual(line["credited_breaches"], 3)
        self.assertEqual(line["percent_uncapped"], 35)
        self.assertEqual(line["percent"], 20)
        self.assertTrue(line["capped"])
        self.assertEqual((line["credit_cents"], line["currency"]), (20000, "EUR"))
        self.assertEqual(credits["totals"], [{"currency": "EUR", "credit_cents": 20000}])
        rows = self.csv_rows("service-credits", self.org)
        self.assertEqual((rows[0]["credit"], rows[0]["capped"]), ("200.00", "yes"))
        status, _, rules = self.req("GET", "/api/v1/reports/credit-rules", token=self.agent)
        self.assertEqual(status, 200, rules)
        by_plan = {r["plan"]: r for r in rules["items"]}
        self.assertFalse(by_plan["enterprise"]["shipped"])
        self.assertTrue(by_plan["professional"]["shipped"])

    def test_access_and_bad_queries(self):
        # A customer org admin reads their own organisation, and only theirs.
        _, own = self.report("sla-compliance", None, token=self.org_admin)
        self.assertEqual(own["org_id"], self.org)
        for name in ("sla-compliance", "backlog", "partner-resolution", "severity-flags",
                     "service-credits"):
            assert_problem(self, self.req("GET", "/api/v1/reports/%s%s"
                                          % (name, self.query(self.org)),
                                          token=self.stranger), 404)
        assert_problem(self, self.req("GET", "/api/v1/reports/backlog" + self.query(self.org),
                                      token=self.customer), 403)
        assert_problem(self, self.req("GET", "/api/v1/reports/backlog?org=999999",
                                      token=self.agent), 404)
        assert_problem(self, self.req("GET", "/api/v1/reports/backlog?from=yesterday",
                                      token=self.agent), 400)
        assert_problem(self, self.req("GET", "/api/v1/reports/backlog?from=2026-03-09&to=2026-03-01",
                                      token=self.agent), 400)
        assert_problem(self, self.req("GET", "/api/v1/reports/backlog?format=xml",
                                      token=self.agent), 400)
        assert_problem(self, self.req("PUT", "/api/v1/reports/credit-rules/enterprise",
                                      {"cap_percent": 10}, token=self.agent), 403)
        status, _, body = self.desk.admin("PUT", "/api/v1/reports/credit-rules/enterprise",
                                          {"cap_percent": 150})
        self.assertEqual(status, 400, body)
        self.assertIn("cap_percent", body["detail"])
        assert_problem(self, self.desk.admin("PUT", "/api/v1/reports/credit-rules/nope", {}), 404)

    def test_all_organisations_for_staff(self):
        _, body = self.report("sla-compliance")
        self.assertIsNone(body["org_id"])
        lines = {(l["severity"], l["clock"]): l for l in body["lines"]}
        self.assertGreaterEqual(lines[("critical", "first_response")]["breached"], 2)


if __name__ == "__main__":
    unittest.main()

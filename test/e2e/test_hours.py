"""End-to-end: time entries and contract hours (issue 7) through the real binary. Agents and
partner agents log time on cases, staff log account work, the organisation's contacts and its
partner read the hours by kind, another tenant gets 404, customers cannot log time, bad input
is a 400 naming the field, and a package crossing 80 % and then 100 % mails the organisation's
admin exactly once per threshold through the outbox (SMTP sink)."""

import os
import shutil
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, unique  # noqa: E402
from mail_peers import SmtpSink, body_text  # noqa: E402


class HoursTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="casedesk-hours-")
        cls.sink = SmtpSink(os.path.join(cls.root, "sink"))
        cls.desk = harness.Desk(env={
            "CASEDESK_SMTP_URL": cls.sink.url,
            "CASEDESK_SMTP_FROM": "Support <support@desk.example>",
            "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        desk = cls.desk
        cls.partner = desk.create_org(unique("Partner "), "partner", plan="enterprise")
        cls.acme = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        cls.globex = desk.create_org(unique("Globex "), "customer", plan="professional")
        cls.partner_customer = desk.create_org(unique("Initech "), "customer",
                                               parent_id=cls.partner, plan="enterprise")
        _, cls.agent = desk.create_user("agent")
        _, cls.csm = desk.create_user("success_manager")
        cls.acme_admin_email = unique("acme-admin-") + "@example.com"
        _, cls.acme_admin = desk.create_user("customer", org_id=cls.acme,
                                             email=cls.acme_admin_email, org_admin=True)
        _, cls.acme_contact = desk.create_user("customer", org_id=cls.acme)
        _, cls.globex_contact = desk.create_user("customer", org_id=cls.globex)
        _, cls.partner_agent = desk.create_user("partner_agent", org_id=cls.partner)
        _, cls.initech_contact = desk.create_user("customer", org_id=cls.partner_customer)

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()
        cls.sink.close()
        shutil.rmtree(cls.root, True)

    def log_case(self, number, token, **fields):
        return self.desk.request("POST", "/api/v1/cases/%d/time" % number, fields, token=token)

    def log_org(self, org, token, **fields):
        return self.desk.request("POST", "/api/v1/orgs/%d/time" % org, fields, token=token)

    def hours(self, org, token, query=""):
        return self.desk.request("GET", "/api/v1/orgs/%d/hours%s" % (org, query), token=token)

    @staticmethod
    def package(body, kind):
        return next(p for p in body["packages"] if p["kind"] == kind)

    def test_logging_time_on_cases_and_reading_hours_by_kind(self):
        case = self.desk.create_case(self.acme_contact)
        status, _, entry = self.log_case(case["number"], self.agent, minutes=45, billable=True,
                                         note="Checked the firewall rules",
                                         activity="configuration_management")
        self.assertEqual(status, 201, entry)
        self.assertEqual(entry["minutes"], 45)
        self.assertEqual(entry["case_number"], case["number"])
        self.assertEqual(entry["kind"], "customer_success")
        self.assertEqual(entry["activity"], "configuration_management")
        status, _, entry = self.log_case(case["number"], self.agent, minutes=30, billable=False,
                                         note="Internal reading")
        self.assertEqual(status, 201, entry)
        status, _, listed = self.desk.request("GET", "/api/v1/cases/%d/time" % case["number"],
                                              token=self.agent)
        self.assertEqual(status, 200, listed)
        self.assertEqual([e["minutes"] for e in listed["items"]], [45, 30])
        self.assertEqual(listed["billable_minutes"], 45)

        # Account work that is not a case: a service review, as training hours.
        status, _, entry = self.log_org(self.acme, self.csm, minutes=90, kind="training",
                                        activity="service_level_management",
                                        note="Quarterly service review")
        self.assertEqual(status, 201, entry)
        self.assertIsNone(entry["case_number"])

        for token in (self.acme_contact, self.acme_admin, self.agent):
            status, _, body = self.hours(self.acme, token)
            self.assertEqual(status, 200, body)
            self.assertEqual(body["source"], "plan")
            success = self.package(body, "customer_success")
            self.assertEqual(success["included_minutes"], 16 * 60)
            self.assertGreaterEqual(success["used_minutes"], 45)
            self.assertEqual(success["remaining_minutes"],
                             success["available_minutes"] - success["used_minutes"])
            self.assertGreaterEqual(success["non_billable_minutes"], 30)
            training = self.package(body, "training")
            self.assertEqual(training["used_minutes"], 90)
            self.assertEqual(training["included_minutes"], 4 * 60)
        # Another month: nothing used there.
        status, _, body = self.hours(self.acme, self.acme_contact, "?period=2020-01")
        self.assertEqual(status, 200, body)
        self.assertEqual(body["period"], "2020-01")
        self.assertEqual(self.package(body, "training")["used_minutes"], 0)

    def test_partners_log_and_read_for_their_customers_only(self):
        case = self.desk.create_case(self.initech_contact)
        status, _, entry = self.log_case(case["number"], self.partner_agent, minutes=20)
        self.assertEqual(status, 201, entry)
        status, _, body = self.hours(self.partner_customer, self.partner_agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.package(body, "customer_success")["used_minutes"], 20)
        status, _, body = self.hours(self.partner_customer, self.initech_contact)
        self.assertEqual(status, 200, body)
        acme_case = self.desk.create_case(self.acme_contact)
        assert_problem(self, self.log_case(acme_case["number"], self.partner_agent, minutes=5),
                       404)
        assert_problem(self, self.hours(self.acme, self.partner_agent), 404)

    def test_other_tenants_get_404_and_customers_cannot_log_time(self):
        assert_problem(self, self.hours(self.acme, self.globex_contact), 404)
        assert_problem(self, self.hours(999999, self.globex_contact), 404)
        case = self.desk.create_case(self.acme_contact)
        assert_problem(self, self.log_case(case["number"], self.acme_contact, minutes=10), 403)
        assert_problem(self, self.log_case(case["number"], self.globex_contact, minutes=10), 404)
        assert_problem(self, self.desk.request("GET", "/api/v1/cases/%d/time" % case["number"],
                                               token=self.acme_contact), 403)
        assert_problem(self, self.log_org(self.acme, self.acme_admin, minutes=10), 403)
        assert_problem(self, self.log_org(self.acme, self.globex_contact, minutes=10), 404)
        assert_problem(self, self.desk.request(
            "PUT", "/api/v1/orgs/%d/packages" % self.acme, {"packages": []}, token=self.agent), 403)

    def test_bad_input_is_a_400_naming_the_field(self):
        case = self.desk.create_case(self.acme_contact)
        cases = [
            ({}, "minutes"),
            ({"minutes": 0}, "minutes"),
            ({"minutes": 1441}, "minutes"),
            ({"minutes": "ten"}, "minutes"),
            ({"minutes": 10, "billable": "yes"}, "billable"),
            ({"minutes": 10, "kind": "golf"}, "kind"),
            ({"minutes": 10, "activity": "lunch"}, "activity"),
            ({"minutes": 10, "worked_at": "yesterday"}, "worked_at"),
            ({"minutes": 10, "note": "x" * 4001}, "note"),
            ({"minutes": 10, "colour": "red"}, "colour"),
        ]
        for body, field in cases:
            result = self.log_case(case["number"], self.agent, **body)
            assert_problem(self, result, 400)
            self.assertIn(field, result[2].get("detail", ""), (body, result[2]))
        result = self.hours(self.acme, self.acme_contact, "?period=2026-13")
        assert_problem(self, result, 400)
        self.assertIn("period", result[2]["detail"])
        result = self.desk.admin("PUT", "/api/v1/orgs/%d/packages" % self.acme,
                                 {"packages": [{"kind": "training", "included_minutes": -5}]})
        assert_problem(self, result, 400)
        self.assertIn("packages[0].included_minutes", result[2]["detail"])

    def test_a_package_crossing_80_then_100_percent_mails_the_org_admin_once_each(self):
        org = self.desk.create_org(unique("Hooli "), "customer", plan="enterprise")
        admin_email = unique("hooli-admin-") + "@example.com"
        self.desk.create_user("customer", org_id=org, email=admin_email, org_admin=True,
                              token=False)
        status, _, body = self.desk.admin("PUT", "/api/v1/orgs/%d/packages" % org, {
            "packages": [{"kind": "customer_success", "included_hours": 10}]})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["packages"][0]["thresholds_percent"], [80, 100])

        def alerts():
            return [m for envelope, m in self.sink.messages()
                    if admin_email in envelope.get("rcpt_tos", []) and
                    "Customer-success hours at" in str(m["Subject"])]

        self.assertEqual(self.log_org(org, self.csm, minutes=470)[0], 201)
        self.assertEqual(self.log_org(org, self.csm, minutes=300, billable=False)[0], 201)
        # 480 of 600 minutes: the 80 % threshold. Several entries at once cross it together.
        results = []
        threads = [threading.Thread(target=lambda: results.append(
            self.log_org(org, self.csm, minutes=5)[0])) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(results, [201] * 4)
        first = harness.wait_for(lambda: alerts(), "the 80 % notice")
        self.assertIn("80%", str(first[0]["Subject"]))
        self.assertIn("/portal/hours", body_text(first[0]))
        # More time within the same band sends nothing new; 600 reaches 100 %.
        self.assertEqual(self.log_org(org, self.csm, minutes=60)[0], 201)
        self.assertEqual(self.log_org(org, self.csm, minutes=60)[0], 201)
        harness.wait_for(lambda: len(alerts()) >= 2, "the 100 % notice")
        self.assertEqual(self.log_org(org, self.csm, minutes=30)[0], 201)
        time.sleep(2)  # give a wrongly repeated notice the time to arrive
        subjects = sorted(str(m["Subject"]) for m in alerts())
        self.assertEqual(len(subjects), 2, subjects)
        self.assertIn("100%", subjects[0])
        self.assertIn("80%", subjects[1])
        status, _, hours = self.hours(org, self.agent)
        self.assertEqual(status, 200, hours)
        self.assertEqual(hours["source"], "organisation")
        success = self.package(hours, "customer_success")
        self.assertEqual(success["alerted_thresholds"], [80, 100])
        self.assertEqual(success["used_minutes"], 470 + 20 + 120 + 30)
        self.assertEqual(success["overrun_minutes"], 40)
        self.assertEqual(success["remaining_minutes"], 0)


if __name__ == "__main__":
    unittest.main()

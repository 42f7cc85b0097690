"""The console's support plan, SLA policy and severity definition pages through the real binary
(issue 5's admin: plans and SLA policies): the plans listed with their key facts, an admin
creating a plan and changing its fields (the API serves the change and the history shows it),
giving it an SLA policy per severity on a chosen calendar that the API then serves and a new
case of the plan runs on, bad policies refused with the reason and what was typed kept, the
severity definitions reworded; agents read but are refused on save; customers and forged forms
get nothing."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

PLANS = "/console/admin/plans"


def sla_form(page):
    """The fields of a rendered SLA policy form as the browser would post them."""
    text = page.decode()
    fields = {}
    for match in re.finditer(r'<input id="sla-[^"]*" name="([^"]+)" type="(?:text|number)"[^>]*'
                             r'value="([^"]*)"', text):
        fields[match.group(1)] = match.group(2)
    for match in re.finditer(r'<select id="sla-[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', text, re.S):
        selected = re.search(r'<option value="([^"]*)" selected>', match.group(2))
        fields[match.group(1)] = selected.group(1) if selected else ""
    if 'name="confirm_critical" value="1" checked' in text:
        fields["confirm_critical"] = "1"
    return fields


def severity_form(page):
    """The fields of the rendered severity definitions form."""
    text = page.decode()
    fields = {}
    for match in re.finditer(r'name="(s\d_(?:name|summary))" type="text"[^>]*value="([^"]*)"',
                             text):
        fields[match.group(1)] = match.group(2)
    for match in re.finditer(r'name="(s\d_(?:description|examples))" rows="\d+">(.*?)</textarea>',
                             text, re.S):
        fields[match.group(1)] = match.group(2)
    return {key: value.replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")
            for key, value in fields.items()}


class ConsolePlansTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        try:
            cls.agent_email = harness.unique("ana-") + "@provider.example"
            cls.desk.create_user("agent", email=cls.agent_email, name="Ana Agent", token=False)
            org = cls.desk.create_org(harness.unique("Initech "), "customer", plan="enterprise")
            cls.customer_email = harness.unique("c-") + "@initech.example"
            cls.desk.create_user("customer", org_id=org, email=cls.customer_email, token=False)
            harness.give_admin_password(cls.desk, cls.agent_email, cls.customer_email)
            cls.admin = harness.ConsoleSession(cls.desk, harness.ADMIN_EMAIL)
            cls.agent = harness.ConsoleSession(cls.desk, cls.agent_email)
        except Exception:
            cls.desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def create_plan(self, **fields):
        name = harness.unique("gold-").lower()
        body = dict(name=name, display_name="Gold", description="For testing", channels="portal")
        body.update(fields)
        status, headers, page = self.admin.post(PLANS, **body)
        self.assertEqual(status, 303, page)
        self.assertTrue(headers["location"].startswith(PLANS + "/" + name + "?notice="))
        return name

    def test_lists_the_shipped_plans_with_their_key_facts(self):
        status, _, page = self.agent.get(PLANS)
        self.assertEqual(status, 200)
        for name in (b"developer", b"professional", b"enterprise"):
            self.assertIn(b'href="/console/admin/plans/' + name + b'"', page)
            self.assertIn(b'href="/console/admin/plans/' + name + b'/sla"', page)
        self.assertIn(b"Shipped", page)
        self.assertNotIn(b"Create plan", page)  # agents get no new-plan form
        status, _, page = self.admin.get(PLANS)
        self.assertIn(b"Create plan", page)
        self.assertIn(b'<label for="plan-new-name">Name</label>', page)
        for path in (PLANS, PLANS + "/enterprise", PLANS + "/enterprise/sla",
                     "/console/admin/severities"):
            status, _, page = self.admin.get(path)
            self.assertEqual(status, 200, path)
            self.assertLess(len(page), 100_000, path)

    def test_admin_creates_a_plan_and_changes_its_fields(self):
        name = self.create_plan()
        status, _, page = self.admin.get(PLANS + "/" + name + "?notice=created")
        self.assertEqual(status, 200)
        self.assertIn(b"Plan created.", page)
        status, headers, page = self.admin.post(
            PLANS + "/" + name, display_name="Gold <Plus>", description="Round the clock",
            channels="email", partner_eligible="1", after_hours_coverage="1")
        self.assertEqual(status, 303, page)
        status, _, plan = self.desk.admin("GET", "/api/v1/plans/" + name)
        self.assertEqual(status, 200, plan)
        self.assertEqual(plan["display_name"], "Gold <Plus>")
        self.assertEqual(plan["channels"], ["email"])
        self.assertTrue(plan["partner_eligible"])
        self.assertTrue(plan["after_hours_coverage"])
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Plan saved.", page)
        self.assertIn(b'value="Gold &lt;Plus&gt;"', page)  # escaped, never markup
        self.assertIn(b"plan.created", page)  # the history
        self.assertIn(b"plan.updated", page)
        # A plan needs a channel: refused with the reason, what was typed kept.
        status, _, page = self.admin.post(PLANS + "/" + name, display_name="Typed here",
                                          description="")
        self.assertEqual(status, 400, page)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b"channel", page)
        self.assertIn(b'value="Typed here"', page)
        # A duplicate name is refused on the list page with the form kept.
        status, _, page = self.admin.post(PLANS, name=name, display_name="Again",
                                          channels="portal")
        self.assertEqual(status, 409, page)
        self.assertIn(b'value="Again"', page)

    def test_admin_sets_a_plans_sla_policy_and_a_new_case_runs_on_it(self):
        name = self.create_plan()
        status, _, page = self.admin.get(PLANS + "/" + name + "/sla")
        self.assertEqual(status, 200)
        self.assertIn(b"no SLA policy yet", page)
        self.assertIn(b'<option value="always"', page)
        self.assertIn(b'href="/console/admin/calendars"', page)
        fields = sla_form(page)
        self.assertEqual(fields["s2_first_response"], "240")
        self.assertEqual(fields["s3_resolution"], "next_release")
        self.assertEqual(fields["s3_next_update"], "on_milestone")
        fields.update(s2_first_response="120", s2_first_response_calendar="always",
                      warning_percent="80")
        status, headers, page = self.admin.post(PLANS + "/" + name + "/sla", **fields)
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"SLA policy saved.", page)
        status, _, policy = self.desk.admin("GET", "/api/v1/plans/%s/sla-policy" % name)
        self.assertEqual(status, 200, policy)
        self.assertEqual(policy["targets"]["2"]["first_response"],
                         {"minutes": 120, "calendar": "always"})
        self.assertEqual(policy["targets"]["3"]["resolution"]["named"], "next_release")
        self.assertEqual(policy["warning_fraction"], 0.8)
        self.assertEqual(sla_form(page)["s2_first_response_calendar"], "always")

        # A case of an organisation holding the plan gets the new first-response target.
        org = self.desk.create_org(harness.unique("Globex "), "customer", plan=name)
        requester, _ = self.desk.create_user("customer", org_id=org, token=False)
        created = int(time.time()) - 600
        status, _, case = self.desk.admin("POST", "/api/v1/cases", {
            "subject": "Slow dashboard", "description": "Since this morning", "severity": 2,
            "org_id": org, "requester_id": requester, "created_at": harness.rfc3339(created)})
        self.assertEqual(status, 201, case)

        def first_response():
            _, _, body = self.desk.admin("GET", "/api/v1/cases/%d" % case["number"])
            return (body.get("sla") or {}).get("first_response")
        clock = harness.wait_for(first_response, "the case's first-response clock")
        self.assertEqual(clock["target"], 120)
        self.assertEqual(clock["calendar"], "always")
        self.assertEqual(clock["due_at"], harness.rfc3339(created + 120 * 60))

    def test_bad_policies_are_refused_with_the_reason_and_keep_what_was_typed(self):
        path = PLANS + "/developer/sla"
        status, _, page = self.admin.get(path)
        fields = sla_form(page)
        bad = dict(fields, s1_first_response="soon-ish!", s4_resolution="4321")
        status, _, page = self.admin.post(path, **bad)
        self.assertEqual(status, 400, page)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b"severity 1", page)
        self.assertIn(b'value="soon-ish!"', page)
        self.assertIn(b'value="4321"', page)
        status, _, page = self.admin.post(path, **dict(fields, s2_next_update="next_release"))
        self.assertEqual(status, 400, page)
        self.assertIn(b"update cadence", page)
        status, _, page = self.admin.post(path, **dict(fields, s2_first_response="0"))
        self.assertEqual(status, 400, page)
        self.assertIn(b'value="0"', page)
        status, _, policy = self.desk.admin("GET", "/api/v1/plans/developer/sla-policy")
        self.assertEqual(policy["targets"]["1"]["first_response"]["minutes"], 60)
        self.assertEqual(policy["targets"]["2"]["first_response"]["minutes"], 240)

    def test_admin_rewords_the_severity_definitions(self):
        status, _, page = self.admin.get("/console/admin/severities")
        self.assertEqual(status, 200)
        fields = severity_form(page)
        self.assertEqual(set(fields), {"s%d_%s" % (level, part) for level in range(1, 5)
                                       for part in ("name", "summary", "description",
                                                    "examples")})
        fields.update(s2_summary="Production works, but badly",
                      s2_examples="Checkout is slow\n\nReports time out\n")
        status, headers, page = self.admin.post("/console/admin/severities", **fields)
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Severity definitions saved.", page)
        status, _, listed = self.desk.admin("GET", "/api/v1/severities")
        major = [item for item in listed["items"] if item["level"] == 2][0]
        self.assertEqual(major["summary"], "Production works, but badly")
        self.assertEqual(major["examples"], ["Checkout is slow", "Reports time out"])
        status, _, page = self.admin.post("/console/admin/severities",
                                          **dict(fields, s3_name=""))
        self.assertEqual(status, 400, page)
        self.assertIn(b"level 3", page)

    def test_agents_read_but_are_refused_on_save(self):
        for path in (PLANS + "/enterprise", PLANS + "/enterprise/sla", "/console/admin/severities"):
            status, _, page = self.agent.get(path)
            self.assertEqual(status, 200, path)
            self.assertIn(b"Only an admin can change", page)
            self.assertNotIn(b'<button type="submit">Save', page)
        status, _, page = self.agent.get(PLANS + "/enterprise/sla")
        status, _, page = self.agent.post(PLANS + "/enterprise/sla",
                                          **dict(sla_form(page), s2_first_response="5"))
        self.assertEqual(status, 403, page)
        self.assertIn(b"only an admin may change the SLA configuration", page)
        status, _, page = self.agent.post(PLANS + "/enterprise", display_name="Mine",
                                          channels="portal")
        self.assertEqual(status, 403, page)
        self.assertIn(b"only an admin may manage support plans", page)
        status, _, page = self.agent.post(PLANS, name="agents-plan", channels="portal")
        self.assertEqual(status, 403, page)
        status, _, page = self.agent.get("/console/admin/severities")
        status, _, page = self.agent.post("/console/admin/severities", **severity_form(page))
        self.assertEqual(status, 403, page)
        self.assertIn(b"only an admin may change the severity definitions", page)
        status, _, policy = self.desk.admin("GET", "/api/v1/plans/enterprise/sla-policy")
        self.assertEqual(policy["targets"]["2"]["first_response"]["minutes"], 240)
        status, _, plan = self.desk.admin("GET", "/api/v1/plans/enterprise")
        self.assertNotEqual(plan["display_name"], "Mine")
        status, _, _ = self.desk.admin("GET", "/api/v1/plans/agents-plan")
        self.assertEqual(status, 404)

    def test_customers_unknown_plans_and_forged_forms_are_refused(self):
        customer = harness.ConsoleSession(self.desk, self.customer_email, csrf_page="/portal")
        for path in (PLANS, PLANS + "/enterprise", PLANS + "/enterprise/sla",
                     "/console/admin/severities"):
            status, _, _ = customer.get(path)
            self.assertEqual(status, 404, path)
        status, _, _ = self.admin.get(PLANS + "/no-such-plan")
        self.assertEqual(status, 404)
        status, _, _ = self.admin.get(PLANS + "/no-such-plan/sla")
        self.assertEqual(status, 404)
        status, _, _ = self.admin.post(PLANS + "/enterprise", csrf="0" * 64, display_name="X",
                                       channels="portal")
        self.assertEqual(status, 403)
        status, _, plan = self.desk.admin("GET", "/api/v1/plans/enterprise")
        self.assertNotEqual(plan["display_name"], "X")


if __name__ == "__main__":
    unittest.main()

"""The console's escalation policy and on-call schedule pages through the real binary (issue 5's
admin: escalation policies and on-call schedules): the shipped policies listed, an admin
creating a policy with steps (an SLA breach of one clock paging the on-call person and the
executives, a customer's request paging experts by skill, a person and a group), editing and
deleting it, with the API serving exactly what the form saved; refusals shown beside the form
with what was typed and the row named; an on-call schedule created with layers, restrictions and
an override, who is on call now on its page and in the list (as the API's "now" answers); agents
reading but refused on save; customers and forged forms refused."""

import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def post_form(session, path, fields, csrf=None):
    """Posts `fields` (a list of pairs, names may repeat) with the session's CSRF token."""
    body = list(fields) + [("csrf_token", csrf if csrf is not None else session.csrf())]
    return session.desk.request(
        "POST", path, raw_body=urllib.parse.urlencode(body),
        headers=dict(session.FORM, Cookie="casedesk_session=" + session.cookie))


def text_of(page):
    """The page as text with tags removed and whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.decode()))


class ConsoleEscalationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        try:
            cls.agent_email = harness.unique("ana-") + "@provider.example"
            cls.agent_id, _ = cls.desk.create_user("agent", email=cls.agent_email,
                                                   name="Ana Agent", token=False)
            cls.bo_email = harness.unique("bo-") + "@provider.example"
            cls.bo_id, _ = cls.desk.create_user("agent", email=cls.bo_email, name="Bo Lead",
                                                token=False, tier="shift_lead")
            org = cls.desk.create_org(harness.unique("Initech "), "customer", plan="enterprise")
            cls.customer_email = harness.unique("c-") + "@initech.example"
            cls.desk.create_user("customer", org_id=org, email=cls.customer_email, token=False)
            status, _, group = cls.desk.admin("POST", "/api/v1/groups", {
                "name": harness.unique("Network "), "members": [cls.agent_id]})
            assert status == 201, (status, group)
            cls.group_id = group["id"]
            harness.give_admin_password(cls.desk, cls.agent_email, cls.customer_email)
            cls.admin = harness.ConsoleSession(cls.desk, harness.ADMIN_EMAIL)
            cls.agent = harness.ConsoleSession(cls.desk, cls.agent_email)
        except Exception:
            cls.desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def put_schedule(self, name):
        schedule = {"name": name, "time_zone": "UTC", "layers": [{
            "name": "daily", "participants": [self.agent_id], "start": "2026-01-05T09:00",
            "turn_minutes": 1440}]}
        status, _, body = self.desk.admin("PUT", "/api/v1/oncall-schedules/" + name, schedule)
        self.assertEqual(status, 200, body)

    # --- escalation policies -------------------------------------------------------------

    def test_lists_the_shipped_policies(self):
        status, _, page = self.admin.get("/console/admin/escalation")
        self.assertEqual(status, 200)
        for name in (b"urgent-cases", b"sla-clocks", b"security-incidents",
                     b"management-escalation"):
            self.assertIn(b'href="/console/admin/escalation/' + name + b'"', page)
        self.assertIn(b"An SLA clock breaches: Support managers; Notify them, Raise the case a tier",
                      page)
        self.assertIn(b'aria-current="page"', page)  # the navigation marks Admin
        status, _, page = self.admin.get("/console/admin/escalation/security-incidents")
        self.assertEqual(status, 200)
        self.assertIn(b'<option value="skill" selected>', page)
        self.assertIn(b'value="security"', page)
        self.assertIn(b'<option value="tier:support_manager" selected>', page)
        self.assertLess(len(page), 100 * 1024)

    def test_admin_creates_edits_and_deletes_a_policy(self):
        schedule = harness.unique("esc-primary-").lower()
        self.put_schedule(schedule)
        name = harness.unique("breaches-").lower()
        status, headers, _ = self.admin.get("/console/admin/escalation?new=" + name)
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].endswith("/console/admin/escalation/" + name))
        status, _, page = self.admin.get("/console/admin/escalation/" + name)
        self.assertEqual(status, 200)
        self.assertIn(b"New escalation policy", page)
        self.assertIn(b'value="oncall:' + schedule.encode() + b'"', page)
        self.assertIn(b'value="user:%d"' % self.agent_id, page)
        self.assertIn(b'value="group:%d"' % self.group_id, page)
        form = [("description", "Enterprise breaches page the on-call person"),
                ("enabled", "1"), ("plan", "enterprise"), ("severity", "1"), ("severity", "2"),
                ("s0_trigger", "sla_breach"), ("s0_clock", "first_response"),
                ("s0_clock", "resolution"), ("s0_delay", "30"),
                ("s0_t0", "oncall:" + schedule), ("s0_k0", ""),
                ("s0_t1", "tier:executive"), ("s0_k1", ""), ("s0_t2", ""), ("s0_k2", ""),
                ("s0_action", "notify"), ("s0_action", "reassign"),
                ("s1_trigger", "customer_request"), ("s1_delay", ""),
                ("s1_t0", "skill"), ("s1_k0", " network "),
                ("s1_t1", "user:%d" % self.bo_id), ("s1_k1", ""),
                ("s1_t2", "group:%d" % self.group_id), ("s1_k2", ""),
                ("s1_action", "notify"), ("s1_action", "raise_tier"),
                ("s2_trigger", ""), ("s2_delay", "0"), ("s2_t0", ""), ("s2_k0", ""),
                ("s2_action", "notify"),
                ("action", "save")]
        status, headers, page = post_form(self.admin, "/console/admin/escalation/" + name, form)
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Escalation policy saved.", page)
        self.assertIn(b'<option value="oncall:' + schedule.encode() + b'" selected>', page)
        status, _, policy = self.desk.admin("GET", "/api/v1/escalation-policies/" + name)
        self.assertEqual(status, 200)
        self.assertEqual(policy, {
            "name": name, "description": "Enterprise breaches page the on-call person",
            "enabled": True, "plans": ["enterprise"], "severities": [1, 2],
            "levels": [
                {"trigger": "sla_breach", "clocks": ["first_response", "resolution"],
                 "delay_minutes": 30,
                 "targets": [{"kind": "oncall", "ref": schedule},
                             {"kind": "tier", "ref": "executive"}],
                 "actions": ["notify", "reassign"]},
                {"trigger": "customer_request", "clocks": [], "delay_minutes": 0,
                 "targets": [{"kind": "skill", "ref": "network"},
                             {"kind": "user", "ref": str(self.bo_id)},
                             {"kind": "group", "ref": str(self.group_id)}],
                 "actions": ["notify", "raise_tier"]}]})
        # The list summarises the steps.
        status, _, page = self.admin.get("/console/admin/escalation")
        self.assertIn("An SLA clock breaches (First response, Resolution), after 30 min: on-call "
                      + schedule + ", Executives; Notify them, Reassign the case", text_of(page))
        # The schedule is in use: deleting it is refused with the reason.
        status, _, page = post_form(self.admin, "/console/admin/oncall/" + schedule + "/delete",
                                    [])
        self.assertEqual(status, 422, page)
        self.assertIn(b'role="alert"', page)
        self.assertIn(name.encode(), page)
        status, _, _ = self.desk.admin("GET", "/api/v1/oncall-schedules/" + schedule)
        self.assertEqual(status, 200)
        # Removing the first step and disabling the policy.
        edit = [(k, v) for k, v in form if k != "enabled"] + [("s0_remove", "1")]
        status, _, page = post_form(self.admin, "/console/admin/escalation/" + name, edit)
        self.assertEqual(status, 303, page)
        status, _, policy = self.desk.admin("GET", "/api/v1/escalation-policies/" + name)
        self.assertFalse(policy["enabled"])
        self.assertEqual([level["trigger"] for level in policy["levels"]], ["customer_request"])
        status, headers, _ = post_form(self.admin, "/console/admin/escalation/" + name +
                                       "/delete", [])
        self.assertEqual(status, 303)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Escalation policy deleted.", page)
        status, _, _ = self.desk.admin("GET", "/api/v1/escalation-policies/" + name)
        self.assertEqual(status, 404)

    def test_refusals_name_the_row_and_keep_what_was_typed(self):
        name = harness.unique("refused-").lower()
        path = "/console/admin/escalation/" + name
        base = [("description", "Typed <b>text</b>"), ("enabled", "1"), ("action", "save")]
        cases = [
            ([("s0_trigger", ""), ("s0_t0", ""), ("s0_k0", ""),
              ("s1_trigger", "manual"), ("s1_delay", "0"), ("s1_t0", ""), ("s1_k0", ""),
              ("s1_action", "notify")], "step 2: a level needs at least one target"),
            ([("s0_trigger", "manual"), ("s0_clock", "triage"), ("s0_t0", "tier:sme"),
              ("s0_k0", ""), ("s0_action", "notify")],
             "step 1: clocks apply only to the sla_warning and sla_breach triggers"),
            ([("s0_trigger", "manual"), ("s0_t0", ""), ("s0_k0", ""), ("s0_t1", "user:999999"),
              ("s0_k1", ""), ("s0_action", "notify")], "step 1 target 2: "),
            ([("s0_trigger", "manual"), ("s0_t0", "skill"), ("s0_k0", ""),
              ("s0_action", "notify")], "step 1 target 1: name the skill"),
            ([("s0_trigger", "manual"), ("s0_delay", "soon"), ("s0_t0", "tier:sme"),
              ("s0_k0", ""), ("s0_action", "notify")], "step 1 delay: give a whole number"),
            ([("s0_trigger", ""), ("s0_t0", ""), ("s0_k0", "")], "steps: a policy needs"),
        ]
        for fields, reason in cases:
            with self.subTest(reason=reason):
                status, _, page = post_form(self.admin, path, base + fields)
                self.assertEqual(status, 400, page)
                self.assertIn(b'role="alert"', page)
                self.assertIn(reason, text_of(page))
                self.assertIn(b'value="Typed &lt;b&gt;text&lt;/b&gt;"', page)
        status, _, _ = self.desk.admin("GET", "/api/v1/escalation-policies/" + name)
        self.assertEqual(status, 404)
        # A hand-over that leads back round.
        status, _, page = post_form(self.admin, path, base + [
            ("s0_trigger", "manual"), ("s0_t0", "policy:urgent-cases"), ("s0_k0", ""),
            ("s0_action", "notify")])
        self.assertEqual(status, 303, page)
        status, _, urgent = self.desk.admin("GET", "/api/v1/escalation-policies/urgent-cases")
        self.assertEqual(status, 200)
        fields = [("description", urgent["description"]), ("enabled", "1"), ("action", "save"),
                  ("s0_trigger", "case_created_critical"), ("s0_delay", "0"),
                  ("s0_t0", "tier:executive"), ("s0_k0", ""), ("s0_action", "notify"),
                  ("s1_trigger", "manual"), ("s1_delay", "5"), ("s1_t0", ""), ("s1_k0", ""),
                  ("s1_t1", "policy:" + name), ("s1_k1", ""), ("s1_action", "notify")]
        status, _, page = post_form(self.admin, "/console/admin/escalation/urgent-cases", fields)
        self.assertEqual(status, 400, page)
        self.assertIn("step 2 target 2: policy hand-over leads round in a cycle", text_of(page))
        status, _, after = self.desk.admin("GET", "/api/v1/escalation-policies/urgent-cases")
        self.assertEqual(after, urgent)
        status, _, _ = post_form(self.admin, path + "/delete", [])
        self.assertEqual(status, 303)

    def test_agents_read_but_are_refused_on_save(self):
        status, _, page = self.agent.get("/console/admin/escalation/sla-clocks")
        self.assertEqual(status, 200)
        self.assertNotIn(b'value="save"', page)
        self.assertNotIn(b"Delete policy", page)
        self.assertIn(b"Only an admin can change escalation policies.", page)
        status, _, before = self.desk.admin("GET", "/api/v1/escalation-policies/sla-clocks")
        status, _, page = post_form(self.agent, "/console/admin/escalation/sla-clocks", [
            ("description", "mine now"), ("s0_trigger", "manual"), ("s0_t0", "tier:sme"),
            ("s0_k0", ""), ("s0_action", "notify"), ("action", "save")])
        self.assertEqual(status, 403)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b'value="mine now"', page)
        status, _, page = post_form(self.agent, "/console/admin/escalation/sla-clocks/delete", [])
        self.assertEqual(status, 403)
        self.assertIn(b"Only an admin can delete escalation policies.", page)
        status, _, after = self.desk.admin("GET", "/api/v1/escalation-policies/sla-clocks")
        self.assertEqual(after, before)
        for path in ("/console/admin/escalation?new=mine", "/console/admin/escalation/mine",
                     "/console/admin/oncall?new=mine", "/console/admin/oncall/mine"):
            status, _, _ = self.agent.get(path)
            self.assertEqual(status, 404, path)
        status, _, page = self.agent.get("/console/admin/oncall")
        self.assertEqual(status, 200)
        self.assertNotIn(b"Create schedule", page)

    def test_customers_and_forged_forms_are_refused(self):
        customer = harness.ConsoleSession(self.desk, self.customer_email, csrf_page="/portal")
        for path in ("/console/admin/escalation", "/console/admin/escalation/sla-clocks",
                     "/console/admin/oncall", "/console/admin/oncall/x"):
            status, _, _ = customer.get(path)
            self.assertEqual(status, 404, path)
        status, _, _ = post_form(customer, "/console/admin/escalation/sla-clocks",
                                 [("action", "save")])
        self.assertEqual(status, 404)
        status, _, before = self.desk.admin("GET", "/api/v1/escalation-policies/sla-clocks")
        status, _, _ = post_form(self.admin, "/console/admin/escalation/sla-clocks/delete", [],
                                 csrf="0" * 64)
        self.assertEqual(status, 403)
        status, _, after = self.desk.admin("GET", "/api/v1/escalation-policies/sla-clocks")
        self.assertEqual(after, before)

    def test_pages_stay_light_with_a_large_directory(self):
        people = [self.desk.create_user("agent", name=harness.unique("Person "),
                                        token=False)[0] for _ in range(32)]
        for _ in range(21):
            status, _, body = self.desk.admin("POST", "/api/v1/groups",
                                              {"name": harness.unique("Group ")})
            self.assertEqual(status, 201, body)
        for i in range(16):
            name = harness.unique("light-%d-" % i).lower()
            status, _, body = self.desk.admin("PUT", "/api/v1/oncall-schedules/" + name, {
                "name": name, "display_name": "Schedule %d" % i, "time_zone": "UTC",
                "layers": [{"name": "daily", "participants": people[:8],
                            "start": "2026-01-05T09:00", "turn_minutes": 1440}]})
            self.assertEqual(status, 200, body)
        levels = [{"trigger": trigger, "actions": ["notify"],
                   "targets": [{"kind": "user", "ref": str(people[-1])},
                               {"kind": "tier", "ref": "sme"}]}
                  for trigger in ("sla_warning", "sla_breach", "manual", "customer_request",
                                  "security_incident", "case_created_critical")]
        policy = harness.unique("large-").lower()
        status, _, body = self.desk.admin("PUT", "/api/v1/escalation-policies/" + policy,
                                          {"name": policy, "levels": levels})
        self.assertEqual(status, 200, body)
        for path in ("/console/admin/escalation/" + policy, "/console/admin/oncall/" + name,
                     "/console/admin/escalation", "/console/admin/oncall"):
            status, _, page = self.admin.get(path)
            self.assertEqual(status, 200, path)
            self.assertLess(len(page), 100 * 1024, path)
        # The chosen person is kept even where the lists are shortened.
        status, _, page = self.admin.get("/console/admin/escalation/" + policy)
        self.assertEqual(page.count(b'<option value="user:%d" selected>' % people[-1]), 6)

    # --- on-call schedules ---------------------------------------------------------------

    def test_admin_creates_a_schedule_and_sees_who_is_on_call(self):
        name = harness.unique("support-").lower()
        status, headers, _ = self.admin.get("/console/admin/oncall?new=" + name)
        self.assertEqual(status, 303)
        status, _, page = self.admin.get(headers["location"])
        self.assertEqual(status, 200)
        self.assertIn(b"New on-call schedule", page)
        self.assertIn(b'value="weekly"', page)
        form = [("display_name", "Support on call"), ("time_zone", "Europe/London"),
                ("l0_name", "weekly"), ("l0_start", "2026-01-05T09:00"), ("l0_turn", "10080"),
                ("l0_p0", str(self.agent_id)), ("l0_p1", str(self.bo_id)), ("l0_p2", ""),
                ("l0_restrictions", ""),
                ("l1_name", "weekends"), ("l1_start", "2026-01-10T00:00"), ("l1_turn", "20160"),
                ("l1_p0", str(self.bo_id)), ("l1_restrictions", "sat 00:00-24:00, SUN 00:00-24:00"),
                ("l2_name", ""), ("l2_start", ""), ("l2_turn", "10080"), ("l2_p0", ""),
                ("l2_restrictions", ""),
                ("o0_user", str(self.bo_id)), ("o0_start", "2030-07-01T09:00"),
                ("o0_end", "2030-07-02T09:00"), ("o0_reason", "swap with Ana"),
                ("o1_user", ""), ("o1_start", ""), ("o1_end", ""), ("o1_reason", ""),
                ("action", "save")]
        status, headers, page = post_form(self.admin, "/console/admin/oncall/" + name, form)
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"On-call schedule saved.", page)
        status, _, schedule = self.desk.admin("GET", "/api/v1/oncall-schedules/" + name)
        self.assertEqual(status, 200)
        self.assertEqual(schedule, {
            "name": name, "display_name": "Support on call", "time_zone": "Europe/London",
            "layers": [
                {"name": "weekly", "participants": [self.agent_id, self.bo_id],
                 "start": "2026-01-05T09:00", "turn_minutes": 10080, "restrictions": []},
                {"name": "weekends", "participants": [self.bo_id], "start": "2026-01-10T00:00",
                 "turn_minutes": 20160,
                 "restrictions": [{"day": "sat", "window": "00:00-24:00"},
                                  {"day": "sun", "window": "00:00-24:00"}]}],
            "overrides": [{"user": self.bo_id, "start": "2030-07-01T08:00:00Z",
                           "end": "2030-07-02T08:00:00Z", "reason": "swap with Ana"}]})
        # Who is on call now, as the API says, on the page and in the list.
        status, _, now = self.desk.admin("GET", "/api/v1/oncall/%s/now" % name)
        self.assertEqual(status, 200)
        who = now["user"]["name"].encode()
        section = re.search(rb'<section[^>]*id="onc-now".*?</section>', page, re.S).group(0)
        self.assertIn(b"Now, since", section)
        self.assertIn(b"<td data-label=\"On call\">" + who + b"</td>", section)
        self.assertGreaterEqual(section.count(b"<tr>"), 3)  # now and the next hand-overs
        self.assertIn(b'value="2030-07-01T09:00"', page)  # the override in local time
        self.assertIn(b'value="sat 00:00-24:00, sun 00:00-24:00"', page)
        status, _, page = self.admin.get("/console/admin/oncall")
        row = re.search(rb'<tr>\s*<td data-label="Name"><a href="/console/admin/oncall/' +
                        name.encode() + rb'">.*?</tr>', page, re.S).group(0)
        self.assertIn(who, row)
        self.assertIn(b"Europe/London", row)
        # An agent sees the same, without a Save button.
        status, _, page = self.agent.get("/console/admin/oncall/" + name)
        self.assertEqual(status, 200)
        self.assertIn(b"Only an admin can change on-call schedules.", page)
        self.assertNotIn(b'value="save"', page)
        status, _, _ = post_form(self.agent, "/console/admin/oncall/" + name, form)
        self.assertEqual(status, 403)
        # A gap is refused with the reason; nothing changes.
        gap = [(k, v) for k, v in form if not k.startswith("l0_")]
        status, _, page = post_form(self.admin, "/console/admin/oncall/" + name, gap)
        self.assertEqual(status, 400, page)
        self.assertIn(b"layer coverage has a gap", page)
        self.assertIn(b'value="Support on call"', page)
        bad_user = [(k, "999999" if k == "l0_p1" else v) for k, v in form]
        status, _, page = post_form(self.admin, "/console/admin/oncall/" + name, bad_user)
        self.assertIn(status, (400, 422), page)
        self.assertIn("layer 1 participant 2", text_of(page))
        status, _, after = self.desk.admin("GET", "/api/v1/oncall-schedules/" + name)
        self.assertEqual(after, schedule)
        # Deleted.
        status, headers, _ = post_form(self.admin, "/console/admin/oncall/" + name + "/delete", [])
        self.assertEqual(status, 303)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"On-call schedule deleted.", page)
        status, _, _ = self.desk.admin("GET", "/api/v1/oncall-schedules/" + name)
        self.assertEqual(status, 404)


if __name__ == "__main__":
    unittest.main()

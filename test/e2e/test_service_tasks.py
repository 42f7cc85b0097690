"""End-to-end: service tasks (issue 7, seed 001) through the real binary. A customer requests a
task and its estimate clock is due one business day later on the shipped Pacific calendar
(Monday-Friday 09:00-17:00 America/Los_Angeles); an imported task under a short test policy
warns and breaches through the scheduler at its own instants, once; staff give an estimate (the
requester's mail arrives at the SMTP sink), the customer approves (the assignee hears of it),
staff schedule, start and complete it; a decline solves the case and a re-estimate reopens it;
the wrong side gets 403, the wrong state 422, another organisation 404."""

import datetime
import os
import shutil
import sys
import tempfile
import time
import unittest
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, rfc3339, unique  # noqa: E402
from mail_peers import SmtpSink, body_text  # noqa: E402

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def business_minutes_later(start, minutes):
    """The earliest instant `minutes` business minutes after `start` (a UTC datetime) on
    Monday-Friday 09:00-17:00 Pacific."""
    remaining = datetime.timedelta(minutes=minutes)
    day = start.astimezone(PACIFIC).date()
    while True:
        if day.weekday() < 5:
            opens = datetime.datetime.combine(day, datetime.time(9), PACIFIC)
            closes = datetime.datetime.combine(day, datetime.time(17), PACIFIC)
            begin = max(opens, start)
            if begin < closes:
                if begin + remaining <= closes:
                    return (begin + remaining).astimezone(datetime.timezone.utc)
                remaining -= closes - begin
        day += datetime.timedelta(days=1)


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


class ServiceTasksTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="casedesk-service-tasks-")
        cls.sink = SmtpSink(os.path.join(cls.root, "sink"))
        cls.desk = harness.Desk(env={
            "CASEDESK_SMTP_URL": cls.sink.url,
            "CASEDESK_SMTP_FROM": "Support <support@desk.example>",
            "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        desk = cls.desk
        cls.acme = desk.create_org(unique("Acme "), "customer", plan="professional")
        cls.globex = desk.create_org(unique("Globex "), "customer", plan="professional")
        cls.partner = desk.create_org(unique("Partner "), "partner", plan="enterprise")
        cls.initech = desk.create_org(unique("Initech "), "customer", parent_id=cls.partner,
                                      plan="enterprise")
        cls.agent_email = unique("agent-") + "@desk.example"
        cls.agent_id, cls.agent = desk.create_user("agent", email=cls.agent_email,
                                                   name="Ada Agent")
        cls.customer_email = unique("carol-") + "@acme.example"
        cls.customer_id, cls.customer = desk.create_user(
            "customer", org_id=cls.acme, email=cls.customer_email, name="Carol Customer")
        _, cls.globex_contact = desk.create_user("customer", org_id=cls.globex)
        _, cls.partner_agent = desk.create_user("partner_agent", org_id=cls.partner)
        cls.initech_id, cls.initech_contact = desk.create_user("customer", org_id=cls.initech)

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()
        cls.sink.close()
        shutil.rmtree(cls.root, True)

    def request_task(self, token, **fields):
        body = {"subject": "Resize the volume of web-01", "description": "Grow /data to 200 GB",
                "severity": 3}
        body.update(fields)
        return self.desk.request("POST", "/api/v1/service-tasks", body, token=token)

    def step(self, number, action, token, body=None):
        return self.desk.request("POST", "/api/v1/cases/%d/service-task/%s" % (number, action),
                                 body, token=token)

    def task(self, number, token):
        return self.desk.request("GET", "/api/v1/cases/%d/service-task" % number, token=token)

    def test_the_whole_flow_with_the_estimate_clock_on_the_pacific_calendar(self):
        before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        status, headers, task = self.request_task(self.customer)
        self.assertEqual(status, 201, task)
        number = task["case_number"]
        self.assertEqual(headers.get("location"), "/api/v1/cases/%d" % number)
        self.assertEqual(task["state"], "requested")
        self.assertIsNone(task["estimate"])
        self.assertEqual(task["allowed_actions"], [])  # the customer waits for the estimate

        # The estimate clock: one business day (480 minutes) on the Pacific calendar, from the
        # request. (The expected instant is computed here independently.)
        requested = parse_time(task["requested_at"])
        self.assertLessEqual(before, requested)
        clock = task["estimate_clock"]
        self.assertEqual((clock["target"], clock["calendar"], clock["state"]),
                         (480, "service-tasks-pacific", "running"))
        self.assertEqual(clock["due_at"], rfc3339(
            business_minutes_later(requested, 480).timestamp()))
        self.assertIn("480 business minutes on calendar service-tasks-pacific",
                      clock["explanation"][0])
        # The case's SLA view shows it beside the plan's clocks (the first response stays).
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number, token=self.agent)
        self.assertEqual(status, 200, case)
        self.assertEqual(case["category"], "service_request")
        self.assertEqual(case["sla"]["estimate"]["due_at"], clock["due_at"])
        self.assertIn("first_response", case["sla"])
        # An ordinary case has no estimate clock.
        ordinary = self.desk.create_case(self.customer)
        status, _, plain = self.desk.request("GET", "/api/v1/cases/%d" % ordinary["number"],
                                             token=self.agent)
        self.assertNotIn("estimate", plain["sla"])
        assert_problem(self, self.task(ordinary["number"], self.agent), 404)

        # Only staff estimate; the wrong state is refused (422); bad input names the field.
        assert_problem(self, self.step(number, "estimate", self.customer,
                                       {"hours": 3, "completion_date": "2030-01-10"}), 403)
        assert_problem(self, self.step(number, "approve", self.customer), 422)
        problem = assert_problem(self, self.step(number, "estimate", self.agent,
                                                 {"hours": 3, "completion_date": "2030-02-30"}),
                                 400)
        self.assertIn("completion_date", problem["detail"])
        problem = assert_problem(self, self.step(number, "estimate", self.agent,
                                                 {"hours": -1, "completion_date": "2030-01-10"}),
                                 400)
        self.assertIn("hours", problem["detail"])

        # Take the case, then estimate: the requester is mailed through the outbox.
        status, _, _ = self.desk.request("PATCH", "/api/v1/cases/%d" % number,
                                         {"assignee_id": self.agent_id}, token=self.agent)
        self.assertEqual(status, 200)
        status, _, task = self.step(number, "estimate", self.agent,
                                    {"hours": 2.5, "completion_date": "2030-01-10"})
        self.assertEqual(status, 200, task)
        self.assertEqual(task["state"], "estimated")
        self.assertEqual(task["estimate"]["minutes"], 150)
        self.assertEqual(task["estimate"]["hours"], 2.5)
        self.assertEqual(task["estimate"]["completion_date"], "2030-01-10")
        self.assertEqual(task["estimate_clock"]["state"], "achieved")
        self.assertIsNone(task["estimate_clock"]["breached_at"])
        mail = self.sink.wait_for(
            lambda envelope, m: self.customer_email in envelope.get("rcpt_tos", [])
            and "Estimate for your service task" in str(m["Subject"]), "the estimate")
        text = body_text(mail[0][1])
        self.assertIn("2.5 hours", text)
        self.assertIn("2030-01-10", text)
        self.assertIn("/portal/cases/%d" % number, text)

        # The customer approves: the assignee hears of it. Staff may not approve.
        assert_problem(self, self.step(number, "approve", self.agent), 403)
        status, _, task = self.step(number, "approve", self.customer)
        self.assertEqual(status, 200, task)
        self.assertEqual(task["state"], "approved")
        self.sink.wait_for(
            lambda envelope, m: self.agent_email in envelope.get("rcpt_tos", [])
            and "Service task estimate approved" in str(m["Subject"]), "the approval")

        # Staff schedule, start and complete it; done solves the case.
        assert_problem(self, self.step(number, "start", self.agent), 422)
        problem = assert_problem(self, self.step(number, "schedule", self.agent,
                                                 {"start_date": "2030-01-11"}), 400)
        self.assertIn("start_date", problem["detail"])
        assert_problem(self, self.step(number, "schedule", self.customer,
                                       {"start_date": "2030-01-08"}), 403)
        status, _, task = self.step(number, "schedule", self.agent, {"start_date": "2030-01-08"})
        self.assertEqual((status, task["state"], task["start_date"]),
                         (200, "scheduled", "2030-01-08"))
        status, _, task = self.step(number, "start", self.agent)
        self.assertEqual((status, task["state"]), (200, "in_progress"))
        status, _, task = self.step(number, "done", self.agent)
        self.assertEqual((status, task["state"], task["case_status"]), (200, "done", "solved"))

        # The history is the audit trail, in order; each step is on the case's timeline.
        status, _, task = self.task(number, self.customer)
        self.assertEqual(status, 200, task)
        self.assertEqual([item["kind"] for item in task["history"]], [
            "service_task.requested", "service_task.estimated", "service_task.approved",
            "service_task.scheduled", "service_task.started", "service_task.done"])
        events = self.desk.list_all("/api/v1/cases/%d/events" % number, self.agent)
        self.assertIn("service_task.estimated", [event["kind"] for event in events])

        # Another organisation sees nothing: 404 for reading and for every step.
        assert_problem(self, self.task(number, self.globex_contact), 404)
        assert_problem(self, self.step(number, "approve", self.globex_contact), 404)
        assert_problem(self, self.step(number, "estimate", self.globex_contact,
                                       {"hours": 1, "completion_date": "2030-01-10"}), 404)

    def test_decline_solves_the_case_and_a_re_estimate_reopens_it(self):
        # A partner's agent decides for its customer's task.
        status, _, task = self.request_task(self.initech_contact)
        self.assertEqual(status, 201, task)
        number = task["case_number"]
        self.assertEqual(self.step(number, "estimate", self.agent,
                                   {"hours": 8, "completion_date": "2030-03-01"})[0], 200)
        status, _, task = self.step(number, "decline", self.partner_agent,
                                    {"reason": "Too expensive for now"})
        self.assertEqual(status, 200, task)
        self.assertEqual((task["state"], task["case_status"], task["decline_reason"]),
                         ("declined", "solved", "Too expensive for now"))
        status, _, task = self.step(number, "estimate", self.agent,
                                    {"hours": 5, "completion_date": "2030-03-05"})
        self.assertEqual(status, 200, task)
        self.assertEqual((task["state"], task["case_status"], task["estimate"]["count"]),
                         ("estimated", "open", 2))
        # The clock was achieved by the first estimate and stays so.
        first = next(item for item in task["history"] if item["kind"] == "service_task.estimated")
        self.assertEqual(task["estimate_clock"]["achieved_at"], first["at"])
        status, _, task = self.step(number, "approve", self.initech_contact)
        self.assertEqual((status, task["state"]), (200, "approved"))

    def test_an_unanswered_estimate_warns_and_breaches_once(self):
        # A short test policy for the developer plan: the estimate is due 60 minutes after the
        # request on the 24x7 calendar. A task imported as requested two hours ago has passed
        # both instants, so the scheduler fires them at once, dated at their own instants.
        status, _, policy = self.desk.request("GET", "/api/v1/plans/developer/sla-policy",
                                              token=self.agent)
        self.assertEqual(status, 200, policy)
        self.assertEqual(policy["estimate"],
                         {"minutes": 480, "calendar": "service-tasks-pacific"})
        policy = {key: value for key, value in policy.items() if key != "plan"}
        policy["estimate"] = {"minutes": 60, "calendar": "always"}
        status, _, saved = self.desk.admin("PUT", "/api/v1/plans/developer/sla-policy", policy)
        self.assertEqual(status, 200, saved)
        org = self.desk.create_org(unique("Hooli "), "customer", plan="developer")
        requester_id, _ = self.desk.create_user("customer", org_id=org)
        requested = int(time.time()) - 2 * 3600
        status, _, task = self.desk.admin("POST", "/api/v1/service-tasks", {
            "subject": "Open port 8443", "severity": 3, "org_id": org,
            "requester_id": requester_id, "created_at": rfc3339(requested)})
        self.assertEqual(status, 201, task)
        number = task["case_number"]
        self.assertEqual(task["requested_at"], rfc3339(requested))
        self.assertEqual(task["estimate_clock"]["breached_at"], rfc3339(requested + 3600))

        def fired(kind):
            return [event for event in self.desk.list_all("/api/v1/cases/%d/events" % number,
                                                          self.agent)
                    if event["kind"] == kind and {c["field"]: c["after"]
                                                  for c in event["changes"]}.get("clock")
                    == "estimate"]
        breaches = harness.wait_for(lambda: fired("sla.breached"), "the estimate breach",
                                    timeout=20, interval=0.2)
        warnings = harness.wait_for(lambda: fired("sla.warning"), "the estimate warning",
                                    timeout=20, interval=0.2)
        self.assertEqual(breaches[0]["at"], rfc3339(requested + 3600))
        self.assertEqual(warnings[0]["at"], rfc3339(requested + 45 * 60))
        # Exactly once, also across a restart.
        self.desk.restart()
        time.sleep(2)
        self.assertEqual((len(fired("sla.breached")), len(fired("sla.warning"))), (1, 1))
        # The estimate now achieves the clock; the breach stays recorded.
        status, _, task = self.step(number, "estimate", self.agent,
                                    {"hours": 1, "completion_date": "2030-01-02"})
        self.assertEqual(status, 200, task)
        self.assertEqual(task["estimate_clock"]["state"], "achieved")
        self.assertEqual(task["estimate_clock"]["breached_at"], rfc3339(requested + 3600))

    def test_the_routes_are_documented(self):
        status, _, document = self.desk.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        for path in ("/api/v1/service-tasks", "/api/v1/cases/{number}/service-task",
                     "/api/v1/cases/{number}/service-task/estimate",
                     "/api/v1/cases/{number}/service-task/approve",
                     "/api/v1/cases/{number}/service-task/decline",
                     "/api/v1/cases/{number}/service-task/schedule",
                     "/api/v1/cases/{number}/service-task/start",
                     "/api/v1/cases/{number}/service-task/done"):
            self.assertIn(path, document["paths"])


if __name__ == "__main__":
    unittest.main()

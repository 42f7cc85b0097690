"""SLA and escalation configuration through the real binary: business-hours calendars, the SLA
policy of each plan (the shipped defaults of issue 3, then replaced), on-call schedules and who is
on call, escalation policies; bad documents are clear 400/422 problems, customers never see the
configuration, and everything saved survives a restart."""

import datetime
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, unique  # noqa: E402


class SlaConfigApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        desk = cls.desk = harness.Desk()
        try:
            cls.org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
            cls.customer_id, cls.customer = desk.create_user("customer", cls.org)
            cls.agent_id, cls.agent = desk.create_user("agent", tier="shift_engineer",
                                                       name="Ada Agent")
            cls.second_id, cls.second = desk.create_user("agent", tier="shift_lead",
                                                         name="Sam Second")
        except BaseException:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def rotation(self, start="2026-03-02T09:00"):
        """Weekly turns of the two agents, handing over on Mondays 09:00 London time."""
        return {"display_name": "Primary", "time_zone": "Europe/London",
                "layers": [{"name": "weekly", "participants": [self.agent_id, self.second_id],
                            "start": start, "turn_minutes": 7 * 24 * 60}]}

    def put(self, path, body):
        status, _, response = self.desk.admin("PUT", path, body)
        self.assertEqual(status, 200, "PUT %s -> %s %r" % (path, status, response))
        return response

    def test_calendars_are_listed_saved_validated_and_protected(self):
        status, _, listed = self.desk.request("GET", "/api/v1/calendars", token=self.agent)
        self.assertEqual(status, 200, listed)
        shipped = {item["name"]: item for item in listed["items"] if item["shipped"]}
        self.assertEqual(set(shipped), {"always", "business-gmt", "service-tasks-pacific"})
        self.assertEqual(shipped["business-gmt"]["time_zone"], "GMT")
        self.assertEqual(shipped["business-gmt"]["hours"]["fri"], ["08:00-01:00"])

        name = unique("eu-")
        saved = self.put("/api/v1/calendars/" + name,
                         {"time_zone": "Europe/Paris", "holidays": ["2026-12-25"],
                          "hours": {"mon": ["09:00-12:00", "13:00-17:00"],
                                    "fri": ["22:00-02:00"]}})
        self.assertEqual((saved["name"], saved["shipped"]), (name, False))
        status, _, fetched = self.desk.request("GET", "/api/v1/calendars/" + name,
                                               token=self.agent)
        self.assertEqual(status, 200, fetched)
        self.assertEqual(fetched, saved)

        for body, field in (
                ({"time_zone": "Mars/Olympus", "hours": {"mon": ["09:00-17:00"]}}, "time_zone"),
                ({"time_zone": "UTC", "hours": {"mon": ["09:00-13:00", "12:00-17:00"]}}, "mon"),
                ({"time_zone": "UTC", "hours": {"mon": "09:00-17:00"}}, "hours.mon"),
                ({"time_zone": "UTC", "hours": {}, "colour": "red"}, "colour")):
            problem = assert_problem(self, self.desk.admin("PUT", "/api/v1/calendars/" + name,
                                                           body), 400)
            self.assertIn(field, problem["detail"])

        problem = assert_problem(self, self.desk.admin("DELETE", "/api/v1/calendars/always"), 422)
        self.assertIn("shipped", problem["detail"])
        assert_problem(self, self.desk.request("GET", "/api/v1/calendars",
                                               token=self.customer), 403)
        assert_problem(self, self.desk.request("PUT", "/api/v1/calendars/" + name,
                                               {"time_zone": "UTC"}, token=self.agent), 403)

        status, _, _ = self.desk.admin("DELETE", "/api/v1/calendars/" + name)
        self.assertEqual(status, 204)
        assert_problem(self, self.desk.request("GET", "/api/v1/calendars/" + name,
                                               token=self.agent), 404)

    def test_plans_start_with_the_shipped_sla_policies(self):
        status, _, policy = self.desk.request("GET", "/api/v1/plans/enterprise/sla-policy",
                                              token=self.agent)
        self.assertEqual(status, 200, policy)
        self.assertEqual((policy["plan"], policy["business_calendar"]),
                         ("enterprise", "business-gmt"))
        targets = policy["targets"]
        self.assertEqual(targets["1"]["first_response"], {"minutes": 60, "calendar": "always"})
        self.assertEqual(targets["1"]["next_update"], {"every_minutes": 240,
                                                       "calendar": "always"})
        self.assertEqual(targets["1"]["resolution"], {"minutes": 1440, "calendar": "always"})
        self.assertEqual(targets["2"]["next_update"]["every_minutes"], 1440)
        self.assertEqual(targets["2"]["resolution"]["minutes"], 2880)
        self.assertEqual(targets["3"]["next_update"]["on_milestone"], True)
        self.assertEqual(targets["3"]["resolution"]["named"], "next_release")
        self.assertEqual(targets["4"]["first_response"]["minutes"], 1440)
        self.assertEqual(targets["4"]["resolution"]["named"], "to_be_decided")
        self.assertEqual(policy["after_hours"]["clocks"]["triage"]["minutes"], 15)
        self.assertEqual(policy["after_hours"]["clocks"]["status_notification"]["minutes"], 60)
        status, _, professional = self.desk.request(
            "GET", "/api/v1/plans/professional/sla-policy", token=self.agent)
        self.assertEqual(status, 200, professional)
        self.assertEqual(professional["targets"]["1"]["first_response"],
                         {"minutes": 60, "calendar": "business-gmt"})
        self.assertIsNone(professional["after_hours"])

        assert_problem(self, self.desk.request("GET", "/api/v1/plans/enterprise/sla-policy",
                                               token=self.customer), 403)
        assert_problem(self, self.desk.request("GET", "/api/v1/plans/gold/sla-policy",
                                               token=self.agent), 404)

    def test_a_plans_sla_policy_is_replaced_after_validation(self):
        calendar = unique("uk-")
        self.put("/api/v1/calendars/" + calendar,
                 {"time_zone": "Europe/London", "hours": {"mon": ["09:00-17:00"],
                                                          "tue": ["09:00-17:00"]}})
        _, _, policy = self.desk.admin("GET", "/api/v1/plans/developer/sla-policy")
        policy["business_calendar"] = calendar
        policy["targets"]["2"]["first_response"]["minutes"] = 120
        saved = self.put("/api/v1/plans/developer/sla-policy", policy)
        self.assertEqual((saved["shipped"], saved["business_calendar"]), (False, calendar))
        status, _, fetched = self.desk.request("GET", "/api/v1/plans/developer/sla-policy",
                                               token=self.agent)
        self.assertEqual(fetched, saved)

        # In use now: the calendar cannot go.
        problem = assert_problem(self, self.desk.admin("DELETE", "/api/v1/calendars/" + calendar),
                                 422)
        self.assertIn("developer", problem["detail"])

        for change, field in ((("business_calendar", "atlantis"), "business_calendar"),
                              (("warning_fraction", 1.5), "warning_fraction"),
                              (("pause_statuses", ["closed"]), "pause_statuses"),
                              (("targets", {"1": policy["targets"]["1"]}), "severity 2")):
            bad = dict(policy)
            bad[change[0]] = change[1]
            problem = assert_problem(self, self.desk.admin(
                "PUT", "/api/v1/plans/developer/sla-policy", bad), 400)
            self.assertIn(field, problem["detail"])
        bad = dict(policy, targets=dict(policy["targets"]))
        bad["targets"]["1"] = {"first_response": {"minutes": "soon"},
                               "next_update": {"on_milestone": True},
                               "resolution": {"named": "next_release"}}
        problem = assert_problem(self, self.desk.admin("PUT", "/api/v1/plans/developer/sla-policy",
                                                       bad), 400)
        self.assertIn("targets.1.first_response.minutes", problem["detail"])
        assert_problem(self, self.desk.request("PUT", "/api/v1/plans/developer/sla-policy",
                                               policy, token=self.agent), 403)
        policy.pop("plan")
        assert_problem(self, self.desk.admin("PUT", "/api/v1/plans/gold/sla-policy", policy), 404)

    def test_who_is_on_call(self):
        name = unique("primary-")
        saved = self.put("/api/v1/oncall-schedules/" + name, self.rotation())
        self.assertEqual(saved["name"], name)
        path = "/api/v1/oncall/%s/now" % name
        status, _, now = self.desk.request("GET", path + "?at=2026-03-09T09:30:00Z",
                                           token=self.agent)
        self.assertEqual(status, 200, now)
        self.assertEqual(now, {"schedule": name, "at": "2026-03-09T09:30:00Z",
                               "user": {"id": self.second_id, "name": "Sam Second",
                                        "email": now["user"]["email"]},
                               "layer": "weekly", "since": "2026-03-09T09:00:00Z",
                               "until": "2026-03-16T09:00:00Z"})
        # After the clocks go forward (29 March) the handoff stays at 09:00 London time, which
        # is now 08:00 UTC: at 08:30 local the second agent's week is not over yet.
        status, _, summer = self.desk.request(
            "GET", path + "?at=2026-03-30T08:30:00%2B01:00", token=self.agent)
        self.assertEqual(status, 200, summer)
        self.assertEqual(summer["at"], "2026-03-30T07:30:00Z")
        self.assertEqual(summer["user"]["id"], self.second_id)
        self.assertEqual(summer["until"], "2026-03-30T08:00:00Z")
        status, _, before = self.desk.request("GET", path + "?at=2026-01-01T00:00:00Z",
                                              token=self.agent)
        self.assertEqual(status, 200, before)
        self.assertIsNone(before["user"])
        # Without "at": the server's now.
        status, _, current = self.desk.request("GET", path, token=self.agent)
        self.assertEqual(status, 200, current)
        at = datetime.datetime.strptime(current["at"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=datetime.timezone.utc)
        self.assertLess(abs(time.time() - at.timestamp()), 120, current)
        if current["user"] is not None:
            self.assertIn(current["user"]["id"], (self.agent_id, self.second_id))

        assert_problem(self, self.desk.request("GET", path + "?at=tomorrow", token=self.agent),
                       400)
        assert_problem(self, self.desk.request("GET", "/api/v1/oncall/%s/now" % unique("none-"),
                                               token=self.agent), 404)
        assert_problem(self, self.desk.request("GET", path, token=self.customer), 403)

    def test_schedules_with_gaps_or_strangers_are_refused(self):
        name = unique("rota-")
        gap = self.rotation()
        gap["layers"][0]["restrictions"] = [{"day": day, "window": "09:00-17:00"}
                                            for day in ("mon", "tue", "wed", "thu", "fri")]
        problem = assert_problem(self, self.desk.admin("PUT", "/api/v1/oncall-schedules/" + name,
                                                       gap), 400)
        self.assertIn("gap", problem["detail"])
        stranger = self.rotation()
        stranger["layers"][0]["participants"] = [self.agent_id, self.customer_id]
        problem = assert_problem(self, self.desk.admin("PUT", "/api/v1/oncall-schedules/" + name,
                                                       stranger), 400)
        self.assertIn("layers[0].participants[1]", problem["detail"])
        wrong = self.rotation()
        wrong["layers"][0]["turn_minutes"] = "weekly"
        problem = assert_problem(self, self.desk.admin("PUT", "/api/v1/oncall-schedules/" + name,
                                                       wrong), 400)
        self.assertIn("layers[0].turn_minutes", problem["detail"])
        zone = dict(self.rotation(), time_zone="Europe/Atlantis")
        problem = assert_problem(self, self.desk.admin("PUT", "/api/v1/oncall-schedules/" + name,
                                                       zone), 400)
        self.assertIn("time_zone", problem["detail"])
        assert_problem(self, self.desk.request("GET", "/api/v1/oncall-schedules/" + name,
                                               token=self.agent), 404)

    def test_escalation_policies_refuse_cycles_and_guard_what_they_use(self):
        schedule = unique("sched-")
        self.put("/api/v1/oncall-schedules/" + schedule, self.rotation())
        first, second = unique("urgent-"), unique("handover-")
        policy = {"description": "Executives hear about urgent issues",
                  "plans": ["enterprise"], "severities": [1],
                  "levels": [{"trigger": "sla_breach", "clocks": ["first_response"],
                              "delay_minutes": 30,
                              "targets": [{"kind": "oncall", "ref": schedule},
                                          {"kind": "tier", "ref": "executive"}],
                              "actions": ["notify"]}]}
        saved = self.put("/api/v1/escalation-policies/" + first, policy)
        self.assertEqual((saved["name"], saved["enabled"]), (first, True))
        handover = dict(policy, levels=[dict(policy["levels"][0],
                                             targets=[{"kind": "policy", "ref": first}])])
        self.put("/api/v1/escalation-policies/" + second, handover)

        cyclic = dict(policy, levels=[dict(policy["levels"][0],
                                           targets=[{"kind": "policy", "ref": second}])])
        problem = assert_problem(self, self.desk.admin(
            "PUT", "/api/v1/escalation-policies/" + first, cyclic), 400)
        self.assertIn("cycle", problem["detail"])
        problem = assert_problem(self, self.desk.admin(
            "PUT", "/api/v1/escalation-policies/" + unique("empty-"), dict(policy, levels=[])),
            400)
        self.assertIn("levels", problem["detail"])
        customer_target = dict(policy, levels=[dict(policy["levels"][0], targets=[
            {"kind": "user", "ref": str(self.customer_id)}])])
        problem = assert_problem(self, self.desk.admin(
            "PUT", "/api/v1/escalation-policies/" + unique("cust-"), customer_target), 400)
        self.assertIn("levels[0].targets[0]", problem["detail"])

        status, _, listed = self.desk.request("GET", "/api/v1/escalation-policies",
                                              token=self.agent)
        self.assertEqual(status, 200, listed)
        self.assertIn(saved, listed["items"])
        assert_problem(self, self.desk.request("GET", "/api/v1/escalation-policies",
                                               token=self.customer), 403)

        problem = assert_problem(self, self.desk.admin(
            "DELETE", "/api/v1/oncall-schedules/" + schedule), 422)
        self.assertIn(first, problem["detail"])
        assert_problem(self, self.desk.admin("DELETE", "/api/v1/escalation-policies/" + first),
                       422)
        for name in (second, first):
            status, _, _ = self.desk.admin("DELETE", "/api/v1/escalation-policies/" + name)
            self.assertEqual(status, 204)
        status, _, _ = self.desk.admin("DELETE", "/api/v1/oncall-schedules/" + schedule)
        self.assertEqual(status, 204)

    def test_saved_configuration_survives_a_restart(self):
        calendar, schedule, policy_name = unique("keep-"), unique("keep-"), unique("keep-")
        saved_calendar = self.put("/api/v1/calendars/" + calendar,
                                  {"time_zone": "America/New_York",
                                   "hours": {"wed": ["08:00-20:00"]}})
        saved_schedule = self.put("/api/v1/oncall-schedules/" + schedule, self.rotation())
        saved_policy = self.put("/api/v1/escalation-policies/" + policy_name, {
            "levels": [{"trigger": "manual", "targets": [{"kind": "oncall", "ref": schedule}],
                        "actions": ["notify", "reassign"]}]})
        self.desk.restart()
        for path, saved in (("/api/v1/calendars/" + calendar, saved_calendar),
                            ("/api/v1/oncall-schedules/" + schedule, saved_schedule),
                            ("/api/v1/escalation-policies/" + policy_name, saved_policy)):
            status, _, fetched = self.desk.request("GET", path, token=self.agent)
            self.assertEqual((status, fetched), (200, saved), path)

    def test_the_routes_are_documented(self):
        status, _, document = self.desk.request("GET", "/api/v1/openapi.json")
        self.assertEqual(status, 200)
        for path in ("/api/v1/calendars/{name}", "/api/v1/plans/{name}/sla-policy",
                     "/api/v1/escalation-policies/{name}", "/api/v1/oncall-schedules/{name}",
                     "/api/v1/oncall/{schedule}/now"):
            self.assertIn(path, document["paths"])


if __name__ == "__main__":
    unittest.main()

"""The console's business-hours calendar pages through the real binary (issue 5's admin:
calendars with a preview of due times): the admin index that leads to them, the shipped
calendars listed, the due-time preview of the SLA targets that run on a calendar (stored, and
edited but not saved), an admin creating, saving and deleting a calendar that the API then
serves, bad calendars refused with the reason, agents limited to previews, customers and forged
forms refused."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BUSINESS = "/console/admin/calendars/business-gmt"
BUSINESS_WEEK = dict(time_zone="GMT", mon="08:00-01:00", tue="08:00-01:00", wed="08:00-01:00",
                     thu="08:00-01:00", fri="08:00-01:00", sat="", sun="", holidays="")


def row_of(page, label):
    """The text of the preview table's row for a target, tags removed."""
    match = re.search(rb"<tr>\s*<td data-label=\"Target\">" + re.escape(label.encode()) +
                      rb"</td>(.*?)</tr>", page, re.S)
    assert match, "no preview row for %r" % label
    return re.sub(rb"<[^>]+>", b" ", match.group(1)).decode()


class ConsoleCalendarsTest(unittest.TestCase):
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

    def test_lists_the_shipped_calendars(self):
        status, _, page = self.admin.get("/console/admin/calendars")
        self.assertEqual(status, 200)
        for name in (b"business-gmt", b"always", b"service-tasks-pacific"):
            self.assertIn(b'href="/console/admin/calendars/' + name + b'"', page)
        self.assertIn(b"Mon 08:00-01:00", page)
        self.assertIn(b'aria-current="page"', page)  # the navigation marks Admin

    def test_the_admin_index_leads_to_every_area(self):
        status, _, page = self.admin.get("/console/admin")
        self.assertEqual(status, 200)
        for path in (b"/console/admin/calendars", b"/console/admin/plans",
                     b"/console/admin/escalation", b"/console/admin/people",
                     b"/console/admin/orgs", b"/console/admin/mail", b"/console/tokens"):
            self.assertIn(b'href="' + path + b'"', page)
        self.assertNotIn(b"only an admin can change them", page)
        status, _, page = self.agent.get("/console/admin")
        self.assertEqual(status, 200)
        self.assertIn(b"only an admin can change them", page)

    def test_preview_of_the_stored_calendar_crosses_midnight_and_the_weekend(self):
        # Friday 23:30 GMT: 90 minutes to Friday's window end at 01:00 Saturday, the other 150
        # from Monday 08:00, so a 240-minute first response falls due Monday 10:30.
        status, _, page = self.agent.post(BUSINESS, action="preview", **dict(
            BUSINESS_WEEK, **{"from": "2026-03-13T23:30"}))
        self.assertEqual(status, 200, page)
        row = row_of(page, "Professional · severity 2 · first response")
        self.assertIn("Mon 16 Mar 2026 10:30", row)
        self.assertIn("2026-03-16T10:30:00Z", page.decode())
        # Enterprise severity 1 runs on the 24x7 calendar, not on this one.
        self.assertNotIn(b"Enterprise \xc2\xb7 severity 1", page)

    def test_preview_of_an_edited_calendar_changes_nothing_stored(self):
        edited = dict(BUSINESS_WEEK, fri="08:00-17:00")
        status, _, page = self.admin.post(BUSINESS, action="preview", minutes="60",
                                          **dict(edited, **{"from": "2026-03-13T16:30"}))
        self.assertEqual(status, 200, page)
        self.assertIn(b"as edited (not saved)", page)
        # 30 minutes on Friday (now ending 17:00), 30 more from Monday 08:00.
        self.assertIn("Mon 16 Mar 2026 08:30", row_of(page, "60 business minutes"))
        status, _, calendar = self.desk.admin("GET", "/api/v1/calendars/business-gmt")
        self.assertEqual(status, 200)
        self.assertEqual(calendar["hours"]["fri"], ["08:00-01:00"])

    def test_bad_calendars_are_refused_with_the_reason_and_keep_what_was_typed(self):
        status, _, page = self.admin.post(BUSINESS, action="preview",
                                          **dict(BUSINESS_WEEK, time_zone="Mars/Olympus"))
        self.assertEqual(status, 400)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b"time_zone", page)
        self.assertIn(b'value="Mars/Olympus"', page)
        status, _, page = self.admin.post(BUSINESS, action="save",
                                          **dict(BUSINESS_WEEK, tue="25:00-26:00"))
        self.assertEqual(status, 400)
        self.assertIn(b"tue", page)
        self.assertIn(b'value="25:00-26:00"', page)
        status, _, calendar = self.desk.admin("GET", "/api/v1/calendars/business-gmt")
        self.assertEqual(calendar["hours"]["tue"], ["08:00-01:00"])

    def test_admin_creates_saves_and_deletes_a_calendar(self):
        name = harness.unique("emea-").lower()
        status, headers, _ = self.admin.get("/console/admin/calendars?new=" + name)
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].endswith("/console/admin/calendars/" + name))
        status, _, page = self.admin.get("/console/admin/calendars/" + name)
        self.assertEqual(status, 200)
        self.assertIn(b"New calendar", page)
        week = dict(time_zone="Europe/Berlin", mon="09:00-12:00, 13:00-17:00", tue="09:00-17:00",
                    wed="09:00-17:00", thu="09:00-17:00", fri="09:00-17:00", sat="", sun="",
                    holidays="2026-12-25\n2026-12-28")
        status, headers, page = self.admin.post("/console/admin/calendars/" + name,
                                                action="save", **week)
        self.assertEqual(status, 303, page)
        status, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Calendar saved.", page)
        status, _, calendar = self.desk.admin("GET", "/api/v1/calendars/" + name)
        self.assertEqual(status, 200)
        self.assertEqual(calendar["time_zone"], "Europe/Berlin")
        self.assertEqual(calendar["hours"]["mon"], ["09:00-12:00", "13:00-17:00"])
        self.assertEqual(calendar["holidays"], ["2026-12-25", "2026-12-28"])
        self.assertNotIn("sat", {day for day, windows in calendar["hours"].items() if windows})
        status, headers, _ = self.admin.post("/console/admin/calendars/" + name + "/delete")
        self.assertEqual(status, 303)
        status, _, _ = self.desk.admin("GET", "/api/v1/calendars/" + name)
        self.assertEqual(status, 404)

    def test_agents_preview_but_do_not_save(self):
        status, _, page = self.agent.get(BUSINESS)
        self.assertEqual(status, 200)
        self.assertNotIn(b'value="save"', page)
        self.assertIn(b"Only an admin can change calendars.", page)
        status, _, _ = self.agent.post(BUSINESS, action="save", **dict(BUSINESS_WEEK, sat="10:00-12:00"))
        self.assertEqual(status, 403)
        status, _, calendar = self.desk.admin("GET", "/api/v1/calendars/business-gmt")
        self.assertFalse(calendar["hours"].get("sat"))
        status, _, _ = self.agent.get("/console/admin/calendars?new=mine")
        self.assertEqual(status, 404)

    def test_customers_and_forged_forms_are_refused(self):
        customer = harness.ConsoleSession(self.desk, self.customer_email, csrf_page="/portal")
        status, _, _ = customer.get("/console/admin/calendars")
        self.assertEqual(status, 404)
        status, _, _ = customer.get(BUSINESS)
        self.assertEqual(status, 404)
        status, _, _ = customer.get("/console/admin")
        self.assertEqual(status, 404)
        status, _, _ = self.admin.post(BUSINESS, csrf="0" * 64, action="save",
                                       **dict(BUSINESS_WEEK, sat="10:00-12:00"))
        self.assertEqual(status, 403)
        status, _, calendar = self.desk.admin("GET", "/api/v1/calendars/business-gmt")
        self.assertFalse(calendar["hours"].get("sat"))


if __name__ == "__main__":
    unittest.main()

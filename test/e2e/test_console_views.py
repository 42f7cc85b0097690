"""Saved views on the staff console's queue page through the real binary (issue 5): a queue
narrowed by severity, group and organisation lists only the matching cases; a person saves the
view under a name, finds it listed (current when shown) and deletes it; duplicate names, bad
names, a tampered filter and unknown organisations are refused with the page again and the
typed name kept; views are private to the person who saved them; customers cannot reach them."""

import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

VIEW_LINK = re.compile(rb'<a href="(/console/cases\?[^"]+)"(?: aria-current="page")?>([^<]+)</a>')
DELETE_ACTION = re.compile(rb'action="/console/views/(\d+)/delete"')


class ConsoleViewsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        desk = cls.desk
        try:
            cls.globex = desk.create_org(harness.unique("Globex "), "customer", plan="enterprise")
            cls.initech = desk.create_org(harness.unique("Initech "), "customer",
                                          plan="enterprise")
            _, cls.globex_customer = desk.create_user("customer", org_id=cls.globex)
            _, cls.initech_customer = desk.create_user("customer", org_id=cls.initech)
            cls.agent_email = harness.unique("ana-") + "@provider.example"
            cls.agent_id, cls.agent_token = desk.create_user("agent", email=cls.agent_email)
            cls.customer_email = harness.unique("c-") + "@globex.example"
            desk.create_user("customer", org_id=cls.globex, email=cls.customer_email,
                             token=False)
            harness.give_admin_password(desk, cls.agent_email, cls.customer_email)
            cls.admin = harness.ConsoleSession(desk, harness.ADMIN_EMAIL)
            cls.agent = harness.ConsoleSession(desk, cls.agent_email)
            status, _, group = desk.admin("POST", "/api/v1/groups",
                                          {"name": harness.unique("Storage "),
                                           "members": [cls.agent_id]})
            assert status == 201, group
            cls.group = group["id"]
            cls.globex_major = cls.open_case(cls.globex_customer, 2)
            cls.globex_minor = cls.open_case(cls.globex_customer, 3)
            cls.initech_major = cls.open_case(cls.initech_customer, 2)
            status, _, body = desk.request("PATCH", "/api/v1/cases/%d" % cls.globex_minor,
                                           {"group_id": cls.group}, token=cls.agent_token)
            assert status == 200, body
        except Exception:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    @classmethod
    def open_case(cls, token, severity):
        return cls.desk.create_case(token, severity=severity,
                                    subject=harness.unique("Disk "))["number"]

    def page(self, session, path):
        status, headers, body = session.get(path)
        self.assertEqual(status, 200, body[:500])
        return body

    def numbers(self, session, query):
        body = self.page(session, "/console/cases?" + query)
        return [int(n) for n in re.findall(rb'data-case="(\d+)"', body)]

    def saved_views(self, session):
        """The person's saved views as (name, href, id), from the manage list."""
        body = self.page(session, "/console/cases")
        manage = body.split(b'class="cq-view-list"', 1)
        if len(manage) < 2:
            return []
        items = manage[1].split(b"</ul>", 1)[0]
        links = [(name.decode(), href.decode().replace("&amp;", "&"))
                 for href, name in VIEW_LINK.findall(items)]
        ids = [int(i) for i in DELETE_ACTION.findall(items)]
        return [(name, href, view_id) for (name, href), view_id in zip(links, ids)]

    def save(self, session, name, view_filter):
        return session.post("/console/views", name=name, filter=view_filter)

    def test_a_view_narrows_its_queue(self):
        everything = self.numbers(self.admin, "queue=untriaged")
        self.assertIn(self.globex_major, everything)
        self.assertIn(self.initech_major, everything)
        globex = self.numbers(self.admin, "queue=untriaged&org=%d" % self.globex)
        self.assertEqual(sorted(globex), sorted([self.globex_major, self.globex_minor]))
        majors = self.numbers(self.admin, "queue=untriaged&org=%d&severity=2" % self.globex)
        self.assertEqual(majors, [self.globex_major])
        storage = self.numbers(self.admin, "queue=untriaged&group=%d" % self.group)
        self.assertEqual(storage, [self.globex_minor])
        # The organisation is named, with a way back to every organisation.
        body = self.page(self.admin, "/console/cases?queue=untriaged&org=%d" % self.globex)
        self.assertIn(b"Organisation: <strong>Globex ", body)
        self.assertIn(b'<a href="/console/cases?queue=untriaged">Show every organisation</a>',
                      body)
        # Each row's organisation narrows the view to it.
        self.assertIn(("/console/cases?queue=untriaged&amp;org=%d" % self.initech).encode(),
                      self.page(self.admin, "/console/cases?queue=untriaged"))

    def test_malformed_views_are_refused(self):
        for query in ("queue=everything", "queue=severity&severity=9", "org=abc", "group=-2"):
            status, _, body = self.admin.get("/console/cases?" + query)
            self.assertEqual(status, 400, query)
            self.assertIn(b"<main", body)

    def test_save_list_use_and_delete_a_view(self):
        view_filter = "queue=untriaged&severity=2&org=%d" % self.globex
        status, headers, body = self.save(self.admin, "Globex majors", view_filter)
        self.assertEqual(status, 303, body[:800])
        self.assertEqual(headers["location"], "/console/cases?%s&notice=view-saved" % view_filter)
        body = self.page(self.admin, headers["location"])
        self.assertIn(b"View saved.", body)
        self.assertIn(('aria-current="page">Globex majors</a>').encode(), body)
        self.assertEqual(re.findall(rb'data-case="(\d+)"', body),
                         [str(self.globex_major).encode()])
        views = self.saved_views(self.admin)
        self.assertIn(("Globex majors", "/console/cases?" + view_filter), [v[:2] for v in views])
        view_id = [v[2] for v in views if v[0] == "Globex majors"][0]

        # Another person neither sees nor deletes it.
        self.assertNotIn("Globex majors", [v[0] for v in self.saved_views(self.agent)])
        status, _, _ = self.agent.post("/console/views/%d/delete" % view_id)
        self.assertEqual(status, 404)

        status, headers, _ = self.admin.post("/console/views/%d/delete" % view_id)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/console/cases?notice=view-deleted")
        self.assertIn(b"View deleted.", self.page(self.admin, headers["location"]))
        self.assertNotIn("Globex majors", [v[0] for v in self.saved_views(self.admin)])
        status, _, _ = self.admin.post("/console/views/%d/delete" % view_id)
        self.assertEqual(status, 404)

    def test_refusals_come_back_with_the_page_and_the_name(self):
        status, _, _ = self.save(self.agent, "Mine", "queue=mine")
        self.assertEqual(status, 303)
        status, _, body = self.save(self.agent, "  Mine ", "queue=mine&severity=1")
        self.assertEqual(status, 409)
        self.assertIn(b"you already have a view of this name", body)
        self.assertIn(b'value="  Mine "', body)
        self.assertIn(b'<details class="cq-save" open>', body)
        status, _, body = self.save(self.agent, "   ", "queue=mine")
        self.assertEqual(status, 400)
        self.assertIn(b"name: required", body)
        status, _, body = self.save(self.agent, "Tampered", "queue=everything")
        self.assertEqual(status, 400)
        self.assertIn(b"unknown queue", body)
        status, _, body = self.save(self.agent, "Nowhere", "queue=mine&org=987654321")
        self.assertEqual(status, 400)
        self.assertIn(b"org: no organisation 987654321", body)
        names = [v[0] for v in self.saved_views(self.agent)]
        self.assertEqual(names.count("Mine"), 1)
        self.assertFalse({"Tampered", "Nowhere", ""} & set(names))

    def test_names_are_escaped(self):
        status, headers, _ = self.save(self.admin, '<img src=x onerror=alert(1)>', "queue=on_hold")
        self.assertEqual(status, 303)
        body = self.page(self.admin, "/console/cases?queue=on_hold")
        self.assertNotIn(b"<img src=x", body)
        self.assertIn(b"&lt;img src=x onerror=alert(1)&gt;", body)

    def test_the_api_shares_the_views(self):
        status, _, view = self.desk.request(
            "POST", "/api/v1/views", {"name": "API held", "queue": "on_hold",
                                      "org_id": self.initech}, token=self.agent_token)
        self.assertEqual(status, 201, view)
        self.assertEqual(view["href"], "/console/cases?queue=on_hold&org=%d" % self.initech)
        self.assertIsNone(view["severity"])
        self.assertIn(("API held", view["href"], view["id"]), self.saved_views(self.agent))
        status, _, listed = self.desk.request("GET", "/api/v1/views", token=self.agent_token)
        self.assertEqual(status, 200)
        self.assertIn(view["id"], [item["id"] for item in listed["items"]])
        for body, code in (({"name": "API held"}, 409),
                           ({"name": "x", "severity": 7}, 400),
                           ({"name": "x", "org_id": "one"}, 400),
                           ({"name": "x", "colour": "red"}, 400),
                           ({"queue": "mine"}, 400)):
            status, _, problem = self.desk.request("POST", "/api/v1/views", body,
                                                   token=self.agent_token)
            self.assertEqual(status, code, (body, problem))
        status, _, _ = self.desk.request("GET", "/api/v1/views", token=self.globex_customer)
        self.assertEqual(status, 404)
        status, _, _ = self.desk.admin("DELETE", "/api/v1/views/%d" % view["id"])
        self.assertEqual(status, 404)
        status, _, _ = self.desk.request("DELETE", "/api/v1/views/%d" % view["id"],
                                         token=self.agent_token)
        self.assertEqual(status, 204)

    def test_customers_and_strangers_cannot_reach_views(self):
        customer = harness.ConsoleSession(self.desk, self.customer_email, csrf_page="/portal")
        status, _, _ = customer.post("/console/views", name="Mine", filter="queue=mine")
        self.assertEqual(status, 404)
        status, headers, _ = self.desk.request(
            "POST", "/console/views", raw_body=urllib.parse.urlencode({"name": "x"}),
            headers=harness.ConsoleSession.FORM)
        self.assertIn(status, (303, 403))


if __name__ == "__main__":
    unittest.main()

"""The console's directory admin pages through the real binary (issue 5's admin: groups and
people, organisations and partners): an admin adds a partner and a customer under it with a plan,
a contact of that customer, a staff member put into a group, changes tier and skills and
deactivates someone, changes a role (never their own), and the JSON API then returns what each
form saved; lists page and filter;
a refused form keeps what was typed and says why; an agent reads but is refused on save with the
use case's reason; customers, unknown ids and forged forms get nothing."""

import html
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def created_id(test, result, prefix):
    """The id at the end of a 303's Location under `prefix` (with the notice query)."""
    status, headers, page = result
    test.assertEqual(status, 303, page)
    match = re.match(r"^(?:https?://[^/]+)?" + re.escape(prefix) + r"/(\d+)\?notice=",
                     headers["location"])
    test.assertTrue(match, headers["location"])
    return int(match.group(1))


class ConsolePeopleTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        try:
            cls.agent_email = harness.unique("ana-") + "@provider.example"
            cls.agent_id, _ = cls.desk.create_user("agent", email=cls.agent_email,
                                                   name="Ana Agent", token=False)
            cls.org = cls.desk.create_org(harness.unique("Initech "), "customer",
                                          plan="enterprise")
            cls.customer_email = harness.unique("c-") + "@initech.example"
            cls.desk.create_user("customer", org_id=cls.org, email=cls.customer_email,
                                 token=False)
            harness.give_admin_password(cls.desk, cls.agent_email, cls.customer_email)
            cls.admin = harness.ConsoleSession(cls.desk, harness.ADMIN_EMAIL)
            cls.agent = harness.ConsoleSession(cls.desk, cls.agent_email)
        except Exception:
            cls.desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def api(self, path):
        status, _, body = self.desk.admin("GET", path)
        self.assertEqual(status, 200, body)
        return body

    def test_admin_adds_a_customer_under_a_partner_with_a_plan_and_a_contact(self):
        partner_name = harness.unique("Reseller ")
        partner = created_id(self, self.admin.post(
            "/console/admin/orgs", name=partner_name, kind="partner", parent_id="",
            plan="professional", time_zone="UTC"), "/console/admin/orgs")
        status, _, page = self.admin.get("/console/admin/orgs/%d?notice=org-created" % partner)
        self.assertEqual(status, 200)
        self.assertIn(b"Organisation created.", page)
        self.assertEqual(self.api("/api/v1/orgs/%d" % partner)["kind"], "partner")
        customer_name = harness.unique("Globex ")
        customer = created_id(self, self.admin.post(
            "/console/admin/orgs", name=customer_name, kind="customer", parent_id=str(partner),
            plan="enterprise", time_zone="Europe/Berlin", shares_cases="1"),
            "/console/admin/orgs")
        org = self.api("/api/v1/orgs/%d" % customer)
        self.assertEqual((org["name"], org["kind"], org["parent_id"], org["plan"],
                          org["time_zone"], org["shares_cases"]),
                         (customer_name, "customer", partner, "enterprise", "Europe/Berlin", True))
        # The partner's page lists the customer; the customer's links its partner.
        _, _, page = self.admin.get("/console/admin/orgs/%d" % partner)
        self.assertIn(('href="/console/admin/orgs/%d">%s</a>' % (customer, customer_name))
                      .encode(), page)
        _, _, page = self.admin.get("/console/admin/orgs/%d" % customer)
        self.assertIn(('href="/console/admin/orgs/%d">%s</a>' % (partner, partner_name))
                      .encode(), page)
        # A contact of the customer, managing its contact list.
        email = harness.unique("gina-") + "@globex.example"
        status, headers, page = self.admin.post("/console/admin/orgs/%d/contacts" % customer,
                                                email=email, name="Gina Globex", org_admin="1")
        self.assertEqual(status, 303, page)
        users = self.api("/api/v1/users?org_id=%d" % customer)["items"]
        self.assertEqual([(u["email"], u["name"], u["role"], u["org_admin"]) for u in users],
                         [(email, "Gina Globex", "customer", True)])
        _, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Contact added.", page)
        self.assertIn(b"Gina Globex", page)
        # A partner agent added on the partner's page.
        agent_email = harness.unique("pete-") + "@reseller.example"
        status, _, _ = self.admin.post("/console/admin/orgs/%d/contacts" % partner,
                                       email=agent_email, name="Pete Partner")
        self.assertEqual(status, 303)
        users = self.api("/api/v1/users?org_id=%d" % partner)["items"]
        self.assertEqual([(u["email"], u["role"]) for u in users],
                         [(agent_email, "partner_agent")])

    def test_admin_edits_an_organisation_and_bad_values_are_refused(self):
        org = self.desk.create_org(harness.unique("Hooli "), "customer", plan="developer")
        path = "/console/admin/orgs/%d" % org
        status, headers, page = self.admin.post(path, name="Hooli XYZ", plan="enterprise",
                                                time_zone="America/New_York")
        self.assertEqual(status, 303, page)
        self.assertTrue(headers["location"].endswith("?notice=saved"))
        body = self.api("/api/v1/orgs/%d" % org)
        self.assertEqual((body["name"], body["plan"], body["time_zone"], body["shares_cases"]),
                         ("Hooli XYZ", "enterprise", "America/New_York", False))
        _, _, page = self.admin.get(path)
        self.assertIn(b'<option value="enterprise" selected>', page)
        status, _, page = self.admin.post(path, name="Hooli XYZ", plan="enterprise",
                                          time_zone="Mars/Olympus")
        self.assertEqual(status, 400)
        self.assertIn(b'role="alert"', page)
        self.assertIn(b"time_zone", page)
        self.assertIn(b'value="Mars/Olympus"', page)
        status, _, page = self.admin.post(path, name="Hooli XYZ", plan="platinum",
                                          time_zone="UTC")
        self.assertEqual(status, 400)
        self.assertIn(b"no support plan named", page)
        self.assertEqual(self.api("/api/v1/orgs/%d" % org)["time_zone"], "America/New_York")

    def test_admin_adds_staff_puts_them_in_a_group_changes_tier_and_deactivates(self):
        email = harness.unique("sam-") + "@provider.example"
        person = created_id(self, self.admin.post(
            "/console/admin/people", email=email, name="Sam Staff", role="agent", org_id="",
            tier="shift_engineer"), "/console/admin/people")
        user = self.api("/api/v1/users/%d" % person)
        self.assertEqual((user["email"], user["role"], user["tier"], user["org_id"]),
                         (email, "agent", "shift_engineer", self.desk.provider_org_id()))
        group_name = harness.unique("Storage ")
        group = created_id(self, self.admin.post("/console/admin/groups", name=group_name,
                                                 description="Disks and arrays"),
                           "/console/admin/groups")
        status, headers, _ = self.admin.post("/console/admin/people/%d/groups" % person,
                                             action="add", group_id=str(group))
        self.assertEqual(status, 303)
        self.assertEqual(self.api("/api/v1/groups/%d" % group)["members"], [person])
        _, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Added to the group.", page)
        self.assertIn(('href="/console/admin/groups/%d">%s</a>' % (group, group_name)).encode(),
                      page)
        _, _, page = self.admin.get("/console/admin/groups/%d" % group)
        self.assertIn(b"Sam Staff", page)
        # Tier and skills changed, and deactivated (the "active" box left unticked).
        status, _, page = self.admin.post("/console/admin/people/%d" % person, name="Sam Storage",
                                          tier="shift_lead", skills="storage, network")
        self.assertEqual(status, 303, page)
        user = self.api("/api/v1/users/%d" % person)
        self.assertEqual((user["name"], user["tier"], user["skills"], user["active"]),
                         ("Sam Storage", "shift_lead", ["storage", "network"], False))
        _, _, page = self.admin.get("/console/admin/people/%d" % person)
        self.assertIn(b"Deactivated", page)
        self.assertIn(b"Recent history", page)
        self.assertIn(b"tier: shift_engineer \xe2\x86\x92 shift_lead", page)
        # Removed from the group on the group's page.
        status, _, _ = self.admin.post("/console/admin/groups/%d/members" % group,
                                       action="remove", user_id=str(person))
        self.assertEqual(status, 303)
        self.assertEqual(self.api("/api/v1/groups/%d" % group)["members"], [])
        # The group's own form.
        status, _, _ = self.admin.post("/console/admin/groups/%d" % group, name=group_name,
                                       description="SAN and NAS")
        self.assertEqual(status, 303)
        self.assertEqual(self.api("/api/v1/groups/%d" % group)["description"], "SAN and NAS")

    def role_options(self, page):
        """The values of the person form's Role <select>, and the selected one."""
        select = re.search(rb'<label for="person-role">Role</label>\s*'
                           rb'<select id="person-role" name="role"[^>]*>(.*?)</select>', page, re.S)
        self.assertTrue(select, "no labelled Role select")
        options = re.findall(rb'<option value="([a-z_]+)"( selected)?>', select.group(1))
        return ([value.decode() for value, _ in options],
                [value.decode() for value, chosen in options if chosen])

    def test_admin_changes_a_role_on_the_person_page_but_never_their_own(self):
        email = harness.unique("rob-") + "@provider.example"
        rob, _ = self.desk.create_user("agent", email=email, name="Rob Role", token=False)
        harness.give_admin_password(self.desk, email)
        rob_session = harness.ConsoleSession(self.desk, email)
        path = "/console/admin/people/%d" % rob
        _, _, page = self.admin.get(path)
        self.assertEqual(self.role_options(page),
                         (["agent", "success_manager", "admin"], ["agent"]))
        status, headers, page = self.admin.post(path, name="Rob Role", role="success_manager",
                                                tier="none", skills="", active="1")
        self.assertEqual(status, 303, page)
        self.assertTrue(headers["location"].endswith("?notice=role-changed"))
        self.assertEqual(self.api("/api/v1/users/%d" % rob)["role"], "success_manager")
        _, _, page = self.admin.get(headers["location"])
        self.assertIn(b"Role changed.", page)
        self.assertIn(b"role: agent \xe2\x86\x92 success_manager", page)
        self.assertEqual(self.role_options(page)[1], ["success_manager"])
        # Rob signs in again to work as a success manager.
        status, headers, _ = rob_session.get("/console/cases")
        self.assertEqual(status, 303)
        self.assertIn("/login", headers["location"])

        # A contact's page offers only the customer role; a forged one is refused.
        contact = self.api("/api/v1/users?org_id=%d" % self.org)["items"][0]
        contact_path = "/console/admin/people/%d" % contact["id"]
        _, _, page = self.admin.get(contact_path)
        self.assertEqual(self.role_options(page), (["customer"], ["customer"]))
        status, _, page = self.admin.post(contact_path, name=contact["name"], role="agent",
                                          active="1")
        self.assertEqual(status, 400)
        self.assertIn(b"role: provider roles belong to the provider organisation", page)
        self.assertIn(b'aria-invalid="true"', page)
        self.assertEqual(self.api("/api/v1/users/%d" % contact["id"])["role"], "customer")

        # The admin's own page says they cannot, and a try is refused with the reason.
        me = self.api("/api/v1/users/me")
        own_path = "/console/admin/people/%d" % me["id"]
        _, _, page = self.admin.get(own_path)
        self.assertIn(b"You cannot change your own role", page)
        status, _, page = self.admin.post(own_path, name=me["name"], role="agent", tier="none",
                                          skills="", active="1")
        self.assertEqual(status, 400)
        self.assertIn(b"role: you cannot change your own role", page)
        self.assertEqual(self.api("/api/v1/users/me")["role"], "admin")

        # An agent sees the role but no control to change it.
        _, _, page = self.agent.get(path)
        self.assertNotIn(b'name="role"', page)

    def test_a_refused_add_keeps_what_was_typed(self):
        status, _, page = self.admin.post("/console/admin/people", email=self.agent_email,
                                          name="Twin <b>Ana</b>", role="agent", org_id="",
                                          tier="none")
        self.assertEqual(status, 409)
        self.assertIn(b"already exists", page)
        self.assertIn(b'value="Twin &lt;b&gt;Ana&lt;/b&gt;"', page)
        status, _, page = self.admin.post("/console/admin/people", email="x@example.com",
                                          name="X", role="customer", org_id="", tier="none")
        self.assertEqual(status, 400)
        self.assertIn(b"customers and partner agents belong to a customer or partner", page)
        status, _, page = self.admin.post("/console/admin/orgs", name="", kind="customer",
                                          parent_id="", plan="enterprise", time_zone="UTC")
        self.assertEqual(status, 400)
        self.assertIn(b"name", page)

    def test_lists_page_and_filter(self):
        org = self.desk.create_org(harness.unique("Paged "), "customer", plan="developer")
        emails = set()
        for i in range(53):
            email = harness.unique("p%02d-" % i) + "@paged.example"
            self.desk.create_user("customer", org_id=org, email=email, token=False)
            emails.add(email.encode())
        status, _, first = self.admin.get("/console/admin/people?org_id=%d" % org)
        self.assertEqual(status, 200)
        rows = re.findall(rb'<td data-label="Email">([^<]+)</td>', first)
        self.assertEqual(len(rows), 50)
        next_href = re.search(rb'<a href="([^"]+)" rel="next">', first).group(1)
        status, _, second = self.admin.get(html.unescape(next_href.decode()))
        self.assertEqual(status, 200)
        rest = re.findall(rb'<td data-label="Email">([^<]+)</td>', second)
        self.assertEqual(set(rows) | set(rest), emails)
        self.assertNotIn(b'rel="next"', second)
        self.assertIn(b"First page", second)
        # The role filter.
        _, _, page = self.admin.get("/console/admin/people?role=agent")
        self.assertIn(self.agent_email.encode(), page)
        self.assertNotIn(self.customer_email.encode(), page)
        status, _, page = self.admin.get("/console/admin/people?role=wizard")
        self.assertEqual(status, 400)
        self.assertIn(b"role: choose a role", page)
        # Organisations by kind.
        _, _, page = self.admin.get("/console/admin/orgs?kind=customer")
        self.assertIn(b'data-label="Kind">Customer', page)
        self.assertNotIn(b'data-label="Kind">Partner', page)
        self.assertLess(len(page), 100 * 1024)

    def test_an_agent_reads_but_is_refused_on_save(self):
        for path in ("/console/admin/people", "/console/admin/people/%d" % self.agent_id,
                     "/console/admin/groups", "/console/admin/orgs",
                     "/console/admin/orgs/%d" % self.org):
            status, _, _ = self.agent.get(path)
            self.assertEqual(status, 200, path)
        admin_id = self.api("/api/v1/users/me")["id"]
        status, _, page = self.agent.post("/console/admin/people/%d" % admin_id,
                                          name="Not The Admin", tier="none", skills="",
                                          active="1")
        self.assertEqual(status, 403)
        self.assertIn(b"you may not change name for this user", page)
        self.assertIn(b'value="Not The Admin"', page)
        self.assertNotEqual(self.api("/api/v1/users/%d" % admin_id)["name"], "Not The Admin")
        status, _, page = self.agent.post("/console/admin/orgs/%d" % self.org, name="Renamed",
                                          plan="enterprise", time_zone="UTC")
        self.assertEqual(status, 403)
        self.assertIn(b"only an admin may change organisations", page)
        status, _, page = self.agent.post("/console/admin/groups", name="Agents only")
        self.assertEqual(status, 403)
        self.assertIn(b"only an admin may create groups", page)
        status, _, page = self.agent.post("/console/admin/people", email="s@provider.example",
                                          name="S", role="admin", org_id="", tier="none")
        self.assertEqual(status, 403)
        self.assertIn(b"only an admin may create provider staff", page)

    def test_customers_unknown_ids_and_forged_forms_get_nothing(self):
        customer = harness.ConsoleSession(self.desk, self.customer_email, csrf_page="/portal")
        for path in ("/console/admin/people", "/console/admin/orgs", "/console/admin/groups",
                     "/console/admin/orgs/%d" % self.org):
            status, _, _ = customer.get(path)
            self.assertEqual(status, 404, path)
        status, _, _ = customer.post("/console/admin/orgs/%d" % self.org, name="Mine",
                                     plan="enterprise", time_zone="UTC")
        self.assertEqual(status, 404)
        for path in ("/console/admin/people/999999", "/console/admin/orgs/999999",
                     "/console/admin/groups/999999", "/console/admin/people/abc"):
            status, _, page = self.admin.get(path)
            self.assertEqual(status, 404, path)
            self.assertIn(b"Page not found", page)
        status, _, _ = self.admin.post("/console/admin/orgs/999999", name="Ghost",
                                       plan="enterprise", time_zone="UTC")
        self.assertEqual(status, 404)
        status, _, _ = self.admin.post("/console/admin/orgs/%d" % self.org, csrf="0" * 64,
                                       name="Forged", plan="enterprise", time_zone="UTC")
        self.assertEqual(status, 403)
        self.assertNotEqual(self.api("/api/v1/orgs/%d" % self.org)["name"], "Forged")


if __name__ == "__main__":
    unittest.main()

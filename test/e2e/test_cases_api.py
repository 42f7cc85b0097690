"""A support desk run through the real binary's REST API: organisations, people, cases,
conversation visibility, severity, lifecycle, pagination, filters, audit trail, secret fields,
attachments and search, as each kind of user sees them."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, unique  # noqa: E402

MAX_ATTACHMENT_BYTES = 4096
SEVERITY_NAMES = {1: "critical", 2: "major", 3: "minor", 4: "other"}


def severity_is(value, level):
    """An event's before/after severity, written as the number or the name."""
    return str(value).strip().lower() in (str(level), SEVERITY_NAMES[level])


def comment_bodies(body):
    return [item["body"] for item in body["items"]]


class DeskTest(unittest.TestCase):
    """One desk for the module: provider, a partner with a customer under it, a direct
    customer, another unrelated customer, and people in each."""

    @classmethod
    def setUpClass(cls):
        desk = cls.desk = harness.Desk(
            env={"CASEDESK_LIMITS_MAX_ATTACHMENT_BYTES": str(MAX_ATTACHMENT_BYTES)})
        try:
            cls.partner = desk.create_org(unique("Partner "), "partner", plan="professional")
            cls.partner_customer = desk.create_org(unique("Reseller Customer "), "customer",
                                                   parent_id=cls.partner, plan="professional")
            cls.direct = desk.create_org(unique("Direct "), "customer", plan="enterprise")
            cls.other = desk.create_org(unique("Other "), "customer", plan="developer")
            cls.alice_id, cls.alice = desk.create_user("customer", cls.partner_customer)
            cls.bob_id, cls.bob = desk.create_user("customer", cls.direct)
            cls.bob2_id, cls.bob2 = desk.create_user("customer", cls.direct)
            cls.carol_id, cls.carol = desk.create_user("customer", cls.other)
            cls.pat_id, cls.pat = desk.create_user("partner_agent", cls.partner)
            cls.agent_id, cls.agent = desk.create_user("agent", tier="shift_engineer",
                                                       skills=["network"])
        except BaseException:
            desk.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def req(self, method, path, body=None, token=None, **kwargs):
        return self.desk.request(method, path, body=body, token=token, **kwargs)

    def get_case(self, number, token):
        return self.req("GET", "/api/v1/cases/%d" % number, token=token)

    def patch(self, number, token, **body):
        return self.req("PATCH", "/api/v1/cases/%d" % number, body, token=token)

    def comment(self, number, token, text, visibility="public"):
        return self.req("POST", "/api/v1/cases/%d/comments" % number,
                        {"body": text, "visibility": visibility}, token=token)

    def events(self, number, token=None):
        status, _, body = self.req("GET", "/api/v1/cases/%d/events?limit=200" % number,
                                   token=token or self.agent)
        self.assertEqual(status, 200, body)
        return body["items"]


class DirectoryTest(DeskTest):
    def test_duplicate_email_is_a_conflict(self):
        email = unique("dup-") + "@example.com"
        self.desk.create_user("customer", self.direct, email=email, token=False)
        result = self.desk.admin("POST", "/api/v1/users", {
            "email": email.upper(), "name": "Again", "role": "customer", "org_id": self.direct})
        assert_problem(self, result, 409)

    def test_developer_plan_is_not_partner_eligible(self):
        result = self.desk.admin("POST", "/api/v1/orgs", {
            "name": unique("Cheap Partner "), "kind": "partner",
            "parent_id": self.desk.provider_org_id(), "plan": "developer"})
        self.assertIn(result[0], (400, 422), result[2])
        assert_problem(self, result, result[0])

    def test_partner_agent_sees_its_customer_org_but_not_others(self):
        status, _, _ = self.req("GET", "/api/v1/orgs/%d" % self.partner_customer, token=self.pat)
        self.assertEqual(status, 200)
        assert_problem(self, self.req("GET", "/api/v1/orgs/%d" % self.direct, token=self.pat), 404)

    def test_me_describes_the_caller(self):
        status, _, me = self.req("GET", "/api/v1/users/me", token=self.agent)
        self.assertEqual(status, 200, me)
        self.assertEqual(me["id"], self.agent_id)
        self.assertEqual(me["role"], "agent")
        self.assertEqual(me["tier"], "shift_engineer")


class CaseFlowTest(DeskTest):
    def test_customer_opens_a_case_and_the_agent_finds_it(self):
        subject = unique("Database unreachable ")
        status, _, case = self.req("POST", "/api/v1/cases", {
            "subject": subject, "description": "Since 10:00 the primary refuses connections.",
            "severity": 2, "category": "incident",
            "fields": {"server_name": "db-01", "external_ip": "203.0.113.7"}}, token=self.bob)
        self.assertEqual(status, 201, case)
        self.assertIsInstance(case["number"], int)
        self.assertEqual(case["status"], "new")
        self.assertEqual(case["severity"], 2)

        status, _, seen = self.get_case(case["number"], self.bob)
        self.assertEqual(status, 200)
        self.assertEqual(seen["subject"], subject)
        self.assertEqual(seen["org_id"], self.direct)
        self.assertEqual(seen["requester_id"], self.bob_id)
        self.assertEqual(seen["fields"]["server_name"], "db-01")

        listed = self.desk.list_all("/api/v1/cases?org_id=%d" % self.direct, self.agent)
        self.assertIn(case["number"], [item["number"] for item in listed])

    def test_case_numbers_are_unique_and_increasing(self):
        numbers = [self.desk.create_case(self.bob)["number"] for _ in range(5)]
        self.assertEqual(numbers, sorted(set(numbers)))

    def test_conversation_visibility_for_customer_partner_and_agent(self):
        number = self.desk.create_case(self.alice, subject=unique("VPN flaps "))["number"]
        public_text = unique("Please restart the tunnel ")
        internal_text = unique("Internal: suspect upstream router ")
        status, _, reply = self.comment(number, self.agent, public_text)
        self.assertEqual(status, 201, reply)
        status, _, case = self.get_case(number, self.agent)
        self.assertEqual(case["status"], "open", "first staff reply should open a new case")
        status, _, note = self.comment(number, self.agent, internal_text, "internal")
        self.assertEqual(status, 201, note)

        for who, token in (("customer", self.alice), ("partner agent", self.pat)):
            with self.subTest(viewer=who):
                status, _, _ = self.get_case(number, token)
                self.assertEqual(status, 200)
                listed = self.req("GET", "/api/v1/cases/%d/comments" % number, token=token)
                status, _, comments = listed
                self.assertEqual(status, 200, comments)
                self.assertIn(public_text, comment_bodies(comments))
                self.assertNotIn(internal_text.encode(), listed.raw)
                self.assertEqual({c["visibility"] for c in comments["items"]}, {"public"})
                # The audit trail does not leak the note either.
                events = self.req("GET", "/api/v1/cases/%d/events" % number, token=token)
                if events[0] == 200:
                    self.assertNotIn(internal_text.encode(), events.raw)

        status, _, comments = self.req("GET", "/api/v1/cases/%d/comments" % number,
                                       token=self.agent)
        self.assertEqual(comment_bodies(comments), [public_text, internal_text])
        for item in comments["items"]:
            self.assertIn("author", item)
            self.assertIn("created_at", item)
        self.assertEqual([c["visibility"] for c in comments["items"]], ["public", "internal"])

    def test_customer_and_partner_may_not_write_internal_notes(self):
        number = self.desk.create_case(self.alice)["number"]
        for token in (self.alice, self.pat):
            result = self.comment(number, token, "sneaky", "internal")
            self.assertIn(result[0], (400, 403), result[2])
            assert_problem(self, result, result[0])
        status, _, comments = self.req("GET", "/api/v1/cases/%d/comments" % number,
                                       token=self.agent)
        self.assertEqual(comments["items"], [])

    def test_partner_agent_does_not_see_direct_customers_cases(self):
        number = self.desk.create_case(self.bob, subject=unique("Direct only "))["number"]
        assert_problem(self, self.get_case(number, self.pat), 404)
        listed = self.desk.list_all("/api/v1/cases", self.pat)
        self.assertNotIn(number, [item["number"] for item in listed])

    def test_customer_of_another_org_gets_404_everywhere(self):
        word = unique("zebracorn")
        number = self.desk.create_case(self.bob, subject="Broken " + word)["number"]
        self.comment(number, self.agent, "public answer " + word)
        status, _, attachment = self.req(
            "POST", "/api/v1/cases/%d/attachments?filename=log.txt" % number, token=self.bob,
            raw_body=b"log line\n", headers={"Content-Type": "text/plain"})
        self.assertEqual(status, 201, attachment)

        for method, path, body in (
                ("GET", "/api/v1/cases/%d" % number, None),
                ("PATCH", "/api/v1/cases/%d" % number, {"status": "solved"}),
                ("GET", "/api/v1/cases/%d/comments" % number, None),
                ("POST", "/api/v1/cases/%d/comments" % number, {"body": "hi"}),
                ("GET", "/api/v1/cases/%d/events" % number, None),
                ("GET", "/api/v1/cases/%d/attachments" % number, None),
                ("GET", "/api/v1/attachments/%s" % attachment["id"], None)):
            with self.subTest(method=method, path=path):
                result = self.req(method, path, body, token=self.carol)
                assert_problem(self, result, 404)
                self.assertNotIn(word.encode(), result.raw)
        result = self.req("POST", "/api/v1/cases/%d/attachments?filename=x.txt" % number,
                          token=self.carol, raw_body=b"x", headers={"Content-Type": "text/plain"})
        assert_problem(self, result, 404)

        status, _, hits = self.req("GET", "/api/v1/search?q=" + word, token=self.carol)
        self.assertEqual(status, 200, hits)
        self.assertEqual(hits["items"], [])
        self.assertEqual(self.desk.list_all("/api/v1/cases?text=" + word, self.carol), [])
        # Same-org contact without shared cases does not see a colleague's case either.
        assert_problem(self, self.get_case(number, self.bob2), 404)
        # And nothing the intruder tried changed the case.
        status, _, case = self.get_case(number, self.agent)
        self.assertEqual(case["status"], "open")
        status, _, comments = self.req("GET", "/api/v1/cases/%d/comments" % number,
                                       token=self.agent)
        self.assertEqual(len(comments["items"]), 1)


class SeverityTest(DeskTest):
    def test_severity_change_needs_a_reason_and_is_recorded(self):
        number = self.desk.create_case(self.bob, severity=2)["number"]
        result = self.patch(number, self.agent, severity=1)
        assert_problem(self, result, 400)
        self.assertEqual(self.get_case(number, self.agent)[2]["severity"], 2)
        events_before = len(self.events(number))

        reason = unique("Production is down for all users ")
        status, _, case = self.patch(number, self.agent, severity=1, severity_reason=reason)
        self.assertEqual(status, 200, case)
        self.assertEqual(case["severity"], 1)
        self.assertEqual(self.get_case(number, self.bob)[2]["severity"], 1)

        events = self.events(number)
        self.assertEqual(len(events), events_before + 1, events)
        event = events[-1]
        self.assertEqual(event["actor_id"], self.agent_id)
        self.assertIn(reason, event.get("reason", ""))
        changes = [c for c in event["changes"] if c["field"] == "severity"]
        self.assertEqual(len(changes), 1, event)
        self.assertTrue(severity_is(changes[0]["before"], 2), changes)
        self.assertTrue(severity_is(changes[0]["after"], 1), changes)
        self.assertTrue(event.get("at"))

    def test_workaround_downgrade_from_critical_to_minor(self):
        number = self.desk.create_case(self.bob, severity=1)["number"]
        status, _, case = self.patch(number, self.agent, severity=3,
                                     severity_reason="Customer routed traffic to the standby",
                                     severity_reason_code="workaround_provided")
        self.assertEqual(status, 200, case)
        self.assertEqual(case["severity"], 3)
        event = self.events(number)[-1]
        self.assertIn("workaround_provided", str(event))
        changes = [c for c in event["changes"] if c["field"] == "severity"]
        self.assertTrue(severity_is(changes[0]["before"], 1) and severity_is(changes[0]["after"], 3),
                        changes)

    def test_workaround_reason_only_fits_a_downgrade_to_minor(self):
        number = self.desk.create_case(self.bob, severity=4)["number"]
        for target in (3, 1):
            result = self.patch(number, self.agent, severity=target, severity_reason="because",
                                severity_reason_code="workaround_provided")
            assert_problem(self, result, 400)
        self.assertEqual(self.get_case(number, self.agent)[2]["severity"], 4)


class LifecycleTest(DeskTest):
    def status_of(self, number):
        return self.get_case(number, self.agent)[2]["status"]

    def test_lifecycle_with_invalid_transitions_and_reopen_by_customer_reply(self):
        number = self.desk.create_case(self.bob)["number"]
        assert_problem(self, self.patch(number, self.agent, status="closed"), 422)
        self.assertEqual(self.status_of(number), "new")
        for target in ("pending", "on_hold", "open", "solved"):
            status, _, case = self.patch(number, self.agent, status=target)
            self.assertEqual(status, 200, case)
            self.assertEqual(case["status"], target)
        assert_problem(self, self.patch(number, self.agent, status="pending"), 422)

        status, _, _ = self.comment(number, self.bob, "It broke again")
        self.assertEqual(status, 201)
        self.assertEqual(self.status_of(number), "open", "a customer reply reopens a solved case")

        for target in ("solved", "closed"):
            status, _, case = self.patch(number, self.agent, status=target)
            self.assertEqual(status, 200, case)
        for target in ("open", "solved", "new"):
            assert_problem(self, self.patch(number, self.agent, status=target), 422)
        self.assertEqual(self.status_of(number), "closed")
        status, _, _ = self.comment(number, self.bob, "hello?")
        self.assertEqual(self.status_of(number), "closed", "closed is final")

        kinds = [e["kind"] for e in self.events(number)]
        self.assertEqual(kinds[0], "case.created")

    def test_customer_may_solve_but_not_put_on_hold(self):
        number = self.desk.create_case(self.bob)["number"]
        result = self.patch(number, self.bob, status="on_hold")
        self.assertIn(result[0], (403, 422), result[2])
        assert_problem(self, result, result[0])
        status, _, case = self.patch(number, self.bob, status="solved")
        self.assertEqual(status, 200, case)
        self.assertEqual(case["status"], "solved")

    def test_customer_may_not_assign(self):
        number = self.desk.create_case(self.bob)["number"]
        result = self.patch(number, self.bob, assignee_id=self.agent_id)
        self.assertEqual(result[0], 403, result[2])
        self.assertIsNone(self.get_case(number, self.agent)[2].get("assignee_id"))


class ListTest(DeskTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.list_org = cls.desk.create_org(unique("Paging "), "customer", plan="enterprise")
        cls.list_contact_id, cls.list_contact = cls.desk.create_user("customer", cls.list_org)
        cls.list_numbers = [cls.desk.create_case(cls.list_contact, subject="page %d" % i,
                                                 severity=1 + i % 4)["number"]
                            for i in range(23)]

    def test_pagination_walks_every_case_exactly_once(self):
        for limit in (1, 5, 7, 23, 200):
            with self.subTest(limit=limit):
                seen = []
                cursor = None
                pages = 0
                while True:
                    url = "/api/v1/cases?org_id=%d&limit=%d" % (self.list_org, limit)
                    if cursor:
                        url += "&cursor=" + harness.quote(cursor, safe="")
                    status, _, page = self.req("GET", url, token=self.agent)
                    self.assertEqual(status, 200, page)
                    self.assertLessEqual(len(page["items"]), limit)
                    self.assertIn("next_cursor", page)
                    seen += [item["number"] for item in page["items"]]
                    pages += 1
                    cursor = page["next_cursor"]
                    if not cursor:
                        break
                    self.assertLess(pages, 100)
                self.assertEqual(len(seen), len(set(seen)), "a case appeared twice")
                self.assertEqual(sorted(seen), sorted(self.list_numbers))
        # The customer sees the same set of their own cases.
        mine = self.desk.list_all("/api/v1/cases", self.list_contact, limit=4)
        self.assertEqual(sorted(item["number"] for item in mine), sorted(self.list_numbers))

    def test_filters(self):
        numbers = self.list_numbers
        self.patch(numbers[0], self.agent, status="pending")
        self.patch(numbers[1], self.agent, status="pending")
        self.patch(numbers[2], self.agent, assignee_id=self.agent_id)
        base = "/api/v1/cases?org_id=%d" % self.list_org

        def listed(query, token=None):
            return sorted(i["number"] for i in self.desk.list_all(base + query, token or self.agent))

        self.assertEqual(listed("&status=pending"), sorted(numbers[:2]))
        self.assertEqual(len(listed("&status=new")), len(numbers) - 2)
        self.assertEqual(listed("&severity=2"), sorted(numbers[1::4]))
        self.assertEqual(listed("&assignee_id=%d" % self.agent_id), [numbers[2]])
        self.assertEqual(listed("&status=pending&severity=1"), [numbers[0]])
        self.assertEqual(listed("&text=" + "page"), sorted(numbers))
        direct = self.desk.list_all("/api/v1/cases?org_id=%d" % self.direct, self.agent)
        self.assertTrue(all(item["org_id"] == self.direct for item in direct))
        self.assertFalse(set(numbers) & {item["number"] for item in direct})
        # Each listed item carries its shape.
        item = self.desk.list_all(base + "&status=pending", self.agent)[0]
        for key in ("number", "subject", "status", "severity", "org_id"):
            self.assertIn(key, item)

    def test_group_filter(self):
        status, _, group = self.desk.admin("POST", "/api/v1/groups",
                                           {"name": unique("Network "), "members": [self.agent_id]})
        self.assertEqual(status, 201, group)
        number = self.list_numbers[5]
        status, _, case = self.patch(number, self.agent, group_id=group["id"])
        self.assertEqual(status, 200, case)
        listed = self.desk.list_all("/api/v1/cases?group_id=%d" % group["id"], self.agent)
        self.assertEqual([item["number"] for item in listed], [number])


class AuditTrailTest(DeskTest):
    def test_events_are_an_ordered_immutable_trail(self):
        number = self.desk.create_case(self.bob, severity=3)["number"]
        self.patch(number, self.agent, status="open")
        first = self.events(number)
        self.comment(number, self.agent, "Looking into it")
        self.patch(number, self.agent, severity=2, severity_reason="More users affected")
        self.patch(number, self.agent, assignee_id=self.agent_id)
        later = self.events(number)

        self.assertEqual(later[:len(first)], first, "earlier events changed")
        self.assertGreaterEqual(len(later), len(first) + 3)
        self.assertEqual(later[0]["kind"], "case.created")
        self.assertEqual(later[0]["actor_id"], self.bob_id)
        ids = [event["id"] for event in later]
        self.assertEqual(ids, sorted(set(ids)), "events not in order")
        times = [event["at"] for event in later]
        self.assertEqual(times, sorted(times))
        status_changes = [c for e in later for c in e.get("changes", []) if c["field"] == "status"]
        self.assertIn(("new", "open"), [(c["before"], c["after"]) for c in status_changes])
        assignee_changes = [c for e in later for c in e.get("changes", [])
                            if c["field"] in ("assignee_id", "assignee")]
        self.assertEqual(len(assignee_changes), 1)
        self.assertEqual(str(assignee_changes[0]["after"]), str(self.agent_id))

        for method in ("POST", "PATCH", "DELETE", "PUT"):
            result = self.req(method, "/api/v1/cases/%d/events" % number, {"kind": "forged"},
                              token=self.desk.admin_token)
            assert_problem(self, result, 405)
        self.assertEqual(self.events(number), later)

    def test_failed_changes_leave_no_event(self):
        number = self.desk.create_case(self.bob)["number"]
        before = self.events(number)
        self.patch(number, self.agent, status="closed")
        self.patch(number, self.agent, severity=1)
        self.patch(number, self.agent, assignee_id=987654321)
        self.assertEqual(self.events(number), before)


class SecretFieldsTest(DeskTest):
    def test_secret_fields_are_for_staff_only_and_erased_on_close(self):
        secret = unique("Root-Pw-")
        number = self.desk.create_case(self.alice, subject="Needs root access",
                                       secret_fields={"root_password": secret})["number"]
        # The agent working the case (its assignee) reads the secret.
        status, _, case = self.patch(number, self.agent, assignee_id=self.agent_id)
        self.assertEqual(status, 200, case)
        status, _, case = self.get_case(number, self.agent)
        self.assertEqual(status, 200)
        self.assertEqual(case["secret_fields"]["root_password"], secret)
        for token in (self.alice, self.pat):
            result = self.get_case(number, token)
            self.assertEqual(result[0], 200)
            self.assertNotIn(secret.encode(), result.raw)
            listed = self.req("GET", "/api/v1/cases?limit=200", token=token)
            self.assertNotIn(secret.encode(), listed.raw)
        for token in (self.alice, self.agent):
            self.assertNotIn(secret.encode(),
                             self.req("GET", "/api/v1/cases/%d/events" % number, token=token).raw)
        self.assert_not_on_disk(secret)

        self.patch(number, self.agent, status="solved")
        status, _, case = self.patch(number, self.agent, status="closed")
        self.assertEqual(status, 200, case)
        result = self.get_case(number, self.agent)
        self.assertNotIn(secret.encode(), result.raw)
        self.assertFalse(result[2].get("secret_fields"), result[2])
        self.assertTrue(any(e["kind"] == "case.secrets_erased" or "secret" in e["kind"]
                            for e in self.events(number)), "no event records the erasure")

    def assert_not_on_disk(self, secret):
        for path, content in harness.files_at_rest(self.desk.data_dir):
            self.assertNotIn(secret.encode(), content, "secret in clear in " + path)


class AttachmentTest(DeskTest):
    def upload(self, number, token, content, filename="notes.txt", content_type="text/plain"):
        return self.req("POST", "/api/v1/cases/%d/attachments?filename=%s" %
                        (number, harness.quote(filename, safe="")), token=token,
                        raw_body=content, headers={"Content-Type": content_type})

    def test_upload_and_download_with_safe_headers(self):
        number = self.desk.create_case(self.bob)["number"]
        content = b"<html><script>alert(1)</script></html>\n" * 10
        status, _, attachment = self.upload(number, self.bob, content, "../../evil page.html",
                                            "text/html")
        self.assertEqual(status, 201, attachment)
        for token in (self.bob, self.agent):
            status, headers, body = self.req("GET", "/api/v1/attachments/%s" % attachment["id"],
                                             token=token)
            self.assertEqual(status, 200)
            self.assertEqual(body, content)
            disposition = headers.get("content-disposition", "")
            self.assertTrue(disposition.startswith("attachment"), disposition)
            self.assertNotIn("/", disposition)
            self.assertNotIn("..", disposition)
            self.assertEqual(headers.get("x-content-type-options"), "nosniff")
        status, _, listed = self.req("GET", "/api/v1/cases/%d/attachments" % number,
                                     token=self.bob)
        self.assertEqual(status, 200, listed)
        self.assertEqual([item["id"] for item in listed["items"]], [attachment["id"]])
        self.assertEqual(listed["items"][0]["size"], len(content))
        # Stored by content, never under the client's name.
        for _, _, files in os.walk(self.desk.data_dir):
            self.assertNotIn("evil page.html", files)

        assert_problem(self, self.req("GET", "/api/v1/attachments/%s" % attachment["id"],
                                      token=self.carol), 404)
        assert_problem(self, self.req("GET", "/api/v1/attachments/%s" % attachment["id"],
                                      token=self.pat), 404)
        assert_problem(self, self.req("GET", "/api/v1/attachments/nonexistent",
                                      token=self.bob), 404)

    def test_size_limit(self):
        number = self.desk.create_case(self.bob)["number"]
        status, _, _ = self.upload(number, self.bob, b"a" * MAX_ATTACHMENT_BYTES)
        self.assertEqual(status, 201)
        result = self.upload(number, self.bob, b"a" * (MAX_ATTACHMENT_BYTES + 1))
        assert_problem(self, result, 413)
        status, _, listed = self.req("GET", "/api/v1/cases/%d/attachments" % number,
                                     token=self.bob)
        self.assertEqual(len(listed["items"]), 1)


class SearchTest(DeskTest):
    def hits(self, word, token):
        status, _, body = self.req("GET", "/api/v1/search?q=" + word, token=token)
        self.assertEqual(status, 200, body)
        return [hit["case_number"] for hit in body["items"]]

    def test_search_respects_visibility(self):
        subject_word = unique("quasar")
        public_word = unique("nebula")
        internal_word = unique("pulsar")
        number = self.desk.create_case(self.alice, subject="Outage " + subject_word,
                                       description="All hosts down")["number"]
        self.comment(number, self.agent, "Please check " + public_word)
        self.comment(number, self.agent, "Internal " + internal_word, "internal")

        for token in (self.alice, self.pat, self.agent):
            self.assertEqual(self.hits(subject_word, token), [number])
            self.assertEqual(self.hits(public_word, token), [number])
        self.assertEqual(self.hits(internal_word, self.agent), [number])
        self.assertEqual(self.hits(internal_word, self.alice), [])
        self.assertEqual(self.hits(internal_word, self.pat), [])
        for token in (self.carol, self.bob):
            self.assertEqual(self.hits(subject_word, token), [])
            self.assertEqual(self.hits(public_word, token), [])

    def test_search_treats_query_syntax_as_words(self):
        for query in ('"', "a OR", "NEAR(", "*", "subject:x", "-", "';", "a AND NOT b", "^x"):
            status, _, body = self.req("GET", "/api/v1/search?q=" + harness.quote(query, safe=""),
                                       token=self.agent)
            self.assertIn(status, (200, 400), (query, body))


if __name__ == "__main__":
    unittest.main()

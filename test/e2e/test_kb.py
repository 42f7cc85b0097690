"""End-to-end: the knowledge base (issue 7) through the real binary. Staff create, publish and
revise articles (each content change a version); readers see what their visibility allows:
signed out public only, customers and partner agents also customers-only, staff everything and
drafts; search and suggestions apply the same rule; what a reader may not see is 404. Votes
count once per signed-in person and each anonymous one; a deflection is counted; a case's
solution becomes an internal draft linked to the case; Markdown is rendered and sanitised on
save; bad input is a 400 naming the field. The help centre's pages serve the same rules, and
its "was this helpful" form works without JavaScript."""

import os
import re
import sys
import unittest
from urllib.parse import quote, urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import assert_problem, requires_sqlite, run_cli, unique  # noqa: E402
import postgres_server  # noqa: E402


class KnowledgeBaseTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.desk = harness.Desk()
        desk = cls.desk
        cls.acme = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        cls.globex = desk.create_org(unique("Globex "), "customer", plan="enterprise")
        cls.partner = desk.create_org(unique("Partner "), "partner", plan="enterprise")
        _, cls.agent = desk.create_user("agent")
        _, cls.customer = desk.create_user("customer", org_id=cls.acme)
        _, cls.other_tenant = desk.create_user("customer", org_id=cls.globex)
        _, cls.partner_agent = desk.create_user("partner_agent", org_id=cls.partner)
        cls.word = unique("zebrafix").replace("-", "")

    @classmethod
    def tearDownClass(cls):
        cls.desk.close()

    def create(self, token=None, **fields):
        body = {"title": unique("Article "), "body": "Some *text*.", "visibility": "public",
                "status": "published"}
        body.update(fields)
        return self.desk.request("POST", "/api/v1/kb/articles", body, token=token or self.agent)

    def search(self, q, token=None, path="search"):
        status, _, body = self.desk.request(
            "GET", "/api/v1/kb/%s?q=%s" % (path, quote(q)), token=token)
        self.assertEqual(status, 200, body)
        return [item["id"] for item in body["items"]]

    def test_visibility_for_every_kind_of_reader(self):
        word = self.word + "vis"
        ids = {}
        for visibility in ("public", "customers", "internal"):
            status, headers, body = self.create(title="Fix the %s %s" % (word, visibility),
                                                body="Restart the %s service." % word,
                                                visibility=visibility)
            self.assertEqual(status, 201, body)
            self.assertEqual(headers["location"], "/api/v1/kb/articles/%d" % body["id"])
            ids[visibility] = body["id"]
        status, _, draft = self.create(title="Draft %s" % word, body="Draft %s." % word,
                                       status="draft")
        self.assertEqual(status, 201, draft)

        everything = {ids["public"], ids["customers"], ids["internal"]}
        self.assertEqual(set(self.search(word)), {ids["public"]})
        self.assertEqual(set(self.search(word, self.customer)), {ids["public"], ids["customers"]})
        self.assertEqual(set(self.search(word, self.other_tenant)),
                         {ids["public"], ids["customers"]})
        self.assertEqual(set(self.search(word, self.partner_agent)),
                         {ids["public"], ids["customers"]})
        self.assertEqual(set(self.search(word, self.agent)), everything)  # drafts not searched

        for reader, visible in ((None, {"public"}), (self.customer, {"public", "customers"}),
                                (self.agent, {"public", "customers", "internal"})):
            for visibility, article in ids.items():
                status, _, body = self.desk.request("GET", "/api/v1/kb/articles/%d" % article,
                                                    token=reader)
                if visibility in visible:
                    self.assertEqual(status, 200, body)
                    self.assertIn("<p>Restart the", body["body_html"])
                else:
                    assert_problem(self, (status, _, body), 404)
            status, _, body = self.desk.request("GET", "/api/v1/kb/articles/%d" % draft["id"],
                                                token=reader)
            self.assertEqual(status, 200 if reader == self.agent else 404, body)

        # Staff-only facts stay out of a customer's view.
        _, _, body = self.desk.request("GET", "/api/v1/kb/articles/%d" % ids["public"],
                                       token=self.customer)
        self.assertNotIn("source_case", body)
        self.assertNotIn("deflections", body)
        # The help centre page follows the same rule.
        status, _, page = self.desk.request("GET", "/help/articles/%d" % ids["public"])
        self.assertEqual(status, 200)
        self.assertIn(b"Restart the", page)
        status, _, _ = self.desk.request("GET", "/help/articles/%d" % ids["customers"])
        self.assertEqual(status, 404)
        status, _, page = self.desk.request("GET", "/help/search?q=" + quote(word))
        self.assertEqual(status, 200)
        self.assertIn(("Fix the %s public" % word).encode(), page)
        self.assertNotIn(("Fix the %s internal" % word).encode(), page)

    def test_versions_publish_and_withdraw(self):
        word = self.word + "ver"
        status, _, article = self.create(title="Printer %s" % word, body="Old advice.",
                                         status="draft")
        self.assertEqual(status, 201, article)
        self.assertEqual(article["version"]["number"], 1)
        path = "/api/v1/kb/articles/%d" % article["id"]
        self.assertEqual(self.search(word), [])
        status, _, body = self.desk.request("PATCH", path, {"status": "published"},
                                            token=self.agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["published_version"], 1)
        self.assertEqual(self.search(word), [article["id"]])
        status, _, body = self.desk.request("PATCH", path, {"body": "New %s advice." % word},
                                            token=self.agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(body["latest_version"], 2)
        self.assertEqual(body["published_version"], 2)
        status, _, public = self.desk.request("GET", path)
        self.assertIn("New", public["body_html"])
        status, _, versions = self.desk.request("GET", path + "/versions", token=self.agent)
        self.assertEqual(status, 200, versions)
        self.assertEqual([v["number"] for v in versions["items"]], [2, 1])
        self.assertEqual(versions["items"][1]["body"], "Old advice.")
        assert_problem(self, self.desk.request("GET", path + "/versions", token=self.customer),
                       404)
        status, _, body = self.desk.request("PATCH", path, {"status": "draft"}, token=self.agent)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.search(word), [])
        assert_problem(self, self.desk.request("GET", path), 404)
        # Customers cannot write, and learn nothing about unseen articles by trying.
        assert_problem(self, self.desk.request("PATCH", path, {"title": "x"},
                                               token=self.customer), 404)
        assert_problem(self, self.create(token=self.customer), 403)

    def test_markdown_is_rendered_and_sanitised(self):
        status, _, body = self.create(
            body="# Steps\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n\n"
                 "[x](javascript:alert(1)) <img src=x onerror=alert(1)> ~~old~~")
        self.assertEqual(status, 201, body)
        html = body["body_html"]
        self.assertIn("<h1>Steps</h1>", html)
        self.assertIn("<table>", html)
        self.assertIn("<s>old</s>", html)
        for forbidden in ("<script", "javascript:", "onerror", "<img"):
            self.assertNotIn(forbidden, html)

    def test_suggestions_votes_and_deflections(self):
        word = self.word + "sug"
        status, _, article = self.create(title="Cannot log in to %s portal" % word,
                                         visibility="customers")
        self.assertEqual(status, 201, article)
        self.assertEqual(self.search("cannot log in to %s" % word[:-1], self.customer,
                                     "suggest"), [article["id"]])
        self.assertEqual(self.search("cannot log in to %s" % word[:-1], None, "suggest"), [])
        path = "/api/v1/kb/articles/%d" % article["id"]
        for token, helpful, expected in ((self.customer, True, (1, 0)),
                                         (self.customer, True, (1, 0)),
                                         (self.customer, False, (0, 1)),
                                         (self.partner_agent, True, (1, 1))):
            status, _, body = self.desk.request("POST", path + "/votes", {"helpful": helpful},
                                                token=token)
            self.assertEqual(status, 201, body)
            self.assertEqual((body["helpful"]["yes"], body["helpful"]["no"]), expected)
        # Signed out: the article is not theirs to vote on.
        assert_problem(self, self.desk.request("POST", path + "/votes", {"helpful": True}), 404)
        status, _, body = self.desk.request("POST", path + "/deflections", token=self.customer)
        self.assertEqual(status, 201, body)
        _, _, staff_view = self.desk.request("GET", path, token=self.agent)
        self.assertEqual(staff_view["deflections"], 1)
        # Anonymous votes on a public article are each counted.
        _, _, public = self.create()
        public_path = "/api/v1/kb/articles/%d/votes" % public["id"]
        for expected in (1, 2):
            status, _, body = self.desk.request("POST", public_path, {"helpful": True})
            self.assertEqual(status, 201, body)
            self.assertEqual(body["helpful"]["yes"], expected)

    def test_help_centre_vote_without_javascript(self):
        _, _, article = self.create(title=unique("Vote page "))
        connection = self.desk.connection()
        self.addCleanup(connection.close)
        page = harness.request_on(connection, "GET", "/help/articles/%d" % article["id"])
        self.assertEqual(page[0], 200)
        cookie = page[1]["set-cookie"].split(";", 1)[0]
        token = re.search(rb'name="csrf_token" value="([^"]+)"', page.raw).group(1).decode()
        form = urlencode({"csrf_token": token, "helpful": "yes"})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        result = harness.request_on(connection, "POST",
                                    "/help/articles/%d/vote" % article["id"],
                                    raw_body=form, headers=headers)
        self.assertEqual(result[0], 303, result.raw)
        self.assertTrue(result[1]["location"].endswith("?notice=voted"))
        forged = harness.request_on(connection, "POST", "/help/articles/%d/vote" % article["id"],
                                    raw_body=urlencode({"csrf_token": "x", "helpful": "yes"}),
                                    headers=headers)
        self.assertEqual(forged[0], 403)
        _, _, body = self.desk.request("GET", "/api/v1/kb/articles/%d" % article["id"])
        self.assertEqual(body["helpful"]["yes"], 1)

    def test_draft_from_a_case(self):
        case = self.desk.create_case(self.customer, subject=unique("Mail bounces "))
        number = case["number"]
        path = "/api/v1/cases/%d/kb-draft" % number
        # No public reply from support yet: nothing to draft from.
        assert_problem(self, self.desk.request("POST", path, token=self.agent), 422)
        status, _, body = self.desk.request(
            "POST", "/api/v1/cases/%d/comments" % number,
            {"body": "Set the SPF record to include our relay.", "visibility": "public"},
            token=self.agent)
        self.assertEqual(status, 201, body)
        self.desk.request("POST", "/api/v1/cases/%d/comments" % number,
                          {"body": "Internal: customer was rude", "visibility": "internal"},
                          token=self.agent)
        status, _, draft = self.desk.request("POST", path, token=self.agent)
        self.assertEqual(status, 201, draft)
        self.assertEqual(draft["title"], case["subject"])
        self.assertEqual(draft["body"], "Set the SPF record to include our relay.")
        self.assertEqual(draft["visibility"], "internal")
        self.assertEqual(draft["status"], "draft")
        self.assertEqual(draft["source_case"], number)
        status, _, given = self.desk.request("POST", path, {"body": "Given text"},
                                             token=self.agent)
        self.assertEqual(status, 201, given)
        self.assertEqual(given["body"], "Given text")
        # The customer cannot, and another tenant's case is not found either way.
        assert_problem(self, self.desk.request("POST", path, token=self.customer), 404)
        assert_problem(self, self.desk.request("POST", "/api/v1/cases/999999/kb-draft",
                                               token=self.agent), 404)

    def test_categories_and_sections(self):
        status, _, category = self.desk.request("POST", "/api/v1/kb/categories",
                                                {"name": unique("Networking ")},
                                                token=self.agent)
        self.assertEqual(status, 201, category)
        status, _, section = self.desk.request(
            "POST", "/api/v1/kb/sections", {"category_id": category["id"], "name": "VPN"},
            token=self.agent)
        self.assertEqual(status, 201, section)
        status, _, article = self.create(section_id=section["id"])
        self.assertEqual(status, 201, article)
        self.assertEqual(article["section_id"], section["id"])
        status, _, tree = self.desk.request("GET", "/api/v1/kb/categories")
        self.assertEqual(status, 200)
        mine = [c for c in tree["items"] if c["id"] == category["id"]][0]
        self.assertEqual([s["name"] for s in mine["sections"]], ["VPN"])
        status, _, listed = self.desk.request(
            "GET", "/api/v1/kb/articles?section_id=%d" % section["id"])
        self.assertEqual([a["id"] for a in listed["items"]], [article["id"]])
        status, _, page = self.desk.request("GET", "/help/sections/%d" % section["id"])
        self.assertEqual(status, 200)
        self.assertIn(article["title"].encode(), page)
        assert_problem(self, self.desk.request("POST", "/api/v1/kb/categories", {"name": "x"},
                                               token=self.customer), 403)

    def test_bad_input_is_a_400_naming_the_field(self):
        cases = [
            ({"body": "b"}, "title"),
            ({"title": "t"}, "body"),
            ({"title": "   ", "body": "b"}, "title"),
            ({"title": "t", "body": "b", "visibility": "secret"}, "visibility"),
            ({"title": "t", "body": "b", "status": "live"}, "status"),
            ({"title": "t", "body": "b", "section_id": 987654}, "section_id"),
            ({"title": 5, "body": "b"}, "title"),
            ({"title": "t", "body": "b", "colour": "red"}, "colour"),
            ({"title": "x" * 201, "body": "b"}, "title"),
        ]
        for body, field in cases:
            status, headers, problem = self.desk.request("POST", "/api/v1/kb/articles", body,
                                                         token=self.agent)
            assert_problem(self, (status, headers, problem), 400)
            self.assertIn(field, problem["detail"], body)
        assert_problem(self, self.desk.request("POST", "/api/v1/kb/sections", {"name": "x"},
                                               token=self.agent), 400)
        assert_problem(self, self.desk.request("GET", "/api/v1/kb/search?q=" + "a" * 600), 400)
        assert_problem(self, self.desk.request("GET", "/api/v1/kb/search?q=a&limit=0"), 400)
        _, _, article = self.create()
        assert_problem(self, self.desk.request("POST", "/api/v1/kb/articles/%d/votes"
                                               % article["id"], {}), 400)
        assert_problem(self, self.desk.request("GET", "/api/v1/kb/articles/abc"), 404)
        assert_problem(self, self.desk.request("GET", "/api/v1/kb/search?q=a",
                                               token="not-a-token"), 401)


@requires_sqlite("`casedesk store copy` copies a SQLite desk into PostgreSQL")
class KnowledgeBaseStoreCopyTest(unittest.TestCase):
    def test_copy_keeps_articles_versions_votes_and_search(self):
        desk = harness.Desk()
        self.addCleanup(desk.close)
        _, agent = desk.create_user("agent")
        org = desk.create_org(unique("Acme "), "customer", plan="enterprise")
        _, customer = desk.create_user("customer", org_id=org)
        word = unique("copyword").replace("-", "")
        _, _, category = desk.request("POST", "/api/v1/kb/categories", {"name": "Net"},
                                      token=agent)
        _, _, section = desk.request("POST", "/api/v1/kb/sections",
                                     {"category_id": category["id"], "name": "VPN"}, token=agent)
        status, _, article = desk.request(
            "POST", "/api/v1/kb/articles",
            {"title": "Fix %s" % word, "body": "Old %s body" % word, "visibility": "customers",
             "status": "published", "section_id": section["id"]}, token=agent)
        self.assertEqual(status, 201, article)
        path = "/api/v1/kb/articles/%d" % article["id"]
        desk.request("PATCH", path, {"body": "New %s **body**" % word}, token=agent)
        desk.request("POST", path + "/votes", {"helpful": True}, token=customer)
        desk.request("POST", path + "/deflections", token=customer)
        _, _, before = desk.request("GET", path, token=agent)
        self.assertEqual(desk.stop(), 0)

        target = postgres_server.shared_server().create_database("kbcopy")
        copied = run_cli(["store", "copy", "--data", desk.data_dir, "--to", target], timeout=120)
        self.assertEqual(copied.returncode, 0, copied.stderr)
        for table in ("kb_categories", "kb_sections", "kb_articles", "kb_versions", "kb_votes"):
            self.assertIn("verify %s: ok" % table, copied.stderr)

        desk.env["CASEDESK_STORE_URL"] = target
        desk.start()
        _, _, after = desk.request("GET", path, token=agent)
        self.assertEqual(after, before)
        status, _, hits = desk.request("GET", "/api/v1/kb/search?q=" + word, token=customer)
        self.assertEqual([hit["id"] for hit in hits["items"]], [article["id"]], hits)
        _, _, versions = desk.request("GET", path + "/versions", token=agent)
        self.assertEqual([v["number"] for v in versions["items"]], [2, 1])
        status, _, newer = desk.request("POST", "/api/v1/kb/articles",
                                        {"title": "After the move", "body": "b"}, token=agent)
        self.assertEqual(status, 201, newer)
        self.assertGreater(newer["id"], article["id"])  # ids continue


if __name__ == "__main__":
    unittest.main()

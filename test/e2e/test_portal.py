"""The customer and partner portal through the real binary: "/" sends customers to /portal; a
customer opens a case through the intake form (multipart/form-data with a file and a secret),
sees the SLA promise in their time zone, reads the agent's reply (never the internal note), answers
with a file, asks for an escalation; another organisation's case is 404; a partner agent opens
for their customer with their own reference and escalates, and the partner's customer sees the
partner's name, never the provider's; the admin API for the intake configuration; CSRF.

People sign in with /login; the test gives them the admin's password by copying its hash in the
store (the accounts pages that let people choose passwords are tested elsewhere)."""

import os
import re
import sys
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import unique  # noqa: E402

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF_FIELD = re.compile(rb'name="csrf_token" value="([0-9a-f]+)"')
XSS = '<script>alert("portal")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = b"&lt;script&gt;alert(&quot;portal&quot;)&lt;/script&gt;&lt;img src=x"


def multipart(fields, files=()):
    """(content type, body) of a multipart/form-data form as a browser sends it."""
    boundary = "----casedesk" + uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (
            boundary.encode(), name.encode(), value.encode()))
    for name, filename, content_type, content in files:
        parts.append(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                     b"Content-Type: %s\r\n\r\n%s\r\n" % (
                         boundary.encode(), name.encode(), filename.encode(),
                         content_type.encode(), content))
    body = b"".join(parts) + b"--%s--\r\n" % boundary.encode()
    return "multipart/form-data; boundary=" + boundary, body


class Browser:
    """One signed-in person's cookie and the CSRF token of the last page they saw."""

    def __init__(self, desk, email):
        self.desk = desk
        self.cookie = ""
        self.csrf = ""
        result = desk.request("POST", "/login", headers=FORM, raw_body=urllib.parse.urlencode(
            {"email": email, "password": harness.ADMIN_PASSWORD, "next": "/"}))
        if result[0] != 303:
            raise AssertionError("sign-in of %s -> %s %r" % (email, result[0], result[2]))
        self.cookie = re.match(r"casedesk_session=([^;]+);",
                               result[1]["set-cookie"]).group(1)

    def headers(self, extra=None):
        return dict(extra or {}, Cookie="casedesk_session=" + self.cookie)

    def get(self, path):
        result = self.desk.request("GET", path, headers=self.headers())
        if isinstance(result[2], bytes):
            token = CSRF_FIELD.search(result[2])
            if token:
                self.csrf = token.group(1).decode()
        return result

    def post(self, path, **fields):
        fields.setdefault("csrf_token", self.csrf)
        return self.desk.request("POST", path, raw_body=urllib.parse.urlencode(fields),
                                 headers=self.headers(FORM))

    def post_multipart(self, path, fields, files=()):
        fields = list(fields)
        if not any(name == "csrf_token" for name, _ in fields):
            fields.insert(0, ("csrf_token", self.csrf))
        content_type, body = multipart(fields, files)
        return self.desk.request("POST", path, raw_body=body,
                                 headers=self.headers({"Content-Type": content_type}))


class PortalTest(unittest.TestCase):
    def setUp(self):
        self.desk = harness.Desk()
        self.addCleanup(self.desk.close)
        # A distinctive provider name, so a page that names the provider is caught.
        self.provider_name = unique("Cloudcorp ")
        status, _, body = self.desk.admin("PATCH", "/api/v1/orgs/%d" % self.desk.provider_org_id(),
                                          {"name": self.provider_name})
        self.assertEqual(status, 200, body)
        self.acme = self.desk.create_org(unique("Acme "), "customer", plan="enterprise")
        status, _, _ = self.desk.admin("PATCH", "/api/v1/orgs/%d" % self.acme,
                                       {"time_zone": "Europe/Berlin"})
        self.alice_email = unique("alice-") + "@acme.example"
        self.alice_id, _ = self.desk.create_user("customer", self.acme, email=self.alice_email,
                                                 name="Alice Acme", token=False)
        self.bob_email = unique("bob-") + "@acme.example"
        self.bob_id, _ = self.desk.create_user("customer", self.acme, email=self.bob_email,
                                               name="Bob Acme", token=False)
        self.agent_email = unique("agent-") + "@provider.example"
        self.agent_id, self.agent_token = self.desk.create_user("agent", email=self.agent_email,
                                                                name="Sam Agent")

    def give_password(self, *emails):
        harness.give_admin_password(self.desk, *emails)

    def browser(self, email):
        self.give_password(email)
        return Browser(self.desk, email)

    def open_case(self, browser, subject, files=(), **extra):
        self.assertEqual(browser.get("/portal/cases/new?category=incident")[0], 200)
        fields = {"category": "incident", "subject": subject,
                  "description": "The site answers 502 since 09:00.", "severity": "2",
                  "server_name": "WA1WEB01", "error_text": "502 Bad Gateway",
                  "steps_tried": "Restarted nginx"}
        fields.update(extra)
        return browser.post_multipart("/portal/cases", list(fields.items()), files)

    def case_number_from(self, result):
        self.assertEqual(result[0], 303, result[2])
        match = re.match(r"/portal/cases/(\d+)\?notice=opened$", result[1]["location"])
        self.assertIsNotNone(match, result[1]["location"])
        return int(match.group(1))

    # --- tests -----------------------------------------------------------------------------

    def test_customer_opens_a_case_with_a_file_and_a_secret(self):
        alice = self.browser(self.alice_email)
        self.assertEqual(alice.get("/")[1]["location"], "/portal")
        status, headers, page = alice.get("/portal")
        self.assertEqual(status, 200)
        self.assertIn("default-src 'none'", headers["content-security-policy"])
        self.assertIn(self.provider_name.encode(), page)
        self.assertIn(b"No cases to show.", page)

        status, _, step = alice.get("/portal/cases/new")
        self.assertEqual(status, 200)
        self.assertIn(b'name="category" value="service_request"', step)
        status, _, form = alice.get("/portal/cases/new?category=incident")
        self.assertIn(b"Server name <span class=\"pt-required\">(required)</span>", form)
        self.assertIn(b'enctype="multipart/form-data"', form)

        # A required field left empty: the form again, values kept, secret and files not.
        status, _, refused = self.open_case(alice, "Web down", server_name="",
                                            credentials="root / hunter2")
        self.assertEqual(status, 400)
        self.assertIn(b"Required for incidents", refused)
        self.assertIn(b"502 Bad Gateway", refused)
        self.assertNotIn(b"hunter2", refused)

        result = self.open_case(
            alice, "Web down " + XSS,
            files=[("attachments", "screen shot.png", "image/png", b"\x89PNG fake"),
                   ("attachments", "nginx.log", "text/plain", b"upstream timed out")],
            credentials="root / hunter2", cc=self.bob_email)
        number = self.case_number_from(result)

        status, _, page = alice.get("/portal/cases/%d?notice=opened" % number)
        self.assertEqual(status, 200)
        self.assertIn(b"Your case is open.", page)
        self.assertIn(XSS_ESCAPED, page)
        self.assertNotIn(XSS.encode(), page)
        self.assertNotIn(b"hunter2", page)
        self.assertRegex(page, rb"We will reply by [^<]* your time\.")
        self.assertIn(b"WA1WEB01", page)
        links = re.findall(rb'href="(/portal/files/[^"]+)" download>([^<]+)<', page)
        self.assertEqual(sorted(name for _, name in links), [b"nginx.log", b"screen shot.png"])
        status, headers, content = alice.get([l for l, n in links if n == b"nginx.log"][0].decode())
        self.assertEqual(status, 200)
        self.assertEqual(content, b"upstream timed out")
        self.assertTrue(headers["content-disposition"].startswith("attachment;"))
        self.assertEqual(headers["x-content-type-options"], "nosniff")

        # Staff read the secret through the API; the CC'd colleague follows the case.
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number,
                                            token=self.agent_token)
        self.assertEqual(status, 200)
        self.assertEqual(case["secret_fields"], {"credentials": "root / hunter2"})
        self.assertEqual(case["followers"], [self.bob_id])

        status, _, listing = alice.get("/portal")
        self.assertIn(b"#%d" % number, listing)
        self.assertRegex(listing, rb"We will reply by [^<]* your time\.")

    def test_conversation_shows_replies_never_notes_and_escalates(self):
        alice = self.browser(self.alice_email)
        number = self.case_number_from(self.open_case(alice, "Disk full"))
        status, _, _ = self.desk.request("POST", "/api/v1/cases/%d/comments" % number,
                                         {"body": "We are on it " + XSS},
                                         token=self.agent_token)
        self.assertEqual(status, 201)
        status, _, _ = self.desk.request("POST", "/api/v1/cases/%d/comments" % number,
                                         {"body": "INTERNAL: customer on old kernel",
                                          "visibility": "internal"}, token=self.agent_token)
        self.assertEqual(status, 201)

        status, _, page = alice.get("/portal/cases/%d" % number)
        self.assertIn(b"We are on it " + XSS_ESCAPED, page)
        self.assertNotIn(XSS.encode(), page)
        self.assertNotIn(b"INTERNAL", page)
        self.assertIn(b"Sam Agent", page)
        self.assertRegex(page, rb"Next update by [^<]* your time\.")

        result = alice.post_multipart("/portal/cases/%d/replies" % number,
                                      [("body", "Thanks " + XSS)],
                                      [("attachments", "df.txt", "text/plain", b"100% used")])
        self.assertEqual(result[0], 303, result[2])
        self.assertEqual(result[1]["location"], "/portal/cases/%d?notice=replied" % number)
        status, _, page = alice.get("/portal/cases/%d" % number)
        self.assertIn(b"Thanks " + XSS_ESCAPED, page)
        self.assertIn(b">df.txt</a>", page)
        status, _, comments = self.desk.request("GET", "/api/v1/cases/%d/comments" % number,
                                                token=self.agent_token)
        self.assertEqual(comments["items"][-1]["channel"], "portal")

        status, _, refused = alice.post("/portal/cases/%d/escalations" % number, reason="  ")
        self.assertEqual(status, 400)
        self.assertIn(b'id="pt-escalation-error"', refused)
        status, headers, _ = alice.post("/portal/cases/%d/escalations" % number,
                                        reason="Production is down for 2 hours")
        self.assertEqual(status, 303)
        status, _, events = self.desk.request("GET", "/api/v1/cases/%d/events" % number,
                                              token=self.agent_token)
        kinds = [event["kind"] for event in events["items"]]
        self.assertIn("case.escalation_requested", kinds)

    def test_other_organisations_cases_and_files_are_not_found(self):
        alice = self.browser(self.alice_email)
        number = self.case_number_from(self.open_case(
            alice, "Private", files=[("attachments", "a.txt", "text/plain", b"private")]))
        _, _, page = alice.get("/portal/cases/%d" % number)
        file_path = re.search(rb'href="(/portal/files/[^"]+)"', page).group(1).decode()

        other = self.desk.create_org(unique("Globex "), "customer", plan="enterprise")
        gina_email = unique("gina-") + "@globex.example"
        self.desk.create_user("customer", other, email=gina_email, token=False)
        gina = self.browser(gina_email)
        self.assertEqual(gina.get("/portal/cases/%d" % number)[0], 404)
        self.assertEqual(gina.get(file_path)[0], 404)
        self.assertEqual(gina.get("/portal/cases/999999999")[0], 404)
        self.assertNotIn(b"Private", gina.get("/portal?state=all")[2])
        gina.get("/portal")
        self.assertEqual(gina.post("/portal/cases/%d/escalations" % number,
                                   reason="let me in")[0], 404)

    def test_forms_need_the_csrf_token_and_staff_go_to_the_console(self):
        alice = self.browser(self.alice_email)
        alice.get("/portal")
        self.assertEqual(alice.post("/portal/cases/1/escalations", csrf_token="bad",
                                    reason="x")[0], 403)
        self.assertEqual(alice.post_multipart("/portal/cases", [("csrf_token", "bad"),
                                                                ("category", "incident")])[0],
                         403)
        agent = self.browser(self.agent_email)
        status, headers, _ = agent.get("/portal")
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/")
        self.assertEqual(self.desk.request("GET", "/portal")[0], 303)  # not signed in

    def test_partner_agent_and_the_partners_customer(self):
        partner = self.desk.create_org(unique("Reseller "), "partner", plan="enterprise")
        status, _, body = self.desk.admin("PUT", "/api/v1/orgs/%d/mail-settings" % partner,
                                          {"sender_name": "Reseller Help Desk"})
        self.assertEqual(status, 200, body)
        customer = self.desk.create_org(unique("Initech "), "customer", parent_id=partner,
                                        plan="enterprise")
        pat_email = unique("pat-") + "@reseller.example"
        self.desk.create_user("partner_agent", partner, email=pat_email, name="Pat Partner",
                              token=False)
        carl_email = unique("carl-") + "@initech.example"
        self.desk.create_user("customer", customer, email=carl_email, name="Carl", token=False)

        pat = self.browser(pat_email)
        status, _, step = pat.get("/portal/cases/new")
        self.assertIn(b'<option value="%d"' % customer, step)
        status, _, form = pat.get("/portal/cases/new?category=incident&org_id=%d" % customer)
        self.assertIn(b'name="partner_reference"', form)
        self.assertIn(b'name="org_id" value="%d"' % customer, form)
        result = self.open_case(pat, "Customer VM down", org_id=str(customer),
                                partner_reference="RS-1001", cc=carl_email)
        number = self.case_number_from(result)
        status, _, page = pat.get("/portal/cases/%d" % number)
        self.assertIn(b"RS-1001", page)
        self.assertIn(b"Escalate to " + self.provider_name.encode(), page)
        self.assertEqual(pat.post("/portal/cases/%d/reference" % number,
                                  partner_reference="RS-1002")[0], 303)
        self.assertEqual(pat.post("/portal/cases/%d/escalations" % number,
                                  reason="Customer production down")[0], 303)
        status, _, case = self.desk.request("GET", "/api/v1/cases/%d" % number,
                                            token=self.agent_token)
        self.assertEqual(case["partner_reference"], "RS-1002")
        self.assertEqual(case["org_id"], customer)
        status, _, listing = pat.get("/portal")
        self.assertIn(b"#%d" % number, listing)

        carl = self.browser(carl_email)
        for path in ("/portal", "/portal/cases/%d" % number, "/portal/cases/new"):
            status, _, page = carl.get(path)
            self.assertEqual(status, 200, path)
            self.assertIn(b"Reseller Help Desk", page)
            self.assertNotIn(self.provider_name.encode(), page, path)
            self.assertNotIn(b'href="/status"', page, path)
        self.assertNotIn(b"RS-1002", carl.get("/portal/cases/%d" % number)[2])

    def test_intake_configuration_api(self):
        status, _, settings = self.desk.admin("GET", "/api/v1/portal/intake")
        self.assertEqual(status, 200)
        self.assertEqual(settings["categories"]["incident"],
                         ["server_name", "error_text", "steps_tried"])
        harness.assert_problem(self, self.desk.request("PUT", "/api/v1/portal/intake",
                                                       {"required": []},
                                                       token=self.agent_token), 403)
        problem = harness.assert_problem(self, self.desk.admin(
            "PUT", "/api/v1/portal/intake", {"required": ["password"]}), 400)
        self.assertIn("required[0]", problem["detail"])
        status, _, body = self.desk.admin("PUT", "/api/v1/portal/intake", {
            "required": [], "categories": {"question": ["attachments"]},
            "plans": {"enterprise": ["external_ip"]}})
        self.assertEqual(status, 200, body)
        self.assertEqual(body["plans"], {"enterprise": ["external_ip"]})

        alice = self.browser(self.alice_email)
        alice.get("/portal/cases/new?category=question")
        status, _, refused = alice.post_multipart("/portal/cases", [
            ("category", "question"), ("subject", "How?"), ("description", "How to resize"),
            ("severity", "4"), ("external_ip", "203.0.113.9")])
        self.assertEqual(status, 400)
        self.assertIn(b'id="pt-attachments-error"', refused)
        result = alice.post_multipart("/portal/cases", [
            ("category", "question"), ("subject", "How?"), ("description", "How to resize"),
            ("severity", "4"), ("external_ip", "203.0.113.9")],
            [("attachments", "plan.txt", "text/plain", b"sizes")])
        self.case_number_from(result)


if __name__ == "__main__":
    unittest.main()

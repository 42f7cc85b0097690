"""Customer accounts through the real binary and a real SMTP sink: sign up with a work address
of an organisation that claims its domain, read the verification mail, open the link, choose a
password and land signed in; links work once and expire; the password reset flow ends the other
sessions; the sign-up and reset pages answer known, unknown and unmatched addresses identically,
and limit requests per address across two nodes of one desk.
Cookies (the pre-session form cookie and the session cookie) are handled by hand."""

import os
import re
import shutil
import sqlite3
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import unique  # noqa: E402
from mail_peers import SmtpSink, body_text  # noqa: E402

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF_FIELD = re.compile(rb'name="csrf_token" value="([0-9a-f]+)"')
LINK = re.compile(r"https?://[^/\s]+(/(?:verify|password/reset)\?token=[A-Za-z0-9_\-]+)")
PASSWORD = "violet tractor lagoon"
DOMAIN = "globex.example"


class Browser:
    """One browser's cookies and the CSRF token of the last page it showed."""

    def __init__(self, desk):
        self.desk = desk
        self.cookies = {}
        self.csrf = ""

    def _headers(self, extra=None):
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        return headers

    def _remember(self, result):
        cookie = result[1].get("set-cookie", "")
        match = re.match(r"([a-z_]+)=([^;]*);", cookie)
        if match:
            if "Max-Age=0" in cookie:
                self.cookies.pop(match.group(1), None)
            else:
                self.cookies[match.group(1)] = match.group(2)
        if isinstance(result[2], bytes):
            token = CSRF_FIELD.search(result[2])
            if token:
                self.csrf = token.group(1).decode()
        return result

    def get(self, path):
        return self._remember(self.desk.request("GET", path, headers=self._headers()))

    def post(self, path, headers=None, **fields):
        fields.setdefault("csrf_token", self.csrf)
        return self._remember(self.desk.request(
            "POST", path, raw_body=urllib.parse.urlencode(fields),
            headers=self._headers(dict(FORM, **(headers or {})))))


class WebAccountsTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="casedesk-accounts-")
        self.addCleanup(shutil.rmtree, self.root, True)
        self.sink = SmtpSink(os.path.join(self.root, "sink"))
        self.addCleanup(self.sink.close)
        self.desk = harness.Desk(env={
            "CASEDESK_SMTP_URL": self.sink.url,
            "CASEDESK_SMTP_FROM": "Support <support@desk.example>",
            "CASEDESK_SMTP_FIRST_RETRY_SECONDS": "1"})
        self.addCleanup(self.desk.close)
        self.org = self.desk.create_org(unique("Globex "), "customer", plan="enterprise")
        status, _, body = self.desk.admin("PUT", "/api/v1/orgs/%d/mail-settings" % self.org,
                                          {"domains": [DOMAIN]})
        self.assertEqual(status, 200, body)

    # --- helpers ---------------------------------------------------------------------------

    def mail_to(self, address, subject_part=""):
        """The newest message to `address` whose subject contains `subject_part`."""
        found = self.sink.wait_for(
            lambda envelope, message: address in envelope.get("rcpt_tos", [address]) and
            address in str(message["To"]) and subject_part in str(message["Subject"]),
            "to %s (%s)" % (address, subject_part))
        return found[-1][1]

    def link_in(self, message):
        match = LINK.search(body_text(message))
        self.assertIsNotNone(match, body_text(message))
        return match.group(1)

    def sign_up(self, browser, email, name="Ana Lima"):
        self.assertEqual(browser.get("/signup")[0], 200)
        return browser.post("/signup", name=name, email=email)

    def expire_links(self):
        statement = "UPDATE account_tokens SET expires_at = 1"
        if harness.STORE == "sqlite":
            with sqlite3.connect(os.path.join(self.desk.data_dir, "casedesk.db")) as db:
                db.execute(statement)
        else:
            database = self.desk.store_url.rsplit("/", 1)[1]
            harness.postgres_server().sql(database, statement)

    # --- tests -----------------------------------------------------------------------------

    def test_sign_up_verify_choose_a_password_and_land_signed_in(self):
        email = unique("ana-") + "@" + DOMAIN
        browser = Browser(self.desk)
        status, headers, _ = self.sign_up(browser, email)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/signup?sent=1")
        self.assertIn(b"Check your mail", browser.get("/signup?sent=1")[2])

        welcome = self.mail_to(email, "confirm your email address")
        self.assertIn("contact of", body_text(welcome))
        link = self.link_in(welcome)
        self.assertTrue(link.startswith("/verify?token="), link)

        status, _, page = browser.get(link)
        self.assertEqual(status, 200)
        self.assertIn(b"Choose your password", page)
        self.assertIn(email.encode(), page)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]

        status, _, page = browser.post("/verify", token=token, password="short",
                                       password_confirmation="short")
        self.assertEqual(status, 400)
        self.assertIn(b"use at least 10 characters", page)

        status, headers, _ = browser.post("/verify", token=token, password=PASSWORD,
                                          password_confirmation=PASSWORD)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/")
        self.assertIn("casedesk_session", browser.cookies)
        self.assertIn("HttpOnly", headers["set-cookie"])
        # Signed in: "/" sends a customer on, never back to the sign-in page.
        status, headers, _ = browser.get("/")
        self.assertEqual(status, 303)
        self.assertNotIn("/login", headers["location"])

        # The link worked once.
        status, _, page = Browser(self.desk).get(link)
        self.assertEqual(status, 404)
        self.assertIn(b"This link does not work", page)

        # The chosen password signs in.
        status, headers, _ = self.desk.request(
            "POST", "/login", raw_body=urllib.parse.urlencode({"email": email,
                                                               "password": PASSWORD}),
            headers=FORM)
        self.assertEqual(status, 303)

        # The account is verified: the API shows it to the admin.
        status, _, users = self.desk.admin("GET", "/api/v1/users?org_id=%d" % self.org)
        self.assertEqual(status, 200)
        person = [user for user in users["items"] if user["email"] == email]
        self.assertEqual(len(person), 1)
        self.assertTrue(person[0]["verified"])

    def test_expired_and_reused_links_are_refused(self):
        email = unique("ben-") + "@" + DOMAIN
        browser = Browser(self.desk)
        self.assertEqual(self.sign_up(browser, email, name="Ben Ode")[0], 303)
        link = self.link_in(self.mail_to(email, "confirm"))
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
        self.assertEqual(browser.get(link)[0], 200)
        self.expire_links()
        status, _, page = browser.get(link)
        self.assertEqual(status, 404)
        self.assertIn(b"not valid any more", page)
        status, headers, _ = browser.post("/verify", token=token, password=PASSWORD,
                                          password_confirmation=PASSWORD)
        self.assertEqual(status, 404)
        self.assertNotIn("casedesk_session", browser.cookies)
        # A made-up token gets the same page.
        self.assertEqual(browser.get("/verify?token=" + "A" * 43)[0], 404)

    def test_password_reset_signs_in_and_ends_the_other_sessions(self):
        email = unique("cy-") + "@" + DOMAIN
        first = Browser(self.desk)
        self.assertEqual(self.sign_up(first, email, name="Cy Moss")[0], 303)
        link = self.link_in(self.mail_to(email, "confirm"))
        first.get(link)
        token = urllib.parse.parse_qs(urllib.parse.urlsplit(link).query)["token"][0]
        self.assertEqual(first.post("/verify", token=token, password=PASSWORD,
                                    password_confirmation=PASSWORD)[0], 303)
        self.assertEqual(first.get("/")[1].get("location", "").startswith("/login"), False)

        second = Browser(self.desk)
        self.assertEqual(second.get("/password/forgot")[0], 200)
        status, headers, _ = second.post("/password/forgot", email=email)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/password/forgot?sent=1")
        reset = self.link_in(self.mail_to(email, "Reset your password"))
        self.assertTrue(reset.startswith("/password/reset?token="), reset)
        # A reset link does not open the verification page.
        self.assertEqual(second.get(reset.replace("/password/reset", "/verify"))[0], 404)
        self.assertEqual(second.get(reset)[0], 200)
        new_password = "a completely new secret"
        reset_token = urllib.parse.parse_qs(urllib.parse.urlsplit(reset).query)["token"][0]
        status, headers, _ = second.post("/password/reset", token=reset_token,
                                         password=new_password,
                                         password_confirmation=new_password)
        self.assertEqual(status, 303)
        self.assertIn("casedesk_session", second.cookies)
        # The first browser's session ended.
        status, headers, _ = first.get("/portal/contacts")
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].startswith("/login"), headers["location"])
        # The reset link worked once.
        self.assertEqual(Browser(self.desk).get(reset)[0], 404)

    def test_known_unknown_and_unmatched_addresses_get_identical_pages(self):
        known = unique("known-") + "@" + DOMAIN
        self.desk.create_user("customer", org_id=self.org, email=known, token=False)
        answers = []
        browser = Browser(self.desk)
        for email in (known, unique("new-") + "@" + DOMAIN, unique("x-") + "@elsewhere.example"):
            status, headers, body = self.sign_up(browser, email)
            answers.append((status, headers.get("location"), body))
        self.assertEqual(len(set(answers)), 1, answers)
        self.assertEqual(answers[0][0], 303)
        # The mail differs: the known address is told it has an account.
        already = self.mail_to(known, "You already have an account")
        self.assertIn("/password/reset?token=", body_text(already))

        forgot = []
        for email in (known, unique("nobody-") + "@" + DOMAIN):
            browser.get("/password/forgot")
            status, headers, body = browser.post("/password/forgot", email=email)
            forgot.append((status, headers.get("location"), body))
        self.assertEqual(len(set(forgot)), 1, forgot)
        self.assertEqual(forgot[0][1], "/password/forgot?sent=1")

    def test_requests_for_one_address_are_limited_across_nodes(self):
        email = unique("many-") + "@" + DOMAIN
        with harness.Desk(data_dir=self.desk.data_dir, init=False) as second:
            browsers = [Browser(self.desk), Browser(second)]
            # Five requests an hour per address, wherever they land.
            for attempt in range(5):
                browser = browsers[attempt % 2]
                browser.get("/password/forgot")
                status, headers, _ = browser.post("/password/forgot", email=email)
                self.assertEqual((status, headers.get("location")),
                                 (303, "/password/forgot?sent=1"), attempt)
            for browser in browsers:
                browser.get("/password/forgot")
                status, headers, page = browser.post("/password/forgot", email=email)
                self.assertEqual(status, 429, page)
                self.assertEqual(headers.get("retry-after"), "3600")
                self.assertIn(b"Too many requests for this address", page)
            # Another address, and sign-up for the same one, have counts of their own.
            browsers[1].get("/password/forgot")
            other = browsers[1].post("/password/forgot", email=unique("one-") + "@" + DOMAIN)
            self.assertEqual(other[0], 303)
            self.assertEqual(self.sign_up(browsers[0], email)[0], 303)

    def test_forms_without_the_pre_session_cookie_or_from_elsewhere_are_refused(self):
        browser = Browser(self.desk)
        browser.get("/signup")
        email = unique("dee-") + "@" + DOMAIN
        status, _, page = browser.post("/signup", headers={"Origin": "https://evil.example"},
                                       name="Dee", email=email)
        self.assertEqual(status, 403)
        stranger = Browser(self.desk)
        stranger.csrf = browser.csrf  # a token without its cookie is worthless
        self.assertEqual(stranger.post("/signup", name="Dee", email=email)[0], 403)

    def test_the_sign_in_page_links_to_sign_up_and_reset(self):
        status, _, page = self.desk.request("GET", "/login")
        self.assertEqual(status, 200)
        self.assertIn(b'href="/signup"', page)
        self.assertIn(b'href="/password/forgot"', page)


if __name__ == "__main__":
    unittest.main()

"""Web sign-in through the real binary: one answer for a wrong password and an unknown address,
throttling after ten failures per address (counted across two nodes of one desk), the session cookie (HttpOnly, SameSite) and the
redirect back to the page asked for, a signed-in page (/console/status), and signing out, which
needs the page's CSRF token and leaves the old cookie useless. Cookies are handled by hand."""

import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

WRONG = b"The email address or password is wrong."
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF_FIELD = re.compile(rb'name="csrf_token"\s+value="([0-9a-f]+)"|'
                        rb'value="([0-9a-f]+)"\s+name="csrf_token"')


def form(**fields):
    return urllib.parse.urlencode(fields)


class WebSignInTest(unittest.TestCase):
    def setUp(self):
        self.desk = harness.Desk()
        self.addCleanup(self.desk.close)

    def sign_in(self, email, password, next_path=None, headers=None, node=None):
        fields = {"email": email, "password": password}
        if next_path is not None:
            fields["next"] = next_path
        return (node or self.desk).request("POST", "/login", raw_body=form(**fields),
                                           headers=dict(FORM, **(headers or {})))

    @staticmethod
    def session_from(result):
        cookie = result[1].get("set-cookie", "")
        match = re.match(r"casedesk_session=([^;]+);", cookie)
        return match.group(1) if match else None

    def get(self, path, session=None):
        headers = {"Cookie": "lang=en; casedesk_session=%s" % session} if session else {}
        return self.desk.request("GET", path, headers=headers)

    def post(self, path, session, **fields):
        headers = dict(FORM, Cookie="casedesk_session=%s" % session)
        return self.desk.request("POST", path, raw_body=form(**fields), headers=headers)

    def test_wrong_password_and_unknown_address_get_the_same_answer(self):
        status, headers, body = self.sign_in(harness.ADMIN_EMAIL, "not-the-password")
        self.assertEqual(status, 401)
        self.assertIn(WRONG, body)
        self.assertIn(harness.ADMIN_EMAIL.encode(), body)  # the address is kept
        self.assertNotIn(b"not-the-password", body)
        self.assertNotIn("set-cookie", headers)
        self.assertIn("text/html", headers["content-type"])
        self.assertIn("default-src 'none'", headers["content-security-policy"])

        status, _, unknown = self.sign_in("nobody@provider.example", harness.ADMIN_PASSWORD)
        self.assertEqual(status, 401)
        self.assertIn(WRONG, unknown)

    def test_ten_failures_throttle_the_address(self):
        for attempt in range(10):
            status, _, _ = self.sign_in(harness.ADMIN_EMAIL, "guess-%d" % attempt)
            self.assertEqual(status, 401, attempt)
        status, headers, body = self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD)
        self.assertEqual(status, 429)
        self.assertIn(b"Too many attempts; try again in a few minutes.", body)
        self.assertNotIn("set-cookie", headers)

    def test_failures_on_one_node_count_on_another(self):
        with harness.Desk(data_dir=self.desk.data_dir, init=False) as second:
            nodes = [self.desk, second]
            for attempt in range(10):
                status, _, _ = self.sign_in(harness.ADMIN_EMAIL, "guess-%d" % attempt,
                                            node=nodes[attempt % 2])
                self.assertEqual(status, 401, attempt)
            for node in nodes:
                status, headers, _ = self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD,
                                                  node=node)
                self.assertEqual(status, 429)
                self.assertEqual(headers.get("retry-after"), "900")
                self.assertNotIn("set-cookie", headers)

    def test_a_success_clears_the_failures_on_every_node(self):
        with harness.Desk(data_dir=self.desk.data_dir, init=False) as second:
            for attempt in range(9):
                self.assertEqual(self.sign_in(harness.ADMIN_EMAIL, "guess-%d" % attempt)[0], 401)
            self.assertEqual(self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD,
                                          node=second)[0], 303)
            for attempt in range(9):
                self.assertEqual(self.sign_in(harness.ADMIN_EMAIL, "again-%d" % attempt)[0], 401)
            self.assertEqual(self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD)[0], 303)

    def test_sign_in_sets_the_cookie_and_returns_to_the_page(self):
        status, headers, _ = self.get("/console/status?view=all")
        self.assertEqual(status, 303)
        location = headers["location"]
        self.assertTrue(location.startswith("/login?next="), location)
        next_path = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["next"][0]
        self.assertEqual(next_path, "/console/status?view=all")
        status, _, page = self.get(location)
        self.assertEqual(status, 200)
        self.assertIn(b"/console/status?view=all", page.replace(b"&amp;", b"&"))

        result = self.sign_in(harness.ADMIN_EMAIL.upper(), harness.ADMIN_PASSWORD, next_path)
        status, headers, _ = result
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/console/status?view=all")
        cookie = headers["set-cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Lax", cookie)
        self.assertIn("Path=/", cookie)
        session = self.session_from(result)
        self.assertTrue(session and len(session) >= 40, cookie)

        # Only a path on this site is followed.
        result = self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD, "//evil.example/x")
        self.assertEqual(result[0], 303)
        self.assertEqual(result[1]["location"], "/")

        # A sign-in form from another site is refused.
        status, headers, _ = self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD,
                                          headers={"Origin": "https://evil.example"})
        self.assertEqual(status, 403)
        self.assertNotIn("set-cookie", headers)

    def test_signed_in_page_and_sign_out(self):
        session = self.session_from(self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD))
        self.assertIsNotNone(session)
        status, headers, page = self.get("/console/status", session)
        self.assertEqual(status, 200, page[:300])
        self.assertIn("text/html", headers["content-type"])
        match = CSRF_FIELD.search(page)
        self.assertIsNotNone(match, "no csrf_token field on /console/status")
        csrf = (match.group(1) or match.group(2)).decode()

        # Without the CSRF token, or with another, signing out is refused.
        self.assertEqual(self.post("/logout", session)[0], 403)
        self.assertEqual(self.post("/logout", session, csrf_token="0" * 32)[0], 403)
        self.assertEqual(self.get("/console/status", session)[0], 200)

        status, headers, _ = self.post("/logout", session, csrf_token=csrf)
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].startswith("/login"), headers["location"])
        self.assertIn("Max-Age=0", headers["set-cookie"])
        status, _, page = self.get(headers["location"])
        self.assertEqual(status, 200)
        self.assertIn(b"You are signed out.", page)

        # The old cookie no longer works, for pages or for forms.
        status, headers, _ = self.get("/console/status", session)
        self.assertEqual(status, 303)
        self.assertTrue(headers["location"].startswith("/login?next="))
        status, headers, _ = self.post("/logout", session, csrf_token=csrf)
        self.assertEqual(status, 303)
        self.assertEqual(headers["location"], "/login")

    def test_session_cookie_is_not_an_api_token(self):
        session = self.session_from(self.sign_in(harness.ADMIN_EMAIL, harness.ADMIN_PASSWORD))
        status, _, _ = self.desk.request("GET", "/api/v1/users/me", token=session)
        self.assertEqual(status, 401)


if __name__ == "__main__":
    unittest.main()

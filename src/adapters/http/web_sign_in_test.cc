// Web sign-in below the HTTP server: the real routes, WebAuthenticated, a real SQLite store and
// real argon2id; requests are built as the server would build them after route matching.
#include "adapters/http/web_sign_in.h"

#include <future>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/route_matcher.h"
#include "adapters/http/web_auth.h"
#include "adapters/http/web_session_cookie.h"
#include "app/directory_test_fixture.h"
#include "app/web_sessions.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string HeaderOf(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

class WebSignInTest : public app::DirectoryTest {
 protected:
  void SetUp() override {
    app::DirectoryTest::SetUp();
    RegisterSignInRoutes(router_, context());
    router_.Add("GET", "/console/status",
                WebAuthenticated(
                    context(), [](const HttpRequest&, Respond respond, const WebCaller& caller) {
                      respond(HtmlPage(200, caller.caller.user.email + " " + caller.csrf_token));
                    }));
    router_.Add("POST", "/console/echo",
                WebAuthenticated(context(),
                                 [](const HttpRequest&, Respond respond, const WebCaller& caller) {
                                   respond(HtmlPage(200, "posted by " + caller.caller.user.email));
                                 }));
  }

  HttpResponse Call(const std::string& method, const std::string& target, Headers headers = {},
                    std::string body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    request.route = request.path;
    if (question != std::string::npos) {
      request.query = DecodeQuery(target.substr(question + 1)).value_or(decltype(request.query){});
    }
    request.headers = std::move(headers);
    request.headers.emplace_back("host", "desk.example");
    request.body = std::move(body);
    request.remote_address = "192.0.2.1";
    for (const Route& route : router_.routes()) {
      if (route.method != method || route.pattern != request.path) continue;
      auto promise = std::make_shared<std::promise<HttpResponse>>();
      std::future<HttpResponse> future = promise->get_future();
      route.handler(request,
                    [promise](HttpResponse response) { promise->set_value(std::move(response)); });
      return future.get();
    }
    ADD_FAILURE() << "no route " << method << " " << request.path;
    return {};
  }

  HttpResponse PostForm(const std::string& target, const std::string& body, Headers headers = {}) {
    headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    return Call("POST", target, std::move(headers), body);
  }

  // Signs the admin in; returns the session token from the cookie.
  std::string SignInAdmin() {
    const HttpResponse response = PostForm(
        "/login", "email=admin%40example.com&password=correct+horse+battery&next=%2Fconsole%2Fx");
    EXPECT_EQ(response.status, 303) << response.body;
    const std::string cookie = HeaderOf(response, "Set-Cookie");
    const size_t equals = cookie.find('=');
    return cookie.substr(equals + 1, cookie.find(';') - equals - 1);
  }

  Headers CookieFor(const std::string& token) {
    return {{"cookie", "theme=dark; casedesk_session=" + token + "; other=1"}};
  }

  Router router_;
};

TEST_F(WebSignInTest, SignInSetsTheCookieAndGoesToTheLocalNextPage) {
  const HttpResponse response = PostForm(
      "/login", "email=Admin%40Example.com&password=correct+horse+battery&next=%2Fconsole%2Fx");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(HeaderOf(response, "Location"), "/console/x");
  const std::string cookie = HeaderOf(response, "Set-Cookie");
  EXPECT_THAT(cookie, StartsWith("casedesk_session="));
  EXPECT_THAT(cookie, HasSubstr("; Path=/; HttpOnly; SameSite=Lax"));
  EXPECT_THAT(cookie, Not(HasSubstr("Secure")));  // the context's public URL is http
}

TEST_F(WebSignInTest, SignInRedirectsOnlyToPathsOnThisSite) {
  for (const std::string next : {"https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example",
                                 "%2F%5Cevil.example", "", "%2Flogin%3Fnext%3D%2F"}) {
    const HttpResponse response =
        PostForm("/login", "email=admin%40example.com&password=correct+horse+battery&next=" + next);
    EXPECT_EQ(response.status, 303) << next;
    EXPECT_EQ(HeaderOf(response, "Location"), "/") << next;
  }
}

TEST_F(WebSignInTest, FailedSignInKeepsTheEmailNotThePassword) {
  const HttpResponse wrong =
      PostForm("/login", "email=admin%40example.com&password=hunter2-secret&next=%2Fconsole%2Fx");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_THAT(wrong.body, HasSubstr("The email address or password is wrong."));
  EXPECT_THAT(wrong.body, HasSubstr("admin@example.com"));
  EXPECT_THAT(wrong.body, Not(HasSubstr("hunter2-secret")));
  EXPECT_EQ(HeaderOf(wrong, "Set-Cookie"), "");
  EXPECT_THAT(HeaderOf(wrong, "Content-Security-Policy"), HasSubstr("default-src 'none'"));

  const HttpResponse unknown =
      PostForm("/login", "email=nobody%40example.com&password=correct+horse+battery");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_THAT(unknown.body, HasSubstr("The email address or password is wrong."));
}

TEST_F(WebSignInTest, TooManyFailuresAre429) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(PostForm("/login", "email=admin%40example.com&password=guess").status, 401) << i;
  }
  const HttpResponse throttled =
      PostForm("/login", "email=admin%40example.com&password=correct+horse+battery");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_THAT(throttled.body, HasSubstr("Too many attempts"));
  EXPECT_EQ(HeaderOf(throttled, "Retry-After"), "900");
}

TEST_F(WebSignInTest, SignInFormsFromAnotherSiteAreRefused) {
  const HttpResponse response =
      PostForm("/login", "email=admin%40example.com&password=correct+horse+battery",
               {{"origin", "https://evil.example"}});
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), "");
  EXPECT_EQ(PostForm("/login", "email=admin%40example.com&password=correct+horse+battery",
                     {{"sec-fetch-site", "cross-site"}})
                .status,
            403);
  EXPECT_EQ(PostForm("/login", "email=admin%40example.com&password=correct+horse+battery",
                     {{"origin", "http://desk.example"}})
                .status,
            303);
}

TEST_F(WebSignInTest, PagesWithoutASessionGoToTheSignInPage) {
  HttpResponse response = Call("GET", "/console/status?tab=a%20b&x=1");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(HeaderOf(response, "Location"), "/login?next=/console/status%3Ftab%3Da%2520b%26x%3D1");
  EXPECT_EQ(HeaderOf(response, "Set-Cookie"), "");

  response = Call("GET", "/console/status", CookieFor("stale-token"));
  EXPECT_EQ(response.status, 303);
  EXPECT_THAT(HeaderOf(response, "Set-Cookie"), StartsWith("casedesk_session=; Max-Age=0"));

  response = PostForm("/console/echo", "csrf_token=x");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(HeaderOf(response, "Location"), "/login");
}

TEST_F(WebSignInTest, SignedInPagesSeeTheCallerAndTheirCsrfToken) {
  const std::string token = SignInAdmin();
  const HttpResponse page = Call("GET", "/console/status", CookieFor(token));
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.body, "admin@example.com " + app::CsrfTokenFor(*crypto_, token));

  // The sign-in page sends a signed-in visitor on.
  const HttpResponse login = Call("GET", "/login?next=%2Fconsole%2Fy", CookieFor(token));
  EXPECT_EQ(login.status, 303);
  EXPECT_EQ(HeaderOf(login, "Location"), "/console/y");
}

TEST_F(WebSignInTest, SignedInFormsNeedTheCsrfTokenAndThisSite) {
  const std::string token = SignInAdmin();
  const std::string csrf = app::CsrfTokenFor(*crypto_, token);
  EXPECT_EQ(PostForm("/console/echo", "a=1", CookieFor(token)).status, 403);
  EXPECT_EQ(PostForm("/console/echo", "csrf_token=0123", CookieFor(token)).status, 403);
  EXPECT_EQ(PostForm("/console/echo", "csrf_token=" + app::CsrfTokenFor(*crypto_, "other"),
                     CookieFor(token))
                .status,
            403);
  Headers cross = CookieFor(token);
  cross.emplace_back("origin", "https://evil.example");
  EXPECT_EQ(PostForm("/console/echo", "csrf_token=" + csrf, cross).status, 403);
  // Not a form at all.
  EXPECT_EQ(Call("POST", "/console/echo", CookieFor(token), "csrf_token=" + csrf).status, 403);

  const HttpResponse ok = PostForm("/console/echo", "csrf_token=" + csrf, CookieFor(token));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "posted by admin@example.com");
}

TEST_F(WebSignInTest, SignOutNeedsTheCsrfTokenAndEndsTheSession) {
  const std::string token = SignInAdmin();
  EXPECT_EQ(PostForm("/logout", "", CookieFor(token)).status, 403);
  ASSERT_EQ(Call("GET", "/console/status", CookieFor(token)).status, 200);

  const HttpResponse out =
      PostForm("/logout", "csrf_token=" + app::CsrfTokenFor(*crypto_, token), CookieFor(token));
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(HeaderOf(out, "Location"), "/login?signed_out=1");
  EXPECT_THAT(HeaderOf(out, "Set-Cookie"), StartsWith("casedesk_session=; Max-Age=0"));
  EXPECT_EQ(Call("GET", "/console/status", CookieFor(token)).status, 303);

  const HttpResponse login = Call("GET", "/login?signed_out=1");
  EXPECT_EQ(login.status, 200);
  EXPECT_THAT(login.body, HasSubstr("You are signed out."));
}

TEST(WebAuthHelpersTest, SessionCookiesAreSecureOnHttps) {
  EXPECT_EQ(SessionCookie("abc", "https://desk.example"),
            "casedesk_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
  EXPECT_EQ(SessionCookie("abc", "http://127.0.0.1:8080"),
            "casedesk_session=abc; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(ExpiredSessionCookie("HTTPS://desk.example"),
            "casedesk_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure");
}

TEST(WebAuthHelpersTest, SessionTokenFromCookieHeaders) {
  struct Case {
    std::vector<std::string> cookies;
    std::optional<std::string> token;
  };
  const std::vector<Case> cases = {
      {{}, std::nullopt},
      {{"casedesk_session=abc"}, "abc"},
      {{"a=1;casedesk_session=abc;b=2"}, "abc"},
      {{"a=1; casedesk_session = \"abc\" ; b=2"}, "abc"},
      {{"xcasedesk_session=abc; casedesk_sessionx=def"}, std::nullopt},
      {{"casedesk_session="}, std::nullopt},
      {{"a=1", "casedesk_session=second-header"}, "second-header"},
      {{"casedesk_session=first; casedesk_session=second"}, "first"},
  };
  for (const Case& c : cases) {
    HttpRequest request;
    for (const std::string& cookie : c.cookies) request.headers.emplace_back("cookie", cookie);
    EXPECT_EQ(SessionTokenFrom(request), c.token)
        << (c.cookies.empty() ? std::string("(none)") : c.cookies.back());
  }
}

TEST(WebAuthHelpersTest, SeeOtherOnlyToLocalPaths) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/console/status", "/console/status"},
      {"/a?b=c", "/a?b=c"},
      {"//evil.example", "/"},
      {"/\\evil.example", "/"},
      {"https://evil.example", "/"},
      {"console", "/"},
      {"", "/"},
      {"/a\r\nSet-Cookie: x=y", "/"},
  };
  for (const auto& [location, expected] : cases) {
    const HttpResponse response = SeeOther(location);
    EXPECT_EQ(response.status, 303);
    EXPECT_EQ(HeaderOf(response, "Location"), expected) << location;
  }
}

TEST(WebAuthHelpersTest, FormFieldsNeedAUrlEncodedFormOfModestSize) {
  HttpRequest request;
  request.body = "a=1&b=x%20y&a=2";
  EXPECT_FALSE(FormFields(request).has_value());
  request.headers = {{"content-type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"}};
  const auto fields = FormFields(request);
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(FormValue(*fields, "a"), "1");
  EXPECT_EQ(FormValue(*fields, "b"), "x y");
  EXPECT_EQ(FormValue(*fields, "c"), "");
  request.body = "a=%zz";
  EXPECT_FALSE(FormFields(request).has_value());
  request.body = "a=" + std::string(64 * 1024, 'x');
  EXPECT_FALSE(FormFields(request).has_value());
  request.headers = {{"content-type", "multipart/form-data; boundary=x"}};
  request.body = "a=1";
  EXPECT_FALSE(FormFields(request).has_value());
}

TEST(WebAuthHelpersTest, CrossSiteRequests) {
  const auto cross = [](Headers headers) {
    HttpRequest request;
    request.headers = std::move(headers);
    return CrossSite(request);
  };
  EXPECT_FALSE(cross({{"host", "desk.example"}}));
  EXPECT_FALSE(cross({{"host", "desk.example"}, {"origin", "https://desk.example"}}));
  EXPECT_FALSE(cross({{"host", "desk.example"}, {"sec-fetch-site", "same-origin"}}));
  EXPECT_TRUE(cross({{"host", "desk.example"}, {"origin", "https://evil.example"}}));
  EXPECT_TRUE(cross({{"host", "desk.example"}, {"origin", "null"}}));
  EXPECT_TRUE(cross({{"host", "desk.example"}, {"sec-fetch-site", "cross-site"}}));
  EXPECT_TRUE(cross({{"origin", "https://desk.example"}}));
}

}  // namespace
}  // namespace casedesk::adapters::http

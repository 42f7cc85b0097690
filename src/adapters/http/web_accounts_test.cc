// The account pages below the HTTP server: the real routes, a real SQLite store and real
// argon2id; requests are built as the server builds them after route matching. Checks the
// signed-out CSRF scheme, the identical answers for known and unknown addresses, links used
// once, and the organisation admin's Contacts page.
#include "adapters/http/web_accounts.h"

#include <chrono>
#include <future>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/http/route_matcher.h"
#include "adapters/http/web_session_cookie.h"
#include "adapters/http/web_sign_in.h"
#include "app/account_requests.h"
#include "app/account_test_fixture.h"
#include "app/web_sessions.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using Headers = std::vector<std::pair<std::string, std::string>>;

std::string HeaderOf(const HttpResponse& response, std::string_view name,
                     std::string_view starting = "") {
  for (const auto& [key, value] : response.headers) {
    if (key == name && value.starts_with(starting)) return value;
  }
  return "";
}

// "name=value" of a Set-Cookie header.
std::string CookiePair(const std::string& set_cookie) {
  return set_cookie.substr(0, set_cookie.find(';'));
}

std::string CsrfIn(const std::string& html) {
  std::smatch match;
  static const std::regex pattern(R"re(name="csrf_token" value="([0-9a-f]+)")re");
  return std::regex_search(html, match, pattern) ? match[1].str() : "";
}

std::string Encode(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      out += hex;
    }
  }
  return out;
}

class WebAccountsTest : public app::AccountTest {
 protected:
  void SetUp() override {
    app::AccountTest::SetUp();
    RegisterAccountRoutes(router_, context());
    RegisterSignInRoutes(router_, context());
  }

  void TearDown() override {
    // Requests do not wait for their units of work; this one runs after them all, so none is
    // left holding the context when the fixture goes.
    ASSERT_TRUE(
        store_->WriteAndWait([](ports::StoreTransaction&) { return absl::OkStatus(); }).ok());
    app::AccountTest::TearDown();
  }

  HttpResponse Call(const std::string& method, const std::string& target, Headers headers = {},
                    std::string body = "") {
    HttpRequest request;
    request.method = method;
    request.target = target;
    const size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) {
      request.query = DecodeQuery(target.substr(question + 1)).value_or(decltype(request.query){});
    }
    request.headers = std::move(headers);
    request.headers.emplace_back("host", "desk.example");
    request.body = std::move(body);
    request.remote_address = "192.0.2.1";
    absl::StatusOr<RouteMatcher> matcher = RouteMatcher::Create(router_.routes());
    EXPECT_TRUE(matcher.ok()) << matcher.status();
    const RouteMatch match = matcher->Match(method, request.path);
    if (match.outcome != RouteOutcome::kMatched) {
      ADD_FAILURE() << "no route " << method << " " << request.path;
      return {};
    }
    const Route& route = router_.routes()[match.route_index];
    request.route = route.pattern;
    for (const auto& [name, value] : match.path_params) request.path_params[name] = value;
    auto promise = std::make_shared<std::promise<HttpResponse>>();
    std::future<HttpResponse> future = promise->get_future();
    route.handler(request,
                  [promise](HttpResponse response) { promise->set_value(std::move(response)); });
    return future.get();
  }

  // GETs a signed-out form page; keeps its pre-session cookie and token for the next POST.
  HttpResponse Open(const std::string& target) {
    Headers headers;
    if (!form_cookie_.empty()) headers.emplace_back("cookie", form_cookie_);
    HttpResponse response = Call("GET", target, std::move(headers));
    const std::string set = HeaderOf(response, "Set-Cookie", "casedesk_form=");
    if (!set.empty()) form_cookie_ = CookiePair(set);
    csrf_ = CsrfIn(response.body);
    return response;
  }

  HttpResponse Post(const std::string& target, const std::string& body, Headers headers = {},
                    bool with_cookie = true) {
    headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    std::string cookies = with_cookie ? form_cookie_ : "";
    if (!session_cookie_.empty()) {
      cookies += (cookies.empty() ? "" : "; ") + session_cookie_;
    }
    if (!cookies.empty()) headers.emplace_back("cookie", cookies);
    return Call("POST", target, std::move(headers), body + "&csrf_token=" + csrf_);
  }

  // Waits for the outbox to hold `count` messages (requests do not wait for their writes).
  std::vector<ports::Notification> MailWhenThere(size_t count) {
    for (int i = 0; i < 200; ++i) {
      std::vector<ports::Notification> mail = Mail();
      if (mail.size() >= count) return mail;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no mail number " << count;
    return Mail();
  }

  std::string SignUpAndGetLink(const std::string& email, const std::string& name) {
    Open("/signup");
    const size_t before = Mail().size();
    const HttpResponse posted = Post("/signup", "name=" + Encode(name) + "&email=" + Encode(email));
    EXPECT_EQ(posted.status, 303) << posted.body;
    return TokenIn(MailWhenThere(before + 1).back().body);
  }

  Router router_;
  std::string form_cookie_;
  std::string session_cookie_;
  std::string csrf_;
};

TEST_F(WebAccountsTest, SignUpFormSetsAPreSessionCookieAndRefusesFormsWithoutIt) {
  const HttpResponse page = Open("/signup");
  EXPECT_EQ(page.status, 200);
  const std::string cookie = HeaderOf(page, "Set-Cookie", "casedesk_form=");
  EXPECT_THAT(cookie, HasSubstr("; Path=/; HttpOnly; SameSite=Lax"));
  EXPECT_EQ(csrf_.size(), 32u);
  EXPECT_THAT(HeaderOf(page, "Content-Security-Policy"), HasSubstr("default-src 'none'"));
  // The same browser keeps its cookie: no new one, the same token.
  const std::string token = csrf_;
  EXPECT_EQ(HeaderOf(Open("/password/forgot"), "Set-Cookie"), "");
  EXPECT_EQ(csrf_, token);

  const std::string body = "name=Ana&email=ana%40customer.example";
  EXPECT_EQ(Post("/signup", body, {}, /*with_cookie=*/false).status, 403);
  const std::string genuine = csrf_;
  csrf_ = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(Post("/signup", body).status, 403);
  csrf_ = genuine;
  const HttpResponse cross = Post("/signup", body, {{"origin", "https://evil.example"}});
  EXPECT_EQ(cross.status, 403);
  EXPECT_THAT(cross.body, HasSubstr("This form expired"));
  EXPECT_THAT(cross.body, HasSubstr("value=\"Ana\""));  // what was typed is kept
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(Mail().empty());

  const HttpResponse accepted = Post("/signup", body);
  EXPECT_EQ(accepted.status, 303);
  EXPECT_EQ(HeaderOf(accepted, "Location"), "/signup?sent=1");
  EXPECT_EQ(MailWhenThere(1).back().kind, "account.verify");
  EXPECT_THAT(Open("/signup?sent=1").body, HasSubstr("Check your mail"));
}

TEST_F(WebAccountsTest, KnownUnknownAndUnmatchedAddressesGetTheSameAnswer) {
  MakeUser("known@customer.example", core::Role::kCustomer, customer_.id);
  Open("/signup");
  std::vector<HttpResponse> answers;
  for (const std::string email :
       {"known%40customer.example", "new%40customer.example", "someone%40elsewhere.example"}) {
    answers.push_back(Post("/signup", "name=Some+One&email=" + email));
  }
  for (const HttpResponse& answer : answers) {
    EXPECT_EQ(answer.status, answers[0].status);
    EXPECT_EQ(answer.body, answers[0].body);
    EXPECT_EQ(answer.headers, answers[0].headers);
  }
  const std::vector<ports::Notification> mail = MailWhenThere(3);
  std::set<std::string> kinds;
  for (const ports::Notification& message : mail) kinds.insert(message.kind);
  EXPECT_EQ(kinds, (std::set<std::string>{"account.password_reset", "account.verify",
                                          "mail.unknown_sender"}));

  Open("/password/forgot");
  const HttpResponse known = Post("/password/forgot", "email=known%40customer.example");
  const HttpResponse unknown = Post("/password/forgot", "email=nobody%40customer.example");
  EXPECT_EQ(known.status, 303);
  EXPECT_EQ(HeaderOf(known, "Location"), "/password/forgot?sent=1");
  EXPECT_EQ(known.headers, unknown.headers);
  EXPECT_EQ(known.body, unknown.body);
}

TEST_F(WebAccountsTest, FieldErrorsAndTheThrottleShowTheFormAgain) {
  Open("/signup");
  const HttpResponse bad = Post("/signup", "name=Ana&email=not-an-address");
  EXPECT_EQ(bad.status, 400);
  EXPECT_THAT(bad.body, HasSubstr("id=\"signup-email-error\""));
  for (int i = 0; i < app::kSignUpThrottle.max_hits; ++i) {
    EXPECT_EQ(Post("/signup", "name=Ana&email=ana%40customer.example").status, 303) << i;
  }
  const HttpResponse throttled = Post("/signup", "name=Ana&email=ana%40customer.example");
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(HeaderOf(throttled, "Retry-After"), "3600");
  EXPECT_THAT(throttled.body, HasSubstr("Too many requests"));
}

TEST_F(WebAccountsTest, VerificationLinkChoosesThePasswordSignsInOnceAndThenFails) {
  const std::string token = SignUpAndGetLink("ana.lima@customer.example", "Ana Lima");
  ASSERT_FALSE(token.empty());
  const HttpResponse form = Open("/verify?token=" + token);
  EXPECT_EQ(form.status, 200);
  EXPECT_THAT(form.body, HasSubstr("Choose your password"));
  EXPECT_THAT(form.body, HasSubstr("ana.lima@customer.example"));

  const HttpResponse weak = Post(
      "/verify", "token=" + token + "&password=lima12345678&password_confirmation=lima12345678");
  EXPECT_EQ(weak.status, 400);
  EXPECT_THAT(weak.body, HasSubstr("must not contain your email address or name"));

  const HttpResponse done = Post(
      "/verify", "token=" + token +
                     "&password=violet+tractor+lagoon&password_confirmation=violet+tractor+lagoon");
  ASSERT_EQ(done.status, 303) << done.body;
  EXPECT_EQ(HeaderOf(done, "Location"), "/");
  const std::string session = HeaderOf(done, "Set-Cookie", "casedesk_session=");
  ASSERT_FALSE(session.empty());
  const std::string session_token = CookiePair(session).substr(strlen("casedesk_session="));
  EXPECT_TRUE(app::AuthenticateSession(context(), session_token).ok());

  // Used: the same page refuses it, on GET and on POST.
  const HttpResponse again = Open("/verify?token=" + token);
  EXPECT_EQ(again.status, 404);
  EXPECT_THAT(again.body, HasSubstr("This link does not work"));
  EXPECT_EQ(Post("/verify", "token=" + token +
                                "&password=violet+tractor+lagoon&password_confirmation=violet+"
                                "tractor+lagoon")
                .status,
            404);
  EXPECT_EQ(Open("/verify?token=").status, 404);
}

TEST_F(WebAccountsTest, ResetLinksExpireAfterAnHourAndDoNotOpenTheVerifyPage) {
  MakeUser("ben@customer.example", core::Role::kCustomer, customer_.id);
  Open("/password/forgot");
  ASSERT_EQ(Post("/password/forgot", "email=ben%40customer.example").status, 303);
  const std::string token = TokenIn(MailWhenThere(1).back().body);
  EXPECT_EQ(Open("/verify?token=" + token).status, 404);
  EXPECT_EQ(Open("/password/reset?token=" + token).status, 200);
  clock_.Advance(absl::Hours(1));
  const HttpResponse expired = Open("/password/reset?token=" + token);
  EXPECT_EQ(expired.status, 404);
  EXPECT_THAT(expired.body, HasSubstr("href=\"/password/forgot\""));
}

TEST_F(WebAccountsTest, OrganisationAdminsManageTheirContacts) {
  const core::User ana =
      MakeUser("ana@customer.example", core::Role::kCustomer, customer_.id, /*org_admin=*/true);
  const core::User cy = MakeUser("cy@customer.example", core::Role::kCustomer, customer_.id);
  // Sign Ana in through a reset link, as a person would.
  Open("/password/forgot");
  ASSERT_EQ(Post("/password/forgot", "email=ana%40customer.example").status, 303);
  const std::string token = TokenIn(MailWhenThere(1).back().body);
  Open("/password/reset?token=" + token);
  const HttpResponse signed_in =
      Post("/password/reset", "token=" + token +
                                  "&password=violet+tractor+lagoon&password_confirmation=violet+"
                                  "tractor+lagoon");
  ASSERT_EQ(signed_in.status, 303);
  session_cookie_ = CookiePair(HeaderOf(signed_in, "Set-Cookie", "casedesk_session="));
  const std::string session_token = session_cookie_.substr(strlen("casedesk_session="));
  csrf_ = app::CsrfTokenFor(context().crypto, session_token);
  const Headers session_headers = {{"cookie", session_cookie_}};

  const HttpResponse page = Call("GET", "/portal/contacts", session_headers);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("cy@customer.example"));
  EXPECT_THAT(page.body, HasSubstr("ana (you)"));

  const HttpResponse invited =
      Post("/portal/contacts", "name=Dee+Oak&email=dee%40customer.example");
  ASSERT_EQ(invited.status, 303) << invited.body;
  EXPECT_EQ(HeaderOf(invited, "Location"), "/portal/contacts?done=invited");
  const ports::Notification invitation = MailWhenThere(2).back();
  EXPECT_EQ(invitation.recipient_email, "dee@customer.example");
  EXPECT_THAT(invitation.body, HasSubstr("invited you to get support from us as a contact of"));
  EXPECT_THAT(invitation.body, HasSubstr("within 72 hours"));
  EXPECT_THAT(Call("GET", "/portal/contacts?done=invited", session_headers).body,
              HasSubstr("The invitation is on its way."));

  const HttpResponse taken = Post("/portal/contacts", "name=Cy&email=cy%40customer.example");
  EXPECT_EQ(taken.status, 409);
  EXPECT_THAT(taken.body, HasSubstr("id=\"invite-email-error\""));

  const std::string cy_path = "/portal/contacts/" + std::to_string(cy.id);
  EXPECT_EQ(Post(cy_path + "/active", "active=false").status, 303);
  EXPECT_EQ(Post(cy_path + "/org-admin", "org_admin=true").status, 303);
  const core::User changed = *app::GetUser(context(), admin_, cy.id);
  EXPECT_FALSE(changed.active);
  EXPECT_TRUE(changed.org_admin);
  // Cy joined long ago (verified): no invitation to send again.
  EXPECT_EQ(Post(cy_path + "/invitation", "").status, 409);
  // Ana cannot deactivate herself.
  EXPECT_EQ(Post("/portal/contacts/" + std::to_string(ana.id) + "/active", "active=false").status,
            409);
  // Someone of another organisation does not exist for her.
  const core::Organisation other =
      MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::User stranger = MakeUser("x@initech.example", core::Role::kCustomer, other.id);
  EXPECT_EQ(
      Post("/portal/contacts/" + std::to_string(stranger.id) + "/active", "active=false").status,
      404);
  // Without a valid CSRF token nothing happens.
  csrf_ = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(Post(cy_path + "/active", "active=true").status, 403);
}

TEST_F(WebAccountsTest, ContactsDoNotExistForContactsWhoAreNotAdmins) {
  MakeUser("cy@customer.example", core::Role::kCustomer, customer_.id);
  Open("/password/forgot");
  ASSERT_EQ(Post("/password/forgot", "email=cy%40customer.example").status, 303);
  const std::string token = TokenIn(MailWhenThere(1).back().body);
  Open("/password/reset?token=" + token);
  const HttpResponse signed_in =
      Post("/password/reset", "token=" + token +
                                  "&password=violet+tractor+lagoon&password_confirmation=violet+"
                                  "tractor+lagoon");
  ASSERT_EQ(signed_in.status, 303);
  const std::string cookie = CookiePair(HeaderOf(signed_in, "Set-Cookie", "casedesk_session="));
  EXPECT_EQ(Call("GET", "/portal/contacts", {{"cookie", cookie}}).status, 404);
  // Signed out: to the sign-in page and back.
  const HttpResponse anonymous = Call("GET", "/portal/contacts");
  EXPECT_EQ(anonymous.status, 303);
  EXPECT_THAT(HeaderOf(anonymous, "Location"), StartsWith("/login?next="));
}

}  // namespace
}  // namespace casedesk::adapters::http

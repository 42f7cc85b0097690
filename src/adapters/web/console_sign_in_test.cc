#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/web/console_html_checks.h"
#include "adapters/web/console_layout.h"
#include "adapters/web/console_notices.h"
#include "adapters/web/sign_in_page.h"

namespace casedesk::adapters::web {
namespace {

using testing::Attribute;
using testing::ExpectSoundDocument;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::StartTags;

TEST(SignInPageTest, IsACalmFormWithLabelsAndAutocomplete) {
  const std::string html = RenderSignInPage({});
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("<form class=\"sp-form cd-sign-in\" method=\"post\" "
                              "action=\"/login\">"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"stylesheet\" href=\"/static/casedesk.css\">"));
  bool email = false;
  bool password = false;
  for (const std::string& input : StartTags(html, "input")) {
    if (Attribute(input, "name") == "email") {
      email = true;
      EXPECT_EQ(Attribute(input, "type"), "email");
      EXPECT_EQ(Attribute(input, "autocomplete"), "username");
    }
    if (Attribute(input, "name") == "password") {
      password = true;
      EXPECT_EQ(Attribute(input, "type"), "password");
      EXPECT_EQ(Attribute(input, "autocomplete"), "current-password");
      EXPECT_EQ(Attribute(input, "value"), "");
    }
  }
  EXPECT_TRUE(email);
  EXPECT_TRUE(password);
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"next\" value=\"\">"));
  EXPECT_THAT(html, Not(HasSubstr("role=\"alert\"")));
}

TEST(SignInPageTest, FailedAttemptKeepsTheEmailAndShowsTheErrorByTheForm) {
  SignInView view;
  view.email = "ada@example.com\"><script>";
  view.next = "/console/status?x=\"<b>";
  view.error = "The email address or password is wrong.";
  const std::string html = RenderSignInPage(view);
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("id=\"sign-in-error\" role=\"alert\">"));
  EXPECT_THAT(html, HasSubstr("The email address or password is wrong."));
  EXPECT_THAT(html, HasSubstr("value=\"ada@example.com&quot;&gt;&lt;script&gt;\""));
  EXPECT_THAT(html, HasSubstr("name=\"next\" value=\"/console/status?x=&quot;&lt;b&gt;\""));
  EXPECT_THAT(html, HasSubstr("aria-invalid=\"true\" aria-describedby=\"sign-in-error\""));
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
}

TEST(SignInPageTest, ShowsANotice) {
  SignInView view;
  view.notice = "You are signed out.";
  const std::string html = RenderSignInPage(view);
  EXPECT_THAT(html, HasSubstr("role=\"status\">"));
  EXPECT_THAT(html, HasSubstr("You are signed out."));
}

TEST(ConsoleNoticesTest, KnownCodesHaveFixedTextsOthersNone) {
  EXPECT_EQ(ConsoleNoticeText("update-posted"), "Update posted.");
  EXPECT_EQ(ConsoleNoticeText("incident-opened"), "Incident opened.");
  EXPECT_EQ(ConsoleNoticeText("component-added"), "Component added.");
  EXPECT_EQ(ConsoleNoticeText("<script>"), "");
  EXPECT_EQ(ConsoleNoticeText(""), "");
}

TEST(ConsoleLayoutTest, NotFoundPageIsPlainAndSound) {
  const std::string html = RenderNotFoundPage();
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("<h1>Page not found</h1>"));
  EXPECT_THAT(html, Not(HasSubstr("Sign out")));
}

TEST(ConsoleLayoutTest, MessagePageUsesTheFrame) {
  ConsoleFrame frame;
  frame.desk_name = "Example";
  frame.user_name = "Ada";
  frame.csrf_token = "t";
  frame.title = "Incident not found";
  const std::string html = RenderConsoleMessagePage(frame, "It may have been <removed>.");
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("<h1>Incident not found</h1>"));
  EXPECT_THAT(html, HasSubstr("It may have been &lt;removed&gt;."));
  testing::ExpectCsrfInEveryForm(html, "t");
}

}  // namespace
}  // namespace casedesk::adapters::web

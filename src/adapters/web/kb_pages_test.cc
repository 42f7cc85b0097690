#include "adapters/web/kb_pages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kXss[] = "<img src=x onerror=alert(1)>";

HelpFrame Frame() {
  HelpFrame frame;
  frame.brand_name = std::string("Acme ") + kXss;
  frame.csrf_token = "token-123";
  frame.title = std::string("Reset ") + kXss;
  frame.query = std::string("q ") + kXss;
  return frame;
}

TEST(KbPagesTest, ArticlePageEscapesTextAndKeepsTheSanitisedBody) {
  HelpArticlePage article;
  article.id = 12;
  article.title = Frame().title;
  article.body_html = "<p>Renew <strong>it</strong></p>";
  article.updated = "23 Nov 2026";
  article.section_name = kXss;
  article.section_href = "/help/sections/3";
  article.helpful_yes = 3;
  article.helpful_no = 1;
  const std::string html = RenderHelpArticle(Frame(), article);
  EXPECT_THAT(html, HasSubstr("<p>Renew <strong>it</strong></p>"));
  EXPECT_THAT(html, Not(HasSubstr(kXss)));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr("action=\"/help/articles/12/vote\""));
  EXPECT_THAT(html, HasSubstr("name=\"csrf_token\" value=\"token-123\""));
  EXPECT_THAT(html, HasSubstr("<legend>Was this article helpful?</legend>"));
  EXPECT_THAT(html, HasSubstr("3 of 4 found this helpful"));
  EXPECT_THAT(html, HasSubstr("<label for=\"kb-search-q\">"));
  EXPECT_THAT(html, Not(HasSubstr("kb-solved")));  // only when reached from a new case
  EXPECT_THAT(html, HasSubstr("href=\"/login?next=%2Fhelp\""));  // signed out

  article.offer_solved = true;
  HelpFrame signed_in = Frame();
  signed_in.user_name = "Alice";
  const std::string offered = RenderHelpArticle(signed_in, article);
  EXPECT_THAT(offered, HasSubstr("action=\"/help/articles/12/solved\""));
  EXPECT_THAT(offered, HasSubstr("This solved my problem"));
  EXPECT_THAT(offered, HasSubstr("href=\"/portal/cases/new\""));
}

TEST(KbPagesTest, HomeAndListPages) {
  const std::string home =
      RenderHelpHome(Frame(), {{"Networking", "", {{"/help/sections/1", "VPN", kXss}}}},
                     {{"/help/articles/2", "Reset the client", ""}});
  EXPECT_THAT(home, HasSubstr("<a href=\"/help/sections/1\">VPN</a>"));
  EXPECT_THAT(home, HasSubstr("<a href=\"/help/articles/2\">Reset the client</a>"));
  EXPECT_THAT(home, Not(HasSubstr(kXss)));

  const std::string empty = RenderHelpList(Frame(), "", {}, "No article matches.");
  EXPECT_THAT(empty, HasSubstr("No article matches."));
  const std::string results =
      RenderHelpList(Frame(), "1 article", {{"/help/articles/2", "Reset", "snippet text"}}, "");
  EXPECT_THAT(results, HasSubstr("snippet text"));
}

TEST(KbPagesTest, EditorMarksTheRefusedFieldAndListsVersions) {
  ConsoleFrame frame;
  frame.title = "Edit";
  frame.csrf_token = "tok";
  KbEditorPage page;
  page.id = 5;
  page.title = kXss;
  page.body = "</textarea><script>alert(1)</script>";
  page.visibilities = {{"public", "public", true}, {"internal", "internal", false}};
  page.statuses = {{"draft", "draft", true}};
  page.sections = {{"", "(no section)", true}};
  page.field_error_key = "title";
  page.field_error = "title: required";
  page.preview_html = "<p>ok</p>";
  page.source_case = "100001";
  page.versions = {{2, "New", "Sam", "2026-11-23 10:00 UTC", true}, {1, "Old", "Sam", "x", false}};
  const std::string html = RenderKbEditor(frame, page);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(html, HasSubstr("&lt;/textarea&gt;"));
  EXPECT_THAT(html, HasSubstr("id=\"kb-title\""));
  EXPECT_THAT(html, HasSubstr("aria-invalid=\"true\" aria-describedby=\"kb-form-error\""));
  EXPECT_THAT(html, HasSubstr("<label for=\"kb-body\">"));
  EXPECT_THAT(html, HasSubstr("action=\"/console/kb/5\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"public\" selected>public</option>"));
  EXPECT_THAT(html, HasSubstr("Version 2: New"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/cases/100001\""));
  EXPECT_THAT(html, HasSubstr("<p>ok</p>"));
}

TEST(KbPagesTest, AnswerPageProposesAReplyPerArticle) {
  ConsoleFrame frame;
  const std::string html = RenderKbAnswerPage(
      frame, "100001", "vpn",
      {{"Reset", "snip", "https://desk.example/help/articles/2", "See: Reset\nhttps://x"}});
  EXPECT_THAT(html, HasSubstr("action=\"/console/cases/100001/reply\""));
  EXPECT_THAT(html, HasSubstr("<label for=\"kb-answer-1\">"));
  EXPECT_THAT(html, HasSubstr("See: Reset\nhttps://x</textarea>"));
}

TEST(KbPagesTest, ScriptInsertsTextNotHtml) {
  const std::string_view script = KbScript();
  EXPECT_THAT(std::string(script), Not(HasSubstr("innerHTML")));
  EXPECT_THAT(std::string(script), HasSubstr("/api/v1/kb/suggest"));
}

}  // namespace
}  // namespace casedesk::adapters::web

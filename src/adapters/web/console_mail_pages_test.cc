// The mail administration pages' rendering: sound documents (labels, CSRF in every POST form,
// headings, unique ids), a held message's HTML payload only as escaped text, forms that keep
// what was typed with the refusal, admin-only controls, and the settings form round trip.
#include "adapters/web/console_mail_pages.h"

#include <string>

#include "adapters/web/console_html_checks.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPayload[] = "<img src=x onerror=\"alert(1)\"><script>alert(2)</script>";

ConsoleFrame Frame() {
  ConsoleFrame frame;
  frame.desk_name = "Example";
  frame.user_name = "Ada Admin";
  frame.csrf_token = "abc123";
  frame.active = "admin";
  frame.title = "Mail";
  return frame;
}

TEST(ConsoleMailPagesTest, HeldMessageShowsThePayloadOnlyAsText) {
  ConsoleInboundMessageView view;
  view.row.id = 7;
  view.row.status = ports::InboundMailStatus::kQuarantined;
  view.row.channel = "api";
  view.row.received_at = absl::FromUnixSeconds(1790000000);
  view.row.reason = kPayload;
  view.headers = {{"From", std::string("Mallory <m@x.example>") + kPayload}, {"Subject", kPayload}};
  view.text = std::string("Hello\n") + kPayload;
  view.had_html = true;
  view.may_decide = true;
  view.organisations = {{12, "Initech <b>", "customer"}};
  view.form_org_id = "12";
  const std::string html = RenderConsoleInboundMessagePage(Frame(), view);
  testing::ExpectSoundDocument(html);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(2)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("Initech &lt;b&gt;"));
  EXPECT_THAT(html, HasSubstr("<option value=\"12\" selected>"));
  EXPECT_THAT(html, HasSubstr("action=\"/console/admin/mail/inbound/7/accept\""));
  EXPECT_THAT(html, HasSubstr("shown here as text only"));
}

TEST(ConsoleMailPagesTest, DecidedMessageHasNoButtons) {
  ConsoleInboundMessageView view;
  view.row.id = 8;
  view.row.status = ports::InboundMailStatus::kCaseOpened;
  view.row.case_number = 123456;
  const std::string html = RenderConsoleInboundMessagePage(Frame(), view);
  testing::ExpectSoundDocument(html);
  EXPECT_THAT(html, Not(HasSubstr("/accept")));
  EXPECT_THAT(html, HasSubstr("href=\"/console/cases/123456\""));
}

TEST(ConsoleMailPagesTest, SettingsFormRoundTripsAndKeepsWhatWasTyped) {
  app::MailDeskSettings settings;
  settings.unknown_senders = app::UnknownSenderTreatment::kQuarantine;
  settings.routes = {{"critical", app::MailRouteAction::kOpenCase, core::Severity::kCritical},
                     {"escalation", app::MailRouteAction::kEscalate, std::nullopt}};
  settings.notice_interval = absl::Minutes(90);
  const MailDeskFormText form = MailDeskFormFromSettings(settings);
  EXPECT_EQ(form.routes, "critical open_case 1\nescalation escalate");
  EXPECT_EQ(form.unknown_senders, "quarantine");
  EXPECT_EQ(form.notice_interval_minutes, "90");
  EXPECT_EQ(form.default_severity, "3");

  ConsoleMailSettingsView view;
  view.form = form;
  view.form.from_name = "\"Quoted\" <Support>";
  view.error = "routes[0].action: must be open_case or escalate";
  view.organisations = {{3, "Acme", "customer"}};
  std::string html = RenderConsoleMailSettingsPage(Frame(), view);
  testing::ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("value=\"quarantine\" checked"));
  EXPECT_THAT(html, HasSubstr("value=\"&quot;Quoted&quot; &lt;Support&gt;\""));
  EXPECT_THAT(html, HasSubstr("role=\"alert\">routes[0].action: must be"));
  EXPECT_THAT(html, HasSubstr("<option value=\"3\" selected>3 · minor</option>"));
  EXPECT_THAT(html, Not(HasSubstr("Save mail settings")));
  EXPECT_THAT(html, HasSubstr("Only an admin can change the mail settings."));
  view.may_edit = true;
  html = RenderConsoleMailSettingsPage(Frame(), view);
  EXPECT_THAT(html, HasSubstr("Save mail settings"));
  EXPECT_THAT(html, Not(HasSubstr("Only an admin")));
}

TEST(ConsoleMailPagesTest, TemplatePageListsPlaceholdersAndPreview) {
  ConsoleMailTemplateView view;
  view.kind = "case.opened";
  view.customised = true;
  view.may_edit = true;
  view.subject = "Case opened: {{case_subject}}";
  view.body = "Hi {{recipient_name}}";
  view.placeholders = {"recipient_name", "case_subject"};
  view.preview = app::RenderedMail{"Case opened: [case_subject]", "Hi <b>[recipient_name]</b>"};
  view.unsaved = true;
  const std::string html = RenderConsoleMailTemplatePage(Frame(), view);
  testing::ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("<code>{{recipient_name}}</code>"));
  EXPECT_THAT(html, HasSubstr("value=\"Case opened: {{case_subject}}\""));
  EXPECT_THAT(html, HasSubstr("Hi &lt;b&gt;[recipient_name]&lt;/b&gt;"));
  EXPECT_THAT(html, HasSubstr("(not saved)"));
  EXPECT_THAT(html, HasSubstr("action=\"/console/admin/mail/templates/case.opened/reset\""));
  view.may_edit = false;
  EXPECT_THAT(RenderConsoleMailTemplatePage(Frame(), view), Not(HasSubstr("/reset")));
}

TEST(ConsoleMailPagesTest, OutboxOffersRetryOnlyToAdminsOnGivenUpMail) {
  ConsoleOutboxView view;
  view.failed = true;
  view.failed_count = 1;
  ports::Notification row;
  row.id = 41;
  row.kind = "case.opened";
  row.recipient_email = "a@example.com";
  row.subject = "Case opened";
  row.attempts = 1;
  row.last_error = "550 5.7.1 Refused";
  view.rows = {row};
  view.next_cursor = "41";
  view.may_retry = true;
  std::string html = RenderConsoleOutboxPage(Frame(), view);
  testing::ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("action=\"/console/admin/mail/outbox/41/retry\""));
  EXPECT_THAT(html, HasSubstr("href=\"/console/admin/mail/outbox?state=failed&amp;cursor=41\""));
  EXPECT_THAT(html, HasSubstr("550 5.7.1 Refused"));
  view.may_retry = false;
  html = RenderConsoleOutboxPage(Frame(), view);
  EXPECT_THAT(html, Not(HasSubstr("/retry")));
  view.failed = false;
  view.may_retry = true;
  EXPECT_THAT(RenderConsoleOutboxPage(Frame(), view), Not(HasSubstr("/retry")));
}

TEST(ConsoleMailPagesTest, SubNavigationMarksTheCurrentSection) {
  const std::string nav = MailAdminNavHtml(MailAdminSection::kInbound);
  EXPECT_THAT(nav, HasSubstr("<a href=\"/console/admin/mail/inbound\" aria-current=\"page\">"));
  EXPECT_THAT(nav, HasSubstr("<a href=\"/console/admin/mail/outbox\">"));
}

}  // namespace
}  // namespace casedesk::adapters::web

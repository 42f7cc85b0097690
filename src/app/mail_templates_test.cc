// Mail templates: shipped defaults for every kind, rendering (text bodies, clean subjects, HTML
// only by escaping), and the operator's overrides validated on save.
#include "app/mail_templates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/case_test_fixture.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

nlohmann::json SampleValues() {
  return {{"recipient_name", "Alice"},
          {"desk_name", "Example Support"},
          {"case_number", 123456},
          {"case_subject", "Disk full"},
          {"severity", 2},
          {"previous_severity", 3},
          {"requester_name", "Alice"},
          {"author_name", "Agent Smith"},
          {"comment", "We have freed some space."},
          {"status", "solved"},
          {"previous_status", "open"},
          {"clock", "first_response"},
          {"due_at", "2026-03-09T12:00:00Z"},
          {"policy", "breaches"},
          {"level", 1},
          {"trigger", "sla_breach"},
          {"sender_address", "stranger@elsewhere.example"},
          {"original_subject", "Help please"},
          {"link", "https://help.example.com/verify?t=abc"},
          {"expires_hours", 24},
          {"event_kind", "Incident"},
          {"incident_name", "API errors"},
          {"body", "We are investigating."},
          {"components", "API, Dashboard"},
          {"incident_url", "https://status.example.com/status/incidents/7"},
          {"page_url", "https://status.example.com/status"},
          {"unsubscribe_url", "https://status.example.com/status/unsubscribe?token=u1.ab"}};
}

TEST(MailTemplatesTest, EveryKindHasAValidDefaultThatSaysWhatMatters) {
  struct Row {
    std::string_view kind;
    std::vector<std::string> body_mentions;
  };
  const Row rows[] = {
      {kMailCaseOpened, {"Hello Alice,", "#123456", "Disk full", "Severity: 2"}},
      {kMailCaseReply, {"Agent Smith", "#123456", "We have freed some space."}},
      {kMailCaseStatus, {"from open to solved", "#123456"}},
      {kMailCaseSeverity, {"from 3 to 2"}},
      {kMailSlaWarning, {"first_response", "2026-03-09T12:00:00Z"}},
      {kMailSlaBreached, {"missed its first_response target at 2026-03-09T12:00:00Z"}},
      {kMailEscalation, {"\"breaches\"", "level 1", "sla_breach", "clock first_response"}},
      {kMailUnknownSender, {"stranger@elsewhere.example", "Help please", "register"}},
      {kMailQuarantined, {"Help please", "review"}},
      {kMailAccountVerify, {"https://help.example.com/verify?t=abc", "within 24 hours"}},
      {kMailPasswordReset, {"https://help.example.com/verify?t=abc", "password"}},
      {kMailStatusNotice,
       {"Incident: API errors", "We are investigating.", "Affected: API, Dashboard",
        "https://status.example.com/status/incidents/7",
        "Unsubscribe: https://status.example.com/status/unsubscribe?token=u1.ab"}},
      {kMailStatusConfirm, {"https://help.example.com/verify?t=abc", "confirm"}},
      {kMailHoursThreshold, {"threshold reached", "burn-down"}},
      {kMailServiceTaskEstimate, {"#123456", "Disk full", "Projected completion date"}},
      {kMailServiceTaskDecision, {"service task #123456", "Disk full"}},
      {kMailRemoteAccessRequested, {"#123456", "Disk full", "Grant or refuse"}},
      {kMailRemoteAccessDecision, {"remote access", "#123456"}},
  };
  ASSERT_EQ(MailTemplateKinds().size(), std::size(rows));
  for (const Row& row : rows) {
    absl::StatusOr<MailTemplate> content = DefaultMailTemplate(row.kind);
    ASSERT_TRUE(content.ok()) << row.kind;
    EXPECT_TRUE(ValidateMailTemplate(row.kind, *content).ok()) << row.kind;
    absl::StatusOr<RenderedMail> rendered = RenderMailTemplate(row.kind, *content, SampleValues());
    ASSERT_TRUE(rendered.ok()) << row.kind << ": " << rendered.status();
    EXPECT_FALSE(rendered->subject.empty()) << row.kind;
    EXPECT_THAT(rendered->subject, Not(HasSubstr("{{"))) << row.kind;
    EXPECT_THAT(rendered->body, Not(HasSubstr("{{"))) << row.kind;
    for (const std::string& mention : row.body_mentions) {
      EXPECT_THAT(rendered->body, HasSubstr(mention)) << row.kind;
    }
  }
  EXPECT_EQ(DefaultMailTemplate("no.such.kind").status().code(), absl::StatusCode::kNotFound);
}

TEST(MailTemplatesTest, ValuesGoIntoBodiesAsTextAndSubjectsLoseControlCharacters) {
  nlohmann::json values = SampleValues();
  values["case_subject"] = "<b>Tom & Jerry</b>\r\nBcc: evil@x.example";
  values["comment"] = "Use <code> & \"quotes\"\nsecond line";
  absl::StatusOr<RenderedMail> rendered =
      RenderMailTemplate(kMailCaseReply, *DefaultMailTemplate(kMailCaseReply), values);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(rendered->subject, "New reply: <b>Tom & Jerry</b> Bcc: evil@x.example");
  EXPECT_THAT(rendered->body, HasSubstr("Use <code> & \"quotes\"\nsecond line"));
  EXPECT_THAT(rendered->body, Not(HasSubstr("&amp;")));

  const std::string html = TextToHtml(rendered->body);
  EXPECT_THAT(html, HasSubstr("Use &lt;code&gt; &amp; &quot;quotes&quot;<br>\nsecond line"));
  EXPECT_THAT(html, Not(HasSubstr("<code>")));
}

TEST(MailTemplatesTest, EmptyValuesAreFalseInSections) {
  const MailTemplate content{"s", "A{{#comment}}[{{comment}}]{{/comment}}B{{^link}}-{{/link}}"};
  EXPECT_EQ(RenderMailTemplate("x", content, {{"comment", ""}})->body, "AB-");
  EXPECT_EQ(RenderMailTemplate("x", content, {{"comment", "c"}, {"link", "l"}})->body, "A[c]B");
  EXPECT_EQ(RenderMailTemplate("x", content, {{"comment", nullptr}})->body, "AB-");
}

class MailTemplateSettingsTest : public CaseTestFixture {
 protected:
  absl::Status Write(const std::function<absl::Status(ports::StoreTransaction&)>& work) {
    return store_->WriteAndWait(work);
  }
};

TEST_F(MailTemplateSettingsTest, OperatorTemplatesAreValidatedStoredListedAndReset) {
  const MailTemplate custom{"Opened {{case_number}}", "Dear {{recipient_name}}, noted.\n"};
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                return SaveMailTemplate(txn, kMailCaseOpened, custom);
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                absl::StatusOr<MailTemplate> loaded = LoadMailTemplate(txn, kMailCaseOpened);
                EXPECT_TRUE(loaded.ok());
                EXPECT_EQ(loaded->subject, custom.subject);
                EXPECT_EQ(loaded->body, custom.body);
                absl::StatusOr<std::vector<MailTemplateEntry>> listed = ListMailTemplates(txn);
                EXPECT_TRUE(listed.ok());
                EXPECT_EQ(listed->size(), MailTemplateKinds().size());
                for (const MailTemplateEntry& entry : *listed) {
                  EXPECT_EQ(entry.customised, entry.kind == kMailCaseOpened) << entry.kind;
                  EXPECT_FALSE(entry.content.body.empty());
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                return ResetMailTemplate(txn, kMailCaseOpened);
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ(LoadMailTemplate(txn, kMailCaseOpened)->subject,
                          DefaultMailTemplate(kMailCaseOpened)->subject);
                // Resetting what is not customised is fine.
                return ResetMailTemplate(txn, kMailCaseOpened);
              }).ok());
}

TEST_F(MailTemplateSettingsTest, BrokenTemplatesAreRefusedNamingTheKind) {
  struct Row {
    const char* name;
    std::string kind;
    MailTemplate content;
    const char* mentions;
  };
  const Row rows[] = {
      {"unclosed section",
       std::string(kMailCaseReply),
       {"s", "{{#comment}} no end"},
       "'case.reply' body"},
      {"unclosed tag",
       std::string(kMailCaseStatus),
       {"Status {{status", "b"},
       "'case.status' subject"},
      {"mismatched", std::string(kMailSlaWarning), {"s", "{{#a}}{{/b}}"}, "'sla.warning' body"},
      {"empty subject", std::string(kMailCaseOpened), {" ", "b"}, "'case.opened' subject"},
      {"empty body", std::string(kMailCaseOpened), {"s", "\n"}, "'case.opened' body"},
      {"unknown kind", "case.deleted", {"s", "b"}, "'case.deleted'"},
  };
  for (const Row& row : rows) {
    absl::Status saved = Write(
        [&](ports::StoreTransaction& txn) { return SaveMailTemplate(txn, row.kind, row.content); });
    EXPECT_EQ(saved.code(), absl::StatusCode::kInvalidArgument) << row.name;
    EXPECT_THAT(std::string(saved.message()), HasSubstr(row.mentions)) << row.name << saved;
  }
  // Nothing was stored.
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                absl::StatusOr<std::vector<MailTemplateEntry>> listed = ListMailTemplates(txn);
                for (const MailTemplateEntry& entry : *listed) EXPECT_FALSE(entry.customised);
                return absl::OkStatus();
              }).ok());
}

TEST_F(MailTemplateSettingsTest, AHandDamagedDocumentFallsBackToTheDefault) {
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                return txn.PutSetting("mail/template/case.reply", "not json");
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                EXPECT_EQ(LoadMailTemplate(txn, kMailCaseReply)->body,
                          DefaultMailTemplate(kMailCaseReply)->body);
                return absl::OkStatus();
              }).ok());
}

TEST(MailTemplatesTest, HoursThresholdSaysHowMuchIsUsedAndWhatRemains) {
  const nlohmann::json values = {{"recipient_name", "Alice"},
                                 {"desk_name", "Example Support"},
                                 {"organisation", "Acme"},
                                 {"kind", "Customer-success hours"},
                                 {"threshold", 80},
                                 {"period", "2026-03"},
                                 {"used_hours", "8"},
                                 {"available_hours", "10"},
                                 {"remaining_hours", "2"},
                                 {"over", false},
                                 {"hours_url", "https://help.example.com/portal/hours"}};
  absl::StatusOr<MailTemplate> content = DefaultMailTemplate(kMailHoursThreshold);
  ASSERT_TRUE(content.ok());
  absl::StatusOr<RenderedMail> rendered = RenderMailTemplate(kMailHoursThreshold, *content, values);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(rendered->subject, "Acme: Customer-success hours at 80% for 2026-03");
  EXPECT_NE(rendered->body.find("Acme has used 8 of the 10 Customer-success hours available in "
                                "2026-03 (80% threshold reached)"),
            std::string::npos)
      << rendered->body;
  EXPECT_NE(rendered->body.find("2 hours remain"), std::string::npos);
  EXPECT_EQ(rendered->body.find("used up"), std::string::npos);
}

}  // namespace
}  // namespace casedesk::app

#include "app/mail_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace casedesk::app {
namespace {

using json = nlohmann::json;

TEST(MailSettingsTest, DeskDocumentRoundTripsAndNormalises) {
  const json document = {{"from_address", "Help@Desk.Example"},
                         {"from_name", "Example Support"},
                         {"case_tag_prefix", "Ticket"},
                         {"reply_local_part", "Support"},
                         {"reply_domain", "Reply.Desk.Example"},
                         {"unknown_senders", "quarantine"},
                         {"notice_interval_minutes", 30},
                         {"default_severity", 2},
                         {"routes",
                          {{{"address", "Critical"}, {"action", "open_case"}, {"severity", 1}},
                           {{"address", "escalation@desk.example"}, {"action", "escalate"}}}}};
  absl::StatusOr<MailDeskSettings> settings = MailDeskSettingsFromJson(document);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->from_address, "help@desk.example");
  EXPECT_EQ(settings->reply_local_part, "support");
  EXPECT_EQ(settings->reply_domain, "reply.desk.example");
  EXPECT_EQ(settings->unknown_senders, UnknownSenderTreatment::kQuarantine);
  EXPECT_EQ(settings->notice_interval, absl::Minutes(30));
  EXPECT_EQ(settings->default_severity, core::Severity::kMajor);
  ASSERT_EQ(settings->routes.size(), 2u);
  EXPECT_EQ(settings->routes[0].address, "critical");
  EXPECT_EQ(settings->routes[0].severity, std::optional(core::Severity::kCritical));
  EXPECT_EQ(settings->routes[1].action, MailRouteAction::kEscalate);
  // What is written reads back the same.
  absl::StatusOr<MailDeskSettings> again =
      MailDeskSettingsFromJson(MailDeskSettingsToJson(*settings));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(MailDeskSettingsToJson(*again), MailDeskSettingsToJson(*settings));
  // The defaults read back too.
  EXPECT_TRUE(MailDeskSettingsFromJson(MailDeskSettingsToJson(MailDeskSettings{})).ok());
}

TEST(MailSettingsTest, BadDeskDocumentsNameTheField) {
  const struct {
    json document;
    std::string field;
  } kCases[] = {
      {{{"from_address", "not an address"}}, "from_address"},
      {{{"from_name", "Evil\r\nBcc: x@y"}}, "from_name"},
      {{{"case_tag_prefix", "Case#"}}, "case_tag_prefix"},
      {{{"reply_domain", "bad domain"}}, "reply_domain"},
      {{{"reply_local_part", "a+b"}}, "reply_local_part"},
      {{{"unknown_senders", "drop"}}, "unknown_senders"},
      {{{"notice_interval_minutes", 0}}, "notice_interval_minutes"},
      {{{"default_severity", 5}}, "default_severity"},
      {{{"routes", {{{"address", "a"}}, {{"address", "A"}}}}}, "routes[1].address"},
      {{{"routes", {{{"address", "a"}, {"action", "forward"}}}}}, "routes[0].action"},
      {{{"colour", "blue"}}, "colour"},
  };
  for (const auto& test : kCases) {
    absl::StatusOr<MailDeskSettings> settings = MailDeskSettingsFromJson(test.document);
    ASSERT_FALSE(settings.ok()) << test.document.dump();
    EXPECT_THAT(std::string(settings.status().message()), testing::HasSubstr(test.field));
  }
}

TEST(MailSettingsTest, OrganisationDocumentValidatesAliasesAndDomains) {
  absl::StatusOr<OrganisationMailSettings> settings =
      OrganisationMailSettingsFromJson({{"support_aliases", {"HelpDesk@Partner.Example"}},
                                        {"domains", {"Customer.Example"}},
                                        {"sender_address", "support@partner.example"},
                                        {"sender_name", "Partner Support"},
                                        {"signature", "Partner Support\nCall us"}});
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->support_aliases, std::vector<std::string>{"helpdesk@partner.example"});
  EXPECT_EQ(settings->domains, std::vector<std::string>{"customer.example"});
  EXPECT_EQ(settings->signature, "Partner Support\nCall us");
  EXPECT_FALSE(OrganisationMailSettingsFromJson({{"domains", {"no spaces.example"}}}).ok());
  EXPECT_FALSE(OrganisationMailSettingsFromJson({{"support_aliases", {"nobody"}}}).ok());
  EXPECT_FALSE(OrganisationMailSettingsFromJson({{"sender_address", "x"}}).ok());
}

}  // namespace
}  // namespace casedesk::app

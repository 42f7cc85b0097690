#include "app/mail_admin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/mail_test_fixture.h"

namespace casedesk::app {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

auto MailAdminChange(std::string field, std::string before, std::string after) {
  return AllOf(Field(&core::FieldChange::field, field), Field(&core::FieldChange::before, before),
               Field(&core::FieldChange::after, after));
}

class MailAdminTest : public MailTestFixture {
 protected:
  std::vector<core::AuditEvent> Events(std::string_view entity, std::string_view entity_id) {
    std::vector<core::AuditEvent> events;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      ports::PageRequest page;
                      page.limit = 50;
                      absl::StatusOr<ports::Page<core::AuditEvent>> listed =
                          txn.ListEntityEvents(entity, entity_id, page);
                      if (!listed.ok()) return listed.status();
                      events = std::move(listed->items);
                      return absl::OkStatus();
                    })
                    .ok());
    return events;
  }

  std::string Stored(std::string_view key) {
    std::string text;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
                      if (!stored.ok()) return stored.status();
                      text = stored->value_or("");
                      return absl::OkStatus();
                    })
                    .ok());
    return text;
  }

  // A notification about `number` that delivery gave up on.
  int64_t GivenUpNotification(core::CaseNumber number) {
    int64_t id = 0;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                  ports::Notification row;
                  row.case_number = number;
                  row.kind = std::string(kMailCaseReply);
                  row.recipient_email = "alice@example.com";
                  row.subject = "Subject";
                  row.body = "Body";
                  row.created_at = clock_.Now();
                  row.message_id = absl::StrCat("given-up-", number, "@desk.example");
                  absl::StatusOr<int64_t> inserted = txn.InsertNotification(row);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return txn.RecordNotificationAttempt(id, clock_.Now(), "550 no such user",
                                                       std::nullopt);
                }).ok());
    return id;
  }
};

TEST_F(MailAdminTest, OnlyProviderAdminsMayWrite) {
  struct MailAdminCase {
    std::string name;
    Caller caller;
    absl::StatusCode code;
  };
  const std::vector<MailAdminCase> cases = {
      {"admin", admin_, absl::StatusCode::kOk},
      {"agent", agent_, absl::StatusCode::kPermissionDenied},
      {"customer", acme_alice_, absl::StatusCode::kNotFound},
      {"customer org admin", acme_admin_, absl::StatusCode::kNotFound},
      {"partner agent", partner_agent_, absl::StatusCode::kNotFound},
  };
  for (const MailAdminCase& c : cases) {
    const absl::Status checked = CheckMailAdmin(c.caller, kMailActionChangeTemplates);
    EXPECT_EQ(checked.code(), c.code) << c.name;
    absl::StatusOr<MailDeskSettings> saved =
        Await<MailDeskSettings>([&](Done<MailDeskSettings> done) {
          UpdateMailDeskSettings(context(), c.caller, MailDeskSettings{}, std::move(done));
        });
    EXPECT_EQ(saved.status().code(), c.code) << c.name;
  }
  EXPECT_EQ(CheckMailAdmin(agent_, kMailActionChangeTemplates).message(),
            "only an admin may change mail templates");
  EXPECT_EQ(CheckMailAdmin(acme_alice_, kMailActionChangeTemplates).message(), "not found");
}

TEST_F(MailAdminTest, DeskSettingsRecordTheDocumentOnlyWhenItChanges) {
  MailDeskSettings settings;
  settings.from_address = "help@desk.example";
  for (int round = 0; round < 2; ++round) {
    absl::StatusOr<MailDeskSettings> saved =
        Await<MailDeskSettings>([&](Done<MailDeskSettings> done) {
          UpdateMailDeskSettings(context(), admin_, settings, std::move(done));
        });
    ASSERT_TRUE(saved.ok()) << saved.status();
    EXPECT_EQ(saved->from_address, "help@desk.example");
  }
  const std::vector<core::AuditEvent> events = Events("setting", kMailDeskSettingKey);
  ASSERT_EQ(events.size(), 1u);  // the second save changed nothing
  EXPECT_EQ(events[0].kind, "mail_settings.updated");
  EXPECT_EQ(events[0].actor_id, admin_.user.id);
  EXPECT_EQ(events[0].at, clock_.Now());
  EXPECT_THAT(events[0].changes,
              ElementsAre(MailAdminChange("document", "", Stored(kMailDeskSettingKey))));
  EXPECT_THAT(Stored(kMailDeskSettingKey), HasSubstr("help@desk.example"));
}

TEST_F(MailAdminTest, OrganisationSettingsNeedAKnownOrganisation) {
  OrganisationMailSettings settings;
  settings.org_id = 9999;
  settings.domains = {"acme.example"};
  absl::StatusOr<OrganisationMailSettings> unknown =
      Await<OrganisationMailSettings>([&](Done<OrganisationMailSettings> done) {
        UpdateOrganisationMailSettings(context(), admin_, settings, std::move(done));
      });
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
  EXPECT_EQ(unknown.status().message(), "organisation 9999 not found");

  settings.org_id = acme_;
  absl::StatusOr<OrganisationMailSettings> saved =
      Await<OrganisationMailSettings>([&](Done<OrganisationMailSettings> done) {
        UpdateOrganisationMailSettings(context(), admin_, settings, std::move(done));
      });
  ASSERT_TRUE(saved.ok()) << saved.status();
  const std::string key = absl::StrCat(std::string(kMailOrganisationSettingPrefix), acme_);
  const std::vector<core::AuditEvent> events = Events("setting", key);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "organisation_mail_settings.updated");
  EXPECT_THAT(events[0].changes, ElementsAre(MailAdminChange("document", "", Stored(key))));

  absl::StatusOr<OrganisationMailSettings> read = ReadValue<OrganisationMailSettings>(
      *store_,
      [&](ports::StoreTransaction& txn) { return LoadKnownOrganisationMailSettings(txn, acme_); });
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->domains, ElementsAre("acme.example"));
}

TEST_F(MailAdminTest, TemplatesAreValidatedSavedAndReset) {
  const std::string kind(kMailCaseReply);
  const std::string key = absl::StrCat(std::string(kMailTemplateSettingPrefix), kind);
  const auto update = [&](MailTemplate content) {
    return Await<MailTemplateEntry>([&](Done<MailTemplateEntry> done) {
      UpdateMailTemplate(context(), admin_, kind, content, std::move(done));
    });
  };
  const auto reset = [&] {
    return Await<MailTemplateEntry>([&](Done<MailTemplateEntry> done) {
      RestoreDefaultMailTemplate(context(), admin_, kind, std::move(done));
    });
  };

  absl::StatusOr<MailTemplateEntry> refused = update({"Re: {{case_subject}", "Body"});
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();
  EXPECT_THAT(Events("setting", key), IsEmpty());

  absl::StatusOr<MailTemplateEntry> saved = update({"Re: {{case_subject}}", "New reply"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_TRUE(saved->customised);
  EXPECT_EQ(saved->content.body, "New reply");
  const std::string stored = Stored(key);

  absl::StatusOr<MailTemplateEntry> restored = reset();
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_FALSE(restored->customised);
  EXPECT_EQ(restored->content.body, DefaultMailTemplate(kind)->body);
  ASSERT_TRUE(reset().ok());  // nothing left to reset: no event

  const std::vector<core::AuditEvent> events = Events("setting", key);
  ASSERT_EQ(events.size(), 2u);
  std::vector<std::string> kinds = {events[0].kind, events[1].kind};
  std::sort(kinds.begin(), kinds.end());
  EXPECT_THAT(kinds, ElementsAre("mail_template.reset", "mail_template.updated"));
  for (const core::AuditEvent& event : events) {
    if (event.kind == "mail_template.reset") {
      EXPECT_THAT(event.changes, ElementsAre(MailAdminChange("document", stored, "")));
    } else {
      EXPECT_THAT(event.changes, ElementsAre(MailAdminChange("document", "", stored)));
    }
  }

  absl::StatusOr<MailTemplateEntry> unknown =
      Await<MailTemplateEntry>([&](Done<MailTemplateEntry> done) {
        RestoreDefaultMailTemplate(context(), admin_, "no.such.kind", std::move(done));
      });
  EXPECT_FALSE(unknown.ok());
}

TEST_F(MailAdminTest, RetryRequeuesAGivenUpNotificationOnceAndWakesTheOutbox) {
  int wakes = 0;
  context().outbox_changed = [&wakes] { ++wakes; };
  const core::Case about = InsertCase(acme_, acme_alice_.user.id, "Printer");
  const int64_t id = GivenUpNotification(about.number);
  const absl::Time given_up = clock_.Now();
  clock_.Advance(absl::Minutes(5));
  const auto retry = [&](const Caller& caller, int64_t which) {
    return Await<ports::Notification>([&](Done<ports::Notification> done) {
      RetryNotification(context(), caller, which, std::move(done));
    });
  };

  absl::StatusOr<ports::Notification> retried = retry(admin_, id);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_FALSE(retried->failed_at.has_value());
  EXPECT_EQ(retried->next_attempt_at, clock_.Now());
  EXPECT_EQ(retried->attempts, 1);
  EXPECT_EQ(retried->last_error, "550 no such user");
  EXPECT_EQ(wakes, 1);

  const std::vector<core::AuditEvent> events = Events("notification", absl::StrCat(id));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "notification.requeued");
  EXPECT_EQ(events[0].actor_id, admin_.user.id);
  EXPECT_THAT(
      events[0].changes,
      ElementsAre(MailAdminChange(
                      "failed_at",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", given_up, absl::UTCTimeZone()), ""),
                  MailAdminChange(
                      "next_attempt_at", "",
                      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", clock_.Now(), absl::UTCTimeZone()))));

  absl::StatusOr<ports::Notification> again = retry(admin_, id);
  EXPECT_TRUE(absl::IsFailedPrecondition(again.status())) << again.status();
  EXPECT_EQ(
      again.status().message(),
      absl::StrCat("notification ", id, " was not given up: it is still waiting for delivery"));
  absl::StatusOr<ports::Notification> missing = retry(admin_, id + 1000);
  EXPECT_EQ(missing.status().message(), absl::StrCat("notification ", id + 1000, " not found"));
  EXPECT_TRUE(absl::IsPermissionDenied(retry(agent_, id).status()));
  EXPECT_EQ(wakes, 1);
  EXPECT_EQ(Events("notification", absl::StrCat(id)).size(), 1u);
}

}  // namespace
}  // namespace casedesk::app

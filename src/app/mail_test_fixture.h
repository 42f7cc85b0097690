// Test fixture for the outbound mail code: the case fixture's desk plus helpers that insert
// cases directly (no use case runs, so only the code under test queues mail), run units of work
// and read the outbox. Test-only; not thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/mail_settings.h"

namespace casedesk::app {

class MailTestFixture : public CaseTestFixture {
 protected:
  absl::Status Write(const std::function<absl::Status(ports::StoreTransaction&)>& work) {
    return store_->WriteAndWait(work);
  }

  core::Case InsertCase(core::OrgId org, core::UserId requester, std::string subject,
                        std::vector<core::UserId> followers = {},
                        std::optional<core::UserId> assignee = std::nullopt) {
    core::Case record;
    record.org_id = org;
    record.requester_id = requester;
    record.subject = std::move(subject);
    record.description = "Details";
    record.followers = std::move(followers);
    record.assignee_id = assignee;
    record.created_at = record.updated_at = clock_.Now();
    EXPECT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                  absl::StatusOr<core::CaseNumber> number = txn.NextCaseNumber();
                  if (!number.ok()) return number.status();
                  record.number = *number;
                  return txn.InsertCase(record);
                }).ok());
    return record;
  }

  std::vector<ports::Notification> Notifications(core::CaseNumber number) {
    std::vector<ports::Notification> rows;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<std::vector<ports::Notification>> listed =
                          txn.ListCaseNotifications(number);
                      if (!listed.ok()) return listed.status();
                      rows = *std::move(listed);
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

  void SetDeskSender(std::string address, std::string name = "Example Support",
                     std::string reply_domain = "") {
    MailDeskSettings settings;
    settings.from_address = std::move(address);
    settings.from_name = std::move(name);
    settings.reply_domain = std::move(reply_domain);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                  return SaveMailDeskSettings(txn, settings);
                }).ok());
  }

  void SetPartnerSender(core::OrgId partner, std::string address, std::string name,
                        std::string signature) {
    OrganisationMailSettings settings;
    settings.org_id = partner;
    settings.sender_address = std::move(address);
    settings.sender_name = std::move(name);
    settings.signature = std::move(signature);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                  return SaveOrganisationMailSettings(txn, settings);
                }).ok());
  }
};

}  // namespace casedesk::app

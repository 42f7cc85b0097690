// Test fixture for the customer-account use cases: DirectoryTest's desk plus a customer
// organisation whose mail settings claim "customer.example", the queued mail (read back from
// the outbox) and the token of the newest link in it.
// Not thread-safe: one test at a time.
#pragma once

#include <string>
#include <vector>

#include "app/directory_test_fixture.h"
#include "app/mail_settings.h"
#include "ports/store.h"

namespace casedesk::app {

class AccountTest : public DirectoryTest {
 protected:
  void SetUp() override {
    DirectoryTest::SetUp();
    customer_ = MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
    ClaimDomain(customer_.id, "customer.example");
  }

  void ClaimDomain(core::OrgId org_id, const std::string& domain) {
    ASSERT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<OrganisationMailSettings> settings =
                          LoadOrganisationMailSettings(txn, org_id);
                      if (!settings.ok()) return settings.status();
                      settings->domains.push_back(domain);
                      return SaveOrganisationMailSettings(txn, *settings);
                    })
                    .ok());
  }

  // Every queued message, oldest first.
  std::vector<ports::Notification> Mail() {
    absl::StatusOr<std::vector<ports::Notification>> mail =
        ReadValue<std::vector<ports::Notification>>(*store_, [](ports::StoreTransaction& txn) {
          return txn.ListUnsentNotifications(1000);
        });
    EXPECT_TRUE(mail.ok()) << mail.status();
    return mail.value_or(std::vector<ports::Notification>{});
  }

  // The token of the first "?token=" link in `body`, or "".
  static std::string TokenIn(const std::string& body) {
    const size_t at = body.find("?token=");
    if (at == std::string::npos) return "";
    const size_t start = at + 7;
    size_t end = start;
    while (end < body.size() && body[end] != '\n' && body[end] != ' ') ++end;
    return body.substr(start, end - start);
  }

  core::Organisation customer_;
};

}  // namespace casedesk::app

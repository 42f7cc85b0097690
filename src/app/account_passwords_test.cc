#include "app/account_passwords.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;

TEST(AccountPasswordsTest, RulesNameTheFieldTheyRefuse) {
  struct Row {
    std::string password;
    std::string confirmation;
    std::string error;  // "" when accepted
  };
  const std::string long_enough = "violet tractor lagoon";
  const Row rows[] = {
      {long_enough, long_enough, ""},
      {"short", "short", "password: use at least 10 characters"},
      {"123456789", "123456789", "password: use at least 10 characters"},
      {std::string(1025, 'x'), std::string(1025, 'x'), "password: use at most 1024 characters"},
      {"ana.lima@customer.example", "ana.lima@customer.example",
       "password: must not contain your email address or name"},
      {"Ana.Lima-2026!", "Ana.Lima-2026!", "password: must not contain"},
      {"my lima password", "my lima password", "password: must not contain"},
      {"Okonkwo forever", "Okonkwo forever", "password: must not contain"},  // the name
      {long_enough, "violet tractor lagoom", "password_confirmation: the two passwords differ"},
      // Short parts of the address and name are too common to refuse.
      {"ana and bo, 2026!", "ana and bo, 2026!", ""},
  };
  for (const Row& row : rows) {
    const absl::Status status = CheckNewPassword(row.password, row.confirmation,
                                                 "ana.lima@customer.example", "Ana Okonkwo");
    if (row.error.empty()) {
      EXPECT_TRUE(status.ok()) << row.password << ": " << status;
    } else {
      EXPECT_TRUE(absl::IsInvalidArgument(status)) << row.password;
      EXPECT_THAT(std::string(status.message()), HasSubstr(row.error)) << row.password;
    }
  }
}

}  // namespace
}  // namespace casedesk::app

// The store contract for leases on work one node does at a time (polling a mailbox), run against
// every Store implementation (store_factories.h): a free lease is claimed, a held one is refused
// to others until it runs out, its holder renews it, only its holder releases it, and of many
// holders claiming at once exactly one gets it.
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "contract_fixture.h"

namespace casedesk::contract {
namespace {

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class LeaseContractTest : public ContractTest {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(OpenStore("lease-contract")); }

  absl::StatusOr<bool> Claim(const std::string& name, const std::string& holder, int64_t now,
                             int64_t until) {
    std::optional<bool> claimed;
    const absl::Status status = Write([&](ports::StoreTransaction& tx) {
      absl::StatusOr<bool> result = tx.ClaimLease(name, holder, At(now), At(until));
      if (!result.ok()) return result.status();
      claimed = *result;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *claimed;
  }

  absl::Status Release(const std::string& name, const std::string& holder) {
    return Write([&](ports::StoreTransaction& tx) { return tx.ReleaseLease(name, holder); });
  }
};

TEST_P(LeaseContractTest, AHeldLeaseIsRefusedToOthersUntilItRunsOut) {
  EXPECT_TRUE(Claim("imap inbox", "node-a", 1000, 1100).value_or(false));
  EXPECT_FALSE(Claim("imap inbox", "node-b", 1050, 1150).value_or(true));
  // Other names are other leases.
  EXPECT_TRUE(Claim("imap other", "node-b", 1050, 1150).value_or(false));
  // The holder renews; the renewal moves the end.
  EXPECT_TRUE(Claim("imap inbox", "node-a", 1090, 1200).value_or(false));
  EXPECT_FALSE(Claim("imap inbox", "node-b", 1150, 1250).value_or(true));
  // Run out (its end is not after `now`): anyone may take it.
  EXPECT_TRUE(Claim("imap inbox", "node-b", 1200, 1300).value_or(false));
  EXPECT_FALSE(Claim("imap inbox", "node-a", 1210, 1310).value_or(true));
}

TEST_P(LeaseContractTest, OnlyTheHolderReleasesALease) {
  ASSERT_TRUE(Claim("imap inbox", "node-a", 1000, 1100).value_or(false));
  ASSERT_TRUE(Release("imap inbox", "node-b").ok());
  EXPECT_FALSE(Claim("imap inbox", "node-b", 1010, 1110).value_or(true));
  ASSERT_TRUE(Release("imap inbox", "node-a").ok());
  EXPECT_TRUE(Claim("imap inbox", "node-b", 1020, 1120).value_or(false));
  // Releasing what nobody holds is harmless.
  EXPECT_TRUE(Release("never claimed", "node-a").ok());
  EXPECT_FALSE(Claim("", "node-a", 1000, 1100).ok());
}

TEST_P(LeaseContractTest, OfManyHoldersClaimingAtOnceOneGetsTheLease) {
  std::atomic<int> holders = 0;
  std::atomic<int> errors = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<bool> claimed = Claim("imap inbox", "node-" + std::to_string(i), 1000, 1100);
      if (!claimed.ok()) {
        ++errors;
      } else if (*claimed) {
        ++holders;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(holders.load(), 1);
}

TEST_P(LeaseContractTest, ReadTransactionsCannotClaim) {
  const absl::Status status = store_->Read([&](ports::StoreTransaction& tx) {
    return tx.ClaimLease("imap inbox", "node-a", At(1000), At(1100)).status();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(Claim("imap inbox", "node-b", 1000, 1100).value_or(false));
}

INSTANTIATE_TEST_SUITE_P(Stores, LeaseContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace casedesk::contract

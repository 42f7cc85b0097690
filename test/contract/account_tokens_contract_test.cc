// The store contract for customer accounts' single-use links (verification, password reset,
// invitations), run against every Store implementation (store_factories.h): round trips by the
// binary digest, single use under a conditional claim (also from concurrent units of work),
// voiding a user's outstanding links, and sweeping expired ones; and the throttle hits that
// limit sign-ins and account-mail requests per address (counted, admitted under a limit also
// from concurrent units of work, cleared, swept).
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

// Digests are raw bytes: include a NUL and high bytes so a store that treats them as text fails.
std::string Digest(char fill) {
  std::string digest(32, fill);
  digest[0] = '\0';
  digest[31] = static_cast<char>(0xFF);
  return digest;
}

class AccountTokensContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "account-contract-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = GetParam().open(directory_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  core::Organisation org;
                  org.name = "Customer";
                  org.kind = core::OrgKind::kCustomer;
                  org.plan = "enterprise";
                  org.created_at = At(1700000000);
                  auto org_id = tx.InsertOrganisation(org);
                  if (!org_id.ok()) return org_id.status();
                  for (const char* email : {"ana@customer.example", "ben@customer.example"}) {
                    core::User user;
                    user.email = email;
                    user.name = email;
                    user.org_id = *org_id;
                    user.created_at = At(1700000000);
                    auto id = tx.InsertUser(user);
                    if (!id.ok()) return id.status();
                    users_.push_back(*id);
                  }
                  return absl::OkStatus();
                }).ok());
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  absl::Status Write(const ports::UnitOfWork& work) { return store_->WriteAndWait(work); }

  ports::AccountToken Token(char fill, ports::AccountTokenPurpose purpose, core::UserId user,
                            int64_t expires) {
    ports::AccountToken token;
    token.digest = Digest(fill);
    token.purpose = purpose;
    token.user_id = user;
    token.created_at = At(1700000100);
    token.expires_at = At(expires);
    return token;
  }

  absl::Status Insert(const ports::AccountToken& token) {
    return Write([&](ports::StoreTransaction& tx) { return tx.InsertAccountToken(token); });
  }

  std::optional<ports::AccountToken> Find(const std::string& digest) {
    std::optional<ports::AccountToken> found;
    const absl::Status status = store_->Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto row = tx.FindAccountToken(digest);
      if (!row.ok()) return row.status();
      found = *row;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return found;
  }

  absl::StatusOr<bool> Use(const std::string& digest, int64_t at) {
    bool used = false;
    const absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto claimed = tx.UseAccountToken(digest, At(at));
      if (!claimed.ok()) return claimed.status();
      used = *claimed;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return used;
  }

  std::string directory_;
  std::unique_ptr<ports::Store> store_;
  std::vector<core::UserId> users_;
};

TEST_P(AccountTokensContractTest, RoundTripsEveryFieldByBinaryDigest) {
  for (const auto& [fill, purpose] : std::vector<std::pair<char, ports::AccountTokenPurpose>>{
           {'a', ports::AccountTokenPurpose::kVerify},
           {'b', ports::AccountTokenPurpose::kReset},
           {'c', ports::AccountTokenPurpose::kInvite}}) {
    ports::AccountToken token = Token(fill, purpose, users_[0], 1700086500);
    ASSERT_TRUE(Insert(token).ok());
    const std::optional<ports::AccountToken> found = Find(token.digest);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->digest, token.digest);
    EXPECT_EQ(found->purpose, purpose);
    EXPECT_EQ(found->user_id, users_[0]);
    EXPECT_EQ(found->created_at, At(1700000100));
    EXPECT_EQ(found->expires_at, At(1700086500));
    EXPECT_FALSE(found->used_at.has_value());
  }
  EXPECT_FALSE(Find(Digest('z')).has_value());
  // A digest that differs only in its last byte is another link.
  std::string near = Digest('a');
  near[31] = 'x';
  EXPECT_FALSE(Find(near).has_value());
}

TEST_P(AccountTokensContractTest, DuplicateDigestIsAlreadyExistsAndBadRowsAreRefused) {
  ports::AccountToken token =
      Token('a', ports::AccountTokenPurpose::kVerify, users_[0], 1700086500);
  ASSERT_TRUE(Insert(token).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(Insert(token)));
  ports::AccountToken no_digest = token;
  no_digest.digest.clear();
  EXPECT_TRUE(absl::IsInvalidArgument(Insert(no_digest)));
  ports::AccountToken no_expiry = Token('b', ports::AccountTokenPurpose::kReset, users_[0], 0);
  no_expiry.expires_at = absl::InfinitePast();
  EXPECT_TRUE(absl::IsInvalidArgument(Insert(no_expiry)));
}

TEST_P(AccountTokensContractTest, ALinkIsUsedOnceAndKeepsTheFirstTime) {
  ports::AccountToken token = Token('a', ports::AccountTokenPurpose::kReset, users_[0], 1700003700);
  ASSERT_TRUE(Insert(token).ok());
  EXPECT_EQ(Use(token.digest, 1700000200).value_or(false), true);
  EXPECT_EQ(Use(token.digest, 1700000300).value_or(true), false);
  EXPECT_EQ(Use(Digest('q'), 1700000300).value_or(true), false);
  const std::optional<ports::AccountToken> found = Find(token.digest);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->used_at, At(1700000200));
}

TEST_P(AccountTokensContractTest, ConcurrentUsesClaimTheLinkExactlyOnce) {
  ports::AccountToken token =
      Token('a', ports::AccountTokenPurpose::kVerify, users_[0], 1700086500);
  ASSERT_TRUE(Insert(token).ok());
  std::atomic<int> claims{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<bool> used = Use(token.digest, 1700000200 + i);
      if (!used.ok()) {
        ++errors;
      } else if (*used) {
        ++claims;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claims.load(), 1);
}

TEST_P(AccountTokensContractTest, UsingAUsersLinksVoidsOnlyTheirUnusedOnes) {
  ASSERT_TRUE(Insert(Token('a', ports::AccountTokenPurpose::kVerify, users_[0], 1700086500)).ok());
  ASSERT_TRUE(Insert(Token('b', ports::AccountTokenPurpose::kReset, users_[0], 1700086500)).ok());
  ASSERT_TRUE(Insert(Token('c', ports::AccountTokenPurpose::kReset, users_[1], 1700086500)).ok());
  ASSERT_EQ(Use(Digest('a'), 1700000150).value_or(false), true);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.UseUserAccountTokens(users_[0], At(1700000200));
              }).ok());
  EXPECT_EQ(Find(Digest('a'))->used_at, At(1700000150));  // already used: unchanged
  EXPECT_EQ(Find(Digest('b'))->used_at, At(1700000200));
  EXPECT_FALSE(Find(Digest('c'))->used_at.has_value());  // another user's
}

TEST_P(AccountTokensContractTest, ExpiredLinksAreSweptAtOrBeforeNow) {
  ASSERT_TRUE(Insert(Token('a', ports::AccountTokenPurpose::kVerify, users_[0], 1700000500)).ok());
  ASSERT_TRUE(Insert(Token('b', ports::AccountTokenPurpose::kReset, users_[0], 1700000600)).ok());
  ASSERT_TRUE(Insert(Token('c', ports::AccountTokenPurpose::kInvite, users_[1], 1700000700)).ok());
  int64_t deleted = -1;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto swept = tx.DeleteExpiredAccountTokens(At(1700000600));
                if (!swept.ok()) return swept.status();
                deleted = *swept;
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(deleted, 2);
  EXPECT_FALSE(Find(Digest('a')).has_value());
  EXPECT_FALSE(Find(Digest('b')).has_value());
  EXPECT_TRUE(Find(Digest('c')).has_value());
}

TEST_P(AccountTokensContractTest, ReadTransactionsCannotWriteLinks) {
  const absl::Status status = store_->Read([&](ports::StoreTransaction& tx) {
    return tx.InsertAccountToken(
        Token('a', ports::AccountTokenPurpose::kVerify, users_[0], 1700086500));
  });
  EXPECT_FALSE(status.ok());
  EXPECT_FALSE(Find(Digest('a')).has_value());
}

absl::StatusOr<bool> Admit(ports::Store& store, const std::string& key, int64_t at, int64_t since,
                           int max_hits) {
  std::optional<bool> admitted;
  const absl::Status status = store.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
    absl::StatusOr<bool> hit = tx.AdmitThrottleHit(key, At(at), At(since), max_hits);
    if (!hit.ok()) return hit.status();
    admitted = *hit;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *admitted;
}

int CountHits(ports::Store& store, const std::string& key, int64_t since) {
  std::optional<int> hits;
  const absl::Status status = store.Read([&](ports::StoreTransaction& tx) -> absl::Status {
    absl::StatusOr<int> counted = tx.CountThrottleHits(key, At(since));
    if (!counted.ok()) return counted.status();
    hits = *counted;
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
  return hits.value_or(-1);
}

TEST_P(AccountTokensContractTest, ThrottleHitsAreAdmittedUnderTheLimitWithinTheWindow) {
  const std::string key = Digest('k');
  EXPECT_EQ(CountHits(*store_, key, 1700000000), 0);
  EXPECT_TRUE(Admit(*store_, key, 1700000100, 1700000000, 2).value_or(false));
  EXPECT_TRUE(Admit(*store_, key, 1700000200, 1700000000, 2).value_or(false));
  // At the limit: refused, and not counted.
  EXPECT_FALSE(Admit(*store_, key, 1700000300, 1700000000, 2).value_or(true));
  EXPECT_EQ(CountHits(*store_, key, 1700000000), 2);
  // `since` is inclusive; hits before it no longer count.
  EXPECT_EQ(CountHits(*store_, key, 1700000200), 1);
  EXPECT_TRUE(Admit(*store_, key, 1700000400, 1700000101, 2).value_or(false));
  // Keys are binary and distinct: a key differing only in its middle bytes is another count.
  EXPECT_EQ(CountHits(*store_, Digest('j'), 1700000000), 0);
}

TEST_P(AccountTokensContractTest, ClearingAndSweepingThrottleHits) {
  ASSERT_TRUE(Admit(*store_, Digest('a'), 1700000100, 1700000000, 5).value_or(false));
  ASSERT_TRUE(Admit(*store_, Digest('a'), 1700000200, 1700000000, 5).value_or(false));
  ASSERT_TRUE(Admit(*store_, Digest('b'), 1700000100, 1700000000, 5).value_or(false));
  ASSERT_TRUE(Admit(*store_, Digest('b'), 1700000300, 1700000000, 5).value_or(false));
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.ClearThrottleHits(Digest('a')); }).ok());
  EXPECT_EQ(CountHits(*store_, Digest('a'), 1700000000), 0);
  EXPECT_EQ(CountHits(*store_, Digest('b'), 1700000000), 2);
  std::optional<int64_t> swept;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                absl::StatusOr<int64_t> deleted = tx.DeleteThrottleHitsBefore(At(1700000300));
                if (!deleted.ok()) return deleted.status();
                swept = *deleted;
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(swept, 1);  // b's hit at 1700000100; the one at 1700000300 is not before it
  EXPECT_EQ(CountHits(*store_, Digest('b'), 1700000000), 1);
}

TEST_P(AccountTokensContractTest, ConcurrentAdmissionsNeverExceedTheLimit) {
  const std::string key = Digest('c');
  std::atomic<int> admitted = 0;
  std::atomic<int> errors = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<bool> hit = Admit(*store_, key, 1700000100 + i, 1700000000, 3);
      if (!hit.ok()) {
        ++errors;
      } else if (*hit) {
        ++admitted;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(admitted.load(), 3);
  EXPECT_EQ(CountHits(*store_, key, 1700000000), 3);
}

TEST_P(AccountTokensContractTest, ReadTransactionsCannotCountThrottleHits) {
  const absl::Status status = store_->Read([&](ports::StoreTransaction& tx) {
    return tx.AdmitThrottleHit(Digest('r'), At(1700000100), At(1700000000), 5).status();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(CountHits(*store_, Digest('r'), 1700000000), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AccountTokensContractTest,
                         ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace casedesk::contract

// The Store contract of remote access requests (issue 7): insert and read back every field, a
// case's requests newest first, the conditional update that claims each move once (also by
// concurrent units of work: exactly one expiry wins), unknown ids, and the list of requests
// whose window has ended, against every implementation in store_factories.h.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "contract_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

using ::testing::ElementsAre;

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class RemoteAccessContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("remote-access-contract"));
    provider_ = AddOrganisation("Provider", core::OrgKind::kProvider);
    customer_ = AddOrganisation("Customer", core::OrgKind::kCustomer);
    requester_ = AddUser("carol@example.com", customer_, core::Role::kCustomer);
    agent_ = AddUser("ada@example.com", provider_, core::Role::kAgent);
    case_ = AddCase();
    other_case_ = AddCase();
  }

  core::CaseNumber AddCase() {
    core::Case c;
    c.org_id = customer_;
    c.requester_id = requester_;
    c.subject = "Remote access case";
    c.description = "Description";
    c.created_at = At(1700000100);
    c.updated_at = c.created_at;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto number = tx.NextCaseNumber();
                  if (!number.ok()) return number.status();
                  c.number = *number;
                  return tx.InsertCase(c);
                }).ok());
    return c.number;
  }

  core::RemoteAccessRequest Request(core::CaseNumber number, int64_t end) {
    core::RemoteAccessRequest request;
    request.case_number = number;
    request.method = core::RemoteAccessMethod::kScreenShare;
    request.purpose = "Look at the \"recogniser\" logs \u00e9";
    request.window_start = At(end - 3600);
    request.window_end = At(end);
    request.requested_by = agent_;
    request.requested_at = At(1772000000);
    request.updated_at = At(1772000000);
    return request;
  }

  absl::StatusOr<core::RemoteAccessId> Insert(const core::RemoteAccessRequest& request) {
    core::RemoteAccessId id = 0;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertRemoteAccessRequest(request);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return id;
  }

  absl::StatusOr<core::RemoteAccessRequest> Get(core::RemoteAccessId id) {
    std::optional<core::RemoteAccessRequest> found;
    absl::Status status = Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto request = tx.GetRemoteAccessRequest(id);
      if (!request.ok()) return request.status();
      found = *request;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *found;
  }

  absl::StatusOr<ports::RemoteAccessWrite> Update(const core::RemoteAccessRequest& request,
                                                  core::RemoteAccessStatus expected) {
    std::optional<ports::RemoteAccessWrite> outcome;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto written = tx.UpdateRemoteAccessRequest(request, expected);
      if (!written.ok()) return written.status();
      outcome = *written;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *outcome;
  }

  core::OrgId provider_ = 0, customer_ = 0;
  core::UserId requester_ = 0, agent_ = 0;
  core::CaseNumber case_ = 0, other_case_ = 0;
};

TEST_P(RemoteAccessContractTest, InsertsAndReadsBackEveryField) {
  auto id = Insert(Request(case_, 1772007200));
  ASSERT_TRUE(id.ok()) << id.status();
  auto read = Get(*id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->id, *id);
  EXPECT_EQ(read->case_number, case_);
  EXPECT_EQ(read->method, core::RemoteAccessMethod::kScreenShare);
  EXPECT_EQ(read->purpose, "Look at the \"recogniser\" logs \u00e9");
  EXPECT_EQ(read->window_start, At(1772003600));
  EXPECT_EQ(read->window_end, At(1772007200));
  EXPECT_EQ(read->requested_by, agent_);
  EXPECT_EQ(read->requested_at, At(1772000000));
  EXPECT_EQ(read->status, core::RemoteAccessStatus::kRequested);
  EXPECT_EQ(read->decided_by, 0);
  EXPECT_EQ(read->decided_at, absl::InfinitePast());
  EXPECT_EQ(read->ended_at, absl::InfinitePast());
  EXPECT_TRUE(read->credential_fields.empty());
}

TEST_P(RemoteAccessContractTest, UnknownIdsAreNotFound) {
  EXPECT_TRUE(absl::IsNotFound(Get(999).status()));
  core::RemoteAccessRequest ghost = Request(case_, 1772007200);
  ghost.id = 999;
  EXPECT_TRUE(absl::IsNotFound(Update(ghost, core::RemoteAccessStatus::kRequested).status()));
}

TEST_P(RemoteAccessContractTest, ListsACasesRequestsNewestFirst) {
  auto first = Insert(Request(case_, 1772007200));
  auto elsewhere = Insert(Request(other_case_, 1772007200));
  auto second = Insert(Request(case_, 1772010800));
  ASSERT_TRUE(first.ok() && elsewhere.ok() && second.ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto listed = tx.ListCaseRemoteAccessRequests(case_, 10);
                EXPECT_TRUE(listed.ok());
                if (!listed.ok()) return listed.status();
                std::vector<core::RemoteAccessId> ids;
                for (const auto& request : *listed) ids.push_back(request.id);
                EXPECT_THAT(ids, ElementsAre(*second, *first));
                auto limited = tx.ListCaseRemoteAccessRequests(case_, 1);
                EXPECT_TRUE(limited.ok() && limited->size() == 1u);
                return absl::OkStatus();
              }).ok());
}

TEST_P(RemoteAccessContractTest, UpdatesOnlyWhenTheStoredStatusIsTheExpectedOne) {
  auto id = Insert(Request(case_, 1772007200));
  ASSERT_TRUE(id.ok());
  auto granted = Get(*id);
  ASSERT_TRUE(granted.ok());
  granted->status = core::RemoteAccessStatus::kGranted;
  granted->decided_by = requester_;
  granted->decided_at = At(1772000100);
  granted->credential_fields = {"host", "password"};
  granted->updated_at = At(1772000100);
  auto written = Update(*granted, core::RemoteAccessStatus::kRequested);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, ports::RemoteAccessWrite::kWritten);

  // A second unit that read the request as "requested" finds it moved.
  core::RemoteAccessRequest refused = *granted;
  refused.status = core::RemoteAccessStatus::kRefused;
  refused.refusal_reason = "no";
  auto stale = Update(refused, core::RemoteAccessStatus::kRequested);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(*stale, ports::RemoteAccessWrite::kStale);

  auto read = Get(*id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, core::RemoteAccessStatus::kGranted);
  EXPECT_EQ(read->decided_by, requester_);
  EXPECT_EQ(read->decided_at, At(1772000100));
  EXPECT_THAT(read->credential_fields, ElementsAre("host", "password"));
  EXPECT_EQ(read->refusal_reason, "");

  read->status = core::RemoteAccessStatus::kRevoked;
  read->ended_by = requester_;
  read->ended_at = At(1772000200);
  auto revoked = Update(*read, core::RemoteAccessStatus::kGranted);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(*revoked, ports::RemoteAccessWrite::kWritten);
  auto after = Get(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, core::RemoteAccessStatus::kRevoked);
  EXPECT_EQ(after->ended_by, requester_);
  EXPECT_EQ(after->ended_at, At(1772000200));
}

TEST_P(RemoteAccessContractTest, ListsOpenRequestsWhoseWindowEnded) {
  auto ended = Insert(Request(case_, 1772000000));
  auto ended_later = Insert(Request(case_, 1772000500));
  auto running = Insert(Request(case_, 1772009000));
  auto refused_request = Request(other_case_, 1771999000);
  refused_request.status = core::RemoteAccessStatus::kRefused;
  auto refused = Insert(refused_request);
  ASSERT_TRUE(ended.ok() && ended_later.ok() && running.ok() && refused.ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto due = tx.ListEndedRemoteAccessRequests(At(1772000500), 10);
                EXPECT_TRUE(due.ok());
                if (!due.ok()) return due.status();
                std::vector<core::RemoteAccessId> ids;
                for (const auto& request : *due) ids.push_back(request.id);
                EXPECT_THAT(ids, ElementsAre(*ended, *ended_later));
                return absl::OkStatus();
              }).ok());
}

// Several units expire the same request at once (several nodes' sweeps): exactly one writes.
TEST_P(RemoteAccessContractTest, ConcurrentExpiriesClaimTheRequestOnce) {
  auto id = Insert(Request(case_, 1772000000));
  ASSERT_TRUE(id.ok());
  constexpr int kUnits = 8;
  std::atomic<int> won{0};
  std::vector<std::promise<absl::Status>> done(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store_->Write(
        [&, i](ports::StoreTransaction& tx) -> absl::Status {
          auto request = tx.GetRemoteAccessRequest(*id);
          if (!request.ok()) return request.status();
          if (request->status != core::RemoteAccessStatus::kRequested) return absl::OkStatus();
          request->status = core::RemoteAccessStatus::kExpired;
          request->ended_at = request->window_end;
          request->updated_at = At(1772000000 + i);
          auto written =
              tx.UpdateRemoteAccessRequest(*request, core::RemoteAccessStatus::kRequested);
          if (!written.ok()) return written.status();
          if (*written == ports::RemoteAccessWrite::kWritten) won.fetch_add(1);
          return absl::OkStatus();
        },
        [&done, i](absl::Status status) { done[i].set_value(status); });
  }
  for (auto& promise : done) EXPECT_TRUE(promise.get_future().get().ok());
  EXPECT_EQ(won.load(), 1);
  auto read = Get(*id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->status, core::RemoteAccessStatus::kExpired);
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, RemoteAccessContractTest,
                         ::testing::ValuesIn(AllStoreFactories()), FactoryName);

}  // namespace
}  // namespace casedesk::contract

// The Store contract of service tasks (issue 7): the record beside a case, every field read
// back as written, duplicates and unknown cases refused without spoiling the unit of work, and
// updates conditional on the revision read (of concurrent writers from one revision exactly one
// writes), against every implementation in store_factories.h.
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

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class ServiceTaskContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("service-task-contract"));
    provider_ = AddOrganisation("Provider", core::OrgKind::kProvider, std::nullopt);
    customer_ = AddOrganisation("Customer", core::OrgKind::kCustomer, provider_);
    other_ = AddOrganisation("Other", core::OrgKind::kCustomer, provider_);
    requester_ = AddUser("carol@example.com", customer_, core::Role::kCustomer);
    agent_ = AddUser("ada@example.com", provider_, core::Role::kAgent);
    case_ = AddCase();
  }

  core::CaseNumber AddCase() {
    core::Case c;
    c.org_id = customer_;
    c.requester_id = requester_;
    c.subject = "Service task case";
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

  core::ServiceTask Task(core::CaseNumber number) {
    core::ServiceTask task = core::NewServiceTask(number, customer_, At(1772000000));
    return task;
  }

  absl::StatusOr<std::optional<core::ServiceTask>> Get(core::CaseNumber number) {
    std::optional<core::ServiceTask> found;
    absl::Status status = Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto loaded = tx.GetServiceTask(number);
      if (!loaded.ok()) return loaded.status();
      found = *loaded;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return found;
  }

  absl::StatusOr<ports::ServiceTaskWrite> Update(const core::ServiceTask& task, int64_t expected) {
    std::optional<ports::ServiceTaskWrite> outcome;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto written = tx.UpdateServiceTask(task, expected);
      if (!written.ok()) return written.status();
      outcome = *written;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *outcome;
  }

  core::OrgId provider_ = 0;
  core::OrgId customer_ = 0;
  core::OrgId other_ = 0;
  core::UserId requester_ = 0;
  core::UserId agent_ = 0;
  core::CaseNumber case_ = 0;
};

TEST_P(ServiceTaskContractTest, InsertsAndReadsEveryField) {
  EXPECT_EQ(*Get(case_), std::nullopt);
  core::ServiceTask task = Task(case_);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.InsertServiceTask(task); }).ok());
  absl::StatusOr<std::optional<core::ServiceTask>> loaded = Get(case_);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_TRUE(loaded->has_value());
  const core::ServiceTask& got = **loaded;
  EXPECT_EQ(got.case_number, case_);
  EXPECT_EQ(got.org_id, customer_);
  EXPECT_EQ(got.state, core::ServiceTaskState::kRequested);
  EXPECT_EQ(got.estimate_minutes, std::nullopt);
  EXPECT_EQ(got.completion_date, "");
  EXPECT_EQ(got.requested_at, At(1772000000));
  EXPECT_EQ(got.estimated_at, std::nullopt);
  EXPECT_EQ(got.revision, 1);
}

TEST_P(ServiceTaskContractTest, RefusesDuplicatesAndUnknownCases) {
  core::ServiceTask task = Task(case_);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.InsertServiceTask(task); }).ok());
  // The failed insert must not spoil the rest of the unit (PostgreSQL aborts a transaction on
  // an error): a read after it in the same unit still works.
  absl::Status duplicate = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    absl::Status inserted = tx.InsertServiceTask(task);
    EXPECT_EQ(inserted.code(), absl::StatusCode::kAlreadyExists) << inserted;
    auto again = tx.GetServiceTask(case_);
    EXPECT_TRUE(again.ok()) << again.status();
    return absl::OkStatus();
  });
  EXPECT_TRUE(duplicate.ok()) << duplicate;
  core::ServiceTask unknown = Task(case_ + 1000);
  absl::Status missing =
      Write([&](ports::StoreTransaction& tx) { return tx.InsertServiceTask(unknown); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
}

TEST_P(ServiceTaskContractTest, UpdatesOnlyFromTheRevisionRead) {
  core::ServiceTask task = Task(case_);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.InsertServiceTask(task); }).ok());
  core::ServiceTask estimated = task;
  estimated.state = core::ServiceTaskState::kEstimated;
  estimated.estimate_minutes = 150;
  estimated.completion_date = "2026-03-20";
  estimated.start_date = "2026-03-16";
  estimated.decline_reason = "r\u00e9ason with \"quotes\"";
  estimated.estimate_count = 1;
  estimated.estimated_at = At(1772000600);
  estimated.decided_at = At(1772000700);
  estimated.started_at = At(1772000800);
  estimated.done_at = At(1772000900);
  estimated.updated_at = At(1772000900);
  estimated.revision = 2;
  absl::StatusOr<ports::ServiceTaskWrite> written = Update(estimated, 1);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, ports::ServiceTaskWrite::kWritten);
  absl::StatusOr<std::optional<core::ServiceTask>> loaded = Get(case_);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  const core::ServiceTask& got = **loaded;
  EXPECT_EQ(got.state, core::ServiceTaskState::kEstimated);
  EXPECT_EQ(got.estimate_minutes, 150);
  EXPECT_EQ(got.completion_date, "2026-03-20");
  EXPECT_EQ(got.start_date, "2026-03-16");
  EXPECT_EQ(got.decline_reason, estimated.decline_reason);
  EXPECT_EQ(got.estimate_count, 1);
  EXPECT_EQ(got.estimated_at, At(1772000600));
  EXPECT_EQ(got.decided_at, At(1772000700));
  EXPECT_EQ(got.started_at, At(1772000800));
  EXPECT_EQ(got.done_at, At(1772000900));
  EXPECT_EQ(got.updated_at, At(1772000900));
  EXPECT_EQ(got.revision, 2);

  // A writer that read revision 1 is too late: nothing changes.
  core::ServiceTask stale = estimated;
  stale.state = core::ServiceTaskState::kDeclined;
  stale.revision = 2;
  written = Update(stale, 1);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(*written, ports::ServiceTaskWrite::kStale);
  EXPECT_EQ((*Get(case_))->state, core::ServiceTaskState::kEstimated);

  core::ServiceTask other = Task(case_ + 1000);
  written = Update(other, 1);
  EXPECT_EQ(written.status().code(), absl::StatusCode::kNotFound);
}

TEST_P(ServiceTaskContractTest, ConcurrentStepsFromOneRevisionWriteOnce) {
  core::ServiceTask task = Task(case_);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.InsertServiceTask(task); }).ok());
  constexpr int kWriters = 8;
  std::atomic<int> written{0};
  std::atomic<int> stale{0};
  std::vector<std::future<void>> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.push_back(std::async(std::launch::async, [&, i] {
      core::ServiceTask next = task;
      next.state = core::ServiceTaskState::kEstimated;
      next.estimate_minutes = 60 + i;
      next.revision = 2;
      absl::StatusOr<ports::ServiceTaskWrite> outcome = Update(next, 1);
      ASSERT_TRUE(outcome.ok()) << outcome.status();
      (*outcome == ports::ServiceTaskWrite::kWritten ? written : stale).fetch_add(1);
    }));
  }
  for (auto& writer : writers) writer.get();
  EXPECT_EQ(written.load(), 1);
  EXPECT_EQ(stale.load(), kWriters - 1);
  EXPECT_EQ((*Get(case_))->revision, 2);
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, ServiceTaskContractTest,
                         ::testing::ValuesIn(AllStoreFactories()), FactoryName);

}  // namespace
}  // namespace casedesk::contract

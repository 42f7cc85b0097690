// The Store contract of time entries and contract hours (issue 7): entries with their usage rows
// kept in step (per period and per day, billable apart from the rest), listing by case and by
// organisation and period, an organisation's own packages, and threshold alerts claimed once,
// also by concurrent units of work, against every implementation in store_factories.h.
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "contract_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class HoursContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("hours-contract"));
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
    c.subject = "Hours case";
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

  core::TimeEntry Entry(int minutes, bool billable, std::string period, std::string day,
                        std::optional<core::CaseNumber> number = std::nullopt,
                        core::HoursKind kind = core::HoursKind::kCustomerSuccess) {
    core::TimeEntry entry;
    entry.org_id = customer_;
    entry.case_number = number;
    entry.author_id = agent_;
    entry.worked_at = At(1772000000 + minutes);
    entry.minutes = minutes;
    entry.billable = billable;
    entry.note = "note with \"quotes\" and unicode \u00e9";
    entry.kind = kind;
    entry.period = std::move(period);
    entry.day = std::move(day);
    entry.created_at = At(1772000000);
    return entry;
  }

  absl::StatusOr<ports::TimeEntryWrite> Insert(const core::TimeEntry& entry) {
    std::optional<ports::TimeEntryWrite> written;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertTimeEntry(entry);
      if (!inserted.ok()) return inserted.status();
      written = *inserted;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *written;
  }

  core::OrgId provider_ = 0, customer_ = 0, other_ = 0;
  core::UserId requester_ = 0, agent_ = 0;
  core::CaseNumber case_ = 0;
};

TEST_P(HoursContractTest, EntriesKeepTheirUsageRowsInStep) {
  auto first = Insert(Entry(30, true, "2026-03", "2026-03-02", case_));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->period_usage.billable_minutes, 30);
  EXPECT_EQ(first->period_usage.entries, 1);
  auto second = Insert(Entry(45, false, "2026-03", "2026-03-02"));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_GT(second->id, first->id);
  EXPECT_EQ(second->period_usage.billable_minutes, 30);
  EXPECT_EQ(second->period_usage.other_minutes, 45);
  EXPECT_EQ(second->period_usage.entries, 2);
  auto third = Insert(Entry(60, true, "2026-03", "2026-03-20", case_));
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->period_usage.billable_minutes, 90);
  ASSERT_TRUE(Insert(Entry(15, true, "2026-04", "2026-04-01")).ok());
  ASSERT_TRUE(
      Insert(Entry(20, true, "2026-03", "2026-03-05", std::nullopt, core::HoursKind::kTraining))
          .ok());

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto usage = tx.ListHoursUsage(customer_, "2026-01");
                EXPECT_TRUE(usage.ok()) << usage.status();
                if (!usage.ok()) return usage.status();
                // By kind (customer_success before training), then period.
                EXPECT_EQ(usage->size(), 3u);
                if (usage->size() == 3u) {
                  EXPECT_EQ((*usage)[0].period, "2026-03");
                  EXPECT_EQ((*usage)[0].billable_minutes, 90);
                  EXPECT_EQ((*usage)[0].other_minutes, 45);
                  EXPECT_EQ((*usage)[0].entries, 3);
                  EXPECT_EQ((*usage)[1].period, "2026-04");
                  EXPECT_EQ((*usage)[2].kind, core::HoursKind::kTraining);
                }
                auto later = tx.ListHoursUsage(customer_, "2026-04");
                EXPECT_TRUE(later.ok());
                if (later.ok()) EXPECT_EQ(later->size(), 1u);
                auto none = tx.ListHoursUsage(other_, "1970-01");
                EXPECT_TRUE(none.ok() && none->empty());
                auto daily =
                    tx.ListHoursDailyUsage(customer_, core::HoursKind::kCustomerSuccess, "2026-03");
                EXPECT_TRUE(daily.ok());
                if (daily.ok()) {
                  EXPECT_EQ(daily->size(), 2u);
                  if (daily->size() == 2u) {
                    EXPECT_EQ((*daily)[0].period, "2026-03-02");
                    EXPECT_EQ((*daily)[0].billable_minutes, 30);
                    EXPECT_EQ((*daily)[0].other_minutes, 45);
                    EXPECT_EQ((*daily)[1].period, "2026-03-20");
                  }
                }
                auto on_case = tx.ListCaseTimeEntries(case_, 100);
                EXPECT_TRUE(on_case.ok());
                if (on_case.ok()) {
                  EXPECT_EQ(on_case->size(), 2u);
                  if (!on_case->empty()) {
                    const core::TimeEntry& entry = (*on_case)[0];
                    EXPECT_EQ(entry.minutes, 30);
                    EXPECT_TRUE(entry.billable);
                    EXPECT_EQ(entry.case_number, case_);
                    EXPECT_EQ(entry.note, "note with \"quotes\" and unicode \u00e9");
                    EXPECT_EQ(entry.activity, std::nullopt);
                    EXPECT_EQ(entry.day, "2026-03-02");
                    EXPECT_EQ(entry.worked_at, At(1772000030));
                  }
                }
                auto in_period = tx.ListOrgTimeEntries(customer_, "2026-03", 100);
                EXPECT_TRUE(in_period.ok());
                if (in_period.ok()) EXPECT_EQ(in_period->size(), 4u);
                return absl::OkStatus();
              }).ok());
}

TEST_P(HoursContractTest, ActivityAndKindRoundTrip) {
  core::TimeEntry entry =
      Entry(10, false, "2026-05", "2026-05-31", case_, core::HoursKind::kTraining);
  entry.activity = core::Activity::kServiceLevelManagement;
  ASSERT_TRUE(Insert(entry).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto listed = tx.ListCaseTimeEntries(case_, 10);
                EXPECT_TRUE(listed.ok() && listed->size() == 1u);
                if (listed.ok() && listed->size() == 1u) {
                  EXPECT_EQ((*listed)[0].activity, core::Activity::kServiceLevelManagement);
                  EXPECT_EQ((*listed)[0].kind, core::HoursKind::kTraining);
                  EXPECT_FALSE((*listed)[0].billable);
                }
                return absl::OkStatus();
              }).ok());
  core::TimeEntry no_period = entry;
  no_period.period.clear();
  EXPECT_EQ(Insert(no_period).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_P(HoursContractTest, OrganisationsKeepTheirOwnPackages) {
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto none = tx.GetOrgHoursPackages(customer_);
                EXPECT_TRUE(none.ok() && !none->has_value());
                return absl::OkStatus();
              }).ok());
  ports::OrgHoursPackages packages;
  packages.org_id = customer_;
  packages.packages = {{.kind = core::HoursKind::kCustomerSuccess,
                        .included_minutes = 600,
                        .carry_over = core::CarryOver::kCapped,
                        .carry_over_cap_minutes = 120,
                        .thresholds_percent = {50, 90}},
                       {.kind = core::HoursKind::kTraining, .included_minutes = 0}};
  packages.starts_period = "2026-03";
  packages.updated_at = At(1772000000);
  packages.updated_by = agent_;
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.PutOrgHoursPackages(packages); }).ok());
  packages.packages.pop_back();
  packages.starts_period = "2026-04";
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.PutOrgHoursPackages(packages); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto stored = tx.GetOrgHoursPackages(customer_);
                EXPECT_TRUE(stored.ok() && stored->has_value());
                if (stored.ok() && stored->has_value()) {
                  EXPECT_EQ((*stored)->packages, packages.packages);
                  EXPECT_EQ((*stored)->starts_period, "2026-04");
                  EXPECT_EQ((*stored)->updated_by, agent_);
                  EXPECT_EQ((*stored)->updated_at, At(1772000000));
                }
                return absl::OkStatus();
              }).ok());
  ports::OrgHoursPackages unknown = packages;
  unknown.org_id = 987654;
  EXPECT_EQ(
      Write([&](ports::StoreTransaction& tx) { return tx.PutOrgHoursPackages(unknown); }).code(),
      absl::StatusCode::kNotFound);
}

TEST_P(HoursContractTest, EachAlertIsClaimedOncePerPeriod) {
  std::vector<bool> claims;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (auto [period, threshold] : std::vector<std::pair<std::string, int>>{
                         {"2026-03", 80}, {"2026-03", 80}, {"2026-03", 100}, {"2026-04", 80}}) {
                  auto claimed = tx.ClaimHoursAlert(customer_, core::HoursKind::kCustomerSuccess,
                                                    period, threshold, At(1772000000));
                  if (!claimed.ok()) return claimed.status();
                  claims.push_back(*claimed);
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(claims, ElementsAre(true, false, true, true));
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto alerted =
                    tx.ListHoursAlerts(customer_, core::HoursKind::kCustomerSuccess, "2026-03");
                EXPECT_TRUE(alerted.ok());
                if (alerted.ok()) EXPECT_THAT(*alerted, ElementsAre(80, 100));
                auto training =
                    tx.ListHoursAlerts(customer_, core::HoursKind::kTraining, "2026-03");
                EXPECT_TRUE(training.ok() && training->empty());
                return absl::OkStatus();
              }).ok());
}

// Concurrent units of work each add an entry and claim the thresholds their total reached: the
// totals add up and each threshold is claimed by exactly one unit.
TEST_P(HoursContractTest, ConcurrentEntriesAddUpAndClaimEachThresholdOnce) {
  constexpr int kUnits = 24;
  std::atomic<int> claimed_50{0};
  std::atomic<int> claimed_100{0};
  std::vector<std::promise<absl::Status>> done(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store_->Write(
        [&, i](ports::StoreTransaction& tx) -> absl::Status {
          auto written = tx.InsertTimeEntry(
              Entry(10, true, "2026-06", "2026-06-0" + std::to_string(1 + i % 9)));
          if (!written.ok()) return written.status();
          // 100 of 200 minutes available is 50 %; 200 is 100 %.
          for (auto [threshold, counter] :
               {std::pair{50, &claimed_50}, std::pair{100, &claimed_100}}) {
            if (written->period_usage.billable_minutes * 100 < threshold * 200) continue;
            auto claimed = tx.ClaimHoursAlert(customer_, core::HoursKind::kCustomerSuccess,
                                              "2026-06", threshold, At(1772000000));
            if (!claimed.ok()) return claimed.status();
            if (*claimed) counter->fetch_add(1);
          }
          return absl::OkStatus();
        },
        [&done, i](absl::Status status) { done[i].set_value(status); });
  }
  for (auto& promise : done) EXPECT_TRUE(promise.get_future().get().ok());
  EXPECT_EQ(claimed_50.load(), 1);
  EXPECT_EQ(claimed_100.load(), 1);
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto usage = tx.ListHoursUsage(customer_, "2026-06");
                EXPECT_TRUE(usage.ok() && usage->size() == 1u);
                if (usage.ok() && usage->size() == 1u) {
                  EXPECT_EQ((*usage)[0].billable_minutes, 10 * kUnits);
                  EXPECT_EQ((*usage)[0].entries, kUnits);
                }
                auto daily =
                    tx.ListHoursDailyUsage(customer_, core::HoursKind::kCustomerSuccess, "2026-06");
                int64_t sum = 0;
                if (daily.ok()) {
                  for (const auto& day : *daily) sum += day.billable_minutes;
                }
                EXPECT_EQ(sum, 10 * kUnits);
                return absl::OkStatus();
              }).ok());
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, HoursContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace casedesk::contract

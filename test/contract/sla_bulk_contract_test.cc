// The store contract for bulk SLA recomputation's range reads (issue 3), run against every Store
// implementation (store_factories.h): open cases of a number range with the fields their clocks
// depend on and their queue deadline; the events of a range filtered by kind, by case then age;
// the unfired timers of a range under a key prefix; and queue deadlines written in bulk.
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class SlaBulkContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sla-bulk-contract-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = GetParam().open(directory_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  for (const char* name : {"Acme", "Globex"}) {
                    core::Organisation org;
                    org.name = name;
                    org.kind = core::OrgKind::kCustomer;
                    org.plan = "enterprise";
                    org.created_at = At(1700000000);
                    auto org_id = tx.InsertOrganisation(org);
                    if (!org_id.ok()) return org_id.status();
                    orgs_.push_back(*org_id);
                  }
                  core::User user;
                  user.email = "ana@acme.example";
                  user.name = "Ana";
                  user.org_id = orgs_[0];
                  user.created_at = At(1700000000);
                  auto id = tx.InsertUser(user);
                  if (!id.ok()) return id.status();
                  requester_ = *id;
                  return absl::OkStatus();
                }).ok());
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  absl::Status Write(const ports::UnitOfWork& work) { return store_->WriteAndWait(work); }

  // Inserts a case under a fresh number; returns the number.
  core::CaseNumber AddCase(core::OrgId org, core::Severity severity, core::CaseStatus status,
                           int64_t created) {
    core::Case c;
    c.org_id = org;
    c.requester_id = requester_;
    c.subject = "Case";
    c.description = "Description";
    c.severity = severity;
    c.proposed_severity = severity;
    c.status = status;
    c.created_at = At(created);
    c.updated_at = c.created_at;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto number = tx.NextCaseNumber();
                  if (!number.ok()) return number.status();
                  c.number = *number;
                  return tx.InsertCase(c);
                }).ok());
    return c.number;
  }

  void AddEvent(core::CaseNumber number, std::string kind, std::string after, int64_t at) {
    core::AuditEvent event;
    event.entity = "case";
    event.entity_id = std::to_string(number);
    event.case_number = number;
    event.actor_id = requester_;
    event.at = At(at);
    event.kind = std::move(kind);
    event.changes = {{.field = "status", .before = "", .after = std::move(after)}};
    ASSERT_TRUE(
        Write([&](ports::StoreTransaction& tx) { return tx.AppendEvent(event).status(); }).ok());
  }

  template <typename T>
  T Read(const std::function<absl::StatusOr<T>(ports::StoreTransaction&)>& read) {
    T value{};
    absl::Status status = store_->Read([&](ports::StoreTransaction& tx) -> absl::Status {
      absl::StatusOr<T> result = read(tx);
      if (!result.ok()) return result.status();
      value = *std::move(result);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return value;
  }

  std::string directory_;
  std::unique_ptr<ports::Store> store_;
  std::vector<core::OrgId> orgs_;
  core::UserId requester_ = 0;
};

TEST_P(SlaBulkContractTest, ClockInputsListOnlyTheOpenCasesOfTheRange) {
  const core::CaseNumber first =
      AddCase(orgs_[0], core::Severity::kCritical, core::CaseStatus::kNew, 1700000100);
  const core::CaseNumber solved =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kSolved, 1700000200);
  const core::CaseNumber pending =
      AddCase(orgs_[1], core::Severity::kMinor, core::CaseStatus::kPending, 1700000300);
  const core::CaseNumber closed =
      AddCase(orgs_[1], core::Severity::kMinor, core::CaseStatus::kClosed, 1700000400);
  const core::CaseNumber on_hold =
      AddCase(orgs_[1], core::Severity::kMajor, core::CaseStatus::kOnHold, 1700000500);
  const core::CaseNumber beyond =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000600);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.SetCaseNextDeadline(pending, At(1700009000));
              }).ok());

  const auto inputs = Read<std::vector<ports::CaseClockInputs>>(
      [&](ports::StoreTransaction& tx) { return tx.ListCaseClockInputs(first, on_hold); });
  ASSERT_EQ(inputs.size(), 3u) << "solved, closed and out-of-range cases are left out";
  EXPECT_EQ(inputs[0].number, first);
  EXPECT_EQ(inputs[0].org_id, orgs_[0]);
  EXPECT_EQ(inputs[0].severity, core::Severity::kCritical);
  EXPECT_EQ(inputs[0].status, core::CaseStatus::kNew);
  EXPECT_EQ(inputs[0].created_at, At(1700000100));
  EXPECT_EQ(inputs[0].next_deadline, std::nullopt);
  EXPECT_EQ(inputs[1].number, pending);
  EXPECT_EQ(inputs[1].org_id, orgs_[1]);
  EXPECT_EQ(inputs[1].severity, core::Severity::kMinor);
  EXPECT_EQ(inputs[1].status, core::CaseStatus::kPending);
  EXPECT_EQ(inputs[1].next_deadline, At(1700009000));
  EXPECT_EQ(inputs[2].number, on_hold);
  EXPECT_EQ(inputs[2].status, core::CaseStatus::kOnHold);
  EXPECT_NE(solved, closed);

  const auto none = Read<std::vector<ports::CaseClockInputs>>(
      [&](ports::StoreTransaction& tx) { return tx.ListCaseClockInputs(beyond + 1, beyond + 50); });
  EXPECT_THAT(none, IsEmpty());
}

TEST_P(SlaBulkContractTest, EventsOfARangeComeByCaseThenAgeFilteredByKind) {
  const core::CaseNumber a =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  const core::CaseNumber b =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  const core::CaseNumber c =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  // Interleaved, so an order by id alone would differ from (case, id).
  AddEvent(b, "case.created", "new", 1700000100);
  AddEvent(a, "case.created", "new", 1700000101);
  AddEvent(b, "sla.breached", "", 1700000102);
  AddEvent(a, "case.updated", "pending", 1700000103);
  AddEvent(c, "case.created", "new", 1700000104);
  AddEvent(b, "comment.added", "open", 1700000105);

  const auto events = Read<std::vector<core::AuditEvent>>([&](ports::StoreTransaction& tx) {
    return tx.ListEventsOfCases(a, b, {"case.created", "case.updated", "comment.added"});
  });
  std::vector<std::pair<core::CaseNumber, std::string>> seen;
  for (const core::AuditEvent& event : events) seen.emplace_back(event.case_number, event.kind);
  EXPECT_THAT(seen, ElementsAre(std::pair(a, std::string("case.created")),
                                std::pair(a, std::string("case.updated")),
                                std::pair(b, std::string("case.created")),
                                std::pair(b, std::string("comment.added"))));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[1].at, At(1700000103));
  ASSERT_EQ(events[1].changes.size(), 1u);
  EXPECT_EQ(events[1].changes[0].field, "status");
  EXPECT_EQ(events[1].changes[0].after, "pending");
  EXPECT_LT(events[0].id, events[1].id);

  const auto breaches = Read<std::vector<core::AuditEvent>>(
      [&](ports::StoreTransaction& tx) { return tx.ListEventsOfCases(a, c, {"sla.breached"}); });
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].case_number, b);
}

TEST_P(SlaBulkContractTest, UnfiredTimersOfARangeUnderAPrefix) {
  const core::CaseNumber a =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  const core::CaseNumber b =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  const core::CaseNumber c =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) -> absl::Status {
        for (const ports::Timer& timer : std::vector<ports::Timer>{
                 {.case_number = b, .key = "sla:resolution:breach:0", .due_at = At(10)},
                 {.case_number = a, .key = "sla:first_response:warning:0", .due_at = At(30)},
                 {.case_number = a, .key = "escalation:p:1:x", .due_at = At(5)},
                 {.case_number = a, .key = "sla:first_response:breach:0", .due_at = At(40)},
                 {.case_number = b, .key = "sla:first_response:breach:0", .due_at = At(20)},
                 {.case_number = c, .key = "sla:resolution:breach:0", .due_at = At(50)},
             }) {
          if (absl::Status armed = tx.ArmTimer(timer); !armed.ok()) return armed;
        }
        return tx.MarkTimerFired(b, "sla:first_response:breach:0", At(21)).status();
      }).ok());

  const auto timers = Read<std::vector<ports::Timer>>(
      [&](ports::StoreTransaction& tx) { return tx.ListUnfiredTimersOfCases(a, b, "sla:"); });
  std::vector<std::pair<core::CaseNumber, std::string>> seen;
  for (const ports::Timer& timer : timers) {
    seen.emplace_back(timer.case_number, timer.key);
    EXPECT_FALSE(timer.fired_at.has_value());
  }
  EXPECT_THAT(seen, ElementsAre(std::pair(a, std::string("sla:first_response:breach:0")),
                                std::pair(a, std::string("sla:first_response:warning:0")),
                                std::pair(b, std::string("sla:resolution:breach:0"))));
  ASSERT_EQ(timers.size(), 3u);
  EXPECT_EQ(timers[0].due_at, At(40));
  EXPECT_EQ(timers[2].due_at, At(10));

  const auto literal = Read<std::vector<ports::Timer>>(
      [&](ports::StoreTransaction& tx) { return tx.ListUnfiredTimersOfCases(a, c, "sla_"); });
  EXPECT_THAT(literal, IsEmpty()) << "the prefix is literal, not a LIKE pattern";
}

TEST_P(SlaBulkContractTest, NextDeadlinesOfManyCasesAreWrittenTogether) {
  const core::CaseNumber a =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  const core::CaseNumber b =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  const core::CaseNumber c =
      AddCase(orgs_[0], core::Severity::kMajor, core::CaseStatus::kOpen, 1700000100);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.SetCaseNextDeadline(c, At(1700005000));
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.SetCaseNextDeadlines({{a, At(1700001000)},
                                                {b, At(1700002000)},
                                                {c, std::nullopt},
                                                {c + 100, At(1700003000)}});
              }).ok())
      << "an unknown case is ignored";
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.SetCaseNextDeadlines({}); }).ok());
  const auto deadline = [&](core::CaseNumber number) {
    return Read<std::optional<absl::Time>>(
        [&](ports::StoreTransaction& tx) { return tx.GetCaseNextDeadline(number); });
  };
  EXPECT_EQ(deadline(a), At(1700001000));
  EXPECT_EQ(deadline(b), At(1700002000));
  EXPECT_EQ(deadline(c), std::nullopt);
  // Writing the same values again changes nothing.
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.SetCaseNextDeadlines({{a, At(1700001000)}, {b, At(1700002500)}});
              }).ok());
  EXPECT_EQ(deadline(a), At(1700001000));
  EXPECT_EQ(deadline(b), At(1700002500));
}

INSTANTIATE_TEST_SUITE_P(Stores, SlaBulkContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace casedesk::contract

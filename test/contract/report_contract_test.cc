// The Store contract of the reports (issue 7): SLA summaries counted per organisation, plan and
// severity over a creation range (met, breached, pending, without a duration target, update
// breaches); the open backlog at an instant by severity and age bucket; and partner resolution,
// with hand-overs to the provider recorded by the store itself when a provider user writes a
// public comment or an escalation is requested -- against every implementation in
// store_factories.h.
#include <cstdlib>
#include <filesystem>
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
constexpr int64_t kDay = 86400;
constexpr int64_t kT0 = 1772000000;  // 2026-02-25

class ReportContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("report-contract"));
    provider_ = AddOrganisation("Provider", core::OrgKind::kProvider, std::nullopt);
    partner_ = AddOrganisation("Partner", core::OrgKind::kPartner, provider_);
    via_partner_ = AddOrganisation("Via partner", core::OrgKind::kCustomer, partner_);
    direct_ = AddOrganisation("Direct", core::OrgKind::kCustomer, provider_);
    agent_ = AddUser("ada@example.com", provider_, core::Role::kAgent);
    partner_agent_ = AddUser("pat@example.com", partner_, core::Role::kPartnerAgent);
    requester_ = AddUser("carol@example.com", via_partner_, core::Role::kCustomer);
    direct_requester_ = AddUser("dan@example.com", direct_, core::Role::kCustomer);
  }

  core::CaseNumber AddCase(core::OrgId org, core::UserId requester, core::Severity severity,
                           int64_t created, std::optional<int64_t> solved = std::nullopt) {
    core::Case c;
    c.org_id = org;
    c.requester_id = requester;
    c.subject = "Report case";
    c.description = "Description";
    c.severity = severity;
    c.proposed_severity = severity;
    c.status = solved ? core::CaseStatus::kSolved : core::CaseStatus::kOpen;
    c.created_at = At(created);
    c.updated_at = c.created_at;
    if (solved) c.solved_at = At(*solved);
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto number = tx.NextCaseNumber();
                  if (!number.ok()) return number.status();
                  c.number = *number;
                  return tx.InsertCase(c);
                }).ok());
    return c.number;
  }

  void AddSla(core::CaseNumber number, core::OrgId org, std::string plan, core::Severity severity,
              int64_t created, ports::ClockSummary first, ports::ClockSummary resolution,
              int update_breaches = 0) {
    ports::CaseSlaRecord record;
    record.case_number = number;
    record.org_id = org;
    record.plan = std::move(plan);
    record.severity = severity;
    record.created_at = At(created);
    record.first_response = std::move(first);
    record.resolution = std::move(resolution);
    record.update_breaches = update_breaches;
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpsertCaseSla(record); }).ok());
  }

  void Comment(core::CaseNumber number, core::UserId author, core::Visibility visibility) {
    core::Comment comment;
    comment.case_number = number;
    comment.author_id = author;
    comment.body = "reply";
    comment.visibility = visibility;
    comment.created_at = At(kT0 + kDay);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  return tx.InsertComment(comment).status();
                }).ok());
  }

  void Event(core::CaseNumber number, std::string kind) {
    core::AuditEvent event;
    event.entity = "case";
    event.entity_id = std::to_string(number);
    event.case_number = number;
    event.actor_id = requester_;
    event.at = At(kT0 + kDay);
    event.kind = std::move(kind);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  return tx.AppendEvent(event).status();
                }).ok());
  }

  template <typename T>
  T ReadOrDie(const std::function<absl::StatusOr<T>(ports::StoreTransaction&)>& query) {
    std::optional<T> value;
    const absl::Status status = store_->Read([&](ports::StoreTransaction& tx) -> absl::Status {
      absl::StatusOr<T> result = query(tx);
      if (!result.ok()) return result.status();
      value = *std::move(result);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return value.value_or(T{});
  }

  core::OrgId provider_ = 0, partner_ = 0, via_partner_ = 0, direct_ = 0;
  core::UserId agent_ = 0, partner_agent_ = 0, requester_ = 0, direct_requester_ = 0;
};

ports::ClockSummary Clock(std::string target, std::optional<int64_t> achieved,
                          std::optional<int64_t> breached) {
  ports::ClockSummary clock;
  clock.target = std::move(target);
  if (achieved) clock.achieved_at = At(*achieved);
  if (breached) clock.breached_at = At(*breached);
  return clock;
}

TEST_P(ReportContractTest, CountsSlaSummariesPerOrganisationPlanAndSeverityInTheRange) {
  using core::Severity;
  const int64_t t = kT0;
  // Direct, enterprise, major: met / breached (achieved late) / pending; resolution named.
  AddSla(AddCase(direct_, direct_requester_, Severity::kMajor, t), direct_, "enterprise",
         Severity::kMajor, t, Clock("60", t + 60, std::nullopt), Clock("next_release", {}, {}), 2);
  AddSla(AddCase(direct_, direct_requester_, Severity::kMajor, t + 1), direct_, "enterprise",
         Severity::kMajor, t + 1, Clock("60", t + 9000, t + 3600), Clock("1440", t + 100, {}));
  AddSla(AddCase(direct_, direct_requester_, Severity::kMajor, t + 2), direct_, "enterprise",
         Severity::kMajor, t + 2, Clock("60", {}, {}), Clock("1440", {}, t + 2 * kDay), 1);
  // Another severity and organisation, and a case outside the range.
  AddSla(AddCase(via_partner_, requester_, Severity::kCritical, t + 3), via_partner_,
         "professional", Severity::kCritical, t + 3, Clock("15", t + 10, {}), Clock("", {}, {}));
  AddSla(AddCase(direct_, direct_requester_, Severity::kMajor, t + 40 * kDay), direct_,
         "enterprise", Severity::kMajor, t + 40 * kDay, Clock("60", {}, t + 41 * kDay),
         Clock("1440", {}, {}));

  const std::vector<core::SlaCountRow> all =
      ReadOrDie<std::vector<core::SlaCountRow>>([&](ports::StoreTransaction& tx) {
        return tx.CountSlaCompliance({.from = At(t), .to = At(t + 30 * kDay)});
      });
  ASSERT_EQ(all.size(), 2u);
  const core::SlaCountRow& via = all[0].org_id == via_partner_ ? all[0] : all[1];
  const core::SlaCountRow& direct = all[0].org_id == direct_ ? all[0] : all[1];
  EXPECT_EQ(direct.plan, "enterprise");
  EXPECT_EQ(direct.severity, Severity::kMajor);
  EXPECT_EQ(direct.cases, 3);
  EXPECT_EQ(direct.first_response.met, 1);
  EXPECT_EQ(direct.first_response.breached, 1);
  EXPECT_EQ(direct.first_response.pending, 1);
  EXPECT_EQ(direct.first_response.without_target, 0);
  EXPECT_EQ(direct.resolution.met, 1);
  EXPECT_EQ(direct.resolution.breached, 1);
  EXPECT_EQ(direct.resolution.without_target, 1);
  EXPECT_EQ(direct.resolution.pending, 0);
  EXPECT_EQ(direct.update_breaches, 3);
  EXPECT_EQ(via.plan, "professional");
  EXPECT_EQ(via.severity, Severity::kCritical);
  EXPECT_EQ(via.first_response.met, 1);
  EXPECT_EQ(via.resolution.without_target, 1);  // no target at all

  const std::vector<core::SlaCountRow> one =
      ReadOrDie<std::vector<core::SlaCountRow>>([&](ports::StoreTransaction& tx) {
        return tx.CountSlaCompliance({.org_id = direct_, .from = At(t), .to = At(t + 60 * kDay)});
      });
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].cases, 4);
  EXPECT_EQ(one[0].first_response.breached, 2);
  EXPECT_TRUE(ReadOrDie<std::vector<core::SlaCountRow>>([&](ports::StoreTransaction& tx) {
                return tx.CountSlaCompliance({.from = At(t - kDay), .to = At(t)});
              }).empty());
}

TEST_P(ReportContractTest, CountsTheBacklogOpenAtAnInstantByAge) {
  using core::Severity;
  const int64_t now = kT0 + 200 * kDay;
  AddCase(direct_, direct_requester_, Severity::kCritical, now - 3600);      // < 1 day
  AddCase(direct_, direct_requester_, Severity::kCritical, now - 3 * kDay);  // 1-7
  AddCase(direct_, direct_requester_, Severity::kMinor, now - 100 * kDay);   // 90+
  AddCase(direct_, direct_requester_, Severity::kMinor, now - 10 * kDay, now - 5 * kDay);
  AddCase(direct_, direct_requester_, Severity::kMinor, now - 10 * kDay, now + kDay);  // later
  AddCase(via_partner_, requester_, Severity::kMajor, now - 40 * kDay);                // 30-90
  AddCase(direct_, direct_requester_, Severity::kMajor, now + 60);                     // future
  auto backlog = [&](std::optional<core::OrgId> org, int64_t at) {
    return ReadOrDie<std::vector<core::BacklogCountRow>>([&](ports::StoreTransaction& tx) {
      return tx.CountBacklog(
          {.org_id = org, .at = At(at), .bucket_starts = core::BacklogBucketStarts(At(at))});
    });
  };
  const std::vector<core::BacklogLine> lines = core::FoldBacklog(backlog(std::nullopt, now));
  EXPECT_EQ(lines[0].buckets[0], 1);
  EXPECT_EQ(lines[0].buckets[1], 1);
  EXPECT_EQ(lines[1].buckets[3], 1);
  EXPECT_EQ(lines[2].buckets[2], 1);  // solved after `now`: still open then
  EXPECT_EQ(lines[2].buckets[4], 1);
  EXPECT_EQ(lines[4].total, 5);
  const std::vector<core::BacklogLine> direct = core::FoldBacklog(backlog(direct_, now));
  EXPECT_EQ(direct[4].total, 4);
  EXPECT_EQ(direct[1].total, 0);
}

TEST_P(ReportContractTest, PartnerResolutionCountsHandOversRecordedByTheStore) {
  using core::Severity;
  const int64_t t = kT0;
  const core::CaseNumber kept = AddCase(via_partner_, requester_, Severity::kMinor, t, t + kDay);
  Comment(kept, partner_agent_, core::Visibility::kPublic);  // the partner answers: Level 1
  const core::CaseNumber noted = AddCase(via_partner_, requester_, Severity::kMinor, t, t + kDay);
  Comment(noted, agent_, core::Visibility::kInternal);  // an internal note hands nothing over
  const core::CaseNumber replied = AddCase(via_partner_, requester_, Severity::kMajor, t, t + kDay);
  Comment(replied, agent_, core::Visibility::kPublic);
  Comment(replied, agent_, core::Visibility::kPublic);  // a second reply changes nothing
  const core::CaseNumber escalated = AddCase(via_partner_, requester_, Severity::kMajor, t);
  Event(escalated, "case.escalation_requested");
  AddCase(via_partner_, requester_, Severity::kMinor, t);  // open, not handed over
  const core::CaseNumber direct = AddCase(direct_, direct_requester_, Severity::kMinor, t, t + 1);
  Comment(direct, agent_, core::Visibility::kPublic);  // not a partner's customer

  auto count = [&](std::optional<core::OrgId> org) {
    return ReadOrDie<std::vector<core::PartnerResolutionRow>>([&](ports::StoreTransaction& tx) {
      return tx.CountPartnerResolution({.org_id = org, .from = At(t), .to = At(t + kDay)});
    });
  };
  for (std::optional<core::OrgId> org :
       {std::optional<core::OrgId>(), std::optional<core::OrgId>(partner_),
        std::optional<core::OrgId>(via_partner_)}) {
    const std::vector<core::PartnerResolutionRow> rows = count(org);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].partner_id, partner_);
    EXPECT_EQ(rows[0].cases, 5);
    EXPECT_EQ(rows[0].resolved_by_partner, 2);
    EXPECT_EQ(rows[0].handed_to_provider, 2);
  }
  EXPECT_TRUE(count(direct_).empty());
}

// The stores answer whole UTC days and months from counters their triggers keep; a range with
// part-days at both ends, whole days and a whole month must count what a row-by-row count
// would, also after summaries, cases and hand-overs change later.
TEST_P(ReportContractTest, CountsFollowLaterChangesAcrossPartDaysWholeDaysAndMonths) {
  using core::Severity;
  auto utc = [](int month, int day, int hour) {
    return absl::ToUnixSeconds(
        absl::FromCivil(absl::CivilSecond(2026, month, day, hour, 0, 0), absl::UTCTimeZone()));
  };
  const int64_t in_part_day = utc(2, 26, 7);  // the range starts at 06:00 that day
  const int64_t in_whole_day = utc(2, 27, 12);
  const int64_t in_month = utc(3, 10, 9);
  const int64_t in_last_part_day = utc(4, 1, 3);  // the range ends at 05:00 that day
  const int64_t after = utc(4, 1, 6);
  std::vector<core::CaseNumber> numbers;
  for (int64_t created : {in_part_day, in_whole_day, in_month, in_last_part_day, after}) {
    const core::CaseNumber number = AddCase(via_partner_, requester_, Severity::kMajor, created);
    AddSla(number, via_partner_, "enterprise", Severity::kMajor, created, Clock("60", {}, {}),
           Clock("1440", {}, {}));
    numbers.push_back(number);
  }
  const ports::ReportRange range{.from = At(utc(2, 26, 6)), .to = At(utc(4, 1, 5))};
  auto sla = [&](std::optional<core::OrgId> org) {
    ports::ReportRange scoped = range;
    scoped.org_id = org;
    const auto rows = ReadOrDie<std::vector<core::SlaCountRow>>(
        [&](ports::StoreTransaction& tx) { return tx.CountSlaCompliance(scoped); });
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? core::SlaCountRow{} : rows[0];
  };
  auto partners = [&](std::optional<core::OrgId> org) {
    ports::ReportRange scoped = range;
    scoped.org_id = org;
    const auto rows = ReadOrDie<std::vector<core::PartnerResolutionRow>>(
        [&](ports::StoreTransaction& tx) { return tx.CountPartnerResolution(scoped); });
    EXPECT_EQ(rows.size(), 1u);
    return rows.empty() ? core::PartnerResolutionRow{} : rows[0];
  };
  EXPECT_EQ(sla(std::nullopt).cases, 4);
  EXPECT_EQ(sla(std::nullopt).first_response.pending, 4);

  // Each case changes later, in every part of the range.
  for (size_t i = 0; i < 4; ++i) {
    const int64_t created =
        std::vector<int64_t>{in_part_day, in_whole_day, in_month, in_last_part_day}[i];
    ports::ClockSummary first = i % 2 == 0 ? Clock("60", created + 60, {})     // met
                                           : Clock("60", {}, created + 3600);  // breached
    AddSla(numbers[i], via_partner_, "enterprise", Severity::kMajor, created, first,
           Clock("next_release", {}, {}), static_cast<int>(i));
  }
  for (const core::CaseNumber number : {numbers[0], numbers[2], numbers[3]}) {
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  absl::StatusOr<core::Case> c = tx.GetCase(number);
                  if (!c.ok()) return c.status();
                  c->status = core::CaseStatus::kSolved;
                  c->solved_at = At(in_last_part_day + 7200);
                  return tx.UpdateCase(*c);
                }).ok());
  }
  Event(numbers[2], "case.escalation_requested");  // solved, then handed over
  Event(numbers[1], "case.escalation_requested");  // open and handed over

  for (std::optional<core::OrgId> org :
       {std::optional<core::OrgId>(), std::optional<core::OrgId>(via_partner_)}) {
    const core::SlaCountRow row = sla(org);
    EXPECT_EQ(row.cases, 4);
    EXPECT_EQ(row.first_response.met, 2);
    EXPECT_EQ(row.first_response.breached, 2);
    EXPECT_EQ(row.first_response.pending, 0);
    EXPECT_EQ(row.resolution.without_target, 4);
    EXPECT_EQ(row.update_breaches, 0 + 1 + 2 + 3);
  }
  for (std::optional<core::OrgId> org :
       {std::optional<core::OrgId>(), std::optional<core::OrgId>(partner_),
        std::optional<core::OrgId>(via_partner_)}) {
    const core::PartnerResolutionRow row = partners(org);
    EXPECT_EQ(row.partner_id, partner_);
    EXPECT_EQ(row.cases, 4);
    EXPECT_EQ(row.resolved_by_partner, 2);  // solved and never handed over
    EXPECT_EQ(row.handed_to_provider, 2);
  }

  // A case reopened leaves the solved count; the whole history still counts all five.
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                absl::StatusOr<core::Case> c = tx.GetCase(numbers[0]);
                if (!c.ok()) return c.status();
                c->status = core::CaseStatus::kOpen;
                c->solved_at.reset();
                return tx.UpdateCase(*c);
              }).ok());
  EXPECT_EQ(partners(std::nullopt).resolved_by_partner, 1);
  const auto everything = ReadOrDie<std::vector<core::SlaCountRow>>(
      [&](ports::StoreTransaction& tx) { return tx.CountSlaCompliance({}); });
  ASSERT_EQ(everything.size(), 1u);
  EXPECT_EQ(everything[0].cases, 5);
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, ReportContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace casedesk::contract

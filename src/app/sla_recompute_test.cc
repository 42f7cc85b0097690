// Bulk SLA recomputation (RecomputeOpenCases) against the ordinary per-case path
// (SlaEngine::Refresh), through the real use cases and a real SQLite store: a few hundred varied
// cases (three plans and a plan without a policy, every severity, paused, resumed, triaged,
// answered, breached and fired, solved) have their policies changed; after the bulk
// recomputation every case's clocks, timers, summary and queue deadline must be exactly what a
// per-case refresh at the same instant leaves, and a plan filter must leave other plans alone.
#include "app/sla_recompute.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/case_support.h"
#include "app/case_test_fixture.h"
#include "app/sla_engine.h"
#include "app/sla_settings.h"
#include "app/timer_firing.h"

namespace casedesk::app {
namespace {

std::string Text(const std::optional<absl::Time>& at) {
  return at ? absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", *at, absl::UTCTimeZone()) : "-";
}

std::string Text(const core::SlaClock& clock) {
  return absl::StrCat(
      static_cast<int>(clock.kind), "/", static_cast<int>(clock.state), "/", clock.target.minutes,
      clock.target.name, "/", clock.cycle, " start ", Text(clock.started_at), " due ",
      Text(clock.due_at), " warn ", Text(clock.warning_at), " achieved ", Text(clock.achieved_at),
      " breached ", Text(clock.breached_at), " elapsed ", absl::FormatDuration(clock.elapsed),
      " remaining ", clock.remaining ? absl::FormatDuration(*clock.remaining) : "-");
}

// Everything in a case's clocks except the explanations (which bulk recomputation skips, as
// Refresh does).
std::string Text(const core::SlaClocks& clocks) {
  std::string text = absl::StrCat(
      "severity ", core::SeverityLevel(clocks.severity), " status ",
      static_cast<int>(clocks.status), "\n  first ", Text(clocks.first_response), "\n  update ",
      Text(clocks.next_update), "\n  resolution ", Text(clocks.resolution));
  if (clocks.triage) absl::StrAppend(&text, "\n  triage ", Text(*clocks.triage));
  if (clocks.status_notification) {
    absl::StrAppend(&text, "\n  notification ", Text(*clocks.status_notification));
  }
  for (const core::SlaDeadline& earlier : clocks.earlier_cycles) {
    absl::StrAppend(&text, "\n  earlier ", SlaTimerKey(earlier), " ", Text(earlier.at));
  }
  return text;
}

std::string Text(const ports::ClockSummary& summary) {
  return absl::StrCat(summary.target, " due ", Text(summary.due_at), " achieved ",
                      Text(summary.achieved_at), " breached ", Text(summary.breached_at));
}

class SlaRecomputeTest : public CaseTestFixture {
 protected:
  // What the store keeps for each case's clocks, as text (readable in a failure).
  std::map<core::CaseNumber, std::string> StoredSla(const std::vector<core::CaseNumber>& numbers) {
    std::map<core::CaseNumber, std::string> stored;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<std::vector<ports::CaseSlaRecord>> summaries =
                          txn.ListCaseSla({.limit = 1000});
                      if (!summaries.ok()) return summaries.status();
                      std::map<core::CaseNumber, const ports::CaseSlaRecord*> by_case;
                      for (const ports::CaseSlaRecord& summary : *summaries) {
                        by_case[summary.case_number] = &summary;
                      }
                      for (core::CaseNumber number : numbers) {
                        std::string& text = stored[number];
                        absl::StatusOr<std::vector<ports::Timer>> timers =
                            txn.ListCaseTimers(number);
                        if (!timers.ok()) return timers.status();
                        for (const ports::Timer& timer : *timers) {
                          absl::StrAppend(&text, timer.key, " ", Text(timer.due_at), " fired ",
                                          Text(timer.fired_at), "\n");
                        }
                        absl::StatusOr<std::optional<absl::Time>> next =
                            txn.GetCaseNextDeadline(number);
                        if (!next.ok()) return next.status();
                        absl::StrAppend(&text, "next deadline ", Text(*next), "\n");
                        if (auto summary = by_case.find(number); summary != by_case.end()) {
                          const ports::CaseSlaRecord& s = *summary->second;
                          absl::StrAppend(&text, "summary ", s.org_id, " ", s.plan, " ",
                                          core::SeverityLevel(s.severity), " ", Text(s.created_at),
                                          "\n first ", Text(s.first_response), "\n resolution ",
                                          Text(s.resolution), "\n update breaches ",
                                          s.update_breaches, " ", Text(s.first_update_breach_at));
                        }
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return stored;
  }

  // The ordinary path: every open case refreshed on its own, as each case write does.
  void RefreshEachOpenCase(absl::Time now) {
    ASSERT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      for (core::CaseNumber number : numbers_) {
                        absl::StatusOr<core::Case> record = txn.GetCase(number);
                        if (!record.ok()) return record.status();
                        if (record->status == core::CaseStatus::kSolved ||
                            record->status == core::CaseStatus::kClosed) {
                          continue;
                        }
                        absl::Status refreshed = context().sla->Refresh(txn, *record, now);
                        if (!refreshed.ok()) return refreshed;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
  }

  void SetPlan(core::OrgId org_id, const std::string& plan) {
    ASSERT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
                      if (!org.ok()) return org.status();
                      org->plan = plan;
                      return txn.UpdateOrganisation(*org);
                    })
                    .ok());
  }

  void PutPolicy(const std::string& plan, const core::SlaPolicy& policy) {
    ASSERT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) {
                      return txn.PutSetting(SlaPolicySettingKey(plan), SlaPolicyToSetting(policy));
                    })
                    .ok());
    context().sla->Invalidate();
  }

  // A policy whose every deadline moves: shorter first responses, longer resolutions, later
  // warnings.
  static core::SlaPolicy Changed(core::SlaPolicy policy) {
    for (auto& [severity, targets] : policy.targets) {
      if (!targets.first_response.is_named()) {
        targets.first_response.minutes = targets.first_response.minutes * 2 / 3;
      }
      if (!targets.resolution.is_named()) {
        targets.resolution.minutes = targets.resolution.minutes * 3 / 2;
      }
    }
    policy.warning_fraction = 0.8;
    return policy;
  }

  void FireAllDue() {
    while (true) {
      absl::StatusOr<int> fired = FireDueTimers(context(), clock_.Now(), 500);
      ASSERT_TRUE(fired.ok()) << fired.status();
      if (*fired == 0) return;
    }
  }

  // Opens `count` cases over a day and a half on three plans and a plan without a policy, and
  // moves them through what changes SLA clocks; some breach and have their timers fired.
  void OpenVariedCases(int count) {
    SetPlan(globex_, "professional");
    SetPlan(partner_customer_, "developer");
    const core::OrgId unmanaged = AddOrg("Unmanaged", core::OrgKind::kCustomer, provider_);
    SetPlan(unmanaged, "no-such-plan");
    const Caller unmanaged_uma = AddPerson("uma", core::Role::kCustomer, unmanaged);
    const std::vector<const Caller*> requesters = {&acme_alice_, &globex_gina_,
                                                   &partner_customer_carl_, &unmanaged_uma};
    for (int i = 0; i < count; ++i) {
      clock_.Advance(absl::Minutes(7 + i % 13));
      const Caller& requester = *requesters[i % requesters.size()];
      const core::Case opened =
          MustOpen(requester, Request(absl::StrCat("Case ", i), 1 + (i / 4) % 4));
      numbers_.push_back(opened.number);
      switch (i % 9) {
        case 0:  // answered: first response achieved, update cycles start
          ASSERT_TRUE(Comment(agent_, opened.number, "Looking").ok());
          break;
        case 1:  // waiting on the customer: paused
          ASSERT_TRUE(Update(agent_, opened.number, {.status = core::CaseStatus::kPending}).ok());
          break;
        case 2:  // paused, then resumed by the customer's reply
          ASSERT_TRUE(Update(agent_, opened.number, {.status = core::CaseStatus::kPending}).ok());
          clock_.Advance(absl::Minutes(45));
          ASSERT_TRUE(Comment(requester, opened.number, "Logs attached").ok());
          break;
        case 3:  // solved: not recomputed
          ASSERT_TRUE(Update(agent_, opened.number, {.status = core::CaseStatus::kSolved}).ok());
          break;
        case 4:  // severity changed by staff
          ASSERT_TRUE(Update(agent_, opened.number,
                             {.severity = 1 + (i / 4 + 1) % 4, .severity_reason = "x"})
                          .ok());
          break;
        case 5: {  // triaged by assignment
          UpdateCaseRequest assign;
          assign.assignee_id = std::optional<core::UserId>(agent_.user.id);
          ASSERT_TRUE(Update(agent_, opened.number, assign).ok());
          break;
        }
        case 6:  // on hold: runs on (not a pause status)
          ASSERT_TRUE(Update(agent_, opened.number, {.status = core::CaseStatus::kOnHold}).ok());
          break;
        default:  // untouched
          break;
      }
    }
    // A day and a half later many deadlines have passed: warnings and breaches fire.
    clock_.Advance(absl::Hours(36));
    FireAllDue();
    // Some breached cases are answered afterwards; some answered ones hear from the customer.
    for (size_t i = 0; i < numbers_.size(); i += 5) {
      clock_.Advance(absl::Minutes(3));
      if (i % 9 == 3) continue;
      ASSERT_TRUE(Comment(i % 2 == 0 ? agent_ : *requesters[i % requesters.size()], numbers_[i],
                          "Any news?")
                      .ok());
    }
    clock_.Advance(absl::Hours(2));
  }

  std::vector<core::CaseNumber> numbers_;
};

TEST_F(SlaRecomputeTest, BulkRecomputationLeavesWhatPerCaseRefreshLeaves) {
  OpenVariedCases(360);
  const absl::Time now = clock_.Now();
  const std::map<core::CaseNumber, std::string> before = StoredSla(numbers_);

  for (const char* plan : {"enterprise", "professional", "developer"}) {
    PutPolicy(plan, Changed(core::DefaultSlaPolicies().at(plan)));
  }
  absl::StatusOr<int64_t> recomputed = RecomputeOpenCases(context(), "", now);
  ASSERT_TRUE(recomputed.ok()) << recomputed.status();
  EXPECT_EQ(*recomputed, 320) << "every case but the 40 solved ones";
  const std::map<core::CaseNumber, std::string> bulk = StoredSla(numbers_);

  // The clocks bulk recomputation computes from a range's events are those Compute shows.
  ASSERT_TRUE(store_
                  ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                    absl::StatusOr<std::vector<core::AuditEvent>> events =
                        txn.ListEventsOfCases(numbers_.front(), numbers_.back(),
                                              {std::string(kCaseCreated), std::string(kCaseUpdated),
                                               std::string(kCommentAdded)});
                    if (!events.ok()) return events.status();
                    int compared = 0;
                    for (core::CaseNumber number : numbers_) {
                      absl::StatusOr<core::Case> record = txn.GetCase(number);
                      if (!record.ok()) return record.status();
                      absl::StatusOr<std::optional<CaseSla>> single =
                          context().sla->Compute(txn, *record, now, /*explain=*/false);
                      if (!single.ok()) return single.status();
                      if (!single->has_value()) continue;
                      std::vector<core::AuditEvent> history;
                      for (const core::AuditEvent& event : *events) {
                        if (event.case_number == number) history.push_back(event);
                      }
                      auto evaluator = context().sla->EvaluatorFor(txn, (*single)->plan, now);
                      if (!evaluator.ok()) return evaluator.status();
                      absl::StatusOr<CaseSla> ranged = SlaEngine::ComputeWith(
                          **evaluator, (*single)->plan, *record, history, now, false);
                      if (!ranged.ok()) return ranged.status();
                      EXPECT_EQ(Text(ranged->clocks), Text((*single)->clocks)) << number;
                      ++compared;
                    }
                    EXPECT_EQ(compared, 270) << "the cases on the three plans with a policy";
                    return absl::OkStatus();
                  })
                  .ok());

  RefreshEachOpenCase(now);
  const std::map<core::CaseNumber, std::string> per_case = StoredSla(numbers_);
  int moved = 0;
  for (core::CaseNumber number : numbers_) {
    EXPECT_EQ(bulk.at(number), per_case.at(number)) << "case " << number;
    if (bulk.at(number) != before.at(number)) ++moved;
  }
  EXPECT_GE(moved, 200) << "the policy change moved the deadlines of most open cases";
}

TEST_F(SlaRecomputeTest, APlanFilterRecomputesOnlyThatPlansCases) {
  OpenVariedCases(72);
  const absl::Time now = clock_.Now();
  for (const char* plan : {"enterprise", "professional"}) {
    PutPolicy(plan, Changed(core::DefaultSlaPolicies().at(plan)));
  }
  const std::map<core::CaseNumber, std::string> before = StoredSla(numbers_);
  absl::StatusOr<int64_t> recomputed = RecomputeOpenCases(context(), "professional", now);
  ASSERT_TRUE(recomputed.ok()) << recomputed.status();
  EXPECT_EQ(*recomputed, 16) << "the open cases of Globex, the professional customer";
  const std::map<core::CaseNumber, std::string> after = StoredSla(numbers_);
  for (size_t i = 0; i < numbers_.size(); ++i) {
    if (i % 4 != 1) {
      EXPECT_EQ(after.at(numbers_[i]), before.at(numbers_[i])) << "not professional: untouched";
    }
  }
  // The professional cases are now what a per-case refresh leaves; the others would still move.
  RefreshEachOpenCase(now);
  const std::map<core::CaseNumber, std::string> per_case = StoredSla(numbers_);
  int enterprise_moved = 0;
  for (size_t i = 0; i < numbers_.size(); ++i) {
    if (i % 4 == 1) {
      EXPECT_EQ(after.at(numbers_[i]), per_case.at(numbers_[i]));
    }
    if (i % 4 == 0 && after.at(numbers_[i]) != per_case.at(numbers_[i])) ++enterprise_moved;
  }
  EXPECT_GT(enterprise_moved, 0);
}

TEST_F(SlaRecomputeTest, NoOpenCasesRecomputesNothing) {
  absl::StatusOr<int64_t> recomputed = RecomputeOpenCases(context(), "", clock_.Now());
  ASSERT_TRUE(recomputed.ok()) << recomputed.status();
  EXPECT_EQ(*recomputed, 0);
}

}  // namespace
}  // namespace casedesk::app

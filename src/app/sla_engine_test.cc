// The SLA engine through the real use cases and a real SQLite store: clocks on opened cases,
// timers armed and disarmed as the case moves, warnings and breaches fired exactly once (also
// after a restart), imported cases breached at their own instants, escalations and security
// incidents.
#include "app/sla_engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/case_test_fixture.h"
#include "app/escalation_json.h"
#include "app/escalations.h"
#include "app/get_case.h"
#include "app/sla_recompute.h"
#include "app/sla_settings.h"
#include "app/timer_firing.h"

namespace casedesk::app {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

absl::Time Utc(const char* text) {
  absl::Time at;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &at, &error)) std::abort();
  return at;
}

class SlaEngineTest : public CaseTestFixture {
 protected:
  std::vector<ports::Timer> Timers(core::CaseNumber number) {
    std::vector<ports::Timer> timers;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      auto listed = txn.ListCaseTimers(number);
                      if (!listed.ok()) return listed.status();
                      timers = *std::move(listed);
                      return absl::OkStatus();
                    })
                    .ok());
    return timers;
  }

  // key -> due instant of the unfired timers.
  std::map<std::string, absl::Time> Armed(core::CaseNumber number) {
    std::map<std::string, absl::Time> armed;
    for (const ports::Timer& timer : Timers(number)) {
      if (!timer.fired_at) armed[timer.key] = timer.due_at;
    }
    return armed;
  }

  int Fire() {
    absl::StatusOr<int> fired = FireDueTimers(context(), clock_.Now(), 500);
    EXPECT_TRUE(fired.ok()) << fired.status();
    return fired.ok() ? *fired : -1;
  }

  std::vector<core::AuditEvent> EventsOfKind(core::CaseNumber number, std::string_view kind) {
    std::vector<core::AuditEvent> matching;
    for (core::AuditEvent& event : StoredEvents(number)) {
      if (event.kind == kind) matching.push_back(std::move(event));
    }
    return matching;
  }

  // The case's SLA notifications (opening a case also mails its requester a confirmation).
  std::vector<ports::Notification> Notifications(core::CaseNumber number) {
    std::vector<ports::Notification> notifications;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      auto listed = txn.ListCaseNotifications(number);
                      if (!listed.ok()) return listed.status();
                      for (ports::Notification& notification : *listed) {
                        if (notification.kind != "case.opened") {
                          notifications.push_back(std::move(notification));
                        }
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return notifications;
  }

  // Writes configuration behind the engine's back, as another node would, and makes this
  // engine read it at once (rather than within SlaEngine::kConfigRecheck).
  void PutSetting(std::string key, std::string value) {
    ASSERT_TRUE(
        store_
            ->WriteAndWait([&](ports::StoreTransaction& txn) { return txn.PutSetting(key, value); })
            .ok());
    context().sla->Invalidate();
  }

  static std::string Change(const core::AuditEvent& event, std::string_view field) {
    for (const core::FieldChange& change : event.changes) {
      if (change.field == field) return change.after;
    }
    return "<none>";
  }
};

// The fixture's clock starts on Monday 2026-03-09 09:00 UTC; GMT is UTC, and the enterprise
// plan's business hours are Monday-Friday 08:00-01:00 ("business-gmt").
TEST_F(SlaEngineTest, AnOpenedCaseShowsItsClocksAndArmsItsDeadlines) {
  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  absl::StatusOr<CaseView> view = GetCase(context(), agent_, opened.number);
  ASSERT_TRUE(view.ok()) << view.status();
  ASSERT_TRUE(view->sla.has_value());
  EXPECT_EQ(view->sla->plan, "enterprise");
  const core::SlaClock& first = view->sla->clocks.first_response;
  EXPECT_EQ(first.state, core::SlaClockState::kRunning);
  EXPECT_EQ(first.target.minutes, 240);
  EXPECT_EQ(first.due_at, Utc("2026-03-09T13:00:00Z"));
  EXPECT_FALSE(first.explanation.empty());
  EXPECT_EQ(view->sla->clocks.next_update.state, core::SlaClockState::kNotStarted);

  const std::map<std::string, absl::Time> armed = Armed(opened.number);
  EXPECT_EQ(armed.at("sla:first_response:warning:0"), Utc("2026-03-09T12:00:00Z"));
  EXPECT_EQ(armed.at("sla:first_response:breach:0"), Utc("2026-03-09T13:00:00Z"));
  EXPECT_TRUE(armed.contains("sla:resolution:breach:0"));
}

TEST_F(SlaEngineTest, AStaffReplyAchievesTheFirstResponseAndStartsTheUpdateCycle) {
  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(Comment(agent_, opened.number, "Looking at it now").ok());
  const std::map<std::string, absl::Time> armed = Armed(opened.number);
  EXPECT_FALSE(armed.contains("sla:first_response:breach:0"));
  EXPECT_FALSE(armed.contains("sla:first_response:warning:0"));
  // Daily updates: 1440 business minutes from Monday 10:00 on an 08:00-01:00 calendar is
  // Monday 10:00 + 15 h (to 01:00) + 9 h from Tuesday 08:00 = Tuesday 17:00.
  EXPECT_EQ(armed.at("sla:next_update:breach:1"), Utc("2026-03-10T17:00:00Z"));

  absl::StatusOr<CaseView> view = GetCase(context(), agent_, opened.number);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->sla->clocks.first_response.achieved_at, Utc("2026-03-09T10:00:00Z"));
}

TEST_F(SlaEngineTest, PendingOnTheCustomerPausesTheClocks) {
  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  ASSERT_TRUE(Update(agent_, opened.number, {.status = core::CaseStatus::kPending}).ok());
  absl::StatusOr<CaseView> view = GetCase(context(), agent_, opened.number);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->sla->clocks.first_response.paused());
  EXPECT_FALSE(Armed(opened.number).contains("sla:first_response:breach:0"));
  clock_.Advance(absl::Hours(10));
  EXPECT_EQ(Fire(), 0) << "nothing runs while the case waits on the customer";
  // The customer's reply resumes it with the 240 minutes untouched.
  ASSERT_TRUE(Comment(acme_alice_, opened.number, "Here are the logs").ok());
  EXPECT_EQ(Armed(opened.number).at("sla:first_response:breach:0"), Utc("2026-03-09T23:00:00Z"));
}

TEST_F(SlaEngineTest, WarningAndBreachFireOnceEvenAfterARestart) {
  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  UpdateCaseRequest assign;
  assign.assignee_id = std::optional<core::UserId>(agent_.user.id);
  ASSERT_TRUE(Update(agent_, opened.number, assign).ok());
  clock_.Set(Utc("2026-03-09T12:30:00Z"));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 0);
  std::vector<core::AuditEvent> warnings = EventsOfKind(opened.number, kSlaWarning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].at, Utc("2026-03-09T12:00:00Z")) << "dated at the warning instant";
  EXPECT_EQ(Change(warnings[0], "clock"), "first_response");
  ASSERT_EQ(Notifications(opened.number).size(), 1u);
  EXPECT_EQ(Notifications(opened.number)[0].recipient_id, agent_.user.id);

  // A restart: a new store on the same database fires nothing twice.
  context_.reset();
  store_.reset();
  auto reopened = adapters::sqlite::SqliteStore::Open(directory_ + "/casedesk.db");
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  store_ = *std::move(reopened);
  context_ = std::make_unique<AppContext>(AppContext{*store_, clock_, *crypto_, *blobs_, {}});
  EXPECT_EQ(Fire(), 0);
  clock_.Set(Utc("2026-03-09T13:00:01Z"));
  EXPECT_EQ(Fire(), 1);
  EXPECT_EQ(Fire(), 0);
  std::vector<core::AuditEvent> breaches = EventsOfKind(opened.number, kSlaBreached);
  ASSERT_EQ(breaches.size(), 1u);
  EXPECT_EQ(breaches[0].at, Utc("2026-03-09T13:00:00Z"));
  absl::StatusOr<CaseView> view = GetCase(context(), agent_, opened.number);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->sla->clocks.first_response.breached_at, Utc("2026-03-09T13:00:00Z"));
}

TEST_F(SlaEngineTest, AnImportedCaseIsBreachedAtItsOwnDeadlinesNotAtImport) {
  OpenCaseRequest request = Request("Migrated outage", 1);
  request.org_id = acme_;
  request.requester_id = acme_alice_.user.id;
  request.created_at = Utc("2026-03-02T09:00:00Z");  // a week before "now"
  absl::StatusOr<CaseView> imported = Open(admin_, request);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->record.created_at, Utc("2026-03-02T09:00:00Z"));
  EXPECT_GE(Fire(), 4);  // first response, resolution (and update) warnings and breaches
  EXPECT_EQ(Fire(), 0);
  std::map<std::string, absl::Time> breached;
  for (const core::AuditEvent& event : EventsOfKind(imported->record.number, kSlaBreached)) {
    breached[Change(event, "clock")] = event.at;
  }
  // Enterprise severity 1 runs on the 24x7 calendar: 60 minutes and 24 hours after creation.
  EXPECT_EQ(breached.at("first_response"), Utc("2026-03-02T10:00:00Z"));
  EXPECT_EQ(breached.at("resolution"), Utc("2026-03-03T09:00:00Z"));

  // Non-admins may not import, nor may anyone import from the future.
  request.created_at = Utc("2026-03-02T09:00:00Z");
  EXPECT_EQ(Open(agent_, request).status().code(), absl::StatusCode::kPermissionDenied);
  request.created_at = clock_.Now() + absl::Hours(1);
  EXPECT_EQ(Open(admin_, request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SlaEngineTest, ABreachEscalatesThroughItsPolicy) {
  Caller manager = AddPerson("manager", core::Role::kAgent, provider_);
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                    core::User user = *txn.GetUser(manager.user.id);
                    user.tier = core::Tier::kSupportManager;
                    return txn.UpdateUser(user);
                  })
                  .ok());
  core::EscalationPolicy policy;
  policy.name = "breaches";
  policy.levels.push_back(
      {.trigger = core::EscalationTrigger::kSlaBreach,
       .clocks = {core::SlaClockKind::kFirstResponse},
       .delay_minutes = 30,
       .targets = {{core::EscalationTargetKind::kTier, "support_manager"}},
       .actions = {core::EscalationAction::kNotify, core::EscalationAction::kRaiseTier}});
  PutSetting(EscalationPolicySettingKey(policy.name), EscalationPolicyToSetting(policy));

  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  clock_.Set(Utc("2026-03-09T13:10:00Z"));
  EXPECT_EQ(Fire(), 2);  // warning and breach
  EXPECT_TRUE(EventsOfKind(opened.number, kCaseEscalated).empty()) << "30 minutes later";
  const std::map<std::string, absl::Time> armed = Armed(opened.number);
  const auto level = std::find_if(armed.begin(), armed.end(), [](const auto& entry) {
    return entry.first.starts_with("escalation:breaches:0:sla_breach:first_response:");
  });
  ASSERT_NE(level, armed.end());
  EXPECT_EQ(level->second, Utc("2026-03-09T13:30:00Z"));

  clock_.Set(Utc("2026-03-09T13:30:00Z"));
  EXPECT_EQ(Fire(), 1);
  std::vector<core::AuditEvent> escalated = EventsOfKind(opened.number, kCaseEscalated);
  ASSERT_EQ(escalated.size(), 1u);
  EXPECT_EQ(Change(escalated[0], "notified"), std::to_string(manager.user.id));
  EXPECT_EQ(Stored(opened.number).escalation_tier, core::Tier::kShiftEngineer);
  bool manager_notified = false;
  for (const ports::Notification& notification : Notifications(opened.number)) {
    manager_notified |=
        notification.recipient_id == manager.user.id && notification.kind == kCaseEscalated;
  }
  EXPECT_TRUE(manager_notified);
}

TEST_F(SlaEngineTest, AnEscalationWhoseCauseIsGoneDoesNothing) {
  core::EscalationPolicy policy;
  policy.name = "late";
  policy.levels.push_back(
      {.trigger = core::EscalationTrigger::kSlaWarning,
       .delay_minutes = 120,
       .targets = {{core::EscalationTargetKind::kUser, std::to_string(agent_.user.id)}},
       .actions = {core::EscalationAction::kNotify}});
  PutSetting(EscalationPolicySettingKey(policy.name), EscalationPolicyToSetting(policy));
  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  clock_.Set(Utc("2026-03-09T12:05:00Z"));
  EXPECT_EQ(Fire(), 1);  // the warning; its escalation is due 14:00
  ASSERT_TRUE(Comment(agent_, opened.number, "On it").ok());  // first response given
  clock_.Set(Utc("2026-03-09T14:00:00Z"));
  EXPECT_EQ(Fire(), 1);  // the escalation timer fires ...
  EXPECT_TRUE(EventsOfKind(opened.number, kCaseEscalated).empty());  // ... and does nothing
}

TEST_F(SlaEngineTest, ACriticalCaseWaitsForTriageWhenThePlanSaysSo) {
  core::SlaPolicy enterprise = core::DefaultSlaPolicies().at("enterprise");
  enterprise.confirm_critical_before_paging = true;
  PutSetting(SlaPolicySettingKey("enterprise"), SlaPolicyToSetting(enterprise));
  core::EscalationPolicy policy;
  policy.name = "urgent";
  policy.levels.push_back(
      {.trigger = core::EscalationTrigger::kCaseCreatedCritical,
       .targets = {{core::EscalationTargetKind::kUser, std::to_string(admin_.user.id)}},
       .actions = {core::EscalationAction::kNotify}});
  PutSetting(EscalationPolicySettingKey(policy.name), EscalationPolicyToSetting(policy));

  const core::Case opened = MustOpen(acme_alice_, Request("Everything is down", 1));
  const auto escalation_armed = [&] {
    for (const ports::Timer& timer : Timers(opened.number)) {
      if (timer.key.starts_with("escalation:urgent:")) return true;
    }
    return false;
  };
  EXPECT_FALSE(escalation_armed()) << "a customer's severity 1 waits for triage";
  ASSERT_TRUE(Update(agent_, opened.number, {.severity_confirmed = true}).ok());
  EXPECT_TRUE(escalation_armed());
  EXPECT_GE(Fire(), 1);
  ASSERT_EQ(EventsOfKind(opened.number, kCaseEscalated).size(), 1u);
}

TEST_F(SlaEngineTest, ASecurityIncidentIsHiddenFromStaffWithoutClearance) {
  Caller expert = AddPerson("expert", core::Role::kAgent, provider_);
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                    core::User user = *txn.GetUser(expert.user.id);
                    user.skills = {"security"};
                    return txn.UpdateUser(user);
                  })
                  .ok());
  expert.viewer.sees_security_incidents = true;
  const core::Case opened = MustOpen(acme_alice_, Request("Strange logins", 2));
  ASSERT_TRUE(Update(agent_, opened.number, {.security_incident = true}).ok());
  EXPECT_EQ(GetCase(context(), agent_, opened.number).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(GetCase(context(), expert, opened.number).ok());
  EXPECT_TRUE(GetCase(context(), acme_alice_, opened.number).ok()) << "the customer still sees it";
}

TEST_F(SlaEngineTest, APolicyChangeMovesTheDeadlinesOfOpenCases) {
  const core::Case opened = MustOpen(acme_alice_, Request("Slow disks", 2));
  const core::Case solved = MustOpen(acme_alice_, Request("Done already", 2));
  ASSERT_TRUE(Update(agent_, solved.number, {.status = core::CaseStatus::kSolved}).ok());

  // A longer target: the timers armed for 12:00 and 13:00 are stale when they come due; they
  // notice, re-arm at the new instants and fire nothing.
  core::SlaPolicy enterprise = core::DefaultSlaPolicies().at("enterprise");
  enterprise.targets[core::Severity::kMajor].first_response = core::SlaTarget::Minutes(600);
  PutSetting(SlaPolicySettingKey("enterprise"), SlaPolicyToSetting(enterprise));
  clock_.Set(Utc("2026-03-09T13:30:00Z"));
  EXPECT_EQ(Fire(), 0);
  EXPECT_TRUE(EventsOfKind(opened.number, kSlaWarning).empty());
  EXPECT_TRUE(EventsOfKind(opened.number, kSlaBreached).empty());
  EXPECT_EQ(Armed(opened.number).at("sla:first_response:breach:0"), Utc("2026-03-09T19:00:00Z"));

  // A shorter target: only recomputing the open cases moves their deadlines earlier.
  enterprise.targets[core::Severity::kMajor].first_response = core::SlaTarget::Minutes(300);
  PutSetting(SlaPolicySettingKey("enterprise"), SlaPolicyToSetting(enterprise));
  absl::StatusOr<int64_t> recomputed = RecomputeOpenCases(context(), "enterprise", clock_.Now());
  ASSERT_TRUE(recomputed.ok()) << recomputed.status();
  EXPECT_EQ(*recomputed, 1) << "the open case, not the solved one";
  EXPECT_EQ(Armed(opened.number).at("sla:first_response:breach:0"), Utc("2026-03-09T14:00:00Z"));
  absl::StatusOr<int64_t> other_plan = RecomputeOpenCases(context(), "developer", clock_.Now());
  ASSERT_TRUE(other_plan.ok());
  EXPECT_EQ(*other_plan, 0);
  clock_.Set(Utc("2026-03-09T14:00:00Z"));
  EXPECT_EQ(Fire(), 2);  // the warning (13:45) and the breach
}

TEST(SlaTimerKeyTest, KeysRoundTrip) {
  const core::SlaDeadline deadline{.clock = core::SlaClockKind::kNextUpdate,
                                   .kind = core::SlaDeadlineKind::kWarning,
                                   .cycle = 3};
  EXPECT_EQ(SlaTimerKey(deadline), "sla:next_update:warning:3");
  EXPECT_EQ(ParseSlaTimerKey("sla:next_update:warning:3"), deadline);
  EXPECT_FALSE(ParseSlaTimerKey("sla:nope:warning:3").has_value());
  EXPECT_FALSE(ParseSlaTimerKey("escalation:a:0:manual:-:0:x").has_value());
}

}  // namespace
}  // namespace casedesk::app

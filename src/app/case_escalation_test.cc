// Escalation requests and a case's notifications: which trigger a caller's request stands for,
// the levels it arms, the event it records, refusals (unseen or closed cases, bad reasons), and
// reading the outbox entries the fired levels wrote.
#include "app/case_escalation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/escalations.h"
#include "app/sla_settings.h"
#include "app/timer_firing.h"

namespace casedesk::app {
namespace {

class CaseEscalationTest : public CaseTestFixture {
 protected:
  void SetUp() override {
    CaseTestFixture::SetUp();
    // The management path for customers (notify the agent) and a manual level (notify the
    // admin), as an operator would configure them.
    core::EscalationPolicy policy;
    policy.name = "management";
    policy.levels.push_back(
        {.trigger = core::EscalationTrigger::kCustomerRequest,
         .clocks = {},
         .delay_minutes = 0,
         .targets = {{core::EscalationTargetKind::kUser, std::to_string(agent_.user.id)}},
         .actions = {core::EscalationAction::kNotify}});
    policy.levels.push_back(
        {.trigger = core::EscalationTrigger::kManual,
         .clocks = {},
         .delay_minutes = 30,
         .targets = {{core::EscalationTargetKind::kUser, std::to_string(admin_.user.id)}},
         .actions = {core::EscalationAction::kNotify}});
    ASSERT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) {
                      return txn.PutSetting(EscalationPolicySettingKey(policy.name),
                                            EscalationPolicyToSetting(policy));
                    })
                    .ok());
  }

  absl::StatusOr<EscalationOutcome> Escalate(const Caller& caller, core::CaseNumber number,
                                             std::string reason = "no answer for two hours") {
    return Await<EscalationOutcome>([&](Done<EscalationOutcome> done) {
      RequestEscalation(context(), caller, number, std::move(reason), std::move(done));
    });
  }

  std::vector<ports::Timer> EscalationTimers(core::CaseNumber number) {
    std::vector<ports::Timer> timers;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<std::vector<ports::Timer>> listed = txn.ListCaseTimers(number);
                      if (!listed.ok()) return listed.status();
                      for (ports::Timer& timer : *listed) {
                        if (timer.key.starts_with(kEscalationTimerPrefix)) {
                          timers.push_back(std::move(timer));
                        }
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return timers;
  }

  std::vector<core::AuditEvent> Requests(core::CaseNumber number) {
    std::vector<core::AuditEvent> events = StoredEvents(number);
    std::erase_if(events, [](const auto& event) { return event.kind != kEscalationRequested; });
    return events;
  }
};

TEST_F(CaseEscalationTest, TheCallersSideDecidesTheTrigger) {
  struct Row {
    const char* name;
    const Caller* opener;
    const Caller* caller;
    core::EscalationTrigger trigger;
    std::string armed_key_part;
    absl::Duration delay;
  };
  const Row rows[] = {
      {"requester", &acme_alice_, &acme_alice_, core::EscalationTrigger::kCustomerRequest,
       ":0:customer_request:", absl::ZeroDuration()},
      {"org admin", &acme_alice_, &acme_admin_, core::EscalationTrigger::kCustomerRequest,
       ":0:customer_request:", absl::ZeroDuration()},
      {"partner agent", &partner_customer_carl_, &partner_agent_,
       core::EscalationTrigger::kCustomerRequest, ":0:customer_request:", absl::ZeroDuration()},
      {"agent", &acme_alice_, &agent_, core::EscalationTrigger::kManual,
       ":1:manual:", absl::Minutes(30)},
      {"admin", &acme_alice_, &admin_, core::EscalationTrigger::kManual,
       ":1:manual:", absl::Minutes(30)},
  };
  for (const Row& row : rows) {
    const core::Case opened = MustOpen(*row.opener, Request(row.name, 2));
    absl::StatusOr<EscalationOutcome> outcome = Escalate(*row.caller, opened.number, row.name);
    ASSERT_TRUE(outcome.ok()) << row.name << ": " << outcome.status();
    EXPECT_EQ(outcome->trigger, row.trigger) << row.name;
    EXPECT_EQ(outcome->levels_armed, 1) << row.name;

    const std::vector<ports::Timer> timers = EscalationTimers(opened.number);
    ASSERT_EQ(timers.size(), 1u) << row.name;
    EXPECT_NE(timers[0].key.find("escalation:management" + row.armed_key_part), std::string::npos)
        << row.name << ": " << timers[0].key;
    EXPECT_EQ(timers[0].due_at, clock_.Now() + row.delay) << row.name;

    const std::vector<core::AuditEvent> requests = Requests(opened.number);
    ASSERT_EQ(requests.size(), 1u) << row.name;
    EXPECT_EQ(requests[0].actor_id, row.caller->user.id) << row.name;
    EXPECT_EQ(requests[0].reason, row.name) << row.name;
    ASSERT_FALSE(requests[0].changes.empty()) << row.name;
    EXPECT_EQ(requests[0].changes[0].field, "trigger") << row.name;
  }
}

TEST_F(CaseEscalationTest, WithoutAMatchingPolicyTheRequestIsStillRecorded) {
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) {
                    return txn.DeleteSetting(EscalationPolicySettingKey("management"));
                  })
                  .ok());
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 2));
  absl::StatusOr<EscalationOutcome> outcome = Escalate(acme_alice_, opened.number);
  ASSERT_TRUE(outcome.ok()) << outcome.status();
  EXPECT_EQ(outcome->levels_armed, 0);
  EXPECT_EQ(Requests(opened.number).size(), 1u);
}

TEST_F(CaseEscalationTest, RefusalsLeaveNoTrace) {
  const core::Case acme = MustOpen(acme_alice_, Request("Acme down", 2));
  const core::Case closed = MustOpen(acme_alice_, Request("Closed one", 2));
  for (core::CaseStatus status : {core::CaseStatus::kSolved, core::CaseStatus::kClosed}) {
    UpdateCaseRequest move;
    move.status = status;
    ASSERT_TRUE(Update(agent_, closed.number, move).ok());
  }
  struct Row {
    const char* name;
    const Caller* caller;
    core::CaseNumber number;
    std::string reason;
    absl::StatusCode code;
    std::string message;
  };
  const Row rows[] = {
      {"other tenant", &globex_gina_, acme.number, "why", absl::StatusCode::kNotFound, "not found"},
      {"colleague who does not see it", &acme_bob_, acme.number, "why", absl::StatusCode::kNotFound,
       "not found"},
      {"no such case", &agent_, 999999, "why", absl::StatusCode::kNotFound, "not found"},
      {"closed", &acme_alice_, closed.number, "why", absl::StatusCode::kFailedPrecondition,
       "closed"},
      {"empty reason", &acme_alice_, acme.number, "", absl::StatusCode::kInvalidArgument,
       "field 'reason' is required"},
      {"blank reason", &acme_alice_, acme.number, "  ", absl::StatusCode::kInvalidArgument,
       "field 'reason' is required"},
      {"reason too long", &acme_alice_, acme.number, std::string(2001, 'r'),
       absl::StatusCode::kInvalidArgument, "at most 2000 characters"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<EscalationOutcome> outcome = Escalate(*row.caller, row.number, row.reason);
    EXPECT_EQ(outcome.status().code(), row.code) << row.name << ": " << outcome.status();
    EXPECT_NE(outcome.status().message().find(row.message), std::string::npos)
        << row.name << ": " << outcome.status();
  }
  EXPECT_TRUE(Requests(acme.number).empty());
  EXPECT_TRUE(Requests(closed.number).empty());
  EXPECT_TRUE(EscalationTimers(acme.number).empty());
  EXPECT_TRUE(EscalationTimers(closed.number).empty());
}

TEST_F(CaseEscalationTest, FiredLevelsShowAsTheCasesNotificationsToStaffOnly) {
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 2));
  ASSERT_TRUE(Escalate(acme_alice_, opened.number).ok());
  absl::StatusOr<int> fired = FireDueTimers(context(), clock_.Now(), 100);
  ASSERT_TRUE(fired.ok()) << fired.status();
  EXPECT_EQ(*fired, 1);

  absl::StatusOr<std::vector<ports::Notification>> notifications =
      ListCaseNotifications(context(), agent_, opened.number);
  ASSERT_TRUE(notifications.ok()) << notifications.status();
  // Besides the requester's opening confirmation, one escalation notice.
  std::vector<ports::Notification> escalations;
  for (const ports::Notification& notification : *notifications) {
    if (notification.kind == kCaseEscalated) escalations.push_back(notification);
  }
  ASSERT_EQ(escalations.size(), 1u);
  const ports::Notification& sent = escalations[0];
  EXPECT_GT(sent.id, 0);
  EXPECT_EQ(sent.case_number, opened.number);
  EXPECT_EQ(sent.kind, kCaseEscalated);
  EXPECT_EQ(sent.recipient_id, agent_.user.id);
  EXPECT_EQ(sent.recipient_email, agent_.user.email);
  EXPECT_NE(sent.subject.find("Escalated"), std::string::npos) << sent.subject;
  EXPECT_NE(sent.body.find("customer_request"), std::string::npos) << sent.body;
  EXPECT_EQ(sent.created_at, clock_.Now());
  EXPECT_FALSE(sent.sent_at.has_value());
  EXPECT_EQ(sent.attempts, 0);

  struct Row {
    const char* name;
    const Caller* caller;
    absl::StatusCode code;
  };
  const Row rows[] = {
      {"admin", &admin_, absl::StatusCode::kOk},
      {"requester", &acme_alice_, absl::StatusCode::kPermissionDenied},
      {"org admin", &acme_admin_, absl::StatusCode::kPermissionDenied},
      {"other tenant", &globex_gina_, absl::StatusCode::kNotFound},
      {"partner agent of others", &partner_agent_, absl::StatusCode::kNotFound},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ListCaseNotifications(context(), *row.caller, opened.number).status().code(),
              row.code)
        << row.name;
  }
  EXPECT_EQ(ListCaseNotifications(context(), agent_, 999999).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace casedesk::app

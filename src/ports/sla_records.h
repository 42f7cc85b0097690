// Records the SLA and escalation engine keeps in the store beside the cases: durable timers,
// the outbox of notifications, each case's SLA summary (what reports aggregate) and priority
// abuse flags. Thread-safe: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "core/ids.h"
#include "core/severity.h"

namespace casedesk::ports {

// A due instant armed for a case. (case_number, key) is unique and fires at most once: a fired
// timer keeps its row (fired_at set) so re-arming the same key later does nothing.
// Keys: "sla:<clock>:<warning|breach>:<cycle>", "escalation:<policy>:<level>:<cause>".
struct Timer {
  core::CaseNumber case_number = 0;
  std::string key;
  absl::Time due_at = absl::InfinitePast();
  std::optional<absl::Time> fired_at;
};

// A message owed to a person, written in the same transaction as what caused it and delivered
// later by the outbox's sender (the email channel). Never deleted; sent_at marks delivery.
// Delivery: a sender claims due rows for a lease (ClaimNotifications), sends each, and records
// the attempt; a failure is retried at `next_attempt_at` until it is given up (`failed_at`).
struct Notification {
  int64_t id = 0;
  core::CaseNumber case_number = 0;  // 0 when not about a case
  std::string kind;                  // "sla.warning", "sla.breached", "escalation", ...
  core::UserId recipient_id = 0;     // 0 for an address that is not a user's
  std::string recipient_email;
  std::string subject;
  std::string body;  // plain text
  absl::Time created_at = absl::InfinitePast();
  std::optional<absl::Time> sent_at;
  int attempts = 0;
  std::string last_error;
  // Mail headers, fixed when the row is written so every retry sends the same message.
  std::string message_id;    // without angle brackets; unique
  std::string in_reply_to;   // without angle brackets; empty when none
  std::string references;    // space-separated ids without angle brackets
  std::string from_address;  // empty: the desk's configured sender
  std::string from_name;
  bool automatic = true;                      // system mail: Auto-Submitted: auto-generated
  std::optional<absl::Time> next_attempt_at;  // unset: due at once
  std::optional<absl::Time> failed_at;        // given up; never retried
  std::optional<absl::Time> claimed_until;    // a sender's lease
  // Further header lines ("Name: value", one per line), added as given: e.g. List-Unsubscribe.
  std::string extra_headers;
};

// One SLA clock of a case as last computed: enough for compliance reports.
struct ClockSummary {
  std::optional<absl::Time> due_at;
  std::optional<absl::Time> achieved_at;
  std::optional<absl::Time> breached_at;
  std::string target;  // minutes as decimal text, or a named target
};

// A case's SLA summary, rewritten whenever its clocks are recomputed (every case write and
// every timer that fires for it).
struct CaseSlaRecord {
  core::CaseNumber case_number = 0;
  core::OrgId org_id = 0;
  std::string plan;
  core::Severity severity = core::Severity::kMinor;
  absl::Time created_at = absl::InfinitePast();
  ClockSummary first_response;
  ClockSummary resolution;
  int update_breaches = 0;  // next_update cycles that breached
  std::optional<absl::Time> first_update_breach_at;
};

struct CaseSlaFilter {
  absl::Time created_from = absl::InfinitePast();  // inclusive
  absl::Time created_to = absl::InfiniteFuture();  // exclusive
  std::string plan;                                // empty: every plan
  std::optional<core::Severity> severity;
  core::CaseNumber after_case = 0;  // keyset: cases with a larger number
  int limit = 1000;
};

// An agent's flag that the customer-chosen severity of a case was misused (seed 001).
struct SeverityFlag {
  int64_t id = 0;
  core::CaseNumber case_number = 0;
  core::OrgId org_id = 0;
  core::UserId requester_id = 0;
  core::UserId flagged_by = 0;
  core::Severity flagged_severity = core::Severity::kCritical;
  std::string reason;
  absl::Time at = absl::InfinitePast();
};

struct SeverityFlagCount {
  core::OrgId org_id = 0;
  core::UserId requester_id = 0;
  int64_t flags = 0;
};

}  // namespace casedesk::ports

// Service credits (seed 003: "Process Service Credits"): each support plan's credit rules give a
// percentage of the monthly fee per breached SLA target, by severity and clock, capped per
// month. An admin changes them (app/report_settings.h keeps them as settings documents); these
// are the rules, the shipped defaults and the arithmetic.
// Thread-safe: value types and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "core/report_sla.h"
#include "core/severity.h"
#include "core/sla_policy.h"

namespace casedesk::core {

struct CreditRule {
  Severity severity = Severity::kCritical;
  SlaClockKind clock = SlaClockKind::kResolution;  // first_response, resolution or next_update
  double percent = 0;                              // of the monthly fee, per breach
};

struct CreditRules {
  std::string plan;
  int64_t monthly_fee_cents = 0;  // 0: credits are reported as percentages only
  std::string currency = "USD";   // ISO 4217 letters
  std::vector<CreditRule> rules;
  double cap_percent = 0;  // the most one month can credit
};

inline constexpr int64_t kMaxMonthlyFeeCents = int64_t{1'000'000'000'000};

// InvalidArgument naming the field: a currency that is not three capital letters, a fee
// outside 0..kMaxMonthlyFeeCents, a percent or cap outside 0..100, a clock other than
// first_response, resolution or next_update, or two rules for one severity and clock.
absl::Status ValidateCreditRules(const CreditRules& rules);

// The shipped rules per plan (our own decisions; the seeds name the duty, not the figures):
//   developer     no credits (a best-effort plan for non-critical environments, seed 001)
//   professional  critical: 5 % per first-response breach, 10 % per resolution breach;
//                 major: 2 % / 5 %; capped at 25 % a month
//   enterprise    critical: 10 % / 15 %, and 2 % per missed update; major: 5 % / 10 %;
//                 minor: 2 % per first-response breach; capped at 50 % a month
// Fees start at 0 (each desk sets its prices), so credits show as percentages until set.
std::vector<CreditRules> DefaultCreditRules();

// Breaches of one organisation in one month.
struct BreachCount {
  Severity severity = Severity::kCritical;
  SlaClockKind clock = SlaClockKind::kResolution;
  int64_t breaches = 0;
};

// The breaches in count rows: first_response, resolution and next_update per severity (zero
// counts left out), by severity then clock.
std::vector<BreachCount> BreachesOf(const std::vector<SlaCountRow>& rows);

struct CreditOwed {
  int64_t breaches = 0;         // breaches a rule credits
  double uncapped_percent = 0;  // sum over breaches of the rule's percent
  double percent = 0;           // min(uncapped, cap)
  bool capped = false;
  int64_t amount_cents = 0;  // round(fee * percent / 100)
};

// One month's credit under `rules`.
CreditOwed ComputeCredit(const CreditRules& rules, const std::vector<BreachCount>& breaches);

}  // namespace casedesk::core

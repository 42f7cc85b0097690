#include "core/report_credits.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/enum_names.h"

namespace casedesk::core {
namespace {

bool IsCreditedClock(SlaClockKind clock) {
  return clock == SlaClockKind::kFirstResponse || clock == SlaClockKind::kResolution ||
         clock == SlaClockKind::kNextUpdate;
}

bool IsPercent(double value) { return std::isfinite(value) && value >= 0 && value <= 100; }

CreditRule Rule(Severity severity, SlaClockKind clock, double percent) {
  return {.severity = severity, .clock = clock, .percent = percent};
}

}  // namespace

absl::Status ValidateCreditRules(const CreditRules& rules) {
  if (rules.currency.size() != 3 ||
      !std::all_of(rules.currency.begin(), rules.currency.end(),
                   [](char c) { return absl::ascii_isupper(static_cast<unsigned char>(c)); })) {
    return absl::InvalidArgumentError("currency: must be three capital letters (ISO 4217)");
  }
  if (rules.monthly_fee_cents < 0 || rules.monthly_fee_cents > kMaxMonthlyFeeCents) {
    return absl::InvalidArgumentError(
        absl::StrCat("monthly_fee_cents: must be from 0 to ", kMaxMonthlyFeeCents));
  }
  if (!IsPercent(rules.cap_percent)) {
    return absl::InvalidArgumentError("cap_percent: must be from 0 to 100");
  }
  std::set<std::pair<int, int>> seen;
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    const CreditRule& rule = rules.rules[i];
    const std::string field = absl::StrCat("rules[", i, "]");
    if (!IsCreditedClock(rule.clock)) {
      return absl::InvalidArgumentError(
          field + ".clock: must be first_response, resolution or next_update");
    }
    if (!IsPercent(rule.percent)) {
      return absl::InvalidArgumentError(field + ".percent: must be from 0 to 100");
    }
    if (!seen.insert({SeverityLevel(rule.severity), static_cast<int>(rule.clock)}).second) {
      return absl::InvalidArgumentError(field + ": a second rule for the same severity and clock");
    }
  }
  return absl::OkStatus();
}

std::vector<CreditRules> DefaultCreditRules() {
  using enum SlaClockKind;
  return {
      {.plan = "developer"},
      {.plan = "enterprise",
       .rules = {Rule(Severity::kCritical, kFirstResponse, 10),
                 Rule(Severity::kCritical, kResolution, 15),
                 Rule(Severity::kCritical, kNextUpdate, 2),
                 Rule(Severity::kMajor, kFirstResponse, 5), Rule(Severity::kMajor, kResolution, 10),
                 Rule(Severity::kMinor, kFirstResponse, 2)},
       .cap_percent = 50},
      {.plan = "professional",
       .rules = {Rule(Severity::kCritical, kFirstResponse, 5),
                 Rule(Severity::kCritical, kResolution, 10),
                 Rule(Severity::kMajor, kFirstResponse, 2), Rule(Severity::kMajor, kResolution, 5)},
       .cap_percent = 25},
  };
}

std::vector<BreachCount> BreachesOf(const std::vector<SlaCountRow>& rows) {
  std::map<std::pair<int, int>, int64_t> counts;
  for (const SlaCountRow& row : rows) {
    const int level = SeverityLevel(row.severity);
    counts[{level, static_cast<int>(SlaClockKind::kFirstResponse)}] += row.first_response.breached;
    counts[{level, static_cast<int>(SlaClockKind::kResolution)}] += row.resolution.breached;
    counts[{level, static_cast<int>(SlaClockKind::kNextUpdate)}] += row.update_breaches;
  }
  std::vector<BreachCount> breaches;
  for (const auto& [key, count] : counts) {
    Severity severity;
    if (count == 0 || !SeverityFromLevel(key.first, &severity)) continue;
    breaches.push_back(
        {.severity = severity, .clock = static_cast<SlaClockKind>(key.second), .breaches = count});
  }
  return breaches;
}

CreditOwed ComputeCredit(const CreditRules& rules, const std::vector<BreachCount>& breaches) {
  CreditOwed owed;
  for (const BreachCount& breach : breaches) {
    for (const CreditRule& rule : rules.rules) {
      if (rule.severity != breach.severity || rule.clock != breach.clock) continue;
      owed.breaches += breach.breaches;
      owed.uncapped_percent += rule.percent * static_cast<double>(breach.breaches);
    }
  }
  owed.percent = std::min(owed.uncapped_percent, rules.cap_percent);
  owed.capped = owed.uncapped_percent > rules.cap_percent;
  owed.amount_cents =
      std::llround(static_cast<double>(rules.monthly_fee_cents) * owed.percent / 100.0);
  return owed;
}

}  // namespace casedesk::core

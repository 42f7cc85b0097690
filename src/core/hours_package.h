// Contract-hours packages: per organisation and kind, the minutes included per month, whether
// unused minutes carry into the next period (up to a cap), and the usage thresholds that alert
// (80 % and 100 % unless set). Plans carry default packages (modelled on seeds 003 and 004);
// an organisation with packages of its own uses those instead.
//
// Carry-over: a period's available minutes are its included minutes plus what the previous
// period carried in. Carried minutes are used first and expire after one period (they never
// carry twice); of the included minutes left unused, up to the cap carry into the next period.
// The computation folds forward from the period the packages start.
// Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "core/hours_period.h"
#include "core/time_entry.h"

namespace casedesk::core {

enum class CarryOver { kNone, kCapped };

inline constexpr std::array<std::pair<CarryOver, std::string_view>, 2> kCarryOverNames{{
    {CarryOver::kNone, "none"},
    {CarryOver::kCapped, "capped"},
}};

inline constexpr int64_t kMaxIncludedMinutes = 744 * 60;  // a month of 31 days, around the clock

struct HoursPackage {
  HoursKind kind = HoursKind::kCustomerSuccess;
  int64_t included_minutes = 0;  // per period
  CarryOver carry_over = CarryOver::kNone;
  int64_t carry_over_cap_minutes = 0;  // with kCapped: at most this many carry
  std::vector<int> thresholds_percent = {80, 100};
  bool operator==(const HoursPackage&) const = default;
};

// One kind at most once; included 0..kMaxIncludedMinutes; a cap only (and then 1..included
// times 12) with kCapped; 1..4 thresholds, each 1..100, ascending without repeats.
// InvalidArgument naming the field ("packages[1].included_minutes: ...").
absl::Status ValidatePackages(const std::vector<HoursPackage>& packages);

// The packages a plan includes by default ("developer": none; "professional": 4 customer-success
// hours; "enterprise": 16 customer-success hours carrying up to 8, and 4 training hours carrying
// up to 24, so training can be saved up over the year as seed 004 describes). Unknown plans
// include nothing.
std::vector<HoursPackage> DefaultPackagesForPlan(std::string_view plan);

// Minutes used in one period of one kind (billable entries only draw on a package).
using UsageByPeriod = std::map<HoursPeriod, int64_t>;

struct PeriodBalance {
  HoursKind kind = HoursKind::kCustomerSuccess;
  HoursPeriod period;
  int64_t included_minutes = 0;
  int64_t carried_in_minutes = 0;
  int64_t available_minutes = 0;  // included + carried in
  int64_t used_minutes = 0;
  int64_t remaining_minutes = 0;  // available - used, never below 0
  int64_t overrun_minutes = 0;    // used beyond available
  int percent_used = 0;           // rounded down; 100 when nothing was available and some used
};

// The balance of `target` for `package`, folding carry-over forward from `first` (the period
// the packages start; periods before it carry nothing). `usage` holds billable minutes.
PeriodBalance BalanceFor(const HoursPackage& package, HoursPeriod first, HoursPeriod target,
                         const UsageByPeriod& usage);

// The thresholds (percent) that usage has reached: used * 100 >= threshold * available. With
// nothing available, any use reaches every threshold. Callers alert each reached threshold once
// per period (the store remembers which were alerted).
std::vector<int> ReachedThresholds(const HoursPackage& package, int64_t available_minutes,
                                   int64_t used_minutes);

// The package of `kind`, if any.
const HoursPackage* FindPackage(const std::vector<HoursPackage>& packages, HoursKind kind);

}  // namespace casedesk::core

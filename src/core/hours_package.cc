#include "core/hours_package.h"

#include <algorithm>
#include <set>

namespace casedesk::core {
namespace {

absl::Status PackageError(size_t index, std::string_view field, std::string_view message) {
  return absl::InvalidArgumentError("packages[" + std::to_string(index) + "]." +
                                    std::string(field) + ": " + std::string(message));
}

}  // namespace

absl::Status ValidatePackages(const std::vector<HoursPackage>& packages) {
  std::set<HoursKind> kinds;
  for (size_t i = 0; i < packages.size(); ++i) {
    const HoursPackage& package = packages[i];
    if (!kinds.insert(package.kind).second) {
      return PackageError(i, "kind", "each kind may appear only once");
    }
    if (package.included_minutes < 0 || package.included_minutes > kMaxIncludedMinutes) {
      return PackageError(i, "included_minutes", "must be from 0 to 44640");
    }
    if (package.carry_over == CarryOver::kNone && package.carry_over_cap_minutes != 0) {
      return PackageError(i, "carry_over_cap_minutes", "only with carry_over \"capped\"");
    }
    if (package.carry_over == CarryOver::kCapped &&
        (package.carry_over_cap_minutes < 1 ||
         package.carry_over_cap_minutes > 12 * std::max<int64_t>(package.included_minutes, 1))) {
      return PackageError(i, "carry_over_cap_minutes",
                          "must be from 1 to twelve times the included minutes");
    }
    const std::vector<int>& thresholds = package.thresholds_percent;
    if (thresholds.empty() || thresholds.size() > 4) {
      return PackageError(i, "thresholds_percent", "needs 1 to 4 thresholds");
    }
    for (size_t t = 0; t < thresholds.size(); ++t) {
      if (thresholds[t] < 1 || thresholds[t] > 100) {
        return PackageError(i, "thresholds_percent", "each must be from 1 to 100");
      }
      if (t > 0 && thresholds[t] <= thresholds[t - 1]) {
        return PackageError(i, "thresholds_percent", "must be ascending without repeats");
      }
    }
  }
  return absl::OkStatus();
}

std::vector<HoursPackage> DefaultPackagesForPlan(std::string_view plan) {
  if (plan == "professional") {
    return {{.kind = HoursKind::kCustomerSuccess, .included_minutes = 4 * 60}};
  }
  if (plan == "enterprise") {
    return {{.kind = HoursKind::kCustomerSuccess,
             .included_minutes = 16 * 60,
             .carry_over = CarryOver::kCapped,
             .carry_over_cap_minutes = 8 * 60},
            {.kind = HoursKind::kTraining,
             .included_minutes = 4 * 60,
             .carry_over = CarryOver::kCapped,
             .carry_over_cap_minutes = 24 * 60}};
  }
  return {};
}

PeriodBalance BalanceFor(const HoursPackage& package, HoursPeriod first, HoursPeriod target,
                         const UsageByPeriod& usage) {
  const auto used_in = [&usage](HoursPeriod period) -> int64_t {
    const auto found = usage.find(period);
    return found == usage.end() ? 0 : found->second;
  };
  int64_t carried_in = 0;
  // Fold forward; a target before the first period simply gets no carry-over.
  for (HoursPeriod period = first; period < target; period = NextPeriod(period)) {
    if (package.carry_over == CarryOver::kNone) break;
    const int64_t used = used_in(period);
    // Carried minutes go first; what is left of the included ones may carry (capped).
    const int64_t used_of_included = std::max<int64_t>(0, used - carried_in);
    const int64_t unused_included =
        std::max<int64_t>(0, package.included_minutes - used_of_included);
    carried_in = std::min(unused_included, package.carry_over_cap_minutes);
  }
  PeriodBalance balance;
  balance.kind = package.kind;
  balance.period = target;
  balance.included_minutes = package.included_minutes;
  balance.carried_in_minutes = carried_in;
  balance.available_minutes = package.included_minutes + carried_in;
  balance.used_minutes = used_in(target);
  balance.remaining_minutes =
      std::max<int64_t>(0, balance.available_minutes - balance.used_minutes);
  balance.overrun_minutes = std::max<int64_t>(0, balance.used_minutes - balance.available_minutes);
  if (balance.available_minutes > 0) {
    balance.percent_used = static_cast<int>(balance.used_minutes * 100 / balance.available_minutes);
  } else {
    balance.percent_used = balance.used_minutes > 0 ? 100 : 0;
  }
  return balance;
}

std::vector<int> ReachedThresholds(const HoursPackage& package, int64_t available_minutes,
                                   int64_t used_minutes) {
  std::vector<int> reached;
  if (used_minutes <= 0) return reached;
  for (int threshold : package.thresholds_percent) {
    if (used_minutes * 100 >= int64_t{threshold} * available_minutes) reached.push_back(threshold);
  }
  return reached;
}

const HoursPackage* FindPackage(const std::vector<HoursPackage>& packages, HoursKind kind) {
  for (const HoursPackage& package : packages) {
    if (package.kind == kind) return &package;
  }
  return nullptr;
}

}  // namespace casedesk::core

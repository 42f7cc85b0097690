#include "core/severity.h"

namespace casedesk::core {

bool SeverityFromLevel(int level, Severity* severity) {
  if (level < 1 || level > 4) return false;
  *severity = static_cast<Severity>(level);
  return true;
}

absl::Status ValidateSeverityChange(Severity from, Severity to, SeverityChangeReason reason,
                                    std::string_view explanation) {
  if (from == to) {
    return absl::InvalidArgumentError("the case already has this severity");
  }
  if (explanation.empty()) {
    return absl::InvalidArgumentError("a severity change needs a reason (severity_reason)");
  }
  if (reason == SeverityChangeReason::kWorkaroundProvided &&
      !((from == Severity::kCritical || from == Severity::kMajor) && to == Severity::kMinor)) {
    return absl::InvalidArgumentError(
        "workaround_provided applies only to lowering severity 1 or 2 to 3");
  }
  return absl::OkStatus();
}

}  // namespace casedesk::core

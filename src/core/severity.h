// Case severity, 1 Critical .. 4 Other, and the configurable written definition of each level
// that customers see when they choose one. Thread-safe: value types.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/enum_names.h"

namespace casedesk::core {

enum class Severity { kCritical = 1, kMajor = 2, kMinor = 3, kOther = 4 };

inline constexpr std::array<std::pair<Severity, std::string_view>, 4> kSeverityNames{{
    {Severity::kCritical, "critical"},
    {Severity::kMajor, "major"},
    {Severity::kMinor, "minor"},
    {Severity::kOther, "other"},
}};

inline int SeverityLevel(Severity severity) { return static_cast<int>(severity); }
// Severity from its number 1..4; false when out of range.
bool SeverityFromLevel(int level, Severity* severity);

struct SeverityDefinition {
  Severity level = Severity::kMinor;
  std::string name;         // "Critical"
  std::string summary;      // one line
  std::string description;  // what qualifies
  std::vector<std::string> examples;
};

// Why a severity changed. A downgrade from 1 or 2 to 3 because a workaround was provided is a
// first-class reason, reported on its own.
enum class SeverityChangeReason { kTriage, kWorkaroundProvided, kCustomerRequest, kImpactChanged };

inline constexpr std::array<std::pair<SeverityChangeReason, std::string_view>, 4>
    kSeverityChangeReasonNames{{
        {SeverityChangeReason::kTriage, "triage"},
        {SeverityChangeReason::kWorkaroundProvided, "workaround_provided"},
        {SeverityChangeReason::kCustomerRequest, "customer_request"},
        {SeverityChangeReason::kImpactChanged, "impact_changed"},
    }};

// A change needs a written explanation; "workaround_provided" only fits a downgrade of a
// critical or major case to minor.
absl::Status ValidateSeverityChange(Severity from, Severity to, SeverityChangeReason reason,
                                    std::string_view explanation);

}  // namespace casedesk::core

// The preview an admin sees while editing a business-hours calendar: for an instant a case
// might open, when each SLA target that runs on the calendar would fall due. Thread-safe: pure
// functions over value types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/sla_policy.h"

namespace casedesk::core {

// A duration target to preview, e.g. {"Enterprise · severity 1 · first response", 60}.
struct PreviewTarget {
  std::string label;
  int64_t minutes = 0;
};

struct PreviewDue {
  PreviewTarget target;
  absl::Time due;
};

// The duration targets of `policy` (first response, update cadence, resolution, the after-hours
// clocks and the service-task estimate) that run on `calendar`; a target naming no calendar
// runs on the policy's business_calendar. Named targets ("next release") have no due instant
// and are left out. Labels start with `plan_label`; severities in order, 1 first.
std::vector<PreviewTarget> TargetsOnCalendar(const SlaPolicy& policy, std::string_view calendar,
                                             std::string_view plan_label);

// When each target falls due for a clock started at `from`, in the order given.
std::vector<PreviewDue> PreviewDueTimes(const BusinessCalendar& calendar, absl::Time from,
                                        const std::vector<PreviewTarget>& targets);

}  // namespace casedesk::core

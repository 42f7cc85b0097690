// The due-time preview of the console's calendar page: which SLA targets of which plans run on
// a calendar, and when each would fall due for a clock started at a given instant, on the stored
// calendar or on an edited one that is not saved yet. Provider staff only (PermissionDenied
// otherwise, as for the rest of the SLA configuration). Thread-safe: functions over the ports.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/business_calendar.h"
#include "core/calendar_preview.h"

namespace casedesk::app {

// Every plan's duration targets that run on the calendar `name`, plans in name order, each
// labelled with the plan's display name.
absl::StatusOr<std::vector<core::PreviewTarget>> CalendarPreviewTargets(AppContext& context,
                                                                        const core::Viewer& viewer,
                                                                        const std::string& name);

// Builds `spec` (InvalidArgument naming what is wrong with it) and computes the due instants.
absl::StatusOr<std::vector<core::PreviewDue>> PreviewCalendarDueTimes(
    const core::CalendarSpec& spec, absl::Time from,
    const std::vector<core::PreviewTarget>& targets);

}  // namespace casedesk::app

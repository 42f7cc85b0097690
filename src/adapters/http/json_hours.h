// JSON mapping for time entries and contract hours (issue 7): request bodies to app inputs with
// errors naming the field, and entries, hours and packages to their documents.
// Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/status/statusor.h"
#include "app/hours.h"
#include "core/hours_package.h"
#include "core/time_entry.h"
#include "ports/hours_records.h"

namespace casedesk::adapters::http {

// {minutes (required), billable, note, activity, kind, worked_at (RFC 3339)}.
absl::StatusOr<app::TimeEntryInput> TimeEntryInputFromJson(const nlohmann::json& body);
// {"packages": [{kind, included_minutes, carry_over, carry_over_cap_minutes,
// thresholds_percent}]}; included_hours may be given instead of included_minutes.
absl::StatusOr<std::vector<core::HoursPackage>> PackagesFromRequestJson(const nlohmann::json& body);

nlohmann::json TimeEntryToJson(const core::TimeEntry& entry);
nlohmann::json PackageToJson(const core::HoursPackage& package);
nlohmann::json OrgHoursToJson(const app::OrgHours& hours);
nlohmann::json OrgPackagesToJson(const ports::OrgHoursPackages& packages);

}  // namespace casedesk::adapters::http

// The status console's HTML forms read into the status use cases' requests. Only the shape is
// checked here (numbers, known status words, dates); every rule stays in the use cases.
// Errors are InvalidArgument naming the form field the way the use cases do ("status: ...").
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/status_components.h"
#include "app/status_incidents.h"
#include "core/ids.h"
#include "core/status_page.h"

namespace casedesk::adapters::http {

using FormFieldList = std::vector<std::pair<std::string, std::string>>;

// "Add a component": name, group.
absl::StatusOr<app::NewStatusComponent> ParseNewComponentForm(const FormFieldList& fields);
// A component's status form: status (a wire name such as "partial_outage").
absl::StatusOr<app::StatusComponentPatch> ParseComponentStatusForm(const FormFieldList& fields);
// "Open an incident": name, impact, component_id (repeated), component_status ("" leaves the
// components as they are), body, notify (present when ticked).
absl::StatusOr<app::NewIncident> ParseNewIncidentForm(const FormFieldList& fields);
// "Schedule maintenance": name, component_id (repeated), scheduled_for and scheduled_until
// (<input type="datetime-local"> values read in `zone`), body, notify.
absl::StatusOr<app::NewIncident> ParseNewMaintenanceForm(const FormFieldList& fields,
                                                         absl::TimeZone zone);
// "Post an update": status, body, component_status ("" unchanged), notify, linked_cases
// ("none", "update", "solve"; absent: none).
absl::StatusOr<app::IncidentUpdateRequest> ParseIncidentUpdateForm(const FormFieldList& fields);
// "Link a case": case_number.
absl::StatusOr<core::CaseNumber> ParseCaseNumberForm(const FormFieldList& fields);

// A datetime-local value ("2026-11-22T21:05", seconds allowed) as the instant it names in `zone`;
// `field` names the field in errors. A local time that the zone skips (clocks going forward) is
// refused; a repeated one (clocks going back) is its first occurrence.
absl::StatusOr<absl::Time> ParseLocalDateTime(std::string_view field, std::string_view text,
                                              absl::TimeZone zone);

}  // namespace casedesk::adapters::http

// Pieces of mustache data both status console pages use: the <option> lists of statuses and
// impacts in words, times as <time> values in the page's zone, an event's one-line summary,
// component names with their group, and a form's error state.
// Thread-safe: pure functions.
#pragma once

#include <initializer_list>
#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "adapters/web/console_form.h"
#include "core/status_page.h"

namespace casedesk::adapters::web {

using ConsoleData = kainjow::mustache::data;

// The five component statuses in words (value: the wire name), `selected` marked; with
// `unchanged_label` a first option of value "" with that label.
ConsoleData ComponentStatusOptions(std::string_view selected, std::string_view unchanged_label);
// The statuses of `kind`'s events in words.
ConsoleData IncidentStatusOptions(core::IncidentKind kind, std::string_view selected);
// The impacts an incident may have (none, minor, major, critical) in words.
ConsoleData ImpactOptions(std::string_view selected);

// Sets `prefix`_iso (RFC 3339 UTC) and `prefix`_text ("Nov 22, 21:05 CET") in `zone`.
void AddConsoleTime(ConsoleData& data, const std::string& prefix, absl::Time time,
                    absl::TimeZone zone);

// "Group – Name" for a member of a group, else the name.
std::string ComponentLabel(const std::vector<core::StatusComponent>& components,
                           const core::StatusComponent& component);
// The name of component `id`, or "component {id}" when it is gone.
std::string ComponentName(const std::vector<core::StatusComponent>& components,
                          core::ComponentId id);

// One incident or maintenance as a list entry: id, name, kind, status and impact words, the
// time of its last change (closed ones: when they closed).
ConsoleData EventSummary(const core::Incident& event, absl::TimeZone zone);

// A form's error state: form_error (the text or false), form_error_id (`error_id`), and
// invalid_FIELD for each of `fields` (true when the error names that field). Every key is set,
// so a form never picks up another form's error from an enclosing context.
void AddFormState(ConsoleData& data, const PostedForm& form, std::string_view form_name,
                  std::string_view error_id, std::initializer_list<std::string_view> fields);

}  // namespace casedesk::adapters::web

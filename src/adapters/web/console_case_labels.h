// The words the staff console's case pages use for case values (statuses, severities, audit
// event kinds, SLA clocks and their states) and for instants: an absolute UTC time and a
// countdown ("due in 2 h 5 min", "overdue by 12 min") that console.js keeps ticking. Words and
// icons always accompany colours. Thread-safe: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "core/case.h"
#include "core/severity.h"
#include "core/sla_clocks.h"

namespace casedesk::adapters::web {

// "New", "Open", "Pending", "On hold", "Solved", "Closed".
std::string_view CaseStatusText(core::CaseStatus status);
// "1 · Critical" .. "4 · Other".
std::string SeverityText(core::Severity severity);
// A shape per severity so the level is visible without colour: "!!", "!", "•", "○".
std::string_view SeverityIcon(core::Severity severity);

// "First response", "Next update", "Resolution", "Triage", "Status notification".
std::string_view ClockText(core::SlaClockKind kind);
// "Running", "Paused", "Not started", "Stopped", "Achieved".
std::string_view ClockStateText(core::SlaClockState state);

// "Case opened", "Status or fields changed", "Public reply", "Internal note", ...; an unknown
// kind is shown as it is.
std::string EventKindText(std::string_view kind);

// Who `id` is on a page: their name from `names`, "the system" for 0, "user N" when unknown.
std::string PersonName(const std::map<core::UserId, std::string>& names, core::UserId id);

// RFC 3339 in UTC, for <time datetime>.
std::string IsoTime(absl::Time time);
// "2026-11-23 14:05 UTC".
std::string ShortTime(absl::Time time);
// "in 2 h 5 min", "overdue by 12 min", "due now" relative to `now` (minute precision).
std::string CountdownText(absl::Time due, absl::Time now);

}  // namespace casedesk::adapters::web

// The staff console's business-hours calendar pages: the list (/console/admin/calendars) and one
// calendar (/console/admin/calendars/{name}) as a form (time zone, each weekday's windows,
// holidays) with a preview of when each SLA target running on the calendar would fall due for a
// clock started at a chosen instant. Admins save; other staff preview only. All text is escaped
// by the templates. Thread-safe: pure functions.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "adapters/web/console_layout.h"
#include "app/sla_configuration.h"
#include "core/calendar_preview.h"

namespace casedesk::adapters::web {

// The weekday keys of a calendar document, Monday first, with the names the form shows.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kCalendarDays{{
    {"mon", "Monday"},
    {"tue", "Tuesday"},
    {"wed", "Wednesday"},
    {"thu", "Thursday"},
    {"fri", "Friday"},
    {"sat", "Saturday"},
    {"sun", "Sunday"},
}};

struct ConsoleCalendarListView {
  std::vector<app::CalendarEntry> calendars;  // by name
  bool may_edit = false;                      // admins: the "new calendar" form
  std::string error;                          // a refused new name
};

// The form's fields as text: what is stored, or what was posted.
struct CalendarFormText {
  std::string time_zone;
  std::array<std::string, 7> days;  // windows "08:00-17:00, 18:00-20:00", kCalendarDays order
  std::string holidays;             // one date per line
};

struct ConsoleCalendarView {
  std::string name;
  bool is_new = false;     // no calendar of this name yet
  bool shipped = false;    // the shipped document applies
  bool may_edit = false;   // admins
  bool deletable = false;  // a stored document (deleting a replacement restores the shipped one)
  CalendarFormText form;
  std::string error;  // why the posted calendar was refused, shown at the form

  // The preview: the clock's start as the form shows it (calendar-local, "YYYY-MM-DDTHH:MM"),
  // the zone it is read in, the targets' due instants, and an optional extra target.
  std::string from_local;
  std::string extra_minutes;
  absl::TimeZone zone = absl::UTCTimeZone();
  bool previewed = false;
  bool unsaved = false;  // the preview is of the posted form, not of what is stored
  absl::Time from = absl::InfinitePast();
  std::vector<core::PreviewDue> due;
};

// The form's text for a stored or shipped calendar.
CalendarFormText CalendarFormFromSpec(const core::CalendarSpec& spec);

std::string RenderConsoleCalendarListPage(const ConsoleFrame& frame,
                                          const ConsoleCalendarListView& view);
std::string RenderConsoleCalendarPage(const ConsoleFrame& frame, const ConsoleCalendarView& view);

}  // namespace casedesk::adapters::web

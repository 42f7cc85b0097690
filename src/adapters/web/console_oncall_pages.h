// The staff console's on-call schedule pages: the list (/console/admin/oncall) with who is on
// call on each schedule now, and one schedule (/console/admin/oncall/{name}) as a form: display
// name, time zone, layers (name, start, turn length, participants in turn order, weekly
// restriction windows) and overrides, with who is on call now and the next hand-overs. The form
// shows the stored rows and blank ones; a blank row is dropped on save. Admins save and delete;
// other staff read. All text is escaped by the templates. Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "adapters/web/console_escalation_pages.h"
#include "adapters/web/console_layout.h"
#include "core/oncall_schedule.h"

namespace casedesk::adapters::web {

struct OnCallLayerText {
  std::string name;
  std::string start;                      // local "YYYY-MM-DDTHH:MM"
  std::string turn;                       // minutes
  std::vector<std::string> participants;  // user ids, in turn order; "" for an empty slot
  std::string restrictions;               // "mon 22:00-06:00, sat 00:00-24:00"
};

struct OnCallOverrideText {
  std::string user;   // user id
  std::string start;  // local "YYYY-MM-DDTHH:MM" in the schedule's zone
  std::string end;
  std::string reason;
};

// The form's fields as text: what is stored, or what was posted.
struct OnCallFormText {
  std::string display_name;
  std::string time_zone;
  std::vector<OnCallLayerText> layers;
  std::vector<OnCallOverrideText> overrides;
};

// "mon 22:00-06:00, sat 00:00-24:00".
std::string OnCallRestrictionsText(const std::vector<core::OnCallWindow>& windows);
// The form of a stored schedule (override instants shown in `zone`), with `blank_layers` blank
// layer rows, at least `min_participants` participant slots and one blank slot per layer, and
// `blank_overrides` blank override rows.
OnCallFormText OnCallFormFromSchedule(const core::OnCallSchedule& schedule,
                                      const absl::TimeZone& zone, int blank_layers,
                                      int min_participants, int blank_overrides);

// Someone's stretch on call.
struct OnCallShiftText {
  std::string who;    // their name, or "user 12"
  std::string layer;  // the layer's name, or "override"
  absl::Time since;
  absl::Time until;
  bool open_ended = false;  // nothing changes within the search horizon after `since`
};

struct ConsoleOnCallListRow {
  std::string name;
  std::string display_name;
  std::string time_zone;
  bool has_shift = false;  // someone is on call now
  OnCallShiftText shift;
  std::string problem;  // why "now" could not be answered, or ""
};

struct ConsoleOnCallListView {
  std::vector<ConsoleOnCallListRow> rows;  // one page, by name
  std::string next_after;                  // the next page starts after this name; "" none
  bool may_edit = false;
  std::string error;
};

struct ConsoleOnCallView {
  std::string name;
  bool is_new = false;
  bool may_edit = false;
  OnCallFormText form;
  std::vector<EscalationChoice> people;  // value: user id
  std::string error;
  // Who is on call now and the next hand-overs (shifts[0] is now), in the schedule's zone.
  bool has_schedule = false;  // a stored schedule answers "now"
  absl::TimeZone zone = absl::UTCTimeZone();
  std::vector<OnCallShiftText> shifts;
  std::string now_problem;  // why nobody could be computed, or ""
};

std::string RenderConsoleOnCallListPage(const ConsoleFrame& frame,
                                        const ConsoleOnCallListView& view);
std::string RenderConsoleOnCallPage(const ConsoleFrame& frame, const ConsoleOnCallView& view);

}  // namespace casedesk::adapters::web

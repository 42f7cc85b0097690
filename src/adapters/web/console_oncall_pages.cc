// The on-call schedule pages (see console_oncall_pages.h).
#include "adapters/web/console_oncall_pages.h"

#include <algorithm>
#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_escalation_templates.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

using Data = kainjow::mustache::data;

std::string OnCallTimeText(absl::Time time, const absl::TimeZone& zone) {
  return absl::StrCat(absl::FormatTime("%a %e %b %Y %H:%M", time, zone), " ", zone.name());
}

// The options of a person select: "(nobody)" and the people, `current` selected (kept as its
// own option when the list does not have it).
Data OnCallPersonOptions(const std::vector<EscalationChoice>& people, const std::string& current) {
  Data options = EmptyList();
  const auto add = [&options](std::string value, std::string label, bool selected) {
    Data option = EmptyObject();
    option.set("value", CleanText(value));
    option.set("label", CleanText(label));
    option.set("selected", selected);
    options.push_back(option);
  };
  add("", "(nobody)", current.empty());
  bool found = current.empty();
  for (const EscalationChoice& person : people) {
    found = found || person.value == current;
    add(person.value, person.label, person.value == current);
  }
  if (!found) add(current, absl::StrCat("user ", current), true);
  return options;
}

Data OnCallShiftData(const OnCallShiftText& shift, const absl::TimeZone& zone, bool first) {
  Data row = EmptyObject();
  row.set("first", first);
  row.set("who", CleanText(shift.who));
  row.set("layer", CleanText(shift.layer));
  row.set("since", CleanText(OnCallTimeText(shift.since, zone)));
  row.set("since_iso", IsoTime(shift.since));
  row.set("until", CleanText(OnCallTimeText(shift.until, zone)));
  row.set("until_iso", IsoTime(shift.until));
  row.set("open_ended", shift.open_ended);
  return row;
}

}  // namespace

std::string OnCallRestrictionsText(const std::vector<core::OnCallWindow>& windows) {
  std::vector<std::string> parts;
  for (const core::OnCallWindow& window : windows) {
    std::string day = "mon";
    for (const auto& [weekday, key] : core::kWeekdayKeys) {
      if (weekday == window.day) day = std::string(key);
    }
    parts.push_back(absl::StrCat(day, " ", core::OnCallWindowText(window)));
  }
  return absl::StrJoin(parts, ", ");
}

OnCallFormText OnCallFormFromSchedule(const core::OnCallSchedule& schedule,
                                      const absl::TimeZone& zone, int blank_layers,
                                      int min_participants, int blank_overrides) {
  OnCallFormText form;
  form.display_name = schedule.display_name;
  form.time_zone = schedule.time_zone;
  for (const core::OnCallLayer& layer : schedule.layers) {
    OnCallLayerText text;
    text.name = layer.name;
    text.start = absl::FormatCivilTime(layer.start).substr(0, 16);
    text.turn = std::to_string(layer.turn_minutes);
    for (core::UserId id : layer.participants) text.participants.push_back(std::to_string(id));
    text.participants.resize(
        std::max<size_t>(text.participants.size() + 1, static_cast<size_t>(min_participants)));
    text.restrictions = OnCallRestrictionsText(layer.restrictions);
    form.layers.push_back(std::move(text));
  }
  for (int i = 0; i < blank_layers; ++i) {
    OnCallLayerText text;
    text.turn = "10080";
    text.participants.resize(std::max(min_participants, 1));
    form.layers.push_back(std::move(text));
  }
  for (const core::OnCallOverride& entry : schedule.overrides) {
    form.overrides.push_back({std::to_string(entry.user),
                              absl::FormatTime("%Y-%m-%dT%H:%M", entry.start, zone),
                              absl::FormatTime("%Y-%m-%dT%H:%M", entry.end, zone), entry.reason});
  }
  form.overrides.resize(form.overrides.size() + blank_overrides);
  return form;
}

std::string RenderConsoleOnCallListPage(const ConsoleFrame& frame,
                                        const ConsoleOnCallListView& view) {
  Data data = EmptyObject();
  Data rows = EmptyList();
  for (const ConsoleOnCallListRow& entry : view.rows) {
    absl::TimeZone zone = absl::UTCTimeZone();
    absl::LoadTimeZone(entry.time_zone, &zone);
    Data row = OnCallShiftData(entry.shift, zone, false);
    row.set("name", CleanText(entry.name));
    row.set("display_name", CleanTextOrFalse(entry.display_name));
    row.set("time_zone", CleanText(entry.time_zone));
    row.set("has_shift", entry.has_shift);
    row.set("problem", CleanTextOrFalse(entry.problem));
    rows.push_back(row);
  }
  data.set("has_rows", !view.rows.empty());
  data.set("rows", rows);
  data.set("next_href",
           view.next_after.empty()
               ? Data(false)
               : Data(CleanText(absl::StrCat("/console/admin/oncall?after=", view.next_after))));
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  return RenderConsoleDocument(frame, data, OnCallListTemplate());
}

std::string RenderConsoleOnCallPage(const ConsoleFrame& frame, const ConsoleOnCallView& view) {
  Data data = EmptyObject();
  data.set("name", CleanText(view.name));
  data.set("is_new", view.is_new);
  data.set("may_edit", view.may_edit);
  data.set("deletable", view.may_edit && !view.is_new);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("display_name", CleanText(view.form.display_name));
  data.set("time_zone", CleanText(view.form.time_zone));
  data.set("has_schedule", view.has_schedule);
  data.set("has_shifts", !view.shifts.empty());
  data.set("now_problem", CleanTextOrFalse(view.now_problem));
  Data shifts = EmptyList();
  for (size_t i = 0; i < view.shifts.size(); ++i) {
    shifts.push_back(OnCallShiftData(view.shifts[i], view.zone, i == 0));
  }
  data.set("shifts", shifts);
  Data layers = EmptyList();
  for (size_t i = 0; i < view.form.layers.size(); ++i) {
    const OnCallLayerText& layer = view.form.layers[i];
    const bool blank =
        layer.name.empty() && std::all_of(layer.participants.begin(), layer.participants.end(),
                                          [](const std::string& p) { return p.empty(); });
    Data row = EmptyObject();
    row.set("index", std::to_string(i));
    row.set("number", std::to_string(i + 1));
    row.set("blank", blank);
    row.set("layer_name", CleanText(layer.name));
    row.set("start", CleanText(layer.start));
    row.set("turn", CleanText(layer.turn));
    row.set("restrictions", CleanText(layer.restrictions));
    Data participants = EmptyList();
    for (size_t slot = 0; slot < layer.participants.size(); ++slot) {
      Data participant = EmptyObject();
      participant.set("slot", std::to_string(slot));
      participant.set("slot_number", std::to_string(slot + 1));
      participant.set("options", OnCallPersonOptions(view.people, layer.participants[slot]));
      participants.push_back(participant);
    }
    row.set("participants", participants);
    layers.push_back(row);
  }
  data.set("layers", layers);
  Data overrides = EmptyList();
  for (size_t i = 0; i < view.form.overrides.size(); ++i) {
    const OnCallOverrideText& entry = view.form.overrides[i];
    Data row = EmptyObject();
    row.set("index", std::to_string(i));
    row.set("number", std::to_string(i + 1));
    row.set("blank", entry.user.empty() && entry.start.empty() && entry.end.empty());
    row.set("options", OnCallPersonOptions(view.people, entry.user));
    row.set("start", CleanText(entry.start));
    row.set("end", CleanText(entry.end));
    row.set("reason", CleanText(entry.reason));
    overrides.push_back(row);
  }
  data.set("overrides", overrides);
  return RenderConsoleDocument(frame, data, OnCallScheduleTemplate());
}

}  // namespace casedesk::adapters::web

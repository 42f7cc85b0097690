#include "adapters/web/status_page_model.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "adapters/web/status_labels.h"
#include "adapters/web/status_page_templates.h"
#include "adapters/web/status_time.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = StatusPageModel::Data;
using core::IncidentStatus;

Data Text(std::string_view text) { return Data{CleanText(text)}; }
void AddStatus(Data& data, const StatusLabel& label) {
  data.set("status_css", std::string(label.css));
  data.set("status_icon", std::string(label.icon));
  data.set("status_text", std::string(label.text));
}

// Truncated, not rounded, so a day with any downtime never shows 100.00%.
std::string Percent(double fraction) {
  const double hundredths = std::floor(std::clamp(fraction, 0.0, 1.0) * 10000 + 1e-6);
  return absl::StrFormat("%.2f%%", hundredths / 100);
}

bool Hidden(const core::StatusComponent& component) {
  return component.only_show_if_degraded && component.status == core::ComponentStatus::kOperational;
}

absl::Time ClosedAt(const core::Incident& event) {
  return event.resolved_at ? *event.resolved_at : event.updated_at;
}

}  // namespace

StatusPageModel::StatusPageModel(const app::StatusPageSnapshot& snapshot)
    : snapshot_(snapshot), zone_(PageTimeZone(snapshot.page.time_zone)) {}

void StatusPageModel::AddTime(Data& data, const std::string& prefix, absl::Time time) const {
  data.set(prefix + "_iso", IsSet(time) ? Rfc3339Utc(time) : std::string());
  data.set(prefix + "_text", IsSet(time) ? DisplayTime(time, zone_) : std::string("unknown"));
}

Data StatusPageModel::Layout(const std::string& doc_title, const std::string& notice,
                             const std::string& error, bool live, bool show_subscribe) const {
  Data data = EmptyObject();
  data.set("doc_title", Text(doc_title));
  data.set("page_name", Text(snapshot_.page.name));
  data.set("notice", CleanTextOrFalse(notice));
  data.set("error", CleanTextOrFalse(error));
  data.set("live", live);
  data.set("show_subscribe", show_subscribe);
  data.set("zone_name", Text(snapshot_.page.time_zone.empty() ? "UTC" : snapshot_.page.time_zone));
  data.set("subscribe", PartialData(SubscribePartial()));
  data.set("event", PartialData(EventPartial()));
  data.set("event_details", PartialData(EventDetailsPartial()));
  data.set("timeline", PartialData(TimelinePartial()));
  data.set("body", PartialData(BodyPartial()));
  data.set("component", PartialData(ComponentPartial()));
  data.set("status_badge", PartialData(StatusBadgePartial()));
  if (show_subscribe) AddSubscribeChoices(data);
  return data;
}

Data StatusPageModel::Body(const std::string& text) const {
  // Paragraphs split at blank lines; the lines inside one keep their breaks.
  std::string normalised = CleanText(text);
  normalised.erase(std::remove(normalised.begin(), normalised.end(), '\r'), normalised.end());
  Data paragraphs = EmptyList();
  std::vector<std::string> lines;
  const auto flush = [&] {
    if (lines.empty()) return;
    Data line_list = EmptyList();
    for (size_t i = 0; i < lines.size(); ++i) {
      Data line = EmptyObject();
      line.set("line", lines[i]);
      line.set("more", i + 1 < lines.size());
      line_list.push_back(line);
    }
    Data paragraph = EmptyObject();
    paragraph.set("lines", line_list);
    paragraphs.push_back(paragraph);
    lines.clear();
  };
  for (absl::string_view line : absl::StrSplit(normalised, '\n')) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      flush();
    } else {
      lines.emplace_back(line);
    }
  }
  flush();
  Data body = EmptyObject();
  body.set("paragraphs", paragraphs);
  return body;
}

Data StatusPageModel::Event(const core::Incident& event) const {
  Data data = EmptyObject();
  AddEvent(event, data);
  return data;
}

void StatusPageModel::AddEvent(const core::Incident& event, Data& data) const {
  const bool maintenance = event.kind == core::IncidentKind::kMaintenance;
  data.set("event_id", absl::StrCat(event.id));
  data.set("event_name", Text(event.name));
  data.set("event_kind", maintenance ? "Maintenance" : "Incident");
  data.set("event_status", std::string(IncidentStatusWord(event.status)));
  data.set("is_incident", !maintenance);
  const core::IncidentImpact impact =
      maintenance ? core::IncidentImpact::kMaintenance : event.impact;
  data.set("impact_css", std::string(core::NameOf(core::IncidentImpactNames(), impact)));
  data.set("impact_word", std::string(ImpactWord(impact)));
  const bool has_window = maintenance && event.scheduled_for && event.scheduled_until;
  data.set("has_window", has_window);
  if (has_window) {
    AddTime(data, "window_from", *event.scheduled_for);
    AddTime(data, "window_until", *event.scheduled_until);
  }
  std::vector<std::string> affected;
  for (const core::ComponentId id : event.component_ids) {
    for (const core::StatusComponent& component : snapshot_.components) {
      if (component.id == id) affected.push_back(CleanText(component.name));
    }
  }
  data.set("has_affected", !affected.empty());
  data.set("affected_names", absl::StrJoin(affected, ", "));
  Data updates = EmptyList();
  for (const core::IncidentUpdate& update : event.updates) {
    Data item = Body(update.body);
    item.set("update_status", std::string(IncidentStatusWord(update.status)));
    AddTime(item, "update", IsSet(update.display_at) ? update.display_at : update.created_at);
    updates.push_back(item);
  }
  data.set("has_updates", !event.updates.empty());
  data.set("updates", updates);
  AddTime(data, "closed", ClosedAt(event));
  data.set("latest", event.updates.empty() ? Data{false} : Body(event.updates.front().body));
}

Data StatusPageModel::Bars(const std::vector<core::UptimeDay>& days) const {
  Data bars = EmptyList();
  for (const core::UptimeDay& day : days) {
    Data bar = EmptyObject();
    if (day.has_data) {
      bar.set("bar_css", std::string(ComponentStatusLabel(day.worst).css));
      bar.set("bar_title", absl::StrCat(DisplayDay(day.day), ": ", Percent(day.uptime), " uptime, ",
                                        std::string(ComponentStatusPhrase(day.worst))));
    } else {
      bar.set("bar_css", "nodata");
      bar.set("bar_title", absl::StrCat(DisplayDay(day.day), ": no data"));
    }
    bars.push_back(bar);
  }
  return bars;
}

Data StatusPageModel::Component(const core::StatusComponent& component, bool top_level) const {
  Data data = EmptyObject();
  data.set("name", Text(component.name));
  data.set("heading", top_level ? "h3" : "h4");
  data.set("is_group", component.is_group);
  AddStatus(data, ComponentStatusLabel(component.status));
  data.set("has_description", !component.description.empty());
  data.set("description", Text(component.description));
  const auto uptime = snapshot_.uptime.find(component.id);
  const bool has_uptime = !component.is_group && uptime != snapshot_.uptime.end();
  data.set("has_uptime", has_uptime);
  data.set("bars", has_uptime ? Bars(uptime->second) : EmptyList());
  data.set("uptime_percent", has_uptime ? Percent(core::OverallUptime(uptime->second)) : "");
  Data members = EmptyList();
  bool has_members = false;
  if (component.is_group) {
    for (const core::StatusComponent& member : snapshot_.components) {
      if (member.is_group || member.group_id != component.id || Hidden(member)) continue;
      members.push_back(Component(member, false));
      has_members = true;
    }
  }
  data.set("has_members", has_members);
  data.set("members", members);
  return data;
}

void StatusPageModel::AddStatusMain(Data& data) const {
  const StatusLabel indicator = IndicatorLabel(snapshot_.indicator.indicator);
  data.set("indicator_css", std::string(indicator.css));
  data.set("indicator_icon", std::string(indicator.icon));
  data.set("indicator_text", snapshot_.indicator.description.empty()
                                 ? std::string("Status unknown")
                                 : std::string(snapshot_.indicator.description));
  data.set("has_updated", IsSet(snapshot_.updated_at));
  AddTime(data, "updated", snapshot_.updated_at);

  Data active_incidents = EmptyList();
  bool has_active_incidents = false;
  for (const core::Incident& incident : snapshot_.incidents) {
    if (core::IsClosedStatus(incident.status)) continue;
    active_incidents.push_back(Event(incident));
    has_active_incidents = true;
  }
  data.set("has_active_incidents", has_active_incidents);
  data.set("active_incidents", active_incidents);

  Data active_maintenances = EmptyList();
  bool has_active_maintenances = false;
  std::vector<const core::Incident*> upcoming;
  for (const core::Incident& maintenance : snapshot_.maintenances) {
    if (maintenance.status == IncidentStatus::kScheduled) upcoming.push_back(&maintenance);
    if (maintenance.status != IncidentStatus::kInProgress &&
        maintenance.status != IncidentStatus::kVerifying) {
      continue;
    }
    active_maintenances.push_back(Event(maintenance));
    has_active_maintenances = true;
  }
  data.set("has_active_maintenances", has_active_maintenances);
  data.set("active_maintenances", active_maintenances);
  // Upcoming maintenance soonest first.
  std::stable_sort(upcoming.begin(), upcoming.end(), [](const auto* a, const auto* b) {
    return a->scheduled_for.value_or(a->created_at) < b->scheduled_for.value_or(b->created_at);
  });
  Data upcoming_list = EmptyList();
  for (const core::Incident* maintenance : upcoming) upcoming_list.push_back(Event(*maintenance));
  data.set("has_upcoming_maintenances", !upcoming.empty());
  data.set("upcoming_maintenances", upcoming_list);

  Data top = EmptyList();
  bool has_components = false;
  for (const core::StatusComponent& component : snapshot_.components) {
    const bool in_group =
        component.group_id != 0 &&
        std::any_of(snapshot_.components.begin(), snapshot_.components.end(),
                    [&](const auto& g) { return g.is_group && g.id == component.group_id; });
    if (in_group || Hidden(component)) continue;
    top.push_back(Component(component, true));
    has_components = true;
  }
  data.set("has_components", has_components);
  data.set("top_components", top);

  // Closed incidents and completed maintenance, most recently closed first.
  std::vector<const core::Incident*> closed;
  for (const auto* events : {&snapshot_.incidents, &snapshot_.maintenances}) {
    for (const core::Incident& event : *events) {
      if (core::IsClosedStatus(event.status)) closed.push_back(&event);
    }
  }
  std::stable_sort(closed.begin(), closed.end(),
                   [](const auto* a, const auto* b) { return ClosedAt(*a) > ClosedAt(*b); });
  Data history = EmptyList();
  for (const core::Incident* event : closed) history.push_back(Event(*event));
  data.set("has_history", !closed.empty());
  data.set("history", history);
}

void StatusPageModel::AddSubscribeChoices(Data& data) const {
  Data choices = EmptyList();
  bool has_choices = false;
  for (const core::StatusComponent& component : snapshot_.components) {
    if (component.is_group) continue;
    std::string label = component.name;
    for (const core::StatusComponent& group : snapshot_.components) {
      if (group.is_group && group.id == component.group_id) {
        label = absl::StrCat(group.name, " \u2013 ", component.name);
      }
    }
    Data choice = EmptyObject();
    choice.set("choice_id", absl::StrCat(component.id));
    choice.set("choice_name", Text(label));
    choices.push_back(choice);
    has_choices = true;
  }
  data.set("has_choices", has_choices);
  data.set("choices", choices);
}

}  // namespace casedesk::adapters::web

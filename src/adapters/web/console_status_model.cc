#include "adapters/web/console_status_model.h"

#include "absl/strings/str_cat.h"
#include "adapters/web/status_labels.h"
#include "adapters/web/status_time.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

using Data = ConsoleData;

Data Option(std::string_view value, std::string_view label, bool selected) {
  Data option{Data::type::object};
  option.set("value", std::string(value));
  option.set("label", std::string(label));
  option.set("selected", selected);
  return option;
}

}  // namespace

Data ComponentStatusOptions(std::string_view selected, std::string_view unchanged_label) {
  Data options{Data::type::list};
  if (!unchanged_label.empty()) options.push_back(Option("", unchanged_label, selected.empty()));
  for (const auto& [status, name] : core::ComponentStatusNames()) {
    options.push_back(Option(name, ComponentStatusLabel(status).text, name == selected));
  }
  return options;
}

Data IncidentStatusOptions(core::IncidentKind kind, std::string_view selected) {
  Data options{Data::type::list};
  for (const auto& [status, name] : core::IncidentStatusNames()) {
    if (!core::StatusBelongsTo(kind, status)) continue;
    options.push_back(Option(name, IncidentStatusWord(status), name == selected));
  }
  return options;
}

Data ImpactOptions(std::string_view selected) {
  Data options{Data::type::list};
  for (const auto& [impact, name] : core::IncidentImpactNames()) {
    if (impact == core::IncidentImpact::kMaintenance) continue;
    options.push_back(Option(name, ImpactWord(impact), name == selected));
  }
  return options;
}

void AddConsoleTime(Data& data, const std::string& prefix, absl::Time time, absl::TimeZone zone) {
  data.set(prefix + "_iso", IsSet(time) ? Rfc3339Utc(time) : std::string());
  data.set(prefix + "_text", IsSet(time) ? DisplayTime(time, zone) : std::string("unknown"));
}

std::string ComponentLabel(const std::vector<core::StatusComponent>& components,
                           const core::StatusComponent& component) {
  for (const core::StatusComponent& group : components) {
    if (group.is_group && group.id == component.group_id) {
      return CleanText(absl::StrCat(group.name, " \u2013 ", component.name));
    }
  }
  return CleanText(component.name);
}

std::string ComponentName(const std::vector<core::StatusComponent>& components,
                          core::ComponentId id) {
  for (const core::StatusComponent& component : components) {
    if (component.id == id) return ComponentLabel(components, component);
  }
  return absl::StrCat("component ", id);
}

Data EventSummary(const core::Incident& event, absl::TimeZone zone) {
  const bool maintenance = event.kind == core::IncidentKind::kMaintenance;
  Data data{Data::type::object};
  data.set("event_id", absl::StrCat(event.id));
  data.set("event_name", CleanText(event.name));
  data.set("event_kind", maintenance ? "Maintenance" : "Incident");
  data.set("event_status", std::string(IncidentStatusWord(event.status)));
  data.set("is_incident", !maintenance);
  data.set("impact_word", std::string(ImpactWord(event.impact)));
  data.set("impact_css", std::string(core::NameOf(core::IncidentImpactNames(), event.impact)));
  const bool closed = core::IsClosedStatus(event.status);
  data.set("changed_verb", closed ? (maintenance ? "Completed" : "Resolved") : "Updated");
  AddConsoleTime(data, "changed",
                 closed && event.resolved_at ? *event.resolved_at : event.updated_at, zone);
  const bool has_window = maintenance && event.scheduled_for && event.scheduled_until;
  data.set("has_window", has_window);
  if (has_window) {
    AddConsoleTime(data, "window_from", *event.scheduled_for, zone);
    AddConsoleTime(data, "window_until", *event.scheduled_until, zone);
  }
  return data;
}

void AddFormState(Data& data, const PostedForm& form, std::string_view form_name,
                  std::string_view error_id, std::initializer_list<std::string_view> fields) {
  const bool failed = form.Is(form_name) && !form.error.empty();
  data.set("form_error", failed ? Data{CleanText(form.error)} : Data{false});
  data.set("form_error_id", std::string(error_id));
  const std::string field = failed ? form.ErrorField() : std::string();
  for (std::string_view name : fields) {
    data.set(absl::StrCat("invalid_", std::string(name)), !field.empty() && field == name);
  }
}

}  // namespace casedesk::adapters::web

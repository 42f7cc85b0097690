// The overview of the status console (RenderConsoleStatusPage); the incident page is in
// console_incident_page.cc.
#include "adapters/web/console_status_page.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/console_status_templates.h"
#include "adapters/web/status_labels.h"
#include "adapters/web/status_page_templates.h"
#include "adapters/web/status_time.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = ConsoleData;

void AddStatus(Data& data, core::ComponentStatus status) {
  const StatusLabel label = ComponentStatusLabel(status);
  data.set("status_css", std::string(label.css));
  data.set("status_icon", std::string(label.icon));
  data.set("status_text", std::string(label.text));
}

bool InGroup(const std::vector<core::StatusComponent>& components,
             const core::StatusComponent& component) {
  return component.group_id != 0 &&
         std::any_of(components.begin(), components.end(), [&](const auto& group) {
           return group.is_group && group.id == component.group_id;
         });
}

// A component with its status form; after a refused change of this component, the status as
// chosen and the error.
Data ComponentRow(const core::StatusComponent& component, const PostedForm& form, bool top) {
  const std::string id = absl::StrCat(component.id);
  const std::string form_name = absl::StrCat("component-", id);
  Data row = EmptyObject();
  row.set("component_id", id);
  row.set("name", CleanText(component.name));
  row.set("heading", top ? "h3" : "h4");
  AddStatus(row, component.status);
  const std::string selected =
      form.Is(form_name)
          ? form.Value("status")
          : std::string(core::NameOf(core::ComponentStatusNames(), component.status));
  row.set("status_options", ComponentStatusOptions(selected, ""));
  AddFormState(row, form, form_name, absl::StrCat("component-", id, "-error"), {});
  return row;
}

Data Components(const ConsoleStatusView& view) {
  Data top = EmptyList();
  for (const core::StatusComponent& component : view.components) {
    if (InGroup(view.components, component)) continue;
    if (!component.is_group) {
      Data block = ComponentRow(component, view.form, true);
      block.set("is_group", false);
      top.push_back(block);
      continue;
    }
    std::vector<core::StatusComponent> members;
    Data member_rows = EmptyList();
    for (const core::StatusComponent& member : view.components) {
      if (member.is_group || member.group_id != component.id) continue;
      members.push_back(member);
      member_rows.push_back(ComponentRow(member, view.form, false));
    }
    Data block = EmptyObject();
    block.set("is_group", true);
    block.set("name", CleanText(component.name));
    AddStatus(block, core::GroupStatus(members));
    block.set("has_members", !members.empty());
    block.set("members", member_rows);
    top.push_back(block);
  }
  return top;
}

// The component checkboxes of the incident or maintenance form, as posted when it was refused.
Data ComponentChoices(const ConsoleStatusView& view, std::string_view form_name, Data& form) {
  Data choices = EmptyList();
  bool any = false;
  for (const core::StatusComponent& component : view.components) {
    if (component.is_group) continue;
    const std::string id = absl::StrCat(component.id);
    Data choice = EmptyObject();
    choice.set("choice_id", id);
    choice.set("choice_name", ComponentLabel(view.components, component));
    choice.set("checked", view.form.Is(form_name) && view.form.Has("component_id", id));
    choices.push_back(choice);
    any = true;
  }
  form.set("prefix", std::string(form_name));
  form.set("has_choices", any);
  return choices;
}

// Checked by default; after a refusal, as posted.
bool NotifyChecked(const PostedForm& form, std::string_view form_name) {
  return !form.Is(form_name) || form.Sent("notify");
}

Data AddComponentForm(const ConsoleStatusView& view) {
  const PostedForm& posted = view.form;
  const bool mine = posted.Is("add-component");
  Data form = EmptyObject();
  AddFormState(form, posted, "add-component", "add-component-error",
               {"name", "group", "description"});
  form.set("name", CleanText(mine ? posted.Value("name") : ""));
  form.set("group", CleanText(mine ? posted.Value("group") : ""));
  Data groups = EmptyList();
  for (const core::StatusComponent& component : view.components) {
    if (!component.is_group) continue;
    Data group = EmptyObject();
    group.set("group_name", CleanText(component.name));
    groups.push_back(group);
  }
  form.set("group_names", groups);
  return form;
}

Data IncidentForm(const ConsoleStatusView& view) {
  const PostedForm& posted = view.form;
  const bool mine = posted.Is("incident");
  Data form = EmptyObject();
  AddFormState(form, posted, "incident", "incident-error",
               {"name", "impact", "component_ids", "component_status", "body", "status"});
  form.set("name", CleanText(mine ? posted.Value("name") : ""));
  form.set("impact_options", ImpactOptions(mine ? posted.Value("impact") : "minor"));
  form.set("choices", ComponentChoices(view, "incident", form));
  form.set("component_status_options",
           ComponentStatusOptions(mine ? posted.Value("component_status") : "", "Leave unchanged"));
  form.set("body", CleanText(mine ? posted.Value("body") : ""));
  form.set("notify", NotifyChecked(posted, "incident"));
  return form;
}

Data MaintenanceForm(const ConsoleStatusView& view) {
  const PostedForm& posted = view.form;
  const bool mine = posted.Is("maintenance");
  Data form = EmptyObject();
  AddFormState(form, posted, "maintenance", "maintenance-error",
               {"name", "component_ids", "scheduled_for", "scheduled_until", "body"});
  form.set("name", CleanText(mine ? posted.Value("name") : ""));
  form.set("choices", ComponentChoices(view, "maintenance", form));
  form.set("scheduled_for", CleanText(mine ? posted.Value("scheduled_for") : ""));
  form.set("scheduled_until", CleanText(mine ? posted.Value("scheduled_until") : ""));
  form.set("body", CleanText(mine ? posted.Value("body") : ""));
  form.set("notify", NotifyChecked(posted, "maintenance"));
  return form;
}

Data Events(const std::vector<core::Incident>& events, absl::TimeZone zone) {
  Data list = EmptyList();
  for (const core::Incident& event : events) list.push_back(EventSummary(event, zone));
  return list;
}

// Whether a refused form is on the page; when it is not (a component that is gone), its error
// goes to the top of the page instead.
bool FormShown(const ConsoleStatusView& view) {
  const std::string& name = view.form.name;
  if (name.empty() || name == "add-component" || name == "incident" || name == "maintenance") {
    return true;
  }
  return std::any_of(view.components.begin(), view.components.end(), [&](const auto& c) {
    return !c.is_group && name == absl::StrCat("component-", c.id);
  });
}

}  // namespace

std::string RenderConsoleStatusPage(const ConsoleFrame& frame, const ConsoleStatusView& view) {
  const absl::TimeZone zone = PageTimeZone(view.page.time_zone);
  Data data = EmptyObject();
  data.set("zone_name", CleanText(view.page.time_zone.empty() ? "UTC" : view.page.time_zone));
  // The indicator counts open incidents and maintenance under way, as the public page does.
  std::vector<core::Incident> counted;
  for (const core::Incident& event : view.open_events) {
    if (event.kind == core::IncidentKind::kIncident ||
        event.status == core::IncidentStatus::kInProgress ||
        event.status == core::IncidentStatus::kVerifying) {
      counted.push_back(event);
    }
  }
  const core::PageIndicator indicator = core::OverallIndicator(view.components, counted);
  const StatusLabel label = IndicatorLabel(indicator.indicator);
  data.set("indicator_css", std::string(label.css));
  data.set("indicator_icon", std::string(label.icon));
  data.set("indicator_text", std::string(indicator.description));
  data.set("has_open", !view.open_events.empty());
  data.set("open_events", Events(view.open_events, zone));
  data.set("has_closed", !view.recent_closed.empty());
  data.set("closed_events", Events(view.recent_closed, zone));
  data.set("has_components", !view.components.empty());
  data.set("top_components", Components(view));
  data.set("add_component_form", AddComponentForm(view));
  data.set("incident_form", IncidentForm(view));
  data.set("maintenance_form", MaintenanceForm(view));
  data.set("event_item", PartialData(ConsoleEventItemPartial()));
  data.set("component_row", PartialData(ConsoleComponentRowPartial()));
  data.set("component_choices", PartialData(ConsoleChoicesPartial()));
  data.set("status_badge", PartialData(StatusBadgePartial()));
  ConsoleFrame shown = frame;
  if (!FormShown(view) && shown.error.empty()) shown.error = view.form.error;
  return RenderConsoleDocument(shown, data, ConsoleStatusMainPartial());
}

}  // namespace casedesk::adapters::web

// One incident's or maintenance's console page (RenderConsoleIncidentPage, declared in
// console_status_page.h): the timeline, the linked cases and the forms that change them.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/console_status_page.h"
#include "adapters/web/console_status_templates.h"
#include "adapters/web/status_labels.h"
#include "adapters/web/status_time.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

using Data = ConsoleData;

// The component as it is named now; the name recorded with the update when it is gone.
std::string ChangedComponentName(const std::vector<core::StatusComponent>& components,
                                 const core::AffectedComponent& affected) {
  for (const core::StatusComponent& component : components) {
    if (component.id == affected.component_id) return ComponentLabel(components, component);
  }
  if (!affected.name.empty()) return CleanText(affected.name);
  return ComponentName(components, affected.component_id);
}

Data Updates(const ConsoleIncidentView& view, absl::TimeZone zone) {
  Data updates = EmptyList();
  for (const core::IncidentUpdate& update : view.event.incident.updates) {
    Data item = EmptyObject();
    item.set("update_status", std::string(IncidentStatusWord(update.status)));
    item.set("update_body", CleanText(update.body));
    item.set("update_notified", update.notify);
    AddConsoleTime(item, "update", IsSet(update.display_at) ? update.display_at : update.created_at,
                   zone);
    Data changes = EmptyList();
    for (const core::AffectedComponent& affected : update.affected_components) {
      Data change = EmptyObject();
      change.set("change_name", ChangedComponentName(view.components, affected));
      change.set("change_old", std::string(ComponentStatusLabel(affected.old_status).text));
      change.set("change_new", std::string(ComponentStatusLabel(affected.new_status).text));
      changes.push_back(change);
    }
    item.set("has_changes", !update.affected_components.empty());
    item.set("changes", changes);
    updates.push_back(item);
  }
  return updates;
}

// The words of the statuses that close an event of this kind, for the "solve" option's note.
std::string ClosingWords(core::IncidentKind kind) {
  std::vector<std::string> words;
  for (const auto& [status, name] : core::IncidentStatusNames()) {
    if (core::StatusBelongsTo(kind, status) && core::IsClosedStatus(status)) {
      words.emplace_back(IncidentStatusWord(status));
    }
  }
  return absl::StrJoin(words, " or ");
}

Data UpdateForm(const ConsoleIncidentView& view) {
  const core::Incident& event = view.event.incident;
  const PostedForm& posted = view.form;
  const bool mine = posted.Is("update");
  Data form = EmptyObject();
  AddFormState(form, posted, "update", "update-error",
               {"status", "body", "component_status", "linked_cases", "impact"});
  form.set(
      "status_options",
      IncidentStatusOptions(
          event.kind, mine ? posted.Value("status")
                           : std::string(core::NameOf(core::IncidentStatusNames(), event.status))));
  form.set("body", CleanText(mine ? posted.Value("body") : ""));
  form.set("component_status_options",
           ComponentStatusOptions(mine ? posted.Value("component_status") : "", "Unchanged"));
  form.set("notify", !mine || posted.Sent("notify"));
  const std::string cases = mine ? posted.Value("linked_cases") : "";
  form.set("cases_update", cases == "update");
  form.set("cases_solve", cases == "solve");
  form.set("cases_none", cases != "update" && cases != "solve");
  form.set("closing_words", ClosingWords(event.kind));
  return form;
}

Data LinkForm(const ConsoleIncidentView& view) {
  const bool mine = view.form.Is("link-case");
  Data form = EmptyObject();
  AddFormState(form, view.form, "link-case", "link-case-error", {"case_number"});
  form.set("case_number", CleanText(mine ? view.form.Value("case_number") : ""));
  return form;
}

Data Cases(const ConsoleIncidentView& view) {
  Data cases = EmptyList();
  for (const core::CaseNumber number : view.event.cases) {
    const std::string text = absl::StrCat(number);
    Data item = EmptyObject();
    item.set("number", text);
    AddFormState(item, view.form, absl::StrCat("unlink-case-", text),
                 absl::StrCat("unlink-case-", text, "-error"), {});
    cases.push_back(item);
  }
  return cases;
}

}  // namespace

std::string RenderConsoleIncidentPage(const ConsoleFrame& frame, const ConsoleIncidentView& view) {
  const core::Incident& event = view.event.incident;
  const absl::TimeZone zone = PageTimeZone(view.page.time_zone);
  Data data = EventSummary(event, zone);
  std::vector<std::string> affected;
  for (const core::ComponentId id : event.component_ids) {
    affected.push_back(ComponentName(view.components, id));
  }
  data.set("has_affected", !affected.empty());
  data.set("affected_names", absl::StrJoin(affected, ", "));
  data.set("has_updates", !event.updates.empty());
  data.set("updates", Updates(view, zone));
  data.set("has_cases", !view.event.cases.empty());
  data.set("case_count", absl::StrCat(view.event.cases.size()));
  data.set("cases", Cases(view));
  data.set("update_form", UpdateForm(view));
  data.set("link_form", LinkForm(view));
  ConsoleFrame shown = frame;
  // An unlink refused for a case no longer listed has no place on the page but the top.
  const bool unlink = view.form.name.starts_with("unlink-case-");
  bool listed = false;
  for (const core::CaseNumber number : view.event.cases) {
    listed = listed || view.form.name == absl::StrCat("unlink-case-", number);
  }
  if (unlink && !listed && shown.error.empty()) shown.error = view.form.error;
  return RenderConsoleDocument(shown, data, ConsoleIncidentMainPartial());
}

}  // namespace casedesk::adapters::web

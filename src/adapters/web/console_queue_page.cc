#include "adapters/web/console_queue_page.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_case_templates.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

// A value for {{#key}}..{{/key}}: the text, or false when empty (kainjow treats every string,
// even an empty one, as true).
Data NonEmptyOrFalse(const std::string& text) { return text.empty() ? Data{false} : Data{text}; }

Data Row(const ConsoleQueueRow& row, absl::Time now) {
  const core::Case& c = row.record;
  Data data{Data::type::object};
  data.set("number", absl::StrCat(c.number));
  data.set("subject", CleanText(c.subject));
  data.set("severity_level", absl::StrCat(core::SeverityLevel(c.severity)));
  data.set("severity_icon", std::string(SeverityIcon(c.severity)));
  data.set("severity_text", SeverityText(c.severity));
  data.set("severity_confirmed", c.severity_confirmed);
  data.set("status_text", std::string(CaseStatusText(c.status)));
  data.set("org_name", CleanText(row.org_name));
  data.set("org_href", row.org_href);
  data.set("assignee_name", NonEmptyOrFalse(CleanText(row.assignee_name)));
  if (row.next_deadline) {
    Data due{Data::type::object};
    due.set("due_iso", IsoTime(*row.next_deadline));
    due.set("due_text", ShortTime(*row.next_deadline));
    due.set("countdown", CountdownText(*row.next_deadline, now));
    due.set("overdue", *row.next_deadline <= now);
    data.set("due", due);
  } else {
    data.set("due", false);
  }
  return data;
}

Data GroupOptions(const std::vector<core::Group>& groups, std::optional<core::GroupId> selected) {
  Data options{Data::type::list};
  for (const core::Group& group : groups) {
    Data option{Data::type::object};
    option.set("value", absl::StrCat(group.id));
    option.set("label", CleanText(group.name));
    option.set("selected", selected == group.id);
    options.push_back(option);
  }
  return options;
}

Data SavedViews(const std::vector<ConsoleSavedView>& views) {
  Data list{Data::type::list};
  for (const ConsoleSavedView& view : views) {
    Data entry{Data::type::object};
    entry.set("view_id", absl::StrCat(view.id));
    entry.set("view_name", CleanText(view.name));
    entry.set("view_href", view.href);
    entry.set("view_active", view.active);
    list.push_back(entry);
  }
  return list;
}

// The save-view form: the name as typed and the refusal when it was refused.
void SetSaveForm(const ConsoleQueueView& view, Data& data) {
  data.set("filter", CleanText(core::EncodeQueueViewFilter(view.filter)));
  data.set("save_name", CleanText(view.save_form.Value("name")));
  data.set("save_open", !view.save_form.error.empty());
  data.set("form_error", NonEmptyOrFalse(CleanText(view.save_form.error)));
  data.set("form_error_id", "cq-view-error");
  data.set("invalid_name", !view.save_form.error.empty());
}

Data SeverityOptions(int selected) {
  Data options{Data::type::list};
  for (const auto& [severity, name] : core::kSeverityNames) {
    Data option{Data::type::object};
    option.set("value", absl::StrCat(core::SeverityLevel(severity)));
    option.set("label", SeverityText(severity));
    option.set("selected", core::SeverityLevel(severity) == selected);
    options.push_back(option);
  }
  return options;
}

}  // namespace

std::string RenderConsoleQueuePage(const ConsoleFrame& frame, const ConsoleQueueView& view) {
  Data data{Data::type::object};
  data.set("heading", CleanText(view.heading));
  data.set("description", CleanText(view.description));
  Data tabs{Data::type::list};
  for (const ConsoleQueueTab& tab : view.tabs) {
    Data entry{Data::type::object};
    entry.set("tab_href", tab.href);
    entry.set("tab_label", CleanText(tab.label));
    entry.set("tab_active", tab.active);
    tabs.push_back(entry);
  }
  data.set("tabs", tabs);
  data.set("queue", std::string(core::NameOf<core::CaseQueue>(core::kCaseQueueNames,
                                                             view.filter.queue)));
  data.set("by_severity", view.filter.queue == core::CaseQueue::kBySeverity);
  data.set("severity_options", SeverityOptions(view.filter.severity_level));
  data.set("group_options", GroupOptions(view.groups, view.filter.group_id));
  data.set("org_id", view.filter.org_id ? Data{absl::StrCat(*view.filter.org_id)} : Data{false});
  data.set("org_name", CleanText(view.org_name));
  data.set("without_org_href", view.without_org_href);
  data.set("saved_views", SavedViews(view.saved_views));
  data.set("has_saved_views", !view.saved_views.empty());
  SetSaveForm(view, data);
  Data rows{Data::type::list};
  for (const ConsoleQueueRow& row : view.rows) rows.push_back(Row(row, view.now));
  data.set("rows", rows);
  data.set("has_rows", !view.rows.empty());
  data.set("has_pages", !view.next_href.empty() || !view.first_href.empty());
  data.set("next_href", NonEmptyOrFalse(view.next_href));
  data.set("first_href", NonEmptyOrFalse(view.first_href));
  data.set("shortcuts",
           Data{mustache::partial([] { return std::string(ConsoleShortcutsPartial()); })});
  return RenderConsoleDocument(frame, data, ConsoleQueueMainPartial());
}

}  // namespace casedesk::adapters::web

#include "adapters/web/console_queue_page.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_case_templates.h"
#include "adapters/web/xml_text.h"

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
  data.set("by_severity", view.severity_level != 0);
  data.set("severity_options", SeverityOptions(view.severity_level));
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

#include "adapters/web/console_layout.h"

#include <array>

#include "adapters/web/console_templates.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

struct NavItem {
  std::string_view key;
  std::string_view label;
  std::string_view href;
};

// The console's sections, in the order the navigation lists them.
constexpr std::array<NavItem, 6> kNavigation = {{
    {"cases", "Cases", "/console/cases"},
    {"problems", "Problems", "/console/problems"},
    {"status", "Status page", "/console/status"},
    {"kb", "Knowledge base", "/console/kb"},
    {"reports", "Reports", "/console/reports"},
    {"admin", "Admin", "/console/admin"},
}};

}  // namespace

std::string RenderConsoleDocument(const ConsoleFrame& frame, Data& data,
                                  std::string_view main_template) {
  data.set("desk_name", CleanText(frame.desk_name.empty() ? "Casedesk" : frame.desk_name));
  data.set("user_name", CleanText(frame.user_name));
  data.set("csrf_token", CleanText(frame.csrf_token));
  data.set("title", CleanText(frame.title));
  data.set("notice", frame.notice.empty() ? Data{false} : Data{CleanText(frame.notice)});
  data.set("error", frame.error.empty() ? Data{false} : Data{CleanText(frame.error)});
  Data nav{Data::type::list};
  for (const NavItem& item : kNavigation) {
    Data entry{Data::type::object};
    entry.set("nav_href", std::string(item.href));
    entry.set("nav_label", std::string(item.label));
    entry.set("nav_active", item.key == frame.active);
    nav.push_back(entry);
  }
  data.set("nav", nav);
  data.set("csrf", PartialData(ConsoleCsrfPartial()));
  data.set("form_error_partial", PartialData(ConsoleFormErrorPartial()));
  data.set("option", PartialData(ConsoleOptionPartial()));
  data.set("main", PartialData(main_template));
  mustache::mustache layout{std::string(ConsoleLayoutTemplate())};
  return layout.render(data);
}

std::string RenderConsoleMessagePage(const ConsoleFrame& frame, const std::string& message) {
  Data data{Data::type::object};
  data.set("message", CleanText(message));
  return RenderConsoleDocument(frame, data, ConsoleMessageMainPartial());
}

std::string RenderNotFoundPage() { return std::string(NotFoundTemplate()); }

}  // namespace casedesk::adapters::web

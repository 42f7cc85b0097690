// The admin index page (see console_admin_index.h).
#include "adapters/web/console_admin_index.h"

#include <array>
#include <kainjow/mustache.hpp>
#include <string_view>

namespace casedesk::adapters::web {
namespace {

using Data = kainjow::mustache::data;

struct AdminArea {
  std::string_view href;
  std::string_view label;
  std::string_view summary;
};

// In the order a new desk is usually set up: hours first, then what runs on them.
constexpr std::array<AdminArea, 10> kAdminAreas = {{
    {"/console/admin/calendars", "Calendars",
     "Business hours, time zones and holidays the SLA clocks count in, with a preview of due "
     "times."},
    {"/console/admin/plans", "Plans and SLA policies",
     "Support plans, and per plan and severity the response, update and resolution targets."},
    {"/console/admin/severities", "Severities",
     "What each severity level means, with the examples customers see when they choose one."},
    {"/console/admin/escalation", "Escalation policies",
     "Who is told, and when, as a case's SLA clocks run down."},
    {"/console/admin/oncall", "On-call schedules", "Rotations and who is on call now."},
    {"/console/admin/people", "People and groups",
     "Staff, partner agents and customer contacts; groups and their members."},
    {"/console/admin/orgs", "Organisations and partners",
     "Customers, the partners who support them and the plan each one has."},
    {"/console/admin/mail", "Mail",
     "Inbound addresses, who may open cases by mail, held messages and failed deliveries."},
    {"/console/admin/mail/templates", "Mail templates",
     "The notifications customers and staff receive."},
    {"/console/tokens", "API tokens", "Tokens for scripts and integrations."},
}};

constexpr std::string_view kAdminIndexTemplate = R"html(<h1>Admin</h1>
{{^may_edit}}<p class="cd-note">You can read every setting; only an admin can change them.</p>{{/may_edit}}
<section class="cc-section" aria-labelledby="admin-areas-h">
<h2 id="admin-areas-h" class="sp-vh">Settings</h2>
<dl class="cc-admin-areas">
{{#areas}}<dt><a href="{{href}}">{{label}}</a></dt>
<dd>{{summary}}</dd>
{{/areas}}
</dl>
</section>
)html";

}  // namespace

std::string RenderConsoleAdminIndex(const ConsoleFrame& frame, bool may_edit) {
  Data data{Data::type::object};
  Data areas{Data::type::list};
  for (const AdminArea& area : kAdminAreas) {
    Data entry{Data::type::object};
    entry.set("href", std::string(area.href));
    entry.set("label", std::string(area.label));
    entry.set("summary", std::string(area.summary));
    areas.push_back(entry);
  }
  data.set("areas", areas);
  data.set("may_edit", may_edit);
  return RenderConsoleDocument(frame, data, kAdminIndexTemplate);
}

}  // namespace casedesk::adapters::web

#include "adapters/web/portal_layout.h"

#include <array>

#include "absl/strings/str_cat.h"
#include "adapters/web/portal_templates.h"
#include "adapters/web/status_labels.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

struct PortalNavItem {
  std::string_view key;
  std::string_view label;
  std::string_view href;
};

// The portal's sections, in the order the navigation lists them.
constexpr std::array<PortalNavItem, 5> kPortalNavigation = {{
    {"cases", "My cases", "/portal"},
    {"new", "Open a case", "/portal/cases/new"},
    {"hours", "Hours", "/portal/hours"},
    {"contacts", "Contacts", "/portal/contacts"},
    {"status", "Status", "/status"},
}};

}  // namespace

std::vector<PortalIncident> PortalIncidentsFrom(const app::StatusPageSnapshot& snapshot,
                                                bool link) {
  std::vector<PortalIncident> banner;
  const auto add = [&](const core::Incident& event, std::string impact) {
    PortalIncident entry;
    entry.name = event.name;
    entry.status = std::string(IncidentStatusWord(event.status));
    entry.impact = std::move(impact);
    if (link) entry.href = absl::StrCat("/status/incidents/", event.id);
    banner.push_back(std::move(entry));
  };
  for (const core::Incident& event : snapshot.incidents) {
    if (event.kind != core::IncidentKind::kIncident || core::IsClosedStatus(event.status)) continue;
    // An incident without impact still tells people something is being looked at.
    const std::string impact(event.impact == core::IncidentImpact::kNone
                                 ? std::string_view("minor")
                                 : core::NameOf(core::IncidentImpactNames(), event.impact));
    add(event, impact);
  }
  for (const core::Incident& event : snapshot.maintenances) {
    if (event.status != core::IncidentStatus::kInProgress &&
        event.status != core::IncidentStatus::kVerifying) {
      continue;
    }
    add(event, "maintenance");
  }
  return banner;
}

std::string RenderPortalDocument(const PortalFrame& frame, Data& data,
                                 std::string_view main_template) {
  const std::string brand = frame.brand_name.empty() ? "Support" : frame.brand_name;
  data.set("brand_name", CleanText(brand));
  // Not "org_name": pages use that key for the organisation a case belongs to.
  data.set("person_org", CleanTextOrFalse(frame.org_name));
  data.set("user_name", CleanText(frame.user_name));
  data.set("csrf_token", CleanText(frame.csrf_token));
  data.set("title", CleanText(frame.title));
  data.set("notice", CleanTextOrFalse(frame.notice));
  data.set("error", CleanTextOrFalse(frame.error));
  Data nav{Data::type::list};
  for (const PortalNavItem& item : kPortalNavigation) {
    if (item.key == "contacts" && !frame.org_admin) continue;
    if (item.key == "status" && !frame.show_status_link) continue;
    Data entry{Data::type::object};
    entry.set("nav_href", std::string(item.href));
    entry.set("nav_label", std::string(item.label));
    entry.set("nav_active", item.key == frame.active);
    nav.push_back(entry);
  }
  data.set("nav", nav);
  Data incidents{Data::type::list};
  for (const PortalIncident& incident : frame.incidents) {
    Data entry{Data::type::object};
    entry.set("incident_name", CleanText(incident.name));
    entry.set("incident_status", CleanText(incident.status));
    entry.set("incident_impact", CleanText(incident.impact));
    entry.set("incident_href", CleanTextOrFalse(incident.href));
    incidents.push_back(entry);
  }
  data.set("has_incidents", !frame.incidents.empty());
  data.set("incidents", incidents);
  data.set("csrf", PartialData(PortalCsrfPartial()));
  data.set("option", PartialData(PortalOptionPartial()));
  data.set("field_error_partial", PartialData(PortalFieldErrorPartial()));
  data.set("main", PartialData(main_template));
  mustache::mustache layout{std::string(PortalLayoutTemplate())};
  return layout.render(data);
}

std::string RenderPortalMessagePage(const PortalFrame& frame, const std::string& message) {
  Data data{Data::type::object};
  data.set("message", CleanText(message));
  return RenderPortalDocument(frame, data, PortalMessageMainPartial());
}

}  // namespace casedesk::adapters::web

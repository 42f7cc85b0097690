// What the status page shows for each status besides colour: a word and an icon shape, and the
// class name the stylesheet colours it by. Colour is never the only signal.
// Thread-safe: pure functions over constant tables.
#pragma once

#include <string_view>

#include "core/status_page.h"

namespace casedesk::adapters::web {

struct StatusLabel {
  std::string_view css;   // class suffix: "operational", "major_outage", "critical", ...
  std::string_view icon;  // a distinct shape per status, for readers who cannot tell colours
  std::string_view text;  // "Partial outage"
};

StatusLabel ComponentStatusLabel(core::ComponentStatus status);
// For the page's indicator ("none", "minor", "major", "critical", "maintenance"); the text is
// the indicator's own description, given by the caller.
StatusLabel IndicatorLabel(std::string_view indicator);
// "Investigating", "In progress", ...
std::string_view IncidentStatusWord(core::IncidentStatus status);
// "None", "Minor", "Major", "Critical", "Maintenance".
std::string_view ImpactWord(core::IncidentImpact impact);
// "partial outage": the lower-case phrase used in uptime bar titles.
std::string_view ComponentStatusPhrase(core::ComponentStatus status);

}  // namespace casedesk::adapters::web

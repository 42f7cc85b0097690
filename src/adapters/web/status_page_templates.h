// The status page's mustache templates (kainjow): one layout and the partials it and the pages
// include. Every {{x}} is HTML-escaped; triple mustaches are never used.
// Thread-safe: constants.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

// The document around a page: head, header (name, navigation, notice/error), <main> holding
// the partial "main", the optional subscribe form, footer.
std::string_view LayoutTemplate();

// Partials, by the name templates include them with ({{> name}}).
std::string_view StatusMainPartial();    // "main" of GET /status
std::string_view IncidentMainPartial();  // "main" of GET /status/incidents/{id}
std::string_view MessageMainPartial();   // "main" of a message page
std::string_view EventPartial();         // "event": an incident or maintenance on GET /status
std::string_view EventDetailsPartial();  // "event_details": meta, window, affected components
std::string_view TimelinePartial();      // "timeline": the updates, newest first
std::string_view BodyPartial();          // "body": paragraphs with line breaks kept
std::string_view ComponentPartial();     // "component": name, status, uptime bars
std::string_view StatusBadgePartial();   // "status_badge": icon and word of a status
std::string_view SubscribePartial();     // "subscribe": the subscribe form and feed links

}  // namespace casedesk::adapters::web

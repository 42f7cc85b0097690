// The portal frame's mustache templates (kainjow): the document around every portal page and the
// partials the portal's forms share. Every {{x}} is HTML-escaped; triple mustaches are never
// used. The pages' own "main" templates live beside their renderers.
// Thread-safe: constants.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

// Head, skip link, header (brand, organisation, person, sign-out form), navigation, the banner
// of active incidents, <main> holding the partial "main" after the notice/error lines.
std::string_view PortalLayoutTemplate();
// "csrf": the hidden csrf_token field every portal form carries.
std::string_view PortalCsrfPartial();
// "option": one <option> ({{value}}, {{label}}, {{selected}}).
std::string_view PortalOptionPartial();
// "field_error_partial": the error beside a field ({{field_error}}, {{field_error_id}}).
std::string_view PortalFieldErrorPartial();
// "main" of a portal message page.
std::string_view PortalMessageMainPartial();

}  // namespace casedesk::adapters::web

// Parts of the one stylesheet (StatusStylesheet) kept beside the pages they style: each is
// appended after the base rules in casedesk_stylesheet.cc, so it may use the base's custom
// properties (colours, --space-N, --text-N). Thread-safe: constants.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

// The staff console's case pages: queues and the case page (prefix cq- / cc-).
std::string_view CaseConsoleStylesheet();
// The customer and partner portal (prefix pt-).
std::string_view PortalStylesheet();
// The knowledge base: the help centre and the console's authoring pages (prefix kb-).
std::string_view KbStylesheet();
// Contract hours: the portal's Hours page and the console's Time section (prefix hr-).
std::string_view HoursStylesheet();
// Remote access requests: the console and portal case pages' sections (cc-ra- / pt-ra-).
std::string_view RemoteAccessStylesheet();
// Engineering links and problems: the console case page's section and the problem pages
// (cc-eg- / cc-pr-).
std::string_view EngineeringStylesheet();

}  // namespace casedesk::adapters::web

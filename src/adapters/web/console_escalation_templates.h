// The mustache templates of the escalation policy and on-call schedule pages (see
// console_escalation_pages.h and console_oncall_pages.h): each page's <main> content, rendered
// inside the console frame. Thread-safe: constant strings.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

std::string_view EscalationListTemplate();
std::string_view EscalationPolicyTemplate();
std::string_view OnCallListTemplate();
std::string_view OnCallScheduleTemplate();

}  // namespace casedesk::adapters::web

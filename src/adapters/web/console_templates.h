// The console frame's mustache templates (kainjow): the document around every console page, the
// partials all console forms share, and the stand-alone "not found" document. Every {{x}} is
// HTML-escaped; triple mustaches are never used.
// Thread-safe: constants.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

// Head, skip link, header (desk name, person, sign-out form), navigation, <main> holding the
// partial "main" after the notice/error lines.
std::string_view ConsoleLayoutTemplate();
// "csrf": the hidden csrf_token field every console form carries.
std::string_view ConsoleCsrfPartial();
// "form_error_partial": the error paragraph at the top of a form ({{form_error}},
// {{form_error_id}}).
std::string_view ConsoleFormErrorPartial();
// "option": one <option> ({{value}}, {{label}}, {{selected}}); lists iterate it.
std::string_view ConsoleOptionPartial();
// "main" of a console message page.
std::string_view ConsoleMessageMainPartial();
// A whole document: "Page not found".
std::string_view NotFoundTemplate();

}  // namespace casedesk::adapters::web

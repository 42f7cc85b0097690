// The mustache templates (kainjow) of the staff console's case pages: the queue page's and the
// case page's <main> content and their partials. Every {{x}} is HTML-escaped; triple mustaches
// are never used. Thread-safe: constants.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

// The queue page: heading, queue tabs, the table of cases (id "cq-live", refreshed by
// console.js), paging links, the shortcuts help and the script.
std::string_view ConsoleQueueMainPartial();
// The case page: heading and badges, the conversation with the reply and note forms, the
// sidebar of triage forms, SLA clocks, context, attachments and the audit history.
std::string_view ConsoleCaseMainPartial();
// The whole-history page: one page of a case's audit events, oldest first.
std::string_view ConsoleHistoryMainPartial();
// "shortcuts": the keyboard shortcuts, a <details> console.js opens on "?".
std::string_view ConsoleShortcutsPartial();

}  // namespace casedesk::adapters::web

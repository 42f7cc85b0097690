// The staff console's case page (GET /console/cases/{number}): the case with its badges, the
// conversation (public replies and internal notes marked apart by words, icon and style), the
// reply and internal-note forms, the triage forms (take, status, severity with a reason,
// assignee, group), SLA clocks with the explanation of each due instant, requester and
// organisation context with severity flags and recent cases, attachments as downloads, the
// escalate and flag-misuse forms, and the audit history. A refused form is shown again with its
// error and what was typed. Also the whole-history page. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "adapters/web/console_case_view.h"
#include "adapters/web/console_layout.h"

namespace casedesk::adapters::web {

std::string RenderConsoleCasePage(const ConsoleFrame& frame, const ConsoleCaseView& view);

// GET /console/cases/{number}/history: one page of the audit history, oldest first.
struct ConsoleHistoryView {
  core::CaseNumber number = 0;
  std::string subject;
  std::vector<core::AuditEvent> events;
  std::map<core::UserId, std::string> names;
  std::string next_href;  // "" on the last page
};
std::string RenderConsoleHistoryPage(const ConsoleFrame& frame, const ConsoleHistoryView& view);

}  // namespace casedesk::adapters::web

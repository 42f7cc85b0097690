// The portal's case list (/portal): filters (open / solved / all; mine / everything the person
// may see), one row per case with its number, subject, status, severity, organisation (for
// partner agents and shared organisations) and the SLA promise in plain words, and a link to the
// next page. Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "adapters/web/portal_layout.h"

namespace casedesk::adapters::web {

struct PortalCaseListRow {
  std::string number;
  std::string subject;
  std::string status;        // "Waiting for you"
  std::string status_class;  // "new", "open", "pending", ...: the stylesheet's class
  std::string severity;      // "2 Major"
  std::string org_name;      // shown when show_org
  std::string updated;       // "14:00" / "Tue 24 Nov, 14:00" (the person's time zone)
  std::string promise;       // "We will reply by 14:00 your time."
  bool promise_late = false;
};

struct PortalCaseListView {
  std::string state = "open";                       // "open", "solved", "all"
  std::string scope = "all";                        // "mine", "all"
  bool show_scope = false;                          // the person may see more than their own cases
  std::string scope_all_label = "My organisation";  // "My customers" for partner agents
  bool show_org = false;
  std::vector<PortalCaseListRow> rows;
  std::string next_href;  // "" on the last page
  bool first_page = true;
};

std::string RenderPortalCaseListPage(const PortalFrame& frame, const PortalCaseListView& view);

}  // namespace casedesk::adapters::web

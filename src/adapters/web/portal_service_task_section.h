// The portal case page's "Service task" section (issue 7): where the task stands, the estimate
// (hours and projected completion date) with Approve and Decline forms (optional reason) while
// it waits for the customer's decision, the planned start once scheduled, and the reason of a
// decline. The forms post to /portal/cases/{number}/service-task/{approve|decline} and work
// without JavaScript. Also the "Request a service task" page (subject, details, organisation
// for partner agents), posting to /portal/service-tasks. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/web/portal_layout.h"

namespace casedesk::adapters::web {

struct PortalServiceTaskSection {
  bool present = false;     // the case is a service task
  std::string state;        // "estimated", ... (a class name)
  std::string state_label;  // "Waiting for your decision", ...
  std::string hours;        // "2.5", or "" before the estimate
  std::string completion_date;
  std::string estimate_due;  // when the estimate is due (your time), while it is awaited
  std::string start_date;
  std::string decline_reason;
  bool can_decide = false;  // shows Approve and Decline
};

// The section's data (the page sets it as "service_task"; false when the case is none).
kainjow::mustache::data PortalServiceTaskData(const PortalServiceTaskSection& section);
// The section's template (the page sets it as the partial "service_task_section"); it reads
// {{number}} and the "csrf" partial from the page and everything else from {{#service_task}}.
std::string_view PortalServiceTaskSectionPartial();

// The "Request a service task" page.
struct PortalServiceTaskForm {
  std::string csrf;
  std::string subject;
  std::string description;
  std::string error;  // a refusal, shown above the form
  // Partner agents choose one of their customers: (id, name, selected).
  std::vector<std::pair<std::string, std::string>> organisations;
  std::string org_id;
};
std::string RenderPortalServiceTaskPage(const PortalFrame& frame,
                                        const PortalServiceTaskForm& form);

}  // namespace casedesk::adapters::web

// The staff console's queues: which cases each one holds, as a ListCasesRequest in the
// next-deadline order (the rules stay in the use case and the store), and their names.
//   untriaged      active cases nobody has taken (the shared triage queue)
//   mine           active cases assigned to the signed-in person
//   groups         active cases in the groups the signed-in person belongs to
//   breaching      active cases whose next SLA deadline is less than two hours away, or passed
//   on_hold        cases waiting on the customer or a third party (pending, on hold)
//   severity       active cases of one severity
// A view is a queue narrowed by severity, group and organisation (core/queue_view.h); its
// canonical query string is its address, so a saved view is a link.
// Thread-safe: pure functions over constants.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "app/list_cases.h"
#include "core/access.h"
#include "core/queue_view.h"

namespace casedesk::adapters::http {

using ConsoleQueue = core::CaseQueue;

inline constexpr absl::Duration kBreachingSoonWindow = absl::Hours(2);

struct ConsoleQueueInfo {
  ConsoleQueue queue;
  std::string_view label;        // the tab
  std::string_view heading;      // the page's <h1>
  std::string_view description;  // one sentence
};

// Every queue, in tab order.
const std::vector<ConsoleQueueInfo>& ConsoleQueues();
const ConsoleQueueInfo& QueueInfo(ConsoleQueue queue);
// The queue's name in ?queue= ("untriaged").
std::string_view QueueKey(ConsoleQueue queue);
// What the view asks the ListCases use case for. `my_groups`: the viewer's groups (kMyGroups
// with none has nothing to list: the caller shows an empty page).
app::ListCasesRequest QueueRequest(const core::QueueViewFilter& filter, const core::Viewer& viewer,
                                   const std::vector<core::GroupId>& my_groups, absl::Time now,
                                   const ports::PageRequest& page);

// `text` percent-encoded for a query value.
std::string QueryEscape(std::string_view text);

// "/console/cases?queue=mine&severity=2", with "&cursor=..." when given.
std::string QueueHref(const core::QueueViewFilter& filter, std::string_view cursor = "");

}  // namespace casedesk::adapters::http

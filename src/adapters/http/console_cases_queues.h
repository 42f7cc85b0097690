// The staff console's queues: which cases each one holds, as a ListCasesRequest in the
// next-deadline order (the rules stay in the use case and the store), and their names.
//   untriaged      active cases nobody has taken (the shared triage queue)
//   mine           active cases assigned to the signed-in person
//   groups         active cases in the groups the signed-in person belongs to
//   breaching      active cases whose next SLA deadline is less than two hours away, or passed
//   on_hold        cases waiting on the customer or a third party (pending, on hold)
//   severity       active cases of one severity
// Thread-safe: pure functions over constants.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "app/list_cases.h"
#include "core/access.h"

namespace casedesk::adapters::http {

enum class ConsoleQueue { kUntriaged, kMine, kMyGroups, kBreachingSoon, kOnHold, kBySeverity };

inline constexpr absl::Duration kBreachingSoonWindow = absl::Hours(2);

struct ConsoleQueueInfo {
  ConsoleQueue queue;
  std::string_view key;          // in ?queue=
  std::string_view label;        // the tab
  std::string_view heading;      // the page's <h1>
  std::string_view description;  // one sentence
};

// Every queue, in tab order.
const std::vector<ConsoleQueueInfo>& ConsoleQueues();
const ConsoleQueueInfo& QueueInfo(ConsoleQueue queue);
// The queue named by ?queue= ("" is untriaged); nullopt for an unknown name.
std::optional<ConsoleQueue> ParseConsoleQueue(std::string_view key);

// What the queue asks the ListCases use case for. `my_groups`: the viewer's groups (kMyGroups
// with none has nothing to list: the caller shows an empty page). `severity_level` 1..4 for
// kBySeverity.
app::ListCasesRequest QueueRequest(ConsoleQueue queue, const core::Viewer& viewer,
                                   const std::vector<core::GroupId>& my_groups, int severity_level,
                                   absl::Time now, const ports::PageRequest& page);

// `text` percent-encoded for a query value.
std::string QueryEscape(std::string_view text);

// "/console/cases?queue=mine", with "&severity=2" and "&cursor=..." when given.
std::string QueueHref(ConsoleQueue queue, int severity_level, std::string_view cursor);

}  // namespace casedesk::adapters::http

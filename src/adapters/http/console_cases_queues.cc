#include "adapters/http/console_cases_queues.h"

#include "absl/strings/str_cat.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
std::string QueryEscape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
        (byte >= '0' && byte <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded.push_back(c);
    } else {
      encoded += {'%', kHex[byte >> 4], kHex[byte & 15]};
    }
  }
  return encoded;
}

const std::vector<ConsoleQueueInfo>& ConsoleQueues() {
  static const std::vector<ConsoleQueueInfo> kQueues = {
      {ConsoleQueue::kUntriaged, "Untriaged", "Untriaged cases",
       "Open cases nobody has taken yet: the shared triage queue."},
      {ConsoleQueue::kMine, "Mine", "My cases", "Open cases assigned to you."},
      {ConsoleQueue::kMyGroups, "My groups", "My groups' cases",
       "Open cases in the groups you belong to."},
      {ConsoleQueue::kBreachingSoon, "Breaching soon", "Breaching soon",
       "Open cases whose next SLA deadline is less than two hours away or already passed."},
      {ConsoleQueue::kOnHold, "On hold", "Cases on hold",
       "Cases waiting on the customer or a third party (pending or on hold)."},
      {ConsoleQueue::kBySeverity, "By severity", "Cases by severity",
       "Open cases of one severity."},
  };
  return kQueues;
}

std::string_view QueueKey(ConsoleQueue queue) {
  return core::NameOf<ConsoleQueue>(core::kCaseQueueNames, queue);
}

const ConsoleQueueInfo& QueueInfo(ConsoleQueue queue) {
  for (const ConsoleQueueInfo& info : ConsoleQueues()) {
    if (info.queue == queue) return info;
  }
  return ConsoleQueues().front();
}

app::ListCasesRequest QueueRequest(const core::QueueViewFilter& filter, const core::Viewer& viewer,
                                   const std::vector<core::GroupId>& my_groups, absl::Time now,
                                   const ports::PageRequest& page) {
  app::ListCasesRequest request;
  request.order = ports::CaseOrder::kNextDeadline;
  request.active_only = true;
  request.page = page;
  switch (filter.queue) {
    case ConsoleQueue::kUntriaged:
      request.unassigned_only = true;
      break;
    case ConsoleQueue::kMine:
      request.assignee_id = viewer.user_id;
      break;
    case ConsoleQueue::kMyGroups:
      request.group_ids = my_groups;
      break;
    case ConsoleQueue::kBreachingSoon:
      request.due_before = now + kBreachingSoonWindow;
      break;
    case ConsoleQueue::kOnHold:
      request.statuses = {core::CaseStatus::kPending, core::CaseStatus::kOnHold};
      break;
    case ConsoleQueue::kBySeverity:
      break;
  }
  core::Severity severity = core::Severity::kCritical;
  if (filter.severity_level > 0 && core::SeverityFromLevel(filter.severity_level, &severity)) {
    request.severity = severity;
  }
  request.group_id = filter.group_id;
  request.org_id = filter.org_id;
  return request;
}

std::string QueueHref(const core::QueueViewFilter& filter, std::string_view cursor) {
  std::string href = absl::StrCat("/console/cases?", core::EncodeQueueViewFilter(filter));
  if (!cursor.empty()) absl::StrAppend(&href, "&cursor=", QueryEscape(cursor));
  return href;
}

}  // namespace casedesk::adapters::http

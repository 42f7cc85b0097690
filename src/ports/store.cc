#include "ports/store.h"

#include <future>

namespace casedesk::ports {

absl::Status Store::WriteAndWait(UnitOfWork work) {
  std::promise<absl::Status> outcome;
  auto result = outcome.get_future();
  Write(std::move(work), [&outcome](absl::Status status) { outcome.set_value(std::move(status)); });
  return result.get();
}

absl::Status StoreTransaction::ArmCaseTimers(core::CaseNumber number, std::string_view key_prefix,
                                             const std::vector<Timer>& timers) {
  std::vector<std::string> keys;
  for (const Timer& timer : timers) {
    if (timer.case_number != number) {
      return absl::InvalidArgumentError("ArmCaseTimers: a timer of another case");
    }
    if (absl::Status armed = ArmTimer(timer); !armed.ok()) return armed;
    keys.push_back(timer.key);
  }
  return DisarmTimersExcept(number, key_prefix, keys);
}

absl::StatusOr<CaseWithHistory> StoreTransaction::GetCaseWithHistory(core::CaseNumber number) {
  CaseWithHistory found;
  absl::StatusOr<core::Case> record = GetCase(number);
  if (!record.ok()) return record.status();
  found.record = *std::move(record);
  absl::StatusOr<core::Organisation> org = GetOrganisation(found.record.org_id);
  if (!org.ok()) return org.status();
  found.org = *std::move(org);
  PageRequest page{.limit = 200};
  while (true) {
    absl::StatusOr<Page<core::AuditEvent>> events = ListCaseEvents(number, page);
    if (!events.ok()) return events.status();
    for (core::AuditEvent& event : events->items) found.events.push_back(std::move(event));
    if (events->next_cursor.empty()) return found;
    page.cursor = events->next_cursor;
  }
}

}  // namespace casedesk::ports

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
  absl::StatusOr<std::vector<core::AuditEvent>> events = ListAllCaseEvents(*this, number);
  if (!events.ok()) return events.status();
  found.events = *std::move(events);
  return found;
}

absl::StatusOr<std::vector<core::AuditEvent>> ListAllCaseEvents(StoreTransaction& txn,
                                                                core::CaseNumber number) {
  std::vector<core::AuditEvent> events;
  PageRequest page{.limit = 1000};
  while (true) {
    absl::StatusOr<Page<core::AuditEvent>> loaded = txn.ListCaseEvents(number, page);
    if (!loaded.ok()) return loaded.status();
    for (core::AuditEvent& event : loaded->items) events.push_back(std::move(event));
    if (loaded->next_cursor.empty()) return events;
    page.cursor = loaded->next_cursor;
  }
}

}  // namespace casedesk::ports

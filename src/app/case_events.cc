#include "app/case_events.h"

#include <utility>

#include "app/case_support.h"
#include "core/access.h"

namespace casedesk::app {

absl::StatusOr<ports::Page<core::AuditEvent>> ListCaseEvents(AppContext& context,
                                                             const Caller& caller,
                                                             core::CaseNumber number,
                                                             const ports::PageRequest& page) {
  absl::StatusOr<ports::Page<core::AuditEvent>> events = absl::InternalError("events not read");
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
    if (!record.ok()) return record.status();
    events = txn.ListCaseEvents(number, BoundedPage(context.limits, page));
    return events.status();
  });
  if (!read.ok()) return read;
  if (!core::CanSeeInternal(caller.viewer)) {
    // Filtering after paging may shorten a page; the cursor stays valid.
    std::erase_if(events->items,
                  [](const core::AuditEvent& event) { return IsInternalEventKind(event.kind); });
  }
  return events;
}

}  // namespace casedesk::app

#include "app/get_case.h"

#include <utility>

namespace casedesk::app {

absl::StatusOr<CaseView> GetCase(AppContext& context, const Caller& caller,
                                 core::CaseNumber number) {
  absl::StatusOr<core::Case> record = absl::InternalError("case was not read");
  absl::StatusOr<std::optional<CaseSla>> sla = std::optional<CaseSla>();
  const absl::Time now = context.clock.Now();
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    // The case, its organisation and its history in one go: a case the caller may not see
    // costs a little more to refuse, and one it may see needs no further reads.
    absl::StatusOr<ports::CaseWithHistory> found = txn.GetCaseWithHistory(number);
    if (absl::IsNotFound(found.status())) return NotFoundCase(number);
    if (!found.ok()) return found.status();
    if (!core::CanSeeCase(caller.viewer, found->record)) return NotFoundCase(number);
    sla = context.sla->ComputeFor(txn, *found, now);
    record = std::move(found->record);
    return sla.status();
  });
  if (!read.ok()) return read;
  // Unsealing happens outside the read transaction.
  absl::StatusOr<CaseView> view = ViewCase(context.crypto, caller.viewer, *std::move(record));
  if (view.ok()) view->sla = *std::move(sla);
  return view;
}

}  // namespace casedesk::app

#include "app/get_case.h"

#include <utility>

namespace casedesk::app {

absl::StatusOr<CaseView> GetCase(AppContext& context, const Caller& caller,
                                 core::CaseNumber number) {
  absl::StatusOr<core::Case> record = absl::InternalError("case was not read");
  absl::StatusOr<std::optional<CaseSla>> sla = std::optional<CaseSla>();
  const absl::Time now = context.clock.Now();
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    record = LoadVisibleCase(txn, caller.viewer, number);
    if (!record.ok()) return record.status();
    sla = context.sla->Compute(txn, *record, now);
    return sla.status();
  });
  if (!read.ok()) return read;
  // Unsealing happens outside the read transaction.
  absl::StatusOr<CaseView> view = ViewCase(context.crypto, caller.viewer, *std::move(record));
  if (view.ok()) view->sla = *std::move(sla);
  return view;
}

}  // namespace casedesk::app

#include "app/get_case.h"

#include <utility>

namespace casedesk::app {

absl::StatusOr<CaseView> GetCase(AppContext& context, const Caller& caller,
                                 core::CaseNumber number) {
  absl::StatusOr<core::Case> record = absl::InternalError("case was not read");
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    record = LoadVisibleCase(txn, caller.viewer, number);
    return record.status();
  });
  if (!read.ok()) return read;
  // Unsealing happens outside the read transaction.
  return ViewCase(context.crypto, caller.viewer, *std::move(record));
}

}  // namespace casedesk::app

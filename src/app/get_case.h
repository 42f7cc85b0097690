// Use case: read one case by number. A case the caller may not see is NotFound, exactly like
// a case that does not exist. Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/case_support.h"

namespace casedesk::app {

absl::StatusOr<CaseView> GetCase(AppContext& context, const Caller& caller,
                                 core::CaseNumber number);

}  // namespace casedesk::app

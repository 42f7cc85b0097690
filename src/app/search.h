// Use case: full-text search over the cases a caller may see (subjects, descriptions, public
// replies; internal notes for provider staff only). Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "ports/store.h"

namespace casedesk::app {

struct SearchRequest {
  std::string text;
  ports::PageRequest page;
};

absl::StatusOr<ports::Page<ports::SearchHit>> SearchCases(AppContext& context, const Caller& caller,
                                                          const SearchRequest& request);

}  // namespace casedesk::app

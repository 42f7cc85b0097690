#include "app/search.h"

#include <map>
#include <utility>

#include "app/case_support.h"
#include "core/access.h"

namespace casedesk::app {

namespace {
constexpr size_t kMaxQueryLength = 500;
}  // namespace

absl::StatusOr<ports::Page<ports::SearchHit>> SearchCases(AppContext& context, const Caller& caller,
                                                          const SearchRequest& request) {
  if (request.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError("query parameter 'q' is required");
  }
  if (request.text.size() > kMaxQueryLength) {
    return absl::InvalidArgumentError("query parameter 'q' is longer than 500 characters");
  }
  ports::SearchQuery query;
  query.text = request.text;
  query.scope = core::ScopeFor(caller.viewer);
  query.include_internal = core::CanSeeInternal(caller.viewer);
  query.page = BoundedPage(context.limits, request.page);

  absl::StatusOr<ports::Page<ports::SearchHit>> hits = absl::InternalError("search not run");
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    hits = txn.Search(query);
    if (!hits.ok()) return hits.status();
    if (query.scope.all) return absl::OkStatus();
    // The store applied the scope; each hit's case is checked once more (a page is small and
    // these are primary-key reads), so a search can never reveal another tenant's case.
    std::map<core::CaseNumber, bool> visible;
    for (const ports::SearchHit& hit : hits->items) {
      if (visible.contains(hit.case_number)) continue;
      absl::StatusOr<core::Case> record = txn.GetCase(hit.case_number);
      if (!record.ok() && !absl::IsNotFound(record.status())) return record.status();
      visible[hit.case_number] = record.ok() && core::CanSeeCase(query.scope, *record);
    }
    std::erase_if(hits->items,
                  [&](const ports::SearchHit& hit) { return !visible[hit.case_number]; });
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  if (!query.include_internal) {
    std::erase_if(hits->items,
                  [](const ports::SearchHit& hit) { return hit.matched_in == "internal_note"; });
  }
  return hits;
}

}  // namespace casedesk::app

#include "app/portal_cases.h"

#include <utility>

#include "app/case_support.h"
#include "app/portal_identity.h"
#include "core/access.h"

namespace casedesk::app {
namespace {

// How many store pages one portal page may read looking for matches.
constexpr int kMaxStorePages = 20;

}  // namespace

bool InPortalState(PortalCaseState state, core::CaseStatus status) {
  const bool done = status == core::CaseStatus::kSolved || status == core::CaseStatus::kClosed;
  switch (state) {
    case PortalCaseState::kOpen:
      return !done;
    case PortalCaseState::kSolved:
      return done;
    case PortalCaseState::kAll:
      return true;
  }
  return true;
}

absl::StatusOr<ports::Page<PortalCaseRow>> ListPortalCases(AppContext& context,
                                                           const Caller& caller,
                                                           const PortalCaseQuery& query) {
  if (!MayUsePortal(caller.viewer)) {
    return absl::PermissionDeniedError("the portal is for customers and partner agents");
  }
  const core::CaseScope visible = core::ScopeFor(caller.viewer);
  ports::CaseFilter filter;
  filter.scope = visible;
  if (query.mine_only) {
    // Narrower than what they may see: requested or followed by them.
    filter.scope = core::CaseScope{};
    filter.scope.participant = caller.viewer.user_id;
  }
  filter.page = BoundedPage(context.limits, query.page);
  const int wanted = filter.page.limit;
  const absl::Time now = context.clock.Now();
  ports::Page<PortalCaseRow> result;
  const absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    result = {};
    ports::CaseFilter next = filter;
    for (int pages = 0; pages < kMaxStorePages; ++pages) {
      absl::StatusOr<ports::Page<core::Case>> page = txn.ListCases(next);
      if (!page.ok()) return page.status();
      for (core::Case& record : page->items) {
        if (!core::CanSeeCase(visible, record) || !core::CanSeeCase(filter.scope, record)) continue;
        if (!InPortalState(query.state, record.status)) continue;
        record.sealed_secrets.clear();
        absl::StatusOr<std::optional<CaseSla>> sla =
            context.sla->Compute(txn, record, now, /*explain=*/false);
        if (!sla.ok()) return sla.status();
        PortalPromise promise = PromiseFor(record, *sla, now);
        result.items.push_back({std::move(record), promise});
      }
      result.next_cursor = page->next_cursor;
      if (page->next_cursor.empty() || static_cast<int>(result.items.size()) >= wanted) break;
      next.page.cursor = page->next_cursor;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return result;
}

}  // namespace casedesk::app

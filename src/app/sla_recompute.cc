#include "app/sla_recompute.h"

#include <map>
#include <vector>

#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr int kListPage = 200;
constexpr size_t kCasesPerUnit = 200;

bool IsFinal(core::CaseStatus status) {
  return status == core::CaseStatus::kSolved || status == core::CaseStatus::kClosed;
}

// Refreshes `numbers` in one unit of work.
absl::Status RefreshBatch(AppContext& context, const std::vector<core::CaseNumber>& numbers,
                          absl::Time now) {
  std::shared_ptr<SlaEngine> sla = context.sla;
  return context.store.WriteAndWait([&numbers, sla, now](ports::StoreTransaction& txn) {
    for (core::CaseNumber number : numbers) {
      absl::StatusOr<core::Case> record = txn.GetCase(number);
      if (!record.ok()) return record.status();
      if (absl::Status refreshed = sla->Refresh(txn, *record, now); !refreshed.ok()) {
        return refreshed;
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace

absl::StatusOr<int64_t> RecomputeOpenCases(AppContext& context, const std::string& plan,
                                           absl::Time now) {
  std::map<core::OrgId, bool> org_matches;  // organisation -> holds the plan
  ports::CaseFilter filter;
  filter.scope.all = true;
  filter.page.limit = kListPage;
  int64_t recomputed = 0;
  std::vector<core::CaseNumber> batch;
  while (true) {
    std::vector<core::CaseNumber> wanted;
    std::string next_cursor;
    absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
      absl::StatusOr<ports::Page<core::Case>> page = txn.ListCases(filter);
      if (!page.ok()) return page.status();
      for (const core::Case& record : page->items) {
        if (IsFinal(record.status)) continue;
        auto known = org_matches.find(record.org_id);
        if (known == org_matches.end()) {
          absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record.org_id);
          if (!org.ok()) return org.status();
          known = org_matches.emplace(record.org_id, plan.empty() || org->plan == plan).first;
        }
        if (known->second) wanted.push_back(record.number);
      }
      next_cursor = page->next_cursor;
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    for (core::CaseNumber number : wanted) {
      batch.push_back(number);
      if (batch.size() == kCasesPerUnit) {
        if (absl::Status refreshed = RefreshBatch(context, batch, now); !refreshed.ok()) {
          return refreshed;
        }
        recomputed += static_cast<int64_t>(batch.size());
        batch.clear();
      }
    }
    if (next_cursor.empty()) break;
    filter.page.cursor = next_cursor;
  }
  if (!batch.empty()) {
    if (absl::Status refreshed = RefreshBatch(context, batch, now); !refreshed.ok()) {
      return refreshed;
    }
    recomputed += static_cast<int64_t>(batch.size());
  }
  return recomputed;
}

}  // namespace casedesk::app

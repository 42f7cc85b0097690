#include "app/status_maintenance.h"

#include <optional>
#include <vector>

#include "app/status_components.h"
#include "app/status_incidents.h"
#include "app/store_calls.h"
#include "core/status_page.h"

namespace casedesk::app {
namespace {

constexpr int kBatch = 50;

std::string TransitionText(core::IncidentStatus status) {
  switch (status) {
    case core::IncidentStatus::kInProgress:
      return "The scheduled maintenance is now in progress.";
    case core::IncidentStatus::kCompleted:
      return "The scheduled maintenance has been completed.";
    default:
      return "";
  }
}

}  // namespace

absl::StatusOr<int> AdvanceDueMaintenance(AppContext& context) {
  const absl::Time now = context.clock.Now();
  absl::StatusOr<std::vector<core::Incident>> due = ReadValue<std::vector<core::Incident>>(
      context.store,
      [now](ports::StoreTransaction& txn) { return txn.ListDueMaintenance(now, kBatch); });
  if (!due.ok()) return due.status();
  int moved = 0;
  for (const core::Incident& candidate : *due) {
    absl::StatusOr<bool> outcome = Await<bool>([&](Done<bool> done) {
      WriteValue<bool>(
          context.store,
          [&context, id = candidate.id, now](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
            absl::StatusOr<core::Incident> maintenance = txn.GetIncident(id);
            if (absl::IsNotFound(maintenance.status())) return false;
            if (!maintenance.ok()) return maintenance.status();
            const std::optional<core::IncidentStatus> next =
                core::DueMaintenanceTransition(*maintenance, now);
            if (!next) return false;  // moved meanwhile, by hand or by another node
            IncidentUpdateRequest request;
            request.status = *next;
            request.body = TransitionText(*next);
            absl::StatusOr<core::IncidentUpdate> update =
                AppendIncidentUpdate(txn, context, *maintenance, request, 0, now, nullptr);
            if (!update.ok()) return update.status();
            return true;
          },
          AfterStatusChange(context, std::move(done)));
    });
    // Another node moved it between our read and our write: its update stands.
    if (absl::IsAborted(outcome.status())) continue;
    if (!outcome.ok()) return outcome.status();
    if (*outcome) ++moved;
  }
  return moved;
}

}  // namespace casedesk::app

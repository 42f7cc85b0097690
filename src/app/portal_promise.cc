#include "app/portal_promise.h"

namespace casedesk::app {
namespace {

PortalPromise Due(PromiseKind kind, const core::SlaClock& clock, absl::Time now) {
  PortalPromise promise;
  promise.kind = clock.due_at ? kind : PromiseKind::kNone;
  promise.due = clock.due_at;
  promise.late = clock.due_at && *clock.due_at <= now;
  return promise;
}

}  // namespace

PortalPromise PromiseFor(const core::Case& record, const std::optional<CaseSla>& sla,
                         absl::Time now) {
  if (record.status == core::CaseStatus::kSolved || record.status == core::CaseStatus::kClosed) {
    return {.kind = PromiseKind::kSolved};
  }
  if (!sla) return {};
  const core::SlaClocks& clocks = sla->clocks;
  if (clocks.first_response.paused() || clocks.next_update.paused()) {
    return {.kind = PromiseKind::kWaitingOnYou};
  }
  if (clocks.first_response.state == core::SlaClockState::kRunning) {
    return Due(PromiseKind::kFirstReply, clocks.first_response, now);
  }
  if (clocks.next_update.state == core::SlaClockState::kRunning) {
    return Due(PromiseKind::kNextUpdate, clocks.next_update, now);
  }
  return {};
}

}  // namespace casedesk::app

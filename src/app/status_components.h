// Use cases for the status page's components: admins create and change them (a component
// names its group, created on first use), provider staff list them. A status change is recorded
// in the component's history (the uptime bars come from it) in the same unit of work as the
// change and its audit event. Thread-safe: functions over the thread-safe ports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/status_page.h"
#include "ports/store.h"

namespace casedesk::app {

struct NewStatusComponent {
  std::string name;
  std::string group;  // the group's name; empty: top level
  std::string description;
  core::ComponentStatus status = core::ComponentStatus::kOperational;
  std::optional<int> position;  // default: after its siblings
  bool only_show_if_degraded = false;
};

// Unset fields stay. `group` moves the component (empty: to the top level).
struct StatusComponentPatch {
  std::optional<std::string> name;
  std::optional<std::string> group;
  std::optional<std::string> description;
  std::optional<core::ComponentStatus> status;
  std::optional<int> position;
  std::optional<bool> only_show_if_degraded;
};

void CreateStatusComponent(AppContext& context, const core::Viewer& viewer,
                           NewStatusComponent request, Done<core::StatusComponent> done);
void UpdateStatusComponent(AppContext& context, const core::Viewer& viewer, core::ComponentId id,
                           StatusComponentPatch patch, Done<core::StatusComponent> done);
// Provider staff: every component and group by (position, id).
absl::StatusOr<std::vector<core::StatusComponent>> ListStatusComponents(AppContext& context,
                                                                        const core::Viewer& viewer);

// Inside a unit of work: gives `component` a new status, recording it in the history. Returns
// whether it changed. The caller writes the audit event.
absl::StatusOr<bool> SetComponentStatus(ports::StoreTransaction& txn,
                                        core::StatusComponent& component,
                                        core::ComponentStatus status, absl::Time now);

// Inside a unit of work: marks the status page changed (see status_page_settings.h).
absl::Status MarkStatusPageChanged(ports::StoreTransaction& txn, AppContext& context);

// Wraps a status write's `done`: once the unit of work committed, wakes the outbox (linked
// cases may have been mailed) and calls AppContext::status_changed (page cache, notice worker).
template <typename T>
Done<T> AfterStatusChange(const AppContext& context, Done<T> done) {
  return [outbox = context.outbox_changed, status = context.status_changed,
          done = std::move(done)](absl::StatusOr<T> outcome) {
    if (outcome.ok()) {
      if (outbox) outbox();
      if (status) status();
    }
    done(std::move(outcome));
  };
}

}  // namespace casedesk::app

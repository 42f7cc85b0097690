// What the store keeps for service tasks (issue 7): one record per service-task case, beside
// the case row, holding the flow's state, the latest estimate and schedule, and a revision that
// makes every update conditional on the state it was computed from (two people answering the
// same estimate at once: one wins, the other is told to reload). The history of the flow is the
// case's audit trail, not a table. Thread-safe: values only.
#pragma once

#include <cstdint>

#include "core/service_task.h"

namespace casedesk::ports {

// The record is core::ServiceTask itself; the revision is what UpdateServiceTask compares.
using ServiceTaskRecord = core::ServiceTask;

// The outcome of a conditional update.
enum class ServiceTaskWrite {
  kWritten,
  kStale,  // the stored revision was not the expected one: nothing written
};

}  // namespace casedesk::ports

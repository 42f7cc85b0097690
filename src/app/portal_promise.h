// Use case (pure part): the SLA promise a customer reads on a case, derived from its live SLA
// clocks: when we will first reply, when the next update is due, or that we are waiting for
// them. The wording (in the customer's time zone) is the portal adapter's job.
// Thread-safe: pure functions over values.
#pragma once

#include <optional>

#include "absl/time/time.h"
#include "app/sla_engine.h"
#include "core/case.h"

namespace casedesk::app {

enum class PromiseKind {
  kNone,          // no SLA applies, or its target has no instant: "as soon as we can"
  kFirstReply,    // the first reply is due at `due`
  kNextUpdate,    // the next update is due at `due`
  kWaitingOnYou,  // the clocks are paused: the case waits for the customer
  kSolved,        // solved or closed: nothing is promised any more
};

struct PortalPromise {
  PromiseKind kind = PromiseKind::kNone;
  std::optional<absl::Time> due;
  bool late = false;  // `due` has passed and the promise is still open
};

// The promise of `record` with its clocks `sla` (nullopt: no SLA) as of `now`.
PortalPromise PromiseFor(const core::Case& record, const std::optional<CaseSla>& sla,
                         absl::Time now);

}  // namespace casedesk::app

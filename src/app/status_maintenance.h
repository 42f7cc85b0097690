// Scheduled maintenance that moves by itself: at the window's start it goes in progress (its
// components under maintenance), at the window's end it completes (its components back to
// operational unless another open event holds them), each as an update in its timeline that
// subscribers are notified of. A transition is written with an optimistic check, so when
// several nodes look at once exactly one moves it.
// Thread-safe: functions over the thread-safe ports.
#pragma once

#include "absl/status/statusor.h"
#include "app/app_context.h"

namespace casedesk::app {

// Moves every automatic maintenance whose edge has passed; returns how many moved.
absl::StatusOr<int> AdvanceDueMaintenance(AppContext& context);

}  // namespace casedesk::app

// Initialises libsodium once per process before any of its functions are used. Thread-safe:
// the first caller initialises, every later caller sees the outcome.
#pragma once

#include "absl/status/status.h"

namespace casedesk::adapters::crypto {

// OK when libsodium is ready; Internal when its initialisation failed (no entropy source).
absl::Status EnsureSodiumInitialised();

}  // namespace casedesk::adapters::crypto

#include "adapters/crypto/sodium_init.h"

#include <sodium.h>

namespace casedesk::adapters::crypto {

absl::Status EnsureSodiumInitialised() {
  // A function-local static is initialised exactly once even under concurrent first calls.
  // sodium_init returns 0 on first success, 1 when already initialised, -1 on failure.
  static const int result = sodium_init();
  if (result < 0) return absl::InternalError("libsodium could not be initialised");
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::crypto

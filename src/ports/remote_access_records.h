// What the store keeps about remote access requests (issue 7) beyond the values in
// core/remote_access.h: the outcome of a conditional update, which is how each move (a grant,
// a revocation, the expiry sweep) is claimed exactly once across nodes and restarts.
// Thread-safe: values only.
#pragma once

#include "core/remote_access.h"

namespace casedesk::ports {

// What UpdateRemoteAccessRequest did.
enum class RemoteAccessWrite {
  kWritten,  // the stored status was the expected one; the row now holds the new values
  kStale,    // another unit of work moved the request first; nothing written
};

}  // namespace casedesk::ports

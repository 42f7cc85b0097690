// Content-addressed storage of attachment bytes. Put is durable before it returns (the blob is
// on disk before any database row points at it). Keys are hex SHA-256 digests chosen by the
// store, never by clients. Implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace casedesk::ports {

class BlobStore {
 public:
  virtual ~BlobStore() = default;
  // Stores the bytes and returns their hex SHA-256 digest; storing the same bytes twice is free.
  virtual absl::StatusOr<std::string> Put(std::string_view content) = 0;
  virtual absl::StatusOr<std::string> Get(std::string_view digest) const = 0;
};

}  // namespace casedesk::ports

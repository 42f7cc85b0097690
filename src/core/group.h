// Groups (queues) of provider agents; one may be the shared triage queue.
// Thread-safe: value types.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

struct Group {
  GroupId id = 0;
  std::string name;
  std::string description;
  bool triage = false;  // the shared queue new cases land in
  std::vector<UserId> members;
  absl::Time created_at = absl::InfinitePast();
};

absl::Status ValidateGroup(const Group& group);

}  // namespace casedesk::core

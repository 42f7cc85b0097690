#include "core/group.h"

namespace casedesk::core {

absl::Status ValidateGroup(const Group& group) {
  if (group.name.empty() || group.name.size() > 100) {
    return absl::InvalidArgumentError("name must be 1 to 100 characters");
  }
  if (group.members.size() > 10000) return absl::InvalidArgumentError("too many members");
  return absl::OkStatus();
}

}  // namespace casedesk::core

#include "app/audit_trail.h"

#include <array>

#include "app/store_calls.h"
#include "core/user.h"

namespace casedesk::app {

bool IsDirectoryEntity(std::string_view entity) {
  static constexpr std::array<std::string_view, 9> kEntities{"organisation",
                                                             "user",
                                                             "group",
                                                             "plan",
                                                             "token",
                                                             "status_component",
                                                             "status_incident",
                                                             "status_maintenance",
                                                             "status_subscriber"};
  for (std::string_view known : kEntities) {
    if (known == entity) return true;
  }
  return false;
}

absl::StatusOr<ports::Page<core::AuditEvent>> ListEntityEvents(AppContext& context,
                                                               const core::Viewer& viewer,
                                                               std::string_view entity,
                                                               std::string entity_id,
                                                               const ports::PageRequest& page) {
  if (!IsDirectoryEntity(entity) || !core::IsProviderStaff(viewer.role)) {
    return absl::NotFoundError("not found");
  }
  const std::string entity_name(entity);
  return ReadValue<ports::Page<core::AuditEvent>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<ports::Page<core::AuditEvent>> {
        return txn.ListEntityEvents(entity_name, entity_id, page);
      });
}

}  // namespace casedesk::app

// The audit trail of directory entities (organisations, people, groups, plans, tokens) and of the
// status page's components, incidents, maintenance and subscribers, for provider staff. Case trails
// are served by case_events.h with the case's visibility rules. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/audit_event.h"
#include "ports/store.h"

namespace casedesk::app {

// Entities whose trail may be listed here.
bool IsDirectoryEntity(std::string_view entity);

// Provider staff only: everyone else gets NotFound, as if the trail did not exist. Oldest first.
absl::StatusOr<ports::Page<core::AuditEvent>> ListEntityEvents(AppContext& context,
                                                               const core::Viewer& viewer,
                                                               std::string_view entity,
                                                               std::string entity_id,
                                                               const ports::PageRequest& page);

}  // namespace casedesk::app

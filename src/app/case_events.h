// Use case: the audit trail of one case, oldest first. Events about internal notes and
// internal attachments are shown to provider staff only. Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "core/audit_event.h"
#include "ports/store.h"

namespace casedesk::app {

absl::StatusOr<ports::Page<core::AuditEvent>> ListCaseEvents(AppContext& context,
                                                             const Caller& caller,
                                                             core::CaseNumber number,
                                                             const ports::PageRequest& page);

}  // namespace casedesk::app

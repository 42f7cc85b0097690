// The written definitions of severity levels 1 Critical .. 4 Other that customers read when they
// choose a severity, held as configuration (the "severity_definitions" setting, JSON) so a desk
// can reword them. Everyone authenticated may read them; only admins replace them.
// Thread-safe: functions over the thread-safe ports.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/severity.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kSeverityDefinitionsSetting = "severity_definitions";

// The wording a fresh desk starts with, levels 1..4 in order.
std::vector<core::SeverityDefinition> DefaultSeverityDefinitions();

// Exactly one definition per level 1..4, each with a name and summary of sensible length.
absl::Status ValidateSeverityDefinitions(const std::vector<core::SeverityDefinition>& definitions);

// The setting's stored form and back. Parsing fails with DataLoss on a malformed document.
std::string SeverityDefinitionsToSetting(const std::vector<core::SeverityDefinition>& definitions);
absl::StatusOr<std::vector<core::SeverityDefinition>> SeverityDefinitionsFromSetting(
    std::string_view text);

// The current definitions inside a transaction (the defaults when none are stored), by level.
absl::StatusOr<std::vector<core::SeverityDefinition>> LoadSeverityDefinitions(
    ports::StoreTransaction& txn);

// GET /api/v1/severities: any authenticated caller.
absl::StatusOr<std::vector<core::SeverityDefinition>> GetSeverityDefinitions(AppContext& context);

// PUT /api/v1/severities: admins replace all four definitions; the audit event lists what changed.
void ReplaceSeverityDefinitions(
    AppContext& context, const core::Viewer& viewer,
    std::vector<core::SeverityDefinition> definitions,
    std::function<void(absl::StatusOr<std::vector<core::SeverityDefinition>>)> done);

}  // namespace casedesk::app

// Use case: the portal's intake configuration: which of the intake fields a person opening a
// case must fill in, per category and per support plan (seed 001's list of what support needs:
// partner reference, server name, external IP, stack, error text, steps already tried,
// screenshots and logs, people to CC, credentials). Held as the "portal/intake" setting (JSON);
// a desk without one uses the defaults below. Everyone in the portal reads it; admins replace it
// (PUT /api/v1/portal/intake), with an audit event. Thread-safe: free functions.
//
// The document:
//   {"required": ["error_text"],                       // always required
//    "categories": {"incident": ["server_name", ...]}, // required for a category
//    "plans": {"enterprise": ["external_ip"]}}         // required for a plan's customers
// A field is required when any of the three lists names it.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/case.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kPortalIntakeSetting = "portal/intake";

// Intake fields that are case fields (core::Case::fields) under the same key.
inline constexpr std::array<std::string_view, 6> kIntakeCaseFields{
    "server_name", "external_ip", "stack", "error_text", "steps_tried", "customer_alias"};
// The other intake fields.
inline constexpr std::string_view kIntakePartnerReference = "partner_reference";
inline constexpr std::string_view kIntakeCc = "cc";
inline constexpr std::string_view kIntakeAttachments = "attachments";
inline constexpr std::string_view kIntakeCredentials = "credentials";

// Every key a configuration may name.
bool IsIntakeField(std::string_view key);

struct PortalIntakeSettings {
  std::vector<std::string> required;
  std::map<core::Category, std::vector<std::string>> categories;
  std::map<std::string, std::vector<std::string>> plans;  // by plan name
};

// What a fresh desk asks for, modelled on seed 001: the error, the steps tried and the server
// for incidents and problems; the server for service requests; nothing extra for questions.
PortalIntakeSettings DefaultPortalIntakeSettings();

// InvalidArgument naming the field ("categories.incident[1]: unknown intake field 'x'").
absl::StatusOr<PortalIntakeSettings> PortalIntakeSettingsFromJson(const nlohmann::json& json);
nlohmann::json PortalIntakeSettingsToJson(const PortalIntakeSettings& settings);

// The fields required of a case in `category` for an organisation on `plan`.
std::set<std::string> RequiredIntakeFields(const PortalIntakeSettings& settings,
                                           std::string_view plan, core::Category category);

// Stored, else the defaults (a damaged document: DataLoss).
absl::StatusOr<PortalIntakeSettings> LoadPortalIntakeSettings(ports::StoreTransaction& txn);
absl::StatusOr<PortalIntakeSettings> GetPortalIntakeSettings(AppContext& context);

// Admins only (PermissionDenied otherwise); records "portal.intake_changed".
void ReplacePortalIntakeSettings(AppContext& context, const core::Viewer& viewer,
                                 PortalIntakeSettings settings, Done<PortalIntakeSettings> done);

}  // namespace casedesk::app

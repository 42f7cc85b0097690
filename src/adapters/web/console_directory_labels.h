// The words and <select> options the console's directory pages (people, groups, organisations)
// use for roles, tiers and organisation kinds, and the short text of a directory audit event.
// Thread-safe: pure functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "adapters/web/template_data.h"
#include "core/audit_event.h"
#include "core/ids.h"
#include "core/organisation.h"
#include "core/user.h"

namespace casedesk::adapters::web {

// "Customer contact", "Partner agent", "Agent", "Success manager", "Admin".
std::string_view RoleText(core::Role role);
// "None", "Shift engineer", "Shift lead", "Subject-matter expert", ...
std::string_view TierText(core::Tier tier);
// "Provider", "Partner", "Customer".
std::string_view OrgKindText(core::OrgKind kind);

// Options (value, label, selected) for the console's option partial. `any_label`, when not
// empty, adds a first option with the empty value (a filter's "any").
TemplateData RoleOptions(std::string_view selected, std::string_view any_label);
TemplateData TierOptions(std::string_view selected);
// Partner and customer only (the provider is never created).
TemplateData OrgKindOptions(std::string_view selected, std::string_view any_label);

// One line for a directory event: "name: Ann → Anna; active: true → false" (or the kind's
// words when nothing changed), with who did it from `names`.
TemplateData DirectoryEventData(const core::AuditEvent& event,
                                const std::map<core::UserId, std::string>& names);

}  // namespace casedesk::adapters::web

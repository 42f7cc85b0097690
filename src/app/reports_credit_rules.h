// Service-credit rules per support plan (issue 7, seed 003), kept like the SLA policies: one
// settings document per plan ("credit_rules/<plan>", JSON), replacing the shipped default of
// that plan (core::DefaultCreditRules). Provider staff read them; provider admins change them,
// each change with an audit event {entity "setting", entity_id the key, kind
// "credit_rules.updated", change "document" before/after}.
//
// JSON shape (the API's body and the stored form):
//   {"monthly_fee_cents": 250000, "currency": "USD", "cap_percent": 50,
//    "rules": [{"severity": "critical", "clock": "resolution", "percent": 15}, ...]}
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/report_credits.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kCreditRulesSettingPrefix = "credit_rules/";
inline constexpr std::string_view kCreditRulesUpdated = "credit_rules.updated";

std::string CreditRulesSettingKey(std::string_view plan);

nlohmann::json CreditRulesToJson(const core::CreditRules& rules);  // without the plan
// InvalidArgument naming the field for a wrong shape or unknown member; the values are then
// checked by core::ValidateCreditRules. `plan` is copied into the result.
absl::StatusOr<core::CreditRules> CreditRulesFromJson(const nlohmann::json& json,
                                                      std::string_view plan);

struct PlanCreditRules {
  core::CreditRules rules;
  bool shipped = false;  // no stored document: the shipped default (or none) applies
};

// The rules in force for `plan`: stored, else shipped, else none (no credits). DataLoss for a
// stored document that does not parse.
absl::StatusOr<PlanCreditRules> LoadCreditRules(ports::StoreTransaction& txn,
                                                std::string_view plan);

// Every plan's rules, by plan name. Provider staff only (PermissionDenied otherwise).
absl::StatusOr<std::vector<PlanCreditRules>> ListCreditRules(AppContext& context,
                                                             const Caller& caller);
// Replaces the plan's rules. PermissionDenied unless a provider admin; NotFound for an unknown
// plan; InvalidArgument from validation.
void PutCreditRules(AppContext& context, const Caller& caller, std::string plan,
                    core::CreditRules rules, Done<PlanCreditRules> done);

}  // namespace casedesk::app

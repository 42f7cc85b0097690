#include "app/reports_credit_rules.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/enum_names.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using nlohmann::json;

std::optional<core::CreditRules> ShippedRules(std::string_view plan) {
  for (core::CreditRules& rules : core::DefaultCreditRules()) {
    if (rules.plan == plan) return std::move(rules);
  }
  return std::nullopt;
}

absl::Status Unknown(const json& object, const std::set<std::string>& allowed,
                     const std::string& prefix) {
  for (const auto& [key, value] : object.items()) {
    if (!allowed.contains(key)) {
      return absl::InvalidArgumentError(absl::StrCat(prefix, key, ": unknown field"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<core::CreditRule> RuleFromJson(const json& item, size_t index) {
  const std::string field = absl::StrCat("rules[", index, "]");
  if (!item.is_object()) return absl::InvalidArgumentError(field + ": must be an object");
  if (absl::Status s = Unknown(item, {"severity", "clock", "percent"}, field + "."); !s.ok()) {
    return s;
  }
  core::CreditRule rule;
  const auto severity = item.find("severity");
  std::optional<core::Severity> level;
  if (severity != item.end() && severity->is_string()) {
    level = core::EnumFromName<core::Severity>(core::kSeverityNames, severity->get<std::string>());
  }
  if (!level) {
    return absl::InvalidArgumentError(field + ".severity: must be critical, major, minor or other");
  }
  rule.severity = *level;
  const auto clock = item.find("clock");
  std::optional<core::SlaClockKind> kind;
  if (clock != item.end() && clock->is_string()) {
    kind =
        core::EnumFromName<core::SlaClockKind>(core::kSlaClockKindNames, clock->get<std::string>());
  }
  if (!kind) {
    return absl::InvalidArgumentError(field +
                                      ".clock: must be first_response, resolution or next_update");
  }
  rule.clock = *kind;
  const auto percent = item.find("percent");
  if (percent == item.end() || !percent->is_number()) {
    return absl::InvalidArgumentError(field + ".percent: must be a number");
  }
  rule.percent = percent->get<double>();
  return rule;
}

absl::Status RequireStaff(const Caller& caller) {
  if (core::IsProviderStaff(caller.viewer.role)) return absl::OkStatus();
  return absl::PermissionDeniedError("only provider staff may read service-credit rules");
}

}  // namespace

std::string CreditRulesSettingKey(std::string_view plan) {
  return absl::StrCat(std::string(kCreditRulesSettingPrefix), std::string(plan));
}

json CreditRulesToJson(const core::CreditRules& rules) {
  json items = json::array();
  for (const core::CreditRule& rule : rules.rules) {
    items.push_back(
        {{"severity", core::NameOf<core::Severity>(core::kSeverityNames, rule.severity)},
         {"clock", core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, rule.clock)},
         {"percent", rule.percent}});
  }
  return {{"monthly_fee_cents", rules.monthly_fee_cents},
          {"currency", rules.currency},
          {"cap_percent", rules.cap_percent},
          {"rules", std::move(items)}};
}

absl::StatusOr<core::CreditRules> CreditRulesFromJson(const json& body, std::string_view plan) {
  if (!body.is_object()) return absl::InvalidArgumentError("body: must be a JSON object");
  if (absl::Status s = Unknown(body, {"monthly_fee_cents", "currency", "cap_percent", "rules"}, "");
      !s.ok()) {
    return s;
  }
  core::CreditRules rules;
  rules.plan = std::string(plan);
  if (const auto fee = body.find("monthly_fee_cents"); fee != body.end()) {
    if (!fee->is_number_integer()) {
      return absl::InvalidArgumentError("monthly_fee_cents: must be a whole number");
    }
    rules.monthly_fee_cents = fee->get<int64_t>();
  }
  if (const auto currency = body.find("currency"); currency != body.end()) {
    if (!currency->is_string()) return absl::InvalidArgumentError("currency: must be a string");
    rules.currency = currency->get<std::string>();
  }
  if (const auto cap = body.find("cap_percent"); cap != body.end()) {
    if (!cap->is_number()) return absl::InvalidArgumentError("cap_percent: must be a number");
    rules.cap_percent = cap->get<double>();
  }
  if (const auto items = body.find("rules"); items != body.end()) {
    if (!items->is_array()) return absl::InvalidArgumentError("rules: must be an array");
    for (size_t i = 0; i < items->size(); ++i) {
      absl::StatusOr<core::CreditRule> rule = RuleFromJson((*items)[i], i);
      if (!rule.ok()) return rule.status();
      rules.rules.push_back(*rule);
    }
  }
  if (absl::Status valid = core::ValidateCreditRules(rules); !valid.ok()) return valid;
  return rules;
}

absl::StatusOr<PlanCreditRules> LoadCreditRules(ports::StoreTransaction& txn,
                                                std::string_view plan) {
  const std::string key = CreditRulesSettingKey(plan);
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    std::optional<core::CreditRules> shipped = ShippedRules(plan);
    if (!shipped) shipped = core::CreditRules{.plan = std::string(plan)};
    return PlanCreditRules{.rules = *std::move(shipped), .shipped = true};
  }
  const json parsed = json::parse(**stored, nullptr, /*allow_exceptions=*/false);
  absl::StatusOr<core::CreditRules> rules = CreditRulesFromJson(parsed, plan);
  if (!rules.ok()) {
    return absl::DataLossError(
        absl::StrCat("setting ", key, ": not valid credit rules: ", rules.status().message()));
  }
  return PlanCreditRules{.rules = *std::move(rules), .shipped = false};
}

absl::StatusOr<std::vector<PlanCreditRules>> ListCreditRules(AppContext& context,
                                                             const Caller& caller) {
  if (absl::Status allowed = RequireStaff(caller); !allowed.ok()) return allowed;
  return ReadValue<std::vector<PlanCreditRules>>(
      context.store,
      [](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<PlanCreditRules>> {
        absl::StatusOr<std::vector<core::SupportPlan>> plans = txn.ListPlans();
        if (!plans.ok()) return plans.status();
        std::vector<PlanCreditRules> all;
        for (const core::SupportPlan& plan : *plans) {
          absl::StatusOr<PlanCreditRules> rules = LoadCreditRules(txn, plan.name);
          if (!rules.ok()) return rules.status();
          all.push_back(*std::move(rules));
        }
        std::sort(all.begin(), all.end(),
                  [](const auto& a, const auto& b) { return a.rules.plan < b.rules.plan; });
        return all;
      });
}

void PutCreditRules(AppContext& context, const Caller& caller, std::string plan,
                    core::CreditRules rules, Done<PlanCreditRules> done) {
  if (caller.viewer.role != core::Role::kAdmin) {
    return done(
        absl::PermissionDeniedError("only provider admins may change service-credit rules"));
  }
  rules.plan = plan;
  if (absl::Status valid = core::ValidateCreditRules(rules); !valid.ok()) return done(valid);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = caller.viewer.user_id;
  WriteValue<PlanCreditRules>(
      context.store,
      [plan = std::move(plan), rules = std::move(rules), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<PlanCreditRules> {
        absl::StatusOr<core::SupportPlan> found = txn.GetPlan(plan);
        if (!found.ok()) {
          if (absl::IsNotFound(found.status())) {
            return absl::NotFoundError(absl::StrCat("support plan '", plan, "' does not exist"));
          }
          return found.status();
        }
        const std::string key = CreditRulesSettingKey(plan);
        absl::StatusOr<std::optional<std::string>> before = txn.GetSetting(key);
        if (!before.ok()) return before.status();
        const std::string after = CreditRulesToJson(rules).dump();
        if (absl::Status put = txn.PutSetting(key, after); !put.ok()) return put;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "document", before->value_or(""), after);
        absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
            "setting", key, actor, now, std::string(kCreditRulesUpdated), std::move(changes)));
        if (!event.ok()) return event.status();
        return PlanCreditRules{.rules = rules, .shipped = false};
      },
      std::move(done));
}

}  // namespace casedesk::app

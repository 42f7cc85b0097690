#include "app/sla_settings.h"

#include <cmath>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/calendar_json.h"
#include "app/escalation_json.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

using nlohmann::json;

constexpr size_t kMaxConfigNameLength = 64;

absl::Status InvalidSetting(const std::string& where, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", std::string(what)));
}

// Rejects keys outside `allowed`, naming the place and the keys it takes.
absl::Status CheckKeys(const json& object, const std::string& where,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      std::string names;
      for (std::string_view name : allowed) {
        if (!names.empty()) names += ", ";
        names += std::string(name);
      }
      const std::string place = where.empty() ? key : absl::StrCat(where, ".", key);
      return InvalidSetting(place, absl::StrCat("unknown key (expected ", names, ")"));
    }
  }
  return absl::OkStatus();
}

std::string JoinPath(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : absl::StrCat(where, ".", std::string(key));
}

// A JSON integer that fits int64 (nlohmann keeps large positive values as unsigned).
absl::StatusOr<int64_t> IntegerField(const json& value, const std::string& where) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return InvalidSetting(where, "integer out of range");
    }
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  if (!value.is_number_integer()) return InvalidSetting(where, "expected an integer");
  return value.get<int64_t>();
}

absl::StatusOr<std::string> StringField(const json& value, const std::string& where) {
  if (!value.is_string()) return InvalidSetting(where, "expected a string");
  return value.get<std::string>();
}

// {"minutes": N} or {"named": "next_release"}, each with an optional "calendar".
absl::StatusOr<core::SlaTarget> TargetFromJson(const json& value, const std::string& where) {
  if (!value.is_object()) {
    return InvalidSetting(where,
                          "expected an object such as {\"minutes\": 60} or {\"named\": \"x\"}");
  }
  if (absl::Status keys = CheckKeys(value, where, {"minutes", "named", "calendar"}); !keys.ok()) {
    return keys;
  }
  const bool has_minutes = value.contains("minutes");
  const bool has_named = value.contains("named");
  if (has_minutes == has_named)
    return InvalidSetting(where, "give exactly one of minutes and named");
  std::string calendar;
  if (value.contains("calendar")) {
    absl::StatusOr<std::string> text = StringField(value["calendar"], JoinPath(where, "calendar"));
    if (!text.ok()) return text.status();
    calendar = *std::move(text);
  }
  if (has_minutes) {
    absl::StatusOr<int64_t> minutes = IntegerField(value["minutes"], JoinPath(where, "minutes"));
    if (!minutes.ok()) return minutes.status();
    return core::SlaTarget::Minutes(*minutes, std::move(calendar));
  }
  absl::StatusOr<std::string> name = StringField(value["named"], JoinPath(where, "named"));
  if (!name.ok()) return name.status();
  return core::SlaTarget::Named(*std::move(name), std::move(calendar));
}

json TargetToJson(const core::SlaTarget& target) {
  json out = json::object();
  if (target.is_named()) {
    out["named"] = target.name;
  } else {
    out["minutes"] = target.minutes;
  }
  if (!target.calendar.empty()) out["calendar"] = target.calendar;
  return out;
}

// {"every_minutes": N} or {"on_milestone": true}, each with an optional "calendar".
absl::StatusOr<core::UpdateCadence> CadenceFromJson(const json& value, const std::string& where) {
  if (!value.is_object()) {
    return InvalidSetting(where,
                          "expected an object such as {\"every_minutes\": 240} or "
                          "{\"on_milestone\": true}");
  }
  if (absl::Status keys = CheckKeys(value, where, {"every_minutes", "on_milestone", "calendar"});
      !keys.ok()) {
    return keys;
  }
  const bool has_every = value.contains("every_minutes");
  const bool has_milestone = value.contains("on_milestone");
  if (has_every == has_milestone) {
    return InvalidSetting(where, "give exactly one of every_minutes and on_milestone");
  }
  std::string calendar;
  if (value.contains("calendar")) {
    absl::StatusOr<std::string> text = StringField(value["calendar"], JoinPath(where, "calendar"));
    if (!text.ok()) return text.status();
    calendar = *std::move(text);
  }
  if (has_every) {
    absl::StatusOr<int64_t> minutes =
        IntegerField(value["every_minutes"], JoinPath(where, "every_minutes"));
    if (!minutes.ok()) return minutes.status();
    return core::UpdateCadence::Every(*minutes, std::move(calendar));
  }
  if (!value["on_milestone"].is_boolean() || !value["on_milestone"].get<bool>()) {
    return InvalidSetting(JoinPath(where, "on_milestone"),
                          "must be true (use every_minutes for a regular cadence)");
  }
  return core::UpdateCadence::OnMilestone(std::move(calendar));
}

json CadenceToJson(const core::UpdateCadence& cadence) {
  json out = json::object();
  if (cadence.kind == core::UpdateCadence::Kind::kEvery) {
    out["every_minutes"] = cadence.minutes;
  } else {
    out["on_milestone"] = true;
  }
  if (!cadence.calendar.empty()) out["calendar"] = cadence.calendar;
  return out;
}

absl::StatusOr<core::Severity> SeverityFromJsonLevel(const json& value, const std::string& where) {
  absl::StatusOr<int64_t> level = IntegerField(value, where);
  core::Severity severity;
  if (!level.ok() || *level < 1 || *level > 4 ||
      !core::SeverityFromLevel(static_cast<int>(*level), &severity)) {
    return InvalidSetting(where, "expected a severity level 1 to 4");
  }
  return severity;
}

absl::StatusOr<core::SeverityTargets> SeverityTargetsFromJson(const json& value,
                                                              const std::string& where) {
  if (!value.is_object()) {
    return InvalidSetting(where,
                          "expected an object with first_response, next_update and resolution");
  }
  if (absl::Status keys = CheckKeys(value, where, {"first_response", "next_update", "resolution"});
      !keys.ok()) {
    return keys;
  }
  for (const char* key : {"first_response", "next_update", "resolution"}) {
    if (!value.contains(key)) return InvalidSetting(JoinPath(where, key), "is required");
  }
  core::SeverityTargets targets;
  absl::StatusOr<core::SlaTarget> first =
      TargetFromJson(value["first_response"], JoinPath(where, "first_response"));
  if (!first.ok()) return first.status();
  targets.first_response = *std::move(first);
  absl::StatusOr<core::UpdateCadence> cadence =
      CadenceFromJson(value["next_update"], JoinPath(where, "next_update"));
  if (!cadence.ok()) return cadence.status();
  targets.next_update = *std::move(cadence);
  absl::StatusOr<core::SlaTarget> resolution =
      TargetFromJson(value["resolution"], JoinPath(where, "resolution"));
  if (!resolution.ok()) return resolution.status();
  targets.resolution = *std::move(resolution);
  return targets;
}

absl::StatusOr<core::AfterHoursRule> AfterHoursFromJson(const json& value) {
  const std::string where = "after_hours";
  if (!value.is_object()) {
    return InvalidSetting(where, "expected an object with severities, hours_calendar and clocks");
  }
  if (absl::Status keys = CheckKeys(value, where, {"severities", "hours_calendar", "clocks"});
      !keys.ok()) {
    return keys;
  }
  core::AfterHoursRule rule;
  if (value.contains("severities")) {
    const json& severities = value["severities"];
    if (!severities.is_array()) {
      return InvalidSetting("after_hours.severities", "expected an array of levels 1 to 4");
    }
    rule.severities.clear();
    for (size_t i = 0; i < severities.size(); ++i) {
      absl::StatusOr<core::Severity> severity =
          SeverityFromJsonLevel(severities[i], absl::StrCat("after_hours.severities[", i, "]"));
      if (!severity.ok()) return severity.status();
      rule.severities.push_back(*severity);
    }
  }
  if (value.contains("hours_calendar")) {
    absl::StatusOr<std::string> calendar =
        StringField(value["hours_calendar"], "after_hours.hours_calendar");
    if (!calendar.ok()) return calendar.status();
    rule.hours_calendar = *std::move(calendar);
  }
  if (!value.contains("clocks")) return InvalidSetting("after_hours.clocks", "is required");
  const json& clocks = value["clocks"];
  if (!clocks.is_object()) {
    return InvalidSetting("after_hours.clocks",
                          "expected an object such as {\"triage\": {\"minutes\": 15}}");
  }
  for (const auto& [name, target_json] : clocks.items()) {
    const std::string place = absl::StrCat("after_hours.clocks.", name);
    const std::optional<core::SlaClockKind> clock =
        core::EnumFromName<core::SlaClockKind>(core::kSlaClockKindNames, name);
    if (!clock) {
      return InvalidSetting(place, "unknown clock (expected triage or status_notification)");
    }
    absl::StatusOr<core::SlaTarget> target = TargetFromJson(target_json, place);
    if (!target.ok()) return target.status();
    rule.clocks[*clock] = *std::move(target);
  }
  return rule;
}

json AfterHoursToJson(const core::AfterHoursRule& rule) {
  json severities = json::array();
  for (core::Severity severity : rule.severities) {
    severities.push_back(core::SeverityLevel(severity));
  }
  json clocks = json::object();
  for (const auto& [clock, target] : rule.clocks) {
    clocks[std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock))] =
        TargetToJson(target);
  }
  json out = {{"severities", std::move(severities)}, {"clocks", std::move(clocks)}};
  if (!rule.hours_calendar.empty()) out["hours_calendar"] = rule.hours_calendar;
  return out;
}

std::string ShippedCalendarText(const core::CalendarSpec& spec) {
  return CalendarSpecToSetting(spec);
}

// The shipped documents as their stored text, computed once: the SLA engine asks for them on
// every evaluation.
const std::map<std::string, std::string>& ShippedCalendarTexts() {
  static const auto* texts = [] {
    auto* out = new std::map<std::string, std::string>();
    for (const auto& [name, spec] : core::DefaultCalendarSpecs()) {
      (*out)[name] = ShippedCalendarText(spec);
    }
    return out;
  }();
  return *texts;
}

const std::map<std::string, std::string>& ShippedSlaPolicyTexts() {
  static const auto* texts = [] {
    auto* out = new std::map<std::string, std::string>();
    for (const auto& [plan, policy] : core::DefaultSlaPolicies()) {
      (*out)[plan] = SlaPolicyToSetting(policy);
    }
    return out;
  }();
  return *texts;
}

absl::Status Malformed(std::string_view key, std::string_view why) {
  return absl::DataLossError(absl::StrCat("the stored setting \"", std::string(key),
                                          "\" is malformed: ", std::string(why)));
}

absl::StatusOr<json> ParseStored(std::string_view key, std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Malformed(key, "not JSON");
  return document;
}

}  // namespace

bool IsValidConfigName(std::string_view name) {
  if (name.empty() || name.size() > kMaxConfigNameLength) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string CalendarSettingKey(std::string_view name) {
  return absl::StrCat(std::string(kCalendarSettingPrefix), std::string(name));
}
std::string SlaPolicySettingKey(std::string_view plan) {
  return absl::StrCat(std::string(kSlaPolicySettingPrefix), std::string(plan));
}
std::string EscalationPolicySettingKey(std::string_view name) {
  return absl::StrCat(std::string(kEscalationPolicySettingPrefix), std::string(name));
}
std::string OnCallSettingKey(std::string_view name) {
  return absl::StrCat(std::string(kOnCallSettingPrefix), std::string(name));
}

json SlaPolicyToJson(const core::SlaPolicy& policy) {
  json targets = json::object();
  for (const auto& [severity, severity_targets] : policy.targets) {
    targets[std::to_string(core::SeverityLevel(severity))] = {
        {"first_response", TargetToJson(severity_targets.first_response)},
        {"next_update", CadenceToJson(severity_targets.next_update)},
        {"resolution", TargetToJson(severity_targets.resolution)}};
  }
  json pause = json::array();
  for (core::CaseStatus status : policy.pause_statuses) {
    pause.push_back(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, status));
  }
  return {{"business_calendar", policy.business_calendar},
          {"warning_fraction", policy.warning_fraction},
          {"pause_statuses", std::move(pause)},
          {"confirm_critical_before_paging", policy.confirm_critical_before_paging},
          {"targets", std::move(targets)},
          {"after_hours", policy.after_hours ? AfterHoursToJson(*policy.after_hours) : json()},
          {"estimate", policy.estimate ? TargetToJson(*policy.estimate) : json()}};
}

absl::StatusOr<core::SlaPolicy> SlaPolicyFromJson(const json& value) {
  if (!value.is_object()) {
    return absl::InvalidArgumentError(
        "an SLA policy must be a JSON object with business_calendar and targets");
  }
  if (absl::Status keys =
          CheckKeys(value, "",
                    {"business_calendar", "warning_fraction", "pause_statuses",
                     "confirm_critical_before_paging", "targets", "after_hours", "estimate"});
      !keys.ok()) {
    return keys;
  }
  core::SlaPolicy policy;
  if (!value.contains("business_calendar"))
    return InvalidSetting("business_calendar", "is required");
  absl::StatusOr<std::string> calendar =
      StringField(value["business_calendar"], "business_calendar");
  if (!calendar.ok()) return calendar.status();
  policy.business_calendar = *std::move(calendar);

  if (value.contains("warning_fraction")) {
    const json& fraction = value["warning_fraction"];
    if (!fraction.is_number()) return InvalidSetting("warning_fraction", "expected a number");
    policy.warning_fraction = fraction.get<double>();
  }
  if (value.contains("pause_statuses")) {
    const json& statuses = value["pause_statuses"];
    if (!statuses.is_array())
      return InvalidSetting("pause_statuses", "expected an array of statuses");
    policy.pause_statuses.clear();
    for (size_t i = 0; i < statuses.size(); ++i) {
      const std::string place = absl::StrCat("pause_statuses[", i, "]");
      absl::StatusOr<std::string> name = StringField(statuses[i], place);
      if (!name.ok()) return name.status();
      const std::optional<core::CaseStatus> status =
          core::EnumFromName<core::CaseStatus>(core::kCaseStatusNames, *name);
      if (!status) {
        return InvalidSetting(place, absl::StrCat("unknown status \"", *name,
                                                  "\" (expected new, open, pending or on_hold)"));
      }
      policy.pause_statuses.push_back(*status);
    }
  }
  if (value.contains("confirm_critical_before_paging")) {
    const json& flag = value["confirm_critical_before_paging"];
    if (!flag.is_boolean()) {
      return InvalidSetting("confirm_critical_before_paging", "expected true or false");
    }
    policy.confirm_critical_before_paging = flag.get<bool>();
  }
  if (!value.contains("targets")) return InvalidSetting("targets", "is required");
  const json& targets = value["targets"];
  if (!targets.is_object()) {
    return InvalidSetting("targets", "expected an object keyed by severity level \"1\" to \"4\"");
  }
  for (const auto& [level, severity_json] : targets.items()) {
    const std::string place = absl::StrCat("targets.", level);
    core::Severity severity;
    if (level.size() != 1 || level[0] < '1' || level[0] > '4' ||
        !core::SeverityFromLevel(level[0] - '0', &severity)) {
      return InvalidSetting(place, "unknown severity level (expected \"1\" to \"4\")");
    }
    absl::StatusOr<core::SeverityTargets> parsed = SeverityTargetsFromJson(severity_json, place);
    if (!parsed.ok()) return parsed.status();
    policy.targets[severity] = *std::move(parsed);
  }
  if (value.contains("after_hours") && !value["after_hours"].is_null()) {
    absl::StatusOr<core::AfterHoursRule> rule = AfterHoursFromJson(value["after_hours"]);
    if (!rule.ok()) return rule.status();
    policy.after_hours = *std::move(rule);
  }
  // Service tasks (issue 7): a document written before the estimate clock existed keeps the
  // shipped one-business-day estimate; null turns the clock off for the plan.
  if (!value.contains("estimate")) {
    policy.estimate = core::DefaultEstimateTarget();
  } else if (!value["estimate"].is_null()) {
    absl::StatusOr<core::SlaTarget> estimate = TargetFromJson(value["estimate"], "estimate");
    if (!estimate.ok()) return estimate.status();
    policy.estimate = *std::move(estimate);
  }
  return policy;
}

std::string CalendarSpecToSetting(const core::CalendarSpec& spec) {
  return CalendarSpecToJson(spec).dump();
}

absl::StatusOr<core::CalendarSpec> CalendarSpecFromSetting(std::string_view key,
                                                           std::string_view text) {
  absl::StatusOr<json> document = ParseStored(key, text);
  if (!document.ok()) return document.status();
  absl::StatusOr<core::CalendarSpec> spec = CalendarSpecFromJson(*document);
  if (!spec.ok()) return Malformed(key, std::string(spec.status().message()));
  return spec;
}

std::string SlaPolicyToSetting(const core::SlaPolicy& policy) {
  return SlaPolicyToJson(policy).dump();
}

absl::StatusOr<core::SlaPolicy> SlaPolicyFromSetting(std::string_view key, std::string_view text) {
  absl::StatusOr<json> document = ParseStored(key, text);
  if (!document.ok()) return document.status();
  absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromJson(*document);
  if (!policy.ok()) return Malformed(key, std::string(policy.status().message()));
  return policy;
}

std::string EscalationPolicyToSetting(const core::EscalationPolicy& policy) {
  return EscalationPolicyToJson(policy).dump();
}

absl::StatusOr<core::EscalationPolicy> EscalationPolicyFromSetting(std::string_view key,
                                                                   std::string_view text) {
  absl::StatusOr<json> document = ParseStored(key, text);
  if (!document.ok()) return document.status();
  absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromJson(*document);
  if (!policy.ok()) return Malformed(key, std::string(policy.status().message()));
  return policy;
}

std::string OnCallScheduleToSetting(const core::OnCallSchedule& schedule) {
  return OnCallScheduleToJson(schedule).dump();
}

absl::StatusOr<core::OnCallSchedule> OnCallScheduleFromSetting(std::string_view key,
                                                               std::string_view text) {
  absl::StatusOr<json> document = ParseStored(key, text);
  if (!document.ok()) return document.status();
  absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromJson(*document);
  if (!schedule.ok()) return Malformed(key, std::string(schedule.status().message()));
  return schedule;
}

absl::StatusOr<std::map<std::string, core::CalendarSpec>> LoadStoredCalendarSpecs(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored =
      txn.ListSettings(kCalendarSettingPrefix);
  if (!stored.ok()) return stored.status();
  std::map<std::string, core::CalendarSpec> specs;
  for (const auto& [key, text] : *stored) {
    absl::StatusOr<core::CalendarSpec> spec = CalendarSpecFromSetting(key, text);
    if (!spec.ok()) return spec.status();
    specs[key.substr(kCalendarSettingPrefix.size())] = *std::move(spec);
  }
  return specs;
}

absl::StatusOr<std::map<std::string, core::CalendarSpec>> LoadCalendarSpecs(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::map<std::string, core::CalendarSpec>> stored = LoadStoredCalendarSpecs(txn);
  if (!stored.ok()) return stored.status();
  std::map<std::string, core::CalendarSpec> specs = core::DefaultCalendarSpecs();
  for (auto& [name, spec] : *stored) specs.insert_or_assign(name, std::move(spec));
  return specs;
}

absl::StatusOr<std::map<std::string, std::string>> LoadCalendarTexts(ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored =
      txn.ListSettings(kCalendarSettingPrefix);
  if (!stored.ok()) return stored.status();
  std::map<std::string, std::string> texts = ShippedCalendarTexts();
  for (auto& [key, text] : *stored) {
    texts.insert_or_assign(key.substr(kCalendarSettingPrefix.size()), std::move(text));
  }
  return texts;
}

absl::StatusOr<std::optional<core::SlaPolicy>> LoadSlaPolicy(ports::StoreTransaction& txn,
                                                             std::string_view plan) {
  const std::string key = SlaPolicySettingKey(plan);
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) {
    absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromSetting(key, **stored);
    if (!policy.ok()) return policy.status();
    return std::optional<core::SlaPolicy>(*std::move(policy));
  }
  std::map<std::string, core::SlaPolicy> shipped = core::DefaultSlaPolicies();
  const auto it = shipped.find(std::string(plan));
  if (it == shipped.end()) return std::optional<core::SlaPolicy>();
  return std::optional<core::SlaPolicy>(std::move(it->second));
}

absl::StatusOr<std::optional<std::string>> LoadSlaPolicyText(ports::StoreTransaction& txn,
                                                             std::string_view plan) {
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(SlaPolicySettingKey(plan));
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return stored;
  const auto& shipped = ShippedSlaPolicyTexts();
  const auto it = shipped.find(std::string(plan));
  if (it == shipped.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

absl::StatusOr<std::map<std::string, core::SlaPolicy>> LoadSlaPolicies(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored =
      txn.ListSettings(kSlaPolicySettingPrefix);
  if (!stored.ok()) return stored.status();
  std::map<std::string, core::SlaPolicy> policies = core::DefaultSlaPolicies();
  for (const auto& [key, text] : *stored) {
    absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromSetting(key, text);
    if (!policy.ok()) return policy.status();
    policies.insert_or_assign(key.substr(kSlaPolicySettingPrefix.size()), *std::move(policy));
  }
  return policies;
}

absl::StatusOr<std::vector<core::EscalationPolicy>> LoadEscalationPolicies(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored =
      txn.ListSettings(kEscalationPolicySettingPrefix);
  if (!stored.ok()) return stored.status();
  std::vector<core::EscalationPolicy> policies;
  for (const auto& [key, text] : *stored) {
    absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromSetting(key, text);
    if (!policy.ok()) return policy.status();
    // The key is the name: a document edited to say otherwise still answers to its key.
    policy->name = key.substr(kEscalationPolicySettingPrefix.size());
    policies.push_back(*std::move(policy));
  }
  return policies;
}

absl::StatusOr<std::map<std::string, core::OnCallSchedule>> LoadOnCallSchedules(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored =
      txn.ListSettings(kOnCallSettingPrefix);
  if (!stored.ok()) return stored.status();
  std::map<std::string, core::OnCallSchedule> schedules;
  for (const auto& [key, text] : *stored) {
    absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromSetting(key, text);
    if (!schedule.ok()) return schedule.status();
    schedule->name = key.substr(kOnCallSettingPrefix.size());
    schedules[schedule->name] = *std::move(schedule);
  }
  return schedules;
}

}  // namespace casedesk::app

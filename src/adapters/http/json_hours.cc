#include "adapters/http/json_hours.h"

#include <string>

#include "adapters/http/api_support.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

template <typename Enum>
absl::StatusOr<Enum> EnumField(core::EnumNameTable<Enum> table, const std::string& text,
                               std::string_view field) {
  std::optional<Enum> value = core::EnumFromName<Enum>(table, text);
  if (!value) {
    std::string names;
    for (const auto& [candidate, name] : table) {
      names += (names.empty() ? "" : ", ") + std::string(name);
    }
    return absl::InvalidArgumentError(std::string(field) + ": must be one of " + names);
  }
  return *value;
}

absl::StatusOr<int64_t> IntegerField(const json& object, std::string_view field,
                                     std::optional<int64_t> fallback) {
  absl::StatusOr<std::optional<int64_t>> value = OptionalInteger(object, field);
  if (!value.ok()) return value.status();
  if (value->has_value()) return **value;
  if (fallback) return *fallback;
  return absl::InvalidArgumentError(std::string(field) + ": required");
}

json MinutesAsHours(int64_t minutes) { return static_cast<double>(minutes) / 60.0; }

}  // namespace

absl::StatusOr<app::TimeEntryInput> TimeEntryInputFromJson(const json& body) {
  app::TimeEntryInput input;
  if (!body.contains("minutes") || body["minutes"].is_null()) {
    return absl::InvalidArgumentError("minutes: required");
  }
  absl::StatusOr<int64_t> minutes = IntegerField(body, "minutes", std::nullopt);
  if (!minutes.ok()) return minutes.status();
  input.minutes = *minutes;
  absl::StatusOr<std::optional<bool>> billable = OptionalBool(body, "billable");
  if (!billable.ok()) return billable.status();
  input.billable = billable->value_or(true);
  absl::StatusOr<std::optional<std::string>> note = OptionalString(body, "note");
  if (!note.ok()) return note.status();
  input.note = note->value_or("");
  absl::StatusOr<std::optional<std::string>> activity = OptionalString(body, "activity");
  if (!activity.ok()) return activity.status();
  if (activity->has_value() && !(*activity)->empty()) {
    absl::StatusOr<core::Activity> parsed =
        EnumField<core::Activity>(core::kActivityNames, **activity, "activity");
    if (!parsed.ok()) return parsed.status();
    input.activity = *parsed;
  }
  absl::StatusOr<std::optional<std::string>> kind = OptionalString(body, "kind");
  if (!kind.ok()) return kind.status();
  if (kind->has_value()) {
    absl::StatusOr<core::HoursKind> parsed =
        EnumField<core::HoursKind>(core::kHoursKindNames, **kind, "kind");
    if (!parsed.ok()) return parsed.status();
    input.kind = *parsed;
  }
  absl::StatusOr<std::optional<std::string>> worked_at = OptionalString(body, "worked_at");
  if (!worked_at.ok()) return worked_at.status();
  if (worked_at->has_value()) {
    absl::Time at;
    std::string error;
    if (!absl::ParseTime(absl::RFC3339_full, **worked_at, &at, &error)) {
      return absl::InvalidArgumentError(
          "worked_at: must be an RFC 3339 time such as 2026-03-09T13:00:00Z");
    }
    input.worked_at = at;
  }
  return input;
}

absl::StatusOr<std::vector<core::HoursPackage>> PackagesFromRequestJson(const json& body) {
  if (!body.contains("packages") || !body["packages"].is_array()) {
    return absl::InvalidArgumentError("packages: required, a list");
  }
  std::vector<core::HoursPackage> packages;
  const json& list = body["packages"];
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string prefix = "packages[" + std::to_string(i) + "].";
    const json& item = list[i];
    if (!item.is_object()) return absl::InvalidArgumentError(prefix + ": must be an object");
    for (const auto& [key, value] : item.items()) {
      if (key != "kind" && key != "included_minutes" && key != "included_hours" &&
          key != "carry_over" && key != "carry_over_cap_minutes" && key != "thresholds_percent") {
        return absl::InvalidArgumentError(prefix + key + ": unknown field");
      }
    }
    core::HoursPackage package;
    absl::StatusOr<std::optional<std::string>> kind = OptionalString(item, "kind");
    if (!kind.ok())
      return absl::InvalidArgumentError(prefix + std::string(kind.status().message()));
    if (!kind->has_value()) return absl::InvalidArgumentError(prefix + "kind: required");
    absl::StatusOr<core::HoursKind> parsed =
        EnumField<core::HoursKind>(core::kHoursKindNames, **kind, prefix + "kind");
    if (!parsed.ok()) return parsed.status();
    package.kind = *parsed;
    if (item.contains("included_hours") && !item["included_hours"].is_null()) {
      if (!item["included_hours"].is_number()) {
        return absl::InvalidArgumentError(prefix + "included_hours: must be a number");
      }
      const double hours = item["included_hours"].get<double>();
      if (hours < 0 || hours > 744) {
        return absl::InvalidArgumentError(prefix + "included_hours: must be from 0 to 744");
      }
      package.included_minutes = static_cast<int64_t>(hours * 60.0 + 0.5);
    } else {
      absl::StatusOr<int64_t> included = IntegerField(item, "included_minutes", std::nullopt);
      if (!included.ok()) {
        return absl::InvalidArgumentError(prefix + std::string(included.status().message()));
      }
      package.included_minutes = *included;
    }
    absl::StatusOr<std::optional<std::string>> carry = OptionalString(item, "carry_over");
    if (!carry.ok())
      return absl::InvalidArgumentError(prefix + std::string(carry.status().message()));
    if (carry->has_value()) {
      absl::StatusOr<core::CarryOver> carry_over =
          EnumField<core::CarryOver>(core::kCarryOverNames, **carry, prefix + "carry_over");
      if (!carry_over.ok()) return carry_over.status();
      package.carry_over = *carry_over;
    }
    absl::StatusOr<int64_t> cap = IntegerField(item, "carry_over_cap_minutes", 0);
    if (!cap.ok()) return absl::InvalidArgumentError(prefix + std::string(cap.status().message()));
    package.carry_over_cap_minutes = *cap;
    if (item.contains("thresholds_percent") && !item["thresholds_percent"].is_null()) {
      if (!item["thresholds_percent"].is_array()) {
        return absl::InvalidArgumentError(prefix + "thresholds_percent: must be a list");
      }
      package.thresholds_percent.clear();
      for (const json& threshold : item["thresholds_percent"]) {
        if (!threshold.is_number_integer()) {
          return absl::InvalidArgumentError(prefix + "thresholds_percent: whole numbers only");
        }
        package.thresholds_percent.push_back(threshold.get<int>());
      }
    }
    packages.push_back(std::move(package));
  }
  return packages;
}

json TimeEntryToJson(const core::TimeEntry& entry) {
  return {{"id", entry.id},
          {"org_id", entry.org_id},
          {"case_number", entry.case_number ? json(*entry.case_number) : json(nullptr)},
          {"author_id", entry.author_id},
          {"worked_at", http::FormatTime(entry.worked_at)},
          {"minutes", entry.minutes},
          {"billable", entry.billable},
          {"note", entry.note},
          {"activity", entry.activity ? json(core::NameOf<core::Activity>(core::kActivityNames,
                                                                          *entry.activity))
                                      : json(nullptr)},
          {"kind", core::NameOf<core::HoursKind>(core::kHoursKindNames, entry.kind)},
          {"period", entry.period},
          {"day", entry.day},
          {"created_at", http::FormatTime(entry.created_at)}};
}

json PackageToJson(const core::HoursPackage& package) {
  return {{"kind", core::NameOf<core::HoursKind>(core::kHoursKindNames, package.kind)},
          {"included_minutes", package.included_minutes},
          {"carry_over", core::NameOf<core::CarryOver>(core::kCarryOverNames, package.carry_over)},
          {"carry_over_cap_minutes", package.carry_over_cap_minutes},
          {"thresholds_percent", package.thresholds_percent}};
}

json OrgHoursToJson(const app::OrgHours& hours) {
  json packages = json::array();
  for (const app::PackageHours& item : hours.packages) {
    const core::PeriodBalance& balance = item.balance;
    json daily = json::array();
    for (const ports::HoursUsage& day : item.daily) {
      daily.push_back({{"day", day.period},
                       {"billable_minutes", day.billable_minutes},
                       {"other_minutes", day.other_minutes}});
    }
    packages.push_back(
        {{"kind", core::NameOf<core::HoursKind>(core::kHoursKindNames, item.package.kind)},
         {"has_package", item.has_package},
         {"included_minutes", balance.included_minutes},
         {"carried_in_minutes", balance.carried_in_minutes},
         {"available_minutes", balance.available_minutes},
         {"used_minutes", balance.used_minutes},
         {"remaining_minutes", balance.remaining_minutes},
         {"overrun_minutes", balance.overrun_minutes},
         {"non_billable_minutes", item.non_billable_minutes},
         {"entries", item.entries},
         {"included_hours", MinutesAsHours(balance.included_minutes)},
         {"used_hours", MinutesAsHours(balance.used_minutes)},
         {"remaining_hours", MinutesAsHours(balance.remaining_minutes)},
         {"percent_used", balance.percent_used},
         {"carry_over",
          core::NameOf<core::CarryOver>(core::kCarryOverNames, item.package.carry_over)},
         {"carry_over_cap_minutes", item.package.carry_over_cap_minutes},
         {"thresholds_percent", item.package.thresholds_percent},
         {"alerted_thresholds", item.alerted_thresholds},
         {"daily", std::move(daily)}});
  }
  return {{"org_id", hours.org.id},
          {"organisation", hours.org.name},
          {"time_zone", hours.org.time_zone},
          {"period", core::PeriodName(hours.period)},
          {"starts_at", http::FormatTime(hours.starts_at)},
          {"ends_at", http::FormatTime(hours.ends_at)},
          {"source", hours.own_packages ? "organisation" : "plan"},
          {"packages", std::move(packages)}};
}

json OrgPackagesToJson(const ports::OrgHoursPackages& packages) {
  json list = json::array();
  for (const core::HoursPackage& package : packages.packages)
    list.push_back(PackageToJson(package));
  return {{"org_id", packages.org_id},
          {"packages", std::move(list)},
          {"starts_period", packages.starts_period},
          {"updated_at", http::FormatTime(packages.updated_at)},
          {"updated_by", packages.updated_by}};
}

}  // namespace casedesk::adapters::http

#include "adapters/store_support/hours_codec.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "core/enum_names.h"

namespace casedesk::adapters::store_support {

using nlohmann::json;

std::string PackagesToJson(const std::vector<core::HoursPackage>& packages) {
  json list = json::array();
  for (const core::HoursPackage& package : packages) {
    list.push_back({{"kind", HoursKindName(package.kind)},
                    {"included_minutes", package.included_minutes},
                    {"carry_over", std::string(core::NameOf<core::CarryOver>(core::kCarryOverNames,
                                                                             package.carry_over))},
                    {"carry_over_cap_minutes", package.carry_over_cap_minutes},
                    {"thresholds_percent", package.thresholds_percent}});
  }
  return list.dump();
}

absl::StatusOr<std::vector<core::HoursPackage>> PackagesFromJson(std::string_view text,
                                                                 std::string_view column) {
  const auto corrupt = [column]() {
    return absl::DataLossError(std::string(column) + ": not a list of packages");
  };
  const json list = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return corrupt();
  std::vector<core::HoursPackage> packages;
  for (const json& item : list) {
    if (!item.is_object() || !item.value("kind", json()).is_string() ||
        !item.value("included_minutes", json()).is_number_integer() ||
        !item.value("carry_over", json()).is_string() ||
        !item.value("carry_over_cap_minutes", json()).is_number_integer() ||
        !item.value("thresholds_percent", json()).is_array()) {
      return corrupt();
    }
    core::HoursPackage package;
    absl::StatusOr<core::HoursKind> kind =
        HoursKindFromColumn(item["kind"].get<std::string>(), column);
    if (!kind.ok()) return kind.status();
    package.kind = *kind;
    const std::optional<core::CarryOver> carry = core::EnumFromName<core::CarryOver>(
        core::kCarryOverNames, item["carry_over"].get<std::string>());
    if (!carry) return corrupt();
    package.carry_over = *carry;
    package.included_minutes = item["included_minutes"].get<int64_t>();
    package.carry_over_cap_minutes = item["carry_over_cap_minutes"].get<int64_t>();
    package.thresholds_percent.clear();
    for (const json& threshold : item["thresholds_percent"]) {
      if (!threshold.is_number_integer()) return corrupt();
      package.thresholds_percent.push_back(threshold.get<int>());
    }
    packages.push_back(std::move(package));
  }
  return packages;
}

std::string HoursKindName(core::HoursKind kind) {
  return std::string(core::NameOf<core::HoursKind>(core::kHoursKindNames, kind));
}

absl::StatusOr<core::HoursKind> HoursKindFromColumn(std::string_view name,
                                                    std::string_view column) {
  const std::optional<core::HoursKind> kind =
      core::EnumFromName<core::HoursKind>(core::kHoursKindNames, name);
  if (!kind) {
    return absl::DataLossError(std::string(column) + ": unknown kind '" + std::string(name) + "'");
  }
  return *kind;
}

absl::StatusOr<std::optional<core::Activity>> ActivityFromColumn(std::string_view name,
                                                                 std::string_view column) {
  if (name.empty()) return std::optional<core::Activity>();
  const std::optional<core::Activity> activity =
      core::EnumFromName<core::Activity>(core::kActivityNames, name);
  if (!activity) {
    return absl::DataLossError(std::string(column) + ": unknown activity '" + std::string(name) +
                               "'");
  }
  return activity;
}

}  // namespace casedesk::adapters::store_support

// Conversion between domain enums and their wire names ("partial_outage", "shift_lead", ...).
// Each enum declares a table of {value, name}; these helpers look names up in it.
// Thread-safe: pure functions over constant tables.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace casedesk::core {

template <typename Enum>
using EnumNameTable = std::span<const std::pair<Enum, std::string_view>>;

template <typename Enum>
std::string_view NameOf(EnumNameTable<Enum> table, Enum value) {
  for (const auto& [candidate, name] : table) {
    if (candidate == value) return name;
  }
  return "unknown";
}

template <typename Enum>
std::optional<Enum> EnumFromName(EnumNameTable<Enum> table, std::string_view name) {
  for (const auto& [candidate, candidate_name] : table) {
    if (candidate_name == name) return candidate;
  }
  return std::nullopt;
}

}  // namespace casedesk::core

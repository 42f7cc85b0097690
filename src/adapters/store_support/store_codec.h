// How domain values are written to and read from store columns (SQLite and PostgreSQL alike): times as microseconds since
// the epoch (NULL for unset), lists and maps as JSON text, enums by their wire names, and the
// opaque page cursors. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/audit_event.h"
#include "core/enum_names.h"

namespace casedesk::adapters {

// cases.next_deadline's value for "no deadline" (migration 8): sorts after every real one.
inline constexpr int64_t kNoNextDeadline = std::numeric_limits<int64_t>::max();

// absl::InfinitePast() (the domain's "unset") is stored as NULL.
std::optional<int64_t> TimeToColumn(absl::Time time);
absl::Time TimeFromColumn(std::optional<int64_t> micros);
std::optional<int64_t> OptionalTimeToColumn(const std::optional<absl::Time>& time);
std::optional<absl::Time> OptionalTimeFromColumn(std::optional<int64_t> micros);

std::string StringsToJson(const std::vector<std::string>& values);
std::vector<std::string> StringsFromJson(std::string_view json);
std::string IdsToJson(const std::vector<int64_t>& ids);
std::vector<int64_t> IdsFromJson(std::string_view json);
std::string MapToJson(const std::map<std::string, std::string>& values);
std::map<std::string, std::string> MapFromJson(std::string_view json);
std::string ChangesToJson(const std::vector<core::FieldChange>& changes);
std::vector<core::FieldChange> ChangesFromJson(std::string_view json);

// Opaque cursors: the position after which the next page starts (a number or id).
std::string EncodeCursor(int64_t position);
// Empty cursor -> nullopt (first page); malformed -> InvalidArgument.
absl::StatusOr<std::optional<int64_t>> DecodeCursor(std::string_view cursor);

template <typename Enum>
std::string EnumName(core::EnumNameTable<Enum> table, Enum value) {
  return std::string(core::NameOf<Enum>(table, value));
}

// Reads an enum stored by name; an unknown name (a corrupt row) falls back to `fallback`.
template <typename Enum>
Enum EnumFromColumn(core::EnumNameTable<Enum> table, std::string_view name, Enum fallback) {
  return core::EnumFromName<Enum>(table, name).value_or(fallback);
}

}  // namespace casedesk::adapters

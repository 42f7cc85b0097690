#include "adapters/store_support/store_codec.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"

namespace casedesk::adapters {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kCursorPrefix = "p1:";

// Stored JSON is written by this file only; a parse failure means a damaged row, which reads
// as empty rather than throwing.
Json ParseOrNull(std::string_view text) {
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace

std::optional<int64_t> TimeToColumn(absl::Time time) {
  if (time == absl::InfinitePast()) return std::nullopt;
  return absl::ToUnixMicros(time);
}

absl::Time TimeFromColumn(std::optional<int64_t> micros) {
  if (!micros.has_value()) return absl::InfinitePast();
  return absl::FromUnixMicros(*micros);
}

std::optional<int64_t> OptionalTimeToColumn(const std::optional<absl::Time>& time) {
  if (!time.has_value()) return std::nullopt;
  return absl::ToUnixMicros(*time);
}

std::optional<absl::Time> OptionalTimeFromColumn(std::optional<int64_t> micros) {
  if (!micros.has_value()) return std::nullopt;
  return absl::FromUnixMicros(*micros);
}

std::string StringsToJson(const std::vector<std::string>& values) {
  return Json(values).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<std::string> StringsFromJson(std::string_view json) {
  std::vector<std::string> values;
  Json parsed = ParseOrNull(json);
  if (!parsed.is_array()) return values;
  for (const Json& item : parsed) {
    if (item.is_string()) values.push_back(item.get<std::string>());
  }
  return values;
}

std::string IdsToJson(const std::vector<int64_t>& ids) { return Json(ids).dump(); }

std::vector<int64_t> IdsFromJson(std::string_view json) {
  std::vector<int64_t> ids;
  Json parsed = ParseOrNull(json);
  if (!parsed.is_array()) return ids;
  for (const Json& item : parsed) {
    if (item.is_number_integer()) ids.push_back(item.get<int64_t>());
  }
  return ids;
}

std::string MapToJson(const std::map<std::string, std::string>& values) {
  return Json(values).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::map<std::string, std::string> MapFromJson(std::string_view json) {
  std::map<std::string, std::string> values;
  Json parsed = ParseOrNull(json);
  if (!parsed.is_object()) return values;
  for (const auto& [key, value] : parsed.items()) {
    if (value.is_string()) values.emplace(key, value.get<std::string>());
  }
  return values;
}

std::string ChangesToJson(const std::vector<core::FieldChange>& changes) {
  Json array = Json::array();
  for (const core::FieldChange& change : changes) {
    array.push_back({{"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  return array.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<core::FieldChange> ChangesFromJson(std::string_view json) {
  std::vector<core::FieldChange> changes;
  Json parsed = ParseOrNull(json);
  if (!parsed.is_array()) return changes;
  for (const Json& item : parsed) {
    if (!item.is_object()) continue;
    changes.push_back({item.value("field", ""), item.value("before", ""), item.value("after", "")});
  }
  return changes;
}

std::string EncodeCursor(int64_t position) {
  return absl::WebSafeBase64Escape(std::string(kCursorPrefix) + std::to_string(position));
}

absl::StatusOr<std::optional<int64_t>> DecodeCursor(std::string_view cursor) {
  if (cursor.empty()) return std::optional<int64_t>();
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(absl::string_view(cursor.data(), cursor.size()), &decoded) ||
      decoded.rfind(kCursorPrefix, 0) != 0) {
    return absl::InvalidArgumentError("malformed cursor");
  }
  const std::string_view digits = std::string_view(decoded).substr(kCursorPrefix.size());
  int64_t position = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), position);
  if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
    return absl::InvalidArgumentError("malformed cursor");
  }
  return std::optional<int64_t>(position);
}

}  // namespace casedesk::adapters

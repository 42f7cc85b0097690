#include "adapters/store_support/store_codec.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "core/text.h"

namespace casedesk::adapters {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kCursorPrefix = "p1:";

// Stored JSON is written by this file only; a parse failure means a damaged row, which reads
// as empty rather than throwing.
Json ParseOrNull(std::string_view text) {
  return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

// Reads the change lists ChangesToJson writes (an array of objects whose values are all
// strings) without building a JSON tree: reading a case reads every event's list, and the
// trees were 7 % of a case read's time. Anything it does not read exactly as nlohmann would
// (another value type, damage) makes Read return nullopt, and ChangesFromJson then parses the
// text with nlohmann as before.
class ChangeListReader {
 public:
  explicit ChangeListReader(std::string_view text) : text_(text) {}

  std::optional<std::vector<core::FieldChange>> Read() {
    std::vector<core::FieldChange> changes;
    SkipSpace();
    if (!Consume('[')) return std::nullopt;
    SkipSpace();
    bool more = !Consume(']');
    while (more) {
      core::FieldChange change;
      if (!ReadObject(change)) return std::nullopt;
      changes.push_back(std::move(change));
      SkipSpace();
      more = !Consume(']');
      if (more && !Consume(',')) return std::nullopt;
      SkipSpace();
    }
    SkipSpace();
    if (pos_ != text_.size()) return std::nullopt;
    return changes;
  }

 private:
  bool ReadObject(core::FieldChange& change) {
    if (!Consume('{')) return false;
    SkipSpace();
    if (Consume('}')) return true;
    while (true) {
      std::string key;
      std::string value;
      if (!ReadString(key)) return false;
      SkipSpace();
      if (!Consume(':')) return false;
      SkipSpace();
      if (!ReadString(value)) return false;
      // A repeated key keeps its last value, as nlohmann does.
      if (key == "field") {
        change.field = std::move(value);
      } else if (key == "before") {
        change.before = std::move(value);
      } else if (key == "after") {
        change.after = std::move(value);
      }
      SkipSpace();
      if (Consume('}')) return true;
      if (!Consume(',')) return false;
      SkipSpace();
    }
  }

  bool ReadString(std::string& out) {
    if (!Consume('"')) return false;
    while (pos_ < text_.size()) {
      const size_t run = pos_;
      while (pos_ < text_.size() && IsPlain(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      out.append(text_.substr(run, pos_ - run));
      if (pos_ == text_.size()) return false;
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!ReadEscape(out)) return false;
        continue;
      }
      if (c < 0x20) return false;  // a raw control character is not JSON
      const size_t length = core::Utf8SequenceLength(text_, pos_);
      if (length == 0) return false;
      out.append(text_.substr(pos_, length));
      pos_ += length;
    }
    return false;
  }

  bool ReadEscape(std::string& out) {
    if (++pos_ >= text_.size()) return false;
    const char escape = text_[pos_++];
    switch (escape) {
      case '"':
      case '\\':
      case '/':
        out.push_back(escape);
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return false;
    }
    std::optional<uint32_t> unit = ReadHex4();
    if (!unit) return false;
    uint32_t code_point = *unit;
    if (code_point >= 0xDC00 && code_point <= 0xDFFF) return false;  // a lone low surrogate
    if (code_point >= 0xD800 && code_point <= 0xDBFF) {
      if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') return false;
      pos_ += 2;
      std::optional<uint32_t> low = ReadHex4();
      if (!low || *low < 0xDC00 || *low > 0xDFFF) return false;
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
    }
    core::AppendUtf8(code_point, out);
    return true;
  }

  std::optional<uint32_t> ReadHex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
    }
    return value;
  }

  static bool IsPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

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
  if (std::optional<std::vector<core::FieldChange>> read = ChangeListReader(json).Read()) {
    return *std::move(read);
  }
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

#include "adapters/system/calendar_file.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "app/calendar_json.h"

namespace casedesk::adapters {
namespace {

constexpr char kKnownKeys[] = "time_zone, holidays, hours";

absl::string_view AbslView(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}

absl::Status Invalid(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(AbslView(where), ": ", AbslView(what)));
}

// ---- TOML ----------------------------------------------------------------

std::string TomlDate(const toml::date& d) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", static_cast<int>(d.year),
                static_cast<int>(d.month), static_cast<int>(d.day));
  return buf;
}

absl::StatusOr<std::vector<std::string>> TomlStrings(const toml::node& node,
                                                     const std::string& where,
                                                     bool allow_dates,
                                                     std::string_view what) {
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    return Invalid(where,
                   absl::StrCat("expected an array of ", AbslView(what)));
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::node& item = *array->get(i);
    if (const auto* s = item.as_string()) {
      out.push_back(s->get());
    } else if (const auto* d = item.as_date(); allow_dates && d != nullptr) {
      out.push_back(TomlDate(d->get()));
    } else {
      return Invalid(absl::StrCat(where, "[", i, "]"),
                     absl::StrCat("expected ", AbslView(what)));
    }
  }
  return out;
}

absl::StatusOr<core::CalendarSpec> SpecFromToml(const toml::table& table) {
  core::CalendarSpec spec;
  bool has_zone = false;
  for (const auto& [key, node] : table) {
    const std::string k(key.str());
    if (k == "time_zone") {
      const auto* s = node.as_string();
      if (s == nullptr)
        return Invalid(k, "expected a string such as \"Europe/London\"");
      spec.time_zone = s->get();
      has_zone = true;
    } else if (k == "holidays") {
      absl::StatusOr<std::vector<std::string>> dates =
          TomlStrings(node, k, /*allow_dates=*/true, "dates \"YYYY-MM-DD\"");
      if (!dates.ok()) return dates.status();
      spec.holidays = *std::move(dates);
    } else if (k == "hours") {
      const toml::table* hours = node.as_table();
      if (hours == nullptr) {
        return Invalid(k, "expected a table of days (mon = [\"09:00-17:00\"])");
      }
      for (const auto& [day, windows] : *hours) {
        const std::string d(day.str());
        absl::StatusOr<std::vector<std::string>> list =
            TomlStrings(windows, absl::StrCat("hours.", d),
                        /*allow_dates=*/false, "windows \"HH:MM-HH:MM\"");
        if (!list.ok()) return list.status();
        spec.hours[d] = *std::move(list);
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown key \"", k, "\" (expected ", kKnownKeys, ")"));
    }
  }
  if (!has_zone) return Invalid("time_zone", "is required");
  return spec;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

absl::StatusOr<core::CalendarSpec> ParseCalendarToml(std::string_view text) {
#if TOML_EXCEPTIONS
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TOML syntax error at line ", e.source().begin.line, ", column ",
        e.source().begin.column, ": ", AbslView(e.description())));
  }
  return SpecFromToml(table);
#else
  toml::parse_result result = toml::parse(text);
  if (!result) {
    const toml::parse_error& e = result.error();
    return absl::InvalidArgumentError(absl::StrCat(
        "TOML syntax error at line ", e.source().begin.line, ", column ",
        e.source().begin.column, ": ", AbslView(e.description())));
  }
  return SpecFromToml(result.table());
#endif
}

absl::StatusOr<core::CalendarSpec> ParseCalendarJson(
    const nlohmann::json& json) {
  return app::CalendarSpecFromJson(json);
}

absl::StatusOr<core::BusinessCalendar> LoadCalendar(
    const core::CalendarSpec& spec) {
  return app::BuildCalendar(spec);
}

absl::StatusOr<core::BusinessCalendar> LoadCalendarFile(
    const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read calendar file \"", path, "\": ", std::strerror(errno)));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return absl::NotFoundError(
        absl::StrCat("cannot read calendar file \"", path, "\""));
  }
  const std::string text = std::move(buffer).str();

  absl::StatusOr<core::CalendarSpec> spec;
  const bool is_json =
      path.size() >= 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (is_json) {
    const nlohmann::json json =
        nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
      spec = absl::InvalidArgumentError("invalid JSON");
    } else {
      spec = ParseCalendarJson(json);
    }
  } else {
    spec = ParseCalendarToml(text);
  }
  absl::StatusOr<core::BusinessCalendar> calendar =
      spec.ok() ? LoadCalendar(*spec)
                : absl::StatusOr<core::BusinessCalendar>(spec.status());
  if (!calendar.ok()) {
    return absl::Status(calendar.status().code(),
                        absl::StrCat(path, ": ", calendar.status().message()));
  }
  return calendar;
}

absl::StatusOr<absl::Time> ParseRfc3339Instant(std::string_view text) {
  // Shape check first: abseil's parser also accepts surrounding whitespace,
  // years of any width and the words "infinite-future"/"infinite-past".
  const auto invalid = [text]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid instant \"", AbslView(text),
        "\": expected RFC 3339 with an offset, such as 2026-03-09T13:00:00Z "
        "or 2026-03-09T14:00:00+01:00"));
  };
  if (text.size() < 20) return invalid();
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (!IsDigit(text[i])) return invalid();
  }
  if (text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return invalid();
  }
  size_t pos = 19;
  if (text[pos] == '.') {
    ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == digits_start) return invalid();
  }
  const std::string_view offset = text.substr(pos);
  const bool zulu = offset == "Z" || offset == "z";
  const bool numeric =
      offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
      IsDigit(offset[1]) && IsDigit(offset[2]) && offset[3] == ':' &&
      IsDigit(offset[4]) && IsDigit(offset[5]);
  if (!zulu && !numeric) return invalid();

  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, AbslView(text), &t, &err)) {
    return invalid();
  }
  return t;
}

std::string FormatRfc3339Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

}  // namespace casedesk::adapters

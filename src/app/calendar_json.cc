#include "app/calendar_json.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace casedesk::app {
namespace {

constexpr char kKnownKeys[] = "time_zone, holidays, hours";

absl::Status Invalid(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(where), ": ", std::string(what)));
}

absl::StatusOr<std::vector<std::string>> JsonStrings(const nlohmann::json& value,
                                                     const std::string& where,
                                                     std::string_view what) {
  if (!value.is_array()) return Invalid(where, absl::StrCat("expected an array of ", std::string(what)));
  std::vector<std::string> out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string()) {
      return Invalid(absl::StrCat(where, "[", i, "]"), absl::StrCat("expected ", std::string(what)));
    }
    out.push_back(value[i].get<std::string>());
  }
  return out;
}

// IANA names are letters, digits and "/_+-" (e.g. "America/Port-au-Prince", "Etc/GMT+5").
// Rejecting anything else keeps names like "/etc/passwd", "../x", "file:..." or "localtime"
// from reaching the tzdata loader.
bool IsPlausibleZoneName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/' ||
      name == "localtime") {
    return false;
  }
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '/' || c == '_' || c == '+' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<core::CalendarSpec> CalendarSpecFromJson(const nlohmann::json& json) {
  if (!json.is_object()) {
    return absl::InvalidArgumentError(
        "a calendar must be a JSON object with time_zone, holidays and hours");
  }
  core::CalendarSpec spec;
  bool has_zone = false;
  for (const auto& [key, value] : json.items()) {
    if (key == "time_zone") {
      if (!value.is_string()) return Invalid(key, "expected a string such as \"Europe/London\"");
      spec.time_zone = value.get<std::string>();
      has_zone = true;
    } else if (key == "holidays") {
      absl::StatusOr<std::vector<std::string>> dates =
          JsonStrings(value, key, "dates \"YYYY-MM-DD\"");
      if (!dates.ok()) return dates.status();
      spec.holidays = *std::move(dates);
    } else if (key == "hours") {
      if (!value.is_object()) {
        return Invalid(key, "expected an object of days ({\"mon\": [\"09:00-17:00\"]})");
      }
      for (const auto& [day, windows] : value.items()) {
        absl::StatusOr<std::vector<std::string>> list =
            JsonStrings(windows, absl::StrCat("hours.", day), "windows \"HH:MM-HH:MM\"");
        if (!list.ok()) return list.status();
        spec.hours[day] = *std::move(list);
      }
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown key \"", key, "\" (expected ", kKnownKeys, ")"));
    }
  }
  if (!has_zone) return Invalid("time_zone", "is required");
  return spec;
}

nlohmann::json CalendarSpecToJson(const core::CalendarSpec& spec) {
  nlohmann::json hours = nlohmann::json::object();
  for (const auto& [day, windows] : spec.hours) hours[day] = windows;
  return {{"time_zone", spec.time_zone}, {"holidays", spec.holidays}, {"hours", hours}};
}

absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name) {
  absl::TimeZone zone;
  if (!IsPlausibleZoneName(name) || !absl::LoadTimeZone(std::string(name), &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: unknown time zone \"", std::string(name),
                     "\" (expected an IANA name such as \"Europe/London\" or \"UTC\")"));
  }
  return zone;
}

absl::StatusOr<core::BusinessCalendar> BuildCalendar(const core::CalendarSpec& spec) {
  if (spec.time_zone.empty()) return Invalid("time_zone", "is required");
  absl::StatusOr<absl::TimeZone> zone = LoadZone(spec.time_zone);
  if (!zone.ok()) return zone.status();
  return core::BusinessCalendar::Create(spec, *zone);
}

}  // namespace casedesk::app

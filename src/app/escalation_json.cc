#include "app/escalation_json.h"

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

using nlohmann::json;

constexpr char kInstantFormat[] = "%Y-%m-%d%ET%H:%M:%E*SZ";

absl::Status Invalid(const std::string& where, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", std::string(what)));
}

std::string Join(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : absl::StrCat(where, ".", std::string(key));
}

std::string At(const std::string& where, size_t index) {
  return absl::StrCat(where, "[", index, "]");
}

// Checks that `value` is an object holding only `allowed` keys.
absl::Status CheckObject(const json& value, const std::string& where,
                         std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) return Invalid(where, "expected an object");
  for (const auto& [key, member] : value.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) {
      std::string names;
      for (std::string_view name : allowed) {
        absl::StrAppend(&names, names.empty() ? "" : ", ", std::string(name));
      }
      return Invalid(Join(where, key), absl::StrCat("unknown key (expected ", names, ")"));
    }
  }
  return absl::OkStatus();
}

// The member `key`, or nullptr when it is absent or null.
const json* Find(const json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::StatusOr<const json*> Require(const json& object, const std::string& where,
                                    std::string_view key) {
  const json* member = Find(object, key);
  if (member == nullptr) return Invalid(Join(where, key), "required");
  return member;
}

absl::StatusOr<std::string> String(const json& value, const std::string& where) {
  if (!value.is_string()) return Invalid(where, "expected a string");
  return value.get<std::string>();
}

// A JSON integer that fits int64 (nlohmann keeps large positive values as unsigned).
absl::StatusOr<int64_t> Integer(const json& value, const std::string& where) {
  if (value.is_number_unsigned()) {
    if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Invalid(where, "integer out of range");
    }
    return static_cast<int64_t>(value.get<uint64_t>());
  }
  if (!value.is_number_integer()) return Invalid(where, "expected an integer");
  return value.get<int64_t>();
}

absl::StatusOr<bool> Bool(const json& value, const std::string& where) {
  if (!value.is_boolean()) return Invalid(where, "expected true or false");
  return value.get<bool>();
}

absl::Status CheckArray(const json& value, const std::string& where) {
  if (!value.is_array()) return Invalid(where, "expected an array");
  return absl::OkStatus();
}

template <typename Enum, size_t N>
absl::StatusOr<Enum> EnumValue(const json& value, const std::string& where,
                               const std::array<std::pair<Enum, std::string_view>, N>& table) {
  std::string names;
  for (const auto& [candidate, name] : table) {
    absl::StrAppend(&names, names.empty() ? "" : ", ", std::string(name));
  }
  if (value.is_string()) {
    if (auto found = core::EnumFromName<Enum>(table, value.get<std::string>())) return *found;
  }
  return Invalid(where, absl::StrCat("expected one of ", names));
}

template <typename Enum, size_t N>
std::string EnumName(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  return std::string(core::NameOf<Enum>(table, value));
}

// Reads an optional array member with `element` for each item.
template <typename T, typename F>
absl::Status OptionalArray(const json& object, const std::string& where, std::string_view key,
                           std::vector<T>& out, F element) {
  const json* member = Find(object, key);
  if (member == nullptr) return absl::OkStatus();
  const std::string place = Join(where, key);
  if (auto s = CheckArray(*member, place); !s.ok()) return s;
  for (size_t i = 0; i < member->size(); ++i) {
    absl::StatusOr<T> item = element((*member)[i], At(place, i));
    if (!item.ok()) return item.status();
    out.push_back(*std::move(item));
  }
  return absl::OkStatus();
}

template <typename T, typename F>
absl::Status RequiredArray(const json& object, const std::string& where, std::string_view key,
                           std::vector<T>& out, F element) {
  if (Find(object, key) == nullptr) return Invalid(Join(where, key), "required");
  return OptionalArray(object, where, key, out, element);
}

absl::Status OptionalString(const json& object, const std::string& where, std::string_view key,
                            std::string& out) {
  const json* member = Find(object, key);
  if (member == nullptr) return absl::OkStatus();
  absl::StatusOr<std::string> text = String(*member, Join(where, key));
  if (!text.ok()) return text.status();
  out = *std::move(text);
  return absl::OkStatus();
}

absl::Status RequiredString(const json& object, const std::string& where, std::string_view key,
                            std::string& out) {
  if (Find(object, key) == nullptr) return Invalid(Join(where, key), "required");
  return OptionalString(object, where, key, out);
}

bool IsDigits(std::string_view text, std::initializer_list<size_t> positions) {
  for (size_t i : positions) {
    if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

int Number(std::string_view text, size_t from, size_t count) {
  int value = 0;
  for (size_t i = from; i < from + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// "YYYY-MM-DDTHH:MM", a real date and time of day.
absl::StatusOr<absl::CivilMinute> LocalMinute(const json& value, const std::string& where) {
  const auto bad = [&] {
    return Invalid(where, "expected a local date and time \"YYYY-MM-DDTHH:MM\"");
  };
  if (!value.is_string()) return bad();
  const std::string text = value.get<std::string>();
  if (text.size() != 16 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      !IsDigits(text, {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15})) {
    return bad();
  }
  const int year = Number(text, 0, 4);
  const int month = Number(text, 5, 2);
  const int day = Number(text, 8, 2);
  const int hour = Number(text, 11, 2);
  const int minute = Number(text, 14, 2);
  const absl::CivilMinute civil(year, month, day, hour, minute);
  if (civil.year() != year || civil.month() != month || civil.day() != day ||
      civil.hour() != hour || civil.minute() != minute) {
    return bad();
  }
  return civil;
}

std::string LocalMinuteText(absl::CivilMinute t) {
  return absl::StrFormat("%04d-%02d-%02dT%02d:%02d", t.year(), t.month(), t.day(), t.hour(),
                         t.minute());
}

// RFC 3339 with seconds and "Z" or a numeric offset: "2026-03-07T00:00:00Z",
// "2026-03-07T01:00:00.5+01:00".
absl::StatusOr<absl::Time> Instant(const json& value, const std::string& where) {
  const auto bad = [&] {
    return Invalid(where, "expected an RFC 3339 instant such as \"2026-03-07T00:00:00Z\"");
  };
  if (!value.is_string()) return bad();
  const std::string text = value.get<std::string>();
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || !IsDigits(text, {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})) {
    return bad();
  }
  size_t pos = 19;
  if (text[pos] == '.') {
    const size_t digits = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits) return bad();
  }
  const std::string_view offset = std::string_view(text).substr(pos);
  const bool zulu = offset == "Z";
  const bool numeric = offset.size() == 6 && (offset[0] == '+' || offset[0] == '-') &&
                       IsDigits(offset, {1, 2, 4, 5}) && offset[3] == ':';
  if (!zulu && !numeric) return bad();
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) return bad();
  return t;
}

std::string InstantText(absl::Time t) {
  return absl::FormatTime(kInstantFormat, t, absl::UTCTimeZone());
}

absl::StatusOr<core::UserId> UserId(const json& value, const std::string& where) {
  if (!value.is_number_integer()) return Invalid(where, "expected a user id (an integer)");
  return Integer(value, where);
}

// ---- schedules ----

absl::StatusOr<core::OnCallWindow> Restriction(const json& value, const std::string& where) {
  if (auto s = CheckObject(value, where, {"day", "window"}); !s.ok()) return s;
  absl::StatusOr<const json*> day_json = Require(value, where, "day");
  if (!day_json.ok()) return day_json.status();
  absl::StatusOr<absl::Weekday> day = EnumValue(**day_json, Join(where, "day"), core::kWeekdayKeys);
  if (!day.ok()) return day.status();
  std::string window_text;
  if (auto s = RequiredString(value, where, "window", window_text); !s.ok()) return s;
  absl::StatusOr<core::OnCallWindow> window = core::ParseOnCallWindow(*day, window_text);
  if (!window.ok()) return Invalid(Join(where, "window"), std::string(window.status().message()));
  return window;
}

absl::StatusOr<core::OnCallLayer> Layer(const json& value, const std::string& where) {
  if (auto s = CheckObject(value, where,
                           {"name", "participants", "start", "turn_minutes", "restrictions"});
      !s.ok()) {
    return s;
  }
  core::OnCallLayer layer;
  if (auto s = RequiredString(value, where, "name", layer.name); !s.ok()) return s;
  if (auto s = RequiredArray(value, where, "participants", layer.participants, UserId); !s.ok()) {
    return s;
  }
  absl::StatusOr<const json*> start = Require(value, where, "start");
  if (!start.ok()) return start.status();
  absl::StatusOr<absl::CivilMinute> local = LocalMinute(**start, Join(where, "start"));
  if (!local.ok()) return local.status();
  layer.start = *local;
  absl::StatusOr<const json*> turn = Require(value, where, "turn_minutes");
  if (!turn.ok()) return turn.status();
  absl::StatusOr<int64_t> minutes = Integer(**turn, Join(where, "turn_minutes"));
  if (!minutes.ok()) return minutes.status();
  layer.turn_minutes = *minutes;
  if (auto s = OptionalArray(value, where, "restrictions", layer.restrictions, Restriction);
      !s.ok()) {
    return s;
  }
  return layer;
}

absl::StatusOr<core::OnCallOverride> Override(const json& value, const std::string& where) {
  if (auto s = CheckObject(value, where, {"user", "start", "end", "reason"}); !s.ok()) return s;
  core::OnCallOverride entry;
  absl::StatusOr<const json*> user = Require(value, where, "user");
  if (!user.ok()) return user.status();
  absl::StatusOr<core::UserId> id = UserId(**user, Join(where, "user"));
  if (!id.ok()) return id.status();
  entry.user = *id;
  for (auto [key, out] : {std::pair{"start", &entry.start}, std::pair{"end", &entry.end}}) {
    absl::StatusOr<const json*> member = Require(value, where, key);
    if (!member.ok()) return member.status();
    absl::StatusOr<absl::Time> t = Instant(**member, Join(where, key));
    if (!t.ok()) return t.status();
    *out = *t;
  }
  if (auto s = OptionalString(value, where, "reason", entry.reason); !s.ok()) return s;
  return entry;
}

// ---- policies ----

absl::StatusOr<core::EscalationTarget> Target(const json& value, const std::string& where) {
  if (auto s = CheckObject(value, where, {"kind", "ref"}); !s.ok()) return s;
  absl::StatusOr<const json*> kind_json = Require(value, where, "kind");
  if (!kind_json.ok()) return kind_json.status();
  absl::StatusOr<core::EscalationTargetKind> kind =
      EnumValue(**kind_json, Join(where, "kind"), core::kEscalationTargetKindNames);
  if (!kind.ok()) return kind.status();
  core::EscalationTarget target{.kind = *kind, .ref = {}};
  if (auto s = RequiredString(value, where, "ref", target.ref); !s.ok()) return s;
  return target;
}

absl::StatusOr<core::SlaClockKind> Clock(const json& value, const std::string& where) {
  return EnumValue(value, where, core::kSlaClockKindNames);
}

absl::StatusOr<core::EscalationAction> Action(const json& value, const std::string& where) {
  return EnumValue(value, where, core::kEscalationActionNames);
}

absl::StatusOr<core::Severity> SeverityLevel(const json& value, const std::string& where) {
  core::Severity severity = core::Severity::kMinor;
  if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 4 ||
      !core::SeverityFromLevel(value.get<int>(), &severity)) {
    return Invalid(where, "expected a severity level, an integer from 1 to 4");
  }
  return severity;
}

absl::StatusOr<core::EscalationLevel> Level(const json& value, const std::string& where) {
  if (auto s =
          CheckObject(value, where, {"trigger", "clocks", "delay_minutes", "targets", "actions"});
      !s.ok()) {
    return s;
  }
  core::EscalationLevel level;
  absl::StatusOr<const json*> trigger_json = Require(value, where, "trigger");
  if (!trigger_json.ok()) return trigger_json.status();
  absl::StatusOr<core::EscalationTrigger> trigger =
      EnumValue(**trigger_json, Join(where, "trigger"), core::kEscalationTriggerNames);
  if (!trigger.ok()) return trigger.status();
  level.trigger = *trigger;
  if (auto s = OptionalArray(value, where, "clocks", level.clocks, Clock); !s.ok()) return s;
  if (const json* delay = Find(value, "delay_minutes")) {
    absl::StatusOr<int64_t> minutes = Integer(*delay, Join(where, "delay_minutes"));
    if (!minutes.ok()) return minutes.status();
    level.delay_minutes = *minutes;
  }
  if (auto s = RequiredArray(value, where, "targets", level.targets, Target); !s.ok()) return s;
  if (auto s = RequiredArray(value, where, "actions", level.actions, Action); !s.ok()) return s;
  return level;
}

template <typename Enum, size_t N>
json NameList(const std::array<std::pair<Enum, std::string_view>, N>& table,
              const std::vector<Enum>& values) {
  json out = json::array();
  for (Enum value : values) out.push_back(EnumName(table, value));
  return out;
}

}  // namespace

json OnCallScheduleToJson(const core::OnCallSchedule& schedule) {
  json layers = json::array();
  for (const core::OnCallLayer& layer : schedule.layers) {
    json restrictions = json::array();
    for (const core::OnCallWindow& window : layer.restrictions) {
      restrictions.push_back({{"day", EnumName(core::kWeekdayKeys, window.day)},
                              {"window", core::OnCallWindowText(window)}});
    }
    layers.push_back({{"name", layer.name},
                      {"participants", layer.participants},
                      {"start", LocalMinuteText(layer.start)},
                      {"turn_minutes", layer.turn_minutes},
                      {"restrictions", std::move(restrictions)}});
  }
  json overrides = json::array();
  for (const core::OnCallOverride& entry : schedule.overrides) {
    overrides.push_back({{"user", entry.user},
                         {"start", InstantText(entry.start)},
                         {"end", InstantText(entry.end)},
                         {"reason", entry.reason}});
  }
  return {{"name", schedule.name},
          {"display_name", schedule.display_name},
          {"time_zone", schedule.time_zone},
          {"layers", std::move(layers)},
          {"overrides", std::move(overrides)}};
}

absl::StatusOr<core::OnCallSchedule> OnCallScheduleFromJson(const json& value) {
  if (!value.is_object()) {
    return absl::InvalidArgumentError("an on-call schedule must be a JSON object");
  }
  const std::string where;
  if (auto s =
          CheckObject(value, where, {"name", "display_name", "time_zone", "layers", "overrides"});
      !s.ok()) {
    return s;
  }
  core::OnCallSchedule schedule;
  if (auto s = RequiredString(value, where, "name", schedule.name); !s.ok()) return s;
  if (auto s = OptionalString(value, where, "display_name", schedule.display_name); !s.ok()) {
    return s;
  }
  if (auto s = RequiredString(value, where, "time_zone", schedule.time_zone); !s.ok()) return s;
  if (auto s = RequiredArray(value, where, "layers", schedule.layers, Layer); !s.ok()) return s;
  if (auto s = OptionalArray(value, where, "overrides", schedule.overrides, Override); !s.ok()) {
    return s;
  }
  return schedule;
}

json EscalationPolicyToJson(const core::EscalationPolicy& policy) {
  json severities = json::array();
  for (core::Severity severity : policy.severities) {
    severities.push_back(core::SeverityLevel(severity));
  }
  json levels = json::array();
  for (const core::EscalationLevel& level : policy.levels) {
    json targets = json::array();
    for (const core::EscalationTarget& target : level.targets) {
      targets.push_back(
          {{"kind", EnumName(core::kEscalationTargetKindNames, target.kind)}, {"ref", target.ref}});
    }
    levels.push_back({{"trigger", EnumName(core::kEscalationTriggerNames, level.trigger)},
                      {"clocks", NameList(core::kSlaClockKindNames, level.clocks)},
                      {"delay_minutes", level.delay_minutes},
                      {"targets", std::move(targets)},
                      {"actions", NameList(core::kEscalationActionNames, level.actions)}});
  }
  return {{"name", policy.name},
          {"description", policy.description},
          {"enabled", policy.enabled},
          {"plans", policy.plans},
          {"severities", std::move(severities)},
          {"levels", std::move(levels)}};
}

absl::StatusOr<core::EscalationPolicy> EscalationPolicyFromJson(const json& value) {
  if (!value.is_object()) {
    return absl::InvalidArgumentError("an escalation policy must be a JSON object");
  }
  const std::string where;
  if (auto s = CheckObject(value, where,
                           {"name", "description", "enabled", "plans", "severities", "levels"});
      !s.ok()) {
    return s;
  }
  core::EscalationPolicy policy;
  if (auto s = RequiredString(value, where, "name", policy.name); !s.ok()) return s;
  if (auto s = OptionalString(value, where, "description", policy.description); !s.ok()) {
    return s;
  }
  if (const json* enabled = Find(value, "enabled")) {
    absl::StatusOr<bool> flag = Bool(*enabled, "enabled");
    if (!flag.ok()) return flag.status();
    policy.enabled = *flag;
  }
  if (auto s = OptionalArray(value, where, "plans", policy.plans, String); !s.ok()) return s;
  if (auto s = OptionalArray(value, where, "severities", policy.severities, SeverityLevel);
      !s.ok()) {
    return s;
  }
  if (auto s = RequiredArray(value, where, "levels", policy.levels, Level); !s.ok()) return s;
  return policy;
}

}  // namespace casedesk::app

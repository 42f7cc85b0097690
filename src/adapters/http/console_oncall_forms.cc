// The on-call schedule form (see console_oncall_forms.h).
#include "adapters/http/console_oncall_forms.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/escalation_json.h"
#include "core/utc_time.h"

namespace casedesk::adapters::http {

using nlohmann::json;

web::OnCallFormText OnCallFormFromFields(const EscalationFormFields& fields) {
  web::OnCallFormText form;
  form.display_name = EscalationField(fields, "display_name");
  form.time_zone = EscalationField(fields, "time_zone");
  for (int i = 0; i < kEscalationFormMaxRows; ++i) {
    const std::string prefix = absl::StrCat("l", i, "_");
    if (!EscalationFieldSent(fields, prefix + "name")) continue;
    if (!EscalationField(fields, prefix + "remove").empty()) continue;
    web::OnCallLayerText layer;
    layer.name = EscalationField(fields, prefix + "name");
    layer.start = EscalationField(fields, prefix + "start");
    layer.turn = EscalationField(fields, prefix + "turn");
    layer.restrictions = EscalationField(fields, prefix + "restrictions");
    for (int j = 0; j < kEscalationFormMaxSlots; ++j) {
      const std::string participant = absl::StrCat(prefix, "p", j);
      if (EscalationFieldSent(fields, participant)) {
        layer.participants.push_back(EscalationField(fields, participant));
      }
    }
    form.layers.push_back(std::move(layer));
  }
  for (int i = 0; i < kEscalationFormMaxRows; ++i) {
    const std::string prefix = absl::StrCat("o", i, "_");
    if (!EscalationFieldSent(fields, prefix + "user")) continue;
    if (!EscalationField(fields, prefix + "remove").empty()) continue;
    form.overrides.push_back(
        {EscalationField(fields, prefix + "user"), EscalationField(fields, prefix + "start"),
         EscalationField(fields, prefix + "end"), EscalationField(fields, prefix + "reason")});
  }
  return form;
}

namespace {

absl::StatusOr<int64_t> OnCallFormUserId(const std::string& text, std::string_view where) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(EscalationTrimmed(text), &id) || id <= 0) {
    return EscalationRowError(where, "choose a person from the list");
  }
  return id;
}

// "mon 22:00-06:00, sat 00:00-24:00" as the document's restriction objects.
absl::StatusOr<json> OnCallFormWindows(std::string_view text, std::string_view where) {
  json windows = json::array();
  for (absl::string_view item : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                               absl::ByAnyChar(",;\n"), absl::SkipWhitespace())) {
    std::vector<std::string> parts = absl::StrSplit(absl::StripAsciiWhitespace(item),
                                                    absl::ByAnyChar(" \t\r"), absl::SkipEmpty());
    if (parts.size() != 2) {
      return EscalationRowError(where,
                                "write each window as a day and times, e.g. \"sat 22:00-06:00\"");
    }
    windows.push_back({{"day", absl::AsciiStrToLower(parts[0])}, {"window", parts[1]}});
  }
  return windows;
}

// A local "YYYY-MM-DDTHH:MM" in `zone` as RFC 3339 UTC.
absl::StatusOr<std::string> OnCallFormInstant(const std::string& text, const absl::TimeZone& zone,
                                              std::string_view where) {
  absl::Time at;
  std::string error;
  const std::string trimmed = EscalationTrimmed(text);
  if (!absl::ParseTime("%Y-%m-%dT%H:%M", trimmed, zone, &at, &error) &&
      !absl::ParseTime("%Y-%m-%dT%H:%M:%S", trimmed, zone, &at, &error)) {
    return EscalationRowError(where, "give a date and a time (YYYY-MM-DDTHH:MM)");
  }
  return core::FormatUtcSeconds(at);
}

}  // namespace

absl::StatusOr<core::OnCallSchedule> OnCallScheduleFromForm(const std::string& name,
                                                            const web::OnCallFormText& form,
                                                            EscalationFormRows& rows) {
  rows = {};
  const std::string zone_name = EscalationTrimmed(form.time_zone);
  json document = {{"name", name},
                   {"display_name", EscalationTrimmed(form.display_name)},
                   {"time_zone", zone_name},
                   {"layers", json::array()},
                   {"overrides", json::array()}};
  for (size_t row = 0; row < form.layers.size(); ++row) {
    const web::OnCallLayerText& layer = form.layers[row];
    const std::string where = absl::StrCat("layer ", row + 1);
    json participants = json::array();
    std::vector<int> slots;
    for (size_t slot = 0; slot < layer.participants.size(); ++slot) {
      if (EscalationTrimmed(layer.participants[slot]).empty()) continue;
      absl::StatusOr<int64_t> id = OnCallFormUserId(layer.participants[slot],
                                                    absl::StrCat(where, " participant ", slot + 1));
      if (!id.ok()) return id.status();
      participants.push_back(*id);
      slots.push_back(static_cast<int>(slot));
    }
    const std::string layer_name = EscalationTrimmed(layer.name);
    if (layer_name.empty() && participants.empty() &&
        EscalationTrimmed(layer.restrictions).empty()) {
      continue;  // a blank row
    }
    absl::StatusOr<int64_t> turn = EscalationMinutes(layer.turn, 0, where + " turn length");
    if (!turn.ok()) return turn.status();
    absl::StatusOr<json> windows = OnCallFormWindows(layer.restrictions, where + " restrictions");
    if (!windows.ok()) return windows.status();
    document["layers"].push_back({{"name", layer_name},
                                  {"participants", std::move(participants)},
                                  {"start", EscalationTrimmed(layer.start)},
                                  {"turn_minutes", *turn},
                                  {"restrictions", *std::move(windows)}});
    rows.rows.push_back(static_cast<int>(row));
    rows.slots.push_back(std::move(slots));
  }
  std::optional<absl::TimeZone> zone;
  for (size_t row = 0; row < form.overrides.size(); ++row) {
    const web::OnCallOverrideText& entry = form.overrides[row];
    const std::string where = absl::StrCat("override ", row + 1);
    if (EscalationTrimmed(entry.user).empty() && EscalationTrimmed(entry.start).empty() &&
        EscalationTrimmed(entry.end).empty() && EscalationTrimmed(entry.reason).empty()) {
      continue;
    }
    if (!zone) {
      absl::TimeZone loaded;
      if (!absl::LoadTimeZone(zone_name, &loaded) || zone_name.empty()) {
        return EscalationRowError("time_zone",
                                  "give an IANA time zone name such as Europe/London or UTC");
      }
      zone = loaded;
    }
    absl::StatusOr<int64_t> user = OnCallFormUserId(entry.user, where + " person");
    if (!user.ok()) return user.status();
    absl::StatusOr<std::string> start = OnCallFormInstant(entry.start, *zone, where + " start");
    if (!start.ok()) return start.status();
    absl::StatusOr<std::string> end = OnCallFormInstant(entry.end, *zone, where + " end");
    if (!end.ok()) return end.status();
    document["overrides"].push_back({{"user", *user},
                                     {"start", *start},
                                     {"end", *end},
                                     {"reason", EscalationTrimmed(entry.reason)}});
    rows.override_rows.push_back(static_cast<int>(row));
  }
  absl::StatusOr<core::OnCallSchedule> schedule = app::OnCallScheduleFromJson(document);
  if (!schedule.ok()) {
    return absl::InvalidArgumentError(
        OnCallFormMessage(std::string(schedule.status().message()), rows));
  }
  return schedule;
}

std::string OnCallFormMessage(std::string_view message, const EscalationFormRows& rows) {
  std::string text(message);
  if (text.rfind("layers: ", 0) == 0) return text;
  int layer = -1;
  if (EscalationRelabel(text, "layers", "layer", rows.rows, &layer)) {
    if (layer >= 0 && layer < static_cast<int>(rows.slots.size())) {
      EscalationRelabel(text, "participants", "participant", rows.slots[layer], nullptr);
    }
    return text;
  }
  EscalationRelabel(text, "overrides", "override", rows.override_rows, nullptr);
  return text;
}

}  // namespace casedesk::adapters::http

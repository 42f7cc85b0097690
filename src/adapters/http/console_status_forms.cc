#include "adapters/http/console_status_forms.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

std::string Value(const FormFieldList& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return "";
}

bool Sent(const FormFieldList& fields, std::string_view name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return true;
  }
  return false;
}

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(what)));
}

// An optional enum field: "" is unset; anything else must be one of the table's names.
template <typename Enum>
absl::StatusOr<std::optional<Enum>> OptionalEnum(const FormFieldList& fields, std::string_view name,
                                                 core::EnumNameTable<Enum> table) {
  const std::string text = Value(fields, name);
  if (text.empty()) return std::optional<Enum>();
  const std::optional<Enum> value = core::EnumFromName(table, text);
  if (!value) return Invalid(name, absl::StrCat("'", text, "' is not one of the choices"));
  return value;
}

absl::StatusOr<std::vector<core::ComponentId>> ComponentIds(const FormFieldList& fields) {
  std::vector<core::ComponentId> ids;
  for (const auto& [key, value] : fields) {
    if (key != "component_id") continue;
    core::ComponentId id = 0;
    if (!absl::SimpleAtoi(value, &id) || id <= 0) {
      return Invalid("component_ids", absl::StrCat("'", value, "' is not a component"));
    }
    ids.push_back(id);
  }
  return ids;
}

// The fields "Open an incident" and "Schedule maintenance" share.
absl::StatusOr<app::NewIncident> CommonEventFields(const FormFieldList& fields) {
  app::NewIncident incident;
  incident.name = Value(fields, "name");
  incident.body = Value(fields, "body");
  incident.notify = Sent(fields, "notify");
  absl::StatusOr<std::vector<core::ComponentId>> ids = ComponentIds(fields);
  if (!ids.ok()) return ids.status();
  incident.component_ids = *std::move(ids);
  return incident;
}

}  // namespace

absl::StatusOr<app::NewStatusComponent> ParseNewComponentForm(const FormFieldList& fields) {
  app::NewStatusComponent component;
  component.name = Value(fields, "name");
  component.group = Value(fields, "group");
  return component;
}

absl::StatusOr<app::StatusComponentPatch> ParseComponentStatusForm(const FormFieldList& fields) {
  absl::StatusOr<std::optional<core::ComponentStatus>> status =
      OptionalEnum(fields, "status", core::ComponentStatusNames());
  if (!status.ok()) return status.status();
  if (!status->has_value()) return Invalid("status", "choose a status");
  app::StatusComponentPatch patch;
  patch.status = **status;
  return patch;
}

absl::StatusOr<app::NewIncident> ParseNewIncidentForm(const FormFieldList& fields) {
  absl::StatusOr<app::NewIncident> incident = CommonEventFields(fields);
  if (!incident.ok()) return incident;
  incident->kind = core::IncidentKind::kIncident;
  absl::StatusOr<std::optional<core::IncidentImpact>> impact =
      OptionalEnum(fields, "impact", core::IncidentImpactNames());
  if (!impact.ok()) return impact.status();
  incident->impact = *impact;
  absl::StatusOr<std::optional<core::ComponentStatus>> component_status =
      OptionalEnum(fields, "component_status", core::ComponentStatusNames());
  if (!component_status.ok()) return component_status.status();
  incident->component_status = *component_status;
  return incident;
}

absl::StatusOr<app::NewIncident> ParseNewMaintenanceForm(const FormFieldList& fields,
                                                         absl::TimeZone zone) {
  absl::StatusOr<app::NewIncident> maintenance = CommonEventFields(fields);
  if (!maintenance.ok()) return maintenance;
  maintenance->kind = core::IncidentKind::kMaintenance;
  absl::StatusOr<absl::Time> from =
      ParseLocalDateTime("scheduled_for", Value(fields, "scheduled_for"), zone);
  if (!from.ok()) return from.status();
  absl::StatusOr<absl::Time> until =
      ParseLocalDateTime("scheduled_until", Value(fields, "scheduled_until"), zone);
  if (!until.ok()) return until.status();
  maintenance->scheduled_for = *from;
  maintenance->scheduled_until = *until;
  return maintenance;
}

absl::StatusOr<app::IncidentUpdateRequest> ParseIncidentUpdateForm(const FormFieldList& fields) {
  app::IncidentUpdateRequest update;
  absl::StatusOr<std::optional<core::IncidentStatus>> status =
      OptionalEnum(fields, "status", core::IncidentStatusNames());
  if (!status.ok()) return status.status();
  if (!status->has_value()) return Invalid("status", "choose a status");
  update.status = **status;
  update.body = Value(fields, "body");
  absl::StatusOr<std::optional<core::ComponentStatus>> component_status =
      OptionalEnum(fields, "component_status", core::ComponentStatusNames());
  if (!component_status.ok()) return component_status.status();
  update.component_status = *component_status;
  update.notify = Sent(fields, "notify");
  const std::string cases = Value(fields, "linked_cases");
  if (cases.empty() || cases == "none") {
    update.linked_cases = app::LinkedCaseAction::kNone;
  } else if (cases == "update") {
    update.linked_cases = app::LinkedCaseAction::kUpdate;
  } else if (cases == "solve") {
    update.linked_cases = app::LinkedCaseAction::kSolve;
  } else {
    return Invalid("linked_cases", absl::StrCat("'", cases, "' is not one of the choices"));
  }
  return update;
}

absl::StatusOr<core::CaseNumber> ParseCaseNumberForm(const FormFieldList& fields) {
  std::string text = Value(fields, "case_number");
  // People paste "#100042" as often as "100042".
  if (!text.empty() && text.front() == '#') text.erase(0, 1);
  if (text.empty()) return Invalid("case_number", "enter a case number");
  core::CaseNumber number = 0;
  if (!absl::SimpleAtoi(text, &number) || number <= 0) {
    return Invalid("case_number", "must be a case number such as 100042");
  }
  return number;
}

absl::StatusOr<absl::Time> ParseLocalDateTime(std::string_view field, std::string_view text,
                                              absl::TimeZone zone) {
  if (text.empty()) return Invalid(field, "enter a date and time");
  absl::CivilSecond local;
  absl::CivilMinute minute;
  if (text.size() == 16 && absl::ParseCivilTime(std::string(text), &minute)) {
    local = absl::CivilSecond(minute);
  } else if (text.size() != 19 || !absl::ParseCivilTime(std::string(text), &local)) {
    return Invalid(field, "must be a date and time such as 2026-11-22T21:05");
  }
  const absl::TimeZone::TimeInfo info = zone.At(local);
  if (info.kind == absl::TimeZone::TimeInfo::SKIPPED) {
    return Invalid(field, absl::StrCat("this time does not exist in ", zone.name(),
                                       " (the clocks go forward then)"));
  }
  return info.pre;
}

}  // namespace casedesk::adapters::http

// The staff console's SLA policy page of a support plan (/console/admin/plans/{name}/sla): per
// severity and clock (first response, update cadence, resolution) the target -- business minutes,
// a named target without a clock such as "next_release", or "on_milestone" for the cadence -- and
// the calendar it runs on, plus the plan's business calendar, the warning threshold and whether
// a customer's severity 1 waits for confirmation before paging. The pause statuses, the
// after-hours rule and the service-task estimate are shown and kept as they are. Also the
// conversions between the form's text and a core::SlaPolicy. All text is escaped by the
// templates. Thread-safe: pure functions.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/web/console_layout.h"
#include "core/sla_policy.h"

namespace casedesk::adapters::web {

// The clocks of each severity the form edits, with the field suffix and the label shown.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kSlaFormClocks{{
    {"first_response", "First response"},
    {"next_update", "Update cadence"},
    {"resolution", "Resolution"},
}};

struct SlaTargetFormText {
  std::string target;    // "120", "next_release", "on_milestone"
  std::string calendar;  // "": the plan's business calendar
};

struct SlaSeverityFormText {
  int level = 1;
  std::array<SlaTargetFormText, 3> clocks;  // kSlaFormClocks order
};

// The form's fields as text: what is stored, or what was posted.
struct SlaPolicyFormText {
  std::string business_calendar;
  std::string warning_percent;  // "75"
  bool confirm_critical = false;
  std::array<SlaSeverityFormText, 4> severities;  // levels 1..4
};

// The form field of a severity's clock target ("s2_first_response"); its calendar's field adds
// "_calendar".
std::string SlaTargetFieldName(int level, std::string_view clock);

SlaPolicyFormText SlaPolicyFormFromPolicy(const core::SlaPolicy& policy);
// The form as posted; `value` returns a field's first value or "" (checkbox: "" when unchecked).
template <typename ValueOf>
SlaPolicyFormText SlaPolicyFormFromFields(ValueOf value) {
  SlaPolicyFormText form;
  form.business_calendar = value("business_calendar");
  form.warning_percent = value("warning_percent");
  form.confirm_critical = !value("confirm_critical").empty();
  for (int level = 1; level <= 4; ++level) {
    SlaSeverityFormText& severity = form.severities[level - 1];
    severity.level = level;
    for (size_t i = 0; i < kSlaFormClocks.size(); ++i) {
      const std::string field = SlaTargetFieldName(level, kSlaFormClocks[i].first);
      severity.clocks[i].target = value(field);
      severity.clocks[i].calendar = value(field + "_calendar");
    }
  }
  return form;
}

// The policy the form describes: `base` (the policy in force, which keeps what the form does not
// show) with the form's values. InvalidArgument naming the field for text that is not a number
// or a target name; the policy's rules are checked later by the use case.
absl::StatusOr<core::SlaPolicy> SlaPolicyFromForm(const SlaPolicyFormText& form,
                                                  core::SlaPolicy base);

struct ConsolePlanSlaView {
  std::string plan;
  bool may_edit = false;
  bool shipped = false;    // the shipped policy applies (nothing stored)
  bool has_policy = true;  // false: the plan has no SLA yet and the form starts from a template
  SlaPolicyFormText form;
  core::SlaPolicy base;                       // what the form keeps unchanged (shown read-only)
  std::vector<std::string> calendars;         // every calendar's name
  std::array<std::string, 4> severity_names;  // "Critical", ... by level
  std::string error;                          // why the posted policy was refused
};

std::string RenderConsolePlanSlaPage(const ConsoleFrame& frame, const ConsolePlanSlaView& view);

}  // namespace casedesk::adapters::web

// The staff console's support plan pages and the severity definitions page: the plan list with
// each plan's key facts and a form to create a plan (/console/admin/plans), one plan's form with
// its change history (/console/admin/plans/{name}), and the four severity levels' written
// definitions and examples (/console/admin/severities). Admins save; other provider staff read.
// The SLA policy page of a plan is in console_plan_sla_page.h. All text is escaped by the
// templates. Thread-safe: pure functions.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "adapters/web/console_layout.h"
#include "core/audit_event.h"
#include "core/plan.h"
#include "core/severity.h"

namespace casedesk::adapters::web {

// A plan form's fields as text: what is stored, or what was posted.
struct PlanFormText {
  std::string name;
  std::string display_name;
  std::string description;
  std::vector<std::string> channels;  // the checked channel names ("portal", "email", ...)
  bool partner_eligible = false;
  bool after_hours_coverage = false;
};

PlanFormText PlanFormFromPlan(const core::SupportPlan& plan);

struct PlanListRow {
  core::SupportPlan plan;
  std::string sla;  // "Shipped", "Stored", "None": where the plan's SLA policy comes from
};

struct ConsolePlanListView {
  std::vector<PlanListRow> plans;  // one page, by name
  std::string next_cursor;         // "" on the last page
  bool may_edit = false;           // admins: the "new plan" form
  PlanFormText form;               // the new plan form (what was typed after a refusal)
  std::string error;               // why the new plan was refused
};

struct ConsolePlanView {
  std::string name;
  bool may_edit = false;
  PlanFormText form;
  std::string error;                     // why the posted change was refused
  std::vector<core::AuditEvent> events;  // one page of the plan's history, oldest first
  std::string events_next_cursor;        // "" when there is no later page
  bool events_available = true;          // false: the history could not be read
};

// One level's definition as form text; examples one per line.
struct SeverityFormText {
  int level = 1;
  std::string name;
  std::string summary;
  std::string description;
  std::string examples;
};

struct ConsoleSeverityView {
  std::array<SeverityFormText, 4> levels;  // levels 1..4 in order
  bool may_edit = false;
  std::string error;  // why the posted definitions were refused
};

std::array<SeverityFormText, 4> SeverityFormFromDefinitions(
    const std::vector<core::SeverityDefinition>& definitions);

std::string RenderConsolePlanListPage(const ConsoleFrame& frame, const ConsolePlanListView& view);
std::string RenderConsolePlanPage(const ConsoleFrame& frame, const ConsolePlanView& view);
std::string RenderConsoleSeverityPage(const ConsoleFrame& frame, const ConsoleSeverityView& view);

}  // namespace casedesk::adapters::web

// The JSON shape of a service task (see api_service_tasks.h): the flow's state, the latest
// estimate and schedule, the estimate clock (the same fields as the case's SLA clocks) and the
// flow's history from the audit trail. Thread-safe: pure functions.
#include <string>

#include "absl/time/time.h"
#include "adapters/http/api_service_tasks.h"
#include "adapters/http/api_support.h"
#include "core/enum_names.h"
#include "core/sla_clocks.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json OptionalInstant(const std::optional<absl::Time>& at) {
  return at ? json(http::FormatTime(*at)) : json(nullptr);
}

json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json EstimateClockJson(const core::SlaClock& clock) {
  json explanation = json::array();
  for (const std::string& line : core::ExplainSlaClock(clock)) explanation.push_back(line);
  return {
      {"target", clock.target.minutes},
      {"calendar", clock.target.calendar},
      {"state", core::NameOf<core::SlaClockState>(core::kSlaClockStateNames, clock.state)},
      {"paused", clock.paused()},
      {"started_at", OptionalInstant(clock.started_at)},
      {"due_at", OptionalInstant(clock.due_at)},
      {"warning_at", OptionalInstant(clock.warning_at)},
      {"achieved_at", OptionalInstant(clock.achieved_at)},
      {"breached_at", OptionalInstant(clock.breached_at)},
      {"elapsed_minutes", absl::ToInt64Minutes(clock.elapsed)},
      {"remaining_minutes",
       clock.remaining ? json(absl::ToInt64Minutes(*clock.remaining)) : json(nullptr)},
      {"explanation", std::move(explanation)},
  };
}

json HistoryJson(const std::vector<core::AuditEvent>& history) {
  json items = json::array();
  for (const core::AuditEvent& event : history) {
    json changes = json::object();
    for (const core::FieldChange& change : event.changes) {
      changes[change.field] = {{"before", change.before}, {"after", change.after}};
    }
    items.push_back(json{{"kind", event.kind},
                         {"at", http::FormatTime(event.at)},
                         {"actor_id", event.actor_id == 0 ? json(nullptr) : json(event.actor_id)},
                         {"changes", std::move(changes)},
                         {"reason", TextOrNull(event.reason)}});
  }
  return items;
}

}  // namespace

json ServiceTaskToJson(const app::ServiceTaskView& view) {
  const core::ServiceTask& task = view.task;
  json estimate = nullptr;
  if (task.estimate_minutes) {
    estimate = {{"hours", static_cast<double>(*task.estimate_minutes) / 60.0},
                {"minutes", *task.estimate_minutes},
                {"completion_date", task.completion_date},
                {"count", task.estimate_count},
                {"estimated_at", OptionalInstant(task.estimated_at)}};
  }
  json actions = json::array();
  for (core::ServiceTaskAction action : view.allowed_actions) {
    actions.push_back(core::NameOf<core::ServiceTaskAction>(core::kServiceTaskActionNames, action));
  }
  return {
      {"case_number", task.case_number},
      {"org_id", task.org_id},
      {"subject", view.record.subject},
      {"case_status", core::NameOf<core::CaseStatus>(core::kCaseStatusNames, view.record.status)},
      {"state", core::NameOf<core::ServiceTaskState>(core::kServiceTaskStateNames, task.state)},
      {"estimate", std::move(estimate)},
      {"start_date", TextOrNull(task.start_date)},
      {"decline_reason", TextOrNull(task.decline_reason)},
      {"requested_at", http::FormatTime(task.requested_at)},
      {"decided_at", OptionalInstant(task.decided_at)},
      {"started_at", OptionalInstant(task.started_at)},
      {"done_at", OptionalInstant(task.done_at)},
      {"updated_at", http::FormatTime(task.updated_at)},
      {"revision", task.revision},
      {"estimate_clock", view.estimate_clock ? EstimateClockJson(*view.estimate_clock) : json()},
      {"allowed_actions", std::move(actions)},
      {"history", HistoryJson(view.history)},
  };
}

}  // namespace casedesk::adapters::http

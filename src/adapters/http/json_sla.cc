#include "adapters/http/json_sla.h"

#include <string>

#include "adapters/http/api_support.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using json = nlohmann::json;
using core::NameOf;

json OptionalSlaInstant(const std::optional<absl::Time>& at) {
  return at ? json(http::FormatTime(*at)) : json(nullptr);
}

json TargetJson(const core::SlaTarget& target) {
  if (target.is_named()) return target.name;
  return target.minutes;
}

json ClockJson(const core::SlaClock& clock) {
  json explanation = json::array();
  for (const std::string& line : core::ExplainSlaClock(clock)) explanation.push_back(line);
  return {
      {"target", TargetJson(clock.target)},
      {"calendar", clock.target.calendar},
      {"state", NameOf<core::SlaClockState>(core::kSlaClockStateNames, clock.state)},
      {"paused", clock.paused()},
      {"cycle", clock.cycle},
      {"started_at", OptionalSlaInstant(clock.started_at)},
      {"due_at", OptionalSlaInstant(clock.due_at)},
      {"warning_at", OptionalSlaInstant(clock.warning_at)},
      {"achieved_at", OptionalSlaInstant(clock.achieved_at)},
      {"breached_at", OptionalSlaInstant(clock.breached_at)},
      {"elapsed_minutes", absl::ToInt64Minutes(clock.elapsed)},
      {"remaining_minutes",
       clock.remaining ? json(absl::ToInt64Minutes(*clock.remaining)) : json(nullptr)},
      {"explanation", std::move(explanation)},
  };
}

}  // namespace

json SlaToJson(const app::CaseSla& sla) {
  json body = {
      {"plan", sla.plan},
      {"severity", core::SeverityLevel(sla.clocks.severity)},
      {"first_response", ClockJson(sla.clocks.first_response)},
      {"next_update", ClockJson(sla.clocks.next_update)},
      {"resolution", ClockJson(sla.clocks.resolution)},
  };
  if (sla.clocks.triage) body["triage"] = ClockJson(*sla.clocks.triage);
  if (sla.clocks.status_notification) {
    body["status_notification"] = ClockJson(*sla.clocks.status_notification);
  }
  if (sla.clocks.estimate) body["estimate"] = ClockJson(*sla.clocks.estimate);
  return body;
}

}  // namespace casedesk::adapters::http

// JSON shapes of engineering links, tracker updates, the tracker settings, problems and the
// incident trend report (issue 7), and the request bodies that carry them. Only provider staff
// ever receive these documents. Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "app/engineering_links.h"
#include "app/problems.h"
#include "core/engineering_link.h"
#include "core/problem.h"

namespace casedesk::adapters::http {

nlohmann::json EngineeringLinkToJson(const core::EngineeringLink& link);
nlohmann::json TrackerUpdateToJson(const app::TrackerUpdateResult& result);
nlohmann::json EngineeringSettingsToJson(const app::EngineeringSettings& settings);
nlohmann::json ProblemToJson(const core::Problem& problem);
nlohmann::json ProblemDetailToJson(const app::ProblemDetail& detail);
nlohmann::json IncidentTrendsToJson(const app::IncidentTrendReport& report);

// {tracker, key, url?, state?, title?}
absl::StatusOr<app::EngineeringLinkInput> LinkInputFromJson(const nlohmann::json& body);
// {state, title?, url?}; `state_required` false lets a PATCH change only title/url.
absl::StatusOr<app::TrackerStateUpdate> StateUpdateFromJson(const nlohmann::json& body,
                                                            bool state_required);
// {secret?, policies?: {state: note|prompt|send}, templates?: {state: text}}
absl::StatusOr<app::EngineeringSettingsInput> SettingsInputFromJson(const nlohmann::json& body);
// {title?, status?, component?, root_cause?}
absl::StatusOr<app::ProblemInput> ProblemInputFromJson(const nlohmann::json& body);

}  // namespace casedesk::adapters::http

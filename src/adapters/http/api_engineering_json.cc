#include "adapters/http/api_engineering_json.h"

#include <string>
#include <utility>

#include "adapters/http/api_support.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json TimeOrNull(absl::Time time) {
  return time == absl::InfinitePast() ? json(nullptr) : json(http::FormatTime(time));
}

json CountsToJson(const std::vector<app::TrendCount>& rows, std::string_view id_field,
                  std::string_view name_field, bool with_status) {
  json items = json::array();
  for (const app::TrendCount& row : rows) {
    json item = {{std::string(name_field), row.name}, {"count", row.count}};
    if (!id_field.empty()) item[std::string(id_field)] = row.id;
    if (with_status) item["status"] = row.status;
    items.push_back(std::move(item));
  }
  return items;
}

absl::StatusOr<std::string> StringField(const json& body, std::string_view field,
                                        std::string fallback) {
  absl::StatusOr<std::optional<std::string>> value = OptionalString(body, field);
  if (!value.ok()) return value.status();
  return value->value_or(std::move(fallback));
}

}  // namespace

json EngineeringLinkToJson(const core::EngineeringLink& link) {
  return {
      {"id", link.id},
      {"case_number", link.case_number},
      {"tracker", link.tracker},
      {"key", link.issue_key},
      {"url", link.url},
      {"state", link.state},
      {"title", link.title},
      {"pending_update", link.pending_update.empty() ? json(nullptr) : json(link.pending_update)},
      {"created_by", link.created_by},
      {"created_at", TimeOrNull(link.created_at)},
      {"updated_by", link.updated_by == 0 ? json(nullptr) : json(link.updated_by)},
      {"updated_at", TimeOrNull(link.updated_at)}};
}

json TrackerUpdateToJson(const app::TrackerUpdateResult& result) {
  json links = json::array();
  int changed = 0;
  for (const app::LinkStateChange& change : result.links) {
    json item = EngineeringLinkToJson(change.link);
    item["state_before"] = change.state_before;
    item["changed"] = change.changed;
    item["action"] =
        std::string(core::NameOf<core::StateAction>(core::kStateActionNames, change.action));
    item["public_update_sent"] = change.public_update_sent;
    links.push_back(std::move(item));
    if (change.changed) ++changed;
  }
  return {{"tracker", result.tracker},    {"key", result.key},  {"state", result.state},
          {"cases", result.links.size()}, {"changed", changed}, {"links", std::move(links)}};
}

json EngineeringSettingsToJson(const app::EngineeringSettings& settings) {
  json policies = json::object();
  for (const auto& [state, action] : settings.policy.actions) {
    policies[state] = std::string(core::NameOf<core::StateAction>(core::kStateActionNames, action));
  }
  json templates = json::object();
  for (const auto& [state, text] : settings.policy.templates) templates[state] = text;
  return {{"secret_configured", settings.secret_configured},
          {"policies", std::move(policies)},
          {"templates", std::move(templates)}};
}

json ProblemToJson(const core::Problem& problem) {
  return {{"id", problem.id},
          {"title", problem.title},
          {"status", std::string(core::NameOf<core::ProblemStatus>(core::kProblemStatusNames,
                                                                   problem.status))},
          {"component", problem.component},
          {"root_cause", problem.root_cause},
          {"case_count", problem.case_count},
          {"created_by", problem.created_by},
          {"created_at", TimeOrNull(problem.created_at)},
          {"updated_at", TimeOrNull(problem.updated_at)},
          {"resolved_at", TimeOrNull(problem.resolved_at)}};
}

json ProblemDetailToJson(const app::ProblemDetail& detail) {
  json body = ProblemToJson(detail.problem);
  json cases = json::array();
  for (const ports::ProblemCase& linked : detail.cases) {
    const auto org = detail.org_names.find(linked.org_id);
    cases.push_back({{"case_number", linked.case_number},
                     {"subject", linked.subject},
                     {"status", linked.status},
                     {"org_id", linked.org_id},
                     {"org_name", org == detail.org_names.end() ? "" : org->second},
                     {"opened_at", TimeOrNull(linked.opened_at)},
                     {"linked_by", linked.linked_by},
                     {"linked_at", TimeOrNull(linked.linked_at)}});
  }
  body["cases"] = std::move(cases);
  json events = json::array();
  for (const core::AuditEvent& event : detail.events) {
    json changes = json::array();
    for (const core::FieldChange& change : event.changes) {
      changes.push_back(
          {{"field", change.field}, {"before", change.before}, {"after", change.after}});
    }
    events.push_back({{"kind", event.kind},
                      {"at", TimeOrNull(event.at)},
                      {"actor_id", event.actor_id},
                      {"changes", std::move(changes)}});
  }
  body["events"] = std::move(events);
  return body;
}

json IncidentTrendsToJson(const app::IncidentTrendReport& report) {
  return {{"from", http::FormatTime(report.from)},
          {"to", http::FormatTime(report.to)},
          {"total", report.total},
          {"by_problem", CountsToJson(report.by_problem, "problem_id", "title", true)},
          {"by_component", CountsToJson(report.by_component, "", "component", false)},
          {"by_organisation", CountsToJson(report.by_org, "org_id", "name", false)}};
}

absl::StatusOr<app::EngineeringLinkInput> LinkInputFromJson(const json& body) {
  app::EngineeringLinkInput input;
  absl::StatusOr<std::string> tracker = RequiredString(body, "tracker");
  if (!tracker.ok()) return tracker.status();
  input.tracker = *std::move(tracker);
  absl::StatusOr<std::string> key = RequiredString(body, "key");
  if (!key.ok()) return key.status();
  input.key = *std::move(key);
  for (auto [field, target, fallback] :
       {std::tuple{"url", &input.url, ""}, std::tuple{"state", &input.state, "open"},
        std::tuple{"title", &input.title, ""}}) {
    absl::StatusOr<std::string> value = StringField(body, field, fallback);
    if (!value.ok()) return value.status();
    *target = *std::move(value);
  }
  return input;
}

absl::StatusOr<app::TrackerStateUpdate> StateUpdateFromJson(const json& body, bool state_required) {
  app::TrackerStateUpdate update;
  absl::StatusOr<std::optional<std::string>> state = OptionalString(body, "state");
  if (!state.ok()) return state.status();
  if (!*state && state_required) return absl::InvalidArgumentError("state: required");
  update.state = state->value_or("");
  absl::StatusOr<std::optional<std::string>> title = OptionalString(body, "title");
  if (!title.ok()) return title.status();
  update.title = *std::move(title);
  absl::StatusOr<std::optional<std::string>> url = OptionalString(body, "url");
  if (!url.ok()) return url.status();
  update.url = *std::move(url);
  return update;
}

absl::StatusOr<app::EngineeringSettingsInput> SettingsInputFromJson(const json& body) {
  app::EngineeringSettingsInput input;
  absl::StatusOr<std::optional<std::string>> secret = OptionalString(body, "secret");
  if (!secret.ok()) return secret.status();
  input.secret = *std::move(secret);
  if (body.contains("policies") && !body["policies"].is_null()) {
    if (!body["policies"].is_object()) {
      return absl::InvalidArgumentError("policies: must be an object of state -> action");
    }
    std::map<std::string, core::StateAction> policies;
    for (const auto& [state, value] : body["policies"].items()) {
      const std::optional<core::StateAction> action =
          value.is_string() ? core::EnumFromName<core::StateAction>(core::kStateActionNames,
                                                                    value.get<std::string>())
                            : std::nullopt;
      if (!action) {
        return absl::InvalidArgumentError("policies." + state + ": must be note, prompt or send");
      }
      policies[core::NormaliseTrackerState(state)] = *action;
    }
    input.policies = std::move(policies);
  }
  if (body.contains("templates") && !body["templates"].is_null()) {
    if (!body["templates"].is_object()) {
      return absl::InvalidArgumentError("templates: must be an object of state -> text");
    }
    std::map<std::string, std::string> templates;
    for (const auto& [state, value] : body["templates"].items()) {
      if (!value.is_string()) return absl::InvalidArgumentError("templates." + state + ": text");
      templates[core::NormaliseTrackerState(state)] = value.get<std::string>();
    }
    input.templates = std::move(templates);
  }
  return input;
}

absl::StatusOr<app::ProblemInput> ProblemInputFromJson(const json& body) {
  app::ProblemInput input;
  for (auto [field, target] :
       {std::pair{"title", &input.title}, std::pair{"component", &input.component},
        std::pair{"root_cause", &input.root_cause}}) {
    absl::StatusOr<std::optional<std::string>> value = OptionalString(body, field);
    if (!value.ok()) return value.status();
    *target = *std::move(value);
  }
  absl::StatusOr<std::optional<std::string>> status = OptionalString(body, "status");
  if (!status.ok()) return status.status();
  if (*status) {
    input.status = core::EnumFromName<core::ProblemStatus>(core::kProblemStatusNames, **status);
    if (!input.status) {
      return absl::InvalidArgumentError("status: must be investigating, known_error or resolved");
    }
  }
  return input;
}

}  // namespace casedesk::adapters::http

#include "adapters/http/json_sla_config.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"
#include "adapters/system/calendar_file.h"
#include "app/calendar_json.h"
#include "app/escalation_json.h"
#include "app/sla_settings.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// Takes the key field GET adds out of `body`: absent, null or equal to `expected`; anything else
// is InvalidArgument.
absl::Status TakeKeyField(json& body, std::string_view field, const std::string& expected,
                          std::string_view what) {
  const auto it = body.find(field);
  if (it == body.end()) return absl::OkStatus();
  if (!it->is_null()) {
    if (!it->is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", std::string(field), "' must be a string"));
    }
    if (it->get<std::string>() != expected) {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", std::string(field), "' is '", it->get<std::string>(),
                       "' but the path names ", std::string(what), " '", expected, "'"));
    }
  }
  body.erase(it);
  return absl::OkStatus();
}

// "shipped" is what GET reports; a body may carry it back, but it says nothing.
absl::Status TakeShipped(json& body) {
  const auto it = body.find("shipped");
  if (it == body.end()) return absl::OkStatus();
  if (!it->is_null() && !it->is_boolean()) {
    return absl::InvalidArgumentError("field 'shipped' must be true or false (it is read-only)");
  }
  body.erase(it);
  return absl::OkStatus();
}

std::string Text(absl::Time time) { return http::FormatTime(time); }

}  // namespace

json CalendarEntryToJson(const app::CalendarEntry& entry) {
  json out = app::CalendarSpecToJson(entry.spec);
  out["name"] = entry.name;
  out["shipped"] = entry.shipped;
  return out;
}

absl::StatusOr<core::CalendarSpec> ParseCalendarBody(const HttpRequest& request, int64_t max_bytes,
                                                     const std::string& name) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, max_bytes, {"name", "shipped", "time_zone", "holidays", "hours"});
  if (!body.ok()) return body.status();
  if (absl::Status name_ok = TakeKeyField(*body, "name", name, "calendar"); !name_ok.ok()) {
    return name_ok;
  }
  if (absl::Status shipped = TakeShipped(*body); !shipped.ok()) return shipped;
  return app::CalendarSpecFromJson(*body);
}

json PlanSlaPolicyToJson(const app::PlanSlaPolicy& policy) {
  json out = app::SlaPolicyToJson(policy.policy);
  out["plan"] = policy.plan;
  out["shipped"] = policy.shipped;
  return out;
}

absl::StatusOr<core::SlaPolicy> ParseSlaPolicyBody(const HttpRequest& request, int64_t max_bytes,
                                                   const std::string& plan) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, max_bytes,
                      {"plan", "shipped", "business_calendar", "warning_fraction", "pause_statuses",
                       "confirm_critical_before_paging", "targets", "after_hours", "estimate"});
  if (!body.ok()) return body.status();
  if (absl::Status plan_ok = TakeKeyField(*body, "plan", plan, "plan"); !plan_ok.ok()) {
    return plan_ok;
  }
  if (absl::Status shipped = TakeShipped(*body); !shipped.ok()) return shipped;
  return app::SlaPolicyFromJson(*body);
}

absl::StatusOr<core::EscalationPolicy> ParseEscalationPolicyBody(const HttpRequest& request,
                                                                 int64_t max_bytes,
                                                                 const std::string& name) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes, {"name", "description", "enabled", "plans", "severities", "levels"});
  if (!body.ok()) return body.status();
  if (absl::Status name_ok = TakeKeyField(*body, "name", name, "escalation policy");
      !name_ok.ok()) {
    return name_ok;
  }
  (*body)["name"] = name;
  return app::EscalationPolicyFromJson(*body);
}

absl::StatusOr<core::OnCallSchedule> ParseOnCallScheduleBody(const HttpRequest& request,
                                                             int64_t max_bytes,
                                                             const std::string& name) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes, {"name", "display_name", "time_zone", "layers", "overrides"});
  if (!body.ok()) return body.status();
  if (absl::Status name_ok = TakeKeyField(*body, "name", name, "on-call schedule"); !name_ok.ok()) {
    return name_ok;
  }
  (*body)["name"] = name;
  return app::OnCallScheduleFromJson(*body);
}

json OnCallNowToJson(const app::OnCallNow& now) {
  json out = {{"schedule", now.schedule}, {"at", Text(now.at)}, {"user", nullptr},
              {"layer", nullptr},         {"since", nullptr},   {"until", nullptr}};
  if (now.shift) {
    out["layer"] = now.shift->layer;
    out["since"] = Text(now.shift->since);
    out["until"] = Text(now.shift->until);
    // A person removed from the store since the schedule was saved still shows by id.
    json user = {{"id", now.shift->user}, {"name", nullptr}, {"email", nullptr}};
    if (now.user) {
      user["name"] = now.user->name;
      user["email"] = now.user->email;
    }
    out["user"] = std::move(user);
  }
  return out;
}

absl::StatusOr<absl::Time> InstantFromQuery(const HttpRequest& request, std::string_view name,
                                            absl::Time otherwise) {
  const std::optional<std::string_view> text = request.Query(name);
  if (!text) return otherwise;
  absl::StatusOr<absl::Time> at = adapters::ParseRfc3339Instant(*text);
  if (!at.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter '", std::string(name),
                     "' must be an RFC 3339 instant such as 2026-03-09T13:00:00Z"));
  }
  return at;
}

}  // namespace casedesk::adapters::http

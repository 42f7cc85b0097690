// The SLA routes that are not configuration: asking for a case's escalation, a case's
// notifications (outbox entries), priority-abuse flags, and the SLA compliance report as JSON
// or CSV. Each handler authenticates, parses strictly, calls one app use case and maps its
// outcome; writes answer from the store's durable-commit callback, reads on the calling thread.
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/problem.h"
#include "adapters/system/calendar_file.h"
#include "app/case_escalation.h"
#include "app/severity_flags.h"
#include "app/sla_reports.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json SlaTimeOrNull(const std::optional<absl::Time>& time) {
  return time ? json(http::FormatTime(*time)) : json(nullptr);
}

// Percentages and minutes are shown to two decimals.
json Rounded(const std::optional<double>& value) {
  if (!value) return nullptr;
  return std::round(*value * 100.0) / 100.0;
}

std::string ClockName(core::SlaClockKind clock) {
  return std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock));
}

json NotificationToJson(const ports::Notification& notification) {
  return {{"id", notification.id},
          {"case_number", notification.case_number},
          {"kind", notification.kind},
          {"recipient_id", notification.recipient_id},
          {"recipient_email", notification.recipient_email},
          {"subject", notification.subject},
          {"body", notification.body},
          {"created_at", http::FormatTime(notification.created_at)},
          {"sent_at", SlaTimeOrNull(notification.sent_at)},
          {"attempts", notification.attempts},
          {"last_error", notification.last_error}};
}

json SeverityFlagToJson(const ports::SeverityFlag& flag) {
  return {{"id", flag.id},
          {"case_number", flag.case_number},
          {"org_id", flag.org_id},
          {"requester_id", flag.requester_id},
          {"flagged_by", flag.flagged_by},
          {"flagged_severity", core::SeverityLevel(flag.flagged_severity)},
          {"reason", flag.reason},
          {"at", http::FormatTime(flag.at)}};
}

template <typename T, typename ToJson>
json AllItems(const std::vector<T>& values, ToJson to_json) {
  json items = json::array();
  for (const T& value : values) items.push_back(to_json(value));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

json ComplianceToJson(const app::ClockCompliance& compliance) {
  return {{"achieved_within_target", compliance.achieved_within_target},
          {"breached", compliance.breached},
          {"pending", compliance.pending},
          {"without_target", compliance.without_target},
          {"compliance_percent", Rounded(compliance.compliance_percent)}};
}

json ReportRowToJson(const app::SlaReportRow& row) {
  return {{"plan", row.plan.empty() && !row.severity ? json(nullptr) : json(row.plan)},
          {"severity", row.severity ? json(core::SeverityLevel(*row.severity)) : json(nullptr)},
          {"cases", row.cases},
          {"first_response", ComplianceToJson(row.first_response)},
          {"resolution", ComplianceToJson(row.resolution)},
          {"update_breaches", row.update_breaches},
          {"mean_first_response_minutes", Rounded(row.mean_first_response_minutes)},
          {"p90_first_response_minutes", Rounded(row.p90_first_response_minutes)}};
}

json ReportToJson(const app::SlaReport& report) {
  json rows = json::array();
  for (const app::SlaReportRow& row : report.rows) rows.push_back(ReportRowToJson(row));
  json breaches = json::array();
  for (const app::SlaBreach& breach : report.breaches) {
    breaches.push_back({{"case_number", breach.case_number},
                        {"plan", breach.plan},
                        {"severity", core::SeverityLevel(breach.severity)},
                        {"clock", ClockName(breach.clock)},
                        {"due_at", http::FormatTime(breach.due_at)},
                        {"breached_at", http::FormatTime(breach.breached_at)}});
  }
  json flags = json::array();
  for (const ports::SeverityFlagCount& count : report.severity_flags) {
    flags.push_back(
        {{"org_id", count.org_id}, {"requester_id", count.requester_id}, {"flags", count.flags}});
  }
  return {
      {"from", http::FormatTime(report.from)},
      {"to", http::FormatTime(report.to)},
      {"plan", report.plan.empty() ? json(nullptr) : json(report.plan)},
      {"severity", report.severity ? json(core::SeverityLevel(*report.severity)) : json(nullptr)},
      {"rows", std::move(rows)},
      {"total", ReportRowToJson(report.total)},
      {"breaches", std::move(breaches)},
      {"severity_flags", std::move(flags)}};
}

// RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, quotes doubled.
std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string CsvNumber(const std::optional<double>& value) {
  if (!value) return "";
  return Rounded(value).dump();
}

void AppendCsvLine(std::string& csv, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) csv += ',';
    csv += CsvField(fields[i]);
  }
  csv += "\r\n";
}

// One header line, one line per (plan, severity) row, then the total as plan and severity
// "(all)" (parentheses cannot occur in plan names).
std::string ReportToCsv(const app::SlaReport& report) {
  std::string csv;
  AppendCsvLine(
      csv, {"plan", "severity", "cases", "first_response_achieved_within_target",
            "first_response_breached", "first_response_pending", "first_response_without_target",
            "first_response_compliance_percent", "resolution_achieved_within_target",
            "resolution_breached", "resolution_pending", "resolution_without_target",
            "resolution_compliance_percent", "update_breaches", "mean_first_response_minutes",
            "p90_first_response_minutes"});
  const auto line = [&](const app::SlaReportRow& row, std::string plan, std::string severity) {
    std::vector<std::string> fields = {std::move(plan), std::move(severity),
                                       std::to_string(row.cases)};
    for (const app::ClockCompliance* clock : {&row.first_response, &row.resolution}) {
      fields.push_back(std::to_string(clock->achieved_within_target));
      fields.push_back(std::to_string(clock->breached));
      fields.push_back(std::to_string(clock->pending));
      fields.push_back(std::to_string(clock->without_target));
      fields.push_back(CsvNumber(clock->compliance_percent));
    }
    fields.push_back(std::to_string(row.update_breaches));
    fields.push_back(CsvNumber(row.mean_first_response_minutes));
    fields.push_back(CsvNumber(row.p90_first_response_minutes));
    AppendCsvLine(csv, fields);
  };
  for (const app::SlaReportRow& row : report.rows) {
    line(row, row.plan, row.severity ? std::to_string(core::SeverityLevel(*row.severity)) : "");
  }
  line(report.total, "(all)", "(all)");
  return csv;
}

absl::StatusOr<std::optional<absl::Time>> QueryInstant(const HttpRequest& request,
                                                       std::string_view name) {
  const auto text = request.Query(name);
  if (!text || text->empty()) return std::nullopt;
  absl::StatusOr<absl::Time> instant = adapters::ParseRfc3339Instant(*text);
  if (!instant.ok()) {
    return absl::InvalidArgumentError("query parameter '" + std::string(name) +
                                      "' must be an RFC 3339 instant such as "
                                      "2026-03-09T13:00:00Z");
  }
  return std::optional<absl::Time>(*instant);
}

struct ReportQuery {
  app::SlaReportRequest request;
  bool csv = false;
};

absl::StatusOr<ReportQuery> ReportQueryFrom(const HttpRequest& request) {
  ReportQuery query;
  absl::StatusOr<std::optional<absl::Time>> from = QueryInstant(request, "from");
  if (!from.ok()) return from.status();
  absl::StatusOr<std::optional<absl::Time>> to = QueryInstant(request, "to");
  if (!to.ok()) return to.status();
  query.request.from = *from;
  query.request.to = *to;
  query.request.plan = std::string(request.Query("plan").value_or(""));
  if (const auto severity = request.Query("severity"); severity && !severity->empty()) {
    core::Severity level;
    if (severity->size() != 1 || !core::SeverityFromLevel((*severity)[0] - '0', &level)) {
      return absl::InvalidArgumentError("query parameter 'severity' must be from 1 to 4");
    }
    query.request.severity = level;
  }
  const std::string_view format = request.Query("format").value_or("json");
  if (format == "csv") {
    query.csv = true;
  } else if (format != "json" && !format.empty()) {
    return absl::InvalidArgumentError("query parameter 'format' must be json or csv");
  }
  return query;
}

// Reads {"reason": "..."}, the one body these writes take.
absl::StatusOr<std::string> ReasonFromBody(const HttpRequest& request,
                                           const app::AppContext& context) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, context.limits.max_json_body_bytes, {"reason"});
  if (!body.ok()) return body.status();
  absl::StatusOr<std::optional<std::string>> reason = OptionalString(*body, "reason");
  if (!reason.ok()) return reason.status();
  return reason->value_or("");  // app::ValidateReasonText names a missing reason
}

}  // namespace

void RegisterSlaRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/cases/{number}/escalations",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<std::string> reason = ReasonFromBody(request, context);
               if (!reason.ok()) return respond(ProblemResponse(reason.status()));
               app::RequestEscalation(
                   context, caller, *number, *std::move(reason),
                   AnswerWith<app::EscalationOutcome>(
                       std::move(respond), 202, [](const app::EscalationOutcome& outcome) {
                         return json{
                             {"levels_armed", outcome.levels_armed},
                             {"trigger", core::NameOf<core::EscalationTrigger>(
                                             core::kEscalationTriggerNames, outcome.trigger)}};
                       }));
             }));

  router.Add("GET", "/api/v1/cases/{number}/notifications",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               Answer(respond, app::ListCaseNotifications(context, caller, *number),
                      [](const std::vector<ports::Notification>& notifications) {
                        return AllItems(notifications, NotificationToJson);
                      });
             }));

  router.Add("POST", "/api/v1/cases/{number}/severity-flags",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<std::string> reason = ReasonFromBody(request, context);
               if (!reason.ok()) return respond(ProblemResponse(reason.status()));
               app::FlagSeverity(
                   context, caller, *number, *std::move(reason),
                   AnswerWith<ports::SeverityFlag>(std::move(respond), 201, SeverityFlagToJson));
             }));

  router.Add("GET", "/api/v1/cases/{number}/severity-flags",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               Answer(respond, app::ListSeverityFlags(context, caller, *number),
                      [](const std::vector<ports::SeverityFlag>& flags) {
                        return AllItems(flags, SeverityFlagToJson);
                      });
             }));

  router.Add("GET", "/api/v1/reports/sla",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<ReportQuery> query = ReportQueryFrom(request);
               if (!query.ok()) return respond(ProblemResponse(query.status()));
               absl::StatusOr<app::SlaReport> report =
                   app::BuildSlaReport(context, caller, query->request);
               if (!report.ok()) return respond(ProblemResponse(report.status()));
               if (!query->csv) return respond(JsonResponse(200, ReportToJson(*report)));
               HttpResponse response;
               response.status = 200;
               response.content_type = "text/csv; charset=utf-8";
               response.body = ReportToCsv(*report);
               response.headers.emplace_back("Content-Disposition",
                                             "attachment; filename=\"sla-report.csv\"");
               respond(std::move(response));
             }));
}

}  // namespace casedesk::adapters::http

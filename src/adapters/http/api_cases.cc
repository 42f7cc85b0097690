// The case routes: cases, the conversation, attachments, the audit trail and search. Each
// handler authenticates, parses, calls one app use case and maps its outcome; writes answer
// from the store's durable-commit callback, reads answer on the calling thread.
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/case_json_text.h"
#include "adapters/http/json_cases.h"
#include "adapters/http/problem.h"
#include "app/add_comment.h"
#include "app/attachments.h"
#include "app/case_events.h"
#include "app/get_case.h"
#include "app/list_cases.h"
#include "app/list_comments.h"
#include "app/open_case.h"
#include "app/search.h"
#include "app/update_case.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// A positive integer query parameter, if present.
absl::StatusOr<std::optional<int64_t>> QueryId(const HttpRequest& request, std::string_view name) {
  const auto text = request.Query(name);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value <= 0) {
    return absl::InvalidArgumentError("query parameter '" + std::string(name) +
                                      "' must be a positive integer");
  }
  return value;
}

absl::StatusOr<app::ListCasesRequest> ListRequestFromQuery(const HttpRequest& request,
                                                           const app::Limits& limits) {
  app::ListCasesRequest list;
  if (const auto status = request.Query("status")) {
    absl::StatusOr<core::CaseStatus> parsed = StatusFromName("status", *status);
    if (!parsed.ok()) return parsed.status();
    list.status = *parsed;
  }
  absl::StatusOr<std::optional<int64_t>> severity = QueryId(request, "severity");
  if (!severity.ok()) return severity.status();
  if (*severity) {
    core::Severity level;
    if (!core::SeverityFromLevel(static_cast<int>(std::min<int64_t>(**severity, 5)), &level)) {
      return absl::InvalidArgumentError("query parameter 'severity' must be from 1 to 4");
    }
    list.severity = level;
  }
  for (auto [name, target] :
       {std::pair{"org_id", &list.org_id}, std::pair{"assignee_id", &list.assignee_id},
        std::pair{"group_id", &list.group_id}}) {
    absl::StatusOr<std::optional<int64_t>> id = QueryId(request, name);
    if (!id.ok()) return id.status();
    *target = *id;
  }
  if (const auto text = request.Query("q")) {
    list.text = std::string(*text);
  } else if (const auto text = request.Query("text")) {
    list.text = std::string(*text);
  }
  absl::StatusOr<ports::PageRequest> page =
      PageFromQuery(request, limits.default_page_size, limits.max_page_size);
  if (!page.ok()) return page.status();
  list.page = *std::move(page);
  return list;
}

// RFC 8187 percent-encoding for filename*: everything but attr-char is escaped.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos;
    if (plain) {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0x0F]);
    }
  }
  return encoded;
}

std::string ContentDisposition(std::string_view filename) {
  const std::string safe = core::SanitiseFilename(filename);
  // The quoted fallback is plain ASCII; the exact name travels in filename*.
  std::string fallback;
  for (char c : safe) {
    const auto byte = static_cast<unsigned char>(c);
    fallback.push_back(byte >= 0x80 || c == '\\' ? '_' : c);
  }
  return "attachment; filename=\"" + fallback + "\"; filename*=UTF-8''" + PercentEncode(safe);
}

json CaseViewToJson(const app::CaseView& view) { return CaseToJson(view); }

}  // namespace

void RegisterCaseRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "POST", "/api/v1/cases",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<json> body = ParseJsonObject(
            request, context.limits.max_json_body_bytes,
            {"subject", "description", "severity", "org_id", "requester_id", "category", "product",
             "component", "partner_reference", "followers", "fields", "secret_fields",
             "created_at"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<app::OpenCaseRequest> open = OpenCaseRequestFromJson(*body);
        if (!open.ok()) return respond(ProblemResponse(open.status()));
        app::OpenCase(context, caller, *std::move(open),
                      [respond = std::move(respond)](absl::StatusOr<app::CaseView> view) {
                        if (!view.ok()) return respond(ProblemResponse(view.status()));
                        HttpResponse response = JsonResponse(201, CaseToJson(*view));
                        response.headers.emplace_back(
                            "Location", "/api/v1/cases/" + std::to_string(view->record.number));
                        respond(std::move(response));
                      });
      }));

  router.Add(
      "GET", "/api/v1/cases",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<app::ListCasesRequest> list = ListRequestFromQuery(request, context.limits);
        if (!list.ok()) return respond(ProblemResponse(list.status()));
        absl::StatusOr<ports::Page<core::Case>> page = app::ListCases(context, caller, *list);
        if (!page.ok()) return respond(ProblemResponse(page.status()));
        respond(JsonResponse(200,
                             PageToJson(*page, [](const core::Case& c) { return CaseToJson(c); })));
      }));

  router.Add("GET", "/api/v1/cases/{number}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<app::CaseView> view = app::GetCase(context, caller, *number);
               if (!view.ok()) return respond(ProblemResponse(view.status()));
               HttpResponse response;  // CaseToJson's text, written without the JSON tree
               response.body = CaseViewJsonText(*view);
               respond(std::move(response));
             }));

  router.Add("PATCH", "/api/v1/cases/{number}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"status", "severity", "severity_confirmed", "severity_reason",
                                    "severity_reason_code", "assignee_id", "group_id", "subject",
                                    "description", "category", "product", "component",
                                    "partner_reference", "followers", "fields", "secret_fields",
                                    "security_incident"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::UpdateCaseRequest> update = UpdateCaseRequestFromJson(*body);
               if (!update.ok()) return respond(ProblemResponse(update.status()));
               app::UpdateCase(context, caller, *number, *std::move(update),
                               AnswerWith<app::CaseView>(std::move(respond), 200, CaseViewToJson));
             }));

  router.Add("POST", "/api/v1/cases/{number}/comments",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"body", "visibility", "attachment_ids"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::AddCommentRequest> comment = AddCommentRequestFromJson(*body);
               if (!comment.ok()) return respond(ProblemResponse(comment.status()));
               app::AddComment(context, caller, *number, *std::move(comment),
                               AnswerWith<app::AddCommentResult>(
                                   std::move(respond), 201, [](const app::AddCommentResult& r) {
                                     json body = CommentToJson(r.comment);
                                     body["case_status"] = core::NameOf<core::CaseStatus>(
                                         core::kCaseStatusNames, r.case_status);
                                     return body;
                                   }));
             }));

  router.Add("GET", "/api/v1/cases/{number}/comments",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<ports::PageRequest> page = PageFromQuery(
                   request, context.limits.default_page_size, context.limits.max_page_size);
               if (!page.ok()) return respond(ProblemResponse(page.status()));
               absl::StatusOr<ports::Page<app::CommentView>> comments =
                   app::ListComments(context, caller, *number, *page);
               if (!comments.ok()) return respond(ProblemResponse(comments.status()));
               respond(JsonResponse(200, PageToJson(*comments, [](const app::CommentView& view) {
                                      return CommentToJson(view);
                                    })));
             }));

  router.Add("GET", "/api/v1/cases/{number}/events",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<ports::PageRequest> page = PageFromQuery(
                   request, context.limits.default_page_size, context.limits.max_page_size);
               if (!page.ok()) return respond(ProblemResponse(page.status()));
               absl::StatusOr<ports::Page<core::AuditEvent>> events =
                   app::ListCaseEvents(context, caller, *number, *page);
               if (!events.ok()) return respond(ProblemResponse(events.status()));
               respond(JsonResponse(200, PageToJson(*events, [](const core::AuditEvent& event) {
                                      return EventToJson(event);
                                    })));
             }));

  router.Add("POST", "/api/v1/cases/{number}/attachments",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               app::UploadAttachmentRequest upload;
               const auto filename = request.Query("filename");
               if (!filename || filename->empty()) {
                 return respond(ProblemResponse(
                     absl::InvalidArgumentError("query parameter 'filename' is required")));
               }
               upload.filename = std::string(*filename);
               if (const auto visibility = request.Query("visibility")) {
                 absl::StatusOr<core::Visibility> parsed =
                     VisibilityFromName("visibility", *visibility);
                 if (!parsed.ok()) return respond(ProblemResponse(parsed.status()));
                 upload.visibility = *parsed;
               }
               upload.content_type =
                   std::string(request.Header("content-type").value_or("application/octet-stream"));
               upload.content = request.body;
               app::UploadAttachment(
                   context, caller, *number, std::move(upload),
                   AnswerWith<core::Attachment>(std::move(respond), 201, AttachmentToJson));
             }));

  router.Add("GET", "/api/v1/cases/{number}/attachments",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<std::vector<core::Attachment>> attachments =
                   app::ListAttachments(context, caller, *number);
               if (!attachments.ok()) return respond(ProblemResponse(attachments.status()));
               // A case's files are few: one page holds them all.
               ports::Page<core::Attachment> page;
               page.items = *std::move(attachments);
               respond(JsonResponse(200, PageToJson(page, AttachmentToJson)));
             }));

  router.Add("GET", "/api/v1/attachments/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               const auto id = request.path_params.find("id");
               if (id == request.path_params.end() || id->second.empty()) {
                 return respond(ProblemResponse(404, "not found"));
               }
               absl::StatusOr<app::AttachmentContent> file =
                   app::GetAttachmentContent(context, caller, id->second);
               if (!file.ok()) return respond(ProblemResponse(file.status()));
               HttpResponse response;
               response.status = 200;
               response.content_type = app::ServedContentType(file->attachment.content_type);
               response.body = std::move(file->content);
               response.headers.emplace_back("Content-Disposition",
                                             ContentDisposition(file->attachment.filename));
               response.headers.emplace_back("X-Content-Type-Options", "nosniff");
               response.headers.emplace_back("Content-Security-Policy",
                                             "default-src 'none'; sandbox");
               response.headers.emplace_back("Cache-Control", "private, no-store");
               respond(std::move(response));
             }));

  router.Add("GET", "/api/v1/search",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               app::SearchRequest search;
               search.text = std::string(request.Query("q").value_or(""));
               absl::StatusOr<ports::PageRequest> page = PageFromQuery(
                   request, context.limits.default_page_size, context.limits.max_page_size);
               if (!page.ok()) return respond(ProblemResponse(page.status()));
               search.page = *std::move(page);
               absl::StatusOr<ports::Page<ports::SearchHit>> hits =
                   app::SearchCases(context, caller, search);
               if (!hits.ok()) return respond(ProblemResponse(hits.status()));
               respond(JsonResponse(200, PageToJson(*hits, SearchHitToJson)));
             }));
}

}  // namespace casedesk::adapters::http

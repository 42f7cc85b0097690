#include "adapters/http/api_saved_views.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_queues.h"
#include "adapters/http/problem.h"
#include "app/saved_views.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json ViewToJson(const core::SavedView& view) {
  const core::QueueViewFilter& filter = view.filter;
  return {
      {"id", view.id},
      {"name", view.name},
      {"queue", std::string(core::NameOf<core::CaseQueue>(core::kCaseQueueNames, filter.queue))},
      {"severity", filter.severity_level > 0 ? json(filter.severity_level) : json(nullptr)},
      {"group_id", filter.group_id ? json(*filter.group_id) : json(nullptr)},
      {"org_id", filter.org_id ? json(*filter.org_id) : json(nullptr)},
      {"href", QueueHref(filter)},
      {"created_at", http::FormatTime(view.created_at)}};
}

json ViewsToJson(const std::vector<core::SavedView>& views) {
  json items = json::array();
  for (const core::SavedView& view : views) items.push_back(ViewToJson(view));
  return {{"items", std::move(items)}};
}

// The body's filter, checked by the same decoder as a stored one.
absl::StatusOr<core::QueueViewFilter> FilterFromJson(const json& body) {
  absl::StatusOr<std::optional<std::string>> queue = OptionalString(body, "queue");
  if (!queue.ok()) return queue.status();
  absl::StatusOr<std::optional<int64_t>> severity = OptionalInteger(body, "severity");
  if (!severity.ok()) return severity.status();
  absl::StatusOr<std::optional<int64_t>> group = OptionalInteger(body, "group_id");
  if (!group.ok()) return group.status();
  absl::StatusOr<std::optional<int64_t>> org = OptionalInteger(body, "org_id");
  if (!org.ok()) return org.status();
  // Absent and null fields are left out; a number the query form would reject (0 or
  // negative) is still given, so it gets the same error.
  std::vector<std::pair<std::string, std::string>> parts{{"queue", queue->value_or("")}};
  if (*severity) parts.emplace_back("severity", std::to_string(**severity));
  if (*group) parts.emplace_back("group", std::to_string(**group));
  if (*org) parts.emplace_back("org", std::to_string(**org));
  absl::StatusOr<core::QueueViewFilter> filter = core::QueueViewFilterFromPairs(parts);
  if (!filter.ok()) {
    // The decoder names the query keys; the API's fields are group_id and org_id.
    std::string message(filter.status().message());
    if (message.starts_with("group:")) message = "group_id:" + message.substr(6);
    if (message.starts_with("org:")) message = "org_id:" + message.substr(4);
    return absl::InvalidArgumentError(message);
  }
  return filter;
}

}  // namespace

void RegisterSavedViewApiRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/views",
             StaffOnly(context, [&context](const HttpRequest&, Respond respond,
                                           const app::Caller& caller) {
               Answer(respond, app::ListSavedViews(context, caller), ViewsToJson);
             }));

  router.Add("POST", "/api/v1/views",
             StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                           const app::Caller& caller) {
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"name", "queue", "severity", "group_id", "org_id"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<std::string> name = RequiredString(*body, "name");
               if (!name.ok()) return respond(ProblemResponse(name.status()));
               absl::StatusOr<core::QueueViewFilter> filter = FilterFromJson(*body);
               if (!filter.ok()) return respond(ProblemResponse(filter.status()));
               app::SaveView(context, caller, *std::move(name), *filter,
                             AnswerWith<core::SavedView>(std::move(respond), 201, ViewToJson));
             }));

  router.Add("DELETE", "/api/v1/views/{id}",
             StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                           const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               app::DeleteSavedView(context, caller, *id,
                                    [respond = std::move(respond)](absl::StatusOr<bool> deleted) {
                                      if (!deleted.ok()) {
                                        return respond(ProblemResponse(deleted.status()));
                                      }
                                      HttpResponse response;
                                      response.status = 204;
                                      respond(std::move(response));
                                    });
             }));
}

}  // namespace casedesk::adapters::http

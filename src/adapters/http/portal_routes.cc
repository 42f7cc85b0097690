#include "adapters/http/portal_routes.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/http/api_handlers.h"
#include "app/portal_intake.h"

namespace casedesk::adapters::http {
namespace {

nlohmann::json IntakeJson(const app::PortalIntakeSettings& settings) {
  return app::PortalIntakeSettingsToJson(settings);
}

}  // namespace

void RegisterPortalApiRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/api/v1/portal/intake",
      Authenticated(context, [&context](const HttpRequest&, Respond respond, const app::Caller&) {
        Answer(respond, app::GetPortalIntakeSettings(context), IntakeJson);
      }));
  router.Add("PUT", "/api/v1/portal/intake",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<nlohmann::json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"required", "categories", "plans"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::PortalIntakeSettings> settings =
                   app::PortalIntakeSettingsFromJson(*body);
               if (!settings.ok()) return respond(ProblemResponse(settings.status()));
               app::ReplacePortalIntakeSettings(
                   context, caller.viewer, *std::move(settings),
                   AnswerWith<app::PortalIntakeSettings>(std::move(respond), 200, IntakeJson));
             }));
}

void RegisterPortalRoutes(Router& router, app::AppContext& context, app::StatusPageCache& cache) {
  RegisterPortalApiRoutes(router, context);
  RegisterPortalCaseListRoutes(router, context, cache);
  RegisterPortalNewCaseRoutes(router, context, cache);
  RegisterPortalCaseRoutes(router, context, cache);
}

}  // namespace casedesk::adapters::http

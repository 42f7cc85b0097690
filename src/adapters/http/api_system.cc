#include "adapters/http/api_system.h"

#include "adapters/http/api_support.h"
#include "adapters/http/metrics.h"
#include "adapters/http/problem.h"

namespace casedesk::adapters::http {

void RegisterSystemRoutes(Router& router, app::AppContext& context, const Metrics& metrics) {
  router.Add("GET", "/healthz", [](const HttpRequest&, Respond respond) {
    respond(JsonResponse(200, {{"status", "ok"}}));
  });
  router.Add("GET", "/readyz", [&context](const HttpRequest&, Respond respond) {
    const absl::Status store = context.store.Ping();
    if (!store.ok()) {
      respond(ProblemResponse(503, "the store is not answering"));
      return;
    }
    respond(JsonResponse(200, {{"status", "ready"}}));
  });
  router.Add("GET", "/metrics", [&metrics](const HttpRequest&, Respond respond) {
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.RenderPrometheus();
    respond(std::move(response));
  });
  router.Add("GET", "/api/v1/openapi.json", [](const HttpRequest&, Respond respond) {
    HttpResponse response;
    response.body = std::string(OpenApiDocument());
    response.headers.emplace_back("Cache-Control", "public, max-age=300");
    respond(std::move(response));
  });
}

}  // namespace casedesk::adapters::http

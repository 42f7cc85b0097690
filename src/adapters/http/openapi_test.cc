// The OpenAPI document and the router describe the same API: every route is documented with its
// method, and every documented operation has a route.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "adapters/http/api_engineering.h"
#include "adapters/http/api_hours.h"
#include "adapters/http/api_remote_access.h"
#include "adapters/http/api_reports.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_saved_views.h"
#include "adapters/http/api_service_tasks.h"
#include "adapters/http/api_system.h"
#include "adapters/http/kb_routes.h"
#include "adapters/http/metrics.h"
#include "adapters/http/portal_routes.h"
#include "adapters/mail/gmime_parser.h"
#include "adapters/markdown/cmark_renderer.h"
#include "app/status_page_cache.h"
#include "test/fakes/unwired_context.h"

namespace casedesk::adapters::http {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::set<std::string> RouterOperations() {
  test::UnwiredContext unwired;
  Metrics metrics;
  // Declared before the router, so it outlives the handlers that hold it; never read here.
  app::StatusPageCache cache(unwired.context());
  Router router;
  RegisterSystemRoutes(router, unwired.context(), metrics);
  RegisterDirectoryRoutes(router, unwired.context());
  RegisterCaseRoutes(router, unwired.context());
  RegisterSlaConfigRoutes(router, unwired.context());
  RegisterSlaRoutes(router, unwired.context());
  static const adapters::mail::GmimeMailParser parser;
  RegisterMailRoutes(router, unwired.context(), parser);
  RegisterStatusRoutes(router, unwired.context());
  RegisterPortalApiRoutes(router, unwired.context());
  RegisterHoursApiRoutes(router, unwired.context());
  RegisterEngineeringApiRoutes(router, unwired.context());
  RegisterProblemApiRoutes(router, unwired.context());
  RegisterSavedViewApiRoutes(router, unwired.context());
  RegisterRemoteAccessApiRoutes(router, unwired.context());
  RegisterServiceTaskApiRoutes(router, unwired.context());
  RegisterReportApiRoutes(router, unwired.context());
  RegisterKbApiRoutes(router, unwired.context(), adapters::markdown::SharedMarkdownRenderer());
  RegisterStatusSiteRoutes(router, unwired.context(), cache);
  std::set<std::string> operations;
  for (const Route& route : router.routes()) {
    operations.insert(Lower(route.method) + " " + route.pattern);
  }
  return operations;
}

std::set<std::string> DocumentedOperations() {
  const auto document = nlohmann::json::parse(OpenApiDocument());
  std::set<std::string> operations;
  for (const auto& [path, item] : document.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      operations.insert(method + " " + path);
    }
  }
  return operations;
}

TEST(OpenApiTest, DocumentIsOpenApi31) {
  const auto document = nlohmann::json::parse(OpenApiDocument());
  EXPECT_EQ(document.at("openapi"), "3.1.0");
  EXPECT_TRUE(document.at("paths").contains("/api/v1/cases/{number}"));
}

// The public status page needs no token; everything under /api/v1 keeps the document's bearer
// requirement.
TEST(OpenApiTest, OnlyThePublicStatusPageIsOpen) {
  const auto document = nlohmann::json::parse(OpenApiDocument());
  for (const auto& [path, item] : document.at("paths").items()) {
    const bool status_page =
        path.starts_with("/status") || path.starts_with("/api/v2/") || path.starts_with("/static/");
    for (const auto& [method, operation] : item.items()) {
      if (status_page) {
        EXPECT_EQ(operation.value("security", nlohmann::json()), nlohmann::json::array())
            << method << " " << path << " must say security: []";
      } else if (path.starts_with("/api/v1/")) {
        EXPECT_FALSE(operation.contains("security")) << method << " " << path;
      }
    }
  }
}

// Cached public documents answer 304 to a matching If-None-Match; the feeds and the v2
// documents allow other origins.
TEST(OpenApiTest, CachedStatusDocumentsDescribeEtagsAndCors) {
  const auto document = nlohmann::json::parse(OpenApiDocument());
  for (const std::string path :
       {"/status", "/status/history.atom", "/api/v2/summary.json", "/static/casedesk.css"}) {
    const auto& responses = document.at("paths").at(path).at("get").at("responses");
    EXPECT_TRUE(responses.contains("304")) << path;
    EXPECT_TRUE(responses.at("200").at("headers").contains("ETag")) << path;
  }
  for (const std::string path : {"/status/history.rss", "/api/v2/status.json",
                                 "/api/v2/scheduled-maintenances/active.json"}) {
    EXPECT_TRUE(document.at("paths")
                    .at(path)
                    .at("get")
                    .at("responses")
                    .at("200")
                    .at("headers")
                    .contains("Access-Control-Allow-Origin"))
        << path;
  }
}

TEST(OpenApiTest, EveryRouteIsDocumented) {
  const auto documented = DocumentedOperations();
  for (const std::string& operation : RouterOperations()) {
    EXPECT_TRUE(documented.count(operation)) << operation << " is served but not documented";
  }
}

TEST(OpenApiTest, EveryDocumentedOperationIsServed) {
  const auto served = RouterOperations();
  for (const std::string& operation : DocumentedOperations()) {
    EXPECT_TRUE(served.count(operation)) << operation << " is documented but not served";
  }
}

}  // namespace
}  // namespace casedesk::adapters::http

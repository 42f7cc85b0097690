// The OpenAPI document and the router describe the same API: every route is documented with its
// method, and every documented operation has a route.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "adapters/http/api_routes.h"
#include "adapters/http/api_system.h"
#include "adapters/http/metrics.h"
#include "adapters/mail/gmime_parser.h"
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
  Router router;
  RegisterSystemRoutes(router, unwired.context(), metrics);
  RegisterDirectoryRoutes(router, unwired.context());
  RegisterCaseRoutes(router, unwired.context());
  RegisterSlaConfigRoutes(router, unwired.context());
  RegisterSlaRoutes(router, unwired.context());
  static const adapters::mail::GmimeMailParser parser;
  RegisterMailRoutes(router, unwired.context(), parser);
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

// Operational endpoints: liveness (/healthz), readiness (/readyz, asks the store), Prometheus
// metrics (/metrics) and the OpenAPI document (/api/v1/openapi.json). Thread-safe.
#pragma once

#include <functional>
#include <string>

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

class Metrics;

// The OpenAPI document describing every route, compiled in from docs/api/openapi.json.
std::string_view OpenApiDocument();

void RegisterSystemRoutes(Router& router, app::AppContext& context, const Metrics& metrics);

}  // namespace casedesk::adapters::http

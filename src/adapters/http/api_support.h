// Helpers every API handler uses: strict JSON body parsing (objects only, size limit, known
// fields only), typed field access with clear messages, pagination parameters, and JSON
// responses. Thread-safe: pure functions.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/http/http_types.h"
#include "ports/store.h"

namespace casedesk::app {
struct AppContext;
}  // namespace casedesk::app

namespace casedesk::adapters::http {

// The largest JSON request body the desk accepts (its limits.max_json_body_bytes).
int64_t JsonBodyLimit(const app::AppContext& context);

// Parses the body as a JSON object. Rejects a wrong Content-Type (415 via InvalidArgument
// message), bodies over max_bytes (ResourceExhausted -> 413), malformed JSON and non-objects
// (InvalidArgument), and fields outside `allowed` ("unknown field 'x'").
absl::StatusOr<nlohmann::json> ParseJsonObject(const HttpRequest& request, int64_t max_bytes,
                                               std::initializer_list<std::string_view> allowed);

// Typed access: absent -> nullopt; present with the wrong type -> InvalidArgument naming the
// field and the expected type. A JSON null counts as absent.
absl::StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                          std::string_view field);
absl::StatusOr<std::optional<int64_t>> OptionalInteger(const nlohmann::json& object,
                                                       std::string_view field);
absl::StatusOr<std::optional<bool>> OptionalBool(const nlohmann::json& object,
                                                 std::string_view field);
absl::StatusOr<std::string> RequiredString(const nlohmann::json& object, std::string_view field);

// `limit` (1..max_limit, default default_limit) and `cursor` from the query string.
absl::StatusOr<ports::PageRequest> PageFromQuery(const HttpRequest& request, int default_limit,
                                                 int max_limit);

// A path parameter as a positive integer id; NotFound when it is not one (an id that cannot
// exist is simply not found).
absl::StatusOr<int64_t> IdFromPath(const HttpRequest& request, std::string_view name);

// The `{number}` path parameter of the case routes (pages and API); nullopt when it is not a
// positive integer.
std::optional<core::CaseNumber> CaseNumberOf(const HttpRequest& request);

// RFC 3339 in UTC with seconds, e.g. "2026-03-09T13:00:00Z".
std::string FormatTime(absl::Time time);

HttpResponse JsonResponse(int status, const nlohmann::json& body);

}  // namespace casedesk::adapters::http

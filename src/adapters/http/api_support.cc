#include "adapters/http/api_support.h"

#include <charconv>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "app/app_context.h"
#include "core/utc_time.h"

namespace casedesk::adapters::http {

int64_t JsonBodyLimit(const app::AppContext& context) { return context.limits.max_json_body_bytes; }

namespace {

// "application/json" or "application/merge-patch+json", with or without parameters.
bool IsJsonMediaType(std::string_view content_type) {
  const std::string lowered = absl::AsciiStrToLower(
      absl::string_view(content_type.data(), content_type.size()));
  return lowered.rfind("application/json", 0) == 0 ||
         lowered.rfind("application/merge-patch+json", 0) == 0;
}

}  // namespace

absl::StatusOr<nlohmann::json> ParseJsonObject(const HttpRequest& request, int64_t max_bytes,
                                               std::initializer_list<std::string_view> allowed) {
  if (static_cast<int64_t>(request.body.size()) > max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("request body is larger than ", max_bytes, " bytes"));
  }
  const auto content_type = request.Header("content-type");
  if (content_type && !IsJsonMediaType(*content_type)) {
    return absl::InvalidArgumentError("Content-Type must be application/json");
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return absl::InvalidArgumentError("request body is not valid JSON");
  if (!body.is_object()) return absl::InvalidArgumentError("request body must be a JSON object");
  for (const auto& [key, value] : body.items()) {
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) return absl::InvalidArgumentError("unknown field '" + key + "'");
  }
  return body;
}

namespace {

absl::Status WrongType(std::string_view field, std::string_view expected) {
  return absl::InvalidArgumentError("field '" + std::string(field) + "' must be " +
                                    std::string(expected));
}

const nlohmann::json* Find(const nlohmann::json& object, std::string_view field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

absl::StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                          std::string_view field) {
  const nlohmann::json* value = Find(object, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_string()) return WrongType(field, "a string");
  return value->get<std::string>();
}

absl::StatusOr<std::optional<int64_t>> OptionalInteger(const nlohmann::json& object,
                                                       std::string_view field) {
  const nlohmann::json* value = Find(object, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_number_integer()) return WrongType(field, "an integer");
  return value->get<int64_t>();
}

absl::StatusOr<std::optional<bool>> OptionalBool(const nlohmann::json& object,
                                                 std::string_view field) {
  const nlohmann::json* value = Find(object, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_boolean()) return WrongType(field, "true or false");
  return value->get<bool>();
}

absl::StatusOr<std::string> RequiredString(const nlohmann::json& object, std::string_view field) {
  auto value = OptionalString(object, field);
  if (!value.ok()) return value.status();
  if (!value->has_value() || (*value)->empty()) {
    return absl::InvalidArgumentError("field '" + std::string(field) + "' is required");
  }
  return **value;
}

absl::StatusOr<ports::PageRequest> PageFromQuery(const HttpRequest& request, int default_limit,
                                                 int max_limit) {
  ports::PageRequest page;
  page.limit = default_limit;
  if (const auto limit = request.Query("limit")) {
    int parsed = 0;
    const auto [end, error] = std::from_chars(limit->data(), limit->data() + limit->size(), parsed);
    if (error != std::errc() || end != limit->data() + limit->size() || parsed < 1 ||
        parsed > max_limit) {
      return absl::InvalidArgumentError(
          absl::StrCat("limit must be an integer from 1 to ", max_limit));
    }
    page.limit = parsed;
  }
  if (const auto cursor = request.Query("cursor")) page.cursor = std::string(*cursor);
  return page;
}

absl::StatusOr<int64_t> IdFromPath(const HttpRequest& request, std::string_view name) {
  const auto it = request.path_params.find(std::string(name));
  if (it == request.path_params.end()) return absl::NotFoundError("not found");
  int64_t id = 0;
  const std::string& text = it->second;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    return absl::NotFoundError("not found");
  }
  return id;
}

std::optional<core::CaseNumber> CaseNumberOf(const HttpRequest& request) {
  absl::StatusOr<int64_t> number = IdFromPath(request, "number");
  if (!number.ok()) return std::nullopt;
  return *number;
}

std::string FormatTime(absl::Time time) {
  return core::FormatUtcSeconds(time);
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace casedesk::adapters::http

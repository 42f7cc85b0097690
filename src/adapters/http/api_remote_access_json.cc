// JSON mapping of remote access requests (issue 7) for the REST API. Credentials appear only in
// RemoteAccessCredentialsToJson, which only the credentials route uses.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/http/api_remote_access.h"
#include "adapters/http/api_support.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json RemoteAccessTimeOrNull(absl::Time at) {
  if (at == absl::InfinitePast() || at == absl::InfiniteFuture()) return nullptr;
  return http::FormatTime(at);
}

json UserOrNull(core::UserId id) { return id == 0 ? json(nullptr) : json(id); }

absl::StatusOr<absl::Time> RequiredTime(const json& body, std::string_view field) {
  absl::StatusOr<std::string> text = RequiredString(body, field);
  if (!text.ok()) return text.status();
  absl::Time at;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, *text, &at, &error)) {
    return absl::InvalidArgumentError(absl::StrCat(
        std::string(field), ": must be an RFC 3339 time such as 2026-03-09T13:00:00Z"));
  }
  return at;
}

}  // namespace

json RemoteAccessToJson(const app::RemoteAccessView& view) {
  const core::RemoteAccessRequest& r = view.record;
  return {
      {"id", r.id},
      {"case_number", r.case_number},
      {"method", std::string(core::NameOf<core::RemoteAccessMethod>(core::kRemoteAccessMethodNames,
                                                                    r.method))},
      {"purpose", r.purpose},
      {"window_start", http::FormatTime(r.window_start)},
      {"window_end", http::FormatTime(r.window_end)},
      {"requested_by", r.requested_by},
      {"requested_at", RemoteAccessTimeOrNull(r.requested_at)},
      {"status", std::string(core::NameOf<core::RemoteAccessStatus>(core::kRemoteAccessStatusNames,
                                                                    view.status))},
      {"active", view.active},
      {"decided_by", UserOrNull(r.decided_by)},
      {"decided_at", RemoteAccessTimeOrNull(r.decided_at)},
      {"refusal_reason", r.refusal_reason},
      {"ended_by", UserOrNull(r.ended_by)},
      {"ended_at", RemoteAccessTimeOrNull(r.ended_at)},
      {"credential_fields", r.credential_fields},
      {"actions",
       {{"grant", view.can_grant},
        {"refuse", view.can_refuse},
        {"withdraw", view.can_withdraw},
        {"revoke", view.can_revoke},
        {"read_credentials", view.can_read_credentials}}},
  };
}

json RemoteAccessListToJson(const std::vector<app::RemoteAccessView>& views) {
  json items = json::array();
  for (const app::RemoteAccessView& view : views) items.push_back(RemoteAccessToJson(view));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

json RemoteAccessCredentialsToJson(const app::RemoteAccessCredentials& credentials) {
  json values = json::object();
  for (const auto& [name, value] : credentials.values) values[name] = value;
  return {{"id", credentials.id},
          {"credentials", std::move(values)},
          {"until", http::FormatTime(credentials.until)}};
}

absl::StatusOr<app::RemoteAccessInput> RemoteAccessInputFromJson(const json& body) {
  app::RemoteAccessInput input;
  absl::StatusOr<std::string> method = RequiredString(body, "method");
  if (!method.ok()) return method.status();
  const std::optional<core::RemoteAccessMethod> parsed =
      core::EnumFromName<core::RemoteAccessMethod>(core::kRemoteAccessMethodNames, *method);
  if (!parsed) return absl::InvalidArgumentError("method: must be ssh, rdp or screen_share");
  input.method = *parsed;
  absl::StatusOr<std::string> purpose = RequiredString(body, "purpose");
  if (!purpose.ok()) return purpose.status();
  input.purpose = *std::move(purpose);
  absl::StatusOr<absl::Time> start = RequiredTime(body, "window_start");
  if (!start.ok()) return start.status();
  input.window_start = *start;
  absl::StatusOr<absl::Time> end = RequiredTime(body, "window_end");
  if (!end.ok()) return end.status();
  input.window_end = *end;
  return input;
}

absl::Status AsConflict(absl::Status status) {
  if (status.code() != absl::StatusCode::kFailedPrecondition) return status;
  return absl::AbortedError(std::string(status.message()));
}

}  // namespace casedesk::adapters::http

#include "adapters/http/console_cases_forms.h"

#include <optional>
#include <string_view>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "adapters/http/web_auth.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

bool Blank(std::string_view text) {
  return absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())).empty();
}

// A positive id, "" (nullopt: clear), or InvalidArgument naming `field`.
absl::StatusOr<std::optional<int64_t>> OptionalId(const ConsoleFormFields& fields,
                                                  std::string_view name, std::string_view field) {
  const std::string value = FormValue(fields, name);
  if (value.empty()) return std::nullopt;
  int64_t id = 0;
  if (!absl::SimpleAtoi(value, &id) || id <= 0) {
    return absl::InvalidArgumentError(std::string(field) + ": choose one from the list");
  }
  return id;
}

}  // namespace

absl::StatusOr<app::AddCommentRequest> ParseCommentForm(const ConsoleFormFields& fields,
                                                        core::Visibility visibility) {
  app::AddCommentRequest request;
  request.body = FormValue(fields, "body");
  if (Blank(request.body)) return absl::InvalidArgumentError("body: required");
  request.visibility = visibility;
  request.channel = "console";
  return request;
}

absl::StatusOr<app::UpdateCaseRequest> ParseStatusForm(const ConsoleFormFields& fields) {
  const std::string value = FormValue(fields, "status");
  const std::optional<core::CaseStatus> status =
      core::EnumFromName<core::CaseStatus>(core::kCaseStatusNames, value);
  if (!status) return absl::InvalidArgumentError("status: choose one from the list");
  app::UpdateCaseRequest request;
  request.status = *status;
  return request;
}

absl::StatusOr<app::UpdateCaseRequest> ParseSeverityForm(const ConsoleFormFields& fields) {
  int level = 0;
  if (!absl::SimpleAtoi(FormValue(fields, "severity"), &level) || level < 1 || level > 4) {
    return absl::InvalidArgumentError("severity: choose one from the list");
  }
  const std::string code_text = FormValue(fields, "reason_code");
  const std::optional<core::SeverityChangeReason> code =
      code_text.empty() ? core::SeverityChangeReason::kTriage
                        : core::EnumFromName<core::SeverityChangeReason>(
                              core::kSeverityChangeReasonNames, code_text);
  if (!code) return absl::InvalidArgumentError("severity_reason_code: choose one from the list");
  app::UpdateCaseRequest request;
  request.severity = level;
  request.severity_confirmed = true;
  request.severity_reason_code = *code;
  request.severity_reason = FormValue(fields, "reason");
  if (Blank(request.severity_reason)) {
    return absl::InvalidArgumentError("severity_reason: explain the severity");
  }
  return request;
}

absl::StatusOr<app::UpdateCaseRequest> ParseAssigneeForm(const ConsoleFormFields& fields) {
  absl::StatusOr<std::optional<int64_t>> id = OptionalId(fields, "assignee", "assignee_id");
  if (!id.ok()) return id.status();
  app::UpdateCaseRequest request;
  request.assignee_id = *id;
  return request;
}

absl::StatusOr<app::UpdateCaseRequest> ParseGroupForm(const ConsoleFormFields& fields) {
  absl::StatusOr<std::optional<int64_t>> id = OptionalId(fields, "group", "group_id");
  if (!id.ok()) return id.status();
  app::UpdateCaseRequest request;
  request.group_id = *id;
  return request;
}

absl::StatusOr<std::string> ParseReasonForm(const ConsoleFormFields& fields) {
  std::string reason = FormValue(fields, "reason");
  if (Blank(reason)) return absl::InvalidArgumentError("reason: required");
  return reason;
}

}  // namespace casedesk::adapters::http

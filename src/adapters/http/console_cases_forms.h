// The case page's forms read into use-case requests: reply and internal note (body), status,
// severity (level, reason code, explanation; staff touching it confirms it), assignee and group
// (a number, or "" to clear), escalation and severity-flag reasons. Malformed input is
// InvalidArgument naming the field, the way the use cases name theirs; every rule about what
// may change stays in the use cases. Thread-safe: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "app/add_comment.h"
#include "app/update_case.h"

namespace casedesk::adapters::http {

using ConsoleFormFields = std::vector<std::pair<std::string, std::string>>;

// `visibility`: kPublic for the reply form, kInternal for the note form. "body: required".
absl::StatusOr<app::AddCommentRequest> ParseCommentForm(const ConsoleFormFields& fields,
                                                        core::Visibility visibility);
absl::StatusOr<app::UpdateCaseRequest> ParseStatusForm(const ConsoleFormFields& fields);
absl::StatusOr<app::UpdateCaseRequest> ParseSeverityForm(const ConsoleFormFields& fields);
absl::StatusOr<app::UpdateCaseRequest> ParseAssigneeForm(const ConsoleFormFields& fields);
absl::StatusOr<app::UpdateCaseRequest> ParseGroupForm(const ConsoleFormFields& fields);
// The `reason` field of the escalate and flag forms ("reason: required").
absl::StatusOr<std::string> ParseReasonForm(const ConsoleFormFields& fields);

}  // namespace casedesk::adapters::http

// JSON <-> domain for the case API: cases, comments, attachments, audit events and search hits
// out; open, update and comment requests in (strict: wrong types and unknown values name the
// field). Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "app/add_comment.h"
#include "app/case_support.h"
#include "app/open_case.h"
#include "app/update_case.h"
#include "core/audit_event.h"
#include "core/case.h"
#include "core/conversation.h"
#include "ports/store.h"

namespace casedesk::adapters::http {

// Every field of a case; `secret_fields` only when the view carries them (provider staff).
nlohmann::json CaseToJson(const app::CaseView& view);
nlohmann::json CaseToJson(const core::Case& record);
nlohmann::json AttachmentToJson(const core::Attachment& attachment);
nlohmann::json CommentToJson(const app::CommentView& view);
nlohmann::json EventToJson(const core::AuditEvent& event);
nlohmann::json SearchHitToJson(const ports::SearchHit& hit);

absl::StatusOr<app::OpenCaseRequest> OpenCaseRequestFromJson(const nlohmann::json& body);
absl::StatusOr<app::UpdateCaseRequest> UpdateCaseRequestFromJson(const nlohmann::json& body);
absl::StatusOr<app::AddCommentRequest> AddCommentRequestFromJson(const nlohmann::json& body);

// Wire names of enums, InvalidArgument naming the field and the accepted values otherwise.
absl::StatusOr<core::CaseStatus> StatusFromName(std::string_view field, std::string_view name);
absl::StatusOr<core::Visibility> VisibilityFromName(std::string_view field, std::string_view name);

}  // namespace casedesk::adapters::http

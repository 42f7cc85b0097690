#include "adapters/http/json_cases.h"

#include <utility>

#include "adapters/http/api_support.h"
#include "adapters/http/json_sla.h"
#include "adapters/system/calendar_file.h"

namespace casedesk::adapters::http {
namespace {

using core::NameOf;
using nlohmann::json;

json OptionalCaseTime(const std::optional<absl::Time>& time) {
  return time ? json(http::FormatTime(*time)) : json(nullptr);
}

template <typename T>
json OptionalId(const std::optional<T>& id) {
  return id ? json(*id) : json(nullptr);
}

absl::Status WrongCaseFieldType(std::string_view field, std::string_view expected) {
  return absl::InvalidArgumentError("field '" + std::string(field) + "' must be " +
                                    std::string(expected));
}

template <typename Enum, size_t N>
absl::StatusOr<Enum> EnumFromField(const std::array<std::pair<Enum, std::string_view>, N>& table,
                                   std::string_view field, std::string_view name) {
  if (const auto value = core::EnumFromName<Enum>(table, name)) return *value;
  std::string accepted;
  for (const auto& [value, candidate] : table) {
    if (!accepted.empty()) accepted += ", ";
    accepted += candidate;
  }
  return WrongCaseFieldType(field, "one of " + accepted);
}

// An optional enum given by its wire name.
template <typename Enum, size_t N>
absl::StatusOr<std::optional<Enum>> OptionalEnum(
    const json& body, const std::array<std::pair<Enum, std::string_view>, N>& table,
    std::string_view field) {
  absl::StatusOr<std::optional<std::string>> name = OptionalString(body, field);
  if (!name.ok()) return name.status();
  if (!name->has_value()) return std::nullopt;
  absl::StatusOr<Enum> value = EnumFromField(table, field, **name);
  if (!value.ok()) return value.status();
  return *value;
}

absl::StatusOr<std::vector<int64_t>> IdList(const json& body, std::string_view field) {
  std::vector<int64_t> ids;
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return ids;
  if (!it->is_array()) return WrongCaseFieldType(field, "an array of ids");
  for (const json& item : *it) {
    if (!item.is_number_integer()) return WrongCaseFieldType(field, "an array of ids");
    ids.push_back(item.get<int64_t>());
  }
  return ids;
}

// An object of strings; with `allow_null`, a null value stands for "remove this key".
absl::StatusOr<std::map<std::string, std::optional<std::string>>> StringMap(const json& body,
                                                                            std::string_view field,
                                                                            bool allow_null) {
  std::map<std::string, std::optional<std::string>> values;
  const auto it = body.find(field);
  if (it == body.end() || it->is_null()) return values;
  if (!it->is_object()) return WrongCaseFieldType(field, "an object of strings");
  for (const auto& [key, value] : it->items()) {
    const std::string name = std::string(field) + "." + key;
    if (value.is_string()) {
      values[key] = value.get<std::string>();
    } else if (value.is_null() && allow_null) {
      values[key] = std::nullopt;
    } else {
      return WrongCaseFieldType(name, allow_null ? "a string or null" : "a string");
    }
  }
  return values;
}

absl::StatusOr<std::map<std::string, std::string>> PlainStringMap(const json& body,
                                                                  std::string_view field) {
  absl::StatusOr<std::map<std::string, std::optional<std::string>>> values =
      StringMap(body, field, /*allow_null=*/false);
  if (!values.ok()) return values.status();
  std::map<std::string, std::string> plain;
  for (auto& [key, value] : *values) plain[key] = std::move(*value);
  return plain;
}

// A field that may be absent (no change), null (clear) or an id.
absl::StatusOr<std::optional<std::optional<int64_t>>> NullableId(const json& body,
                                                                 std::string_view field) {
  const auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::optional<int64_t>>(std::optional<int64_t>());
  if (!it->is_number_integer()) return WrongCaseFieldType(field, "an integer or null");
  return std::optional<std::optional<int64_t>>(it->get<int64_t>());
}

absl::StatusOr<int> SeverityLevelFrom(const json& body, bool required) {
  absl::StatusOr<std::optional<int64_t>> level = OptionalInteger(body, "severity");
  if (!level.ok()) return level.status();
  if (!level->has_value()) {
    if (required) return absl::InvalidArgumentError("field 'severity' is required");
    return 0;
  }
  if (**level < 1 || **level > 4) return WrongCaseFieldType("severity", "an integer from 1 to 4");
  return static_cast<int>(**level);
}

// Assigns an optional string field when present.
absl::Status TakeString(const json& body, std::string_view field,
                        std::optional<std::string>& target) {
  absl::StatusOr<std::optional<std::string>> value = OptionalString(body, field);
  if (!value.ok()) return value.status();
  target = *std::move(value);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<core::CaseStatus> StatusFromName(std::string_view field, std::string_view name) {
  return EnumFromField(core::kCaseStatusNames, field, name);
}

absl::StatusOr<core::Visibility> VisibilityFromName(std::string_view field, std::string_view name) {
  return EnumFromField(core::kVisibilityNames, field, name);
}

json CaseToJson(const core::Case& record) {
  json followers = json::array();
  for (core::UserId id : record.followers) followers.push_back(id);
  json fields = json::object();
  for (const auto& [key, value] : record.fields) fields[key] = value;
  return {
      {"number", record.number},
      {"subject", record.subject},
      {"description", record.description},
      {"status", NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)},
      {"severity", core::SeverityLevel(record.severity)},
      {"severity_name", NameOf<core::Severity>(core::kSeverityNames, record.severity)},
      {"proposed_severity", core::SeverityLevel(record.proposed_severity)},
      {"severity_confirmed", record.severity_confirmed},
      {"category", NameOf<core::Category>(core::kCategoryNames, record.category)},
      {"product", record.product},
      {"component", record.component},
      {"org_id", record.org_id},
      {"requester_id", record.requester_id},
      {"assignee_id", OptionalId(record.assignee_id)},
      {"group_id", OptionalId(record.group_id)},
      {"partner_reference", record.partner_reference},
      {"followers", std::move(followers)},
      {"fields", std::move(fields)},
      {"created_at", http::FormatTime(record.created_at)},
      {"updated_at", http::FormatTime(record.updated_at)},
      {"first_public_reply_at", OptionalCaseTime(record.first_public_reply_at)},
      {"solved_at", OptionalCaseTime(record.solved_at)},
      {"closed_at", OptionalCaseTime(record.closed_at)},
      {"security_incident", record.security_incident},
      {"escalation_tier", NameOf<core::Tier>(core::kTierNames, record.escalation_tier)},
  };
}

json CaseToJson(const app::CaseView& view) {
  json body = CaseToJson(view.record);
  if (view.secret_fields) {
    json secrets = json::object();
    for (const auto& [name, value] : *view.secret_fields) secrets[name] = value;
    body["secret_fields"] = std::move(secrets);
  }
  if (view.sla) body["sla"] = SlaToJson(*view.sla);
  return body;
}

json AttachmentToJson(const core::Attachment& attachment) {
  return {
      {"id", attachment.id},
      {"case_number", attachment.case_number},
      {"comment_id", OptionalId(attachment.comment_id)},
      {"filename", attachment.filename},
      {"content_type", attachment.content_type},
      {"size", attachment.size},
      {"visibility", NameOf<core::Visibility>(core::kVisibilityNames, attachment.visibility)},
      {"uploaded_by", attachment.uploaded_by},
      {"created_at", http::FormatTime(attachment.created_at)},
  };
}

json CommentToJson(const app::CommentView& view) {
  json attachments = json::array();
  for (const core::Attachment& attachment : view.attachments) {
    attachments.push_back(AttachmentToJson(attachment));
  }
  const core::Comment& comment = view.comment;
  return {
      {"id", comment.id},
      {"case_number", comment.case_number},
      {"body", comment.body},
      {"visibility", NameOf<core::Visibility>(core::kVisibilityNames, comment.visibility)},
      {"author", {{"id", comment.author_id}, {"name", view.author_name}}},
      {"channel", comment.channel},
      {"created_at", http::FormatTime(comment.created_at)},
      {"attachments", std::move(attachments)},
  };
}

json EventToJson(const core::AuditEvent& event) {
  json changes = json::array();
  for (const core::FieldChange& change : event.changes) {
    changes.push_back(
        {{"field", change.field}, {"before", change.before}, {"after", change.after}});
  }
  return {
      {"id", event.id},
      {"kind", event.kind},
      {"actor_id", event.actor_id},
      {"at", http::FormatTime(event.at)},
      {"changes", std::move(changes)},
      {"reason", event.reason},
  };
}

json SearchHitToJson(const ports::SearchHit& hit) {
  return {
      {"case_number", hit.case_number},
      {"subject", hit.subject},
      {"snippet", hit.snippet},
      {"matched_in", hit.matched_in},
  };
}

absl::StatusOr<app::OpenCaseRequest> OpenCaseRequestFromJson(const json& body) {
  app::OpenCaseRequest request;
  absl::StatusOr<std::string> subject = RequiredString(body, "subject");
  if (!subject.ok()) return subject.status();
  request.subject = *std::move(subject);
  absl::StatusOr<std::optional<std::string>> description = OptionalString(body, "description");
  if (!description.ok()) return description.status();
  request.description = description->value_or("");
  absl::StatusOr<int> severity = SeverityLevelFrom(body, /*required=*/true);
  if (!severity.ok()) return severity.status();
  request.severity = *severity;
  absl::StatusOr<std::optional<int64_t>> org_id = OptionalInteger(body, "org_id");
  if (!org_id.ok()) return org_id.status();
  request.org_id = *org_id;
  absl::StatusOr<std::optional<int64_t>> requester_id = OptionalInteger(body, "requester_id");
  if (!requester_id.ok()) return requester_id.status();
  request.requester_id = *requester_id;
  absl::StatusOr<std::optional<core::Category>> category =
      OptionalEnum(body, core::kCategoryNames, "category");
  if (!category.ok()) return category.status();
  request.category = category->value_or(core::Category::kIncident);
  for (auto [field, target] :
       {std::pair{"product", &request.product}, std::pair{"component", &request.component},
        std::pair{"partner_reference", &request.partner_reference}}) {
    absl::StatusOr<std::optional<std::string>> value = OptionalString(body, field);
    if (!value.ok()) return value.status();
    *target = value->value_or("");
  }
  absl::StatusOr<std::vector<int64_t>> followers = IdList(body, "followers");
  if (!followers.ok()) return followers.status();
  request.followers = *std::move(followers);
  absl::StatusOr<std::map<std::string, std::string>> fields = PlainStringMap(body, "fields");
  if (!fields.ok()) return fields.status();
  request.fields = *std::move(fields);
  absl::StatusOr<std::map<std::string, std::string>> secrets =
      PlainStringMap(body, "secret_fields");
  if (!secrets.ok()) return secrets.status();
  request.secret_fields = *std::move(secrets);
  absl::StatusOr<std::optional<std::string>> created_at = OptionalString(body, "created_at");
  if (!created_at.ok()) return created_at.status();
  if (created_at->has_value()) {
    absl::StatusOr<absl::Time> instant = ParseRfc3339Instant(**created_at);
    if (!instant.ok()) {
      return absl::InvalidArgumentError("field 'created_at': " +
                                        std::string(instant.status().message()));
    }
    request.created_at = *instant;
  }
  return request;
}

absl::StatusOr<app::UpdateCaseRequest> UpdateCaseRequestFromJson(const json& body) {
  app::UpdateCaseRequest request;
  absl::StatusOr<std::optional<core::CaseStatus>> status =
      OptionalEnum(body, core::kCaseStatusNames, "status");
  if (!status.ok()) return status.status();
  request.status = *status;
  absl::StatusOr<int> severity = SeverityLevelFrom(body, /*required=*/false);
  if (!severity.ok()) return severity.status();
  if (*severity != 0) request.severity = *severity;
  absl::StatusOr<std::optional<bool>> confirmed = OptionalBool(body, "severity_confirmed");
  if (!confirmed.ok()) return confirmed.status();
  request.severity_confirmed = *confirmed;
  absl::StatusOr<std::optional<bool>> security = OptionalBool(body, "security_incident");
  if (!security.ok()) return security.status();
  request.security_incident = *security;
  absl::StatusOr<std::optional<std::string>> reason = OptionalString(body, "severity_reason");
  if (!reason.ok()) return reason.status();
  request.severity_reason = reason->value_or("");
  absl::StatusOr<std::optional<core::SeverityChangeReason>> code =
      OptionalEnum(body, core::kSeverityChangeReasonNames, "severity_reason_code");
  if (!code.ok()) return code.status();
  request.severity_reason_code = *code;
  absl::StatusOr<std::optional<std::optional<int64_t>>> assignee = NullableId(body, "assignee_id");
  if (!assignee.ok()) return assignee.status();
  request.assignee_id = *assignee;
  absl::StatusOr<std::optional<std::optional<int64_t>>> group = NullableId(body, "group_id");
  if (!group.ok()) return group.status();
  request.group_id = *group;
  for (auto [field, target] :
       {std::pair{"subject", &request.subject}, std::pair{"description", &request.description},
        std::pair{"product", &request.product}, std::pair{"component", &request.component},
        std::pair{"partner_reference", &request.partner_reference}}) {
    if (absl::Status taken = TakeString(body, field, *target); !taken.ok()) return taken;
  }
  absl::StatusOr<std::optional<core::Category>> category =
      OptionalEnum(body, core::kCategoryNames, "category");
  if (!category.ok()) return category.status();
  request.category = *category;
  if (body.contains("followers") && !body["followers"].is_null()) {
    absl::StatusOr<std::vector<int64_t>> followers = IdList(body, "followers");
    if (!followers.ok()) return followers.status();
    request.followers = *std::move(followers);
  }
  absl::StatusOr<std::map<std::string, std::optional<std::string>>> fields =
      StringMap(body, "fields", /*allow_null=*/true);
  if (!fields.ok()) return fields.status();
  request.fields = *std::move(fields);
  absl::StatusOr<std::map<std::string, std::optional<std::string>>> secrets =
      StringMap(body, "secret_fields", /*allow_null=*/true);
  if (!secrets.ok()) return secrets.status();
  request.secret_fields = *std::move(secrets);
  return request;
}

absl::StatusOr<app::AddCommentRequest> AddCommentRequestFromJson(const json& body) {
  app::AddCommentRequest request;
  absl::StatusOr<std::string> text = RequiredString(body, "body");
  if (!text.ok()) return text.status();
  request.body = *std::move(text);
  absl::StatusOr<std::optional<core::Visibility>> visibility =
      OptionalEnum(body, core::kVisibilityNames, "visibility");
  if (!visibility.ok()) return visibility.status();
  request.visibility = visibility->value_or(core::Visibility::kPublic);
  const auto ids = body.find("attachment_ids");
  if (ids != body.end() && !ids->is_null()) {
    if (!ids->is_array()) return WrongCaseFieldType("attachment_ids", "an array of attachment ids");
    for (const json& id : *ids) {
      if (!id.is_string())
        return WrongCaseFieldType("attachment_ids", "an array of attachment ids");
      request.attachment_ids.push_back(id.get<std::string>());
    }
  }
  return request;
}

}  // namespace casedesk::adapters::http

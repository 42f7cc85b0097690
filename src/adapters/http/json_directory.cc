#include "adapters/http/json_directory.h"

#include <array>
#include <charconv>
#include <limits>
#include <string>
#include <utility>

#include "adapters/http/api_support.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// Every string in a body is bounded; the use cases check tighter limits per field.
constexpr size_t kMaxArrayItems = 10000;

absl::Status WrongFieldType(std::string_view field, std::string_view expected) {
  return absl::InvalidArgumentError("field '" + std::string(field) + "' must be " +
                                    std::string(expected));
}

const json* FindField(const json& object, std::string_view field) {
  const auto it = object.find(field);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

template <typename Enum, size_t N>
std::string AllowedNames(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         bool include_none) {
  std::string names;
  for (const auto& [value, name] : table) {
    if (!include_none && name == "none") continue;
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

template <typename Enum, size_t N>
absl::StatusOr<std::optional<Enum>> EnumFromText(
    std::string_view field, std::string_view text,
    const std::array<std::pair<Enum, std::string_view>, N>& table, bool accept_none = false) {
  std::optional<Enum> value = core::EnumFromName<Enum>(table, text);
  if (!value || (!accept_none && text == "none")) {
    return absl::InvalidArgumentError("'" + std::string(field) + "' must be one of " +
                                      AllowedNames(table, accept_none));
  }
  return value;
}

template <typename Enum, size_t N>
absl::StatusOr<std::optional<Enum>> OptionalEnum(
    const json& object, std::string_view field,
    const std::array<std::pair<Enum, std::string_view>, N>& table, bool accept_none = false) {
  absl::StatusOr<std::optional<std::string>> text = OptionalString(object, field);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::nullopt;
  return EnumFromText(field, **text, table, accept_none);
}

absl::StatusOr<std::optional<std::vector<std::string>>> OptionalStringArray(
    const json& object, std::string_view field) {
  const json* value = FindField(object, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array() || value->size() > kMaxArrayItems) {
    return WrongFieldType(field, "an array of strings");
  }
  std::vector<std::string> items;
  for (const json& item : *value) {
    if (!item.is_string()) return WrongFieldType(field, "an array of strings");
    items.push_back(item.get<std::string>());
  }
  return items;
}

bool IsPositiveId(const json& value) {
  if (value.is_number_unsigned()) {
    const uint64_t id = value.get<uint64_t>();
    return id > 0 && id <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  }
  return value.is_number_integer() && value.get<int64_t>() > 0;
}

absl::StatusOr<std::optional<int64_t>> OptionalId(const json& object, std::string_view field) {
  const json* value = FindField(object, field);
  if (value == nullptr) return std::nullopt;
  if (!IsPositiveId(*value)) return WrongFieldType(field, "a positive integer id");
  return value->get<int64_t>();
}

absl::StatusOr<std::optional<std::vector<int64_t>>> OptionalIdArray(const json& object,
                                                                    std::string_view field) {
  const json* value = FindField(object, field);
  if (value == nullptr) return std::nullopt;
  if (!value->is_array() || value->size() > kMaxArrayItems) {
    return WrongFieldType(field, "an array of user ids");
  }
  std::vector<int64_t> ids;
  for (const json& item : *value) {
    if (!IsPositiveId(item)) return WrongFieldType(field, "an array of user ids");
    ids.push_back(item.get<int64_t>());
  }
  return ids;
}

absl::StatusOr<std::optional<std::vector<core::Channel>>> OptionalChannels(const json& object) {
  absl::StatusOr<std::optional<std::vector<std::string>>> names =
      OptionalStringArray(object, "channels");
  if (!names.ok()) return names.status();
  if (!names->has_value()) return std::nullopt;
  std::vector<core::Channel> channels;
  for (const std::string& name : **names) {
    absl::StatusOr<std::optional<core::Channel>> channel =
        EnumFromText("channels", name, core::kChannelNames);
    if (!channel.ok()) return channel.status();
    channels.push_back(**channel);
  }
  return channels;
}

std::string TimeOrEmpty(absl::Time time) {
  return time == absl::InfinitePast() ? "" : http::FormatTime(time);
}

// Shorthand for the "assign when present" pattern of the parsers below.
#define CASEDESK_ASSIGN_OR_RETURN(target, expression) \
  do {                                                \
    auto status_or_value = (expression);              \
    if (!status_or_value.ok()) return status_or_value.status(); \
    target = *std::move(status_or_value);             \
  } while (false)

}  // namespace

json OrganisationToJson(const core::Organisation& org) {
  return {
      {"id", org.id},
      {"name", org.name},
      {"kind", core::NameOf<core::OrgKind>(core::kOrgKindNames, org.kind)},
      {"parent_id", org.parent_id ? json(*org.parent_id) : json(nullptr)},
      {"plan", org.plan.empty() ? json(nullptr) : json(org.plan)},
      {"shares_cases", org.shares_cases},
      {"time_zone", org.time_zone},
      {"created_at", TimeOrEmpty(org.created_at)},
  };
}

json UserToJson(const core::User& user) {
  return {
      {"id", user.id},
      {"email", user.email},
      {"name", user.name},
      {"role", core::NameOf<core::Role>(core::kRoleNames, user.role)},
      {"org_id", user.org_id},
      {"tier", user.tier == core::Tier::kNone
                   ? json(nullptr)
                   : json(core::NameOf<core::Tier>(core::kTierNames, user.tier))},
      {"skills", user.skills},
      {"verified", user.verified},
      {"org_admin", user.org_admin},
      {"active", user.active},
      {"has_pin", !user.pin_hash.empty()},
      {"created_at", TimeOrEmpty(user.created_at)},
  };
}

json GroupToJson(const core::Group& group) {
  return {
      {"id", group.id},
      {"name", group.name},
      {"description", group.description},
      {"triage", group.triage},
      {"members", group.members},
      {"created_at", TimeOrEmpty(group.created_at)},
  };
}

json PlanToJson(const core::SupportPlan& plan) {
  json channels = json::array();
  for (core::Channel channel : plan.channels) {
    channels.push_back(core::NameOf<core::Channel>(core::kChannelNames, channel));
  }
  return {
      {"name", plan.name},
      {"display_name", plan.display_name},
      {"description", plan.description},
      {"channels", std::move(channels)},
      {"partner_eligible", plan.partner_eligible},
      {"after_hours_coverage", plan.after_hours_coverage},
  };
}

json SeverityDefinitionToJson(const core::SeverityDefinition& definition) {
  return {
      {"level", core::SeverityLevel(definition.level)},
      {"key", core::NameOf<core::Severity>(core::kSeverityNames, definition.level)},
      {"name", definition.name},
      {"summary", definition.summary},
      {"description", definition.description},
      {"examples", definition.examples},
  };
}

json IssuedTokenToJson(const app::IssuedToken& issued) {
  return {
      {"id", issued.token.id},
      {"name", issued.token.name},
      {"user_id", issued.token.user_id},
      {"created_at", TimeOrEmpty(issued.token.created_at)},
      {"token", issued.secret},
  };
}

json TokenToJson(const core::ApiToken& token) {
  return {
      {"id", token.id},
      {"name", token.name},
      {"user_id", token.user_id},
      {"created_at", TimeOrEmpty(token.created_at)},
      {"revoked_at", token.revoked_at ? json(http::FormatTime(*token.revoked_at)) : json(nullptr)},
  };
}

absl::StatusOr<app::NewOrganisation> ParseNewOrganisation(const HttpRequest& request,
                                                          int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes, {"name", "kind", "parent_id", "plan", "shares_cases", "time_zone"});
  if (!body.ok()) return body.status();
  app::NewOrganisation org;
  CASEDESK_ASSIGN_OR_RETURN(org.name, RequiredString(*body, "name"));
  std::optional<core::OrgKind> kind;
  CASEDESK_ASSIGN_OR_RETURN(kind, OptionalEnum(*body, "kind", core::kOrgKindNames));
  if (!kind) return absl::InvalidArgumentError("field 'kind' is required");
  org.kind = *kind;
  CASEDESK_ASSIGN_OR_RETURN(org.parent_id, OptionalId(*body, "parent_id"));
  std::optional<std::string> plan;
  CASEDESK_ASSIGN_OR_RETURN(plan, OptionalString(*body, "plan"));
  org.plan = plan.value_or("");
  std::optional<bool> shares;
  CASEDESK_ASSIGN_OR_RETURN(shares, OptionalBool(*body, "shares_cases"));
  org.shares_cases = shares.value_or(false);
  std::optional<std::string> zone;
  CASEDESK_ASSIGN_OR_RETURN(zone, OptionalString(*body, "time_zone"));
  org.time_zone = zone.value_or("UTC");
  return org;
}

absl::StatusOr<app::OrganisationPatch> ParseOrganisationPatch(const HttpRequest& request,
                                                              int64_t max_bytes) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, max_bytes, {"name", "plan", "shares_cases", "time_zone"});
  if (!body.ok()) return body.status();
  app::OrganisationPatch patch;
  CASEDESK_ASSIGN_OR_RETURN(patch.name, OptionalString(*body, "name"));
  CASEDESK_ASSIGN_OR_RETURN(patch.plan, OptionalString(*body, "plan"));
  CASEDESK_ASSIGN_OR_RETURN(patch.shares_cases, OptionalBool(*body, "shares_cases"));
  CASEDESK_ASSIGN_OR_RETURN(patch.time_zone, OptionalString(*body, "time_zone"));
  return patch;
}

absl::StatusOr<app::NewUser> ParseNewUser(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"email", "name", "role", "org_id", "tier", "skills", "verified", "org_admin"});
  if (!body.ok()) return body.status();
  app::NewUser user;
  CASEDESK_ASSIGN_OR_RETURN(user.email, RequiredString(*body, "email"));
  CASEDESK_ASSIGN_OR_RETURN(user.name, RequiredString(*body, "name"));
  std::optional<core::Role> role;
  CASEDESK_ASSIGN_OR_RETURN(role, OptionalEnum(*body, "role", core::kRoleNames));
  if (!role) return absl::InvalidArgumentError("field 'role' is required");
  user.role = *role;
  std::optional<int64_t> org_id;
  CASEDESK_ASSIGN_OR_RETURN(org_id, OptionalId(*body, "org_id"));
  if (!org_id) return absl::InvalidArgumentError("field 'org_id' is required");
  user.org_id = *org_id;
  std::optional<core::Tier> tier;
  CASEDESK_ASSIGN_OR_RETURN(tier, OptionalEnum(*body, "tier", core::kTierNames));
  user.tier = tier.value_or(core::Tier::kNone);
  std::optional<std::vector<std::string>> skills;
  CASEDESK_ASSIGN_OR_RETURN(skills, OptionalStringArray(*body, "skills"));
  user.skills = skills.value_or(std::vector<std::string>{});
  std::optional<bool> verified;
  CASEDESK_ASSIGN_OR_RETURN(verified, OptionalBool(*body, "verified"));
  user.verified = verified.value_or(false);
  std::optional<bool> org_admin;
  CASEDESK_ASSIGN_OR_RETURN(org_admin, OptionalBool(*body, "org_admin"));
  user.org_admin = org_admin.value_or(false);
  return user;
}

absl::StatusOr<app::UserPatch> ParseUserPatch(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes, {"name", "tier", "skills", "active", "org_admin", "verified", "role"});
  if (!body.ok()) return body.status();
  app::UserPatch patch;
  CASEDESK_ASSIGN_OR_RETURN(patch.name, OptionalString(*body, "name"));
  // "none" clears a tier (null means "leave as it is", as for every field of a PATCH).
  CASEDESK_ASSIGN_OR_RETURN(patch.tier,
                            OptionalEnum(*body, "tier", core::kTierNames, /*accept_none=*/true));
  CASEDESK_ASSIGN_OR_RETURN(patch.skills, OptionalStringArray(*body, "skills"));
  CASEDESK_ASSIGN_OR_RETURN(patch.active, OptionalBool(*body, "active"));
  CASEDESK_ASSIGN_OR_RETURN(patch.org_admin, OptionalBool(*body, "org_admin"));
  CASEDESK_ASSIGN_OR_RETURN(patch.verified, OptionalBool(*body, "verified"));
  CASEDESK_ASSIGN_OR_RETURN(patch.role, OptionalEnum(*body, "role", core::kRoleNames));
  return patch;
}

absl::StatusOr<app::NewGroup> ParseNewGroup(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, max_bytes, {"name", "description", "triage", "members"});
  if (!body.ok()) return body.status();
  app::NewGroup group;
  CASEDESK_ASSIGN_OR_RETURN(group.name, RequiredString(*body, "name"));
  std::optional<std::string> description;
  CASEDESK_ASSIGN_OR_RETURN(description, OptionalString(*body, "description"));
  group.description = description.value_or("");
  std::optional<bool> triage;
  CASEDESK_ASSIGN_OR_RETURN(triage, OptionalBool(*body, "triage"));
  group.triage = triage.value_or(false);
  std::optional<std::vector<int64_t>> members;
  CASEDESK_ASSIGN_OR_RETURN(members, OptionalIdArray(*body, "members"));
  group.members = members.value_or(std::vector<int64_t>{});
  return group;
}

absl::StatusOr<app::GroupPatch> ParseGroupPatch(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, max_bytes, {"name", "description", "triage", "members"});
  if (!body.ok()) return body.status();
  app::GroupPatch patch;
  CASEDESK_ASSIGN_OR_RETURN(patch.name, OptionalString(*body, "name"));
  CASEDESK_ASSIGN_OR_RETURN(patch.description, OptionalString(*body, "description"));
  CASEDESK_ASSIGN_OR_RETURN(patch.triage, OptionalBool(*body, "triage"));
  CASEDESK_ASSIGN_OR_RETURN(patch.members, OptionalIdArray(*body, "members"));
  return patch;
}

absl::StatusOr<core::SupportPlan> ParseNewPlan(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"name", "display_name", "description", "channels", "partner_eligible",
       "after_hours_coverage"});
  if (!body.ok()) return body.status();
  core::SupportPlan plan;
  CASEDESK_ASSIGN_OR_RETURN(plan.name, RequiredString(*body, "name"));
  std::optional<std::string> text;
  CASEDESK_ASSIGN_OR_RETURN(text, OptionalString(*body, "display_name"));
  plan.display_name = text.value_or("");
  CASEDESK_ASSIGN_OR_RETURN(text, OptionalString(*body, "description"));
  plan.description = text.value_or("");
  std::optional<std::vector<core::Channel>> channels;
  CASEDESK_ASSIGN_OR_RETURN(channels, OptionalChannels(*body));
  if (!channels) return absl::InvalidArgumentError("field 'channels' is required");
  plan.channels = *std::move(channels);
  std::optional<bool> flag;
  CASEDESK_ASSIGN_OR_RETURN(flag, OptionalBool(*body, "partner_eligible"));
  plan.partner_eligible = flag.value_or(false);
  CASEDESK_ASSIGN_OR_RETURN(flag, OptionalBool(*body, "after_hours_coverage"));
  plan.after_hours_coverage = flag.value_or(false);
  return plan;
}

absl::StatusOr<app::PlanPatch> ParsePlanPatch(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"display_name", "description", "channels", "partner_eligible", "after_hours_coverage"});
  if (!body.ok()) return body.status();
  app::PlanPatch patch;
  CASEDESK_ASSIGN_OR_RETURN(patch.display_name, OptionalString(*body, "display_name"));
  CASEDESK_ASSIGN_OR_RETURN(patch.description, OptionalString(*body, "description"));
  CASEDESK_ASSIGN_OR_RETURN(patch.channels, OptionalChannels(*body));
  CASEDESK_ASSIGN_OR_RETURN(patch.partner_eligible, OptionalBool(*body, "partner_eligible"));
  CASEDESK_ASSIGN_OR_RETURN(patch.after_hours_coverage,
                            OptionalBool(*body, "after_hours_coverage"));
  return patch;
}

absl::StatusOr<std::vector<core::SeverityDefinition>> ParseSeverityDefinitions(
    const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(request, max_bytes, {"items"});
  if (!body.ok()) return body.status();
  const json* items = FindField(*body, "items");
  if (items == nullptr || !items->is_array()) {
    return absl::InvalidArgumentError("field 'items' must be an array of severity definitions");
  }
  std::vector<core::SeverityDefinition> definitions;
  for (const json& item : *items) {
    if (!item.is_object()) {
      return absl::InvalidArgumentError("each item must be an object");
    }
    for (const auto& [key, value] : item.items()) {
      if (key != "level" && key != "key" && key != "name" && key != "summary" &&
          key != "description" && key != "examples") {
        return absl::InvalidArgumentError("unknown field '" + key + "' in a severity definition");
      }
    }
    core::SeverityDefinition definition;
    std::optional<int64_t> level;
    CASEDESK_ASSIGN_OR_RETURN(level, OptionalInteger(item, "level"));
    if (!level || *level < 1 || *level > 4 ||
        !core::SeverityFromLevel(static_cast<int>(*level), &definition.level)) {
      return absl::InvalidArgumentError("field 'level' must be 1, 2, 3 or 4");
    }
    CASEDESK_ASSIGN_OR_RETURN(definition.name, RequiredString(item, "name"));
    CASEDESK_ASSIGN_OR_RETURN(definition.summary, RequiredString(item, "summary"));
    std::optional<std::string> description;
    CASEDESK_ASSIGN_OR_RETURN(description, OptionalString(item, "description"));
    definition.description = description.value_or("");
    std::optional<std::vector<std::string>> examples;
    CASEDESK_ASSIGN_OR_RETURN(examples, OptionalStringArray(item, "examples"));
    definition.examples = examples.value_or(std::vector<std::string>{});
    definitions.push_back(std::move(definition));
  }
  return definitions;
}

absl::StatusOr<TokenRequest> ParseTokenRequest(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(request, max_bytes, {"name", "user_id", "email"});
  if (!body.ok()) return body.status();
  TokenRequest token;
  std::optional<std::string> text;
  CASEDESK_ASSIGN_OR_RETURN(text, OptionalString(*body, "name"));
  token.name = text.value_or("");
  CASEDESK_ASSIGN_OR_RETURN(token.owner.user_id, OptionalId(*body, "user_id"));
  CASEDESK_ASSIGN_OR_RETURN(text, OptionalString(*body, "email"));
  token.owner.email = text.value_or("");
  if (token.owner.user_id && !token.owner.email.empty()) {
    return absl::InvalidArgumentError("give either user_id or email, not both");
  }
  return token;
}

absl::StatusOr<std::string> ParsePinCheck(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(request, max_bytes, {"pin"});
  if (!body.ok()) return body.status();
  return RequiredString(*body, "pin");
}

absl::StatusOr<std::optional<core::OrgKind>> OrgKindFromQuery(const HttpRequest& request) {
  const std::optional<std::string_view> text = request.Query("kind");
  if (!text) return std::nullopt;
  return EnumFromText("kind", *text, core::kOrgKindNames);
}

absl::StatusOr<std::optional<core::Role>> RoleFromQuery(const HttpRequest& request) {
  const std::optional<std::string_view> text = request.Query("role");
  if (!text) return std::nullopt;
  return EnumFromText("role", *text, core::kRoleNames);
}

absl::StatusOr<std::optional<int64_t>> IdFromQuery(const HttpRequest& request,
                                                   std::string_view name) {
  const std::optional<std::string_view> text = request.Query(name);
  if (!text) return std::nullopt;
  int64_t id = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), id);
  if (error != std::errc() || end != text->data() + text->size() || id <= 0) {
    return absl::InvalidArgumentError("'" + std::string(name) + "' must be a positive integer id");
  }
  return id;
}

#undef CASEDESK_ASSIGN_OR_RETURN

}  // namespace casedesk::adapters::http

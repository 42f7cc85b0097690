// JSON <-> domain for the directory API: organisations, people, groups, plans, severity
// definitions and tokens. Parsers read a request body strictly (ParseJsonObject: known fields
// only, typed, sized) and return the app layer's request structs; writers never emit password
// or PIN hashes or token digests. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/groups.h"
#include "app/organisations.h"
#include "app/plans.h"
#include "app/tokens.h"
#include "app/users.h"
#include "core/group.h"
#include "core/organisation.h"
#include "core/plan.h"
#include "core/severity.h"
#include "core/user.h"
#include "ports/store.h"

namespace casedesk::adapters::http {

nlohmann::json OrganisationToJson(const core::Organisation& org);
nlohmann::json UserToJson(const core::User& user);
nlohmann::json GroupToJson(const core::Group& group);
nlohmann::json PlanToJson(const core::SupportPlan& plan);
nlohmann::json SeverityDefinitionToJson(const core::SeverityDefinition& definition);
// {id, name, user_id, created_at, token}: the secret appears here and nowhere else.
nlohmann::json IssuedTokenToJson(const app::IssuedToken& issued);
// {id, name, user_id, created_at, revoked_at}: never the secret or its digest.
nlohmann::json TokenToJson(const core::ApiToken& token);

// Request bodies. Each rejects unknown fields, wrong types and missing required fields.
absl::StatusOr<app::NewOrganisation> ParseNewOrganisation(const HttpRequest& request,
                                                          int64_t max_bytes);
absl::StatusOr<app::OrganisationPatch> ParseOrganisationPatch(const HttpRequest& request,
                                                              int64_t max_bytes);
absl::StatusOr<app::NewUser> ParseNewUser(const HttpRequest& request, int64_t max_bytes);
absl::StatusOr<app::UserPatch> ParseUserPatch(const HttpRequest& request, int64_t max_bytes);
absl::StatusOr<app::NewGroup> ParseNewGroup(const HttpRequest& request, int64_t max_bytes);
absl::StatusOr<app::GroupPatch> ParseGroupPatch(const HttpRequest& request, int64_t max_bytes);
absl::StatusOr<core::SupportPlan> ParseNewPlan(const HttpRequest& request, int64_t max_bytes);
absl::StatusOr<app::PlanPatch> ParsePlanPatch(const HttpRequest& request, int64_t max_bytes);
// {"items": [{level, name, summary, description, examples}, ...]}
absl::StatusOr<std::vector<core::SeverityDefinition>> ParseSeverityDefinitions(
    const HttpRequest& request, int64_t max_bytes);

struct TokenRequest {
  app::TokenOwner owner;  // neither set: the caller
  std::string name;
};
absl::StatusOr<TokenRequest> ParseTokenRequest(const HttpRequest& request, int64_t max_bytes);

// {"pin": "..."}
absl::StatusOr<std::string> ParsePinCheck(const HttpRequest& request, int64_t max_bytes);

// Query-string filters: an enum by its wire name, an id as a positive integer.
absl::StatusOr<std::optional<core::OrgKind>> OrgKindFromQuery(const HttpRequest& request);
absl::StatusOr<std::optional<core::Role>> RoleFromQuery(const HttpRequest& request);
absl::StatusOr<std::optional<int64_t>> IdFromQuery(const HttpRequest& request,
                                                   std::string_view name);

}  // namespace casedesk::adapters::http

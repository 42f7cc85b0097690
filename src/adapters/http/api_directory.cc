// The directory's REST handlers: tokens, organisations, people, groups, plans and severity
// definitions. Each handler authenticates, parses strictly, calls one app use case and answers
// with JSON or problem+json. Reads answer on the calling thread; writes answer from the store's
// durable-commit callback, so no HTTP thread waits on a commit.
#include <functional>
#include <string>
#include <utility>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/json_directory.h"
#include "adapters/http/problem.h"
#include "adapters/http/json_cases.h"
#include "app/audit_trail.h"
#include "app/groups.h"
#include "app/organisations.h"
#include "app/plans.h"
#include "app/severity_definitions.h"
#include "app/tokens.h"
#include "app/users.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

absl::StatusOr<ports::PageRequest> Page(const app::AppContext& context,
                                        const HttpRequest& request) {
  return PageFromQuery(request, context.limits.default_page_size, context.limits.max_page_size);
}

json UserJson(const core::User& user) { return UserToJson(user); }

// ---- tokens

void RegisterTokenRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/tokens",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<TokenRequest> body =
                   ParseTokenRequest(request, JsonBodyLimit(context));
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               if (!body->owner.user_id && body->owner.email.empty()) {
                 body->owner.user_id = caller.user.id;
               }
               app::CreateApiToken(
                   context, caller.viewer, std::move(body->owner), std::move(body->name),
                   AnswerWith<app::IssuedToken>(std::move(respond), 201, IssuedTokenToJson));
             }));
  router.Add("GET", "/api/v1/users/{id}/tokens",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> user_id = IdFromPath(request, "id");
               if (!user_id.ok()) return respond(ProblemResponse(user_id.status()));
               Answer(respond, app::ListApiTokens(context, caller.viewer, *user_id),
                      [](const std::vector<core::ApiToken>& tokens) {
                        json items = json::array();
                        for (const core::ApiToken& token : tokens) {
                          items.push_back(TokenToJson(token));
                        }
                        return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
                      });
             }));
  router.Add("DELETE", "/api/v1/tokens/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> token_id = IdFromPath(request, "id");
               if (!token_id.ok()) return respond(ProblemResponse(token_id.status()));
               app::RevokeApiToken(
                   context, caller.viewer, *token_id,
                   AnswerWith<core::ApiToken>(std::move(respond), 200, TokenToJson));
             }));
}

// ---- audit trails of directory entities (provider staff)

void RegisterEntityEventRoutes(Router& router, app::AppContext& context) {
  const std::pair<const char*, const char*> kTrails[] = {
      {"/api/v1/orgs/{id}/events", "organisation"},
      {"/api/v1/users/{id}/events", "user"},
      {"/api/v1/groups/{id}/events", "group"},
      {"/api/v1/plans/{name}/events", "plan"},
  };
  for (const auto& [pattern, entity] : kTrails) {
    const std::string parameter = std::string(entity) == "plan" ? "name" : "id";
    router.Add("GET", pattern,
               Authenticated(context, [&context, entity = std::string(entity), parameter](
                                          const HttpRequest& request, Respond respond,
                                          const app::Caller& caller) {
                 absl::StatusOr<ports::PageRequest> page = Page(context, request);
                 if (!page.ok()) return respond(ProblemResponse(page.status()));
                 Answer(respond,
                        app::ListEntityEvents(context, caller.viewer, entity,
                                              request.path_params.at(parameter), *page),
                        [](const ports::Page<core::AuditEvent>& events) {
                          return PageToJson(events, EventToJson);
                        });
               }));
  }
}

// ---- organisations

void RegisterOrganisationRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/orgs",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<app::NewOrganisation> body =
                   ParseNewOrganisation(request, JsonBodyLimit(context));
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               app::CreateOrganisation(
                   context, caller.viewer, *std::move(body),
                   AnswerWith<core::Organisation>(std::move(respond), 201, OrganisationToJson));
             }));
  router.Add("GET", "/api/v1/orgs",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               app::OrganisationListRequest list;
               absl::StatusOr<ports::PageRequest> page = Page(context, request);
               if (!page.ok()) return respond(ProblemResponse(page.status()));
               list.page = *std::move(page);
               absl::StatusOr<std::optional<core::OrgKind>> kind = OrgKindFromQuery(request);
               if (!kind.ok()) return respond(ProblemResponse(kind.status()));
               list.kind = *kind;
               absl::StatusOr<std::optional<int64_t>> parent = IdFromQuery(request, "parent_id");
               if (!parent.ok()) return respond(ProblemResponse(parent.status()));
               list.parent_id = *parent;
               Answer(respond, app::ListOrganisations(context, caller.viewer, list),
                      [](const ports::Page<core::Organisation>& orgs) {
                        return PageToJson(orgs, OrganisationToJson);
                      });
             }));
  router.Add("GET", "/api/v1/orgs/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               Answer(respond, app::GetOrganisation(context, caller.viewer, *id),
                      OrganisationToJson);
             }));
  router.Add("PATCH", "/api/v1/orgs/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<app::OrganisationPatch> patch =
                   ParseOrganisationPatch(request, JsonBodyLimit(context));
               if (!patch.ok()) return respond(ProblemResponse(patch.status()));
               app::UpdateOrganisation(
                   context, caller.viewer, *id, *std::move(patch),
                   AnswerWith<core::Organisation>(std::move(respond), 200, OrganisationToJson));
             }));
}

// ---- people

// "/api/v1/users/me" may reach the {id} routes when the router prefers parameters; "me" then
// means the caller.
absl::StatusOr<int64_t> UserIdFromPath(const HttpRequest& request, const app::Caller& caller) {
  const auto it = request.path_params.find("id");
  if (it != request.path_params.end() && it->second == "me") return caller.user.id;
  return IdFromPath(request, "id");
}

void RegisterUserRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/users",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<app::NewUser> body = ParseNewUser(request, JsonBodyLimit(context));
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               app::CreateUser(context, caller.viewer, *std::move(body),
                               AnswerWith<core::User>(std::move(respond), 201, UserJson));
             }));
  router.Add(
      "GET", "/api/v1/users",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        app::UserListRequest list;
        absl::StatusOr<ports::PageRequest> page = Page(context, request);
        if (!page.ok()) return respond(ProblemResponse(page.status()));
        list.page = *std::move(page);
        absl::StatusOr<std::optional<core::Role>> role = RoleFromQuery(request);
        if (!role.ok()) return respond(ProblemResponse(role.status()));
        list.role = *role;
        absl::StatusOr<std::optional<int64_t>> org = IdFromQuery(request, "org_id");
        if (!org.ok()) return respond(ProblemResponse(org.status()));
        list.org_id = *org;
        Answer(respond, app::ListUsers(context, caller.viewer, list),
               [](const ports::Page<core::User>& users) { return PageToJson(users, UserJson); });
      }));
  router.Add("GET", "/api/v1/users/me",
             Authenticated(context, [](const HttpRequest& request, Respond respond,
                                       const app::Caller& caller) {
               respond(JsonResponse(200, UserToJson(caller.user)));
             }));
  router.Add("GET", "/api/v1/users/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = UserIdFromPath(request, caller);
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               Answer(respond, app::GetUser(context, caller.viewer, *id), UserJson);
             }));
  router.Add("PATCH", "/api/v1/users/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = UserIdFromPath(request, caller);
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<app::UserPatch> patch =
                   ParseUserPatch(request, JsonBodyLimit(context));
               if (!patch.ok()) return respond(ProblemResponse(patch.status()));
               app::UpdateUser(context, caller.viewer, *id, *std::move(patch),
                               AnswerWith<core::User>(std::move(respond), 200, UserJson));
             }));
  router.Add(
      "POST", "/api/v1/users/{id}/pin",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<int64_t> id = UserIdFromPath(request, caller);
        if (!id.ok()) return respond(ProblemResponse(id.status()));
        // The body, if any, carries nothing; an empty one is the usual request.
        if (!request.body.empty()) {
          absl::StatusOr<json> body = ParseJsonObject(request, JsonBodyLimit(context), {});
          if (!body.ok()) return respond(ProblemResponse(body.status()));
        }
        app::RotateSupportPin(
            context, caller.viewer, *id,
            AnswerWith<app::IssuedPin>(std::move(respond), 200, [](const app::IssuedPin& issued) {
              return json{{"user_id", issued.user_id}, {"pin", issued.pin}};
            }));
      }));
  router.Add("POST", "/api/v1/users/{id}/pin/verify",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = UserIdFromPath(request, caller);
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<std::string> pin = ParsePinCheck(request, JsonBodyLimit(context));
               if (!pin.ok()) return respond(ProblemResponse(pin.status()));
               Answer(respond, app::VerifySupportPin(context, caller.viewer, *id, *pin),
                      [](bool valid) {
                        return json{{"valid", valid}};
                      });
             }));
}

// ---- groups

void RegisterGroupRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/groups",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<app::NewGroup> body = ParseNewGroup(request, JsonBodyLimit(context));
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               app::CreateGroup(context, caller.viewer, *std::move(body),
                                AnswerWith<core::Group>(std::move(respond), 201, GroupToJson));
             }));
  router.Add("GET", "/api/v1/groups",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<ports::PageRequest> page = Page(context, request);
               if (!page.ok()) return respond(ProblemResponse(page.status()));
               Answer(respond, app::ListGroups(context, caller.viewer, *page),
                      [](const ports::Page<core::Group>& groups) {
                        return PageToJson(groups, GroupToJson);
                      });
             }));
  router.Add("GET", "/api/v1/groups/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               Answer(respond, app::GetGroup(context, caller.viewer, *id), GroupToJson);
             }));
  router.Add("PATCH", "/api/v1/groups/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<app::GroupPatch> patch =
                   ParseGroupPatch(request, JsonBodyLimit(context));
               if (!patch.ok()) return respond(ProblemResponse(patch.status()));
               app::UpdateGroup(context, caller.viewer, *id, *std::move(patch),
                                AnswerWith<core::Group>(std::move(respond), 200, GroupToJson));
             }));
}

// ---- plans

std::string PlanNameFromPath(const HttpRequest& request) {
  const auto it = request.path_params.find("name");
  return it == request.path_params.end() ? std::string() : it->second;
}

void RegisterPlanRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/plans",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<ports::PageRequest> page = Page(context, request);
               if (!page.ok()) return respond(ProblemResponse(page.status()));
               Answer(respond, app::ListPlans(context, caller.viewer, *page),
                      [](const ports::Page<core::SupportPlan>& plans) {
                        return PageToJson(plans, PlanToJson);
                      });
             }));
  router.Add("GET", "/api/v1/plans/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::GetPlan(context, caller.viewer, PlanNameFromPath(request)),
                      PlanToJson);
             }));
  router.Add("POST", "/api/v1/plans",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<core::SupportPlan> plan =
                   ParseNewPlan(request, JsonBodyLimit(context));
               if (!plan.ok()) return respond(ProblemResponse(plan.status()));
               app::CreatePlan(context, caller.viewer, *std::move(plan),
                               AnswerWith<core::SupportPlan>(std::move(respond), 201, PlanToJson));
             }));
  router.Add("PATCH", "/api/v1/plans/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<app::PlanPatch> patch =
                   ParsePlanPatch(request, JsonBodyLimit(context));
               if (!patch.ok()) return respond(ProblemResponse(patch.status()));
               app::UpdatePlan(context, caller.viewer, PlanNameFromPath(request), *std::move(patch),
                               AnswerWith<core::SupportPlan>(std::move(respond), 200, PlanToJson));
             }));
}

// ---- severity definitions

json SeverityDefinitionsJson(const std::vector<core::SeverityDefinition>& definitions) {
  json items = json::array();
  for (const core::SeverityDefinition& definition : definitions) {
    items.push_back(SeverityDefinitionToJson(definition));
  }
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

void RegisterSeverityRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/severities",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::GetSeverityDefinitions(context), SeverityDefinitionsJson);
             }));
  router.Add("PUT", "/api/v1/severities",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<std::vector<core::SeverityDefinition>> definitions =
                   ParseSeverityDefinitions(request, JsonBodyLimit(context));
               if (!definitions.ok()) return respond(ProblemResponse(definitions.status()));
               app::ReplaceSeverityDefinitions(
                   context, caller.viewer, *std::move(definitions),
                   AnswerWith<std::vector<core::SeverityDefinition>>(std::move(respond), 200,
                                                                     SeverityDefinitionsJson));
             }));
}

}  // namespace

void RegisterDirectoryRoutes(Router& router, app::AppContext& context) {
  RegisterTokenRoutes(router, context);
  RegisterEntityEventRoutes(router, context);
  RegisterOrganisationRoutes(router, context);
  RegisterUserRoutes(router, context);
  RegisterGroupRoutes(router, context);
  RegisterPlanRoutes(router, context);
  RegisterSeverityRoutes(router, context);
}

}  // namespace casedesk::adapters::http

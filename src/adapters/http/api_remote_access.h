// Registration of the remote access routes (issue 7): the REST API (api_remote_access.cc), the
// portal case page's Grant/Refuse/Revoke forms (portal_remote_access.cc) and the console case
// page's request, withdraw and "show credentials" forms (console_remote_access.cc), plus the
// JSON mapping the API shares (api_remote_access_json.cc). Thread-safe once registered.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/http/http_types.h"
#include "adapters/web/portal_remote_access_section.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/remote_access.h"
#include "app/status_page_cache.h"

namespace casedesk::adapters::http {

// Everything below; `cache` (the portal frame's incident banner) must outlive the router.
void RegisterRemoteAccessRoutes(Router& router, app::AppContext& context,
                                app::StatusPageCache& cache);

// /api/v1/cases/{number}/remote-access[/{id}[/grant|/refuse|/revoke|/withdraw|/credentials]].
void RegisterRemoteAccessApiRoutes(Router& router, app::AppContext& context);
// POST /portal/cases/{number}/remote-access/{id}/{grant|refuse|revoke}.
void RegisterPortalRemoteAccessRoutes(Router& router, app::AppContext& context,
                                      app::StatusPageCache& cache);
// The portal case page's section for the caller (empty when the case has no requests, or when
// they cannot be read: the rest of the page still shows).
web::PortalRemoteAccessSection PortalRemoteAccessSectionFor(app::AppContext& context,
                                                            const app::Caller& caller,
                                                            core::CaseNumber number, absl::Time now,
                                                            absl::TimeZone zone);
// POST /console/cases/{number}/remote-access[/{id}/withdraw], GET .../{id}/credentials.
void RegisterConsoleRemoteAccessRoutes(Router& router, app::AppContext& context);

// A request as JSON (never credentials): its fields, the effective status and what the caller
// may do next.
nlohmann::json RemoteAccessToJson(const app::RemoteAccessView& view);
// {"items": [...]}.
nlohmann::json RemoteAccessListToJson(const std::vector<app::RemoteAccessView>& views);
// {"id", "credentials": {...}, "until"}.
nlohmann::json RemoteAccessCredentialsToJson(const app::RemoteAccessCredentials& credentials);
// The body of a new request: method, purpose, window_start, window_end (RFC 3339).
absl::StatusOr<app::RemoteAccessInput> RemoteAccessInputFromJson(const nlohmann::json& body);
// Moves refused for the request's state answer 409 Conflict (FailedPrecondition -> Aborted).
absl::Status AsConflict(absl::Status status);

}  // namespace casedesk::adapters::http

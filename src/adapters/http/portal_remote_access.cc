// The portal's remote access forms (issue 7), post/redirect/get:
//   POST /portal/cases/{number}/remote-access/{id}/grant    credentials from the form's fields
//                                                           (host, username, password,
//                                                           one_time_code, details); empty
//                                                           ones are left out
//   POST /portal/cases/{number}/remote-access/{id}/refuse   reason (optional)
//   POST /portal/cases/{number}/remote-access/{id}/revoke
// Each answers 303 back to the case page's remote access section with a notice, or a message
// page naming the refusal (4xx). Cases the person may not see are the plain 404 page. Also the
// section the case page shows (PortalRemoteAccessSectionFor). Thread-safe once registered.
#include <functional>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/http/api_remote_access.h"
#include "adapters/http/api_support.h"
#include "adapters/http/portal_support.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/portal_text.h"
#include "app/portal_identity.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

// The grant form's credential fields, in the order the form shows them.
constexpr std::string_view kCredentialFields[] = {"host", "username", "password", "one_time_code",
                                                  "details"};

std::string StatusLabel(core::RemoteAccessStatus status) {
  switch (status) {
    case core::RemoteAccessStatus::kRequested:
      return "Waiting for your decision";
    case core::RemoteAccessStatus::kGranted:
      return "Access granted";
    case core::RemoteAccessStatus::kRefused:
      return "Refused";
    case core::RemoteAccessStatus::kWithdrawn:
      return "Withdrawn by support";
    case core::RemoteAccessStatus::kRevoked:
      return "Revoked";
    case core::RemoteAccessStatus::kExpired:
      return "Ended";
  }
  return "";
}

std::string PortalRemoteAccessPath(core::CaseNumber number) {
  return absl::StrCat(PortalCasePath(number), "#remote-access");
}

using Start = std::function<void(const WebCaller&, core::CaseNumber, core::RemoteAccessId,
                                 const PortalPost&, app::Done<app::RemoteAccessView>)>;

// One of the three forms: the route, the move, and what a refusal says.
void AddForm(Router& router, app::AppContext& context, app::StatusPageCache& cache,
             const std::string& action, std::string failure, Start start) {
  router.Add(
      "POST", "/portal/cases/{number}/remote-access/{id}/" + action,
      PortalFormAuthenticated(context, [&context, &cache, failure = std::move(failure),
                                        start = std::move(start)](
                                           const HttpRequest& request, Respond respond,
                                           const WebCaller& web, PortalPost post) {
        const std::optional<core::CaseNumber> number = CaseNumberOf(request);
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        if (!number || !id.ok() || !app::MayUsePortal(web.caller.viewer)) {
          return respond(PortalNotFound());
        }
        start(
            web, *number, *id, post,
            [&context, &cache, web, number = *number, failure, method = request.method,
             respond = std::move(respond)](absl::StatusOr<app::RemoteAccessView> outcome) {
              if (outcome.ok()) return respond(SeeOther(PortalRemoteAccessPath(number)));
              respond(PortalCaseActionRefused(context, cache, web, number, failure,
                                              AsConflict(outcome.status()), method));
            });
      }));
}

}  // namespace

web::PortalRemoteAccessSection PortalRemoteAccessSectionFor(app::AppContext& context,
                                                            const app::Caller& caller,
                                                            core::CaseNumber number, absl::Time now,
                                                            absl::TimeZone zone) {
  web::PortalRemoteAccessSection section;
  absl::StatusOr<std::vector<app::RemoteAccessView>> views =
      app::ListRemoteAccess(context, caller, number);
  if (!views.ok()) return section;
  for (const app::RemoteAccessView& view : *views) {
    const core::RemoteAccessRequest& r = view.record;
    web::PortalRemoteAccessItem item;
    item.id = absl::StrCat(r.id);
    item.method = std::string(core::RemoteAccessMethodLabel(r.method));
    item.purpose = r.purpose;
    item.window_start = web::LocalTimeText(r.window_start, now, zone);
    item.window_end = web::LocalTimeText(r.window_end, now, zone);
    item.status = std::string(
        core::NameOf<core::RemoteAccessStatus>(core::kRemoteAccessStatusNames, view.status));
    item.status_label = StatusLabel(view.status);
    if (view.status == core::RemoteAccessStatus::kRefused && !r.refusal_reason.empty()) {
      item.outcome = absl::StrCat("Reason: ", r.refusal_reason);
    }
    item.credential_fields = absl::StrJoin(r.credential_fields, ", ");
    if (core::IsFinalRemoteAccessStatus(view.status)) item.credential_fields.clear();
    item.can_grant = view.can_grant;
    item.can_refuse = view.can_refuse;
    item.can_revoke = view.can_revoke;
    section.items.push_back(std::move(item));
  }
  return section;
}

void RegisterPortalRemoteAccessRoutes(Router& router, app::AppContext& context,
                                      app::StatusPageCache& cache) {
  AddForm(router, context, cache, "grant", "Access was not granted:",
          [&context](const WebCaller& web, core::CaseNumber number, core::RemoteAccessId id,
                     const PortalPost& post, app::Done<app::RemoteAccessView> done) {
            std::map<std::string, std::string> credentials;
            for (std::string_view field : kCredentialFields) {
              std::string value = post.Value(field);
              if (!value.empty()) credentials[std::string(field)] = std::move(value);
            }
            app::GrantRemoteAccess(context, web.caller, number, id, std::move(credentials),
                                   std::move(done));
          });
  AddForm(router, context, cache, "refuse", "The request was not refused:",
          [&context](const WebCaller& web, core::CaseNumber number, core::RemoteAccessId id,
                     const PortalPost& post, app::Done<app::RemoteAccessView> done) {
            app::RefuseRemoteAccess(context, web.caller, number, id, post.Value("reason"),
                                    std::move(done));
          });
  AddForm(router, context, cache, "revoke", "Access was not revoked:",
          [&context](const WebCaller& web, core::CaseNumber number, core::RemoteAccessId id,
                     const PortalPost&, app::Done<app::RemoteAccessView> done) {
            app::RevokeRemoteAccess(context, web.caller, number, id, std::move(done));
          });
}

}  // namespace casedesk::adapters::http

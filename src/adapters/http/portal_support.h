// What every portal route shares: reading a posted form in either encoding (urlencoded, or
// multipart/form-data when it carries files) behind the session and CSRF checks; loading the
// person's portal identity and the frame around their page (brand, navigation, the active
// incidents banner from the status page cache); and the pages for refusals.
// Thread-safe: stateless functions over the thread-safe context and cache.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/http/http_types.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/portal_layout.h"
#include "app/app_context.h"
#include "app/portal_identity.h"
#include "app/portal_submissions.h"
#include "app/status_page_cache.h"

namespace casedesk::adapters::http {

// A posted portal form: its text fields in order, and its files (file inputs left empty by the
// browser are dropped).
struct PortalPost {
  std::vector<std::pair<std::string, std::string>> fields;
  std::vector<app::PortalFile> files;

  // The first value of a field, or "".
  std::string Value(std::string_view name) const;
};

using PortalPostHandler =
    std::function<void(const HttpRequest&, Respond, const WebCaller&, PortalPost)>;

// POST routes: a signed-in person, a form from this site carrying the session's CSRF token, in
// either encoding; refusals as in WebAuthenticated (303 to /login, 403 page, 400 for a body
// that is not a form).
HttpHandler PortalFormAuthenticated(app::AppContext& context, PortalPostHandler handler);

// A portal page's surroundings for one person.
struct PortalPage {
  app::PortalIdentity identity;
  web::PortalFrame frame;
  absl::TimeZone zone;  // the person's organisation's time zone ("your time")
  absl::Time now;
};

// PermissionDenied for provider staff.
absl::StatusOr<PortalPage> LoadPortalPage(app::AppContext& context, app::StatusPageCache& cache,
                                          const WebCaller& web, std::string title,
                                          std::string active);

// The plain 404 page: unknown addresses and cases the person may not see.
HttpResponse PortalNotFound();

// The answer when a page could not be loaded: staff are sent to the desk's front door (their
// console), NotFound is the 404 page, anything else a message page with a status >= 500.
HttpResponse PortalLoadFailure(const absl::Status& status, std::string_view method);

// The answer to a portal form that acted on case `number` and was refused: NotFound is the 404
// page; anything else a message page "<failure> <reason> Go back to case #N to try again." with
// the refusal's HTTP status.
HttpResponse PortalCaseActionRefused(app::AppContext& context, app::StatusPageCache& cache,
                                     const WebCaller& web, core::CaseNumber number,
                                     std::string_view failure, const absl::Status& refusal,
                                     std::string_view method);

// What a form shows for a refusal: the use case's message, or for a failure on our side a fixed
// sentence that leaks nothing.
std::string PortalRefusalText(const absl::Status& status);

// The field key a refusal names ("server_name: required ..." -> "server_name"), or "".
std::string RefusedField(const absl::Status& status);
// The refusal's message without its field key.
std::string RefusalWithoutField(const absl::Status& status);

// "/portal/cases/100001".
std::string PortalCasePath(int64_t number);
// The one-line confirmation for a ?notice= code ("opened", "replied", ...), or "".
std::string PortalNoticeText(std::string_view code);

}  // namespace casedesk::adapters::http

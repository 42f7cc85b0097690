// What the console's directory pages (people, groups, organisations under /console/admin) share:
// their frame, a page request from ?cursor=, the posted form, names of the organisations and
// people a page mentions (read through the use cases, so visibility rules apply), the notices
// after a save, and the page shown when something cannot be read.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "adapters/http/http_types.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_form.h"
#include "adapters/web/console_layout.h"
#include "app/app_context.h"
#include "core/ids.h"
#include "ports/store.h"

namespace casedesk::adapters::http {

// Rows per page of the directory lists, and the most rows a page shows of a related list (an
// organisation's contacts, a group's members, the groups a person may join).
inline constexpr int kDirectoryPageSize = 50;
inline constexpr int kDirectoryChoiceLimit = 200;

// The console frame with the "Admin" navigation item current and the notice named by
// ?notice= (see DirectoryNoticeText).
web::ConsoleFrame DirectoryFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                 const HttpRequest* request = nullptr);

// The sentence for a notice key put in ?notice= after a save ("" for an unknown key).
std::string DirectoryNoticeText(std::string_view key);

// kDirectoryPageSize rows from ?cursor=.
ports::PageRequest DirectoryPageRequest(const HttpRequest& request);

// The posted form named `name`; nullopt when the body is not a form.
std::optional<web::PostedForm> DirectoryPostedForm(const HttpRequest& request, std::string name);

// A positive id typed in a form or a query ("12"); nullopt otherwise.
std::optional<int64_t> DirectoryIdText(std::string_view text);

// The page for a failure to load what a page shows: the console's 404 page for NotFound and
// PermissionDenied (ids of what the viewer may not see reveal nothing), else a message page.
HttpResponse DirectoryLoadFailure(app::AppContext& context, const WebCaller& web,
                                  const absl::Status& status);

// Names of the organisations `ids` the viewer may see; others are left out.
std::map<core::OrgId, std::string> DirectoryOrgNames(app::AppContext& context,
                                                     const core::Viewer& viewer,
                                                     const std::vector<core::OrgId>& ids);

// Names (or addresses when unnamed) of the people `ids` the viewer may see.
std::map<core::UserId, std::string> DirectoryPeopleNames(app::AppContext& context,
                                                         const core::Viewer& viewer,
                                                         const std::vector<core::UserId>& ids);

// The provider organisation's id, or an error.
absl::StatusOr<core::OrgId> DirectoryProviderId(app::AppContext& context,
                                                const core::Viewer& viewer);

// "/console/admin/people?role=agent&cursor=..": `path` with the non-empty parameters.
std::string DirectoryHref(std::string_view path,
                          const std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace casedesk::adapters::http

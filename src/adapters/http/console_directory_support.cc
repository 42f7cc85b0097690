// The directory pages' shared helpers (see console_directory_support.h).
#include "adapters/http/console_directory_support.h"

#include <algorithm>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/console_cases_queues.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "app/organisations.h"
#include "app/users.h"

namespace casedesk::adapters::http {

// Store cursors are short; anything longer is not one of ours.
constexpr size_t kDirectoryMaxCursor = 200;

std::string DirectoryNoticeText(std::string_view key) {
  static const std::pair<std::string_view, std::string_view> kNotices[] = {
      {"saved", "Saved."},
      {"unchanged", "Nothing changed."},
      {"person-added", "Person added."},
      {"role-changed",
       "Role changed. Their web sessions have ended: they sign in again to work "
       "in the new role."},
      {"contact-added", "Contact added."},
      {"group-created", "Group created."},
      {"org-created", "Organisation created."},
      {"member-added", "Added to the group."},
      {"member-removed", "Removed from the group."},
  };
  for (const auto& [name, text] : kNotices) {
    if (name == key) return std::string(text);
  }
  return "";
}

web::ConsoleFrame DirectoryFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                 const HttpRequest* request) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", std::move(title));
  if (request != nullptr) frame.notice = DirectoryNoticeText(request->Query("notice").value_or(""));
  return frame;
}

ports::PageRequest DirectoryPageRequest(const HttpRequest& request) {
  ports::PageRequest page;
  page.limit = kDirectoryPageSize;
  const std::string_view cursor = request.Query("cursor").value_or("");
  if (cursor.size() <= kDirectoryMaxCursor) page.cursor = std::string(cursor);
  return page;
}

std::optional<web::PostedForm> DirectoryPostedForm(const HttpRequest& request, std::string name) {
  std::optional<std::vector<std::pair<std::string, std::string>>> fields = FormFields(request);
  if (!fields) return std::nullopt;
  web::PostedForm form;
  form.name = std::move(name);
  form.fields = *std::move(fields);
  return form;
}

std::optional<int64_t> DirectoryIdText(std::string_view text) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(absl::string_view(text.data(), text.size()), &id) || id <= 0) {
    return std::nullopt;
  }
  return id;
}

HttpResponse DirectoryLoadFailure(app::AppContext& context, const WebCaller& web,
                                  const absl::Status& status) {
  if (absl::IsNotFound(status) || absl::IsPermissionDenied(status)) return ConsoleNotFound();
  const int code = HttpStatusFor(status) >= 500 ? 503 : HttpStatusFor(status);
  return HtmlPage(code, web::RenderConsoleMessagePage(DirectoryFrame(context, web, "Admin"),
                                                      RefusalText(status)));
}

std::map<core::OrgId, std::string> DirectoryOrgNames(app::AppContext& context,
                                                     const core::Viewer& viewer,
                                                     const std::vector<core::OrgId>& ids) {
  std::map<core::OrgId, std::string> names;
  for (core::OrgId id : ids) {
    if (names.contains(id)) continue;
    absl::StatusOr<core::Organisation> org = app::GetOrganisation(context, viewer, id);
    if (org.ok()) names.emplace(id, org->name);
  }
  return names;
}

std::map<core::UserId, std::string> DirectoryPeopleNames(app::AppContext& context,
                                                         const core::Viewer& viewer,
                                                         const std::vector<core::UserId>& ids) {
  std::map<core::UserId, std::string> names;
  for (core::UserId id : ids) {
    if (id == 0 || names.contains(id)) continue;
    absl::StatusOr<core::User> user = app::GetUser(context, viewer, id);
    if (user.ok()) names.emplace(id, user->name.empty() ? user->email : user->name);
  }
  return names;
}

absl::StatusOr<core::OrgId> DirectoryProviderId(app::AppContext& context,
                                                const core::Viewer& viewer) {
  app::OrganisationListRequest request;
  request.kind = core::OrgKind::kProvider;
  request.page.limit = 1;
  absl::StatusOr<ports::Page<core::Organisation>> page =
      app::ListOrganisations(context, viewer, request);
  if (!page.ok()) return page.status();
  if (page->items.empty()) return absl::FailedPreconditionError("the desk is not initialised");
  return page->items.front().id;
}

std::string DirectoryHref(std::string_view path,
                          const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string href(path);
  char separator = '?';
  for (const auto& [name, value] : parameters) {
    if (value.empty()) continue;
    absl::StrAppend(&href, std::string(1, separator), name, "=", QueryEscape(value));
    separator = '&';
  }
  return href;
}

}  // namespace casedesk::adapters::http

// GET /portal: the person's cases (app::ListPortalCases) with the filters from the query string
// (state=open|solved|all, scope=mine|all, cursor) and each case's promise in their time zone.
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/portal_routes.h"
#include "adapters/http/portal_support.h"
#include "adapters/web/portal_case_list_page.h"
#include "adapters/web/portal_text.h"
#include "app/portal_cases.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

// Percent-encodes a cursor for a query string.
std::string QueryValue(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0xF];
    }
  }
  return encoded;
}

void ShowCases(app::AppContext& context, app::StatusPageCache& cache, const HttpRequest& request,
               Respond respond, const WebCaller& web) {
  absl::StatusOr<PortalPage> page = LoadPortalPage(context, cache, web, "My cases", "cases");
  if (!page.ok()) return respond(PortalLoadFailure(page.status(), request.method));
  page->frame.notice = PortalNoticeText(request.Query("notice").value_or(""));

  web::PortalCaseListView view;
  const std::string_view state = request.Query("state").value_or("open");
  app::PortalCaseQuery query;
  if (state == "solved") {
    query.state = app::PortalCaseState::kSolved;
    view.state = "solved";
  } else if (state == "all") {
    query.state = app::PortalCaseState::kAll;
    view.state = "all";
  }
  const core::Viewer& viewer = web.caller.viewer;
  const bool partner = viewer.role == core::Role::kPartnerAgent;
  view.show_scope = partner || viewer.org_shares_cases;
  view.scope_all_label = partner ? "My customers" : "My organisation";
  query.mine_only = view.show_scope && request.Query("scope") == "mine";
  view.scope = query.mine_only ? "mine" : "all";
  view.show_org = partner;
  query.page.limit = context.limits.default_page_size;
  query.page.cursor = std::string(request.Query("cursor").value_or(""));
  view.first_page = query.page.cursor.empty();

  absl::StatusOr<ports::Page<app::PortalCaseRow>> cases =
      app::ListPortalCases(context, web.caller, query);
  if (absl::IsInvalidArgument(cases.status())) {
    // A damaged cursor: start again from the first page.
    return respond(SeeOther(absl::StrCat("/portal?state=", view.state, "&scope=", view.scope)));
  }
  if (!cases.ok()) return respond(PortalLoadFailure(cases.status(), request.method));
  for (const app::PortalCaseRow& row : cases->items) {
    web::PortalCaseListRow entry;
    entry.number = absl::StrCat(row.record.number);
    entry.subject = row.record.subject;
    entry.status = web::PortalStatusText(row.record.status);
    entry.status_class =
        std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, row.record.status));
    entry.severity = web::PortalSeverityText(row.record.severity);
    entry.org_name = app::PortalOrganisationName(page->identity, row.record.org_id);
    entry.updated = web::LocalTimeText(row.record.updated_at, page->now, page->zone);
    entry.promise = web::PromiseText(row.promise, page->now, page->zone);
    entry.promise_late = row.promise.late;
    view.rows.push_back(std::move(entry));
  }
  if (!cases->next_cursor.empty()) {
    view.next_href = absl::StrCat("/portal?state=", view.state, "&scope=", view.scope,
                                  "&cursor=", QueryValue(cases->next_cursor));
  }
  respond(HtmlPage(200, web::RenderPortalCaseListPage(page->frame, view)));
}

}  // namespace

void RegisterPortalCaseListRoutes(Router& router, app::AppContext& context,
                                  app::StatusPageCache& cache) {
  router.Add("GET", "/portal",
             WebAuthenticated(context, [&context, &cache](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web) {
               ShowCases(context, cache, request, std::move(respond), web);
             }));
}

}  // namespace casedesk::adapters::http

#include "adapters/http/console_status_pages.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/problem.h"
#include "adapters/web/console_layout.h"
#include "adapters/web/console_status_page.h"
#include "adapters/web/status_time.h"
#include "app/status_components.h"
#include "app/status_incidents.h"
#include "app/status_page_settings.h"
#include "app/store_calls.h"

namespace casedesk::adapters::http {
namespace {

constexpr int kOpenLimit = 200;
constexpr int kRecentLimit = 10;

struct DeskInfo {
  std::string desk_name;
  app::StatusPageInfo page;
};

absl::StatusOr<DeskInfo> LoadDeskInfo(app::AppContext& context) {
  return app::ReadValue<DeskInfo>(
      context.store, [&context](ports::StoreTransaction& txn) -> absl::StatusOr<DeskInfo> {
        DeskInfo info;
        absl::StatusOr<app::StatusPageInfo> page = app::LoadStatusPageInfo(txn, context.public_url);
        if (!page.ok()) return page.status();
        info.page = *std::move(page);
        absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
        if (!provider.ok()) return provider.status();
        info.desk_name = *provider ? (*provider)->name : "Casedesk";
        return info;
      });
}

web::ConsoleFrame Frame(const DeskInfo& desk, const WebCaller& web, std::string title,
                        const std::string& notice) {
  web::ConsoleFrame frame;
  frame.desk_name = desk.desk_name;
  frame.user_name = web.caller.user.name.empty() ? web.caller.user.email : web.caller.user.name;
  frame.csrf_token = web.csrf_token;
  frame.active = "status";
  frame.title = std::move(title);
  frame.notice = notice;
  return frame;
}

// A page that could not be loaded: the frame when the desk is known, else a bare message.
HttpResponse StatusLoadFailure(const absl::Status& status) {
  if (absl::IsNotFound(status)) return ConsoleNotFound();
  web::ConsoleFrame frame;
  frame.title = "Status page";
  frame.active = "status";
  const int code = HttpStatusFor(status) >= 500 ? HttpStatusFor(status) : 500;
  return HtmlPage(code, web::RenderConsoleMessagePage(frame, RefusalText(status)));
}

absl::Time ClosedAt(const core::Incident& event) {
  return event.resolved_at.value_or(event.updated_at);
}

absl::StatusOr<web::ConsoleStatusView> LoadOverview(app::AppContext& context,
                                                    const core::Viewer& viewer) {
  web::ConsoleStatusView view;
  absl::StatusOr<std::vector<core::StatusComponent>> components =
      app::ListStatusComponents(context, viewer);
  if (!components.ok()) return components.status();
  view.components = *std::move(components);
  ports::IncidentFilter open;
  open.open_only = true;
  open.limit = kOpenLimit;
  absl::StatusOr<std::vector<core::Incident>> open_events =
      app::ListIncidents(context, viewer, open);
  if (!open_events.ok()) return open_events.status();
  view.open_events = *std::move(open_events);
  // The newest events of both kinds; the closed among them, most recently closed first.
  ports::IncidentFilter recent;
  recent.limit = kRecentLimit + static_cast<int>(view.open_events.size());
  absl::StatusOr<std::vector<core::Incident>> recent_events =
      app::ListIncidents(context, viewer, recent);
  if (!recent_events.ok()) return recent_events.status();
  for (core::Incident& event : *recent_events) {
    if (core::IsClosedStatus(event.status)) view.recent_closed.push_back(std::move(event));
  }
  std::stable_sort(view.recent_closed.begin(), view.recent_closed.end(),
                   [](const auto& a, const auto& b) { return ClosedAt(a) > ClosedAt(b); });
  if (view.recent_closed.size() > kRecentLimit) view.recent_closed.resize(kRecentLimit);
  return view;
}

}  // namespace

bool MayUseStatusConsole(const WebCaller& web) {
  return core::IsProviderStaff(web.caller.viewer.role);
}

HttpResponse ConsoleNotFound() { return HtmlPage(404, web::RenderNotFoundPage()); }

std::string RefusalText(const absl::Status& status) {
  if (HttpStatusFor(status) >= 500) {
    return "Something went wrong on our side and nothing was changed. Try again in a moment.";
  }
  return std::string(status.message());
}

absl::TimeZone StatusPageZone(app::AppContext& context) {
  absl::StatusOr<DeskInfo> desk = LoadDeskInfo(context);
  return web::PageTimeZone(desk.ok() ? desk->page.time_zone : std::string());
}

HttpResponse StatusOverviewPage(app::AppContext& context, const WebCaller& web, int status,
                                const std::string& notice, const web::PostedForm& form) {
  if (!MayUseStatusConsole(web)) return ConsoleNotFound();
  absl::StatusOr<DeskInfo> desk = LoadDeskInfo(context);
  if (!desk.ok()) return StatusLoadFailure(desk.status());
  absl::StatusOr<web::ConsoleStatusView> view = LoadOverview(context, web.caller.viewer);
  if (!view.ok()) return StatusLoadFailure(view.status());
  view->page = desk->page;
  view->form = form;
  return HtmlPage(status,
                  web::RenderConsoleStatusPage(Frame(*desk, web, "Status page", notice), *view));
}

HttpResponse IncidentConsolePage(app::AppContext& context, const WebCaller& web,
                                 core::IncidentId id, int status, const std::string& notice,
                                 const web::PostedForm& form) {
  if (!MayUseStatusConsole(web)) return ConsoleNotFound();
  absl::StatusOr<DeskInfo> desk = LoadDeskInfo(context);
  if (!desk.ok()) return StatusLoadFailure(desk.status());
  web::ConsoleIncidentView view;
  absl::StatusOr<app::IncidentView> event = app::GetIncident(context, web.caller.viewer, id);
  if (!event.ok()) return StatusLoadFailure(event.status());
  view.event = *std::move(event);
  absl::StatusOr<std::vector<core::StatusComponent>> components =
      app::ListStatusComponents(context, web.caller.viewer);
  if (!components.ok()) return StatusLoadFailure(components.status());
  view.components = *std::move(components);
  view.page = desk->page;
  view.form = form;
  const std::string title = view.event.incident.name;
  return HtmlPage(status, web::RenderConsoleIncidentPage(Frame(*desk, web, title, notice), view));
}

}  // namespace casedesk::adapters::http

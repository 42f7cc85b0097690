#include "adapters/http/console_cases_pages.h"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/console_cases_queues.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/web/console_case_page.h"
#include "adapters/web/console_queue_page.h"
#include "app/attachments.h"
#include "app/case_events.h"
#include "app/get_case.h"
#include "app/groups.h"
#include "app/hours.h"
#include "app/list_cases.h"
#include "app/list_comments.h"
#include "app/organisations.h"
#include "app/saved_views.h"
#include "app/severity_flags.h"
#include "app/store_calls.h"
#include "app/users.h"

namespace casedesk::adapters::http {
namespace {

constexpr int kQueuePageSize = 50;
constexpr int kReadPageSize = 200;
// The case page shows the newest comments and events; older ones are a link away, so a long
// case stays a small, fast page.
constexpr int kShownComments = 50;
constexpr int kShownEvents = 40;
constexpr int kMaxReadComments = 5000;
constexpr int kMaxReadEvents = 20000;
constexpr int kRecentCases = 5;
constexpr int kMaxGroups = 200;

web::ConsoleFrame Frame(app::AppContext& context, const WebCaller& web, std::string title,
                        const std::string& notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "cases", std::move(title));
  frame.notice = notice;
  return frame;
}

HttpResponse LoadFailure(const absl::Status& status) {
  if (absl::IsNotFound(status)) return ConsoleNotFound();
  web::ConsoleFrame frame;
  frame.title = "Cases";
  frame.active = "cases";
  const int code = HttpStatusFor(status) >= 400 ? HttpStatusFor(status) : 500;
  return HtmlPage(code, web::RenderConsoleMessagePage(frame, RefusalText(status)));
}

// Names of people by id, each read once per page.
class Names {
 public:
  Names(app::AppContext& context, const core::Viewer& viewer)
      : context_(context), viewer_(viewer) {}
  const std::string& Of(core::UserId id) {
    auto it = names_.find(id);
    if (it != names_.end()) return it->second;
    absl::StatusOr<core::User> user = app::GetUser(context_, viewer_, id);
    std::string name = !user.ok()           ? absl::StrCat("user ", id)
                       : user->name.empty() ? user->email
                                            : user->name;
    return names_.emplace(id, std::move(name)).first->second;
  }
  const std::map<core::UserId, std::string>& all() const { return names_; }

 private:
  app::AppContext& context_;
  const core::Viewer& viewer_;
  std::map<core::UserId, std::string> names_;
};

// The queue page's confirmations (?notice=code), as fixed texts: nothing a link carries is
// echoed.
std::string QueueNoticeOf(const HttpRequest& request) {
  const std::string_view code = request.Query("notice").value_or("");
  if (code == "view-saved") return "View saved.";
  if (code == "view-deleted") return "View deleted.";
  return "";
}

std::vector<core::Group> AllGroups(app::AppContext& context, const core::Viewer& viewer) {
  ports::PageRequest page{.limit = kMaxGroups};
  absl::StatusOr<ports::Page<core::Group>> groups = app::ListGroups(context, viewer, page);
  return groups.ok() ? groups->items : std::vector<core::Group>();
}

std::string OrgName(app::AppContext& context, const core::Viewer& viewer, core::OrgId id) {
  absl::StatusOr<core::Organisation> found = app::GetOrganisation(context, viewer, id);
  return found.ok() ? found->name : absl::StrCat("organisation ", id);
}

// The queue tabs, the groups, the organisation and the saved views around the rows.
void LoadViewFrame(app::AppContext& context, const WebCaller& web, web::ConsoleQueueView& view) {
  const core::QueueViewFilter& filter = view.filter;
  for (const ConsoleQueueInfo& tab : ConsoleQueues()) {
    view.tabs.push_back({.key = std::string(QueueKey(tab.queue)),
                         .label = std::string(tab.label),
                         .href = QueueHref({.queue = tab.queue,
                                            .severity_level = filter.severity_level,
                                            .group_id = filter.group_id,
                                            .org_id = filter.org_id}),
                         .active = tab.queue == filter.queue});
  }
  view.groups = AllGroups(context, web.caller.viewer);
  if (filter.org_id) {
    view.org_name = OrgName(context, web.caller.viewer, *filter.org_id);
    core::QueueViewFilter without_org = filter;
    without_org.org_id.reset();
    view.without_org_href = QueueHref(without_org);
  }
  absl::StatusOr<std::vector<core::SavedView>> saved = app::ListSavedViews(context, web.caller);
  if (!saved.ok()) return;
  for (const core::SavedView& entry : *saved) {
    view.saved_views.push_back({.id = entry.id,
                                .name = entry.name,
                                .href = QueueHref(entry.filter),
                                .active = entry.filter == filter});
  }
}

absl::StatusOr<web::ConsoleQueueView> LoadQueue(app::AppContext& context, const WebCaller& web,
                                                const core::QueueViewFilter& filter,
                                                const std::string& cursor) {
  const absl::Time now = context.clock.Now();
  web::ConsoleQueueView view;
  view.now = now;
  view.filter = filter;
  const ConsoleQueueInfo& info = QueueInfo(filter.queue);
  view.heading = std::string(info.heading);
  view.description = std::string(info.description);
  LoadViewFrame(context, web, view);
  std::vector<core::GroupId> my_groups;
  if (filter.queue == ConsoleQueue::kMyGroups) {
    for (const core::Group& group : view.groups) {
      if (std::find(group.members.begin(), group.members.end(), web.caller.viewer.user_id) !=
          group.members.end()) {
        my_groups.push_back(group.id);
      }
    }
    if (my_groups.empty()) {
      view.description = "You belong to no group yet.";
      return view;
    }
  }
  app::ListCasesRequest list = QueueRequest(filter, web.caller.viewer, my_groups, now,
                                            {.limit = kQueuePageSize, .cursor = cursor});
  absl::StatusOr<ports::Page<core::Case>> page = app::ListCases(context, web.caller, list);
  if (!page.ok()) return page.status();
  // Deadlines, organisation and assignee names: one small read each, shared by the rows.
  std::map<core::OrgId, std::string> orgs;
  Names names(context, web.caller.viewer);
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    for (core::Case& c : page->items) {
      web::ConsoleQueueRow row;
      absl::StatusOr<std::optional<absl::Time>> due = txn.GetCaseNextDeadline(c.number);
      if (!due.ok()) return due.status();
      row.next_deadline = *due;
      row.record = std::move(c);
      view.rows.push_back(std::move(row));
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  for (web::ConsoleQueueRow& row : view.rows) {
    auto org = orgs.find(row.record.org_id);
    if (org == orgs.end()) {
      org = orgs.emplace(row.record.org_id, OrgName(context, web.caller.viewer, row.record.org_id))
                .first;
    }
    row.org_name = org->second;
    core::QueueViewFilter only_org = filter;
    only_org.org_id = row.record.org_id;
    row.org_href = QueueHref(only_org);
    if (row.record.assignee_id) row.assignee_name = names.Of(*row.record.assignee_id);
  }
  if (!page->next_cursor.empty()) view.next_href = QueueHref(filter, page->next_cursor);
  if (!cursor.empty()) view.first_href = QueueHref(filter);
  return view;
}

// Every comment (up to a bound), keeping the newest `keep` (all when keep is 0).
absl::Status LoadComments(app::AppContext& context, const app::Caller& caller,
                          core::CaseNumber number, int keep, web::ConsoleCaseView& view) {
  ports::PageRequest page{.limit = kReadPageSize};
  std::vector<app::CommentView> comments;
  int read = 0;
  while (read < kMaxReadComments) {
    absl::StatusOr<ports::Page<app::CommentView>> batch =
        app::ListComments(context, caller, number, page);
    if (!batch.ok()) return batch.status();
    read += static_cast<int>(batch->items.size());
    for (app::CommentView& comment : batch->items) comments.push_back(std::move(comment));
    if (batch->next_cursor.empty()) break;
    page.cursor = batch->next_cursor;
  }
  if (keep > 0 && static_cast<int>(comments.size()) > keep) {
    view.earlier_comments = static_cast<int>(comments.size()) - keep;
    comments.erase(comments.begin(), comments.end() - keep);
  }
  view.comments = std::move(comments);
  return absl::OkStatus();
}

absl::Status LoadEvents(app::AppContext& context, const app::Caller& caller,
                        core::CaseNumber number, web::ConsoleCaseView& view) {
  ports::PageRequest page{.limit = kReadPageSize};
  std::vector<core::AuditEvent> events;
  int total = 0;
  while (total < kMaxReadEvents) {
    absl::StatusOr<ports::Page<core::AuditEvent>> batch =
        app::ListCaseEvents(context, caller, number, page);
    if (!batch.ok()) return batch.status();
    total += static_cast<int>(batch->items.size());
    for (core::AuditEvent& event : batch->items) events.push_back(std::move(event));
    // Only the newest are shown: keep the window small while reading on.
    if (static_cast<int>(events.size()) > 2 * kShownEvents) {
      events.erase(events.begin(), events.end() - kShownEvents);
    }
    if (batch->next_cursor.empty()) break;
    page.cursor = batch->next_cursor;
  }
  if (static_cast<int>(events.size()) > kShownEvents) {
    events.erase(events.begin(), events.end() - kShownEvents);
  }
  view.earlier_events = total - static_cast<int>(events.size());
  view.events = std::move(events);
  return absl::OkStatus();
}

absl::StatusOr<web::ConsoleCaseView> LoadCase(app::AppContext& context, const WebCaller& web,
                                              core::CaseNumber number, bool whole_conversation) {
  const app::Caller& caller = web.caller;
  const core::Viewer& viewer = caller.viewer;
  web::ConsoleCaseView view;
  view.now = context.clock.Now();
  view.viewer_id = viewer.user_id;
  view.whole_conversation = whole_conversation;
  absl::StatusOr<app::CaseView> found = app::GetCase(context, caller, number);
  if (!found.ok()) return found.status();
  view.view = *std::move(found);
  const core::Case& c = view.view.record;
  if (absl::Status s =
          LoadComments(context, caller, number, whole_conversation ? 0 : kShownComments, view);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = LoadEvents(context, caller, number, view); !s.ok()) return s;
  absl::StatusOr<std::vector<core::Attachment>> attachments =
      app::ListAttachments(context, caller, number);
  if (!attachments.ok()) return attachments.status();
  view.attachments = *std::move(attachments);
  absl::StatusOr<std::vector<ports::SeverityFlag>> flags =
      app::ListSeverityFlags(context, caller, number);
  if (!flags.ok()) return flags.status();
  view.flags = *std::move(flags);
  absl::StatusOr<app::RecentSeverityFlags> recent_flags =
      app::CountRecentSeverityFlags(context, caller, number, context.clock.Now());
  if (!recent_flags.ok()) return recent_flags.status();
  view.recent_flags = *recent_flags;
  absl::StatusOr<core::Organisation> org = app::GetOrganisation(context, viewer, c.org_id);
  if (!org.ok()) return org.status();
  view.org = *std::move(org);
  absl::StatusOr<core::User> requester = app::GetUser(context, viewer, c.requester_id);
  if (!requester.ok()) return requester.status();
  view.requester = *std::move(requester);
  Names names(context, viewer);
  if (c.assignee_id) view.assignee_name = names.Of(*c.assignee_id);
  for (const core::AuditEvent& event : view.events) {
    if (event.actor_id != 0) names.Of(event.actor_id);
  }
  for (const ports::SeverityFlag& flag : view.flags) names.Of(flag.flagged_by);
  // Recent cases of the same organisation, this one left out.
  app::ListCasesRequest recent;
  recent.org_id = c.org_id;
  recent.page.limit = kRecentCases + 1;
  absl::StatusOr<ports::Page<core::Case>> others = app::ListCases(context, caller, recent);
  if (!others.ok()) return others.status();
  for (core::Case& other : others->items) {
    if (other.number != c.number && static_cast<int>(view.recent_cases.size()) < kRecentCases) {
      view.recent_cases.push_back(std::move(other));
    }
  }
  // Who a case may go to: the provider's active staff.
  app::UserListRequest staff;
  staff.org_id = viewer.org_id;
  staff.page.limit = kReadPageSize;
  absl::StatusOr<ports::Page<core::User>> people = app::ListUsers(context, viewer, staff);
  if (people.ok()) {
    for (const core::User& person : people->items) {
      if (!person.active || !core::IsProviderStaff(person.role)) continue;
      view.staff.push_back({person.id, person.name.empty() ? person.email : person.name});
    }
  }
  view.groups = AllGroups(context, viewer);
  if (c.group_id) {
    for (const core::Group& group : view.groups) {
      if (group.id == *c.group_id) view.group_name = group.name;
    }
    if (view.group_name.empty()) view.group_name = absl::StrCat("group ", *c.group_id);
  }
  // Time logged on the case (issue 7); its authors' names join the others.
  absl::StatusOr<std::vector<core::TimeEntry>> time = app::ListCaseTime(context, caller, c.number);
  if (!time.ok()) return time.status();
  view.time_entries = *std::move(time);
  for (const core::TimeEntry& entry : view.time_entries) names.Of(entry.author_id);
  view.engineering = app::LoadCaseEngineering(context, caller, c.number);  // issue 7
  for (const core::EngineeringLink& link : view.engineering.links) names.Of(link.created_by);
  // Remote access requests (issue 7); who asked and who decided join the names.
  if (absl::StatusOr<std::vector<app::RemoteAccessView>> remote =
          app::ListRemoteAccess(context, caller, c.number);
      remote.ok()) {
    view.remote_access = *std::move(remote);
    for (const app::RemoteAccessView& item : view.remote_access) {
      names.Of(item.record.requested_by);
      if (item.record.decided_by != 0) names.Of(item.record.decided_by);
    }
  }
  // The service task, if the case is one (issue 7).
  if (absl::StatusOr<app::ServiceTaskView> task = app::GetServiceTask(context, caller, c.number);
      task.ok()) {
    view.service_task = *std::move(task);
  }
  view.names = names.all();
  return view;
}

}  // namespace

bool MayUseCaseConsole(const WebCaller& web) {
  return core::IsProviderStaff(web.caller.viewer.role);
}

HttpResponse WithContentEtag(const HttpRequest& request, HttpResponse response) {
  if (response.status != 200) return response;
  const std::string etag =
      absl::StrCat("\"", absl::Hex(std::hash<std::string>{}(response.body)), "\"");
  response.headers.emplace_back("ETag", etag);
  response.headers.emplace_back("Cache-Control", "private, no-cache");
  const std::optional<std::string_view> match = request.Header("if-none-match");
  if (match && *match == etag) {
    response.status = 304;
    response.body.clear();
  }
  return response;
}

HttpResponse ConsoleQueueResponse(app::AppContext& context, const HttpRequest& request,
                                  const WebCaller& web) {
  if (!MayUseCaseConsole(web)) return ConsoleNotFound();
  // The view's keys in the address; a cursor or notice beside them is ignored.
  absl::StatusOr<core::QueueViewFilter> filter = core::QueueViewFilterFromPairs(request.query);
  if (!filter.ok()) return LoadFailure(filter.status());
  const std::string notice = QueueNoticeOf(request);
  absl::StatusOr<web::ConsoleQueueView> view =
      LoadQueue(context, web, *filter, std::string(request.Query("cursor").value_or("")));
  if (!view.ok()) return LoadFailure(view.status());
  return WithContentEtag(
      request, HtmlPage(200, web::RenderConsoleQueuePage(Frame(context, web, view->heading, notice),
                                                         *view)));
}

HttpResponse ConsoleViewRefused(app::AppContext& context, const WebCaller& web,
                                const core::QueueViewFilter& filter, web::PostedForm form,
                                int status) {
  if (!MayUseCaseConsole(web)) return ConsoleNotFound();
  absl::StatusOr<web::ConsoleQueueView> view = LoadQueue(context, web, filter, "");
  if (!view.ok()) return LoadFailure(view.status());
  view->save_form = std::move(form);
  return HtmlPage(status,
                  web::RenderConsoleQueuePage(Frame(context, web, view->heading, ""), *view));
}

HttpResponse ConsoleCaseResponse(app::AppContext& context, const WebCaller& web,
                                 core::CaseNumber number, int status, const std::string& notice,
                                 const web::PostedForm& form, bool whole_conversation) {
  if (!MayUseCaseConsole(web)) return ConsoleNotFound();
  absl::StatusOr<web::ConsoleCaseView> view = LoadCase(context, web, number, whole_conversation);
  if (!view.ok()) return LoadFailure(view.status());
  view->form = form;
  const std::string title = absl::StrCat("#", number, " ", view->view.record.subject);
  return HtmlPage(status, web::RenderConsoleCasePage(Frame(context, web, title, notice), *view));
}

HttpResponse ConsoleHistoryResponse(app::AppContext& context, const HttpRequest& request,
                                    const WebCaller& web, core::CaseNumber number) {
  if (!MayUseCaseConsole(web)) return ConsoleNotFound();
  absl::StatusOr<app::CaseView> found = app::GetCase(context, web.caller, number);
  if (!found.ok()) return LoadFailure(found.status());
  ports::PageRequest page{.limit = kReadPageSize,
                          .cursor = std::string(request.Query("cursor").value_or(""))};
  absl::StatusOr<ports::Page<core::AuditEvent>> events =
      app::ListCaseEvents(context, web.caller, number, page);
  if (!events.ok()) return LoadFailure(events.status());
  web::ConsoleHistoryView view;
  view.number = number;
  view.subject = found->record.subject;
  Names names(context, web.caller.viewer);
  for (const core::AuditEvent& event : events->items) {
    if (event.actor_id != 0) names.Of(event.actor_id);
  }
  view.events = std::move(events->items);
  view.names = names.all();
  if (!events->next_cursor.empty()) {
    view.next_href = absl::StrCat("/console/cases/", number,
                                  "/history?cursor=", QueryEscape(events->next_cursor));
  }
  const std::string title = absl::StrCat("History of #", number);
  return WithContentEtag(
      request, HtmlPage(200, web::RenderConsoleHistoryPage(Frame(context, web, title, ""), view)));
}

}  // namespace casedesk::adapters::http

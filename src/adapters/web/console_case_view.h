// What the staff console's case pages show, loaded by the HTTP layer through the use cases and
// rendered by console_queue_page and console_case_page: a queue page (its tabs, one keyset page
// of cases with their next SLA deadline) and a case page (the case, its conversation, audit
// history, SLA clocks, requester and organisation, attachments, severity flags, and the choices
// its forms offer). Thread-safe: values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "adapters/web/console_form.h"
#include "app/add_comment.h"
#include "app/case_support.h"
#include "app/engineering_links.h"
#include "app/remote_access.h"
#include "app/service_tasks.h"
#include "app/severity_flags.h"
#include "core/audit_event.h"
#include "core/case.h"
#include "core/conversation.h"
#include "core/group.h"
#include "core/organisation.h"
#include "core/queue_view.h"
#include "core/time_entry.h"
#include "core/user.h"
#include "ports/sla_records.h"

namespace casedesk::adapters::web {

// One queue as a navigation tab.
struct ConsoleQueueTab {
  std::string key;    // "untriaged", "mine", ...
  std::string label;  // "Untriaged"
  std::string href;   // "/console/cases?queue=untriaged"
  bool active = false;
};

struct ConsoleQueueRow {
  core::Case record;
  std::string org_name;
  std::string org_href;       // this view narrowed to the row's organisation
  std::string assignee_name;  // "" when unassigned
  std::optional<absl::Time> next_deadline;
};

// A saved view (issue 5) as the queue page lists it.
struct ConsoleSavedView {
  core::SavedViewId id = 0;
  std::string name;
  std::string href;  // the view's address
  bool active = false;
};

struct ConsoleQueueView {
  std::vector<ConsoleQueueTab> tabs;
  std::string heading;      // "Untriaged cases"
  std::string description;  // one line: what the queue holds
  // The view's narrowing: a severity (1..4; 0 for any, never 0 in the by-severity queue), a
  // group among `groups`, an organisation (named, with the address of the view without it).
  core::QueueViewFilter filter;
  std::vector<core::Group> groups;
  std::string org_name;
  std::string without_org_href;
  std::vector<ConsoleSavedView> saved_views;  // the signed-in person's, by name
  PostedForm save_form;                       // the save-view form as refused, or empty
  std::vector<ConsoleQueueRow> rows;
  std::string next_href;   // the next page, or ""
  std::string first_href;  // the first page when this is a later one, or ""
  absl::Time now = absl::InfinitePast();
};

// A person as the pages name them.
struct ConsolePerson {
  core::UserId id = 0;
  std::string name;
};

struct ConsoleCaseView {
  app::CaseView view;  // the case with its live SLA clocks (view.sla)
  core::Organisation org;
  core::User requester;
  std::string assignee_name;               // "" when unassigned
  std::string group_name;                  // "" when none
  std::vector<app::CommentView> comments;  // oldest first: the newest ones when truncated
  int earlier_comments = 0;                // left out before `comments` (0: all shown)
  std::vector<core::AuditEvent> events;    // oldest first: the newest ones when truncated
  int earlier_events = 0;                  // left out before `events`
  std::vector<core::Attachment> attachments;
  std::vector<ports::SeverityFlag> flags;
  app::RecentSeverityFlags recent_flags;      // the organisation's and requester's, last 90 days
  std::vector<core::Case> recent_cases;       // the organisation's other recent cases, newest first
  std::map<core::UserId, std::string> names;  // actors of events and flags, by id
  std::vector<ConsolePerson> staff;           // who a case may be assigned to
  std::vector<core::Group> groups;            // the groups a case may be put in
  std::vector<core::TimeEntry> time_entries;  // time logged on the case (issue 7), oldest first
  app::CaseEngineering engineering;           // engineering links and problems (issue 7)
  std::vector<app::RemoteAccessView> remote_access;  // remote access requests (issue 7)
  std::optional<app::ServiceTaskView> service_task;  // when the case is one (issue 7)
  core::UserId viewer_id = 0;
  PostedForm form;                  // a refused form, shown again with its error
  bool whole_conversation = false;  // the page was asked for every comment
  absl::Time now = absl::InfinitePast();
};

}  // namespace casedesk::adapters::web

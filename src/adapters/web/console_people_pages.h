// The staff console's people pages: the list (/console/admin/people: filters by role and
// organisation, pages of rows, the form to add a person) and one person
// (/console/admin/people/{id}: their details form, with the role for admins, their groups with
// add and remove, and their recent history). Every form carries the CSRF token; a refused form is
// shown again with what was typed and the reason. All text is escaped by the templates.
// Thread-safe: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "adapters/web/console_form.h"
#include "adapters/web/console_layout.h"
#include "core/audit_event.h"
#include "core/group.h"
#include "core/organisation.h"
#include "core/user.h"

namespace casedesk::adapters::web {

struct ConsolePeopleListView {
  std::vector<core::User> people;                // one page, by id
  std::map<core::OrgId, std::string> org_names;  // of the rows' organisations
  std::string role_filter;                       // as in the query ("" any)
  std::string org_filter;                        // organisation id as typed ("" any)
  std::string filter_error;                      // a refused filter
  std::string next_href;                         // empty on the last page
  std::string first_href;                        // empty on the first page
  PostedForm form;                               // the refused "add" form, if any
};

struct ConsolePersonView {
  core::User user;
  core::Organisation org;
  std::vector<core::Group> groups;        // the groups they are in (staff)
  std::vector<core::Group> other_groups;  // groups they may be added to (bounded)
  bool groups_complete = true;            // every group was read
  std::vector<core::AuditEvent> events;   // recent history, newest first
  std::map<core::UserId, std::string> actor_names;
  bool is_admin = false;  // the viewer: admins manage groups, tier, skills and roles
  bool is_self = false;   // the viewer is this person (who cannot change their own role)
  PostedForm form;        // the refused form ("person" or "groups"), if any
};

std::string RenderConsolePeopleListPage(const ConsoleFrame& frame,
                                        const ConsolePeopleListView& view);
std::string RenderConsolePersonPage(const ConsoleFrame& frame, const ConsolePersonView& view);

}  // namespace casedesk::adapters::web

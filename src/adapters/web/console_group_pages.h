// The staff console's group pages: the list (/console/admin/groups, with the form to create a
// group) and one group (/console/admin/groups/{id}: name, description and triage flag, its
// members with add and remove). Every form carries the CSRF token; a refused form is shown again
// with what was typed and the reason. All text is escaped by the templates.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "adapters/web/console_form.h"
#include "adapters/web/console_layout.h"
#include "core/group.h"
#include "core/ids.h"

namespace casedesk::adapters::web {

struct ConsoleGroupListView {
  std::vector<core::Group> groups;  // one page, by id
  std::string next_href;            // empty on the last page
  std::string first_href;           // empty on the first page
  bool may_edit = false;            // admins: the create form
  PostedForm form;                  // the refused create form, if any
};

struct GroupMemberEntry {
  core::UserId id = 0;
  std::string name;   // or the address when unnamed
  std::string email;  // empty when the person could not be read
  bool active = true;
};

struct ConsoleGroupView {
  core::Group group;
  std::vector<GroupMemberEntry> members;     // at most a bounded number
  size_t members_not_shown = 0;              // members beyond that bound
  std::vector<GroupMemberEntry> candidates;  // staff who may be added (bounded)
  bool may_edit = false;                     // admins
  PostedForm form;                           // the refused form ("group" or "members"), if any
};

std::string RenderConsoleGroupListPage(const ConsoleFrame& frame, const ConsoleGroupListView& view);
std::string RenderConsoleGroupPage(const ConsoleFrame& frame, const ConsoleGroupView& view);

}  // namespace casedesk::adapters::web

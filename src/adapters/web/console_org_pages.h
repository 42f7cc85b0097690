// The staff console's organisation pages: the list (/console/admin/orgs: filters by kind and
// partner, pages of rows, the form to add a partner or a customer with its plan) and one
// organisation (/console/admin/orgs/{id}: its details form with a <select> of plans, its
// contacts and, for a partner, its customers, with the form to add a contact). Every form carries
// the CSRF token; a refused form is shown again with what was typed and the reason. All text is
// escaped by the templates. Thread-safe: pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/web/console_form.h"
#include "adapters/web/console_layout.h"
#include "core/organisation.h"
#include "core/plan.h"
#include "core/user.h"

namespace casedesk::adapters::web {

struct ConsoleOrgListView {
  std::vector<core::Organisation> orgs;  // one page, by id
  std::map<core::OrgId, std::string> parent_names;
  std::string kind_filter;    // as in the query ("" any)
  std::string parent_filter;  // partner id as typed ("" any)
  std::string filter_error;
  std::string next_href;                     // empty on the last page
  std::string first_href;                    // empty on the first page
  std::vector<core::SupportPlan> plans;      // for the add form
  std::vector<core::Organisation> partners;  // parents the add form offers (bounded)
  std::string provider_name;
  PostedForm form;  // the refused add form, if any
};

struct ConsoleOrgView {
  core::Organisation org;
  std::optional<core::Organisation> parent;
  std::vector<core::User> contacts;  // the first page of its people
  bool more_contacts = false;
  std::vector<core::Organisation> customers;  // a partner's customers, first page
  bool more_customers = false;
  std::vector<core::SupportPlan> plans;  // for the plan <select>
  PostedForm form;                       // the refused form ("org" or "contact"), if any
};

std::string RenderConsoleOrgListPage(const ConsoleFrame& frame, const ConsoleOrgListView& view);
std::string RenderConsoleOrgPage(const ConsoleFrame& frame, const ConsoleOrgView& view);

}  // namespace casedesk::adapters::web

// The portal's Contacts page (/portal/contacts) for an organisation's admin: the organisation's
// people with their state (active, invited, deactivated) and role, a button per action (each a
// small POST form carrying the CSRF token), and the form to invite a new contact, which keeps
// what was typed and shows a refusal beside the field it is about.
// Thread-safe: a pure function.
#pragma once

#include <string>
#include <vector>

#include "adapters/web/console_form.h"
#include "adapters/web/portal_layout.h"

namespace casedesk::adapters::web {

struct ContactRow {
  int64_t id = 0;
  std::string name;
  std::string email;
  bool active = true;
  bool invited = false;  // not joined yet: unverified, no password
  bool org_admin = false;
  bool is_self = false;  // the admin themself: no buttons
};

struct ContactsView {
  std::string org_name;
  std::vector<ContactRow> contacts;
  // The invite form as posted after a refusal ("invite"), or a refused action ("contact-<id>").
  PostedForm posted;
};

// `frame.title` is the page's heading.
std::string RenderContactsPage(const PortalFrame& frame, const ContactsView& view);

}  // namespace casedesk::adapters::web

// The customer and partner portal's frame around every portal page: a skip link, the header
// (the support brand the person deals with: the provider, or for customers of a partner the
// partner, never the provider; their organisation; the person; a sign-out form), the navigation
// (My cases, Open a case, Contacts for organisation admins, Status), the banner of active
// platform incidents, and <main> with a one-line notice or error at its top. All text is escaped
// by the templates (never triple mustaches).
// Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "app/status_page_view.h"

namespace casedesk::adapters::web {

// One active incident or maintenance in progress, as the banner shows it.
struct PortalIncident {
  std::string name;
  std::string status;  // "Investigating", "In progress", ...
  std::string impact;  // "minor", "major", "critical", "maintenance": the stylesheet's class
  std::string href;    // the public status page's incident page; "" when not linked
};

struct PortalFrame {
  std::string brand_name;  // who gives support, as the person knows them
  std::string org_name;    // the person's organisation
  std::string user_name;   // who is signed in
  std::string csrf_token;  // carried by every form, the sign-out button's too
  bool org_admin = false;  // shows "Contacts" (/portal/contacts)
  // Shows "Status" (/status) and links incidents to it. Off for customers of a partner: the
  // public status page carries the provider's name.
  bool show_status_link = true;
  // The navigation item shown as current: "cases", "new", "contacts", "status", or "".
  std::string active;
  std::string title;   // the page's title; the document's is "title · brand_name"
  std::string notice;  // a one-line confirmation at the top of <main>, or ""
  std::string error;   // a one-line error at the top of <main>, or ""
  std::vector<PortalIncident> incidents;
};

// The banner's entries from the status page's snapshot: open incidents (newest first), then
// maintenance in progress. `link` decides whether they link to the public status page.
std::vector<PortalIncident> PortalIncidentsFrom(const app::StatusPageSnapshot& snapshot, bool link);

// The document: the frame, with `main_template` rendered as <main>'s content from `data` (which
// also receives the frame's keys, so forms can use {{csrf_token}}, {{> csrf}}, {{> option}}).
std::string RenderPortalDocument(const PortalFrame& frame, kainjow::mustache::data& data,
                                 std::string_view main_template);

// A portal page with the frame's title as its heading and one paragraph.
std::string RenderPortalMessagePage(const PortalFrame& frame, const std::string& message);

}  // namespace casedesk::adapters::web

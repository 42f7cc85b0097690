// The portal case page's "Remote access" section (issue 7): a request waiting for the customer
// shows what support asks for (method, why, the window in the person's time zone) with a Grant
// form (optional credentials: host, username, password, one-time code, other details; labelled
// inputs with autocomplete off) and a Refuse form (optional reason); an active grant shows a
// Revoke button; past requests show their outcome. The forms post to
// /portal/cases/{number}/remote-access/{id}/{grant|refuse|revoke} and work without JavaScript.
// Credentials are never shown back. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace casedesk::adapters::web {

struct PortalRemoteAccessItem {
  std::string id;
  std::string method;  // "SSH", "RDP", "a shared screen session"
  std::string purpose;
  std::string window_start;  // in the person's time zone
  std::string window_end;
  std::string status;             // "requested", "granted", ... (a class name)
  std::string status_label;       // "Waiting for your decision", ...
  std::string outcome;            // "Refused by Ann: not during business hours", or ""
  std::string credential_fields;  // "host, password" (names only), or ""
  bool can_grant = false;
  bool can_refuse = false;
  bool can_revoke = false;
};

struct PortalRemoteAccessSection {
  std::vector<PortalRemoteAccessItem> items;  // newest first
};

// The section's data (the page sets it as "remote_access"; false when there is none).
kainjow::mustache::data PortalRemoteAccessData(const PortalRemoteAccessSection& section);
// The section's template (the page sets it as the partial "remote_access_section"); it reads
// {{number}} and the "csrf" partial from the page and everything else from {{#remote_access}}.
std::string_view PortalRemoteAccessSectionPartial();

}  // namespace casedesk::adapters::web

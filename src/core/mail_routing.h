// Which inbound route a message follows, from the addresses it was delivered to. The desk's
// routes (app::MailRoute, converted by the app) name a whole address ("critical@help.example")
// or a local part ("critical"); a whole-address match wins over a local-part match, and a
// message that matches none follows the default route (open a case at the desk's default
// severity). Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/severity.h"

namespace casedesk::core {

enum class RouteAction {
  kOpenCase,  // new mail opens a case (replies to known cases are threaded whatever the route)
  kEscalate,  // raise a customer escalation request on the referenced case
};

struct RouteRule {
  std::string address;  // lower case: a local part, or a whole address when it contains '@'
  RouteAction action = RouteAction::kOpenCase;
  std::optional<Severity> severity;  // unset: the desk's default severity
};

struct RouteDecision {
  RouteAction action = RouteAction::kOpenCase;
  std::optional<Severity> severity;  // unset: the desk's default severity
  std::string matched;               // the rule's address; empty for the default route
};

// The route for a message. `envelope_recipient` is the address it was delivered to (LMTP RCPT
// TO, the pipe's --to); when set it alone decides, because To and Cc may name other people's
// addresses whose local part happens to match a route. When it is empty (a polled mailbox), the
// To addresses and then the Cc addresses are tried. Addresses are compared case-insensitively
// and with any "+detail" removed from the local part ("critical+x@..." matches "critical").
RouteDecision PickRoute(const std::vector<RouteRule>& rules, std::string_view envelope_recipient,
                        const std::vector<std::string>& to, const std::vector<std::string>& cc);

}  // namespace casedesk::core

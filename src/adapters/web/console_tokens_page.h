// The staff console's API tokens page (/console/tokens): the signed-in person's tokens (name,
// created, active or revoked, a revoke button for the active ones), a form to create one (an
// admin may name someone else by email), and, right after creating, the new token itself,
// shown this once. All text is escaped by the templates. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/web/console_form.h"
#include "adapters/web/console_layout.h"
#include "core/credential.h"

namespace casedesk::adapters::web {

struct ConsoleTokensView {
  std::vector<core::ApiToken> tokens;  // the signed-in person's, newest first
  bool may_issue_for_others = false;   // admins: the form has an "for" email field
  // Right after a create: the secret (never stored) and whom it is for.
  std::optional<std::string> new_secret;
  std::string new_token_name;
  std::string new_token_owner;
  PostedForm form;  // a refused create, to show again with its error
};

std::string RenderConsoleTokensPage(const ConsoleFrame& frame, const ConsoleTokensView& view);

}  // namespace casedesk::adapters::web

// The sign-in page (GET /login, and again after a failed attempt).
// Thread-safe: a pure function.
#pragma once

#include <string>

namespace casedesk::adapters::web {

struct SignInView {
  std::string email;   // kept after a failed attempt
  std::string next;    // where to go afterwards (a path on this site); a hidden field
  std::string error;   // e.g. "The email address or password is wrong."; next to the form
  std::string notice;  // e.g. "You are signed out."
};

std::string RenderSignInPage(const SignInView& view);

}  // namespace casedesk::adapters::web

// The signed-out account pages: sign up, "check your mail", forgot password, choose a password
// (after a verification, invitation or reset link) and the refusal of a link that no longer
// works. Centred forms on the design system's stylesheet, like the sign-in page; nothing inline
// (the pages' Content-Security-Policy forbids inline scripts and styles). Errors are absl::Status
// messages; one that names a field of the form ("email: ...") is shown beside that field, any
// other at the top of the form.
// Thread-safe: pure functions over constant templates.
#pragma once

#include <string>

namespace casedesk::adapters::web {

struct SignUpView {
  std::string csrf_token;
  std::string name;   // kept after a refusal
  std::string email;  // kept after a refusal
  std::string error;
  bool sent = false;  // the "check your mail" page instead of the form
};

std::string RenderSignUpPage(const SignUpView& view);

struct ForgotPasswordView {
  std::string csrf_token;
  std::string email;
  std::string error;
  bool sent = false;  // the "check your mail" page instead of the form
};

std::string RenderForgotPasswordPage(const ForgotPasswordView& view);

enum class PasswordLinkKind { kVerify, kInvite, kReset };

struct ChoosePasswordView {
  PasswordLinkKind kind = PasswordLinkKind::kVerify;
  std::string csrf_token;
  std::string token;  // the link's token, posted back in a hidden field
  std::string email;  // whose account (shown, and given to password managers)
  std::string error;
};

// Posts to /verify (verification, invitation) or /password/reset.
std::string RenderChoosePasswordPage(const ChoosePasswordView& view);

// `message` says why; links lead to asking for a new link.
std::string RenderInvalidLinkPage(PasswordLinkKind kind, const std::string& message);

}  // namespace casedesk::adapters::web

// The signed-out account pages. Requests for mail (sign up, forgot password) answer "check your
// mail" once the request is counted against its address's limit, whatever the address, without
// waiting for the unit of work they start (see app/account_requests.h); using a link answers after
// the durable commit, with the new session's cookie, and lands on "/" (which sends each role to its
// pages).
#include "adapters/http/web_accounts.h"

#include <memory>
#include <span>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/web_accounts_forms.h"
#include "adapters/http/web_auth.h"
#include "adapters/http/web_message_page.h"
#include "adapters/http/web_session_cookie.h"
#include "adapters/web/account_pages.h"
#include "app/account_links.h"
#include "app/account_requests.h"
#include "app/account_reset.h"
#include "app/account_sign_up.h"
#include "app/web_sessions.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr ports::AccountTokenPurpose kVerifyPurposes[] = {ports::AccountTokenPurpose::kVerify,
                                                          ports::AccountTokenPurpose::kInvite};
constexpr ports::AccountTokenPurpose kResetPurposes[] = {ports::AccountTokenPurpose::kReset};

constexpr char kFormExpired[] = "This form expired; please try again.";
constexpr char kUnavailable[] = "This is not possible at the moment; please try again shortly.";

bool SignedIn(app::AppContext& context, const HttpRequest& request) {
  const std::optional<std::string> token = SessionTokenFrom(request);
  return token && app::AuthenticateSession(context, *token).ok();
}

// A signed-out page with its form token, setting the pre-session cookie when needed.
template <typename View, typename Renderer>
HttpResponse FormPage(app::AppContext& context, const HttpRequest& request, int status, View view,
                      Renderer render) {
  const SignedOutForm form = PrepareSignedOutForm(request, context.crypto);
  view.csrf_token = form.csrf_token;
  HttpResponse response = HtmlPage(status, render(view));
  AddFormCookie(response, form, context.public_url);
  return response;
}

int StatusFor(const absl::Status& status) {
  if (absl::IsInvalidArgument(status)) return 400;
  if (absl::IsResourceExhausted(status)) return 429;
  if (absl::IsNotFound(status)) return 404;
  return 503;
}

std::string MessageFor(const absl::Status& status) {
  if (absl::IsInvalidArgument(status) || absl::IsResourceExhausted(status) ||
      absl::IsNotFound(status)) {
    return std::string(status.message());
  }
  return kUnavailable;
}

// The form again with the error of a refused request, or `sent` once it was admitted.
template <typename View, typename Renderer>
void AnswerRequest(app::AppContext& context, const HttpRequest& request, View view, Renderer render,
                   const app::Throttle& throttle, const absl::Status& admitted,
                   std::string_view sent, Respond& respond) {
  if (admitted.ok()) return respond(SeeOther(std::string(sent)));
  view.error = MessageFor(admitted);
  HttpResponse response = FormPage(context, request, StatusFor(admitted), std::move(view), render);
  if (response.status == 429) {
    response.headers.emplace_back("Retry-After",
                                  absl::StrCat(absl::ToInt64Seconds(throttle.window)));
  }
  respond(std::move(response));
}

// ---- Sign up ----

void ShowSignUp(app::AppContext& context, const HttpRequest& request, Respond respond) {
  if (SignedIn(context, request)) return respond(SeeOther("/"));
  web::SignUpView view;
  view.sent = request.Query("sent").has_value();
  respond(FormPage(context, request, 200, std::move(view), web::RenderSignUpPage));
}

void SubmitSignUp(app::AppContext& context, const HttpRequest& request, Respond respond) {
  const std::optional<Fields> fields = FormFields(request);
  web::SignUpView view;
  if (fields) {
    view.name = FormValue(*fields, "name");
    view.email = FormValue(*fields, "email");
  }
  if (!fields || !SignedOutFormIsGenuine(request, *fields, context.crypto)) {
    view.error = kFormExpired;
    return respond(FormPage(context, request, 403, std::move(view), web::RenderSignUpPage));
  }
  app::SignUpRequest sign_up{view.email, view.name, request.remote_address};
  auto answer = std::make_shared<Respond>(std::move(respond));
  const absl::Status checked = app::SignUp(
      context, std::move(sign_up),
      [&context, request, view, answer](absl::Status admitted) {
        AnswerRequest(context, request, view, web::RenderSignUpPage, app::kSignUpThrottle, admitted,
                      "/signup?sent=1", *answer);
      },
      // The answer never waits for the outcome (see app/account_requests.h).
      [](absl::StatusOr<app::SignUpResult>) {});
  if (!checked.ok()) {
    AnswerRequest(context, request, std::move(view), web::RenderSignUpPage, app::kSignUpThrottle,
                  checked, "", *answer);
  }
}

// ---- Forgot password ----

void ShowForgot(app::AppContext& context, const HttpRequest& request, Respond respond) {
  web::ForgotPasswordView view;
  view.sent = request.Query("sent").has_value();
  respond(FormPage(context, request, 200, std::move(view), web::RenderForgotPasswordPage));
}

void SubmitForgot(app::AppContext& context, const HttpRequest& request, Respond respond) {
  const std::optional<Fields> fields = FormFields(request);
  web::ForgotPasswordView view;
  if (fields) view.email = FormValue(*fields, "email");
  if (!fields || !SignedOutFormIsGenuine(request, *fields, context.crypto)) {
    view.error = kFormExpired;
    return respond(FormPage(context, request, 403, std::move(view), web::RenderForgotPasswordPage));
  }
  app::PasswordResetRequest reset{view.email, request.remote_address};
  auto answer = std::make_shared<Respond>(std::move(respond));
  const absl::Status checked = app::RequestPasswordReset(
      context, std::move(reset),
      [&context, request, view, answer](absl::Status admitted) {
        AnswerRequest(context, request, view, web::RenderForgotPasswordPage,
                      app::kPasswordResetThrottle, admitted, "/password/forgot?sent=1", *answer);
      },
      [](absl::StatusOr<app::PasswordResetResult>) {});
  if (!checked.ok()) {
    AnswerRequest(context, request, std::move(view), web::RenderForgotPasswordPage,
                  app::kPasswordResetThrottle, checked, "", *answer);
  }
}

// ---- Using a link: choose a password ----

web::PasswordLinkKind KindOf(ports::AccountTokenPurpose purpose) {
  switch (purpose) {
    case ports::AccountTokenPurpose::kVerify:
      return web::PasswordLinkKind::kVerify;
    case ports::AccountTokenPurpose::kInvite:
      return web::PasswordLinkKind::kInvite;
    case ports::AccountTokenPurpose::kReset:
      return web::PasswordLinkKind::kReset;
  }
  return web::PasswordLinkKind::kVerify;
}

HttpResponse InvalidLink(std::span<const ports::AccountTokenPurpose> purposes,
                         const absl::Status& status) {
  const web::PasswordLinkKind kind = KindOf(purposes.front());
  if (!absl::IsNotFound(status)) {
    return MessagePage(503, "Unavailable", kUnavailable);
  }
  return HtmlPage(404, web::RenderInvalidLinkPage(kind, std::string(status.message())));
}

// The choose-a-password form for the link's owner, or why the link does not work.
HttpResponse ChoosePasswordPage(app::AppContext& context, const HttpRequest& request,
                                std::span<const ports::AccountTokenPurpose> purposes,
                                const std::string& token, int status, std::string error) {
  absl::StatusOr<app::AccountLinkOwner> owner = app::CheckAccountLink(context, token, purposes);
  if (!owner.ok()) return InvalidLink(purposes, owner.status());
  web::ChoosePasswordView view;
  view.kind = KindOf(owner->purpose);
  view.token = token;
  view.email = owner->user.email;
  view.error = std::move(error);
  return FormPage(context, request, status, std::move(view), web::RenderChoosePasswordPage);
}

void ShowLink(app::AppContext& context, std::span<const ports::AccountTokenPurpose> purposes,
              const HttpRequest& request, Respond respond) {
  const std::string token(request.Query("token").value_or(""));
  respond(ChoosePasswordPage(context, request, purposes, token, 200, ""));
}

void SubmitLink(app::AppContext& context, std::span<const ports::AccountTokenPurpose> purposes,
                const HttpRequest& request, Respond respond) {
  const std::optional<Fields> fields = FormFields(request);
  const std::string token = fields ? FormValue(*fields, "token") : "";
  if (!fields || !SignedOutFormIsGenuine(request, *fields, context.crypto)) {
    return respond(ChoosePasswordPage(context, request, purposes, token, 403, kFormExpired));
  }
  app::AccountLinkUse use{token, FormValue(*fields, "password"),
                          FormValue(*fields, "password_confirmation"), request.remote_address};
  const std::optional<std::string> previous = SessionTokenFrom(request);
  app::UseAccountLink(
      context, purposes, std::move(use),
      [&context, purposes, request, token, previous,
       respond = std::move(respond)](absl::StatusOr<app::SignedIn> outcome) mutable {
        if (!outcome.ok()) {
          if (absl::IsInvalidArgument(outcome.status())) {
            return respond(ChoosePasswordPage(context, request, purposes, token, 400,
                                              std::string(outcome.status().message())));
          }
          return respond(InvalidLink(purposes, outcome.status()));
        }
        // A session this browser had (perhaps someone else's) ends: the new one replaces it.
        if (previous) app::SignOut(context, *previous, [](absl::StatusOr<bool>) {});
        HttpResponse response = SeeOther("/");
        response.headers.emplace_back("Set-Cookie",
                                      SessionCookie(outcome->token, context.public_url));
        respond(std::move(response));
      });
}

}  // namespace

void RegisterAccountRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/signup", [&context](const HttpRequest& request, Respond respond) {
    ShowSignUp(context, request, std::move(respond));
  });
  router.Add("POST", "/signup", [&context](const HttpRequest& request, Respond respond) {
    SubmitSignUp(context, request, std::move(respond));
  });
  router.Add("GET", "/password/forgot", [&context](const HttpRequest& request, Respond respond) {
    ShowForgot(context, request, std::move(respond));
  });
  router.Add("POST", "/password/forgot", [&context](const HttpRequest& request, Respond respond) {
    SubmitForgot(context, request, std::move(respond));
  });
  router.Add("GET", "/verify", [&context](const HttpRequest& request, Respond respond) {
    ShowLink(context, kVerifyPurposes, request, std::move(respond));
  });
  router.Add("POST", "/verify", [&context](const HttpRequest& request, Respond respond) {
    SubmitLink(context, kVerifyPurposes, request, std::move(respond));
  });
  router.Add("GET", "/password/reset", [&context](const HttpRequest& request, Respond respond) {
    ShowLink(context, kResetPurposes, request, std::move(respond));
  });
  router.Add("POST", "/password/reset", [&context](const HttpRequest& request, Respond respond) {
    SubmitLink(context, kResetPurposes, request, std::move(respond));
  });
  RegisterAccountContactRoutes(router, context);
}

}  // namespace casedesk::adapters::http

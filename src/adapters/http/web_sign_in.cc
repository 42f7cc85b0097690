// The sign-in form and signing out. A successful sign-in answers 303 with the session cookie to
// the page the visitor came from (only ever a path on this site); a failed one shows the form
// again with the address kept, never the password: 401 for wrong credentials (one message for
// every cause), 429 when the address has failed too often. Sign-in forms posted from another
// site are refused (login CSRF).
#include "adapters/http/web_sign_in.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/web_auth.h"
#include "adapters/http/web_message_page.h"
#include "adapters/http/web_session_cookie.h"
#include "adapters/web/sign_in_page.h"
#include "app/throttle.h"
#include "app/web_sessions.h"

namespace casedesk::adapters::http {
namespace {

// "/" sends each person on to their home: staff to the console, everyone else to the portal.
constexpr char kDefaultNext[] = "/";
constexpr char kSignedOutLocation[] = "/login?signed_out=1";

// Where to go after signing in: a path on this site other than the sign-in page itself.
std::string SafeNext(std::string_view next) {
  const bool local = next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") &&
                     !next.starts_with("/login");
  return local ? std::string(next) : kDefaultNext;
}

HttpResponse SignInPage(int status, web::SignInView view) {
  return HtmlPage(status, web::RenderSignInPage(view));
}

void ShowForm(app::AppContext& context, const HttpRequest& request, Respond respond) {
  const std::string next = SafeNext(request.Query("next").value_or(""));
  // Already signed in: nothing to do here.
  if (const std::optional<std::string> token = SessionTokenFrom(request);
      token && app::AuthenticateSession(context, *token).ok()) {
    return respond(SeeOther(next));
  }
  web::SignInView view;
  view.next = next;
  if (request.Query("signed_out").has_value()) view.notice = "You are signed out.";
  respond(SignInPage(200, std::move(view)));
}

void SubmitForm(app::AppContext& context, const HttpRequest& request, Respond respond) {
  const auto fields = FormFields(request);
  web::SignInView view;
  if (fields) {
    view.email = FormValue(*fields, "email");
    view.next = SafeNext(FormValue(*fields, "next"));
  } else {
    view.next = kDefaultNext;
  }
  if (CrossSite(request)) {
    view.error = "This form was sent from another site.";
    return respond(SignInPage(403, std::move(view)));
  }
  if (!fields) {
    view.error = "Please enter your email address and password.";
    return respond(SignInPage(400, std::move(view)));
  }
  app::SignInRequest sign_in{view.email, FormValue(*fields, "password"), request.remote_address};
  app::SignIn(context, std::move(sign_in),
              [&context, view = std::move(view),
               respond = std::move(respond)](absl::StatusOr<app::SignedIn> outcome) mutable {
                if (outcome.ok()) {
                  HttpResponse response = SeeOther(view.next);
                  response.headers.emplace_back("Set-Cookie",
                                                SessionCookie(outcome->token, context.public_url));
                  return respond(std::move(response));
                }
                int status = 503;
                if (absl::IsUnauthenticated(outcome.status())) {
                  status = 401;
                  view.error = std::string(app::kWrongCredentialsMessage);
                } else if (absl::IsResourceExhausted(outcome.status())) {
                  status = 429;
                  view.error = std::string(app::kTooManyAttemptsMessage);
                } else {
                  view.error = "Signing in is not possible at the moment; try again shortly.";
                }
                HttpResponse response = SignInPage(status, std::move(view));
                if (status == 429) {
                  response.headers.emplace_back(
                      "Retry-After",
                      absl::StrCat(absl::ToInt64Seconds(app::kSignInThrottle.window)));
                }
                respond(std::move(response));
              });
}

void SignOutOfSession(app::AppContext& context, const HttpRequest& request, Respond respond) {
  // WebAuthenticated found a valid session cookie, so there is one.
  std::string token = SessionTokenFrom(request).value_or("");
  app::SignOut(
      context, std::move(token),
      [&context, respond = std::move(respond)](absl::StatusOr<bool> outcome) {
        if (!outcome.ok()) {
          return respond(MessagePage(
              503, "Unavailable", "Signing out is not possible at the moment; try again shortly."));
        }
        HttpResponse response = SeeOther(kSignedOutLocation);
        response.headers.emplace_back("Set-Cookie", ExpiredSessionCookie(context.public_url));
        respond(std::move(response));
      });
}

}  // namespace

void RegisterSignInRoutes(Router& router, app::AppContext& context) {
  // The desk's front door: staff land in the console (after signing in), customers and partner
  // agents in the portal.
  router.Add("GET", "/", [&context](const HttpRequest& request, Respond respond) {
    const std::optional<std::string> token = SessionTokenFrom(request);
    absl::StatusOr<app::Caller> caller =
        token ? app::AuthenticateSession(context, *token)
              : absl::StatusOr<app::Caller>(absl::UnauthenticatedError("not signed in"));
    if (!caller.ok()) return respond(SeeOther("/login"));
    respond(SeeOther(core::IsProviderStaff(caller->viewer.role) ? "/console" : "/portal"));
  });
  router.Add("GET", "/login", [&context](const HttpRequest& request, Respond respond) {
    ShowForm(context, request, std::move(respond));
  });
  router.Add("POST", "/login", [&context](const HttpRequest& request, Respond respond) {
    SubmitForm(context, request, std::move(respond));
  });
  router.Add("POST", "/logout",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller&) {
               SignOutOfSession(context, request, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http

// The API tokens routes (see console_tokens.h).
#include "adapters/http/console_tokens.h"

#include <optional>
#include <string>
#include <utility>

#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_tokens_page.h"
#include "app/store_calls.h"
#include "app/tokens.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kRevokedNotice[] = "token-revoked";

// The page, with the refused form or the new token when there is one.
HttpResponse TokensPage(app::AppContext& context, const WebCaller& web, int status,
                        std::string notice, web::ConsoleTokensView view) {
  absl::StatusOr<std::vector<core::ApiToken>> tokens =
      app::ListApiTokens(context, web.caller.viewer, web.caller.user.id);
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", "API tokens");
  frame.notice = std::move(notice);
  if (!tokens.ok()) {
    const int code = HttpStatusFor(tokens.status()) >= 500 ? HttpStatusFor(tokens.status()) : 500;
    return HtmlPage(code, web::RenderConsoleMessagePage(frame, RefusalText(tokens.status())));
  }
  view.tokens = *std::move(tokens);
  view.may_issue_for_others = web.caller.viewer.role == core::Role::kAdmin;
  HttpResponse response = HtmlPage(status, web::RenderConsoleTokensPage(frame, view));
  response.headers.emplace_back("Cache-Control", "no-store");  // it may hold a new token
  return response;
}

web::ConsoleTokensView WithRefusedForm(web::PostedForm form) {
  web::ConsoleTokensView view;
  view.form = std::move(form);
  return view;
}

void CreateToken(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                 Respond respond) {
  web::PostedForm form;
  form.name = "create";
  std::optional<std::vector<std::pair<std::string, std::string>>> fields = FormFields(request);
  if (fields) form.fields = *std::move(fields);
  std::string name = form.Value("name");
  const std::string owner_email = form.Value("for");
  if (!fields || name.empty() || name.size() > 100) {
    form.error = "name: give the token a name of at most 100 characters";
    return respond(TokensPage(context, web, 400, "", WithRefusedForm(std::move(form))));
  }
  app::TokenOwner owner;
  if (owner_email.empty()) {
    owner.user_id = web.caller.user.id;
  } else {
    owner.email = owner_email;
  }
  app::CreateApiToken(
      context, web.caller.viewer, std::move(owner), std::move(name),
      [&context, web, owner_email, form = std::move(form),
       respond = std::move(respond)](absl::StatusOr<app::IssuedToken> issued) mutable {
        if (!issued.ok()) {
          form.error = absl::IsNotFound(issued.status())
                           ? "for: no active person with that email address"
                           : RefusalText(issued.status());
          return respond(TokensPage(context, web, HttpStatusFor(issued.status()), "",
                                    WithRefusedForm(std::move(form))));
        }
        web::ConsoleTokensView view;
        view.new_secret = issued->secret;
        view.new_token_name = issued->token.name;
        view.new_token_owner = owner_email;
        respond(TokensPage(context, web, 201, "", std::move(view)));
      });
}

void RevokeToken(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                 Respond respond) {
  const absl::StatusOr<int64_t> token_id = IdFromPath(request, "id");
  if (!token_id.ok()) return respond(ConsoleNotFound());
  app::RevokeApiToken(
      context, web.caller.viewer, *token_id,
      [&context, web, respond = std::move(respond)](absl::StatusOr<core::ApiToken> revoked) {
        if (absl::IsNotFound(revoked.status())) return respond(ConsoleNotFound());
        if (!revoked.ok()) {
          return respond(TokensPage(context, web, HttpStatusFor(revoked.status()),
                                    RefusalText(revoked.status()), {}));
        }
        respond(SeeOther(std::string("/console/tokens?notice=") + kRevokedNotice));
      });
}

}  // namespace

void RegisterConsoleTokenRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/console/tokens",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const bool revoked = request.Query("notice").value_or("") == kRevokedNotice;
               respond(TokensPage(context, web, 200, revoked ? "Token revoked." : "", {}));
             }));
  router.Add("POST", "/console/tokens",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               CreateToken(context, request, web, std::move(respond));
             }));
  router.Add("POST", "/console/tokens/{id}/revoke",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               RevokeToken(context, request, web, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http

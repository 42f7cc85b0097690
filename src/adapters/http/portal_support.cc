#include "adapters/http/portal_support.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_message_page.h"
#include "adapters/http/web_session_cookie.h"
#include "adapters/web/console_layout.h"
#include "adapters/web/status_time.h"
#include "app/web_sessions.h"
#include "core/form_data.h"

namespace casedesk::adapters::http {
namespace {

std::string MediaType(const HttpRequest& request) {
  const std::string_view type = request.Header("content-type").value_or("");
  return absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(std::string(type.substr(0, type.find(';')))));
}

// A multipart form's fields and files; nullopt when the body is not a well-formed one.
std::optional<PortalPost> MultipartForm(const HttpRequest& request) {
  const std::string_view type = request.Header("content-type").value_or("");
  absl::StatusOr<std::vector<core::FormDataPart>> parts = core::ParseFormData(type, request.body);
  if (!parts.ok()) return std::nullopt;
  PortalPost post;
  for (core::FormDataPart& part : *parts) {
    if (part.filename) {
      // A file input with nothing chosen arrives as an empty part with an empty name.
      if (part.filename->empty() && part.value.empty()) continue;
      post.files.push_back(
          {*std::move(part.filename), std::move(part.content_type), std::move(part.value)});
    } else {
      post.fields.emplace_back(std::move(part.name), std::move(part.value));
    }
  }
  return post;
}

}  // namespace

std::string PortalPost::Value(std::string_view name) const { return FormValue(fields, name); }

HttpHandler PortalFormAuthenticated(app::AppContext& context, PortalPostHandler handler) {
  return [&context, handler = std::move(handler)](const HttpRequest& request, Respond respond) {
    const std::optional<std::string> token = SessionTokenFrom(request);
    absl::StatusOr<app::Caller> caller =
        token ? app::AuthenticateSession(context, *token)
              : absl::StatusOr<app::Caller>(absl::UnauthenticatedError("no session cookie"));
    if (absl::IsUnauthenticated(caller.status())) {
      HttpResponse response = SeeOther("/login");
      if (token) {
        response.headers.emplace_back("Set-Cookie", ExpiredSessionCookie(context.public_url));
      }
      return respond(std::move(response));
    }
    if (!caller.ok()) {
      return respond(MessagePage(503, "Unavailable",
                                 "The desk is unavailable at the moment; try again shortly."));
    }
    if (CrossSite(request)) {
      return respond(
          MessagePage(403, "Forbidden", "Forbidden: this form was sent from another site."));
    }
    std::optional<PortalPost> post;
    if (MediaType(request) == "multipart/form-data") {
      post = MultipartForm(request);
    } else if (auto fields = FormFields(request)) {
      post = PortalPost{*std::move(fields), {}};
    }
    if (!post || !app::CheckCsrfToken(context.crypto, *token, post->Value("csrf_token"))) {
      return respond(MessagePage(403, "Forbidden",
                                 "Forbidden: the form expired; reload the page and try again."));
    }
    handler(request, std::move(respond),
            WebCaller{*std::move(caller), app::CsrfTokenFor(context.crypto, *token)},
            *std::move(post));
  };
}

absl::StatusOr<PortalPage> LoadPortalPage(app::AppContext& context, app::StatusPageCache& cache,
                                          const WebCaller& web, std::string title,
                                          std::string active) {
  absl::StatusOr<app::PortalIdentity> identity = app::LoadPortalIdentity(context, web.caller);
  if (!identity.ok()) return identity.status();
  PortalPage page;
  page.identity = *std::move(identity);
  page.zone = web::PageTimeZone(page.identity.organisation.time_zone);
  page.now = context.clock.Now();
  web::PortalFrame& frame = page.frame;
  frame.brand_name = page.identity.brand_name;
  frame.org_name = page.identity.organisation.name;
  frame.user_name = web.caller.user.name.empty() ? web.caller.user.email : web.caller.user.name;
  frame.csrf_token = web.csrf_token;
  frame.org_admin = web.caller.viewer.org_admin;
  frame.show_status_link = !page.identity.hides_provider;
  frame.active = std::move(active);
  frame.title = std::move(title);
  // The banner is a courtesy: a status page that cannot be read leaves it out.
  if (absl::StatusOr<std::shared_ptr<const app::StatusPageSnapshot>> snapshot = cache.Snapshot();
      snapshot.ok() && *snapshot) {
    frame.incidents = web::PortalIncidentsFrom(**snapshot, frame.show_status_link);
  }
  return page;
}

HttpResponse PortalNotFound() { return HtmlPage(404, web::RenderNotFoundPage()); }

HttpResponse PortalLoadFailure(const absl::Status& status, std::string_view method) {
  if (absl::IsPermissionDenied(status)) {
    return method == "GET" ? SeeOther("/") : PortalNotFound();
  }
  if (absl::IsNotFound(status)) return PortalNotFound();
  const int code = HttpStatusFor(status) >= 500 ? HttpStatusFor(status) : 500;
  return MessagePage(code, "Unavailable", PortalRefusalText(status));
}

HttpResponse PortalCaseActionRefused(app::AppContext& context, app::StatusPageCache& cache,
                                     const WebCaller& web, core::CaseNumber number,
                                     std::string_view failure, const absl::Status& refusal,
                                     std::string_view method) {
  if (absl::IsNotFound(refusal)) return PortalNotFound();
  absl::StatusOr<PortalPage> page =
      LoadPortalPage(context, cache, web, absl::StrCat("Case #", number), "cases");
  if (!page.ok()) return PortalLoadFailure(page.status(), method);
  return HtmlPage(
      HttpStatusFor(refusal),
      web::RenderPortalMessagePage(
          page->frame, absl::StrCat(std::string(failure), " ", PortalRefusalText(refusal),
                                    " Go back to case #", number, " to try again.")));
}

std::string PortalRefusalText(const absl::Status& status) {
  if (HttpStatusFor(status) >= 500) {
    return "Something went wrong on our side and nothing was changed. Try again in a moment.";
  }
  return std::string(status.message());
}

std::string RefusedField(const absl::Status& status) {
  if (!absl::IsInvalidArgument(status)) return "";
  const std::string message(status.message());
  const size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  const std::string key = message.substr(0, colon);
  for (const char c : key) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '_') return "";
  }
  return std::string(key);
}

std::string RefusalWithoutField(const absl::Status& status) {
  const std::string field = RefusedField(status);
  std::string text = PortalRefusalText(status);
  if (field.empty()) return text;
  text = text.substr(field.size() + 2);
  if (!text.empty()) text[0] = absl::ascii_toupper(static_cast<unsigned char>(text[0]));
  return text;
}

std::string PortalCasePath(int64_t number) { return absl::StrCat("/portal/cases/", number); }

std::string PortalNoticeText(std::string_view code) {
  if (code == "opened") return "Your case is open. We will keep you posted here and by email.";
  if (code == "replied") return "Your reply was added.";
  if (code == "escalated") return "Your escalation request was sent to a support manager.";
  if (code == "reference") return "Your reference number was saved.";
  if (code == "files_failed") {
    return "Your case is open, but some files could not be stored: add them with a reply.";
  }
  return "";
}

}  // namespace casedesk::adapters::http

// The public status page's handlers: no login, served from the StatusPageCache with ETags and
// short public caching. Forms (subscribe, unsubscribe) are plain HTML POSTs that work without
// JavaScript; a cross-site POST (an Origin header naming another host) is refused.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/gzip.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/status_documents.h"
#include "adapters/web/status_page_html.h"
#include "app/status_subscriptions.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kHtml[] = "text/html; charset=utf-8";
constexpr char kJson[] = "application/json; charset=utf-8";
constexpr char kPageCaching[] = "public, max-age=10";
constexpr char kAssetCaching[] = "public, max-age=3600";
constexpr size_t kMinGzipBytes = 1024;

struct V2Route {
  const char* path;
  web::StatusDocument document;
};

constexpr V2Route kV2Routes[] = {
    {"/api/v2/status.json", web::StatusDocument::kStatus},
    {"/api/v2/summary.json", web::StatusDocument::kSummary},
    {"/api/v2/components.json", web::StatusDocument::kComponents},
    {"/api/v2/incidents.json", web::StatusDocument::kIncidents},
    {"/api/v2/incidents/unresolved.json", web::StatusDocument::kIncidentsUnresolved},
    {"/api/v2/scheduled-maintenances.json", web::StatusDocument::kMaintenances},
    {"/api/v2/scheduled-maintenances/upcoming.json", web::StatusDocument::kMaintenancesUpcoming},
    {"/api/v2/scheduled-maintenances/active.json", web::StatusDocument::kMaintenancesActive},
};

bool EtagMatches(const HttpRequest& request, const std::string& etag) {
  const std::optional<std::string_view> header = request.Header("if-none-match");
  if (!header) return false;
  if (*header == "*") return true;
  // A list of tags, possibly weak.
  std::string_view rest = *header;
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view tag = rest.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

// A cached document as the response, or 304 when the client has it.
HttpResponse CachedResponse(const HttpRequest& request, const app::CachedDocument& document,
                            const std::string& content_type, const char* caching) {
  HttpResponse response = content_type == kHtml ? HtmlPage(200, "") : HttpResponse{};
  response.content_type = content_type;
  response.headers.emplace_back("Cache-Control", caching);
  response.headers.emplace_back("ETag", document.etag);
  if (EtagMatches(request, document.etag)) {
    response.status = 304;
    return response;
  }
  response.body = document.body;
  return response;
}

HttpResponse Unavailable(const absl::Status& status) { return ProblemResponse(status); }

// Serves the cached document `key`, rendered by `render` when the snapshot changed.
void ServeDocument(app::StatusPageCache& cache, const HttpRequest& request, const Respond& respond,
                   const std::string& key, const app::StatusPageCache::Renderer& render,
                   const std::string& content_type, bool cross_origin) {
  // Compressed once per version: a 90-day uptime bar per component makes a page of repetitive
  // markup that gzip shrinks about twentyfold.
  absl::StatusOr<std::shared_ptr<const app::CachedDocument>> document = cache.Document(key, render);
  if (!document.ok()) return respond(Unavailable(document.status()));
  // Small documents gain nothing from it.
  const bool gzip = AcceptsGzip(request) && (*document)->body.size() >= kMinGzipBytes;
  if (gzip) {
    document = cache.Document(
        key + ".gz", [&render](const app::StatusPageSnapshot& s) { return Gzip(render(s)); });
    if (!document.ok()) return respond(Unavailable(document.status()));
  }
  HttpResponse response = CachedResponse(request, **document, content_type, kPageCaching);
  response.headers.emplace_back("Vary", "Accept-Encoding");
  if (gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  // Statuspage's widgets read these documents from other sites.
  if (cross_origin) response.headers.emplace_back("Access-Control-Allow-Origin", "*");
  respond(std::move(response));
}

// A message page with the page's chrome (its name, stylesheet).
void RespondMessage(app::StatusPageCache& cache, const Respond& respond, int status,
                    web::StatusMessagePage message) {
  absl::StatusOr<std::shared_ptr<const app::StatusPageSnapshot>> snapshot = cache.Snapshot();
  if (!snapshot.ok()) return respond(Unavailable(snapshot.status()));
  HttpResponse response = HtmlPage(status, web::RenderStatusMessagePage(**snapshot, message));
  response.headers.emplace_back("Cache-Control", "no-store");
  respond(std::move(response));
}

const core::Incident* FindEvent(const app::StatusPageSnapshot& snapshot, core::IncidentId id) {
  for (const auto* list : {&snapshot.incidents, &snapshot.maintenances}) {
    for (const core::Incident& event : *list) {
      if (event.id == id) return &event;
    }
  }
  return nullptr;
}

void RegisterStatusSitePages(Router& router, app::StatusPageCache& cache) {
  router.Add("GET", "/status", [&cache](const HttpRequest& request, Respond respond) {
    ServeDocument(
        cache, request, respond, "page",
        [](const app::StatusPageSnapshot& s) { return web::RenderStatusPage(s, {}); }, kHtml,
        false);
  });
  router.Add(
      "GET", "/status/incidents/{id}", [&cache](const HttpRequest& request, Respond respond) {
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        absl::StatusOr<std::shared_ptr<const app::StatusPageSnapshot>> snapshot = cache.Snapshot();
        if (!snapshot.ok()) return respond(Unavailable(snapshot.status()));
        const core::Incident* event = id.ok() ? FindEvent(**snapshot, *id) : nullptr;
        if (event == nullptr) {
          return RespondMessage(
              cache, respond, 404,
              {.title = "Not found",
               .message = "There is no incident or maintenance with this number."});
        }
        ServeDocument(
            cache, request, respond, absl::StrCat("incident/", *id),
            [id = *id](const app::StatusPageSnapshot& s) {
              const core::Incident* found = FindEvent(s, id);
              return found == nullptr ? std::string() : web::RenderIncidentPage(s, *found, {});
            },
            kHtml, false);
      });
  router.Add("GET", "/status/history.atom", [&cache](const HttpRequest& request, Respond respond) {
    ServeDocument(cache, request, respond, "atom", web::RenderAtomFeed,
                  "application/atom+xml; charset=utf-8", true);
  });
  router.Add("GET", "/status/history.rss", [&cache](const HttpRequest& request, Respond respond) {
    ServeDocument(cache, request, respond, "rss", web::RenderRssFeed,
                  "application/rss+xml; charset=utf-8", true);
  });
  for (const V2Route& route : kV2Routes) {
    const web::StatusDocument document = route.document;
    router.Add("GET", route.path,
               [&cache, document, key = std::string(route.path)](const HttpRequest& request,
                                                                 Respond respond) {
                 ServeDocument(
                     cache, request, respond, key,
                     [document](const app::StatusPageSnapshot& s) {
                       return web::RenderStatusJson(s, document);
                     },
                     kJson, true);
               });
  }
}

void RegisterAssets(Router& router) {
  const auto asset = [](std::string_view body, const char* type) {
    auto document = std::make_shared<app::CachedDocument>();
    document->body = std::string(body);
    document->etag = absl::StrCat("\"", absl::Hex(std::hash<std::string>{}(document->body)), "\"");
    return [document, type](const HttpRequest& request, Respond respond) {
      respond(CachedResponse(request, *document, type, kAssetCaching));
    };
  };
  router.Add("GET", "/static/casedesk.css",
             asset(web::StatusStylesheet(), "text/css; charset=utf-8"));
  router.Add("GET", "/static/status.js",
             asset(web::StatusScript(), "text/javascript; charset=utf-8"));
}

void RegisterSubscriptionForms(Router& router, app::AppContext& context,
                               app::StatusPageCache& cache) {
  router.Add(
      "POST", "/status/subscribe", [&context, &cache](const HttpRequest& request, Respond respond) {
        const std::optional<std::vector<std::pair<std::string, std::string>>> fields =
            FormFields(request);
        if (CrossSite(request)) {
          return RespondMessage(
              cache, respond, 403,
              {.title = "Not allowed", .message = "This form was sent from another site."});
        }
        std::string email;
        std::vector<core::ComponentId> components;
        bool bad_component = false;
        for (const auto& [name, value] : fields.value_or(decltype(*fields){})) {
          if (name == "email") email = value;
          if (name == "component_id") {
            int64_t id = 0;
            if (absl::SimpleAtoi(value, &id) && id > 0) {
              components.push_back(id);
            } else {
              bad_component = true;
            }
          }
        }
        if (!fields || email.empty() || bad_component) {
          return RespondMessage(cache, respond, 400,
                                {.title = "Subscription not saved",
                                 .message = "Please enter your email address and try again."});
        }
        app::SubscribeVisitor(
            context, email, std::move(components),
            [&cache, respond = std::move(respond)](absl::StatusOr<bool> outcome) {
              if (absl::IsInvalidArgument(outcome.status())) {
                return RespondMessage(cache, respond, 400,
                                      {.title = "Subscription not saved",
                                       .message = std::string(outcome.status().message())});
              }
              if (!outcome.ok()) return respond(ProblemResponse(outcome.status()));
              RespondMessage(cache, respond, 200,
                             {.title = "Check your inbox",
                              .message = "We sent you a link to confirm your subscription. Notices "
                                         "start once you have opened it."});
            });
      });
  router.Add(
      "GET", "/status/confirm", [&context, &cache](const HttpRequest& request, Respond respond) {
        const std::string token(request.Query("token").value_or(""));
        app::ConfirmVisitor(
            context, token,
            [&cache,
             respond = std::move(respond)](absl::StatusOr<ports::StatusSubscriber> outcome) {
              if (!outcome.ok() && (absl::IsInvalidArgument(outcome.status()) ||
                                    absl::IsNotFound(outcome.status()))) {
                return RespondMessage(
                    cache, respond, 404,
                    {.title = "Link not valid", .message = "This confirmation link is not valid."});
              }
              if (!outcome.ok()) return respond(ProblemResponse(outcome.status()));
              RespondMessage(
                  cache, respond, 200,
                  {.title = "Subscription confirmed",
                   .message = absl::StrCat("Notices about incidents and maintenance will "
                                           "be sent to ",
                                           outcome->address, ".")});
            });
      });
  // GET asks (mail scanners follow links); POST unsubscribes: the page's button, or a mail
  // client's one-click request (RFC 8058: body "List-Unsubscribe=One-Click").
  router.Add(
      "GET", "/status/unsubscribe",
      [&context, &cache](const HttpRequest& request, Respond respond) {
        const std::string token(request.Query("token").value_or(""));
        if (!app::CheckStatusToken(context.crypto, app::StatusTokenPurpose::kUnsubscribe, token)
                 .ok()) {
          return RespondMessage(
              cache, respond, 404,
              {.title = "Link not valid", .message = "This unsubscribe link is not valid."});
        }
        RespondMessage(cache, respond, 200,
                       {.title = "Unsubscribe",
                        .message = "Stop receiving notices about incidents and maintenance?",
                        .form_action = "/status/unsubscribe",
                        .button_label = "Unsubscribe",
                        .hidden_fields = {{"token", token}}});
      });
  router.Add(
      "POST", "/status/unsubscribe",
      [&context, &cache](const HttpRequest& request, Respond respond) {
        std::string token(request.Query("token").value_or(""));
        if (const auto fields = FormFields(request); fields) {
          for (const auto& [name, value] : *fields) {
            if (name == "token") token = value;
          }
        }
        app::UnsubscribeByToken(
            context, token, [&cache, respond = std::move(respond)](absl::StatusOr<bool> outcome) {
              if (absl::IsInvalidArgument(outcome.status())) {
                return RespondMessage(
                    cache, respond, 404,
                    {.title = "Link not valid", .message = "This unsubscribe link is not valid."});
              }
              if (!outcome.ok()) return respond(ProblemResponse(outcome.status()));
              RespondMessage(
                  cache, respond, 200,
                  {.title = "Unsubscribed",
                   .message = "You will receive no more notices from this status page."});
            });
      });
}

}  // namespace

void RegisterStatusSiteRoutes(Router& router, app::AppContext& context,
                              app::StatusPageCache& cache) {
  RegisterStatusSitePages(router, cache);
  RegisterAssets(router);
  RegisterSubscriptionForms(router, context, cache);
}

}  // namespace casedesk::adapters::http

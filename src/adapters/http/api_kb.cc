// The knowledge base's REST API: articles (create, read, edit = new version, versions), search
// and suggestions, votes and deflections, categories and sections, and drafting an article from
// a case. Reads work signed out (public articles only); what a reader may not see is 404.
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_kb_json.h"
#include "adapters/http/kb_routes.h"
#include "adapters/http/web_session_cookie.h"
#include "app/kb_articles.h"
#include "app/web_sessions.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

using ReaderHandler =
    std::function<void(const HttpRequest&, Respond, const std::optional<app::Caller>&)>;

HttpHandler Reader(app::AppContext& context, ReaderHandler handler) {
  return [&context, handler = std::move(handler)](const HttpRequest& request, Respond respond) {
    absl::StatusOr<std::optional<app::Caller>> reader = OptionalKbReader(context, request);
    if (!reader.ok()) return respond(ProblemResponse(reader.status()));
    handler(request, std::move(respond), *reader);
  };
}

const core::Viewer* ViewerOf(const std::optional<app::Caller>& reader) {
  return reader ? &reader->viewer : nullptr;
}

bool IsStaff(const std::optional<app::Caller>& reader) {
  return core::CanWriteKb(ViewerOf(reader));
}

// A positive integer query parameter (default when absent), at most `max`.
absl::StatusOr<int> QueryLimit(const HttpRequest& request, int fallback, int max) {
  const auto text = request.Query("limit");
  if (!text) return fallback;
  int value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < 1 || value > max) {
    return absl::InvalidArgumentError("limit: must be an integer from 1 to " + std::to_string(max));
  }
  return value;
}

absl::StatusOr<std::optional<int64_t>> KbQueryId(const HttpRequest& request,
                                                 std::string_view name) {
  const auto text = request.Query(name);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < 0) {
    return absl::InvalidArgumentError(std::string(name) + ": must be a non-negative integer");
  }
  return value;
}

HttpResponse Created(const json& body, std::string location) {
  HttpResponse response = JsonResponse(201, body);
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

void SearchRoute(Router& router, app::AppContext& context, std::string path, bool suggest) {
  router.Add("GET", std::move(path),
             Reader(context, [&context, suggest](const HttpRequest& request, Respond respond,
                                                 const std::optional<app::Caller>& reader) {
               const std::string q(request.Query("q").value_or(""));
               absl::StatusOr<int> limit =
                   QueryLimit(request, suggest ? 5 : 20, app::kMaxKbSearchResults);
               if (!limit.ok()) return respond(ProblemResponse(limit.status()));
               absl::StatusOr<std::vector<ports::KbSearchHit>> hits =
                   suggest ? app::SuggestKb(context, ViewerOf(reader), q, *limit)
                           : app::SearchKb(context, ViewerOf(reader), q, *limit);
               if (!hits.ok()) return respond(ProblemResponse(hits.status()));
               json items = json::array();
               for (const ports::KbSearchHit& hit : *hits) items.push_back(KbSearchHitToJson(hit));
               respond(JsonResponse(200, {{"items", std::move(items)}}));
             }));
}

}  // namespace

absl::StatusOr<std::optional<app::Caller>> OptionalKbReader(app::AppContext& context,
                                                            const HttpRequest& request) {
  if (request.Header("authorization")) {
    absl::StatusOr<app::Caller> caller = AuthenticateRequest(context, request);
    if (!caller.ok()) return caller.status();
    return std::optional<app::Caller>(*std::move(caller));
  }
  // A session counts for reads only: a POST carrying just a cookie could come from another site.
  if (request.method == "GET" || request.method == "HEAD") {
    if (const std::optional<std::string> token = SessionTokenFrom(request)) {
      absl::StatusOr<app::Caller> caller = app::AuthenticateSession(context, *token);
      if (caller.ok()) return std::optional<app::Caller>(*std::move(caller));
      if (!absl::IsUnauthenticated(caller.status())) return caller.status();
    }
  }
  return std::optional<app::Caller>();
}

void RegisterKbRoutes(Router& router, app::AppContext& context,
                      const ports::MarkdownRenderer& renderer) {
  RegisterKbApiRoutes(router, context, renderer);
  RegisterHelpCentreRoutes(router, context);
  RegisterConsoleKbRoutes(router, context, renderer);
}

void RegisterKbApiRoutes(Router& router, app::AppContext& context,
                         const ports::MarkdownRenderer& renderer) {
  const ports::MarkdownRenderer* markdown = &renderer;

  router.Add(
      "POST", "/api/v1/kb/articles",
      Authenticated(context, [&context, markdown](const HttpRequest& request, Respond respond,
                                                  const app::Caller& caller) {
        absl::StatusOr<json> body =
            ParseJsonObject(request, context.limits.max_json_body_bytes,
                            {"title", "body", "visibility", "status", "section_id"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<core::KbArticleEdit> edit = KbArticleEditFromJson(*body, true);
        if (!edit.ok()) return respond(ProblemResponse(edit.status()));
        app::CreateKbArticle(
            context, *markdown, caller.viewer, *std::move(edit),
            [respond = std::move(respond)](absl::StatusOr<app::KbArticleView> view) {
              if (!view.ok()) return respond(ProblemResponse(view.status()));
              respond(Created(KbArticleToJson(*view, true),
                              "/api/v1/kb/articles/" + std::to_string(view->article.id)));
            });
      }));

  router.Add("GET", "/api/v1/kb/articles",
             Reader(context, [&context](const HttpRequest& request, Respond respond,
                                        const std::optional<app::Caller>& reader) {
               absl::StatusOr<int> limit = QueryLimit(request, 50, 200);
               if (!limit.ok()) return respond(ProblemResponse(limit.status()));
               absl::StatusOr<std::optional<int64_t>> section = KbQueryId(request, "section_id");
               if (!section.ok()) return respond(ProblemResponse(section.status()));
               absl::StatusOr<std::optional<int64_t>> after = KbQueryId(request, "after");
               if (!after.ok()) return respond(ProblemResponse(after.status()));
               absl::StatusOr<std::vector<core::KbArticle>> articles = app::ListKbArticles(
                   context, ViewerOf(reader), *section, *limit, after->value_or(0));
               if (!articles.ok()) return respond(ProblemResponse(articles.status()));
               json items = json::array();
               for (const core::KbArticle& article : *articles) {
                 items.push_back(KbArticleSummaryToJson(article, IsStaff(reader)));
               }
               json next = static_cast<int>(articles->size()) == *limit ? json(articles->back().id)
                                                                        : json(nullptr);
               respond(JsonResponse(200, {{"items", std::move(items)}, {"next_after", next}}));
             }));

  router.Add("GET", "/api/v1/kb/articles/{id}",
             Reader(context, [&context](const HttpRequest& request, Respond respond,
                                        const std::optional<app::Caller>& reader) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<app::KbArticleView> view =
                   app::GetKbArticle(context, ViewerOf(reader), *id);
               if (!view.ok()) return respond(ProblemResponse(view.status()));
               respond(JsonResponse(200, KbArticleToJson(*view, IsStaff(reader))));
             }));

  router.Add(
      "PATCH", "/api/v1/kb/articles/{id}",
      Authenticated(context, [&context, markdown](const HttpRequest& request, Respond respond,
                                                  const app::Caller& caller) {
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        if (!id.ok()) return respond(ProblemResponse(id.status()));
        if (!core::CanWriteKb(caller.viewer)) {
          // Readers learn nothing about articles they cannot see.
          absl::StatusOr<app::KbArticleView> view = app::GetKbArticle(context, &caller.viewer, *id);
          return respond(ProblemResponse(
              view.ok()
                  ? absl::PermissionDeniedError("only provider staff write the knowledge base")
                  : view.status()));
        }
        absl::StatusOr<json> body =
            ParseJsonObject(request, context.limits.max_json_body_bytes,
                            {"title", "body", "visibility", "status", "section_id"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<core::KbArticleEdit> edit = KbArticleEditFromJson(*body, false);
        if (!edit.ok()) return respond(ProblemResponse(edit.status()));
        app::EditKbArticle(context, *markdown, caller.viewer, *id, *std::move(edit),
                           AnswerWith<app::KbArticleView>(std::move(respond), 200,
                                                          [](const app::KbArticleView& v) {
                                                            return KbArticleToJson(v, true);
                                                          }));
      }));

  router.Add("GET", "/api/v1/kb/articles/{id}/versions",
             Reader(context, [&context](const HttpRequest& request, Respond respond,
                                        const std::optional<app::Caller>& reader) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<std::vector<core::KbVersion>> versions =
                   app::ListKbArticleVersions(context, ViewerOf(reader), *id);
               if (!versions.ok()) return respond(ProblemResponse(versions.status()));
               json items = json::array();
               for (const core::KbVersion& version : *versions) {
                 items.push_back(KbVersionToJson(version));
               }
               respond(JsonResponse(200, {{"items", std::move(items)}}));
             }));

  router.Add("POST", "/api/v1/kb/articles/{id}/votes",
             Reader(context, [&context](const HttpRequest& request, Respond respond,
                                        const std::optional<app::Caller>& reader) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes, {"helpful"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<std::optional<bool>> helpful = OptionalBool(*body, "helpful");
               if (!helpful.ok()) return respond(ProblemResponse(helpful.status()));
               if (!*helpful) {
                 return respond(ProblemResponse(
                     absl::InvalidArgumentError("helpful: required, true or false")));
               }
               app::VoteKbArticle(
                   context, ViewerOf(reader), *id, **helpful,
                   AnswerWith<ports::KbVoteCounts>(
                       std::move(respond), 201, [](const ports::KbVoteCounts& c) {
                         return json{{"helpful", {{"yes", c.helpful_yes}, {"no", c.helpful_no}}}};
                       }));
             }));

  router.Add("POST", "/api/v1/kb/articles/{id}/deflections",
             Reader(context, [&context](const HttpRequest& request, Respond respond,
                                        const std::optional<app::Caller>& reader) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               if (!request.body.empty()) {
                 absl::StatusOr<json> body =
                     ParseJsonObject(request, context.limits.max_json_body_bytes, {});
                 if (!body.ok()) return respond(ProblemResponse(body.status()));
               }
               app::CountKbDeflection(context, ViewerOf(reader), *id,
                                      AnswerWith<int64_t>(std::move(respond), 201, [](int64_t) {
                                        return json{{"counted", true}};
                                      }));
             }));

  SearchRoute(router, context, "/api/v1/kb/search", false);
  SearchRoute(router, context, "/api/v1/kb/suggest", true);

  router.Add("GET", "/api/v1/kb/categories",
             Reader(context, [&context](const HttpRequest& request, Respond respond,
                                        const std::optional<app::Caller>& reader) {
               absl::StatusOr<app::KbTree> tree = app::GetKbTree(context);
               if (!tree.ok()) return respond(ProblemResponse(tree.status()));
               respond(JsonResponse(200, KbTreeToJson(*tree)));
             }));

  router.Add(
      "POST", "/api/v1/kb/categories",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<json> body = ParseJsonObject(request, context.limits.max_json_body_bytes,
                                                    {"name", "description", "position"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        app::NewKbCategory category;
        absl::StatusOr<std::string> name = RequiredString(*body, "name");
        if (!name.ok()) return respond(ProblemResponse(name.status()));
        category.name = *name;
        absl::StatusOr<std::optional<std::string>> description =
            OptionalString(*body, "description");
        if (!description.ok()) return respond(ProblemResponse(description.status()));
        category.description = description->value_or("");
        absl::StatusOr<std::optional<int64_t>> position = OptionalInteger(*body, "position");
        if (!position.ok()) return respond(ProblemResponse(position.status()));
        category.position =
            static_cast<int>(std::clamp<int64_t>(position->value_or(0), -1'000'000, 1'000'000));
        app::CreateKbCategory(
            context, caller.viewer, std::move(category),
            [respond = std::move(respond)](absl::StatusOr<core::KbCategory> created) {
              if (!created.ok()) return respond(ProblemResponse(created.status()));
              respond(Created(KbCategoryToJson(*created),
                              "/api/v1/kb/categories/" + std::to_string(created->id)));
            });
      }));

  router.Add(
      "POST", "/api/v1/kb/sections",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<json> body =
            ParseJsonObject(request, context.limits.max_json_body_bytes,
                            {"category_id", "name", "description", "position"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        app::NewKbSection section;
        absl::StatusOr<std::optional<int64_t>> category = OptionalInteger(*body, "category_id");
        if (!category.ok()) return respond(ProblemResponse(category.status()));
        if (!*category) {
          return respond(ProblemResponse(absl::InvalidArgumentError("category_id: required")));
        }
        section.category_id = **category;
        absl::StatusOr<std::string> name = RequiredString(*body, "name");
        if (!name.ok()) return respond(ProblemResponse(name.status()));
        section.name = *name;
        absl::StatusOr<std::optional<std::string>> description =
            OptionalString(*body, "description");
        if (!description.ok()) return respond(ProblemResponse(description.status()));
        section.description = description->value_or("");
        absl::StatusOr<std::optional<int64_t>> position = OptionalInteger(*body, "position");
        if (!position.ok()) return respond(ProblemResponse(position.status()));
        section.position =
            static_cast<int>(std::clamp<int64_t>(position->value_or(0), -1'000'000, 1'000'000));
        app::CreateKbSection(
            context, caller.viewer, std::move(section),
            [respond = std::move(respond)](absl::StatusOr<core::KbSection> created) {
              if (!created.ok()) return respond(ProblemResponse(created.status()));
              respond(Created(KbSectionToJson(*created),
                              "/api/v1/kb/sections/" + std::to_string(created->id)));
            });
      }));

  router.Add(
      "POST", "/api/v1/cases/{number}/kb-draft",
      Authenticated(context, [&context, markdown](const HttpRequest& request, Respond respond,
                                                  const app::Caller& caller) {
        absl::StatusOr<int64_t> number = IdFromPath(request, "number");
        if (!number.ok()) return respond(ProblemResponse(number.status()));
        std::optional<std::string> text;
        std::optional<std::string> title;
        if (!request.body.empty()) {
          absl::StatusOr<json> body =
              ParseJsonObject(request, context.limits.max_json_body_bytes, {"body", "title"});
          if (!body.ok()) return respond(ProblemResponse(body.status()));
          absl::StatusOr<std::optional<std::string>> given = OptionalString(*body, "body");
          if (!given.ok()) return respond(ProblemResponse(given.status()));
          text = *given;
          absl::StatusOr<std::optional<std::string>> named = OptionalString(*body, "title");
          if (!named.ok()) return respond(ProblemResponse(named.status()));
          title = *named;
        }
        app::DraftKbArticleFromCase(
            context, *markdown, caller.viewer, *number, std::move(text), std::move(title),
            [respond = std::move(respond)](absl::StatusOr<app::KbArticleView> view) {
              if (!view.ok()) return respond(ProblemResponse(view.status()));
              respond(Created(KbArticleToJson(*view, true),
                              "/api/v1/kb/articles/" + std::to_string(view->article.id)));
            });
      }));
}

}  // namespace casedesk::adapters::http

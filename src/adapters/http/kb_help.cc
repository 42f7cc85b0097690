// The help centre's routes: /help (categories, sections and articles), /help/sections/{id},
// /help/articles/{id}, /help/search, the "was this helpful" form and "this solved my problem",
// and /static/kb.js. Pages are open to signed-out readers (public articles only); a signed-in
// customer or partner also sees customers-only articles. Forms carry the session's CSRF token,
// or for signed-out readers the token bound to a pre-session cookie, and work without
// JavaScript (post, redirect, get).
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_kb_json.h"
#include "adapters/http/kb_routes.h"
#include "adapters/http/route_matcher.h"
#include "adapters/http/web_accounts_forms.h"
#include "adapters/http/web_auth.h"
#include "adapters/http/web_session_cookie.h"
#include "adapters/web/kb_pages.h"
#include "app/kb_articles.h"
#include "app/portal_identity.h"
#include "app/web_sessions.h"

namespace casedesk::adapters::http {
namespace {

constexpr int kRecentArticles = 50;

// Who reads a page, and the frame around it.
struct HelpReader {
  std::optional<app::Caller> caller;
  std::optional<std::string> session_token;
  web::HelpFrame frame;
  std::optional<SignedOutForm> signed_out_form;  // set when the response must set its cookie
};

const core::Viewer* ViewerOf(const HelpReader& reader) {
  return reader.caller ? &reader.caller->viewer : nullptr;
}

std::string ProviderName(app::AppContext& context) {
  absl::StatusOr<std::string> name = app::ReadValue<std::string>(
      context.store, [](ports::StoreTransaction& txn) -> absl::StatusOr<std::string> {
        absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
        if (!provider.ok()) return provider.status();
        return *provider ? (*provider)->name : std::string("Support");
      });
  return name.ok() ? *name : "Support";
}

HelpReader ReadHelpReader(app::AppContext& context, const HttpRequest& request, std::string title) {
  HelpReader reader;
  if (std::optional<std::string> token = SessionTokenFrom(request)) {
    absl::StatusOr<app::Caller> caller = app::AuthenticateSession(context, *token);
    if (caller.ok()) {
      reader.caller = *std::move(caller);
      reader.session_token = *token;
    }
  }
  reader.frame.title = std::move(title);
  reader.frame.brand_name = ProviderName(context);
  if (reader.caller) {
    const app::Caller& caller = *reader.caller;
    reader.frame.user_name = caller.user.name.empty() ? caller.user.email : caller.user.name;
    reader.frame.csrf_token = app::CsrfTokenFor(context.crypto, *reader.session_token);
    if (app::MayUsePortal(caller.viewer)) {
      absl::StatusOr<app::PortalIdentity> identity = app::LoadPortalIdentity(context, caller);
      if (identity.ok()) reader.frame.brand_name = identity->brand_name;
    }
  } else {
    SignedOutForm form = PrepareSignedOutForm(request, context.crypto);
    reader.frame.csrf_token = form.csrf_token;
    if (form.new_cookie) reader.signed_out_form = std::move(form);
  }
  return reader;
}

HttpResponse Page(app::AppContext& context, const HelpReader& reader, int status,
                  std::string body) {
  HttpResponse response = HtmlPage(status, std::move(body));
  if (reader.signed_out_form) AddFormCookie(response, *reader.signed_out_form, context.public_url);
  return response;
}

HttpResponse NotFoundPage(app::AppContext& context, HelpReader& reader) {
  reader.frame.title = "Page not found";
  return Page(context, reader, 404,
              web::RenderHelpMessage(reader.frame,
                                     "There is no such page in the help centre, or you may need "
                                     "to sign in to read it."));
}

HttpResponse FailurePage(app::AppContext& context, HelpReader& reader, const absl::Status& status) {
  if (absl::IsNotFound(status)) return NotFoundPage(context, reader);
  reader.frame.title = "Unavailable";
  return Page(context, reader, 503,
              web::RenderHelpMessage(reader.frame,
                                     "The help centre is unavailable at the moment; try again "
                                     "shortly."));
}

std::optional<int64_t> HelpPathId(const HttpRequest& request, const std::string& name) {
  const auto it = request.path_params.find(name);
  if (it == request.path_params.end()) return std::nullopt;
  int64_t id = 0;
  for (const char ch : it->second) {
    if (ch < '0' || ch > '9' || id > 100'000'000'000'000) return std::nullopt;
    id = id * 10 + (ch - '0');
  }
  return id > 0 ? std::optional<int64_t>(id) : std::nullopt;
}

std::string HelpDateText(absl::Time time) {
  return absl::FormatTime("%e %b %Y", time, absl::UTCTimeZone());
}

// A posted help-centre form from this site with a genuine CSRF token (session or signed out).
bool GenuineForm(app::AppContext& context, const HttpRequest& request, const HelpReader& reader,
                 const std::vector<std::pair<std::string, std::string>>& fields) {
  if (CrossSite(request)) return false;
  if (reader.session_token) {
    return app::CheckCsrfToken(context.crypto, *reader.session_token,
                               FormValue(fields, "csrf_token"));
  }
  return SignedOutFormIsGenuine(request, fields, context.crypto);
}

void HomePage(app::AppContext& context, const HttpRequest& request, Respond respond) {
  HelpReader reader = ReadHelpReader(context, request, "Help centre");
  absl::StatusOr<app::KbTree> tree = app::GetKbTree(context);
  if (!tree.ok()) return respond(FailurePage(context, reader, tree.status()));
  absl::StatusOr<std::vector<core::KbArticle>> articles =
      app::ListKbArticles(context, ViewerOf(reader), std::nullopt, kRecentArticles);
  if (!articles.ok()) return respond(FailurePage(context, reader, articles.status()));
  std::map<core::KbSectionId, int> counts;
  std::vector<web::HelpLink> recent;
  for (const core::KbArticle& article : *articles) {
    if (article.section_id) ++counts[*article.section_id];
    if (article.status != core::KbStatus::kPublished) continue;
    recent.push_back({KbArticlePath(article.id), article.published_title, ""});
  }
  std::vector<web::HelpSectionGroup> groups;
  for (const core::KbCategory& category : tree->categories) {
    web::HelpSectionGroup group{category.name, category.description, {}};
    for (const core::KbSection& section : tree->sections) {
      if (section.category_id != category.id) continue;
      group.sections.push_back(
          {absl::StrCat("/help/sections/", section.id), section.name, section.description});
    }
    groups.push_back(std::move(group));
  }
  respond(Page(context, reader, 200, web::RenderHelpHome(reader.frame, groups, recent)));
}

}  // namespace

void RegisterHelpCentreRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/help", [&context](const HttpRequest& request, Respond respond) {
    HomePage(context, request, std::move(respond));
  });

  router.Add("GET", "/help/sections/{id}", [&context](const HttpRequest& request, Respond respond) {
    HelpReader reader = ReadHelpReader(context, request, "Help centre");
    const std::optional<int64_t> id = HelpPathId(request, "id");
    absl::StatusOr<app::KbTree> tree = app::GetKbTree(context);
    if (!tree.ok()) return respond(FailurePage(context, reader, tree.status()));
    const core::KbSection* section = nullptr;
    for (const core::KbSection& candidate : tree->sections) {
      if (id && candidate.id == *id) section = &candidate;
    }
    if (section == nullptr) return respond(NotFoundPage(context, reader));
    absl::StatusOr<std::vector<core::KbArticle>> articles =
        app::ListKbArticles(context, ViewerOf(reader), section->id, 200);
    if (!articles.ok()) return respond(FailurePage(context, reader, articles.status()));
    std::vector<web::HelpLink> links;
    for (const core::KbArticle& article : *articles) {
      if (article.status != core::KbStatus::kPublished) continue;
      links.push_back({KbArticlePath(article.id), article.published_title, ""});
    }
    reader.frame.title = section->name;
    respond(Page(context, reader, 200,
                 web::RenderHelpList(reader.frame, section->description, links,
                                     "No articles in this section yet.")));
  });

  router.Add("GET", "/help/search", [&context](const HttpRequest& request, Respond respond) {
    HelpReader reader = ReadHelpReader(context, request, "Search results");
    const std::string q(request.Query("q").value_or(""));
    reader.frame.query = q;
    absl::StatusOr<std::vector<ports::KbSearchHit>> hits =
        app::SearchKb(context, ViewerOf(reader), q, 20);
    if (absl::IsInvalidArgument(hits.status())) {
      reader.frame.error = "Please use fewer words.";
      hits = std::vector<ports::KbSearchHit>();
    }
    if (!hits.ok()) return respond(FailurePage(context, reader, hits.status()));
    std::vector<web::HelpLink> links;
    for (const ports::KbSearchHit& hit : *hits) {
      links.push_back({KbArticlePath(hit.article_id), hit.title, hit.snippet});
    }
    const std::string lead =
        q.empty() ? ""
                  : absl::StrCat(links.size(), links.size() == 1 ? " article" : " articles",
                                 " for \u201c", q, "\u201d");
    respond(Page(context, reader, 200,
                 web::RenderHelpList(reader.frame, lead, links,
                                     q.empty() ? "Type a few words to search."
                                               : "No article matches. Try other words.")));
  });

  router.Add("GET", "/help/articles/{id}", [&context](const HttpRequest& request, Respond respond) {
    HelpReader reader = ReadHelpReader(context, request, "Article");
    const std::optional<int64_t> id = HelpPathId(request, "id");
    if (!id) return respond(NotFoundPage(context, reader));
    absl::StatusOr<app::KbArticleView> view = app::GetKbArticle(context, ViewerOf(reader), *id);
    if (!view.ok()) return respond(FailurePage(context, reader, view.status()));
    web::HelpArticlePage page;
    page.id = view->article.id;
    page.title = view->shown.title;
    page.body_html = view->shown.body_html;
    page.updated = HelpDateText(view->shown.created_at);
    page.helpful_yes = view->article.helpful_yes;
    page.helpful_no = view->article.helpful_no;
    page.offer_solved = reader.caller.has_value() && request.Query("from") == "new-case";
    if (view->article.section_id) {
      absl::StatusOr<app::KbTree> tree = app::GetKbTree(context);
      if (tree.ok()) {
        for (const core::KbSection& section : tree->sections) {
          if (section.id != *view->article.section_id) continue;
          page.section_name = section.name;
          page.section_href = absl::StrCat("/help/sections/", section.id);
        }
      }
    }
    const auto notice = request.Query("notice");
    if (notice == "voted") reader.frame.notice = "Thank you for your feedback.";
    if (notice == "solved") {
      reader.frame.notice = "Glad it helped: no case was opened. You can still open one any time.";
    }
    reader.frame.title = page.title;
    respond(Page(context, reader, 200, web::RenderHelpArticle(reader.frame, page)));
  });

  router.Add(
      "POST", "/help/articles/{id}/vote", [&context](const HttpRequest& request, Respond respond) {
        HelpReader reader = ReadHelpReader(context, request, "Article");
        const std::optional<int64_t> id = HelpPathId(request, "id");
        const auto fields = FormFields(request);
        if (!id || !fields) return respond(NotFoundPage(context, reader));
        if (!GenuineForm(context, request, reader, *fields)) {
          reader.frame.title = "Forbidden";
          return respond(Page(context, reader, 403,
                              web::RenderHelpMessage(reader.frame,
                                                     "The form expired; reload the page and try "
                                                     "again.")));
        }
        const std::string helpful = FormValue(*fields, "helpful");
        if (helpful != "yes" && helpful != "no") {
          return respond(SeeOther(KbArticlePath(*id)));
        }
        const core::Viewer* viewer = ViewerOf(reader);
        app::VoteKbArticle(
            context, viewer, *id, helpful == "yes",
            [&context, reader = std::move(reader), id = *id,
             respond = std::move(respond)](absl::StatusOr<ports::KbVoteCounts> counts) mutable {
              if (!counts.ok()) return respond(FailurePage(context, reader, counts.status()));
              respond(SeeOther(KbArticlePath(id) + "?notice=voted"));
            });
      });

  router.Add(
      "POST", "/help/articles/{id}/solved",
      [&context](const HttpRequest& request, Respond respond) {
        HelpReader reader = ReadHelpReader(context, request, "Article");
        const std::optional<int64_t> id = HelpPathId(request, "id");
        const auto fields = FormFields(request);
        if (!id || !fields) return respond(NotFoundPage(context, reader));
        if (!GenuineForm(context, request, reader, *fields)) {
          reader.frame.title = "Forbidden";
          return respond(Page(context, reader, 403,
                              web::RenderHelpMessage(reader.frame,
                                                     "The form expired; reload the page and try "
                                                     "again.")));
        }
        const core::Viewer* viewer = ViewerOf(reader);
        app::CountKbDeflection(
            context, viewer, *id,
            [&context, reader = std::move(reader), id = *id,
             respond = std::move(respond)](absl::StatusOr<int64_t> count) mutable {
              if (!count.ok()) {
                return respond(FailurePage(context, reader, count.status()));
              }
              respond(SeeOther(KbArticlePath(id) + "?notice=solved"));
            });
      });

  router.Add("GET", "/static/kb.js", [](const HttpRequest& request, Respond respond) {
    HttpResponse response;
    response.content_type = "text/javascript; charset=utf-8";
    response.body = std::string(web::KbScript());
    response.headers.emplace_back("Cache-Control", "public, max-age=300");
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    respond(std::move(response));
  });
}

}  // namespace casedesk::adapters::http

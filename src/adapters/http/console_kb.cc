// The staff console's knowledge-base routes: /console/kb (list, categories and sections),
// the editor (/console/kb/new, /console/kb/{id}) whose saves are new versions, the article
// picker that answers a case (/console/kb/answer), and "Draft an article from this case"
// (POST /console/cases/{number}/kb-draft). Provider staff only; anyone else gets the plain
// not-found page. Forms post, redirect and get; a refused save shows the form again with what
// was typed and the error beside the field.
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/http/api_kb_json.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/kb_routes.h"
#include "adapters/http/portal_support.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/kb_pages.h"
#include "app/kb_articles.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

bool MayWriteKb(const WebCaller& web) { return core::CanWriteKb(web.caller.viewer); }

web::ConsoleFrame KbFrame(app::AppContext& context, const WebCaller& web, std::string title) {
  return MakeConsoleFrame(context, web, "kb", std::move(title));
}

HttpResponse KbFailure(app::AppContext& context, const WebCaller& web, const absl::Status& status) {
  if (absl::IsNotFound(status)) return ConsoleNotFound();
  const int code = HttpStatusFor(status) >= 400 ? HttpStatusFor(status) : 500;
  const std::string text =
      code >= 500 ? "Something went wrong on our side and nothing was changed. Try again."
                  : std::string(status.message());
  return HtmlPage(code,
                  web::RenderConsoleMessagePage(KbFrame(context, web, "Knowledge base"), text));
}

std::optional<int64_t> PositiveId(std::string_view text) {
  int64_t id = 0;
  if (text.empty() || text.size() > 15) return std::nullopt;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    id = id * 10 + (ch - '0');
  }
  return id > 0 ? std::optional<int64_t>(id) : std::nullopt;
}

std::optional<int64_t> PathId(const HttpRequest& request, const std::string& name) {
  const auto it = request.path_params.find(name);
  return it == request.path_params.end() ? std::nullopt : PositiveId(it->second);
}

std::string DateText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
}

template <typename Enum, typename Table>
std::vector<web::KbOption> EnumOptions(const Table& table, Enum selected) {
  std::vector<web::KbOption> options;
  for (const auto& [value, name] : table) {
    options.push_back({std::string(name), std::string(name), value == selected});
  }
  return options;
}

std::vector<web::KbOption> SectionOptions(const app::KbTree& tree,
                                          std::optional<core::KbSectionId> selected) {
  std::vector<web::KbOption> options = {{"", "(no section)", !selected}};
  std::map<core::KbCategoryId, std::string> categories;
  for (const core::KbCategory& category : tree.categories) categories[category.id] = category.name;
  for (const core::KbSection& section : tree.sections) {
    options.push_back({std::to_string(section.id),
                       absl::StrCat(categories[section.category_id], " \u203a ", section.name),
                       selected == section.id});
  }
  return options;
}

// The editor for `article` (nullopt: a new one) showing `title`/`body` as typed.
HttpResponse EditorPage(app::AppContext& context, const WebCaller& web,
                        const std::optional<app::KbArticleView>& view,
                        const core::KbArticleEdit& typed, const absl::Status& refusal,
                        std::string notice = "") {
  absl::StatusOr<app::KbTree> tree = app::GetKbTree(context);
  if (!tree.ok()) return KbFailure(context, web, tree.status());
  web::KbEditorPage page;
  core::KbVisibility visibility = core::KbVisibility::kInternal;
  core::KbStatus status = core::KbStatus::kDraft;
  std::optional<core::KbSectionId> section;
  if (view) {
    page.id = view->article.id;
    page.title = view->shown.title;
    page.body = view->shown.body;
    page.preview_html = view->shown.body_html;
    visibility = view->article.visibility;
    status = view->article.status;
    section = view->article.section_id;
    if (view->article.source_case) page.source_case = std::to_string(*view->article.source_case);
    absl::StatusOr<std::vector<core::KbVersion>> versions =
        app::ListKbArticleVersions(context, &web.caller.viewer, view->article.id);
    if (!versions.ok()) return KbFailure(context, web, versions.status());
    std::map<core::UserId, std::string> names;
    for (const core::KbVersion& version : *versions) {
      auto name = names.find(version.author_id);
      if (name == names.end()) {
        absl::StatusOr<std::string> found = app::ReadValue<std::string>(
            context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::string> {
              absl::StatusOr<core::User> user = txn.GetUser(version.author_id);
              if (!user.ok()) return std::string("someone");
              return user->name.empty() ? user->email : user->name;
            });
        name = names.emplace(version.author_id, found.ok() ? *found : "someone").first;
      }
      page.versions.push_back({version.number, version.title, name->second,
                               DateText(version.created_at),
                               view->article.published_version == version.number});
    }
  }
  if (typed.title) page.title = *typed.title;
  if (typed.body) page.body = *typed.body;
  if (typed.visibility) visibility = *typed.visibility;
  if (typed.status) status = *typed.status;
  if (typed.section_id) section = *typed.section_id;
  page.visibilities = EnumOptions<core::KbVisibility>(core::kKbVisibilityNames, visibility);
  page.statuses = EnumOptions<core::KbStatus>(core::kKbStatusNames, status);
  page.sections = SectionOptions(*tree, section);
  int code = 200;
  if (!refusal.ok()) {
    code = HttpStatusFor(refusal) >= 500 ? 503 : 400;
    page.field_error = code >= 500 ? "Something went wrong on our side and nothing was saved."
                                   : std::string(refusal.message());
    page.field_error_key = RefusedField(refusal);
  }
  const std::string title = view ? absl::StrCat("Edit: ", view->shown.title) : "New article";
  web::ConsoleFrame frame = KbFrame(context, web, title);
  frame.notice = std::move(notice);
  return HtmlPage(code, web::RenderKbEditor(frame, page));
}

// The edit a posted editor form asks for; the "Save and publish" button publishes.
absl::StatusOr<core::KbArticleEdit> EditFromForm(const Fields& fields) {
  core::KbArticleEdit edit;
  edit.title = FormValue(fields, "title");
  // Browsers send CRLF line ends; the stored Markdown keeps LF.
  std::string body = FormValue(fields, "body");
  std::string normalised;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    normalised += body[i];
  }
  edit.body = std::move(normalised);
  edit.visibility = core::EnumFromName<core::KbVisibility>(core::kKbVisibilityNames,
                                                           FormValue(fields, "visibility"));
  if (!edit.visibility) {
    return absl::InvalidArgumentError("visibility: choose public, customers or internal");
  }
  edit.status =
      FormValue(fields, "publish") == "1"
          ? std::optional<core::KbStatus>(core::KbStatus::kPublished)
          : core::EnumFromName<core::KbStatus>(core::kKbStatusNames, FormValue(fields, "status"));
  if (!edit.status) return absl::InvalidArgumentError("status: choose draft or published");
  const std::string section = FormValue(fields, "section_id");
  if (section.empty()) {
    edit.section_id = std::optional<core::KbSectionId>();
  } else if (std::optional<int64_t> id = PositiveId(section)) {
    edit.section_id = std::optional<core::KbSectionId>(*id);
  } else {
    return absl::InvalidArgumentError("section_id: choose a section");
  }
  return edit;
}

}  // namespace

void RegisterConsoleKbRoutes(Router& router, app::AppContext& context,
                             const ports::MarkdownRenderer& renderer) {
  const ports::MarkdownRenderer* markdown = &renderer;

  router.Add(
      "GET", "/console/kb",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            if (!MayWriteKb(web)) return respond(ConsoleNotFound());
            absl::StatusOr<app::KbTree> tree = app::GetKbTree(context);
            if (!tree.ok()) return respond(KbFailure(context, web, tree.status()));
            absl::StatusOr<std::vector<core::KbArticle>> articles =
                app::ListKbArticles(context, &web.caller.viewer, std::nullopt, 1000);
            if (!articles.ok()) return respond(KbFailure(context, web, articles.status()));
            std::map<core::KbSectionId, std::string> sections;
            for (const core::KbSection& section : tree->sections) {
              sections[section.id] = section.name;
            }
            std::vector<web::KbListEntry> entries;
            for (const core::KbArticle& article : *articles) {
              entries.push_back(
                  {article.id, article.title,
                   std::string(core::NameOf<core::KbStatus>(core::kKbStatusNames, article.status)),
                   std::string(core::NameOf<core::KbVisibility>(core::kKbVisibilityNames,
                                                                article.visibility)),
                   article.section_id ? sections[*article.section_id] : "",
                   DateText(article.updated_at), article.helpful_yes, article.helpful_no,
                   article.deflections});
            }
            std::vector<web::KbOption> categories;
            for (const core::KbCategory& category : tree->categories) {
              categories.push_back({std::to_string(category.id), category.name, false});
            }
            web::ConsoleFrame frame = KbFrame(context, web, "Knowledge base");
            const auto notice = request.Query("notice");
            if (notice == "category") frame.notice = "Category added.";
            if (notice == "section") frame.notice = "Section added.";
            respond(HtmlPage(200, web::RenderKbConsoleList(frame, entries, categories)));
          }));

  router.Add("GET", "/console/kb/new",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayWriteKb(web)) return respond(ConsoleNotFound());
               respond(EditorPage(context, web, std::nullopt, {}, absl::OkStatus()));
             }));

  router.Add(
      "POST", "/console/kb",
      WebAuthenticated(context, [&context, markdown](const HttpRequest& request, Respond respond,
                                                     const WebCaller& web) {
        if (!MayWriteKb(web)) return respond(ConsoleNotFound());
        const Fields fields = FormFields(request).value_or(Fields());
        absl::StatusOr<core::KbArticleEdit> edit = EditFromForm(fields);
        if (!edit.ok()) {
          core::KbArticleEdit typed;
          typed.title = FormValue(fields, "title");
          typed.body = FormValue(fields, "body");
          return respond(EditorPage(context, web, std::nullopt, typed, edit.status()));
        }
        app::CreateKbArticle(
            context, *markdown, web.caller.viewer, *edit,
            [&context, web, typed = *edit,
             respond = std::move(respond)](absl::StatusOr<app::KbArticleView> view) {
              if (!view.ok()) {
                return respond(EditorPage(context, web, std::nullopt, typed, view.status()));
              }
              respond(SeeOther(absl::StrCat("/console/kb/", view->article.id, "?notice=saved")));
            });
      }));

  router.Add("GET", "/console/kb/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayWriteKb(web)) return respond(ConsoleNotFound());
               const std::optional<int64_t> id = PathId(request, "id");
               if (!id) return respond(ConsoleNotFound());
               absl::StatusOr<app::KbArticleView> view =
                   app::GetKbArticle(context, &web.caller.viewer, *id);
               if (!view.ok()) return respond(KbFailure(context, web, view.status()));
               const auto notice = request.Query("notice");
               respond(EditorPage(context, web, *view, {}, absl::OkStatus(),
                                  notice == "saved"     ? "Saved."
                                  : notice == "drafted" ? "Drafted from the case as an internal "
                                                          "draft: review it, then publish."
                                                        : ""));
             }));

  router.Add("POST", "/console/kb/{id}",
             WebAuthenticated(context, [&context, markdown](const HttpRequest& request,
                                                            Respond respond, const WebCaller& web) {
               if (!MayWriteKb(web)) return respond(ConsoleNotFound());
               const std::optional<int64_t> id = PathId(request, "id");
               if (!id) return respond(ConsoleNotFound());
               const Fields fields = FormFields(request).value_or(Fields());
               absl::StatusOr<core::KbArticleEdit> edit = EditFromForm(fields);
               absl::StatusOr<app::KbArticleView> current =
                   app::GetKbArticle(context, &web.caller.viewer, *id);
               if (!current.ok()) return respond(KbFailure(context, web, current.status()));
               if (!edit.ok()) {
                 core::KbArticleEdit typed;
                 typed.title = FormValue(fields, "title");
                 typed.body = FormValue(fields, "body");
                 return respond(EditorPage(context, web, *current, typed, edit.status()));
               }
               app::EditKbArticle(
                   context, *markdown, web.caller.viewer, *id, *edit,
                   [&context, web, typed = *edit, current = *current, id = *id,
                    respond = std::move(respond)](absl::StatusOr<app::KbArticleView> view) {
                     if (!view.ok()) {
                       return respond(EditorPage(context, web, current, typed, view.status()));
                     }
                     respond(SeeOther(absl::StrCat("/console/kb/", id, "?notice=saved")));
                   });
             }));

  router.Add("POST", "/console/kb/categories",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayWriteKb(web)) return respond(ConsoleNotFound());
               const Fields fields = FormFields(request).value_or(Fields());
               app::NewKbCategory category{FormValue(fields, "name"), "", 0};
               app::CreateKbCategory(context, web.caller.viewer, std::move(category),
                                     [&context, web, respond = std::move(respond)](
                                         absl::StatusOr<core::KbCategory> created) {
      if (!created.ok()) return respond(KbFailure(context, web, created.status()));
      respond(SeeOther("/console/kb?notice=category"));
                                     });
             }));

  router.Add("POST", "/console/kb/sections",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayWriteKb(web)) return respond(ConsoleNotFound());
               const Fields fields = FormFields(request).value_or(Fields());
               const std::optional<int64_t> category = PositiveId(FormValue(fields, "category_id"));
               if (!category) {
                 return respond(KbFailure(context, web,
                                          absl::InvalidArgumentError("category_id: choose one")));
               }
               app::NewKbSection section{*category, FormValue(fields, "name"), "", 0};
               app::CreateKbSection(context, web.caller.viewer, std::move(section),
                                    [&context, web, respond = std::move(respond)](
                                        absl::StatusOr<core::KbSection> created) {
      if (!created.ok()) return respond(KbFailure(context, web, created.status()));
      respond(SeeOther("/console/kb?notice=section"));
                                    });
             }));

  router.Add(
      "GET", "/console/kb/answer",
      WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                           const WebCaller& web) {
        if (!MayWriteKb(web)) return respond(ConsoleNotFound());
        const std::optional<int64_t> number = PositiveId(request.Query("case").value_or(""));
        if (!number) return respond(ConsoleNotFound());
        const std::string q(request.Query("q").value_or(""));
        absl::StatusOr<std::vector<ports::KbSearchHit>> hits =
            app::SearchKb(context, &web.caller.viewer, q, 10);
        if (!hits.ok()) return respond(KbFailure(context, web, hits.status()));
        std::vector<web::KbAnswerHit> answers;
        for (const ports::KbSearchHit& hit : *hits) {
          // Only articles the customer can open are offered for a public reply.
          if (hit.visibility == core::KbVisibility::kInternal) continue;
          const std::string url = context.public_url + KbArticlePath(hit.article_id);
          answers.push_back(
              {hit.title, hit.snippet, url,
               absl::StrCat("This article explains how to solve it: ", hit.title, "\n", url)});
        }
        respond(
            HtmlPage(200, web::RenderKbAnswerPage(KbFrame(context, web, "Answer with an article"),
                                                  std::to_string(*number), q, answers)));
      }));

  router.Add(
      "POST", "/console/cases/{number}/kb-draft",
      WebAuthenticated(context, [&context, markdown](const HttpRequest& request, Respond respond,
                                                     const WebCaller& web) {
        if (!MayWriteKb(web)) return respond(ConsoleNotFound());
        const std::optional<int64_t> number = PathId(request, "number");
        if (!number) return respond(ConsoleNotFound());
        app::DraftKbArticleFromCase(
            context, *markdown, web.caller.viewer, *number, std::nullopt, std::nullopt,
            [&context, web, respond = std::move(respond)](absl::StatusOr<app::KbArticleView> view) {
              if (!view.ok()) return respond(KbFailure(context, web, view.status()));
              respond(SeeOther(absl::StrCat("/console/kb/", view->article.id, "?notice=drafted")));
            });
      }));
}

}  // namespace casedesk::adapters::http

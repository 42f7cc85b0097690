#include "app/kb_articles.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/enum_names.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

absl::Status RequireWriter(const core::Viewer& viewer) {
  if (!core::CanWriteKb(viewer)) {
    return absl::PermissionDeniedError("only provider staff write the knowledge base");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::KbRendered> Render(const ports::MarkdownRenderer& renderer,
                                        const std::string& body) {
  absl::StatusOr<ports::RenderedMarkdown> rendered = renderer.Render(body);
  if (!rendered.ok()) return rendered.status();
  return core::KbRendered{std::move(rendered->html), std::move(rendered->text)};
}

// InvalidArgument when the section does not exist (checked before writing: a failed foreign
// key would abort a PostgreSQL transaction).
absl::Status CheckSection(ports::StoreTransaction& txn,
                          const std::optional<std::optional<core::KbSectionId>>& section_id) {
  if (!section_id || !*section_id) return absl::OkStatus();
  absl::StatusOr<std::vector<core::KbSection>> sections = txn.ListKbSections();
  if (!sections.ok()) return sections.status();
  const bool known = std::any_of(sections->begin(), sections->end(),
                                 [&](const core::KbSection& s) { return s.id == **section_id; });
  if (!known) return absl::InvalidArgumentError("section_id: no such section");
  return absl::OkStatus();
}

std::string VisibilityText(core::KbVisibility visibility) {
  return std::string(core::NameOf<core::KbVisibility>(core::kKbVisibilityNames, visibility));
}

std::string StatusText(core::KbStatus status) {
  return std::string(core::NameOf<core::KbStatus>(core::kKbStatusNames, status));
}

// Inside a unit of work: inserts a new article and its first version, with an audit event.
absl::StatusOr<KbArticleView> InsertNewArticle(ports::StoreTransaction& txn,
                                               core::KbRevision revision, core::UserId actor,
                                               std::string event_kind) {
  absl::StatusOr<core::KbArticleId> id = txn.InsertKbArticle(revision.article);
  if (!id.ok()) return id.status();
  revision.article.id = *id;
  revision.version->article_id = *id;
  if (absl::Status status = txn.InsertKbVersion(*revision.version); !status.ok()) return status;
  core::AuditEvent event = MakeAuditEvent(
      "kb_article", absl::StrCat(*id), actor, revision.article.created_at, std::move(event_kind),
      {{"title", "", revision.article.title},
       {"visibility", "", VisibilityText(revision.article.visibility)},
       {"status", "", StatusText(revision.article.status)}});
  if (revision.article.source_case) event.case_number = *revision.article.source_case;
  if (absl::StatusOr<core::EventId> appended = txn.AppendEvent(event); !appended.ok()) {
    return appended.status();
  }
  return KbArticleView{std::move(revision.article), std::move(*revision.version)};
}

absl::Status CheckQuery(const std::string& text) {
  if (text.size() > static_cast<size_t>(kMaxKbQueryBytes)) {
    return absl::InvalidArgumentError(absl::StrCat("q: at most ", kMaxKbQueryBytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ports::KbSearchHit>> RunSearch(AppContext& context,
                                                          const core::Viewer* viewer,
                                                          const std::string& text, int limit,
                                                          bool titles_only) {
  if (absl::Status status = CheckQuery(text); !status.ok()) return status;
  ports::KbSearchQuery query;
  query.text = text;
  query.visibilities = core::KbReadableVisibilities(viewer);
  query.titles_only = titles_only;
  query.limit = std::clamp(limit, 1, kMaxKbSearchResults);
  return ReadValue<std::vector<ports::KbSearchHit>>(
      context.store, [&](ports::StoreTransaction& txn) { return txn.SearchKbArticles(query); });
}

// Inside a unit of work: the article, NotFound unless the reader may read it.
absl::StatusOr<core::KbArticle> ReadableArticle(ports::StoreTransaction& txn,
                                                const core::Viewer* viewer, core::KbArticleId id) {
  absl::StatusOr<core::KbArticle> article = txn.GetKbArticle(id);
  if (!article.ok()) return article.status();
  if (!core::CanReadKbArticle(viewer, *article)) return absl::NotFoundError("article not found");
  return article;
}

}  // namespace

void CreateKbArticle(AppContext& context, const ports::MarkdownRenderer& renderer,
                     const core::Viewer& viewer, core::KbArticleEdit edit,
                     Done<KbArticleView> done) {
  if (absl::Status status = RequireWriter(viewer); !status.ok()) return done(status);
  const absl::Time now = context.clock.Now();
  core::KbRendered rendered;
  if (edit.body) {
    if (absl::Status status = core::ValidateKbBody(*edit.body); !status.ok()) return done(status);
    absl::StatusOr<core::KbRendered> html = Render(renderer, *edit.body);
    if (!html.ok()) return done(html.status());
    rendered = *std::move(html);
  }
  absl::StatusOr<core::KbRevision> revision =
      core::NewKbArticle(edit, rendered, viewer.user_id, now);
  if (!revision.ok()) return done(revision.status());
  WriteValue<KbArticleView>(
      context.store,
      [revision = *std::move(revision), section = edit.section_id,
       actor = viewer.user_id](ports::StoreTransaction& txn) -> absl::StatusOr<KbArticleView> {
        if (absl::Status status = CheckSection(txn, section); !status.ok()) return status;
        return InsertNewArticle(txn, revision, actor, "kb_article.created");
      },
      std::move(done));
}

void EditKbArticle(AppContext& context, const ports::MarkdownRenderer& renderer,
                   const core::Viewer& viewer, core::KbArticleId id, core::KbArticleEdit edit,
                   Done<KbArticleView> done) {
  if (absl::Status status = RequireWriter(viewer); !status.ok()) return done(status);
  const absl::Time now = context.clock.Now();
  std::optional<core::KbRendered> rendered_body;
  if (edit.body) {
    if (absl::Status status = core::ValidateKbBody(*edit.body); !status.ok()) return done(status);
    absl::StatusOr<core::KbRendered> html = Render(renderer, *edit.body);
    if (!html.ok()) return done(html.status());
    rendered_body = *std::move(html);
  }
  WriteValue<KbArticleView>(
      context.store,
      [id, edit = std::move(edit), rendered_body, now,
       actor = viewer.user_id](ports::StoreTransaction& txn) -> absl::StatusOr<KbArticleView> {
        absl::StatusOr<core::KbArticle> current = txn.GetKbArticle(id);
        if (!current.ok()) return current.status();
        absl::StatusOr<core::KbVersion> latest = txn.GetKbVersion(id, current->latest_version);
        if (!latest.ok()) return latest.status();
        if (absl::Status status = CheckSection(txn, edit.section_id); !status.ok()) return status;
        const core::KbRendered rendered =
            rendered_body.value_or(core::KbRendered{latest->body_html, latest->body_text});
        absl::StatusOr<core::KbRevision> revision =
            core::ReviseKbArticle(*current, *latest, edit, rendered, actor, now);
        if (!revision.ok()) return revision.status();
        if (revision->version) {
          if (absl::Status status = txn.InsertKbVersion(*revision->version); !status.ok()) {
            return status;
          }
        }
        if (absl::Status status = txn.UpdateKbArticle(revision->article); !status.ok()) {
          return status;
        }
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "title", current->title, revision->article.title);
        core::RecordChange(changes, "version", absl::StrCat(current->latest_version),
                           absl::StrCat(revision->article.latest_version));
        core::RecordChange(changes, "visibility", VisibilityText(current->visibility),
                           VisibilityText(revision->article.visibility));
        core::RecordChange(changes, "status", StatusText(current->status),
                           StatusText(revision->article.status));
        core::RecordChange(
            changes, "section_id", current->section_id ? absl::StrCat(*current->section_id) : "",
            revision->article.section_id ? absl::StrCat(*revision->article.section_id) : "");
        absl::StatusOr<core::EventId> appended = txn.AppendEvent(MakeAuditEvent(
            "kb_article", absl::StrCat(id), actor, now, "kb_article.revised", std::move(changes)));
        if (!appended.ok()) return appended.status();
        core::KbVersion shown = revision->version ? *revision->version : *latest;
        return KbArticleView{std::move(revision->article), std::move(shown)};
      },
      std::move(done));
}

absl::StatusOr<KbArticleView> GetKbArticle(AppContext& context, const core::Viewer* viewer,
                                           core::KbArticleId id) {
  return ReadValue<KbArticleView>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<KbArticleView> {
        absl::StatusOr<core::KbArticle> article = ReadableArticle(txn, viewer, id);
        if (!article.ok()) return article.status();
        const int number = core::CanWriteKb(viewer) ? article->latest_version
                                                    : article->published_version.value_or(0);
        absl::StatusOr<core::KbVersion> version = txn.GetKbVersion(id, number);
        if (!version.ok()) return version.status();
        return KbArticleView{*std::move(article), *std::move(version)};
      });
}

absl::StatusOr<std::vector<core::KbVersion>> ListKbArticleVersions(AppContext& context,
                                                                   const core::Viewer* viewer,
                                                                   core::KbArticleId id) {
  if (!core::CanWriteKb(viewer)) return absl::NotFoundError("article not found");
  return ReadValue<std::vector<core::KbVersion>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::KbVersion>> {
        absl::StatusOr<core::KbArticle> article = txn.GetKbArticle(id);
        if (!article.ok()) return article.status();
        return txn.ListKbVersions(id);
      });
}

absl::StatusOr<std::vector<core::KbArticle>> ListKbArticles(
    AppContext& context, const core::Viewer* viewer, std::optional<core::KbSectionId> section_id,
    int limit, core::KbArticleId after_id) {
  ports::KbArticleFilter filter;
  filter.section_id = section_id;
  filter.limit = limit;
  filter.after_id = after_id;
  if (!core::CanWriteKb(viewer)) {
    filter.published_only = true;
    filter.visibilities = core::KbReadableVisibilities(viewer);
  }
  return ReadValue<std::vector<core::KbArticle>>(
      context.store, [&](ports::StoreTransaction& txn) { return txn.ListKbArticles(filter); });
}

absl::StatusOr<std::vector<ports::KbSearchHit>> SearchKb(AppContext& context,
                                                         const core::Viewer* viewer,
                                                         const std::string& text, int limit) {
  return RunSearch(context, viewer, text, limit, false);
}

absl::StatusOr<std::vector<ports::KbSearchHit>> SuggestKb(AppContext& context,
                                                          const core::Viewer* viewer,
                                                          const std::string& text, int limit) {
  return RunSearch(context, viewer, text, limit, true);
}

void VoteKbArticle(AppContext& context, const core::Viewer* viewer, core::KbArticleId id,
                   bool helpful, Done<ports::KbVoteCounts> done) {
  std::optional<core::Viewer> reader;
  if (viewer != nullptr) reader = *viewer;
  WriteValue<ports::KbVoteCounts>(
      context.store,
      [reader, id, helpful, now = context.clock.Now()](
          ports::StoreTransaction& txn) -> absl::StatusOr<ports::KbVoteCounts> {
        const core::Viewer* who = reader ? &*reader : nullptr;
        absl::StatusOr<core::KbArticle> article = ReadableArticle(txn, who, id);
        if (!article.ok()) return article.status();
        std::optional<core::UserId> voter;
        if (reader) voter = reader->user_id;
        return txn.RecordKbVote(id, voter, helpful, now);
      },
      std::move(done));
}

void CountKbDeflection(AppContext& context, const core::Viewer* viewer, core::KbArticleId id,
                       Done<int64_t> done) {
  std::optional<core::Viewer> reader;
  if (viewer != nullptr) reader = *viewer;
  WriteValue<int64_t>(
      context.store,
      [reader, id](ports::StoreTransaction& txn) -> absl::StatusOr<int64_t> {
        absl::StatusOr<core::KbArticle> article =
            ReadableArticle(txn, reader ? &*reader : nullptr, id);
        if (!article.ok()) return article.status();
        if (absl::Status status = txn.AddKbDeflection(id); !status.ok()) return status;
        return article->deflections + 1;
      },
      std::move(done));
}

absl::StatusOr<KbTree> GetKbTree(AppContext& context) {
  return ReadValue<KbTree>(
      context.store, [](ports::StoreTransaction& txn) -> absl::StatusOr<KbTree> {
        KbTree tree;
        absl::StatusOr<std::vector<core::KbCategory>> categories = txn.ListKbCategories();
        if (!categories.ok()) return categories.status();
        absl::StatusOr<std::vector<core::KbSection>> sections = txn.ListKbSections();
        if (!sections.ok()) return sections.status();
        tree.categories = *std::move(categories);
        tree.sections = *std::move(sections);
        return tree;
      });
}

void CreateKbCategory(AppContext& context, const core::Viewer& viewer, NewKbCategory request,
                      Done<core::KbCategory> done) {
  if (absl::Status status = RequireWriter(viewer); !status.ok()) return done(status);
  if (absl::Status status = core::ValidateKbName("name", request.name); !status.ok()) {
    return done(status);
  }
  if (absl::Status status = core::ValidateKbDescription(request.description); !status.ok()) {
    return done(status);
  }
  core::KbCategory category;
  category.name = core::TrimKbText(request.name);
  category.description = core::TrimKbText(request.description);
  category.position = request.position;
  category.created_at = context.clock.Now();
  WriteValue<core::KbCategory>(
      context.store,
      [category,
       actor = viewer.user_id](ports::StoreTransaction& txn) -> absl::StatusOr<core::KbCategory> {
        core::KbCategory created = category;
        absl::StatusOr<core::KbCategoryId> id = txn.InsertKbCategory(created);
        if (!id.ok()) return id.status();
        created.id = *id;
        absl::StatusOr<core::EventId> appended = txn.AppendEvent(
            MakeAuditEvent("kb_category", absl::StrCat(*id), actor, created.created_at,
                           "kb_category.created", {{"name", "", created.name}}));
        if (!appended.ok()) return appended.status();
        return created;
      },
      std::move(done));
}

void CreateKbSection(AppContext& context, const core::Viewer& viewer, NewKbSection request,
                     Done<core::KbSection> done) {
  if (absl::Status status = RequireWriter(viewer); !status.ok()) return done(status);
  if (absl::Status status = core::ValidateKbName("name", request.name); !status.ok()) {
    return done(status);
  }
  if (absl::Status status = core::ValidateKbDescription(request.description); !status.ok()) {
    return done(status);
  }
  core::KbSection section;
  section.category_id = request.category_id;
  section.name = core::TrimKbText(request.name);
  section.description = core::TrimKbText(request.description);
  section.position = request.position;
  section.created_at = context.clock.Now();
  WriteValue<core::KbSection>(
      context.store,
      [section,
       actor = viewer.user_id](ports::StoreTransaction& txn) -> absl::StatusOr<core::KbSection> {
        core::KbSection created = section;
        absl::StatusOr<core::KbSectionId> id = txn.InsertKbSection(created);
        if (!id.ok()) return id.status();
        created.id = *id;
        absl::StatusOr<core::EventId> appended = txn.AppendEvent(MakeAuditEvent(
            "kb_section", absl::StrCat(*id), actor, created.created_at, "kb_section.created",
            {{"name", "", created.name}, {"category_id", "", absl::StrCat(created.category_id)}}));
        if (!appended.ok()) return appended.status();
        return created;
      },
      std::move(done));
}

void DraftKbArticleFromCase(AppContext& context, const ports::MarkdownRenderer& renderer,
                            const core::Viewer& viewer, core::CaseNumber number,
                            std::optional<std::string> body, std::optional<std::string> title,
                            Done<KbArticleView> done) {
  if (!core::CanWriteKb(viewer)) return done(absl::NotFoundError("case not found"));
  if (body) {
    if (absl::Status status = core::ValidateKbBody(*body); !status.ok()) return done(status);
  }
  if (title) {
    if (absl::Status status = core::ValidateKbTitle(*title); !status.ok()) return done(status);
  }
  const absl::Time now = context.clock.Now();
  // The solution is read first (a read snapshot), rendered outside the writer, and the draft
  // written in its own unit of work that checks the case again.
  struct Source {
    std::string subject;
    std::string solution;
  };
  absl::StatusOr<Source> source =
      ReadValue<Source>(context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<Source> {
        absl::StatusOr<core::Case> c = txn.GetCase(number);
        if (!c.ok()) return c.status();
        if (!core::CanSeeCase(viewer, *c)) return absl::NotFoundError("case not found");
        Source found{c->subject, body.value_or("")};
        if (body) return found;
        std::map<core::UserId, bool> staff;
        ports::PageRequest page;
        page.limit = 200;
        while (true) {
          absl::StatusOr<ports::Page<core::Comment>> comments =
              txn.ListComments(number, false, page);
          if (!comments.ok()) return comments.status();
          for (const core::Comment& comment : comments->items) {
            auto known = staff.find(comment.author_id);
            if (known == staff.end()) {
              absl::StatusOr<core::User> author = txn.GetUser(comment.author_id);
              const bool is_staff = author.ok() && core::IsProviderStaff(author->role);
              known = staff.emplace(comment.author_id, is_staff).first;
            }
            if (known->second && !core::TrimKbText(comment.body).empty()) {
              found.solution = comment.body;
            }
          }
          if (comments->next_cursor.empty()) break;
          page.cursor = comments->next_cursor;
        }
        if (found.solution.empty()) {
          return absl::FailedPreconditionError(
              "body: the case has no public reply from support to draft from; give a body");
        }
        return found;
      });
  if (!source.ok()) return done(source.status());

  core::KbArticleEdit edit;
  edit.title = title.value_or(source->subject);
  edit.body = source->solution;
  edit.visibility = core::KbVisibility::kInternal;
  edit.status = core::KbStatus::kDraft;
  if (absl::Status status = core::ValidateKbBody(*edit.body); !status.ok()) return done(status);
  absl::StatusOr<core::KbRendered> rendered = Render(renderer, *edit.body);
  if (!rendered.ok()) return done(rendered.status());
  absl::StatusOr<core::KbRevision> revision =
      core::NewKbArticle(edit, *rendered, viewer.user_id, now);
  if (!revision.ok()) return done(revision.status());
  revision->article.source_case = number;
  WriteValue<KbArticleView>(
      context.store,
      [revision = *std::move(revision),
       actor = viewer.user_id](ports::StoreTransaction& txn) -> absl::StatusOr<KbArticleView> {
        return InsertNewArticle(txn, revision, actor, "kb_article.drafted_from_case");
      },
      std::move(done));
}

}  // namespace casedesk::app

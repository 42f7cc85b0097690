// Knowledge-base use cases (issue 7): provider staff write articles (every content change a new
// version, rendered to sanitised HTML on save so reads never render), categories and sections;
// anyone reads what core::CanReadKbArticle allows (signed-out readers are a null viewer), and
// an article a reader may not see is NotFound, never PermissionDenied. Search and suggestions
// pass the reader's visibilities to the store, which applies them in the query. Votes and
// deflections are counted for readers of the article. Staff turn a case's solution into an
// internal draft linked to the case.
// Thread-safety: functions over the thread-safe ports; `renderer` must be thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/kb_article.h"
#include "ports/markdown_renderer.h"
#include "ports/store.h"

namespace casedesk::app {

// An article with the version the reader is shown: the published one for readers other than
// provider staff, the latest for staff.
struct KbArticleView {
  core::KbArticle article;
  core::KbVersion shown;
};

struct KbTree {
  std::vector<core::KbCategory> categories;  // by (position, id)
  std::vector<core::KbSection> sections;     // by (category_id, position, id)
};

struct NewKbCategory {
  std::string name;
  std::string description;
  int position = 0;
};

struct NewKbSection {
  core::KbCategoryId category_id = 0;
  std::string name;
  std::string description;
  int position = 0;
};

inline constexpr int kMaxKbSearchResults = 50;
inline constexpr int kMaxKbQueryBytes = 500;

void CreateKbArticle(AppContext& context, const ports::MarkdownRenderer& renderer,
                     const core::Viewer& viewer, core::KbArticleEdit edit,
                     Done<KbArticleView> done);
void EditKbArticle(AppContext& context, const ports::MarkdownRenderer& renderer,
                   const core::Viewer& viewer, core::KbArticleId id, core::KbArticleEdit edit,
                   Done<KbArticleView> done);
absl::StatusOr<KbArticleView> GetKbArticle(AppContext& context, const core::Viewer* viewer,
                                           core::KbArticleId id);
// Staff only (NotFound for anyone else): the article's versions, newest first.
absl::StatusOr<std::vector<core::KbVersion>> ListKbArticleVersions(AppContext& context,
                                                                   const core::Viewer* viewer,
                                                                   core::KbArticleId id);
// What the reader may read, by id: staff every article (drafts too), others published ones of
// their visibilities. `section_id` narrows to one section.
absl::StatusOr<std::vector<core::KbArticle>> ListKbArticles(
    AppContext& context, const core::Viewer* viewer, std::optional<core::KbSectionId> section_id,
    int limit, core::KbArticleId after_id = 0);
// Full-text search over published articles the reader may read, best first. InvalidArgument
// ("q: ...") for a query over 500 bytes; an empty query finds nothing.
absl::StatusOr<std::vector<ports::KbSearchHit>> SearchKb(AppContext& context,
                                                         const core::Viewer* viewer,
                                                         const std::string& text, int limit);
// Titles matching what is typed so far (the last word as a prefix): a new case's subject.
absl::StatusOr<std::vector<ports::KbSearchHit>> SuggestKb(AppContext& context,
                                                          const core::Viewer* viewer,
                                                          const std::string& text, int limit);
void VoteKbArticle(AppContext& context, const core::Viewer* viewer, core::KbArticleId id,
                   bool helpful, Done<ports::KbVoteCounts> done);
// "This solved my problem": the reader did not open a case. Returns the new count.
void CountKbDeflection(AppContext& context, const core::Viewer* viewer, core::KbArticleId id,
                       Done<int64_t> done);

absl::StatusOr<KbTree> GetKbTree(AppContext& context);
void CreateKbCategory(AppContext& context, const core::Viewer& viewer, NewKbCategory request,
                      Done<core::KbCategory> done);
void CreateKbSection(AppContext& context, const core::Viewer& viewer, NewKbSection request,
                     Done<core::KbSection> done);

// A draft internal article from case `number`'s solution: `body` when given, else the case's
// last public reply by provider staff (FailedPrecondition when there is none); titled after the
// case's subject and linked to the case. Staff who can see the case only (NotFound otherwise).
void DraftKbArticleFromCase(AppContext& context, const ports::MarkdownRenderer& renderer,
                            const core::Viewer& viewer, core::CaseNumber number,
                            std::optional<std::string> body, std::optional<std::string> title,
                            Done<KbArticleView> done);

}  // namespace casedesk::app

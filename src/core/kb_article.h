// The knowledge base's domain: categories hold sections, sections hold articles; an article has
// a visibility (public: anyone, signed out included; customers: signed-in customers and partner
// agents; internal: provider staff only), a status (draft or published) and versions. Every save
// that changes the title or the body is a new version with its author and time; the history is
// kept, and what readers other than provider staff see is the published version. Who may read
// and write is decided here. Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/access.h"
#include "core/ids.h"

namespace casedesk::core {

using KbArticleId = int64_t;
using KbCategoryId = int64_t;
using KbSectionId = int64_t;

enum class KbVisibility { kPublic, kCustomers, kInternal };

inline constexpr std::array<std::pair<KbVisibility, std::string_view>, 3> kKbVisibilityNames{{
    {KbVisibility::kPublic, "public"},
    {KbVisibility::kCustomers, "customers"},
    {KbVisibility::kInternal, "internal"},
}};

enum class KbStatus { kDraft, kPublished };

inline constexpr std::array<std::pair<KbStatus, std::string_view>, 2> kKbStatusNames{{
    {KbStatus::kDraft, "draft"},
    {KbStatus::kPublished, "published"},
}};

inline constexpr size_t kMaxKbTitleBytes = 200;
inline constexpr size_t kMaxKbBodyBytes = 256 * 1024;
inline constexpr size_t kMaxKbNameBytes = 120;
inline constexpr size_t kMaxKbDescriptionBytes = 2000;

struct KbCategory {
  KbCategoryId id = 0;
  std::string name;
  std::string description;
  int position = 0;
  absl::Time created_at = absl::InfinitePast();
};

struct KbSection {
  KbSectionId id = 0;
  KbCategoryId category_id = 0;
  std::string name;
  std::string description;
  int position = 0;
  absl::Time created_at = absl::InfinitePast();
};

// The article as its list entry and access decisions need it. `title` is the latest version's;
// `published_title` and `published_text` are the published version's (what search indexes).
struct KbArticle {
  KbArticleId id = 0;
  std::optional<KbSectionId> section_id;
  std::string title;
  KbVisibility visibility = KbVisibility::kInternal;
  KbStatus status = KbStatus::kDraft;
  int latest_version = 0;
  std::optional<int> published_version;  // set exactly when status is published
  std::string published_title;
  std::string published_text;             // plain text of the published body
  std::optional<CaseNumber> source_case;  // drafted from this case's solution
  UserId created_by = 0;
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
  std::optional<absl::Time> published_at;
  int64_t helpful_yes = 0;
  int64_t helpful_no = 0;
  int64_t deflections = 0;
};

// One saved state of an article: the Markdown source and what it renders to (sanitised HTML,
// and plain text for search), stored so reads never render.
struct KbVersion {
  KbArticleId article_id = 0;
  int number = 0;  // 1, 2, ...
  std::string title;
  std::string body;       // Markdown
  std::string body_html;  // rendered and sanitised
  std::string body_text;  // plain text
  UserId author_id = 0;
  absl::Time created_at = absl::InfinitePast();
};

// What a save asks for; unset fields stay as they are. `section_id` set to nullopt inside
// moves the article out of any section.
struct KbArticleEdit {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<KbVisibility> visibility;
  std::optional<KbStatus> status;
  std::optional<std::optional<KbSectionId>> section_id;
};

// A body rendered by the Markdown port.
struct KbRendered {
  std::string html;
  std::string text;
};

// The article after a save, and the version it wrote (nullopt when title and body were
// unchanged: a status, visibility or section change alone writes no version).
struct KbRevision {
  KbArticle article;
  std::optional<KbVersion> version;
};

// Titles: 1..200 bytes after trimming, no control characters. Bodies: up to 256 KiB, not blank.
// Errors name the field ("title: ...").
absl::Status ValidateKbTitle(std::string_view title);
absl::Status ValidateKbBody(std::string_view body);
// A category's or section's name (1..120 bytes, no control characters) and description.
absl::Status ValidateKbName(std::string_view field, std::string_view name);
absl::Status ValidateKbDescription(std::string_view description);

// Leading and trailing ASCII whitespace removed.
std::string TrimKbText(std::string_view text);

// The visibilities a reader may see published articles of: signed out (nullptr) public only;
// customers and partner agents public and customers; provider staff all three.
std::vector<KbVisibility> KbReadableVisibilities(const Viewer* viewer);

// Provider staff write the knowledge base (articles, categories, sections) and see drafts.
bool CanWriteKb(const Viewer& viewer);
bool CanWriteKb(const Viewer* viewer);

// Staff read every article; anyone else only published ones of a readable visibility.
bool CanReadKbArticle(const Viewer* viewer, const KbArticle& article);

// A new article and its first version. `edit.title` and `edit.body` are required; visibility
// defaults to internal and status to draft. `rendered` is `edit.body` rendered.
absl::StatusOr<KbRevision> NewKbArticle(const KbArticleEdit& edit, const KbRendered& rendered,
                                        UserId author, absl::Time at);

// Applies a save to `current` whose latest version is `latest`. A changed title or body writes
// version latest+1 (`rendered` is the resulting body rendered); publishing makes the latest
// version the published one, a published article saved with new content publishes the new
// version, and status draft withdraws it. InvalidArgument naming the field for bad input.
absl::StatusOr<KbRevision> ReviseKbArticle(const KbArticle& current, const KbVersion& latest,
                                           const KbArticleEdit& edit, const KbRendered& rendered,
                                           UserId author, absl::Time at);

}  // namespace casedesk::core

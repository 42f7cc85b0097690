// What the store keeps and answers for the knowledge base (issue 7): article lists filtered by
// section, status and visibility, full-text search over published articles that applies the
// reader's visibility in the query, and "was this helpful" vote counts.
// Thread-safety: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/kb_article.h"

namespace casedesk::ports {

struct KbArticleFilter {
  std::optional<core::KbSectionId> section_id;
  bool published_only = false;
  // Only articles of these visibilities (empty: all).
  std::vector<core::KbVisibility> visibilities;
  std::optional<core::CaseNumber> source_case;
  int limit = 50;                  // 1..1000
  core::KbArticleId after_id = 0;  // keyset: ids above this, ascending
};

struct KbSearchQuery {
  std::string text;  // the reader's words; the store quotes them, no query syntax is exposed
  // Published articles of these visibilities only (empty: nothing matches).
  std::vector<core::KbVisibility> visibilities;
  // Suggestions while typing: match titles only, the last word as a prefix.
  bool titles_only = false;
  int limit = 10;  // 1..100
};

struct KbSearchHit {
  core::KbArticleId article_id = 0;
  std::string title;    // the published title
  std::string snippet;  // plain text around the match
  core::KbVisibility visibility = core::KbVisibility::kPublic;
  std::optional<core::KbSectionId> section_id;
};

struct KbVoteCounts {
  int64_t helpful_yes = 0;
  int64_t helpful_no = 0;
};

}  // namespace casedesk::ports

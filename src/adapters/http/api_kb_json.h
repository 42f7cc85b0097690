// JSON for the knowledge base's API (issue 7): articles with the version shown, versions,
// search hits, categories with their sections, and the request bodies that create and edit
// articles. What only provider staff may know (the source case, authors, deflections, the
// Markdown source of drafts) is left out for other readers. Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "app/kb_articles.h"
#include "core/kb_article.h"
#include "ports/kb_records.h"

namespace casedesk::adapters::http {

// "/help/articles/12": the article's page in the help centre.
std::string KbArticlePath(core::KbArticleId id);

nlohmann::json KbArticleToJson(const app::KbArticleView& view, bool staff);
nlohmann::json KbArticleSummaryToJson(const core::KbArticle& article, bool staff);
nlohmann::json KbVersionToJson(const core::KbVersion& version);
nlohmann::json KbSearchHitToJson(const ports::KbSearchHit& hit);
nlohmann::json KbTreeToJson(const app::KbTree& tree);
nlohmann::json KbCategoryToJson(const core::KbCategory& category);
nlohmann::json KbSectionToJson(const core::KbSection& section);

// {title, body, visibility, status, section_id}; `creating` requires title and body. A JSON
// null section_id (PATCH) moves the article out of its section.
absl::StatusOr<core::KbArticleEdit> KbArticleEditFromJson(const nlohmann::json& body,
                                                          bool creating);

}  // namespace casedesk::adapters::http

// SqliteTransaction: the knowledge base (issue 7). Articles keep their published title and text
// beside the metadata; triggers (migration 10) keep the FTS5 indexes kb_search (title and text)
// and kb_titles (titles, for suggestions) in step with them, so these methods only write rows.
//
// Search applies the reader's visibilities inside the MATCH (the indexes hold each article's
// visibility; see WithVisibilities), so the index alone decides which rows match, and
// kb_articles is read only for the page shown. Ranking (bm25, titles weighted) must score every
// match, about a microsecond each: fine for the matches of a specific query, not for a word
// found in most of 100,000 articles. So search first counts matches up to kRankedMatches (a
// walk of the index's row ids, no scoring); up to that it ranks, above it the words are too
// common for a ranking to mean much and the newest matching articles come first, a walk that
// stops after the page (bench/kb_search_bench.cc has the figures).
#include <cctype>
#include <string>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kArticleColumns[] =
    "id, section_id, title, visibility, status, latest_version, published_version,"
    " published_title, published_text, source_case, created_by, created_at, updated_at,"
    " published_at, helpful_yes, helpful_no, deflections";
constexpr char kVersionColumns[] =
    "article_id, number, title, body, body_html, body_text, author_id, created_at";

std::string VisibilityName(core::KbVisibility visibility) {
  return std::string(core::NameOf<core::KbVisibility>(core::kKbVisibilityNames, visibility));
}

std::string StatusName(core::KbStatus status) {
  return std::string(core::NameOf<core::KbStatus>(core::kKbStatusNames, status));
}

core::KbArticle ArticleFromRow(const Statement& row) {
  core::KbArticle article;
  article.id = row.Int(0);
  article.section_id = row.OptionalInt(1);
  article.title = row.Text(2);
  article.visibility = EnumFromColumn<core::KbVisibility>(core::kKbVisibilityNames, row.Text(3),
                                                          core::KbVisibility::kInternal);
  article.status =
      EnumFromColumn<core::KbStatus>(core::kKbStatusNames, row.Text(4), core::KbStatus::kDraft);
  article.latest_version = static_cast<int>(row.Int(5));
  if (const std::optional<int64_t> published = row.OptionalInt(6)) {
    article.published_version = static_cast<int>(*published);
  }
  article.published_title = row.Text(7);
  article.published_text = row.Text(8);
  article.source_case = row.OptionalInt(9);
  article.created_by = row.Int(10);
  article.created_at = TimeFromColumn(row.OptionalInt(11));
  article.updated_at = TimeFromColumn(row.OptionalInt(12));
  article.published_at = OptionalTimeFromColumn(row.OptionalInt(13));
  article.helpful_yes = row.Int(14);
  article.helpful_no = row.Int(15);
  article.deflections = row.Int(16);
  return article;
}

core::KbVersion VersionFromRow(const Statement& row) {
  core::KbVersion version;
  version.article_id = row.Int(0);
  version.number = static_cast<int>(row.Int(1));
  version.title = row.Text(2);
  version.body = row.Text(3);
  version.body_html = row.Text(4);
  version.body_text = row.Text(5);
  version.author_id = row.Int(6);
  version.created_at = TimeFromColumn(row.OptionalInt(7));
  return version;
}

// The reader's words as an FTS5 query: each word a quoted phrase (inner quotes doubled), all
// required; words without a letter or digit dropped, so no text is read as query syntax. With
// `titles_only` every phrase is limited to the title and the last is a prefix.
std::string KbMatchExpression(std::string_view text, bool titles_only) {
  std::vector<std::string> phrases;
  size_t position = 0;
  while (position < text.size()) {
    while (position < text.size() && std::isspace(static_cast<unsigned char>(text[position]))) {
      ++position;
    }
    const size_t start = position;
    while (position < text.size() && !std::isspace(static_cast<unsigned char>(text[position]))) {
      ++position;
    }
    const std::string_view word = text.substr(start, position - start);
    const bool has_word_character = std::any_of(word.begin(), word.end(), [](char ch) {
      const auto byte = static_cast<unsigned char>(ch);
      return std::isalnum(byte) || byte >= 0x80;
    });
    if (!has_word_character) continue;
    std::string phrase = "\"";
    for (const char ch : word) {
      if (ch == '"') phrase += '"';
      phrase += ch;
    }
    phrases.push_back(phrase + '"');
  }
  std::string expression;
  for (size_t i = 0; i < phrases.size(); ++i) {
    if (i > 0) expression += " AND ";
    // The reader's words never match the visibility column.
    expression += titles_only ? "published_title : " : "{published_title published_text} : ";
    expression += phrases[i];
    if (titles_only && i + 1 == phrases.size()) expression += " *";
  }
  return expression;
}

// The reader's visibilities inside the MATCH, as what they may not see: "(...) NOT visibility :
// ("internal")". FTS5 evaluates NOT by seeking in the (small) excluded doclists while it walks
// the words' matches, where listing the allowed ones would merge the largest doclists.
std::string WithVisibilities(const std::string& expression,
                             const std::vector<core::KbVisibility>& visibilities) {
  std::string excluded;
  for (const auto& [visibility, name] : core::kKbVisibilityNames) {
    if (std::find(visibilities.begin(), visibilities.end(), visibility) != visibilities.end()) {
      continue;
    }
    excluded += (excluded.empty() ? "\"" : " OR \"") + std::string(name) + "\"";
  }
  if (excluded.empty()) return expression;
  return "(" + expression + ") NOT visibility : (" + excluded + ")";
}

// More matches than this are not ranked (see the file comment).
constexpr int64_t kRankedMatches = 500;

}  // namespace

absl::StatusOr<core::KbCategoryId> SqliteTransaction::InsertKbCategory(
    const core::KbCategory& category) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO kb_categories (name, description, position, created_at)"
                          " VALUES (?, ?, ?, ?)"));
  insert.Bind(1, category.name)
      .Bind(2, category.description)
      .Bind(3, int64_t{category.position})
      .Bind(4, TimeToColumn(category.created_at));
  SQLITE_STORE_RETURN_IF_ERROR(insert.Run());
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::vector<core::KbCategory>> SqliteTransaction::ListKbCategories() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT id, name, description, position, created_at FROM kb_categories"
                          " ORDER BY position, id"));
  return CollectRows<core::KbCategory>(query, [](const Statement& row) {
    core::KbCategory category;
    category.id = row.Int(0);
    category.name = row.Text(1);
    category.description = row.Text(2);
    category.position = static_cast<int>(row.Int(3));
    category.created_at = TimeFromColumn(row.OptionalInt(4));
    return category;
  });
}

absl::StatusOr<core::KbSectionId> SqliteTransaction::InsertKbSection(
    const core::KbSection& section) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO kb_sections (category_id, name, description, position,"
                          " created_at) VALUES (?, ?, ?, ?, ?)"));
  insert.Bind(1, section.category_id)
      .Bind(2, section.name)
      .Bind(3, section.description)
      .Bind(4, int64_t{section.position})
      .Bind(5, TimeToColumn(section.created_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    status = ClassifyWriteError(status, insert, "a section with this id already exists");
    if (absl::IsInvalidArgument(status)) {
      return absl::InvalidArgumentError("category_id: no such category");
    }
    return status;
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::vector<core::KbSection>> SqliteTransaction::ListKbSections() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT id, category_id, name, description, position, created_at"
                          " FROM kb_sections ORDER BY category_id, position, id"));
  return CollectRows<core::KbSection>(query, [](const Statement& row) {
    core::KbSection section;
    section.id = row.Int(0);
    section.category_id = row.Int(1);
    section.name = row.Text(2);
    section.description = row.Text(3);
    section.position = static_cast<int>(row.Int(4));
    section.created_at = TimeFromColumn(row.OptionalInt(5));
    return section;
  });
}

absl::StatusOr<core::KbArticleId> SqliteTransaction::InsertKbArticle(
    const core::KbArticle& article) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO kb_articles (section_id, title, visibility, status, latest_version,"
          " published_version, published_title, published_text, source_case, created_by,"
          " created_at, updated_at, published_at, helpful_yes, helpful_no, deflections)"
          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  std::optional<int64_t> published;
  if (article.published_version) published = *article.published_version;
  insert.Bind(1, article.section_id)
      .Bind(2, article.title)
      .Bind(3, VisibilityName(article.visibility))
      .Bind(4, StatusName(article.status))
      .Bind(5, int64_t{article.latest_version})
      .Bind(6, published)
      .Bind(7, article.published_title)
      .Bind(8, article.published_text)
      .Bind(9, article.source_case)
      .Bind(10, article.created_by)
      .Bind(11, TimeToColumn(article.created_at))
      .Bind(12, TimeToColumn(article.updated_at))
      .Bind(13, OptionalTimeToColumn(article.published_at))
      .Bind(14, article.helpful_yes)
      .Bind(15, article.helpful_no)
      .Bind(16, article.deflections);
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate article");
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::KbArticle> SqliteTransaction::GetKbArticle(core::KbArticleId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kArticleColumns +
                                                    " FROM kb_articles WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("article not found");
  return ArticleFromRow(query);
}

absl::Status SqliteTransaction::UpdateKbArticle(const core::KbArticle& article) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(
          "UPDATE kb_articles SET section_id = ?, title = ?, visibility = ?, status = ?,"
          " latest_version = ?, published_version = ?, published_title = ?, published_text = ?,"
          " source_case = ?, updated_at = ?, published_at = ? WHERE id = ?"));
  std::optional<int64_t> published;
  if (article.published_version) published = *article.published_version;
  update.Bind(1, article.section_id)
      .Bind(2, article.title)
      .Bind(3, VisibilityName(article.visibility))
      .Bind(4, StatusName(article.status))
      .Bind(5, int64_t{article.latest_version})
      .Bind(6, published)
      .Bind(7, article.published_title)
      .Bind(8, article.published_text)
      .Bind(9, article.source_case)
      .Bind(10, TimeToColumn(article.updated_at))
      .Bind(11, OptionalTimeToColumn(article.published_at))
      .Bind(12, article.id);
  absl::Status status = update.Run();
  if (!status.ok()) return ClassifyWriteError(status, update, "duplicate article");
  if (connection_.Changes() == 0) return absl::NotFoundError("article not found");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::KbArticle>> SqliteTransaction::ListKbArticles(
    const ports::KbArticleFilter& filter) {
  std::string sql = std::string("SELECT ") + kArticleColumns + " FROM kb_articles WHERE id > ?";
  if (filter.section_id) sql += " AND section_id = ?";
  if (filter.source_case) sql += " AND source_case = ?";
  if (filter.published_only) sql += " AND status = 'published'";
  if (!filter.visibilities.empty()) {
    sql += " AND visibility IN (" + Placeholders(filter.visibilities.size()) + ")";
  }
  sql += " ORDER BY id LIMIT ?";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  int index = 1;
  query.Bind(index++, filter.after_id);
  if (filter.section_id) query.Bind(index++, *filter.section_id);
  if (filter.source_case) query.Bind(index++, *filter.source_case);
  for (const core::KbVisibility visibility : filter.visibilities) {
    query.Bind(index++, VisibilityName(visibility));
  }
  query.Bind(index, int64_t{ClampLimit(filter.limit)});
  return CollectRows<core::KbArticle>(query, ArticleFromRow);
}

absl::Status SqliteTransaction::InsertKbVersion(const core::KbVersion& version) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert, connection_.Prepare(std::string("INSERT INTO kb_versions (") +
                                            kVersionColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, version.article_id)
      .Bind(2, int64_t{version.number})
      .Bind(3, version.title)
      .Bind(4, version.body)
      .Bind(5, version.body_html)
      .Bind(6, version.body_text)
      .Bind(7, version.author_id)
      .Bind(8, TimeToColumn(version.created_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, "this version of the article already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::KbVersion> SqliteTransaction::GetKbVersion(core::KbArticleId article_id,
                                                                int number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kVersionColumns +
                          " FROM kb_versions WHERE article_id = ? AND number = ?"));
  query.Bind(1, article_id).Bind(2, int64_t{number});
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("article version not found");
  return VersionFromRow(query);
}

absl::StatusOr<std::vector<core::KbVersion>> SqliteTransaction::ListKbVersions(
    core::KbArticleId article_id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kVersionColumns +
                          " FROM kb_versions WHERE article_id = ? ORDER BY number DESC"));
  query.Bind(1, article_id);
  return CollectRows<core::KbVersion>(query, VersionFromRow);
}

absl::StatusOr<std::vector<ports::KbSearchHit>> SqliteTransaction::SearchKbArticles(
    const ports::KbSearchQuery& search) {
  std::vector<ports::KbSearchHit> hits;
  const std::string words = KbMatchExpression(search.text, search.titles_only);
  if (words.empty() || search.visibilities.empty()) return hits;
  const std::string match = WithVisibilities(words, search.visibilities);
  // Suggestions search the titles' own index (migration 10).
  const std::string index = search.titles_only ? "kb_titles" : "kb_search";

  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement count, connection_.Prepare("SELECT count(*) FROM (SELECT rowid FROM " + index +
                                           " WHERE " + index + " MATCH ? LIMIT ?)"));
  count.Bind(1, match).Bind(2, kRankedMatches + 1);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool counted, count.Step());
  if (!counted || count.Int(0) == 0) return hits;
  const bool ranked = count.Int(0) <= kRankedMatches;

  // Snippets come from the text column (1; the title in kb_titles); an empty highlight keeps
  // them plain text. The inner query runs on the index alone (FTS5 orders by rank or row id
  // itself and computes snippets for the rows it returns); the outer one reads the page's
  // articles.
  const std::string sql =
      "SELECT a.id, a.published_title, hit.snippet, a.visibility, a.section_id"
      " FROM (SELECT rowid AS id, snippet(" +
      index + ", " + (search.titles_only ? "0" : "1") + ", '', '', '...', 20) AS snippet, " +
      (ranked ? "rank" : "-rowid") + " AS position FROM " + index + " WHERE " + index +
      " MATCH ? ORDER BY " + (ranked ? "rank" : "rowid DESC") +
      " LIMIT ?) AS hit JOIN kb_articles a ON a.id = hit.id WHERE a.status = 'published'"
      " ORDER BY hit.position";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  query.Bind(1, match).Bind(2, int64_t{std::clamp(search.limit, 1, 100)});
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    ports::KbSearchHit hit;
    hit.article_id = query.Int(0);
    hit.title = query.Text(1);
    hit.snippet = query.Text(2);
    hit.visibility = EnumFromColumn<core::KbVisibility>(core::kKbVisibilityNames, query.Text(3),
                                                        core::KbVisibility::kInternal);
    hit.section_id = query.OptionalInt(4);
    hits.push_back(std::move(hit));
  }
  return hits;
}

absl::StatusOr<ports::KbVoteCounts> SqliteTransaction::RecordKbVote(
    core::KbArticleId article_id, std::optional<core::UserId> user_id, bool helpful,
    absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  int64_t add_yes = helpful ? 1 : 0;
  int64_t add_no = helpful ? 0 : 1;
  if (user_id) {
    // A signed-in voter's earlier vote is taken back before the new one counts.
    SQLITE_STORE_ASSIGN_OR_RETURN(
        Statement previous,
        connection_.Prepare("SELECT helpful FROM kb_votes WHERE article_id = ? AND user_id = ?"));
    previous.Bind(1, article_id).Bind(2, *user_id);
    SQLITE_STORE_ASSIGN_OR_RETURN(bool voted, previous.Step());
    if (voted) {
      if (previous.Int(0) != 0) {
        --add_yes;
      } else {
        --add_no;
      }
    }
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update, connection_.Prepare("UPDATE kb_articles SET helpful_yes = helpful_yes + ?,"
                                            " helpful_no = helpful_no + ? WHERE id = ?"
                                            " RETURNING helpful_yes, helpful_no"));
  update.Bind(1, add_yes).Bind(2, add_no).Bind(3, article_id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, update.Step());
  if (!found) return absl::NotFoundError("article not found");
  const ports::KbVoteCounts counts{update.Int(0), update.Int(1)};
  SQLITE_STORE_ASSIGN_OR_RETURN(bool done, update.Step());
  (void)done;
  if (user_id) {
    SQLITE_STORE_ASSIGN_OR_RETURN(
        Statement upsert,
        connection_.Prepare("INSERT INTO kb_votes (article_id, user_id, helpful, voted_at)"
                            " VALUES (?, ?, ?, ?) ON CONFLICT (article_id, user_id) DO UPDATE"
                            " SET helpful = excluded.helpful, voted_at = excluded.voted_at"));
    upsert.Bind(1, article_id)
        .Bind(2, *user_id)
        .Bind(3, int64_t{helpful ? 1 : 0})
        .Bind(4, absl::ToUnixMicros(at));
    absl::Status status = upsert.Run();
    if (!status.ok()) return ClassifyWriteError(status, upsert, "duplicate vote");
  }
  return counts;
}

absl::Status SqliteTransaction::AddKbDeflection(core::KbArticleId article_id) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE kb_articles SET deflections = deflections + 1 WHERE id = ?"));
  update.Bind(1, article_id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) return absl::NotFoundError("article not found");
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::sqlite

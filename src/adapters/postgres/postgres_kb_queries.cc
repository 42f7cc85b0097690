// PostgresTransaction: the knowledge base (issue 7). kb_articles carries a generated tsvector of
// its published title (weight A) and text (weight B) with a GIN index over published rows
// (migration 10), so writes only write rows. Search matches with plainto_tsquery (no query
// syntax from the reader), or for suggestions a prefix tsquery built here from the words'
// letters and digits only, restricted to the title's weight; the reader's visibilities are a
// condition of the same statement. ts_headline runs only on the page of hits.
#include <cctype>
#include <string>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kArticleColumns =
    "id, section_id, title, visibility, status, latest_version, published_version,"
    " published_title, published_text, source_case, created_by, created_at, updated_at,"
    " published_at, helpful_yes, helpful_no, deflections";
const std::string kVersionColumns =
    "article_id, number, title, body, body_html, body_text, author_id, created_at";

std::string VisibilityName(core::KbVisibility visibility) {
  return std::string(core::NameOf<core::KbVisibility>(core::kKbVisibilityNames, visibility));
}

std::string StatusName(core::KbStatus status) {
  return std::string(core::NameOf<core::KbStatus>(core::kKbStatusNames, status));
}

// A text[] literal of visibility names (fixed words, nothing to quote).
std::string VisibilityArray(const std::vector<core::KbVisibility>& visibilities) {
  std::string literal = "{";
  for (size_t i = 0; i < visibilities.size(); ++i) {
    literal += (i == 0 ? "" : ",") + VisibilityName(visibilities[i]);
  }
  return literal + "}";
}

std::optional<int64_t> OptionalVersion(const std::optional<int>& version) {
  if (!version) return std::nullopt;
  return int64_t{*version};
}

core::KbArticle ArticleFromRow(const PgResult& rows, int row) {
  core::KbArticle article;
  article.id = rows.Int(row, 0);
  article.section_id = rows.OptionalInt(row, 1);
  article.title = std::string(rows.Text(row, 2));
  article.visibility = EnumFromColumn<core::KbVisibility>(
      core::kKbVisibilityNames, rows.Text(row, 3), core::KbVisibility::kInternal);
  article.status = EnumFromColumn<core::KbStatus>(core::kKbStatusNames, rows.Text(row, 4),
                                                  core::KbStatus::kDraft);
  article.latest_version = static_cast<int>(rows.Int(row, 5));
  if (const std::optional<int64_t> published = rows.OptionalInt(row, 6)) {
    article.published_version = static_cast<int>(*published);
  }
  article.published_title = std::string(rows.Text(row, 7));
  article.published_text = std::string(rows.Text(row, 8));
  article.source_case = rows.OptionalInt(row, 9);
  article.created_by = rows.Int(row, 10);
  article.created_at = TimeFromColumn(rows.OptionalInt(row, 11));
  article.updated_at = TimeFromColumn(rows.OptionalInt(row, 12));
  article.published_at = OptionalTimeFromColumn(rows.OptionalInt(row, 13));
  article.helpful_yes = rows.Int(row, 14);
  article.helpful_no = rows.Int(row, 15);
  article.deflections = rows.Int(row, 16);
  return article;
}

core::KbVersion VersionFromRow(const PgResult& rows, int row) {
  core::KbVersion version;
  version.article_id = rows.Int(row, 0);
  version.number = static_cast<int>(rows.Int(row, 1));
  version.title = std::string(rows.Text(row, 2));
  version.body = std::string(rows.Text(row, 3));
  version.body_html = std::string(rows.Text(row, 4));
  version.body_text = std::string(rows.Text(row, 5));
  version.author_id = rows.Int(row, 6);
  version.created_at = TimeFromColumn(rows.OptionalInt(row, 7));
  return version;
}

// "word & word & last:*A" from the letters and digits of the reader's words (any other
// character separates words), or "" when there are none: a prefix match on titles.
std::string TitlePrefixQuery(std::string_view text) {
  std::vector<std::string> words(1);
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (std::isalnum(byte) || byte >= 0x80) {
      words.back() += ch;
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  std::string query;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) query += " & ";
    query += words[i] + (i + 1 == words.size() ? ":*A" : ":A");
  }
  return query;
}

}  // namespace

absl::StatusOr<core::KbCategoryId> PostgresTransaction::InsertKbCategory(
    const core::KbCategory& category) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO kb_categories (name, description, position, created_at)"
                          " VALUES ($1, $2, $3, $4) RETURNING id",
                          PgParams()
                              .Add(category.name)
                              .Add(category.description)
                              .Add(int64_t{category.position})
                              .Add(TimeToColumn(category.created_at))));
  return inserted.Int(0, 0);
}

absl::StatusOr<std::vector<core::KbCategory>> PostgresTransaction::ListKbCategories() {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT id, name, description, position, created_at FROM kb_categories"
                          " ORDER BY position, id"));
  std::vector<core::KbCategory> categories;
  for (int row = 0; row < rows.rows(); ++row) {
    core::KbCategory category;
    category.id = rows.Int(row, 0);
    category.name = std::string(rows.Text(row, 1));
    category.description = std::string(rows.Text(row, 2));
    category.position = static_cast<int>(rows.Int(row, 3));
    category.created_at = TimeFromColumn(rows.OptionalInt(row, 4));
    categories.push_back(std::move(category));
  }
  return categories;
}

absl::StatusOr<core::KbSectionId> PostgresTransaction::InsertKbSection(
    const core::KbSection& section) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // Checked first: a failed foreign key would abort the whole transaction.
  PG_STORE_ASSIGN_OR_RETURN(PgResult category,
                            connection_.Execute("SELECT 1 FROM kb_categories WHERE id = $1",
                                                PgParams().Add(section.category_id)));
  if (category.rows() == 0) return absl::InvalidArgumentError("category_id: no such category");
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO kb_sections (category_id, name, description, position,"
                          " created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                          PgParams()
                              .Add(section.category_id)
                              .Add(section.name)
                              .Add(section.description)
                              .Add(int64_t{section.position})
                              .Add(TimeToColumn(section.created_at))));
  return inserted.Int(0, 0);
}

absl::StatusOr<std::vector<core::KbSection>> PostgresTransaction::ListKbSections() {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT id, category_id, name, description, position, created_at"
                          " FROM kb_sections ORDER BY category_id, position, id"));
  std::vector<core::KbSection> sections;
  for (int row = 0; row < rows.rows(); ++row) {
    core::KbSection section;
    section.id = rows.Int(row, 0);
    section.category_id = rows.Int(row, 1);
    section.name = std::string(rows.Text(row, 2));
    section.description = std::string(rows.Text(row, 3));
    section.position = static_cast<int>(rows.Int(row, 4));
    section.created_at = TimeFromColumn(rows.OptionalInt(row, 5));
    sections.push_back(std::move(section));
  }
  return sections;
}

absl::StatusOr<core::KbArticleId> PostgresTransaction::InsertKbArticle(
    const core::KbArticle& article) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute(
          "INSERT INTO kb_articles (section_id, title, visibility, status, latest_version,"
          " published_version, published_title, published_text, source_case, created_by,"
          " created_at, updated_at, published_at, helpful_yes, helpful_no, deflections)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
          " RETURNING id",
          PgParams()
              .Add(article.section_id)
              .Add(article.title)
              .Add(VisibilityName(article.visibility))
              .Add(StatusName(article.status))
              .Add(int64_t{article.latest_version})
              .Add(OptionalVersion(article.published_version))
              .Add(article.published_title)
              .Add(article.published_text)
              .Add(article.source_case)
              .Add(article.created_by)
              .Add(TimeToColumn(article.created_at))
              .Add(TimeToColumn(article.updated_at))
              .Add(OptionalTimeToColumn(article.published_at))
              .Add(article.helpful_yes)
              .Add(article.helpful_no)
              .Add(article.deflections)));
  return inserted.Int(0, 0);
}

absl::StatusOr<core::KbArticle> PostgresTransaction::GetKbArticle(core::KbArticleId id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kArticleColumns + " FROM kb_articles WHERE id = $1",
                          PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("article not found");
  return ArticleFromRow(rows, 0);
}

absl::Status PostgresTransaction::UpdateKbArticle(const core::KbArticle& article) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute(
          "UPDATE kb_articles SET section_id = $2, title = $3, visibility = $4, status = $5,"
          " latest_version = $6, published_version = $7, published_title = $8,"
          " published_text = $9, source_case = $10, updated_at = $11, published_at = $12"
          " WHERE id = $1",
          PgParams()
              .Add(article.id)
              .Add(article.section_id)
              .Add(article.title)
              .Add(VisibilityName(article.visibility))
              .Add(StatusName(article.status))
              .Add(int64_t{article.latest_version})
              .Add(OptionalVersion(article.published_version))
              .Add(article.published_title)
              .Add(article.published_text)
              .Add(article.source_case)
              .Add(TimeToColumn(article.updated_at))
              .Add(OptionalTimeToColumn(article.published_at))));
  if (updated.affected() == 0) return absl::NotFoundError("article not found");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::KbArticle>> PostgresTransaction::ListKbArticles(
    const ports::KbArticleFilter& filter) {
  std::string sql = "SELECT " + kArticleColumns + " FROM kb_articles WHERE id > $1";
  PgParams params;
  params.Add(filter.after_id);
  int index = 2;
  if (filter.section_id) {
    sql += " AND section_id = $" + std::to_string(index++);
    params.Add(*filter.section_id);
  }
  if (filter.source_case) {
    sql += " AND source_case = $" + std::to_string(index++);
    params.Add(*filter.source_case);
  }
  if (filter.published_only) sql += " AND status = 'published'";
  if (!filter.visibilities.empty()) {
    sql += " AND visibility = ANY($" + std::to_string(index++) + "::text[])";
    params.Add(VisibilityArray(filter.visibilities));
  }
  sql += " ORDER BY id LIMIT $" + std::to_string(index);
  params.Add(int64_t{ClampLimit(filter.limit)});
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  std::vector<core::KbArticle> articles;
  for (int row = 0; row < rows.rows(); ++row) articles.push_back(ArticleFromRow(rows, row));
  return articles;
}

absl::Status PostgresTransaction::InsertKbVersion(const core::KbVersion& version) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO kb_versions (" + kVersionColumns +
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
                          PgParams()
                              .Add(version.article_id)
                              .Add(int64_t{version.number})
                              .Add(version.title)
                              .Add(version.body)
                              .Add(version.body_html)
                              .Add(version.body_text)
                              .Add(version.author_id)
                              .Add(TimeToColumn(version.created_at))));
  if (inserted.affected() == 0) {
    return absl::AlreadyExistsError("this version of the article already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::KbVersion> PostgresTransaction::GetKbVersion(core::KbArticleId article_id,
                                                                  int number) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute(
          "SELECT " + kVersionColumns + " FROM kb_versions WHERE article_id = $1 AND number = $2",
          PgParams().Add(article_id).Add(int64_t{number})));
  if (rows.rows() == 0) return absl::NotFoundError("article version not found");
  return VersionFromRow(rows, 0);
}

absl::StatusOr<std::vector<core::KbVersion>> PostgresTransaction::ListKbVersions(
    core::KbArticleId article_id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kVersionColumns +
                              " FROM kb_versions WHERE article_id = $1 ORDER BY number DESC",
                          PgParams().Add(article_id)));
  std::vector<core::KbVersion> versions;
  for (int row = 0; row < rows.rows(); ++row) versions.push_back(VersionFromRow(rows, row));
  return versions;
}

absl::StatusOr<std::vector<ports::KbSearchHit>> PostgresTransaction::SearchKbArticles(
    const ports::KbSearchQuery& search) {
  std::vector<ports::KbSearchHit> hits;
  if (search.visibilities.empty()) return hits;
  std::string query_expression;
  std::string query_text;
  if (search.titles_only) {
    query_text = TitlePrefixQuery(search.text);
    query_expression = "to_tsquery('english', $1)";
  } else {
    query_text = search.text;
    query_expression = "plainto_tsquery('english', $1)";
  }
  if (query_text.empty()) return hits;
  // The inner query ranks with the GIN index (its condition repeats the index's predicate); the
  // outer one builds snippets for the page only.
  const std::string sql =
      "SELECT a.id, a.published_title, ts_headline('english', a.published_text, q,"
      " 'StartSel=\"\", StopSel=\"\", MaxWords=30, MinWords=10, MaxFragments=1,"
      " FragmentDelimiter=\"...\"'), a.visibility, a.section_id FROM ("
      " SELECT id, ts_rank(search_document, q) AS rank, q FROM kb_articles, " +
      query_expression +
      " AS q WHERE status = 'published' AND search_document @@ q"
      " AND visibility = ANY($2::text[]) ORDER BY rank DESC, id LIMIT $3) AS hit"
      " JOIN kb_articles a ON a.id = hit.id ORDER BY hit.rank DESC, hit.id";
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute(sql, PgParams()
                                                  .Add(query_text)
                                                  .Add(VisibilityArray(search.visibilities))
                                                  .Add(int64_t{std::clamp(search.limit, 1, 100)})));
  for (int row = 0; row < rows.rows(); ++row) {
    ports::KbSearchHit hit;
    hit.article_id = rows.Int(row, 0);
    hit.title = std::string(rows.Text(row, 1));
    hit.snippet = std::string(rows.Text(row, 2));
    hit.visibility = EnumFromColumn<core::KbVisibility>(core::kKbVisibilityNames, rows.Text(row, 3),
                                                        core::KbVisibility::kInternal);
    hit.section_id = rows.OptionalInt(row, 4);
    hits.push_back(std::move(hit));
  }
  return hits;
}

absl::StatusOr<ports::KbVoteCounts> PostgresTransaction::RecordKbVote(
    core::KbArticleId article_id, std::optional<core::UserId> user_id, bool helpful,
    absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // The article row is locked first, so concurrent votes of one user count once.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult article,
      connection_.Execute("SELECT id FROM kb_articles WHERE id = $1 FOR NO KEY UPDATE",
                          PgParams().Add(article_id)));
  if (article.rows() == 0) return absl::NotFoundError("article not found");
  int64_t add_yes = helpful ? 1 : 0;
  int64_t add_no = helpful ? 0 : 1;
  if (user_id) {
    PG_STORE_ASSIGN_OR_RETURN(
        PgResult previous,
        connection_.Execute("SELECT helpful FROM kb_votes WHERE article_id = $1 AND user_id = $2",
                            PgParams().Add(article_id).Add(*user_id)));
    if (previous.rows() > 0) {
      if (previous.Bool(0, 0)) {
        --add_yes;
      } else {
        --add_no;
      }
    }
    PG_STORE_RETURN_IF_ERROR(
        connection_
            .Execute(
                "INSERT INTO kb_votes (article_id, user_id, helpful, voted_at)"
                " VALUES ($1, $2, $3, $4) ON CONFLICT (article_id, user_id) DO UPDATE"
                " SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                PgParams().Add(article_id).Add(*user_id).Add(helpful).Add(absl::ToUnixMicros(at)))
            .status());
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult counts, connection_.Execute("UPDATE kb_articles SET helpful_yes = helpful_yes + $2,"
                                           " helpful_no = helpful_no + $3 WHERE id = $1"
                                           " RETURNING helpful_yes, helpful_no",
                                           PgParams().Add(article_id).Add(add_yes).Add(add_no)));
  return ports::KbVoteCounts{counts.Int(0, 0), counts.Int(0, 1)};
}

absl::Status PostgresTransaction::AddKbDeflection(core::KbArticleId article_id) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute("UPDATE kb_articles SET deflections = deflections + 1 WHERE id = $1",
                          PgParams().Add(article_id)));
  if (updated.affected() == 0) return absl::NotFoundError("article not found");
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::postgres

// PostgresTransaction: cases, case lists, counts and full-text search.
//
// Lists are keyset pages, newest case first. Without a text filter each scope branch (every
// visible organisation, the requester, the followed cases) is its own backward index walk in
// number order that stops after one page, all in one statement (LATERAL per organisation,
// UNION ALL across branches). With a text filter, or for search, the GIN index on
// search_parts finds matching parts and the scope and filters are applied in the same SQL.
// User words go through plainto_tsquery, which reads no query syntax: every word must match.
#include <algorithm>
#include <set>
#include <utility>

#include "adapters/postgres/pg_row_inserts.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

// Above this many organisations in a scope, one walk in number order with the scope as a
// predicate beats one index walk per organisation (such a scope covers many cases).
constexpr size_t kMaxScopeBranches = 32;

// The text search configuration for documents and queries (stemming like SQLite's porter).
constexpr char kTextConfig[] = "'english'";

const std::string kCaseColumns =
    "c.number, c.org_id, c.requester_id, c.subject, c.description, c.severity,"
    " c.proposed_severity, c.severity_confirmed, c.status, c.category, c.product, c.component,"
    " c.assignee_id, c.group_id, c.partner_reference, c.followers, c.fields, c.sealed_secrets,"
    " c.created_at, c.updated_at, c.first_public_reply_at, c.solved_at, c.closed_at,"
    " c.security_incident, c.escalation_tier";

core::Case CaseFromRow(const PgResult& rows, int row) {
  core::Case c;
  c.number = rows.Int(row, 0);
  c.org_id = rows.Int(row, 1);
  c.requester_id = rows.Int(row, 2);
  c.subject = std::string(rows.Text(row, 3));
  c.description = std::string(rows.Text(row, 4));
  c.severity = SeverityFromColumn(rows.Int(row, 5));
  c.proposed_severity = SeverityFromColumn(rows.Int(row, 6));
  c.severity_confirmed = rows.Bool(row, 7);
  c.status = EnumFromColumn<core::CaseStatus>(core::kCaseStatusNames, rows.Text(row, 8),
                                              core::CaseStatus::kOpen);
  c.category = EnumFromColumn<core::Category>(core::kCategoryNames, rows.Text(row, 9),
                                              core::Category::kIncident);
  c.product = std::string(rows.Text(row, 10));
  c.component = std::string(rows.Text(row, 11));
  c.assignee_id = rows.OptionalInt(row, 12);
  c.group_id = rows.OptionalInt(row, 13);
  c.partner_reference = std::string(rows.Text(row, 14));
  c.followers = IdsFromJson(rows.Text(row, 15));
  c.fields = MapFromJson(rows.Text(row, 16));
  c.sealed_secrets = rows.Bytes(row, 17);
  c.created_at = TimeFromColumn(rows.OptionalInt(row, 18));
  c.updated_at = TimeFromColumn(rows.OptionalInt(row, 19));
  c.first_public_reply_at = OptionalTimeFromColumn(rows.OptionalInt(row, 20));
  c.solved_at = OptionalTimeFromColumn(rows.OptionalInt(row, 21));
  c.closed_at = OptionalTimeFromColumn(rows.OptionalInt(row, 22));
  c.security_incident = rows.Bool(row, 23);
  c.escalation_tier =
      EnumFromColumn<core::Tier>(core::kTierNames, rows.Text(row, 24), core::Tier::kNone);
  return c;
}

// Every case column as $1..$25, the number first (kCaseColumns order).
PgParams CaseParams(const core::Case& c) {
  PgParams params;
  params.Add(c.number)
      .Add(c.org_id)
      .Add(c.requester_id)
      .Add(c.subject)
      .Add(c.description)
      .Add(int64_t{core::SeverityLevel(c.severity)})
      .Add(int64_t{core::SeverityLevel(c.proposed_severity)})
      .Add(c.severity_confirmed)
      .Add(EnumName<core::CaseStatus>(core::kCaseStatusNames, c.status))
      .Add(EnumName<core::Category>(core::kCategoryNames, c.category))
      .Add(c.product)
      .Add(c.component)
      .Add(c.assignee_id)
      .Add(c.group_id)
      .Add(c.partner_reference)
      .Add(IdsToJson(c.followers))
      .Add(MapToJson(c.fields))
      .AddBytes(c.sealed_secrets)
      .Add(TimeToColumn(c.created_at))
      .Add(TimeToColumn(c.updated_at))
      .Add(OptionalTimeToColumn(c.first_public_reply_at))
      .Add(OptionalTimeToColumn(c.solved_at))
      .Add(OptionalTimeToColumn(c.closed_at))
      .Add(c.security_incident)
      .Add(EnumName<core::Tier>(core::kTierNames, c.escalation_tier));
  return params;
}

// Builds SQL whose values are all parameters: Value() adds one and returns its placeholder.
class Query {
 public:
  template <typename T>
  std::string Value(T value) {
    params_.Add(value);
    return "$" + std::to_string(params_.size());
  }
  PgParams& params() { return params_; }

 private:
  PgParams params_;
};

// A conjunction of conditions, "true" when empty.
class Conditions {
 public:
  void Add(std::string condition) {
    sql_ += sql_.empty() ? "" : " AND ";
    sql_ += std::move(condition);
  }
  std::string Where() const { return sql_.empty() ? "true" : sql_; }
  bool empty() const { return sql_.empty(); }

 private:
  std::string sql_;
};

// What the scope leaves out whichever branch a case is found by: security incidents for viewers
// without clearance. Lists, counts and search apply it to every query they run.
void AddScopeExclusions(const core::CaseScope& scope, Conditions& conditions) {
  if (scope.hide_security_incidents) conditions.Add("NOT c.security_incident");
}

// The filters other than scope, text and position, on the case row `c`, plus the scope's
// exclusions (which every branch needs, not only the scope predicate).
void AddFilters(const ports::CaseFilter& filter, Query& query, Conditions& conditions) {
  AddScopeExclusions(filter.scope, conditions);
  if (filter.status.has_value()) {
    conditions.Add("c.status = " +
                   query.Value(EnumName<core::CaseStatus>(core::kCaseStatusNames, *filter.status)));
  }
  if (filter.severity.has_value()) {
    conditions.Add("c.severity = " + query.Value(int64_t{core::SeverityLevel(*filter.severity)}) +
                   "::integer");
  }
  if (filter.org_id.has_value()) conditions.Add("c.org_id = " + query.Value(*filter.org_id));
  if (filter.assignee_id.has_value()) {
    conditions.Add("c.assignee_id = " + query.Value(*filter.assignee_id));
  }
  if (filter.group_id.has_value()) {
    conditions.Add("c.group_id = " + query.Value(*filter.group_id));
  }
}

// The scope as one predicate on `c`; an empty scope sees nothing.
void AddScopePredicate(const core::CaseScope& scope, Query& query, Conditions& conditions) {
  if (scope.all) return;
  std::vector<std::string> alternatives;
  if (!scope.org_ids.empty()) {
    alternatives.push_back("c.org_id = ANY(" + query.Value(IdArray(scope.org_ids)) + "::bigint[])");
  }
  if (scope.participant.has_value()) {
    const std::string participant = query.Value(*scope.participant);
    alternatives.push_back("c.requester_id = " + participant);
    alternatives.push_back("EXISTS (SELECT 1 FROM case_followers f WHERE f.user_id = " +
                           participant + " AND f.case_number = c.number)");
  }
  if (alternatives.empty()) {
    conditions.Add("false");
    return;
  }
  std::string predicate = "(";
  for (size_t i = 0; i < alternatives.size(); ++i) {
    predicate += (i == 0 ? "" : " OR ") + alternatives[i];
  }
  conditions.Add(predicate + ")");
}

std::string TextQuery(Query& query, const std::string& text) {
  return std::string("plainto_tsquery(") + kTextConfig + ", " + query.Value(text) + ")";
}

// SQL selecting the numbers of up to `wanted` cases newest first (no text filter), or an
// empty string when the scope sees nothing.
std::string CaseNumbersSql(const ports::CaseFilter& filter, std::optional<int64_t> before,
                           int wanted, Query& query) {
  const core::CaseScope& scope = filter.scope;
  const std::string limit = query.Value(int64_t{wanted});
  // One branch: cases matching `driving` (plus position and filters), newest first.
  auto branch = [&](const std::string& from, const std::string& number_column, Conditions driving) {
    if (before.has_value()) driving.Add(number_column + " < " + query.Value(*before));
    AddFilters(filter, query, driving);
    return "SELECT " + number_column + " AS number FROM " + from + " WHERE " + driving.Where() +
           " ORDER BY " + number_column + " DESC LIMIT " + limit;
  };
  if (scope.all || scope.org_ids.size() > kMaxScopeBranches) {
    Conditions scoped;
    AddScopePredicate(scope, query, scoped);
    return branch("cases c", "c.number", std::move(scoped));
  }
  std::vector<std::string> branches;
  if (!scope.org_ids.empty()) {
    const std::set<core::OrgId> unique(scope.org_ids.begin(), scope.org_ids.end());
    const std::string orgs = query.Value(IdArray({unique.begin(), unique.end()}));
    Conditions driving;
    driving.Add("c.org_id = o.id");
    branches.push_back("SELECT x.number FROM unnest(" + orgs +
                       "::bigint[]) AS o(id) CROSS JOIN LATERAL (" +
                       branch("cases c", "c.number", std::move(driving)) + ") x");
  }
  if (scope.participant.has_value()) {
    Conditions requester;
    requester.Add("c.requester_id = " + query.Value(*scope.participant));
    branches.push_back(branch("cases c", "c.number", std::move(requester)));
    Conditions follower;
    follower.Add("f.user_id = " + query.Value(*scope.participant));
    branches.push_back(branch("case_followers f JOIN cases c ON c.number = f.case_number",
                              "f.case_number", std::move(follower)));
  }
  if (branches.empty()) return "";
  std::string sql = "SELECT DISTINCT b.number FROM (";
  for (size_t i = 0; i < branches.size(); ++i) {
    sql += (i == 0 ? "(" : " UNION ALL (") + branches[i] + ")";
  }
  return sql + ") b ORDER BY b.number DESC LIMIT " + limit;
}

// SQL selecting the numbers of up to `wanted` cases whose public text matches, newest first.
std::string CaseNumbersByTextSql(const ports::CaseFilter& filter, std::optional<int64_t> before,
                                 int wanted, Query& query) {
  Conditions conditions;
  conditions.Add("s.document @@ " + TextQuery(query, filter.text));
  conditions.Add("NOT s.internal");
  if (before.has_value()) conditions.Add("s.case_number < " + query.Value(*before));
  AddFilters(filter, query, conditions);
  AddScopePredicate(filter.scope, query, conditions);
  return "SELECT s.case_number FROM search_parts s JOIN cases c ON c.number = s.case_number"
         " WHERE " +
         conditions.Where() +
         " GROUP BY s.case_number ORDER BY s.case_number DESC"
         " LIMIT " +
         query.Value(int64_t{wanted});
}

}  // namespace

absl::StatusOr<core::CaseNumber> PostgresTransaction::NextCaseNumber() {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // Never a block kept on the node beyond its batch: numbers then follow the order in which
  // cases were opened across every node (see PgCaseNumbers).
  if (case_numbers_.ready.empty()) {
    PG_STORE_ASSIGN_OR_RETURN(
        PgResult block,
        connection_.Execute(
            "SELECT nextval('case_numbers') AS n FROM generate_series(1, $1) ORDER BY n",
            PgParams().Add(int64_t{std::max(case_numbers_.wanted, 1)})));
    for (int row = 0; row < block.rows(); ++row) case_numbers_.ready.push_back(block.Int(row, 0));
  }
  numbers_taken_.push_back(case_numbers_.ready.front());
  case_numbers_.ready.pop_front();
  return numbers_taken_.back();
}

absl::Status PostgresTransaction::ReplaceFollowers(const core::Case& c, bool is_new) {
  const std::string followers = IdArray(c.followers);
  if (!is_new) {
    PG_STORE_RETURN_IF_ERROR(connection_
                                 .Execute("DELETE FROM case_followers WHERE case_number = $1"
                                          " AND user_id <> ALL($2::bigint[])",
                                          PgParams().Add(c.number).Add(followers))
                                 .status());
  }
  if (c.followers.empty()) return absl::OkStatus();
  return connection_
      .Execute(
          "INSERT INTO case_followers (user_id, case_number)"
          " SELECT DISTINCT f.id, $2::bigint FROM unnest($1::bigint[]) AS f(id)"
          " ON CONFLICT DO NOTHING",
          PgParams().Add(followers).Add(c.number))
      .status();
}

namespace {

// New cases (see InsertCaseWithDeadline), queued with the batch's other rows
// (PostgresTransaction::WriteRows). Rank 0: the rows of every other batched kind may refer to a
// case.
const PgRowsInsert kInsertCases{
    .sql =
        "INSERT INTO cases (number, org_id, requester_id, subject, description, severity,"
        " proposed_severity, severity_confirmed, status, category, product, component,"
        " assignee_id, group_id, partner_reference, followers, fields, sealed_secrets,"
        " created_at, updated_at, first_public_reply_at, solved_at, closed_at,"
        " security_incident, escalation_tier, next_deadline) SELECT * FROM"
        " unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[],"
        " $6::integer[], $7::integer[], $8::boolean[], $9::text[], $10::text[], $11::text[],"
        " $12::text[], $13::bigint[], $14::bigint[], $15::text[], $16::text[], $17::text[],"
        " $18::bytea[], $19::bigint[], $20::bigint[], $21::bigint[], $22::bigint[],"
        " $23::bigint[], $24::boolean[], $25::text[], $26::bigint[])",
    .rank = 0};

}  // namespace

absl::Status PostgresTransaction::InsertCase(const core::Case& c) {
  return InsertCaseWithDeadline(c, std::nullopt);
}

absl::Status PostgresTransaction::InsertCaseWithDeadline(const core::Case& c,
                                                         std::optional<absl::Time> next_deadline) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (c.number <= 0) return absl::InvalidArgumentError("a case needs a number from the sequence");
  NoteCaseChanged(c.number);
  PgParams params =
      CaseParams(c).Add(next_deadline ? absl::ToUnixMicros(*next_deadline) : kNoNextDeadline);
  // The new_cases_are_searchable trigger indexes subject and description in the same statement.
  if (std::find(numbers_taken_.begin(), numbers_taken_.end(), c.number) != numbers_taken_.end()) {
    // A number this unit took from the sequence: no other case can hold it.
    PG_STORE_RETURN_IF_ERROR(WriteRow(kInsertCases, std::move(params)));
    return ReplaceFollowers(c, /*is_new=*/true);
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute(
          std::string(kInsertCases.sql) + " ON CONFLICT (number) DO NOTHING RETURNING number",
          RowAsArrays(std::move(params))));
  if (inserted.rows() == 0) return absl::AlreadyExistsError("a case with this number exists");
  return ReplaceFollowers(c, /*is_new=*/true);
}

absl::StatusOr<core::Case> PostgresTransaction::GetCase(core::CaseNumber number) {
  // Writers lock the row they read, so a read-modify-write on another connection waits.
  const std::string lock = mode_ == TransactionMode::kReadWrite ? " FOR NO KEY UPDATE" : "";
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kCaseColumns + " FROM cases c WHERE c.number = $1" + lock,
                          PgParams().Add(number)));
  if (rows.rows() == 0) return absl::NotFoundError("case not found");
  return CaseFromRow(rows, 0);
}

absl::StatusOr<ports::CaseWithHistory> PostgresTransaction::GetCaseWithHistory(
    core::CaseNumber number) {
  // A writer reads the case with a row lock first; a reader sends the three reads at once,
  // unless the node's cache has them.
  if (mode_ == TransactionMode::kReadWrite) return StoreTransaction::GetCaseWithHistory(number);
  if (cached_.caches != nullptr) {
    if (auto hit = cached_.caches->cases.Get(number, std::chrono::steady_clock::now())) {
      return *hit;
    }
  }
  std::vector<PgStatement> reads(3);
  reads[0].sql = "SELECT " + kCaseColumns + " FROM cases c WHERE c.number = $1";
  reads[1].sql =
      "SELECT " + kOrganisationColumns +
      ", xmin FROM organisations WHERE id = (SELECT org_id FROM cases WHERE number = $1)";
  reads[2].sql = "SELECT " + kEventColumns + " FROM events WHERE case_number = $1 ORDER BY id";
  for (PgStatement& read : reads) read.params.Add(number);
  PG_STORE_ASSIGN_OR_RETURN(std::vector<PgResult> rows, connection_.ExecuteTogether(reads));
  if (rows[0].rows() == 0) return absl::NotFoundError("case not found");
  if (rows[1].rows() == 0) return absl::NotFoundError("organisation not found");
  ports::CaseWithHistory found;
  found.record = CaseFromRow(rows[0], 0);
  found.org = OrganisationFromRow(rows[1], 0);
  read_.organisations[found.org.id] = found.org;
  NoteVersionOfRow("org:" + std::to_string(found.org.id), rows[1]);
  found.events.reserve(static_cast<size_t>(rows[2].rows()));
  for (int row = 0; row < rows[2].rows(); ++row) found.events.push_back(EventFromRow(rows[2], row));
  if (cached_.caches != nullptr) {
    cached_.caches->cases.Put(number, found, cached_.epoch, std::chrono::steady_clock::now());
  }
  return found;
}

absl::Status PostgresTransaction::UpdateCase(const core::Case& c) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  NoteCaseChanged(c.number);
  // Returns the followers as they were, to touch case_followers only when they change.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute(
          "WITH previous AS (SELECT number, followers FROM cases WHERE number = $1"
          " FOR NO KEY UPDATE)"
          " UPDATE cases c SET org_id = $2, requester_id = $3, subject = $4, description = $5,"
          " severity = $6, proposed_severity = $7, severity_confirmed = $8, status = $9,"
          " category = $10, product = $11, component = $12, assignee_id = $13, group_id = $14,"
          " partner_reference = $15, followers = $16, fields = $17, sealed_secrets = $18,"
          " created_at = $19, updated_at = $20, first_public_reply_at = $21, solved_at = $22,"
          " closed_at = $23, security_incident = $24, escalation_tier = $25"
          " FROM previous WHERE c.number = previous.number"
          " RETURNING previous.followers",
          CaseParams(c)));
  if (updated.rows() == 0) return absl::NotFoundError("case not found");
  const std::vector<int64_t> previous = IdsFromJson(updated.Text(0, 0));
  if (std::set<int64_t>(previous.begin(), previous.end()) ==
      std::set<int64_t>(c.followers.begin(), c.followers.end())) {
    return absl::OkStatus();
  }
  return ReplaceFollowers(c, /*is_new=*/false);
}

absl::StatusOr<ports::Page<core::Case>> PostgresTransaction::ListCases(
    const ports::CaseFilter& filter) {
  if (filter.order == ports::CaseOrder::kNextDeadline) return ListCasesByNextDeadline(filter);
  PG_STORE_ASSIGN_OR_RETURN(std::optional<int64_t> before, DecodeCursor(filter.page.cursor));
  const int limit = ClampLimit(filter.page.limit);
  Query query;
  const std::string numbers = filter.text.empty()
                                  ? CaseNumbersSql(filter, before, limit + 1, query)
                                  : CaseNumbersByTextSql(filter, before, limit + 1, query);
  ports::Page<core::Case> page;
  if (numbers.empty()) return page;
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kCaseColumns + " FROM cases c WHERE c.number IN (" + numbers +
                              ") ORDER BY c.number DESC",
                          query.params()));
  const int available = std::min(rows.rows(), limit);
  for (int row = 0; row < available; ++row) page.items.push_back(CaseFromRow(rows, row));
  if (rows.rows() > limit) page.next_cursor = EncodeCursor(page.items.back().number);
  return page;
}

absl::StatusOr<int64_t> PostgresTransaction::CountCases(const ports::CaseFilter& filter) {
  Query query;
  Conditions conditions;
  std::string sql;
  if (filter.text.empty()) {
    sql = "SELECT count(*) FROM cases c WHERE ";
  } else {
    conditions.Add("s.document @@ " + TextQuery(query, filter.text));
    conditions.Add("NOT s.internal");
    sql =
        "SELECT count(DISTINCT s.case_number) FROM search_parts s"
        " JOIN cases c ON c.number = s.case_number WHERE ";
  }
  AddFilters(filter, query, conditions);
  AddScopePredicate(filter.scope, query, conditions);
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute(sql + conditions.Where(), query.params()));
  return rows.Int(0, 0);
}

absl::StatusOr<ports::Page<ports::SearchHit>> PostgresTransaction::Search(
    const ports::SearchQuery& search) {
  PG_STORE_ASSIGN_OR_RETURN(std::optional<int64_t> before, DecodeCursor(search.page.cursor));
  const int limit = ClampLimit(search.page.limit);
  Query query;
  const std::string text_query = TextQuery(query, search.text);
  Conditions conditions;
  conditions.Add("s.document @@ " + text_query);
  if (!search.include_internal) conditions.Add("NOT s.internal");
  if (before.has_value()) conditions.Add("s.case_number < " + query.Value(*before));
  AddScopeExclusions(search.scope, conditions);
  AddScopePredicate(search.scope, query, conditions);
  // The earliest matching part of each case (subject, then description, then comments) names
  // where it matched; ts_headline with empty markers gives a plain-text snippet.
  const std::string sql =
      "SELECT h.case_number, c.subject, h.kind, ts_headline(" + std::string(kTextConfig) +
      ", h.body, " + text_query +
      ", 'StartSel=\"\", StopSel=\"\", MaxWords=16, MinWords=5')"
      " FROM (SELECT DISTINCT ON (s.case_number) s.case_number, s.kind, s.body"
      " FROM search_parts s JOIN cases c ON c.number = s.case_number WHERE " +
      conditions.Where() + " ORDER BY s.case_number DESC, s.part LIMIT " +
      query.Value(int64_t{limit} + 1) +
      ") h JOIN cases c ON c.number = h.case_number ORDER BY h.case_number DESC";
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, query.params()));
  ports::Page<ports::SearchHit> page;
  const int available = std::min(rows.rows(), limit);
  for (int row = 0; row < available; ++row) {
    page.items.push_back(ports::SearchHit{rows.Int(row, 0), std::string(rows.Text(row, 1)),
                                          std::string(rows.Text(row, 3)),
                                          std::string(rows.Text(row, 2))});
  }
  if (rows.rows() > limit) page.next_cursor = EncodeCursor(page.items.back().case_number);
  return page;
}

}  // namespace casedesk::adapters::postgres

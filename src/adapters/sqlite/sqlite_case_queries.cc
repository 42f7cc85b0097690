// SqliteTransaction: cases, case lists, counts and full-text search.
//
// Lists are keyset pages, newest case first. Without a text filter every scope branch (one per
// visible organisation, the requester, the followed cases) is its own index walk in number
// order that stops after one page; the branches are merged here. With a text filter, or for
// search, FTS5 walks matching parts newest case first (its rowid encodes the case number) and
// the scope and filters are applied in the same SQL.
#include <algorithm>
#include <set>
#include <utility>

#include "adapters/store_support/store_codec.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"

namespace casedesk::adapters::sqlite {
namespace {

// Above this many organisations in a scope, one scan in number order with the scope as a
// predicate beats one index walk per organisation (such a scope covers many cases).
constexpr size_t kMaxScopeBranches = 32;

constexpr char kCaseColumns[] =
    "c.number, c.org_id, c.requester_id, c.subject, c.description, c.severity,"
    " c.proposed_severity, c.severity_confirmed, c.status, c.category, c.product, c.component,"
    " c.assignee_id, c.group_id, c.partner_reference, c.followers, c.fields, c.sealed_secrets,"
    " c.created_at, c.updated_at, c.first_public_reply_at, c.solved_at, c.closed_at,"
    " c.security_incident, c.escalation_tier";

core::Severity SeverityFromColumn(int64_t level) {
  core::Severity severity = core::Severity::kMinor;
  core::SeverityFromLevel(static_cast<int>(level), &severity);
  return severity;
}

core::Case CaseFromRow(const Statement& row) {
  core::Case c;
  c.number = row.Int(0);
  c.org_id = row.Int(1);
  c.requester_id = row.Int(2);
  c.subject = row.Text(3);
  c.description = row.Text(4);
  c.severity = SeverityFromColumn(row.Int(5));
  c.proposed_severity = SeverityFromColumn(row.Int(6));
  c.severity_confirmed = row.Int(7) != 0;
  c.status = EnumFromColumn<core::CaseStatus>(core::kCaseStatusNames, row.Text(8),
                                              core::CaseStatus::kOpen);
  c.category = EnumFromColumn<core::Category>(core::kCategoryNames, row.Text(9),
                                              core::Category::kIncident);
  c.product = row.Text(10);
  c.component = row.Text(11);
  c.assignee_id = row.OptionalInt(12);
  c.group_id = row.OptionalInt(13);
  c.partner_reference = row.Text(14);
  c.followers = IdsFromJson(row.Text(15));
  c.fields = MapFromJson(row.Text(16));
  c.sealed_secrets = row.Blob(17);
  c.created_at = TimeFromColumn(row.OptionalInt(18));
  c.updated_at = TimeFromColumn(row.OptionalInt(19));
  c.first_public_reply_at = OptionalTimeFromColumn(row.OptionalInt(20));
  c.solved_at = OptionalTimeFromColumn(row.OptionalInt(21));
  c.closed_at = OptionalTimeFromColumn(row.OptionalInt(22));
  c.security_incident = row.Int(23) != 0;
  c.escalation_tier = EnumFromColumn<core::Tier>(core::kTierNames, row.Text(24), core::Tier::kNone);
  return c;
}

// Binds every case column after the number as ?2..?25 (the number is ?1).
void BindCase(Statement& statement, const core::Case& c) {
  statement.Bind(1, c.number)
      .Bind(2, c.org_id)
      .Bind(3, c.requester_id)
      .Bind(4, c.subject)
      .Bind(5, c.description)
      .Bind(6, int64_t{core::SeverityLevel(c.severity)})
      .Bind(7, int64_t{core::SeverityLevel(c.proposed_severity)})
      .Bind(8, int64_t{c.severity_confirmed})
      .Bind(9, EnumName<core::CaseStatus>(core::kCaseStatusNames, c.status))
      .Bind(10, EnumName<core::Category>(core::kCategoryNames, c.category))
      .Bind(11, c.product)
      .Bind(12, c.component)
      .Bind(13, c.assignee_id)
      .Bind(14, c.group_id)
      .Bind(15, c.partner_reference)
      .Bind(16, IdsToJson(c.followers))
      .Bind(17, MapToJson(c.fields))
      .BindBlob(18, c.sealed_secrets)
      .Bind(19, TimeToColumn(c.created_at))
      .Bind(20, TimeToColumn(c.updated_at))
      .Bind(21, OptionalTimeToColumn(c.first_public_reply_at))
      .Bind(22, OptionalTimeToColumn(c.solved_at))
      .Bind(23, OptionalTimeToColumn(c.closed_at))
      .Bind(24, int64_t{c.security_incident})
      .Bind(25, EnumName<core::Tier>(core::kTierNames, c.escalation_tier));
}

std::set<core::UserId> UniqueIds(const std::vector<core::UserId>& ids) {
  return std::set<core::UserId>(ids.begin(), ids.end());
}

// One placeholder value: a number or a text.
struct SqlValue {
  SqlValue(int64_t number_value) : number(number_value) {}  // NOLINT: implicit by design
  SqlValue(std::string text_value) : is_text(true), text(std::move(text_value)) {}  // NOLINT
  bool is_text = false;
  int64_t number = 0;
  std::string text;
};

// A WHERE fragment and the values its placeholders take, in order.
struct Conditions {
  std::string sql;
  std::vector<SqlValue> values;

  void Add(std::string condition) {
    sql += sql.empty() ? "" : " AND ";
    sql += std::move(condition);
  }
  void Add(std::string condition, SqlValue value) {
    Add(std::move(condition));
    values.push_back(std::move(value));
  }
  std::string Where() const { return sql.empty() ? "1" : sql; }
};

void BindAll(Statement& statement, const std::vector<SqlValue>& values,
             int first_index) {
  int index = first_index;
  for (const auto& value : values) {
    if (value.is_text) {
      statement.Bind(index++, value.text);
    } else {
      statement.Bind(index++, value.number);
    }
  }
}

// The filters other than scope, text and position, on the case row `c`.
Conditions FilterConditions(const ports::CaseFilter& filter) {
  Conditions conditions;
  if (filter.status.has_value()) {
    conditions.Add("c.status = ?", EnumName<core::CaseStatus>(core::kCaseStatusNames, *filter.status));
  }
  if (filter.severity.has_value()) {
    conditions.Add("c.severity = ?", int64_t{core::SeverityLevel(*filter.severity)});
  }
  if (filter.org_id.has_value()) conditions.Add("c.org_id = ?", *filter.org_id);
  if (filter.assignee_id.has_value()) conditions.Add("c.assignee_id = ?", *filter.assignee_id);
  if (filter.group_id.has_value()) conditions.Add("c.group_id = ?", *filter.group_id);
  if (filter.scope.hide_security_incidents) conditions.Add("+c.security_incident = 0");
  return conditions;
}

// The scope as one predicate on `c`. Unary + keeps the planner from driving the query by these
// terms (the caller's order or FTS drives it instead).
void AddScopePredicate(const core::CaseScope& scope, Conditions& conditions) {
  if (scope.all) return;
  std::vector<std::string> alternatives;
  std::vector<SqlValue> values;
  if (!scope.org_ids.empty()) {
    alternatives.push_back("+c.org_id IN (SELECT value FROM json_each(?))");
    values.push_back(IdsToJson(scope.org_ids));
  }
  if (scope.participant.has_value()) {
    alternatives.push_back("+c.requester_id = ?");
    values.push_back(*scope.participant);
    alternatives.push_back(
        "EXISTS (SELECT 1 FROM case_followers f WHERE f.user_id = ? AND f.case_number = c.number)");
    values.push_back(*scope.participant);
  }
  if (alternatives.empty()) {
    conditions.Add("0");  // an empty scope sees nothing
    return;
  }
  std::string predicate = "(";
  for (size_t i = 0; i < alternatives.size(); ++i) {
    predicate += (i == 0 ? "" : " OR ") + alternatives[i];
  }
  conditions.Add(predicate + ")");
  for (auto& value : values) conditions.values.push_back(std::move(value));
}

// The user's words as an FTS5 query: every word becomes a quoted phrase (inner quotes doubled),
// all must match, and words without a letter or digit are dropped, so no user text is ever
// read as query syntax. `column` limits matching to one column when not empty.
std::string MatchExpression(std::string_view text, std::string_view column) {
  std::string expression;
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
    for (char ch : word) {
      if (ch == '"') phrase += '"';
      phrase += ch;
    }
    phrase += '"';
    if (!expression.empty()) expression += " AND ";
    if (!column.empty()) expression += std::string(column) + " : ";
    expression += phrase;
  }
  return expression;
}

}  // namespace

absl::StatusOr<core::CaseNumber> SqliteTransaction::NextCaseNumber() {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement next,
      connection_.Prepare("UPDATE case_number_sequence SET next_number = next_number + 1"
                          " WHERE id = 1 RETURNING next_number - 1"));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, next.Step());
  if (!has_row) return absl::UnavailableError("the case number sequence is missing");
  const core::CaseNumber number = next.Int(0);
  SQLITE_STORE_RETURN_IF_ERROR(next.Run());  // finish the statement
  return number;
}

absl::Status SqliteTransaction::InsertCase(const core::Case& c) {
  return InsertCaseWithDeadline(c, std::nullopt);
}

absl::Status SqliteTransaction::InsertCaseWithDeadline(const core::Case& c,
                                                       std::optional<absl::Time> next_deadline) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (c.number <= 0) return absl::InvalidArgumentError("a case needs a number from the sequence");
  NoteCaseChanged(c.number);
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO cases (number, org_id, requester_id, subject, description, severity,"
          " proposed_severity, severity_confirmed, status, category, product, component,"
          " assignee_id, group_id, partner_reference, followers, fields, sealed_secrets,"
          " created_at, updated_at, first_public_reply_at, solved_at, closed_at,"
          " security_incident, escalation_tier, next_deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
          " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23,"
          " ?24, ?25, ?26)"));
  insert.Bind(26, next_deadline ? absl::ToUnixMicros(*next_deadline) : kNoNextDeadline);
  BindCase(insert, c);
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "a case with this number exists");

  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement follow,
      connection_.Prepare("INSERT INTO case_followers (user_id, case_number) VALUES (?, ?)"));
  for (core::UserId follower : UniqueIds(c.followers)) {
    follow.Bind(1, follower).Bind(2, c.number);
    SQLITE_STORE_RETURN_IF_ERROR(follow.Run());
  }

  PendingSearchRow subject;
  subject.rowid = SearchRowId(c.number, 0);
  subject.public_text = c.subject;
  subject.kind = "subject";
  SQLITE_STORE_RETURN_IF_ERROR(WriteSearchRow(std::move(subject)));
  PendingSearchRow description;
  description.rowid = SearchRowId(c.number, 1);
  description.public_text = c.description;
  description.kind = "description";
  return WriteSearchRow(std::move(description));
}

absl::StatusOr<core::Case> SqliteTransaction::GetCase(core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kCaseColumns +
                                           " FROM cases c WHERE c.number = ?"));
  query.Bind(1, number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("case not found");
  return CaseFromRow(query);
}

absl::Status SqliteTransaction::UpdateCase(const core::Case& c) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  NoteCaseChanged(c.number);
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement previous_query,
      connection_.Prepare("SELECT subject, description, followers FROM cases WHERE number = ?"));
  previous_query.Bind(1, c.number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, previous_query.Step());
  if (!found) return absl::NotFoundError("case not found");
  const std::string previous_subject = previous_query.Text(0);
  const std::string previous_description = previous_query.Text(1);
  const std::set<core::UserId> previous_followers =
      UniqueIds(IdsFromJson(previous_query.Text(2)));

  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(
          "UPDATE cases SET org_id = ?2, requester_id = ?3, subject = ?4, description = ?5,"
          " severity = ?6, proposed_severity = ?7, severity_confirmed = ?8, status = ?9,"
          " category = ?10, product = ?11, component = ?12, assignee_id = ?13, group_id = ?14,"
          " partner_reference = ?15, followers = ?16, fields = ?17, sealed_secrets = ?18,"
          " created_at = ?19, updated_at = ?20, first_public_reply_at = ?21, solved_at = ?22,"
          " closed_at = ?23, security_incident = ?24, escalation_tier = ?25 WHERE number = ?1"));
  BindCase(update, c);
  absl::Status status = update.Run();
  if (!status.ok()) return ClassifyWriteError(status, update, "duplicate case");

  const std::set<core::UserId> followers = UniqueIds(c.followers);
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement unfollow,
      connection_.Prepare("DELETE FROM case_followers WHERE user_id = ? AND case_number = ?"));
  for (core::UserId follower : previous_followers) {
    if (followers.count(follower) != 0) continue;
    unfollow.Bind(1, follower).Bind(2, c.number);
    SQLITE_STORE_RETURN_IF_ERROR(unfollow.Run());
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement follow,
      connection_.Prepare("INSERT INTO case_followers (user_id, case_number) VALUES (?, ?)"));
  for (core::UserId follower : followers) {
    if (previous_followers.count(follower) != 0) continue;
    follow.Bind(1, follower).Bind(2, c.number);
    SQLITE_STORE_RETURN_IF_ERROR(follow.Run());
  }

  if (c.subject != previous_subject) {
    PendingSearchRow subject;
    subject.rowid = SearchRowId(c.number, 0);
    subject.replace_public_text = true;
    subject.public_text = c.subject;
    SQLITE_STORE_RETURN_IF_ERROR(WriteSearchRow(std::move(subject)));
  }
  if (c.description != previous_description) {
    PendingSearchRow description;
    description.rowid = SearchRowId(c.number, 1);
    description.replace_public_text = true;
    description.public_text = c.description;
    SQLITE_STORE_RETURN_IF_ERROR(WriteSearchRow(std::move(description)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::CaseNumber>> SqliteTransaction::ListCaseNumbers(
    const ports::CaseFilter& filter, std::optional<int64_t> before, int wanted) {
  const Conditions filters = FilterConditions(filter);
  const core::CaseScope& scope = filter.scope;

  // Each branch: a driving condition on one index plus the shared filters, newest first.
  struct Branch {
    std::string from;
    std::string number_column;
    Conditions conditions;
  };
  std::vector<Branch> branches;
  auto add_branch = [&](std::string from, std::string number_column, Conditions driving) {
    Branch branch{std::move(from), std::move(number_column), std::move(driving)};
    if (before.has_value()) branch.conditions.Add(branch.number_column + " < ?", *before);
    if (!filters.sql.empty()) {
      branch.conditions.Add(filters.sql);
      for (const auto& value : filters.values) branch.conditions.values.push_back(value);
    }
    branches.push_back(std::move(branch));
  };
  if (scope.all) {
    add_branch("cases c", "c.number", Conditions());
  } else if (scope.org_ids.size() > kMaxScopeBranches) {
    Conditions scoped;
    AddScopePredicate(scope, scoped);
    add_branch("cases c", "c.number", std::move(scoped));
  } else {
    for (core::OrgId org_id : std::set<core::OrgId>(scope.org_ids.begin(), scope.org_ids.end())) {
      Conditions driving;
      driving.Add("c.org_id = ?", org_id);
      add_branch("cases c", "c.number", std::move(driving));
    }
    if (scope.participant.has_value()) {
      Conditions requester;
      requester.Add("c.requester_id = ?", *scope.participant);
      add_branch("cases c", "c.number", std::move(requester));
      Conditions follower;
      follower.Add("f.user_id = ?", *scope.participant);
      add_branch("case_followers f JOIN cases c ON c.number = f.case_number", "f.case_number",
                 std::move(follower));
    }
  }

  std::set<core::CaseNumber, std::greater<>> numbers;
  for (const Branch& branch : branches) {
    const std::string sql = "SELECT " + branch.number_column + " FROM " + branch.from +
                            " WHERE " + branch.conditions.Where() + " ORDER BY " +
                            branch.number_column + " DESC LIMIT ?";
    SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
    BindAll(query, branch.conditions.values, 1);
    query.Bind(static_cast<int>(branch.conditions.values.size()) + 1, int64_t{wanted});
    while (true) {
      SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
      if (!has_row) break;
      numbers.insert(query.Int(0));
    }
  }
  std::vector<core::CaseNumber> newest(numbers.begin(), numbers.end());
  if (static_cast<int>(newest.size()) > wanted) newest.resize(wanted);
  return newest;
}

absl::StatusOr<std::vector<core::CaseNumber>> SqliteTransaction::ListCaseNumbersByText(
    const ports::CaseFilter& filter, std::optional<int64_t> before, int wanted) {
  std::vector<core::CaseNumber> numbers;
  const std::string match = MatchExpression(filter.text, "public_text");
  if (match.empty()) return numbers;
  Conditions conditions;
  conditions.Add("search_parts MATCH ?", match);
  if (before.has_value()) conditions.Add("s.rowid < ?", SearchRowId(*before, 0));
  Conditions filters = FilterConditions(filter);
  if (!filters.sql.empty()) {
    conditions.Add(filters.sql);
    for (auto& value : filters.values) conditions.values.push_back(std::move(value));
  }
  AddScopePredicate(filter.scope, conditions);
  const std::string sql =
      "SELECT c.number FROM search_parts s JOIN cases c ON c.number = (s.rowid >> 20) WHERE " +
      conditions.Where() + " ORDER BY s.rowid DESC";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  BindAll(query, conditions.values, 1);
  // Parts of one case arrive together; stop once enough distinct cases are seen.
  while (static_cast<int>(numbers.size()) < wanted) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    const core::CaseNumber number = query.Int(0);
    if (numbers.empty() || numbers.back() != number) numbers.push_back(number);
  }
  return numbers;
}

absl::StatusOr<ports::Page<core::Case>> SqliteTransaction::ListCases(
    const ports::CaseFilter& filter) {
  if (filter.order == ports::CaseOrder::kNextDeadline) return ListCasesByNextDeadline(filter);
  SQLITE_STORE_ASSIGN_OR_RETURN(std::optional<int64_t> before, DecodeCursor(filter.page.cursor));
  const int limit = ClampLimit(filter.page.limit);
  std::vector<core::CaseNumber> numbers;
  if (filter.text.empty()) {
    SQLITE_STORE_ASSIGN_OR_RETURN(numbers, ListCaseNumbers(filter, before, limit + 1));
  } else {
    SQLITE_STORE_ASSIGN_OR_RETURN(numbers, ListCaseNumbersByText(filter, before, limit + 1));
  }
  ports::Page<core::Case> page;
  if (static_cast<int>(numbers.size()) > limit) {
    numbers.resize(limit);
    page.next_cursor = EncodeCursor(numbers.back());
  }
  for (core::CaseNumber number : numbers) {
    SQLITE_STORE_ASSIGN_OR_RETURN(core::Case c, GetCase(number));
    page.items.push_back(std::move(c));
  }
  return page;
}

absl::StatusOr<int64_t> SqliteTransaction::CountCases(const ports::CaseFilter& filter) {
  Conditions conditions;
  std::string sql;
  if (filter.text.empty()) {
    conditions = FilterConditions(filter);
    sql = "SELECT count(*) FROM cases c WHERE ";
  } else {
    const std::string match = MatchExpression(filter.text, "public_text");
    if (match.empty()) return 0;
    conditions.Add("search_parts MATCH ?", match);
    Conditions filters = FilterConditions(filter);
    if (!filters.sql.empty()) {
      conditions.Add(filters.sql);
      for (auto& value : filters.values) conditions.values.push_back(std::move(value));
    }
    sql = "SELECT count(DISTINCT c.number) FROM search_parts s"
          " JOIN cases c ON c.number = (s.rowid >> 20) WHERE ";
  }
  AddScopePredicate(filter.scope, conditions);
  sql += conditions.Where();
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  BindAll(query, conditions.values, 1);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  return has_row ? query.Int(0) : 0;
}

absl::StatusOr<ports::Page<ports::SearchHit>> SqliteTransaction::Search(
    const ports::SearchQuery& search) {
  SQLITE_STORE_ASSIGN_OR_RETURN(std::optional<int64_t> before, DecodeCursor(search.page.cursor));
  const int limit = ClampLimit(search.page.limit);
  ports::Page<ports::SearchHit> page;
  const std::string match =
      MatchExpression(search.text, search.include_internal ? "" : "public_text");
  if (match.empty()) return page;

  Conditions conditions;
  conditions.Add("search_parts MATCH ?", match);
  if (before.has_value()) conditions.Add("s.rowid < ?", SearchRowId(*before, 0));
  AddScopePredicate(search.scope, conditions);
  if (search.scope.hide_security_incidents) conditions.Add("+c.security_incident = 0");
  // An empty highlight keeps the snippet plain text; the column is chosen by FTS5 (-1).
  const std::string sql =
      "SELECT c.number, c.subject, s.kind, snippet(search_parts, -1, '', '', '...', 16)"
      " FROM search_parts s JOIN cases c ON c.number = (s.rowid >> 20) WHERE " +
      conditions.Where() + " ORDER BY s.rowid DESC";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  BindAll(query, conditions.values, 1);
  // Rows come newest case first, parts of one case together, highest part first: the last row
  // of a case is its earliest part (subject before description before comments).
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    const core::CaseNumber number = query.Int(0);
    if (page.items.empty() || page.items.back().case_number != number) {
      if (static_cast<int>(page.items.size()) == limit) {
        page.next_cursor = EncodeCursor(page.items.back().case_number);
        break;
      }
      page.items.push_back(ports::SearchHit{number, query.Text(1), "", ""});
    }
    page.items.back().matched_in = query.Text(2);
    page.items.back().snippet = query.Text(3);
  }
  return page;
}

}  // namespace casedesk::adapters::sqlite

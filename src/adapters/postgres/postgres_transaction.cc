// PostgresTransaction: organisations, people, tokens, groups, plans, conversation, attachments,
// audit events and settings. Cases, lists of cases and search are in postgres_case_queries.cc;
// timers, the outbox, SLA summaries and severity flags in postgres_sla_queries.cc.
#include "adapters/postgres/postgres_transaction.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "adapters/postgres/pg_row_inserts.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

std::string Lower(std::string_view text) {
  return absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
}

}  // namespace

const std::string kOrganisationColumns =
    "id, name, kind, parent_id, plan, shares_cases, time_zone, created_at";

core::Organisation OrganisationFromRow(const PgResult& rows, int row) {
  core::Organisation org;
  org.id = rows.Int(row, 0);
  org.name = std::string(rows.Text(row, 1));
  org.kind = EnumFromColumn<core::OrgKind>(core::kOrgKindNames, rows.Text(row, 2),
                                           core::OrgKind::kCustomer);
  org.parent_id = rows.OptionalInt(row, 3);
  org.plan = std::string(rows.Text(row, 4));
  org.shares_cases = rows.Bool(row, 5);
  org.time_zone = std::string(rows.Text(row, 6));
  org.created_at = TimeFromColumn(rows.OptionalInt(row, 7));
  return org;
}

namespace {

void AddOrganisationValues(PgParams& params, const core::Organisation& org) {
  params.Add(org.name)
      .Add(EnumName<core::OrgKind>(core::kOrgKindNames, org.kind))
      .Add(org.parent_id)
      .Add(org.plan)
      .Add(org.shares_cases)
      .Add(org.time_zone)
      .Add(TimeToColumn(org.created_at));
}

const std::string kUserColumns =
    "id, email, name, role, org_id, tier, skills, verified, org_admin, active, password_hash,"
    " pin_hash, created_at";

core::User UserFromRow(const PgResult& rows, int row) {
  core::User user;
  user.id = rows.Int(row, 0);
  user.email = std::string(rows.Text(row, 1));
  user.name = std::string(rows.Text(row, 2));
  user.role =
      EnumFromColumn<core::Role>(core::kRoleNames, rows.Text(row, 3), core::Role::kCustomer);
  user.org_id = rows.Int(row, 4);
  user.tier = EnumFromColumn<core::Tier>(core::kTierNames, rows.Text(row, 5), core::Tier::kNone);
  user.skills = StringsFromJson(rows.Text(row, 6));
  user.verified = rows.Bool(row, 7);
  user.org_admin = rows.Bool(row, 8);
  user.active = rows.Bool(row, 9);
  user.password_hash = std::string(rows.Text(row, 10));
  user.pin_hash = std::string(rows.Text(row, 11));
  user.created_at = TimeFromColumn(rows.OptionalInt(row, 12));
  return user;
}

// The user's columns after id, in kUserColumns order, as $1..$12.
void AddUserValues(PgParams& params, const core::User& user) {
  params.Add(Lower(user.email))
      .Add(user.name)
      .Add(EnumName<core::Role>(core::kRoleNames, user.role))
      .Add(user.org_id)
      .Add(EnumName<core::Tier>(core::kTierNames, user.tier))
      .Add(StringsToJson(user.skills))
      .Add(user.verified)
      .Add(user.org_admin)
      .Add(user.active)
      .Add(user.password_hash)
      .Add(user.pin_hash)
      .Add(TimeToColumn(user.created_at));
}

constexpr char kDuplicateEmail[] = "a user with this email already exists";

const std::string kTokenColumns = "id, user_id, name, digest, created_at, revoked_at";

core::ApiToken TokenFromRow(const PgResult& rows, int row) {
  core::ApiToken token;
  token.id = rows.Int(row, 0);
  token.user_id = rows.Int(row, 1);
  token.name = std::string(rows.Text(row, 2));
  token.digest = rows.Bytes(row, 3);
  token.created_at = TimeFromColumn(rows.OptionalInt(row, 4));
  token.revoked_at = OptionalTimeFromColumn(rows.OptionalInt(row, 5));
  return token;
}

const std::string kCommentColumns =
    "id, case_number, author_id, body, visibility, channel, attachment_ids, created_at";

core::Comment CommentFromRow(const PgResult& rows, int row) {
  core::Comment comment;
  comment.id = rows.Int(row, 0);
  comment.case_number = rows.Int(row, 1);
  comment.author_id = rows.Int(row, 2);
  comment.body = std::string(rows.Text(row, 3));
  comment.visibility = EnumFromColumn<core::Visibility>(core::kVisibilityNames, rows.Text(row, 4),
                                                        core::Visibility::kInternal);
  comment.channel = std::string(rows.Text(row, 5));
  comment.attachment_ids = StringsFromJson(rows.Text(row, 6));
  comment.created_at = TimeFromColumn(rows.OptionalInt(row, 7));
  return comment;
}

const std::string kAttachmentColumns =
    "id, case_number, comment_id, blob_digest, filename, content_type, size, uploaded_by,"
    " visibility, created_at";

core::Attachment AttachmentFromRow(const PgResult& rows, int row) {
  core::Attachment attachment;
  attachment.id = std::string(rows.Text(row, 0));
  attachment.case_number = rows.Int(row, 1);
  attachment.comment_id = rows.OptionalInt(row, 2);
  attachment.blob_digest = std::string(rows.Text(row, 3));
  attachment.filename = std::string(rows.Text(row, 4));
  attachment.content_type = std::string(rows.Text(row, 5));
  attachment.size = rows.Int(row, 6);
  attachment.uploaded_by = rows.Int(row, 7);
  attachment.visibility = EnumFromColumn<core::Visibility>(
      core::kVisibilityNames, rows.Text(row, 8), core::Visibility::kInternal);
  attachment.created_at = TimeFromColumn(rows.OptionalInt(row, 9));
  return attachment;
}

const std::string kPlanColumns =
    "name, display_name, description, channels, partner_eligible, after_hours_coverage";

core::SupportPlan PlanFromRow(const PgResult& rows, int row) {
  core::SupportPlan plan;
  plan.name = std::string(rows.Text(row, 0));
  plan.display_name = std::string(rows.Text(row, 1));
  plan.description = std::string(rows.Text(row, 2));
  for (const std::string& name : StringsFromJson(rows.Text(row, 3))) {
    std::optional<core::Channel> channel =
        core::EnumFromName<core::Channel>(core::kChannelNames, name);
    if (channel.has_value()) plan.channels.push_back(*channel);
  }
  plan.partner_eligible = rows.Bool(row, 4);
  plan.after_hours_coverage = rows.Bool(row, 5);
  return plan;
}

}  // namespace

const std::string kEventColumns =
    "id, entity, entity_id, case_number, actor_id, at, kind, changes, reason";

core::AuditEvent EventFromRow(const PgResult& rows, int row) {
  core::AuditEvent event;
  event.id = rows.Int(row, 0);
  event.entity = std::string(rows.Text(row, 1));
  event.entity_id = std::string(rows.Text(row, 2));
  event.case_number = rows.Int(row, 3);
  event.actor_id = rows.Int(row, 4);
  event.at = TimeFromColumn(rows.OptionalInt(row, 5));
  event.kind = std::string(rows.Text(row, 6));
  event.changes = ChangesFromJson(rows.Text(row, 7));
  event.reason = std::string(rows.Text(row, 8));
  return event;
}

namespace {

// Builds a page from rows ordered by an id in column 0, fetched with LIMIT limit + 1: the
// cursor points after the last item when the extra row exists.
template <typename T, typename RowReader>
ports::Page<T> PageFromRows(const PgResult& rows, int limit, RowReader read_row) {
  ports::Page<T> page;
  const int available = std::min(rows.rows(), limit);
  for (int row = 0; row < available; ++row) page.items.push_back(read_row(rows, row));
  if (rows.rows() > limit) page.next_cursor = EncodeCursor(rows.Int(limit - 1, 0));
  return page;
}

absl::StatusOr<int64_t> AfterId(const ports::PageRequest& page) {
  PG_STORE_ASSIGN_OR_RETURN(std::optional<int64_t> after, DecodeCursor(page.cursor));
  return after.value_or(0);
}

}  // namespace

absl::Status PostgresTransaction::RequireWritable() const {
  if (mode_ != TransactionMode::kReadWrite) {
    return absl::FailedPreconditionError("cannot write in a read-only transaction");
  }
  return absl::OkStatus();
}

void PostgresTransaction::NoteVersion(std::string key, std::string_view xmin) {
  if (mode_ == TransactionMode::kReadWrite) read_.versions[std::move(key)] = std::string(xmin);
}

std::optional<std::string> PostgresTransaction::TakeVersion(const std::string& key) {
  auto found = read_.versions.find(key);
  if (found == read_.versions.end()) return std::nullopt;
  std::string version = std::move(found->second);
  read_.versions.erase(found);
  return version;
}

absl::StatusOr<PgResult> PostgresTransaction::UpdateReadRow(const std::string& key, std::string sql,
                                                            PgParams params, std::string_view what,
                                                            std::string_view returning) {
  const std::optional<std::string> version = TakeVersion(key);
  if (version) {
    params.Add(*version);
    sql += " AND xmin = $" + std::to_string(params.size()) + "::xid";
  }
  sql += returning;
  PG_STORE_ASSIGN_OR_RETURN(PgResult updated, connection_.Execute(sql, params));
  // Rows read here are never deleted: one read and now not matched was changed.
  if (version && updated.affected() == 0) return ChangedMeanwhile(what);
  return updated;
}

absl::Status PostgresTransaction::ChangedMeanwhile(std::string_view what) {
  connection_.NoteLostRace();
  return absl::AbortedError(std::string(what) + " was changed by another writer meanwhile");
}

absl::Status PostgresTransaction::ExecuteWrite(const std::string& sql, PgParams params) {
  if (queue_writes_) return connection_.Queue(sql, std::move(params));
  return connection_.Execute(sql, params).status();
}

absl::Status PostgresTransaction::WriteRows(const PgRowsInsert& insert,
                                            std::vector<PgParams> rows) {
  if (queue_writes_) return connection_.QueueRows(insert, std::move(rows));
  return connection_.ExecuteRows(insert, rows);
}

absl::Status PostgresTransaction::WriteRow(const PgRowsInsert& insert, PgParams row) {
  std::vector<PgParams> rows;
  rows.push_back(std::move(row));
  return WriteRows(insert, std::move(rows));
}

// ---- Organisations ----

absl::StatusOr<core::OrgId> PostgresTransaction::InsertOrganisation(const core::Organisation& org) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  read_.provider.reset();
  PgParams params;
  AddOrganisationValues(params, org);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO organisations (name, kind, parent_id, plan, shares_cases,"
                          " time_zone, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                          " RETURNING id",
                          params));
  return inserted.Int(0, 0);
}

absl::StatusOr<core::Organisation> PostgresTransaction::GetOrganisation(core::OrgId id) {
  if (auto read = read_.organisations.find(id); read != read_.organisations.end()) {
    return read->second;
  }
  if (cached_.caches != nullptr) {
    if (auto hit = cached_.caches->organisations.Get(id, std::chrono::steady_clock::now())) {
      return read_.organisations[id] = *hit;
    }
  }
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kOrganisationColumns +
                                                    ", xmin FROM organisations WHERE id = $1",
                                                PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("organisation not found");
  NoteVersionOfRow("org:" + std::to_string(id), rows);
  core::Organisation org = OrganisationFromRow(rows, 0);
  if (cached_.caches != nullptr) {
    cached_.caches->organisations.Put(id, org, cached_.epoch, std::chrono::steady_clock::now());
  }
  return read_.organisations[id] = std::move(org);
}

absl::Status PostgresTransaction::UpdateOrganisation(const core::Organisation& org) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  read_.organisations.erase(org.id);
  read_.provider.reset();
  if (organisations_changed_ != nullptr) *organisations_changed_ = true;
  PgParams params;
  AddOrganisationValues(params, org);
  params.Add(org.id);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      UpdateReadRow("org:" + std::to_string(org.id),
                    "UPDATE organisations SET name = $1, kind = $2, parent_id = $3, plan = $4,"
                    " shares_cases = $5, time_zone = $6, created_at = $7 WHERE id = $8",
                    std::move(params), "the organisation"));
  if (updated.affected() == 0) return absl::NotFoundError("organisation not found");
  return absl::OkStatus();
}

absl::StatusOr<ports::Page<core::Organisation>> PostgresTransaction::ListOrganisations(
    const ports::OrgFilter& filter) {
  PG_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(filter.page));
  PgParams params;
  params.Add(after);
  std::string sql = "SELECT " + kOrganisationColumns + " FROM organisations WHERE id > $1";
  if (filter.only_ids.has_value()) {
    params.Add(IdArray(*filter.only_ids));
    sql += " AND id = ANY($" + std::to_string(params.size()) + "::bigint[])";
  }
  if (filter.parent_id.has_value()) {
    params.Add(*filter.parent_id);
    sql += " AND parent_id = $" + std::to_string(params.size());
  }
  if (filter.kind.has_value()) {
    params.Add(EnumName<core::OrgKind>(core::kOrgKindNames, *filter.kind));
    sql += " AND kind = $" + std::to_string(params.size());
  }
  const int limit = ClampLimit(filter.page.limit);
  params.Add(int64_t{limit} + 1);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  return PageFromRows<core::Organisation>(rows, limit, OrganisationFromRow);
}

absl::StatusOr<std::vector<core::OrgId>> PostgresTransaction::ListChildOrganisationIds(
    core::OrgId parent) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT id FROM organisations WHERE parent_id = $1 ORDER BY id",
                          PgParams().Add(parent)));
  std::vector<core::OrgId> ids;
  for (int row = 0; row < rows.rows(); ++row) ids.push_back(rows.Int(row, 0));
  return ids;
}

absl::StatusOr<std::optional<core::Organisation>> PostgresTransaction::FindProvider() {
  if (read_.provider.has_value()) return *read_.provider;
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kOrganisationColumns +
                          " FROM organisations WHERE kind = 'provider' ORDER BY id LIMIT 1"));
  read_.provider.emplace();
  if (rows.rows() > 0) read_.provider->emplace(OrganisationFromRow(rows, 0));
  return *read_.provider;
}

// ---- People ----

namespace {

// What a ListUsers page is kept under in PgReadCache: every field of the filter.
std::string UserPageKey(const ports::UserFilter& filter) {
  std::string key = "orgs:";
  if (filter.only_org_ids.has_value()) {
    for (core::OrgId id : *filter.only_org_ids) key += std::to_string(id) + ",";
  } else {
    key += "*";
  }
  key += " org:" + (filter.org_id ? std::to_string(*filter.org_id) : "*");
  key += " role:" + (filter.role ? std::string(EnumName<core::Role>(core::kRoleNames, *filter.role))
                                 : std::string("*"));
  key += " limit:" + std::to_string(filter.page.limit) + " after:" + filter.page.cursor;
  return key;
}

}  // namespace

absl::StatusOr<core::UserId> PostgresTransaction::InsertUser(const core::User& user) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  read_.user_pages.clear();
  PgParams params;
  AddUserValues(params, user);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO users (email, name, role, org_id, tier, skills, verified,"
                          " org_admin, active, password_hash, pin_hash, created_at) VALUES ($1,"
                          " $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                          " ON CONFLICT DO NOTHING RETURNING id",
                          params));
  if (inserted.rows() == 0) return absl::AlreadyExistsError(kDuplicateEmail);
  return inserted.Int(0, 0);
}

absl::StatusOr<core::User> PostgresTransaction::GetUser(core::UserId id) {
  if (auto read = read_.users.find(id); read != read_.users.end()) return read->second;
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kUserColumns + ", xmin FROM users WHERE id = $1",
                          PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("user not found");
  NoteVersionOfRow("user:" + std::to_string(id), rows);
  return read_.users[id] = UserFromRow(rows, 0);
}

absl::StatusOr<core::User> PostgresTransaction::FindUserByEmail(std::string_view normalised_email) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kUserColumns + ", xmin FROM users WHERE email = $1",
                          PgParams().Add(Lower(normalised_email))));
  if (rows.rows() == 0) return absl::NotFoundError("user not found");
  core::User user = UserFromRow(rows, 0);
  NoteVersionOfRow("user:" + std::to_string(user.id), rows);
  return user;
}

absl::Status PostgresTransaction::UpdateUser(const core::User& user) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  read_.users.erase(user.id);
  read_.user_pages.clear();
  PgParams params;
  AddUserValues(params, user);
  params.Add(user.id);
  absl::StatusOr<PgResult> updated = UpdateReadRow(
      "user:" + std::to_string(user.id),
      "UPDATE users SET email = $1, name = $2, role = $3, org_id = $4, tier = $5, skills = $6,"
      " verified = $7, org_admin = $8, active = $9, password_hash = $10, pin_hash = $11,"
      " created_at = $12 WHERE id = $13",
      std::move(params), "the user");
  if (!updated.ok()) {
    if (updated.status().code() == absl::StatusCode::kAlreadyExists) {
      return absl::AlreadyExistsError(kDuplicateEmail);
    }
    return updated.status();
  }
  if (updated->affected() == 0) return absl::NotFoundError("user not found");
  return absl::OkStatus();
}

absl::StatusOr<ports::Page<core::User>> PostgresTransaction::ListUsers(
    const ports::UserFilter& filter) {
  const std::string key = UserPageKey(filter);
  if (auto read = read_.user_pages.find(key); read != read_.user_pages.end()) {
    return read->second;
  }
  PG_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(filter.page));
  PgParams params;
  params.Add(after);
  std::string sql = "SELECT " + kUserColumns + " FROM users WHERE id > $1";
  if (filter.only_org_ids.has_value()) {
    params.Add(IdArray(*filter.only_org_ids));
    sql += " AND org_id = ANY($" + std::to_string(params.size()) + "::bigint[])";
  }
  if (filter.org_id.has_value()) {
    params.Add(*filter.org_id);
    sql += " AND org_id = $" + std::to_string(params.size());
  }
  if (filter.role.has_value()) {
    params.Add(EnumName<core::Role>(core::kRoleNames, *filter.role));
    sql += " AND role = $" + std::to_string(params.size());
  }
  const int limit = ClampLimit(filter.page.limit);
  params.Add(int64_t{limit} + 1);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  return read_.user_pages[key] = PageFromRows<core::User>(rows, limit, UserFromRow);
}

absl::StatusOr<std::vector<core::User>> PostgresTransaction::ListVerifiedUsers(
    core::UserId after_id, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT " + kUserColumns +
                                             " FROM users WHERE id > $1 AND verified AND active"
                                             " ORDER BY id LIMIT $2",
                                         PgParams().Add(after_id).Add(int64_t{ClampLimit(limit)})));
  std::vector<core::User> users;
  users.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) users.push_back(UserFromRow(rows, row));
  return users;
}

// ---- API tokens ----

absl::StatusOr<core::TokenId> PostgresTransaction::InsertApiToken(const core::ApiToken& token) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO api_tokens (user_id, name, digest, created_at, revoked_at)"
                          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
                          PgParams()
                              .Add(token.user_id)
                              .Add(token.name)
                              .AddBytes(token.digest)
                              .Add(TimeToColumn(token.created_at))
                              .Add(OptionalTimeToColumn(token.revoked_at))));
  if (inserted.rows() == 0) {
    return absl::AlreadyExistsError("a token with this digest already exists");
  }
  return inserted.Int(0, 0);
}

absl::StatusOr<core::ApiToken> PostgresTransaction::FindApiTokenByDigest(std::string_view digest) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kTokenColumns + " FROM api_tokens WHERE digest = $1",
                          PgParams().AddBytes(digest)));
  if (rows.rows() == 0) return absl::NotFoundError("token not found");
  return TokenFromRow(rows, 0);
}

absl::StatusOr<core::ApiToken> PostgresTransaction::GetApiToken(core::TokenId id) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute("SELECT " + kTokenColumns +
                                                                   " FROM api_tokens WHERE id = $1",
                                                               PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("token not found");
  return TokenFromRow(rows, 0);
}

absl::StatusOr<std::vector<core::ApiToken>> PostgresTransaction::ListApiTokens(
    core::UserId user_id) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kTokenColumns +
                                                    " FROM api_tokens WHERE user_id = $1"
                                                    " ORDER BY created_at DESC NULLS LAST, id DESC",
                                                PgParams().Add(user_id)));
  std::vector<core::ApiToken> tokens;
  for (int row = 0; row < rows.rows(); ++row) tokens.push_back(TokenFromRow(rows, row));
  return tokens;
}

absl::Status PostgresTransaction::RevokeApiToken(core::TokenId id, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // COALESCE keeps the first revocation time when a token is revoked twice.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute(
          "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
          PgParams().Add(id).Add(TimeToColumn(at))));
  if (updated.affected() == 0) return absl::NotFoundError("token not found");
  return absl::OkStatus();
}

// ---- Groups ----

absl::Status PostgresTransaction::ReplaceGroupMembers(const core::Group& group) {
  PG_STORE_RETURN_IF_ERROR(
      connection_.Execute("DELETE FROM group_members WHERE group_id = $1", PgParams().Add(group.id))
          .status());
  if (group.members.empty()) return absl::OkStatus();
  // One statement for every member: positions come from the array order.
  absl::StatusOr<PgResult> inserted = connection_.Execute(
      "INSERT INTO group_members (group_id, position, user_id)"
      " SELECT $1, m.position - 1, m.user_id"
      " FROM unnest($2::bigint[]) WITH ORDINALITY AS m(user_id, position)",
      PgParams().Add(group.id).Add(IdArray(group.members)));
  if (!inserted.ok() && inserted.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError("duplicate group member");
  }
  return inserted.status();
}

absl::StatusOr<core::GroupId> PostgresTransaction::InsertGroup(const core::Group& group) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO groups (name, description, triage, created_at)"
                          " VALUES ($1, $2, $3, $4) RETURNING id",
                          PgParams()
                              .Add(group.name)
                              .Add(group.description)
                              .Add(group.triage)
                              .Add(TimeToColumn(group.created_at))));
  if (groups_changed_ != nullptr) *groups_changed_ = true;
  core::Group stored = group;
  stored.id = inserted.Int(0, 0);
  PG_STORE_RETURN_IF_ERROR(ReplaceGroupMembers(stored));
  return stored.id;
}

namespace {

// A group with its members in order and, last, the row's version (xmin).
const std::string kGroupColumns =
    "g.id, g.name, g.description, g.triage, g.created_at,"
    " COALESCE((SELECT array_agg(m.user_id ORDER BY m.position) FROM group_members m"
    " WHERE m.group_id = g.id)::text, '{}'), g.xmin";

core::Group GroupFromRow(const PgResult& rows, int row) {
  core::Group group;
  group.id = rows.Int(row, 0);
  group.name = std::string(rows.Text(row, 1));
  group.description = std::string(rows.Text(row, 2));
  group.triage = rows.Bool(row, 3);
  group.created_at = TimeFromColumn(rows.OptionalInt(row, 4));
  // The members arrive as an array literal: {3,1,2}.
  std::string_view members = rows.Text(row, 5);
  if (members.size() >= 2) members = members.substr(1, members.size() - 2);
  std::vector<int64_t> ids = IdsFromJson("[" + std::string(members) + "]");
  group.members.assign(ids.begin(), ids.end());
  return group;
}

}  // namespace

absl::StatusOr<core::Group> PostgresTransaction::GetGroup(core::GroupId id) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute("SELECT " + kGroupColumns +
                                                                   " FROM groups g WHERE g.id = $1",
                                                               PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("group not found");
  NoteVersionOfRow("group:" + std::to_string(id), rows);
  return GroupFromRow(rows, 0);
}

absl::Status PostgresTransaction::UpdateGroup(const core::Group& group) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (groups_changed_ != nullptr) *groups_changed_ = true;
  PgParams params;
  params.Add(group.name)
      .Add(group.description)
      .Add(group.triage)
      .Add(TimeToColumn(group.created_at))
      .Add(group.id);
  PG_STORE_ASSIGN_OR_RETURN(PgResult updated,
                            UpdateReadRow("group:" + std::to_string(group.id),
                                          "UPDATE groups SET name = $1, description = $2, triage = "
                                          "$3, created_at = $4 WHERE id = $5",
                                          std::move(params), "the group"));
  if (updated.affected() == 0) return absl::NotFoundError("group not found");
  return ReplaceGroupMembers(group);
}

absl::StatusOr<ports::Page<core::Group>> PostgresTransaction::ListGroups(
    const ports::PageRequest& page) {
  PG_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  const int limit = ClampLimit(page.limit);
  const std::string cached_page =
      cached_.caches != nullptr ? PgNodeCaches::GroupPageKey(page) : std::string();
  if (cached_.caches != nullptr) {
    if (auto hit = cached_.caches->group_pages.Get(cached_page, std::chrono::steady_clock::now())) {
      return *hit;
    }
  }
  // One statement for the page, members included (opening a case looks for the triage group).
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kGroupColumns +
                                                    " FROM groups g WHERE g.id > $1"
                                                    " ORDER BY g.id LIMIT $2",
                                                PgParams().Add(after).Add(int64_t{limit} + 1)));
  ports::Page<core::Group> groups = PageFromRows<core::Group>(rows, limit, GroupFromRow);
  if (cached_.caches != nullptr) {
    cached_.caches->group_pages.Put(cached_page, groups, cached_.epoch,
                                    std::chrono::steady_clock::now());
  }
  return groups;
}

// ---- Plans ----

absl::Status PostgresTransaction::UpsertPlan(const core::SupportPlan& plan) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  std::vector<std::string> channels;
  for (core::Channel channel : plan.channels) {
    channels.push_back(EnumName<core::Channel>(core::kChannelNames, channel));
  }
  return connection_
      .Execute("INSERT INTO plans (" + kPlanColumns +
                   ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (name) DO UPDATE SET"
                   " display_name = EXCLUDED.display_name, description = EXCLUDED.description,"
                   " channels = EXCLUDED.channels, partner_eligible = EXCLUDED.partner_eligible,"
                   " after_hours_coverage = EXCLUDED.after_hours_coverage",
               PgParams()
                   .Add(plan.name)
                   .Add(plan.display_name)
                   .Add(plan.description)
                   .Add(StringsToJson(channels))
                   .Add(plan.partner_eligible)
                   .Add(plan.after_hours_coverage))
      .status();
}

absl::StatusOr<core::SupportPlan> PostgresTransaction::GetPlan(std::string_view name) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT " + kPlanColumns + " FROM plans WHERE name = $1",
                                         PgParams().Add(name)));
  if (rows.rows() == 0) return absl::NotFoundError("support plan not found");
  return PlanFromRow(rows, 0);
}

absl::StatusOr<std::vector<core::SupportPlan>> PostgresTransaction::ListPlans() {
  // COLLATE "C": the byte order SQLite uses, whatever the database's locale.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kPlanColumns + " FROM plans ORDER BY name COLLATE \"C\""));
  std::vector<core::SupportPlan> plans;
  for (int row = 0; row < rows.rows(); ++row) plans.push_back(PlanFromRow(rows, row));
  return plans;
}

// ---- Conversation ----

absl::StatusOr<core::CommentId> PostgresTransaction::InsertComment(const core::Comment& comment) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // The comments_are_searchable trigger indexes the body in the same statement.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute(
          "INSERT INTO comments (case_number, author_id, body, visibility, channel,"
          " attachment_ids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
          PgParams()
              .Add(comment.case_number)
              .Add(comment.author_id)
              .Add(comment.body)
              .Add(EnumName<core::Visibility>(core::kVisibilityNames, comment.visibility))
              .Add(comment.channel)
              .Add(StringsToJson(comment.attachment_ids))
              .Add(TimeToColumn(comment.created_at))));
  return inserted.Int(0, 0);
}

absl::StatusOr<ports::Page<core::Comment>> PostgresTransaction::ListComments(
    core::CaseNumber number, bool include_internal, const ports::PageRequest& page) {
  PG_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  std::string sql =
      "SELECT " + kCommentColumns + " FROM comments WHERE case_number = $1 AND id > $2";
  if (!include_internal) sql += " AND visibility = 'public'";
  sql += " ORDER BY id LIMIT $3";
  const int limit = ClampLimit(page.limit);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute(sql, PgParams().Add(number).Add(after).Add(int64_t{limit} + 1)));
  return PageFromRows<core::Comment>(rows, limit, CommentFromRow);
}

absl::Status PostgresTransaction::InsertAttachment(const core::Attachment& attachment) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (attachment.id.empty()) return absl::InvalidArgumentError("an attachment needs an id");
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute(
          "INSERT INTO attachments (" + kAttachmentColumns +
              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
              " ON CONFLICT DO NOTHING RETURNING id",
          PgParams()
              .Add(attachment.id)
              .Add(attachment.case_number)
              .Add(attachment.comment_id)
              .Add(attachment.blob_digest)
              .Add(attachment.filename)
              .Add(attachment.content_type)
              .Add(attachment.size)
              .Add(attachment.uploaded_by)
              .Add(EnumName<core::Visibility>(core::kVisibilityNames, attachment.visibility))
              .Add(TimeToColumn(attachment.created_at))));
  if (inserted.rows() == 0) {
    return absl::AlreadyExistsError("an attachment with this id already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::Attachment> PostgresTransaction::GetAttachment(std::string_view id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kAttachmentColumns + " FROM attachments WHERE id = $1",
                          PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("attachment not found");
  return AttachmentFromRow(rows, 0);
}

absl::StatusOr<std::vector<core::Attachment>> PostgresTransaction::ListAttachments(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kAttachmentColumns +
                                                    " FROM attachments WHERE case_number = $1"
                                                    " ORDER BY created_at, position",
                                                PgParams().Add(number)));
  std::vector<core::Attachment> attachments;
  for (int row = 0; row < rows.rows(); ++row) attachments.push_back(AttachmentFromRow(rows, row));
  return attachments;
}

absl::Status PostgresTransaction::AttachToComment(std::string_view attachment_id,
                                                  core::CommentId comment_id) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(core::Attachment attachment, GetAttachment(attachment_id));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult comment,
      connection_.Execute("SELECT case_number, attachment_ids FROM comments WHERE id = $1"
                          " FOR NO KEY UPDATE",
                          PgParams().Add(comment_id)));
  if (comment.rows() == 0) return absl::NotFoundError("comment not found");
  if (comment.Int(0, 0) != attachment.case_number) {
    return absl::InvalidArgumentError("the attachment belongs to another case");
  }
  std::vector<std::string> attachment_ids = StringsFromJson(comment.Text(0, 1));
  PG_STORE_RETURN_IF_ERROR(connection_
                               .Execute("UPDATE attachments SET comment_id = $1 WHERE id = $2",
                                        PgParams().Add(comment_id).Add(attachment_id))
                               .status());
  if (std::find(attachment_ids.begin(), attachment_ids.end(), attachment_id) ==
      attachment_ids.end()) {
    attachment_ids.emplace_back(attachment_id);
    PG_STORE_RETURN_IF_ERROR(
        connection_
            .Execute("UPDATE comments SET attachment_ids = $1 WHERE id = $2",
                     PgParams().Add(StringsToJson(attachment_ids)).Add(comment_id))
            .status());
  }
  return absl::OkStatus();
}

// ---- Audit events ----

namespace {

// Events: one at a time with their id back (AppendEvent), or queued with the batch's other
// rows (RecordEvent, PostgresTransaction::WriteRows), whose ids follow the order they were
// queued in.
const PgRowsInsert kInsertEvents{
    .sql =
        "INSERT INTO events (entity, entity_id, case_number, actor_id, at, kind, changes,"
        " reason) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[],"
        " $5::bigint[], $6::text[], $7::text[], $8::text[])",
    .rank = 1};

PgParams EventParams(const core::AuditEvent& event) {
  PgParams params;
  params.Add(event.entity)
      .Add(event.entity_id)
      .Add(event.case_number)
      .Add(event.actor_id)
      .Add(TimeToColumn(event.at))
      .Add(event.kind)
      .Add(ChangesToJson(event.changes))
      .Add(event.reason);
  return params;
}

}  // namespace

absl::StatusOr<core::EventId> PostgresTransaction::AppendEvent(const core::AuditEvent& event) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(PgResult inserted,
                            connection_.Execute(std::string(kInsertEvents.sql) + " RETURNING id",
                                                RowAsArrays(EventParams(event))));
  NoteCaseChanged(event.case_number);
  return inserted.Int(0, 0);
}

absl::Status PostgresTransaction::RecordEvent(const core::AuditEvent& event) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(WriteRow(kInsertEvents, EventParams(event)));
  NoteCaseChanged(event.case_number);
  return absl::OkStatus();
}

absl::StatusOr<ports::Page<core::AuditEvent>> PostgresTransaction::ListCaseEvents(
    core::CaseNumber number, const ports::PageRequest& page) {
  PG_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  const int limit = ClampLimit(page.limit);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kEventColumns +
                              " FROM events WHERE case_number = $1 AND id > $2 ORDER BY id"
                              " LIMIT $3",
                          PgParams().Add(number).Add(after).Add(int64_t{limit} + 1)));
  return PageFromRows<core::AuditEvent>(rows, limit, EventFromRow);
}

absl::StatusOr<ports::Page<core::AuditEvent>> PostgresTransaction::ListEntityEvents(
    std::string_view entity, std::string_view entity_id, const ports::PageRequest& page) {
  PG_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  const int limit = ClampLimit(page.limit);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute(
                         "SELECT " + kEventColumns +
                             " FROM events WHERE entity = $1 AND entity_id = $2 AND id > $3"
                             " ORDER BY id LIMIT $4",
                         PgParams().Add(entity).Add(entity_id).Add(after).Add(int64_t{limit} + 1)));
  return PageFromRows<core::AuditEvent>(rows, limit, EventFromRow);
}

// ---- Settings ----

absl::StatusOr<std::optional<std::string>> PostgresTransaction::GetSetting(std::string_view key) {
  if (auto read = read_.settings.find(std::string(key)); read != read_.settings.end()) {
    return read->second;
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT value, xmin FROM settings WHERE key = $1", PgParams().Add(key)));
  std::optional<std::string> value;
  if (rows.rows() > 0) value = std::string(rows.Text(0, 0));
  NoteVersion("setting:" + std::string(key), rows.rows() > 0 ? rows.Text(0, 1) : "");
  return read_.settings[std::string(key)] = std::move(value);
}

absl::Status PostgresTransaction::PutSetting(std::string_view key, std::string_view value) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  read_.settings.erase(std::string(key));
  const std::optional<std::string> version = TakeVersion("setting:" + std::string(key));
  if (!version) {
    return connection_
        .Execute(
            "INSERT INTO settings (key, value) VALUES ($1, $2)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            PgParams().Add(key).Add(value))
        .status();
  }
  // Read as absent: insert only if still absent; read with a version: update only that one.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult written,
      version->empty()
          ? connection_.Execute(
                "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
                PgParams().Add(key).Add(value))
          : connection_.Execute("UPDATE settings SET value = $2 WHERE key = $1 AND xmin = $3::xid",
                                PgParams().Add(key).Add(value).Add(*version)));
  if (written.affected() == 0) return ChangedMeanwhile("setting " + std::string(key));
  return absl::OkStatus();
}

absl::Status PostgresTransaction::DeleteSetting(std::string_view key) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  read_.settings.erase(std::string(key));
  read_.versions.erase("setting:" + std::string(key));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult deleted,
      connection_.Execute("DELETE FROM settings WHERE key = $1", PgParams().Add(key)));
  if (deleted.affected() == 0) {
    return absl::NotFoundError("setting not found: " + std::string(key));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> PostgresTransaction::ListSettings(
    std::string_view prefix) {
  // starts_with compares the prefix literally (no LIKE wildcards to escape); COLLATE "C" orders
  // keys bytewise, as SQLite does.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT key, value FROM settings WHERE starts_with(key, $1)"
                          " ORDER BY key COLLATE \"C\"",
                          PgParams().Add(prefix)));
  std::vector<std::pair<std::string, std::string>> settings;
  settings.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    settings.emplace_back(std::string(rows.Text(row, 0)), std::string(rows.Text(row, 1)));
  }
  return settings;
}

}  // namespace casedesk::adapters::postgres

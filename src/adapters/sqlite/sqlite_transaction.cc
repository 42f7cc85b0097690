// SqliteTransaction: organisations, people, tokens, groups, plans, conversation, attachments,
// audit events and settings. Cases, lists of cases and search are in sqlite_case_queries.cc.
#include "adapters/sqlite/sqlite_transaction.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kOrganisationColumns[] =
    "id, name, kind, parent_id, plan, shares_cases, time_zone, created_at";

core::Organisation OrganisationFromRow(const Statement& row) {
  core::Organisation org;
  org.id = row.Int(0);
  org.name = row.Text(1);
  org.kind =
      EnumFromColumn<core::OrgKind>(core::kOrgKindNames, row.Text(2), core::OrgKind::kCustomer);
  org.parent_id = row.OptionalInt(3);
  org.plan = row.Text(4);
  org.shares_cases = row.Int(5) != 0;
  org.time_zone = row.Text(6);
  org.created_at = TimeFromColumn(row.OptionalInt(7));
  return org;
}

constexpr char kUserColumns[] =
    "id, email, name, role, org_id, tier, skills, verified, org_admin, active, password_hash,"
    " pin_hash, created_at";

core::User UserFromRow(const Statement& row) {
  core::User user;
  user.id = row.Int(0);
  user.email = row.Text(1);
  user.name = row.Text(2);
  user.role = EnumFromColumn<core::Role>(core::kRoleNames, row.Text(3), core::Role::kCustomer);
  user.org_id = row.Int(4);
  user.tier = EnumFromColumn<core::Tier>(core::kTierNames, row.Text(5), core::Tier::kNone);
  user.skills = StringsFromJson(row.Text(6));
  user.verified = row.Int(7) != 0;
  user.org_admin = row.Int(8) != 0;
  user.active = row.Int(9) != 0;
  user.password_hash = row.Text(10);
  user.pin_hash = row.Text(11);
  user.created_at = TimeFromColumn(row.OptionalInt(12));
  return user;
}

// The user's columns after id, in kUserColumns order, bound as ?1..?12.
constexpr char kUserAssignments[] =
    "email = ?1, name = ?2, role = ?3, org_id = ?4, tier = ?5, skills = ?6, verified = ?7,"
    " org_admin = ?8, active = ?9, password_hash = ?10, pin_hash = ?11, created_at = ?12";

void BindUser(Statement& statement, const core::User& user) {
  statement.Bind(1, absl::AsciiStrToLower(user.email))
      .Bind(2, user.name)
      .Bind(3, EnumName<core::Role>(core::kRoleNames, user.role))
      .Bind(4, user.org_id)
      .Bind(5, EnumName<core::Tier>(core::kTierNames, user.tier))
      .Bind(6, StringsToJson(user.skills))
      .Bind(7, int64_t{user.verified})
      .Bind(8, int64_t{user.org_admin})
      .Bind(9, int64_t{user.active})
      .Bind(10, user.password_hash)
      .Bind(11, user.pin_hash)
      .Bind(12, TimeToColumn(user.created_at));
}

constexpr char kDuplicateEmail[] = "a user with this email already exists";

constexpr char kCommentColumns[] =
    "id, case_number, author_id, body, visibility, channel, attachment_ids, created_at";

core::Comment CommentFromRow(const Statement& row) {
  core::Comment comment;
  comment.id = row.Int(0);
  comment.case_number = row.Int(1);
  comment.author_id = row.Int(2);
  comment.body = row.Text(3);
  comment.visibility = EnumFromColumn<core::Visibility>(core::kVisibilityNames, row.Text(4),
                                                        core::Visibility::kInternal);
  comment.channel = row.Text(5);
  comment.attachment_ids = StringsFromJson(row.Text(6));
  comment.created_at = TimeFromColumn(row.OptionalInt(7));
  return comment;
}

constexpr char kAttachmentColumns[] =
    "id, case_number, comment_id, blob_digest, filename, content_type, size, uploaded_by,"
    " visibility, created_at";

core::Attachment AttachmentFromRow(const Statement& row) {
  core::Attachment attachment;
  attachment.id = row.Text(0);
  attachment.case_number = row.Int(1);
  attachment.comment_id = row.OptionalInt(2);
  attachment.blob_digest = row.Text(3);
  attachment.filename = row.Text(4);
  attachment.content_type = row.Text(5);
  attachment.size = row.Int(6);
  attachment.uploaded_by = row.Int(7);
  attachment.visibility = EnumFromColumn<core::Visibility>(core::kVisibilityNames, row.Text(8),
                                                           core::Visibility::kInternal);
  attachment.created_at = TimeFromColumn(row.OptionalInt(9));
  return attachment;
}

constexpr char kTokenColumns[] = "id, user_id, name, digest, created_at, revoked_at";

core::ApiToken TokenFromRow(const Statement& row) {
  core::ApiToken token;
  token.id = row.Int(0);
  token.user_id = row.Int(1);
  token.name = row.Text(2);
  token.digest = row.Blob(3);
  token.created_at = TimeFromColumn(row.OptionalInt(4));
  token.revoked_at = OptionalTimeFromColumn(row.OptionalInt(5));
  return token;
}

constexpr char kEventColumns[] =
    "id, entity, entity_id, case_number, actor_id, at, kind, changes, reason";

core::AuditEvent EventFromRow(const Statement& row) {
  core::AuditEvent event;
  event.id = row.Int(0);
  event.entity = row.Text(1);
  event.entity_id = row.Text(2);
  event.case_number = row.Int(3);
  event.actor_id = row.Int(4);
  event.at = TimeFromColumn(row.OptionalInt(5));
  event.kind = row.Text(6);
  event.changes = ChangesFromJson(row.Text(7));
  event.reason = row.Text(8);
  return event;
}

core::SupportPlan PlanFromRow(const Statement& row) {
  core::SupportPlan plan;
  plan.name = row.Text(0);
  plan.display_name = row.Text(1);
  plan.description = row.Text(2);
  for (const std::string& name : StringsFromJson(row.Text(3))) {
    std::optional<core::Channel> channel =
        core::EnumFromName<core::Channel>(core::kChannelNames, name);
    if (channel.has_value()) plan.channels.push_back(*channel);
  }
  plan.partner_eligible = row.Int(4) != 0;
  plan.after_hours_coverage = row.Int(5) != 0;
  return plan;
}

// Steps `statement` (whose rows are ordered by an id in column 0) and builds a page of at most
// `limit` items; the cursor points after the last item when more rows exist.
template <typename T, typename RowReader>
absl::StatusOr<ports::Page<T>> ReadPage(Statement& statement, int limit, RowReader read_row) {
  ports::Page<T> page;
  int64_t last_position = 0;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, statement.Step());
    if (!has_row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = EncodeCursor(last_position);
      break;
    }
    last_position = statement.Int(0);
    page.items.push_back(read_row(statement));
  }
  return page;
}

// Id-ordered pages: the cursor holds the last id returned; the query asks for ids above it.
absl::StatusOr<int64_t> AfterId(const ports::PageRequest& page) {
  SQLITE_STORE_ASSIGN_OR_RETURN(std::optional<int64_t> after, DecodeCursor(page.cursor));
  return after.value_or(0);
}

}  // namespace

absl::Status SqliteTransaction::RequireWritable() const {
  if (mode_ == TransactionMode::kReadWrite) return absl::OkStatus();
  return absl::FailedPreconditionError("cannot write in a read-only transaction");
}

// ---- Organisations ----

absl::StatusOr<core::OrgId> SqliteTransaction::InsertOrganisation(const core::Organisation& org) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO organisations (name, kind, parent_id, plan, shares_cases,"
                          " time_zone, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, org.name)
      .Bind(2, EnumName<core::OrgKind>(core::kOrgKindNames, org.kind))
      .Bind(3, org.parent_id)
      .Bind(4, org.plan)
      .Bind(5, int64_t{org.shares_cases})
      .Bind(6, org.time_zone)
      .Bind(7, TimeToColumn(org.created_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, "an organisation with this id already exists");
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::Organisation> SqliteTransaction::GetOrganisation(core::OrgId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kOrganisationColumns +
                                                    " FROM organisations WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("organisation not found");
  return OrganisationFromRow(query);
}

absl::Status SqliteTransaction::UpdateOrganisation(const core::Organisation& org) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE organisations SET name = ?, kind = ?, parent_id = ?, plan = ?,"
                          " shares_cases = ?, time_zone = ?, created_at = ? WHERE id = ?"));
  update.Bind(1, org.name)
      .Bind(2, EnumName<core::OrgKind>(core::kOrgKindNames, org.kind))
      .Bind(3, org.parent_id)
      .Bind(4, org.plan)
      .Bind(5, int64_t{org.shares_cases})
      .Bind(6, org.time_zone)
      .Bind(7, TimeToColumn(org.created_at))
      .Bind(8, org.id);
  absl::Status status = update.Run();
  if (!status.ok()) return ClassifyWriteError(status, update, "duplicate organisation");
  if (connection_.Changes() == 0) return absl::NotFoundError("organisation not found");
  return absl::OkStatus();
}

absl::StatusOr<ports::Page<core::Organisation>> SqliteTransaction::ListOrganisations(
    const ports::OrgFilter& filter) {
  SQLITE_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(filter.page));
  std::string sql =
      std::string("SELECT ") + kOrganisationColumns + " FROM organisations WHERE id > ?";
  if (filter.only_ids.has_value()) sql += " AND id IN (SELECT value FROM json_each(?))";
  if (filter.parent_id.has_value()) sql += " AND parent_id = ?";
  if (filter.kind.has_value()) sql += " AND kind = ?";
  sql += " ORDER BY id LIMIT ?";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  int index = 1;
  query.Bind(index++, after);
  if (filter.only_ids.has_value()) query.Bind(index++, IdsToJson(*filter.only_ids));
  if (filter.parent_id.has_value()) query.Bind(index++, *filter.parent_id);
  if (filter.kind.has_value()) {
    query.Bind(index++, EnumName<core::OrgKind>(core::kOrgKindNames, *filter.kind));
  }
  const int limit = ClampLimit(filter.page.limit);
  query.Bind(index++, int64_t{limit} + 1);
  return ReadPage<core::Organisation>(query, limit, OrganisationFromRow);
}

absl::StatusOr<std::vector<core::OrgId>> SqliteTransaction::ListChildOrganisationIds(
    core::OrgId parent) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT id FROM organisations WHERE parent_id = ? ORDER BY id"));
  query.Bind(1, parent);
  std::vector<core::OrgId> ids;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    ids.push_back(query.Int(0));
  }
  return ids;
}

absl::StatusOr<std::optional<core::Organisation>> SqliteTransaction::FindProvider() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kOrganisationColumns +
                          " FROM organisations WHERE kind = 'provider' ORDER BY id LIMIT 1"));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<core::Organisation>();
  return std::optional<core::Organisation>(OrganisationFromRow(query));
}

// ---- People ----

absl::StatusOr<core::UserId> SqliteTransaction::InsertUser(const core::User& user) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(std::string("INSERT INTO users (") + kUserColumns +
                          ") VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  BindUser(insert, user);
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, kDuplicateEmail);
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::User> SqliteTransaction::GetUser(core::UserId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("user not found");
  return UserFromRow(query);
}

absl::StatusOr<core::User> SqliteTransaction::FindUserByEmail(std::string_view normalised_email) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?"));
  query.Bind(1, absl::AsciiStrToLower(
                    absl::string_view(normalised_email.data(), normalised_email.size())));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("user not found");
  return UserFromRow(query);
}

absl::Status SqliteTransaction::UpdateUser(const core::User& user) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(std::string("UPDATE users SET ") + kUserAssignments + " WHERE id = ?13"));
  BindUser(update, user);
  update.Bind(13, user.id);
  absl::Status status = update.Run();
  if (!status.ok()) return ClassifyWriteError(status, update, kDuplicateEmail);
  if (connection_.Changes() == 0) return absl::NotFoundError("user not found");
  return absl::OkStatus();
}

absl::StatusOr<ports::Page<core::User>> SqliteTransaction::ListUsers(
    const ports::UserFilter& filter) {
  SQLITE_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(filter.page));
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id > ?";
  if (filter.only_org_ids.has_value()) {
    sql += " AND org_id IN (SELECT value FROM json_each(?))";
  }
  if (filter.org_id.has_value()) sql += " AND org_id = ?";
  if (filter.role.has_value()) sql += " AND role = ?";
  sql += " ORDER BY id LIMIT ?";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  int index = 1;
  query.Bind(index++, after);
  if (filter.only_org_ids.has_value()) query.Bind(index++, IdsToJson(*filter.only_org_ids));
  if (filter.org_id.has_value()) query.Bind(index++, *filter.org_id);
  if (filter.role.has_value()) {
    query.Bind(index++, EnumName<core::Role>(core::kRoleNames, *filter.role));
  }
  const int limit = ClampLimit(filter.page.limit);
  query.Bind(index++, int64_t{limit} + 1);
  return ReadPage<core::User>(query, limit, UserFromRow);
}

absl::StatusOr<std::vector<core::User>> SqliteTransaction::ListVerifiedUsers(core::UserId after_id,
                                                                             int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kUserColumns +
                          " FROM users WHERE id > ? AND verified <> 0 AND active <> 0"
                          " ORDER BY id LIMIT ?"));
  query.Bind(1, after_id).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRows<core::User>(query, UserFromRow);
}

// ---- API tokens ----

absl::StatusOr<core::TokenId> SqliteTransaction::InsertApiToken(const core::ApiToken& token) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (token.digest.empty()) return absl::InvalidArgumentError("a token needs a digest");
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO api_tokens (user_id, name, digest, created_at, revoked_at)"
                          " VALUES (?, ?, ?, ?, ?)"));
  insert.Bind(1, token.user_id)
      .Bind(2, token.name)
      .BindBlob(3, token.digest)
      .Bind(4, TimeToColumn(token.created_at))
      .Bind(5, OptionalTimeToColumn(token.revoked_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, "a token with this digest already exists");
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::ApiToken> SqliteTransaction::FindApiTokenByDigest(std::string_view digest) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kTokenColumns +
                                                    " FROM api_tokens WHERE digest = ?"));
  query.BindBlob(1, digest);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("token not found");
  return TokenFromRow(query);
}

absl::StatusOr<core::ApiToken> SqliteTransaction::GetApiToken(core::TokenId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kTokenColumns +
                                                    " FROM api_tokens WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("token not found");
  return TokenFromRow(query);
}

absl::StatusOr<std::vector<core::ApiToken>> SqliteTransaction::ListApiTokens(core::UserId user_id) {
  // Newest first; tokens created in the same microsecond fall back to the newer id.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kTokenColumns +
                          " FROM api_tokens WHERE user_id = ? ORDER BY created_at DESC, id DESC"));
  query.Bind(1, user_id);
  std::vector<core::ApiToken> tokens;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    tokens.push_back(TokenFromRow(query));
  }
  return tokens;
}

absl::Status SqliteTransaction::RevokeApiToken(core::TokenId id, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  // COALESCE keeps the first revocation time when a token is revoked again.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(
          "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?"));
  update.Bind(1, TimeToColumn(at)).Bind(2, id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) return absl::NotFoundError("token not found");
  return absl::OkStatus();
}

// ---- Groups ----

absl::Status SqliteTransaction::ReplaceGroupMembers(const core::Group& group) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement clear, connection_.Prepare("DELETE FROM group_members WHERE group_id = ?"));
  clear.Bind(1, group.id);
  SQLITE_STORE_RETURN_IF_ERROR(clear.Run());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO group_members (group_id, position, user_id) VALUES (?, ?, ?)"));
  for (size_t position = 0; position < group.members.size(); ++position) {
    insert.Bind(1, group.id)
        .Bind(2, static_cast<int64_t>(position))
        .Bind(3, group.members[position]);
    absl::Status status = insert.Run();
    if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate group member");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::GroupId> SqliteTransaction::InsertGroup(const core::Group& group) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO groups (name, description, triage, created_at) VALUES (?, ?, ?, ?)"));
  insert.Bind(1, group.name)
      .Bind(2, group.description)
      .Bind(3, int64_t{group.triage})
      .Bind(4, TimeToColumn(group.created_at));
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate group");
  core::Group stored = group;
  stored.id = connection_.LastInsertRowId();
  SQLITE_STORE_RETURN_IF_ERROR(ReplaceGroupMembers(stored));
  return stored.id;
}

absl::StatusOr<core::Group> SqliteTransaction::GetGroup(core::GroupId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT id, name, description, triage, created_at"
                                           " FROM groups WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("group not found");
  core::Group group;
  group.id = query.Int(0);
  group.name = query.Text(1);
  group.description = query.Text(2);
  group.triage = query.Int(3) != 0;
  group.created_at = TimeFromColumn(query.OptionalInt(4));
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement members,
                                connection_.Prepare("SELECT user_id FROM group_members"
                                                    " WHERE group_id = ? ORDER BY position"));
  members.Bind(1, id);
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, members.Step());
    if (!has_row) break;
    group.members.push_back(members.Int(0));
  }
  return group;
}

absl::Status SqliteTransaction::UpdateGroup(const core::Group& group) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE groups SET name = ?, description = ?, triage = ?,"
                          " created_at = ? WHERE id = ?"));
  update.Bind(1, group.name)
      .Bind(2, group.description)
      .Bind(3, int64_t{group.triage})
      .Bind(4, TimeToColumn(group.created_at))
      .Bind(5, group.id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) return absl::NotFoundError("group not found");
  return ReplaceGroupMembers(group);
}

absl::StatusOr<ports::Page<core::Group>> SqliteTransaction::ListGroups(
    const ports::PageRequest& page) {
  SQLITE_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT id FROM groups WHERE id > ? ORDER BY id LIMIT ?"));
  const int limit = ClampLimit(page.limit);
  query.Bind(1, after).Bind(2, int64_t{limit} + 1);
  SQLITE_STORE_ASSIGN_OR_RETURN(
      ports::Page<core::GroupId> ids,
      ReadPage<core::GroupId>(query, limit, [](const Statement& row) { return row.Int(0); }));
  ports::Page<core::Group> groups;
  groups.next_cursor = std::move(ids.next_cursor);
  for (core::GroupId id : ids.items) {
    SQLITE_STORE_ASSIGN_OR_RETURN(core::Group group, GetGroup(id));
    groups.items.push_back(std::move(group));
  }
  return groups;
}

// ---- Plans ----

absl::Status SqliteTransaction::UpsertPlan(const core::SupportPlan& plan) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  std::vector<std::string> channels;
  for (core::Channel channel : plan.channels) {
    channels.push_back(EnumName<core::Channel>(core::kChannelNames, channel));
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare(
          "INSERT INTO plans (name, display_name, description, channels, partner_eligible,"
          " after_hours_coverage) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
          " display_name = excluded.display_name, description = excluded.description,"
          " channels = excluded.channels, partner_eligible = excluded.partner_eligible,"
          " after_hours_coverage = excluded.after_hours_coverage"));
  upsert.Bind(1, plan.name)
      .Bind(2, plan.display_name)
      .Bind(3, plan.description)
      .Bind(4, StringsToJson(channels))
      .Bind(5, int64_t{plan.partner_eligible})
      .Bind(6, int64_t{plan.after_hours_coverage});
  return upsert.Run();
}

absl::StatusOr<core::SupportPlan> SqliteTransaction::GetPlan(std::string_view name) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT name, display_name, description, channels, partner_eligible,"
                          " after_hours_coverage FROM plans WHERE name = ?"));
  query.Bind(1, name);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("support plan not found");
  return PlanFromRow(query);
}

absl::StatusOr<std::vector<core::SupportPlan>> SqliteTransaction::ListPlans() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT name, display_name, description, channels, partner_eligible,"
                          " after_hours_coverage FROM plans ORDER BY name"));
  std::vector<core::SupportPlan> plans;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    plans.push_back(PlanFromRow(query));
  }
  return plans;
}

// ---- Conversation ----

absl::StatusOr<core::CommentId> SqliteTransaction::InsertComment(const core::Comment& comment) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  // Each comment is its own searchable part of the case (2, 3, ...).
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement next_part,
      connection_.Prepare("SELECT COALESCE(MAX(search_part), 1) + 1 FROM comments"
                          " WHERE case_number = ?"));
  next_part.Bind(1, comment.case_number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, next_part.Step());
  const int64_t part = has_row ? next_part.Int(0) : 2;
  if (part > kMaxSearchPart) return absl::InvalidArgumentError("too many comments on this case");

  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO comments (case_number, author_id, body, visibility, channel,"
          " attachment_ids, search_part, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, comment.case_number)
      .Bind(2, comment.author_id)
      .Bind(3, comment.body)
      .Bind(4, EnumName<core::Visibility>(core::kVisibilityNames, comment.visibility))
      .Bind(5, comment.channel)
      .Bind(6, StringsToJson(comment.attachment_ids))
      .Bind(7, part)
      .Bind(8, TimeToColumn(comment.created_at));
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate comment");
  const core::CommentId id = connection_.LastInsertRowId();

  const bool internal = comment.visibility == core::Visibility::kInternal;
  PendingSearchRow row;
  row.rowid = SearchRowId(comment.case_number, part);
  (internal ? row.internal_text : row.public_text) = comment.body;
  row.kind = internal ? "internal_note" : "comment";
  SQLITE_STORE_RETURN_IF_ERROR(WriteSearchRow(std::move(row)));
  return id;
}

absl::StatusOr<ports::Page<core::Comment>> SqliteTransaction::ListComments(
    core::CaseNumber number, bool include_internal, const ports::PageRequest& page) {
  SQLITE_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  std::string sql =
      std::string("SELECT ") + kCommentColumns + " FROM comments WHERE case_number = ? AND id > ?";
  if (!include_internal) sql += " AND visibility = 'public'";
  sql += " ORDER BY id LIMIT ?";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  const int limit = ClampLimit(page.limit);
  query.Bind(1, number).Bind(2, after).Bind(3, int64_t{limit} + 1);
  return ReadPage<core::Comment>(query, limit, CommentFromRow);
}

absl::Status SqliteTransaction::InsertAttachment(const core::Attachment& attachment) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (attachment.id.empty()) return absl::InvalidArgumentError("an attachment needs an id");
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(std::string("INSERT INTO attachments (") + kAttachmentColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, attachment.id)
      .Bind(2, attachment.case_number)
      .Bind(3, attachment.comment_id)
      .Bind(4, attachment.blob_digest)
      .Bind(5, attachment.filename)
      .Bind(6, attachment.content_type)
      .Bind(7, attachment.size)
      .Bind(8, attachment.uploaded_by)
      .Bind(9, EnumName<core::Visibility>(core::kVisibilityNames, attachment.visibility))
      .Bind(10, TimeToColumn(attachment.created_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, "an attachment with this id already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::Attachment> SqliteTransaction::GetAttachment(std::string_view id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kAttachmentColumns +
                                                    " FROM attachments WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("attachment not found");
  return AttachmentFromRow(query);
}

absl::StatusOr<std::vector<core::Attachment>> SqliteTransaction::ListAttachments(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kAttachmentColumns +
                          " FROM attachments WHERE case_number = ? ORDER BY created_at, rowid"));
  query.Bind(1, number);
  std::vector<core::Attachment> attachments;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    attachments.push_back(AttachmentFromRow(query));
  }
  return attachments;
}

absl::Status SqliteTransaction::AttachToComment(std::string_view attachment_id,
                                                core::CommentId comment_id) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(core::Attachment attachment, GetAttachment(attachment_id));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement comment_query,
      connection_.Prepare("SELECT case_number, attachment_ids FROM comments WHERE id = ?"));
  comment_query.Bind(1, comment_id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, comment_query.Step());
  if (!found) return absl::NotFoundError("comment not found");
  if (comment_query.Int(0) != attachment.case_number) {
    return absl::InvalidArgumentError("the attachment belongs to another case");
  }
  std::vector<std::string> attachment_ids = StringsFromJson(comment_query.Text(1));

  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement link, connection_.Prepare("UPDATE attachments SET comment_id = ? WHERE id = ?"));
  link.Bind(1, comment_id).Bind(2, attachment_id);
  SQLITE_STORE_RETURN_IF_ERROR(link.Run());
  if (std::find(attachment_ids.begin(), attachment_ids.end(), attachment_id) ==
      attachment_ids.end()) {
    attachment_ids.emplace_back(attachment_id);
    SQLITE_STORE_ASSIGN_OR_RETURN(
        Statement update,
        connection_.Prepare("UPDATE comments SET attachment_ids = ? WHERE id = ?"));
    update.Bind(1, StringsToJson(attachment_ids)).Bind(2, comment_id);
    SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  }
  return absl::OkStatus();
}

// ---- Audit events ----

absl::StatusOr<core::EventId> SqliteTransaction::AppendEvent(const core::AuditEvent& event) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO events (entity, entity_id, case_number, actor_id, at, kind,"
                          " changes, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, event.entity)
      .Bind(2, event.entity_id)
      .Bind(3, event.case_number)
      .Bind(4, event.actor_id)
      .Bind(5, TimeToColumn(event.at))
      .Bind(6, event.kind)
      .Bind(7, ChangesToJson(event.changes))
      .Bind(8, event.reason);
  SQLITE_STORE_RETURN_IF_ERROR(insert.Run());
  NoteCaseChanged(event.case_number);
  return connection_.LastInsertRowId();
}

absl::StatusOr<ports::Page<core::AuditEvent>> SqliteTransaction::ListCaseEvents(
    core::CaseNumber number, const ports::PageRequest& page) {
  SQLITE_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kEventColumns +
                          " FROM events WHERE case_number = ? AND id > ? ORDER BY id LIMIT ?"));
  const int limit = ClampLimit(page.limit);
  query.Bind(1, number).Bind(2, after).Bind(3, int64_t{limit} + 1);
  return ReadPage<core::AuditEvent>(query, limit, EventFromRow);
}

absl::StatusOr<ports::Page<core::AuditEvent>> SqliteTransaction::ListEntityEvents(
    std::string_view entity, std::string_view entity_id, const ports::PageRequest& page) {
  SQLITE_STORE_ASSIGN_OR_RETURN(int64_t after, AfterId(page));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kEventColumns +
                          " FROM events WHERE entity = ? AND entity_id = ? AND id > ?"
                          " ORDER BY id LIMIT ?"));
  const int limit = ClampLimit(page.limit);
  query.Bind(1, entity).Bind(2, entity_id).Bind(3, after).Bind(4, int64_t{limit} + 1);
  return ReadPage<core::AuditEvent>(query, limit, EventFromRow);
}

// ---- Full-text index ----

absl::Status SqliteTransaction::WriteSearchRow(PendingSearchRow row) {
  if (deferred_search_rows_ != nullptr) {
    deferred_search_rows_->push_back(std::move(row));
    return absl::OkStatus();
  }
  return ApplySearchRows(connection_, {std::move(row)});
}

absl::Status ApplySearchRows(SqliteConnection& connection,
                             const std::vector<PendingSearchRow>& rows) {
  if (rows.empty()) return absl::OkStatus();
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement insert,
                                connection.Prepare("INSERT INTO search_parts (rowid, public_text,"
                                                   " internal_text, kind) VALUES (?, ?, ?, ?)"));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement replace,
      connection.Prepare("UPDATE search_parts SET public_text = ? WHERE rowid = ?"));
  for (const PendingSearchRow& row : rows) {
    if (row.replace_public_text) {
      replace.Bind(1, row.public_text).Bind(2, row.rowid);
      SQLITE_STORE_RETURN_IF_ERROR(replace.Run());
    } else {
      insert.Bind(1, row.rowid)
          .Bind(2, row.public_text)
          .Bind(3, row.internal_text)
          .Bind(4, row.kind);
      SQLITE_STORE_RETURN_IF_ERROR(insert.Run());
    }
  }
  return absl::OkStatus();
}

// ---- Settings ----

absl::StatusOr<std::optional<std::string>> SqliteTransaction::GetSetting(std::string_view key) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare("SELECT value FROM settings WHERE key = ?"));
  query.Bind(1, key);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(query.Text(0));
}

absl::Status SqliteTransaction::PutSetting(std::string_view key, std::string_view value) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare("INSERT INTO settings (key, value) VALUES (?, ?)"
                          " ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
  upsert.Bind(1, key).Bind(2, value);
  return upsert.Run();
}

}  // namespace casedesk::adapters::sqlite

// SqliteTransaction: what the public status page keeps -- components and their status history,
// incidents and maintenance with their updates, cases linked to incidents, subscribers and the
// notice fan-out jobs. (Verified users for the fan-out are listed in sqlite_transaction.cc.)
#include <limits>
#include <map>
#include <utility>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/status_codec.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {
namespace {

// An unset (infinitely past) bound excludes nothing.
int64_t TimeBound(absl::Time time) {
  return time == absl::InfinitePast() ? std::numeric_limits<int64_t>::min() : *TimeToColumn(time);
}

constexpr char kComponentColumns[] =
    "id, name, description, group_id, is_group, position, status, only_show_if_degraded,"
    " created_at, updated_at";

core::StatusComponent ComponentFromRow(const Statement& row) {
  core::StatusComponent component;
  component.id = row.Int(0);
  component.name = row.Text(1);
  component.description = row.Text(2);
  component.group_id = row.Int(3);
  component.is_group = row.Int(4) != 0;
  component.position = static_cast<int>(row.Int(5));
  component.status = ComponentStatusFromColumn(row.Text(6));
  component.only_show_if_degraded = row.Int(7) != 0;
  component.created_at = TimeFromColumn(row.OptionalInt(8));
  component.updated_at = TimeFromColumn(row.OptionalInt(9));
  return component;
}

// The columns of kComponentColumns after id, as ?1..?9.
void BindComponent(Statement& statement, const core::StatusComponent& component) {
  statement.Bind(1, component.name)
      .Bind(2, component.description)
      .Bind(3, component.group_id)
      .Bind(4, int64_t{component.is_group ? 1 : 0})
      .Bind(5, int64_t{component.position})
      .Bind(6, ComponentStatusToColumn(component.status))
      .Bind(7, int64_t{component.only_show_if_degraded ? 1 : 0})
      .Bind(8, TimeToColumn(component.created_at))
      .Bind(9, TimeToColumn(component.updated_at));
}

std::string DuplicateComponentMessage(const core::StatusComponent& component) {
  return component.is_group ? "name: a group with this name exists"
                            : "name: a component with this name exists in this group";
}

constexpr char kIncidentColumns[] =
    "id, kind, name, status, impact, component_ids, created_at, updated_at, started_at,"
    " monitoring_at, resolved_at, scheduled_for, scheduled_until, auto_transition";

core::Incident IncidentFromRow(const Statement& row) {
  core::Incident incident;
  incident.id = row.Int(0);
  incident.kind = IncidentKindFromColumn(row.Text(1));
  incident.name = row.Text(2);
  incident.status = IncidentStatusFromColumn(row.Text(3));
  incident.impact = IncidentImpactFromColumn(row.Text(4));
  incident.component_ids = IdsFromJson(row.Text(5));
  incident.created_at = TimeFromColumn(row.OptionalInt(6));
  incident.updated_at = TimeFromColumn(row.OptionalInt(7));
  incident.started_at = TimeFromColumn(row.OptionalInt(8));
  incident.monitoring_at = OptionalTimeFromColumn(row.OptionalInt(9));
  incident.resolved_at = OptionalTimeFromColumn(row.OptionalInt(10));
  incident.scheduled_for = OptionalTimeFromColumn(row.OptionalInt(11));
  incident.scheduled_until = OptionalTimeFromColumn(row.OptionalInt(12));
  incident.auto_transition = row.Int(13) != 0;
  return incident;
}

// The columns of kIncidentColumns after id, as ?1..?13.
void BindIncident(Statement& statement, const core::Incident& incident) {
  statement.Bind(1, IncidentKindToColumn(incident.kind))
      .Bind(2, incident.name)
      .Bind(3, IncidentStatusToColumn(incident.status))
      .Bind(4, IncidentImpactToColumn(incident.impact))
      .Bind(5, IdsToJson(incident.component_ids))
      .Bind(6, TimeToColumn(incident.created_at))
      .Bind(7, TimeToColumn(incident.updated_at))
      .Bind(8, TimeToColumn(incident.started_at))
      .Bind(9, OptionalTimeToColumn(incident.monitoring_at))
      .Bind(10, OptionalTimeToColumn(incident.resolved_at))
      .Bind(11, OptionalTimeToColumn(incident.scheduled_for))
      .Bind(12, OptionalTimeToColumn(incident.scheduled_until))
      .Bind(13, int64_t{incident.auto_transition ? 1 : 0});
}

constexpr char kUpdateColumns[] =
    "id, incident_id, status, body, created_at, display_at, affected_components, author_id,"
    " notify";

core::IncidentUpdate UpdateFromRow(const Statement& row) {
  core::IncidentUpdate update;
  update.id = row.Int(0);
  update.incident_id = row.Int(1);
  update.status = IncidentStatusFromColumn(row.Text(2));
  update.body = row.Text(3);
  update.created_at = TimeFromColumn(row.OptionalInt(4));
  update.display_at = TimeFromColumn(row.OptionalInt(5));
  update.affected_components = AffectedComponentsFromJson(row.Text(6));
  update.author_id = row.Int(7);
  update.notify = row.Int(8) != 0;
  return update;
}

constexpr char kSubscriberColumns[] =
    "id, kind, address, user_id, component_ids, opted_out, confirmed_at, unsubscribed_at,"
    " created_at";

ports::StatusSubscriber SubscriberFromRow(const Statement& row) {
  ports::StatusSubscriber subscriber;
  subscriber.id = row.Int(0);
  subscriber.kind = SubscriberKindFromColumn(row.Text(1));
  subscriber.address = row.Text(2);
  subscriber.user_id = row.Int(3);
  subscriber.component_ids = IdsFromJson(row.Text(4));
  subscriber.opted_out = row.Int(5) != 0;
  subscriber.confirmed_at = OptionalTimeFromColumn(row.OptionalInt(6));
  subscriber.unsubscribed_at = OptionalTimeFromColumn(row.OptionalInt(7));
  subscriber.created_at = TimeFromColumn(row.OptionalInt(8));
  return subscriber;
}

// The columns of kSubscriberColumns after id, as ?1..?8.
void BindSubscriber(Statement& statement, const ports::StatusSubscriber& subscriber) {
  statement.Bind(1, SubscriberKindToColumn(subscriber.kind))
      .Bind(2, subscriber.address)
      .Bind(3, subscriber.user_id)
      .Bind(4, IdsToJson(subscriber.component_ids))
      .Bind(5, int64_t{subscriber.opted_out ? 1 : 0})
      .Bind(6, OptionalTimeToColumn(subscriber.confirmed_at))
      .Bind(7, OptionalTimeToColumn(subscriber.unsubscribed_at))
      .Bind(8, TimeToColumn(subscriber.created_at));
}

std::string DuplicateSubscriberMessage(const ports::StatusSubscriber& subscriber) {
  return subscriber.user_id != 0 ? "user_id: this user already has a subscription row"
                                 : "address: already subscribed";
}

constexpr char kNoticeColumns[] =
    "id, incident_id, update_id, created_at, user_cursor, subscriber_cursor, done_at,"
    " claimed_until";

ports::StatusNotice NoticeFromRow(const Statement& row) {
  ports::StatusNotice notice;
  notice.id = row.Int(0);
  notice.incident_id = row.Int(1);
  notice.update_id = row.Int(2);
  notice.created_at = TimeFromColumn(row.OptionalInt(3));
  notice.user_cursor = row.Int(4);
  notice.subscriber_cursor = row.Int(5);
  notice.done_at = OptionalTimeFromColumn(row.OptionalInt(6));
  notice.claimed_until = OptionalTimeFromColumn(row.OptionalInt(7));
  return notice;
}

// Whether a row with this key exists, e.g. Exists(connection, "SELECT 1 FROM x WHERE id = ?").
absl::StatusOr<bool> Exists(SqliteConnection& connection, const std::string& sql, int64_t id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection.Prepare(sql));
  query.Bind(1, id);
  return query.Step();
}

absl::Status RequireIncident(SqliteConnection& connection, core::IncidentId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found,
                                Exists(connection, "SELECT 1 FROM incidents WHERE id = ?", id));
  if (!found) return absl::NotFoundError("no such incident: " + std::to_string(id));
  return absl::OkStatus();
}

}  // namespace

// ---- Components ----

absl::StatusOr<core::ComponentId> SqliteTransaction::InsertStatusComponent(
    const core::StatusComponent& component) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(std::string("INSERT INTO status_components (") + kComponentColumns +
                          ") VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  BindComponent(insert, component);
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, DuplicateComponentMessage(component));
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::StatusComponent> SqliteTransaction::GetStatusComponent(core::ComponentId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kComponentColumns +
                                                    " FROM status_components WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("no such component: " + std::to_string(id));
  return ComponentFromRow(query);
}

absl::Status SqliteTransaction::UpdateStatusComponent(const core::StatusComponent& component) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE status_components SET name = ?1, description = ?2,"
                          " group_id = ?3, is_group = ?4, position = ?5, status = ?6,"
                          " only_show_if_degraded = ?7, created_at = ?8, updated_at = ?9"
                          " WHERE id = ?10"));
  BindComponent(update, component);
  update.Bind(10, component.id);
  absl::Status status = update.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, update, DuplicateComponentMessage(component));
  }
  if (connection_.Changes() == 0) {
    return absl::NotFoundError("no such component: " + std::to_string(component.id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::StatusComponent>> SqliteTransaction::ListStatusComponents() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kComponentColumns +
                                           " FROM status_components ORDER BY position, id"));
  return CollectRows<core::StatusComponent>(query, ComponentFromRow);
}

absl::Status SqliteTransaction::AppendComponentStatusChange(
    const core::ComponentStatusChange& change) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (change.at == absl::InfinitePast()) return absl::InvalidArgumentError("at: must be set");
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO component_status_changes (component_id, at, status)"
                          " VALUES (?, ?, ?)"));
  insert.Bind(1, change.component_id)
      .Bind(2, TimeToColumn(change.at))
      .Bind(3, ComponentStatusToColumn(change.status));
  return insert.Run();
}

absl::StatusOr<std::vector<core::ComponentStatusChange>>
SqliteTransaction::ListComponentStatusChanges(absl::Time since) {
  // Per component, the one change in force at `since` (the latest before it), then every
  // change from `since` on; each found through the (component_id, at, id) index.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(
          "SELECT component_id, at, status FROM component_status_changes WHERE at >= ?1"
          " OR id IN (SELECT (SELECT p.id FROM component_status_changes p"
          "  WHERE p.component_id = c.component_id AND p.at < ?1"
          "  ORDER BY p.at DESC, p.id DESC LIMIT 1)"
          "  FROM (SELECT DISTINCT component_id FROM component_status_changes) c)"
          " ORDER BY component_id, at, id"));
  query.Bind(1, TimeBound(since));
  return CollectRows<core::ComponentStatusChange>(query, [](const Statement& row) {
    core::ComponentStatusChange change;
    change.component_id = row.Int(0);
    change.at = TimeFromColumn(row.OptionalInt(1));
    change.status = ComponentStatusFromColumn(row.Text(2));
    return change;
  });
}

// ---- Incidents and maintenance ----

absl::StatusOr<core::IncidentId> SqliteTransaction::InsertIncident(const core::Incident& incident) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          std::string("INSERT INTO incidents (") + kIncidentColumns +
          ") VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
  BindIncident(insert, incident);
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate incident");
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::Incident> SqliteTransaction::GetIncident(core::IncidentId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kIncidentColumns +
                                                    " FROM incidents WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("no such incident: " + std::to_string(id));
  std::vector<core::Incident> incidents{IncidentFromRow(query)};
  SQLITE_STORE_RETURN_IF_ERROR(LoadIncidentUpdates(incidents));
  return std::move(incidents.front());
}

absl::StatusOr<bool> SqliteTransaction::UpdateIncident(const core::Incident& incident,
                                                       absl::Time expected_updated_at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE incidents SET kind = ?1, name = ?2, status = ?3, impact = ?4,"
                          " component_ids = ?5, created_at = ?6, updated_at = ?7,"
                          " started_at = ?8, monitoring_at = ?9, resolved_at = ?10,"
                          " scheduled_for = ?11, scheduled_until = ?12, auto_transition = ?13"
                          " WHERE id = ?14 AND updated_at IS ?15"));
  BindIncident(update, incident);
  update.Bind(14, incident.id).Bind(15, TimeToColumn(expected_updated_at));
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() > 0) return true;
  SQLITE_STORE_RETURN_IF_ERROR(RequireIncident(connection_, incident.id));
  return false;
}

absl::StatusOr<int64_t> SqliteTransaction::InsertIncidentUpdate(
    const core::IncidentUpdate& update) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_RETURN_IF_ERROR(RequireIncident(connection_, update.incident_id));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO incident_updates (incident_id, status, body, created_at,"
                          " display_at, affected_components, author_id, notify)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, update.incident_id)
      .Bind(2, IncidentStatusToColumn(update.status))
      .Bind(3, update.body)
      .Bind(4, TimeToColumn(update.created_at))
      .Bind(5, TimeToColumn(update.display_at))
      .Bind(6, AffectedComponentsToJson(update.affected_components))
      .Bind(7, update.author_id)
      .Bind(8, int64_t{update.notify ? 1 : 0});
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate incident update");
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::vector<core::Incident>> SqliteTransaction::ListIncidents(
    const ports::IncidentFilter& filter) {
  std::string sql = std::string("SELECT ") + kIncidentColumns +
                    " FROM incidents WHERE (?1 = 0 OR id < ?1) AND (?2 IS NULL OR kind = ?2)";
  if (filter.open_only) sql += std::string(" AND ") + kOpenIncidentCondition;
  sql += " ORDER BY id DESC LIMIT ?3";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  query.Bind(1, filter.before_id);
  if (filter.kind) {
    query.Bind(2, IncidentKindToColumn(*filter.kind));
  } else {
    query.BindNull(2);
  }
  query.Bind(3, int64_t{ClampLimit(filter.limit)});
  SQLITE_STORE_ASSIGN_OR_RETURN(std::vector<core::Incident> incidents,
                                CollectRows<core::Incident>(query, IncidentFromRow));
  SQLITE_STORE_RETURN_IF_ERROR(LoadIncidentUpdates(incidents));
  return incidents;
}

absl::StatusOr<std::vector<core::Incident>> SqliteTransaction::ListDueMaintenance(absl::Time now,
                                                                                  int limit) {
  // The conditions repeat the partial index's, so the edge index answers this query.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kIncidentColumns + " FROM incidents WHERE " +
                          kMovingMaintenanceCondition + " AND " + kMaintenanceEdge +
                          " <= ?1 ORDER BY " + kMaintenanceEdge + ", id LIMIT ?2"));
  query.Bind(1, TimeToColumn(now)).Bind(2, int64_t{ClampLimit(limit)});
  SQLITE_STORE_ASSIGN_OR_RETURN(std::vector<core::Incident> incidents,
                                CollectRows<core::Incident>(query, IncidentFromRow));
  SQLITE_STORE_RETURN_IF_ERROR(LoadIncidentUpdates(incidents));
  return incidents;
}

absl::StatusOr<std::optional<absl::Time>> SqliteTransaction::NextMaintenanceEdge() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT min") + kMaintenanceEdge +
                                           " FROM incidents WHERE " + kMovingMaintenanceCondition));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return std::optional<absl::Time>();
  return OptionalTimeFromColumn(query.OptionalInt(0));
}

absl::Status SqliteTransaction::LoadIncidentUpdates(std::vector<core::Incident>& incidents) {
  if (incidents.empty()) return absl::OkStatus();
  std::map<core::IncidentId, core::Incident*> by_id;
  std::vector<int64_t> ids;
  for (core::Incident& incident : incidents) {
    incident.updates.clear();
    by_id[incident.id] = &incident;
    ids.push_back(incident.id);
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kUpdateColumns +
                                           " FROM incident_updates WHERE incident_id IN"
                                           " (SELECT value FROM json_each(?))"
                                           " ORDER BY incident_id, display_at DESC, id DESC"));
  query.Bind(1, IdsToJson(ids));
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return absl::OkStatus();
    core::IncidentUpdate update = UpdateFromRow(query);
    by_id[update.incident_id]->updates.push_back(std::move(update));
  }
}

// ---- Cases linked to incidents ----

absl::Status SqliteTransaction::LinkCaseToIncident(core::IncidentId incident,
                                                   core::CaseNumber number, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_RETURN_IF_ERROR(RequireIncident(connection_, incident));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      bool case_found, Exists(connection_, "SELECT 1 FROM cases WHERE number = ?", number));
  if (!case_found) return absl::NotFoundError("no such case: " + std::to_string(number));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO incident_cases (incident_id, case_number, linked_at)"
                          " VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  insert.Bind(1, incident).Bind(2, number).Bind(3, TimeToColumn(at));
  return insert.Run();
}

absl::Status SqliteTransaction::UnlinkCaseFromIncident(core::IncidentId incident,
                                                       core::CaseNumber number) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_RETURN_IF_ERROR(RequireIncident(connection_, incident));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      bool case_found, Exists(connection_, "SELECT 1 FROM cases WHERE number = ?", number));
  if (!case_found) return absl::NotFoundError("no such case: " + std::to_string(number));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement remove,
      connection_.Prepare("DELETE FROM incident_cases WHERE incident_id = ? AND case_number = ?"));
  remove.Bind(1, incident).Bind(2, number);
  return remove.Run();
}

absl::StatusOr<std::vector<core::CaseNumber>> SqliteTransaction::ListIncidentCases(
    core::IncidentId incident) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare("SELECT case_number FROM incident_cases"
                                                    " WHERE incident_id = ? ORDER BY case_number"));
  query.Bind(1, incident);
  return CollectRows<core::CaseNumber>(query, [](const Statement& row) { return row.Int(0); });
}

absl::StatusOr<std::vector<core::IncidentId>> SqliteTransaction::ListCaseIncidents(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare("SELECT incident_id FROM incident_cases"
                                                    " WHERE case_number = ? ORDER BY incident_id"));
  query.Bind(1, number);
  return CollectRows<core::IncidentId>(query, [](const Statement& row) { return row.Int(0); });
}

// ---- Subscribers ----

absl::StatusOr<int64_t> SqliteTransaction::InsertStatusSubscriber(
    const ports::StatusSubscriber& subscriber) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(std::string("INSERT INTO status_subscribers (") + kSubscriberColumns +
                          ") VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  BindSubscriber(insert, subscriber);
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, DuplicateSubscriberMessage(subscriber));
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<ports::StatusSubscriber> SqliteTransaction::GetStatusSubscriber(int64_t id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kSubscriberColumns +
                                                    " FROM status_subscribers WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("no such subscriber: " + std::to_string(id));
  return SubscriberFromRow(query);
}

absl::Status SqliteTransaction::UpdateStatusSubscriber(const ports::StatusSubscriber& subscriber) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE status_subscribers SET kind = ?1, address = ?2, user_id = ?3,"
                          " component_ids = ?4, opted_out = ?5, confirmed_at = ?6,"
                          " unsubscribed_at = ?7, created_at = ?8 WHERE id = ?9"));
  BindSubscriber(update, subscriber);
  update.Bind(9, subscriber.id);
  absl::Status status = update.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, update, DuplicateSubscriberMessage(subscriber));
  }
  if (connection_.Changes() == 0) {
    return absl::NotFoundError("no such subscriber: " + std::to_string(subscriber.id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ports::StatusSubscriber>>
SqliteTransaction::FindUserStatusSubscription(core::UserId user_id) {
  if (user_id == 0) return std::nullopt;
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kSubscriberColumns +
                                                    " FROM status_subscribers WHERE user_id = ?"));
  query.Bind(1, user_id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::nullopt;
  return SubscriberFromRow(query);
}

absl::StatusOr<std::optional<ports::StatusSubscriber>>
SqliteTransaction::FindStatusSubscriberByAddress(ports::SubscriberKind kind,
                                                 std::string_view address) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kSubscriberColumns +
                                           " FROM status_subscribers WHERE kind = ? AND address = ?"
                                           " AND user_id = 0"));
  query.Bind(1, SubscriberKindToColumn(kind)).Bind(2, address);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::nullopt;
  return SubscriberFromRow(query);
}

absl::StatusOr<std::vector<ports::StatusSubscriber>> SqliteTransaction::ListStatusSubscribers(
    bool users, int64_t after_id, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kSubscriberColumns +
                          " FROM status_subscribers WHERE id > ?1"
                          " AND (CASE WHEN ?2 <> 0 THEN user_id <> 0 ELSE user_id = 0 END)"
                          " ORDER BY id LIMIT ?3"));
  query.Bind(1, after_id).Bind(2, int64_t{users ? 1 : 0}).Bind(3, int64_t{ClampLimit(limit)});
  return CollectRows<ports::StatusSubscriber>(query, SubscriberFromRow);
}

// ---- Notice fan-out jobs ----

absl::StatusOr<int64_t> SqliteTransaction::InsertStatusNotice(const ports::StatusNotice& notice) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_RETURN_IF_ERROR(RequireIncident(connection_, notice.incident_id));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO status_notices (incident_id, update_id, created_at,"
                          " user_cursor, subscriber_cursor, done_at, claimed_until)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, notice.incident_id)
      .Bind(2, notice.update_id)
      .Bind(3, TimeToColumn(notice.created_at))
      .Bind(4, notice.user_cursor)
      .Bind(5, notice.subscriber_cursor)
      .Bind(6, OptionalTimeToColumn(notice.done_at))
      .Bind(7, OptionalTimeToColumn(notice.claimed_until));
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate notice");
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::optional<ports::StatusNotice>> SqliteTransaction::ClaimStatusNotice(
    absl::Time now, absl::Time lease_until) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  // The single writer serialises claims, so one UPDATE ... RETURNING hands a notice to one
  // worker only.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement claim,
      connection_.Prepare(std::string("UPDATE status_notices SET claimed_until = ?2") +
                          " WHERE id = (SELECT id FROM status_notices WHERE done_at IS NULL"
                          " AND (claimed_until IS NULL OR claimed_until <= ?1)"
                          " ORDER BY id LIMIT 1) RETURNING " +
                          kNoticeColumns));
  claim.Bind(1, TimeToColumn(now)).Bind(2, TimeToColumn(lease_until));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool claimed, claim.Step());
  if (!claimed) return std::nullopt;
  // SQLite makes the whole change on the first step, so the statement may be reset at once.
  return NoticeFromRow(claim);
}

absl::Status SqliteTransaction::UpdateStatusNotice(const ports::StatusNotice& notice) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE status_notices SET user_cursor = ?, subscriber_cursor = ?,"
                          " done_at = ?, claimed_until = ? WHERE id = ?"));
  update.Bind(1, notice.user_cursor)
      .Bind(2, notice.subscriber_cursor)
      .Bind(3, OptionalTimeToColumn(notice.done_at))
      .Bind(4, OptionalTimeToColumn(notice.claimed_until))
      .Bind(5, notice.id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) {
    return absl::NotFoundError("no such notice: " + std::to_string(notice.id));
  }
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::sqlite

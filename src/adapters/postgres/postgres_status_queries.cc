// PostgresTransaction: what the public status page keeps -- components and their status history,
// incidents and maintenance with their updates, cases linked to incidents, subscribers and the
// notice fan-out jobs. (Verified users for the fan-out are listed in postgres_transaction.cc.)
//
// A failed statement aborts the whole transaction, so inserts that could break a unique name
// use ON CONFLICT DO NOTHING and look at what came back, and updates look for a holder of the
// name first. Several nodes run the fan-out: ClaimStatusNotice takes its row with
// FOR UPDATE SKIP LOCKED and sets the lease in the same statement. Writes run in READ COMMITTED,
// so UpdateIncident's "still at the expected updated_at" condition is re-checked on the newest
// row version when a concurrent transition committed first.
#include <limits>
#include <map>
#include <utility>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/status_codec.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

// An unset (infinitely past) bound excludes nothing.
int64_t TimeBound(absl::Time time) {
  return time == absl::InfinitePast() ? std::numeric_limits<int64_t>::min() : *TimeToColumn(time);
}

const std::string kComponentColumns =
    "id, name, description, group_id, is_group, position, status, only_show_if_degraded,"
    " created_at, updated_at";

core::StatusComponent ComponentFromRow(const PgResult& rows, int row) {
  core::StatusComponent component;
  component.id = rows.Int(row, 0);
  component.name = std::string(rows.Text(row, 1));
  component.description = std::string(rows.Text(row, 2));
  component.group_id = rows.Int(row, 3);
  component.is_group = rows.Bool(row, 4);
  component.position = static_cast<int>(rows.Int(row, 5));
  component.status = ComponentStatusFromColumn(rows.Text(row, 6));
  component.only_show_if_degraded = rows.Bool(row, 7);
  component.created_at = TimeFromColumn(rows.OptionalInt(row, 8));
  component.updated_at = TimeFromColumn(rows.OptionalInt(row, 9));
  return component;
}

// The columns of kComponentColumns after id, as $1..$9.
PgParams ComponentParams(const core::StatusComponent& component) {
  return PgParams()
      .Add(component.name)
      .Add(component.description)
      .Add(component.group_id)
      .Add(component.is_group)
      .Add(int64_t{component.position})
      .Add(ComponentStatusToColumn(component.status))
      .Add(component.only_show_if_degraded)
      .Add(TimeToColumn(component.created_at))
      .Add(TimeToColumn(component.updated_at));
}

absl::Status DuplicateComponent(const core::StatusComponent& component) {
  return absl::AlreadyExistsError(component.is_group
                                      ? "name: a group with this name exists"
                                      : "name: a component with this name exists in this group");
}

const std::string kIncidentColumns =
    "id, kind, name, status, impact, component_ids, created_at, updated_at, started_at,"
    " monitoring_at, resolved_at, scheduled_for, scheduled_until, auto_transition";

std::vector<core::Incident> IncidentsFromRows(const PgResult& rows) {
  std::vector<core::Incident> incidents;
  incidents.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    core::Incident incident;
    incident.id = rows.Int(row, 0);
    incident.kind = IncidentKindFromColumn(rows.Text(row, 1));
    incident.name = std::string(rows.Text(row, 2));
    incident.status = IncidentStatusFromColumn(rows.Text(row, 3));
    incident.impact = IncidentImpactFromColumn(rows.Text(row, 4));
    incident.component_ids = IdsFromJson(rows.Text(row, 5));
    incident.created_at = TimeFromColumn(rows.OptionalInt(row, 6));
    incident.updated_at = TimeFromColumn(rows.OptionalInt(row, 7));
    incident.started_at = TimeFromColumn(rows.OptionalInt(row, 8));
    incident.monitoring_at = OptionalTimeFromColumn(rows.OptionalInt(row, 9));
    incident.resolved_at = OptionalTimeFromColumn(rows.OptionalInt(row, 10));
    incident.scheduled_for = OptionalTimeFromColumn(rows.OptionalInt(row, 11));
    incident.scheduled_until = OptionalTimeFromColumn(rows.OptionalInt(row, 12));
    incident.auto_transition = rows.Bool(row, 13);
    incidents.push_back(std::move(incident));
  }
  return incidents;
}

// The columns of kIncidentColumns after id, as $1..$13.
PgParams IncidentParams(const core::Incident& incident) {
  return PgParams()
      .Add(IncidentKindToColumn(incident.kind))
      .Add(incident.name)
      .Add(IncidentStatusToColumn(incident.status))
      .Add(IncidentImpactToColumn(incident.impact))
      .Add(IdsToJson(incident.component_ids))
      .Add(TimeToColumn(incident.created_at))
      .Add(TimeToColumn(incident.updated_at))
      .Add(TimeToColumn(incident.started_at))
      .Add(OptionalTimeToColumn(incident.monitoring_at))
      .Add(OptionalTimeToColumn(incident.resolved_at))
      .Add(OptionalTimeToColumn(incident.scheduled_for))
      .Add(OptionalTimeToColumn(incident.scheduled_until))
      .Add(incident.auto_transition);
}

const std::string kUpdateColumns =
    "id, incident_id, status, body, created_at, display_at, affected_components, author_id,"
    " notify";

core::IncidentUpdate UpdateFromRow(const PgResult& rows, int row) {
  core::IncidentUpdate update;
  update.id = rows.Int(row, 0);
  update.incident_id = rows.Int(row, 1);
  update.status = IncidentStatusFromColumn(rows.Text(row, 2));
  update.body = std::string(rows.Text(row, 3));
  update.created_at = TimeFromColumn(rows.OptionalInt(row, 4));
  update.display_at = TimeFromColumn(rows.OptionalInt(row, 5));
  update.affected_components = AffectedComponentsFromJson(rows.Text(row, 6));
  update.author_id = rows.Int(row, 7);
  update.notify = rows.Bool(row, 8);
  return update;
}

const std::string kSubscriberColumns =
    "id, kind, address, user_id, component_ids, opted_out, confirmed_at, unsubscribed_at,"
    " created_at";

std::vector<ports::StatusSubscriber> SubscribersFromRows(const PgResult& rows) {
  std::vector<ports::StatusSubscriber> subscribers;
  subscribers.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    ports::StatusSubscriber subscriber;
    subscriber.id = rows.Int(row, 0);
    subscriber.kind = SubscriberKindFromColumn(rows.Text(row, 1));
    subscriber.address = std::string(rows.Text(row, 2));
    subscriber.user_id = rows.Int(row, 3);
    subscriber.component_ids = IdsFromJson(rows.Text(row, 4));
    subscriber.opted_out = rows.Bool(row, 5);
    subscriber.confirmed_at = OptionalTimeFromColumn(rows.OptionalInt(row, 6));
    subscriber.unsubscribed_at = OptionalTimeFromColumn(rows.OptionalInt(row, 7));
    subscriber.created_at = TimeFromColumn(rows.OptionalInt(row, 8));
    subscribers.push_back(std::move(subscriber));
  }
  return subscribers;
}

// The columns of kSubscriberColumns after id, as $1..$8.
PgParams SubscriberParams(const ports::StatusSubscriber& subscriber) {
  return PgParams()
      .Add(SubscriberKindToColumn(subscriber.kind))
      .Add(subscriber.address)
      .Add(subscriber.user_id)
      .Add(IdsToJson(subscriber.component_ids))
      .Add(subscriber.opted_out)
      .Add(OptionalTimeToColumn(subscriber.confirmed_at))
      .Add(OptionalTimeToColumn(subscriber.unsubscribed_at))
      .Add(TimeToColumn(subscriber.created_at));
}

absl::Status DuplicateSubscriber(const ports::StatusSubscriber& subscriber) {
  return absl::AlreadyExistsError(subscriber.user_id != 0
                                      ? "user_id: this user already has a subscription row"
                                      : "address: already subscribed");
}

const std::string kNoticeColumns =
    "id, incident_id, update_id, created_at, user_cursor, subscriber_cursor, done_at,"
    " claimed_until";

ports::StatusNotice NoticeFromRow(const PgResult& rows, int row) {
  ports::StatusNotice notice;
  notice.id = rows.Int(row, 0);
  notice.incident_id = rows.Int(row, 1);
  notice.update_id = rows.Int(row, 2);
  notice.created_at = TimeFromColumn(rows.OptionalInt(row, 3));
  notice.user_cursor = rows.Int(row, 4);
  notice.subscriber_cursor = rows.Int(row, 5);
  notice.done_at = OptionalTimeFromColumn(rows.OptionalInt(row, 6));
  notice.claimed_until = OptionalTimeFromColumn(rows.OptionalInt(row, 7));
  return notice;
}

std::vector<int64_t> IdsFromRows(const PgResult& rows) {
  std::vector<int64_t> ids;
  ids.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) ids.push_back(rows.Int(row, 0));
  return ids;
}

absl::Status RequireRow(PgConnection& connection, const std::string& sql, int64_t id,
                        std::string_view what) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult found, connection.Execute(sql, PgParams().Add(id)));
  if (found.rows() == 0) return absl::NotFoundError(std::string(what) + std::to_string(id));
  return absl::OkStatus();
}

absl::Status RequireIncident(PgConnection& connection, core::IncidentId id) {
  return RequireRow(connection, "SELECT 1 FROM incidents WHERE id = $1", id, "no such incident: ");
}

absl::Status RequireCase(PgConnection& connection, core::CaseNumber number) {
  return RequireRow(connection, "SELECT 1 FROM cases WHERE number = $1", number, "no such case: ");
}

}  // namespace

// ---- Components ----

absl::StatusOr<core::ComponentId> PostgresTransaction::InsertStatusComponent(
    const core::StatusComponent& component) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO status_components (name, description, group_id, is_group,"
                          " position, status, only_show_if_degraded, created_at, updated_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                          " ON CONFLICT DO NOTHING RETURNING id",
                          ComponentParams(component)));
  if (inserted.rows() == 0) return DuplicateComponent(component);
  return inserted.Int(0, 0);
}

absl::StatusOr<core::StatusComponent> PostgresTransaction::GetStatusComponent(
    core::ComponentId id) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kComponentColumns +
                                                    ", xmin FROM status_components WHERE id = $1",
                                                PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("no such component: " + std::to_string(id));
  NoteVersionOfRow("component:" + std::to_string(id), rows);
  return ComponentFromRow(rows, 0);
}

absl::Status PostgresTransaction::CheckComponentNameFree(const core::StatusComponent& component) {
  absl::StatusOr<PgResult> holder =
      component.is_group
          ? connection_.Execute(
                "SELECT 1 FROM status_components WHERE is_group AND name = $1"
                " AND id <> $2",
                PgParams().Add(component.name).Add(component.id))
          : connection_.Execute(
                "SELECT 1 FROM status_components WHERE NOT is_group"
                " AND group_id = $3 AND name = $1 AND id <> $2",
                PgParams().Add(component.name).Add(component.id).Add(component.group_id));
  if (!holder.ok()) return holder.status();
  if (holder->rows() > 0) return DuplicateComponent(component);
  return absl::OkStatus();
}

absl::Status PostgresTransaction::UpdateStatusComponent(const core::StatusComponent& component) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(CheckComponentNameFree(component));
  PgParams params = ComponentParams(component);
  params.Add(component.id);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      UpdateReadRow(
          "component:" + std::to_string(component.id),
          "UPDATE status_components SET name = $1, description = $2, group_id = $3, is_group = $4,"
          " position = $5, status = $6, only_show_if_degraded = $7, created_at = $8,"
          " updated_at = $9 WHERE id = $10",
          std::move(params), "the component"));
  if (updated.affected() == 0) {
    return absl::NotFoundError("no such component: " + std::to_string(component.id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::StatusComponent>> PostgresTransaction::ListStatusComponents() {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kComponentColumns +
                                                " FROM status_components ORDER BY position, id"));
  std::vector<core::StatusComponent> components;
  components.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) components.push_back(ComponentFromRow(rows, row));
  return components;
}

absl::Status PostgresTransaction::AppendComponentStatusChange(
    const core::ComponentStatusChange& change) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (change.at == absl::InfinitePast()) return absl::InvalidArgumentError("at: must be set");
  return connection_
      .Execute(
          "INSERT INTO component_status_changes (component_id, at, status)"
          " VALUES ($1, $2, $3)",
          PgParams()
              .Add(change.component_id)
              .Add(TimeToColumn(change.at))
              .Add(ComponentStatusToColumn(change.status)))
      .status();
}

absl::StatusOr<std::vector<core::ComponentStatusChange>>
PostgresTransaction::ListComponentStatusChanges(absl::Time since) {
  // Per component, the one change in force at `since` (the latest before it), then every
  // change from `since` on; each found through the (component_id, at, id) index.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute(
          "SELECT component_id, at, status FROM component_status_changes WHERE at >= $1"
          " OR id IN (SELECT last.id FROM"
          "  (SELECT DISTINCT component_id FROM component_status_changes) c"
          "  CROSS JOIN LATERAL (SELECT p.id FROM component_status_changes p"
          "   WHERE p.component_id = c.component_id AND p.at < $1"
          "   ORDER BY p.at DESC, p.id DESC LIMIT 1) last)"
          " ORDER BY component_id, at, id",
          PgParams().Add(TimeBound(since))));
  std::vector<core::ComponentStatusChange> changes;
  changes.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    core::ComponentStatusChange change;
    change.component_id = rows.Int(row, 0);
    change.at = TimeFromColumn(rows.OptionalInt(row, 1));
    change.status = ComponentStatusFromColumn(rows.Text(row, 2));
    changes.push_back(change);
  }
  return changes;
}

// ---- Incidents and maintenance ----

absl::StatusOr<core::IncidentId> PostgresTransaction::InsertIncident(
    const core::Incident& incident) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO incidents (kind, name, status, impact, component_ids,"
                          " created_at, updated_at, started_at, monitoring_at, resolved_at,"
                          " scheduled_for, scheduled_until, auto_transition) VALUES ($1, $2, $3,"
                          " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                          IncidentParams(incident)));
  return inserted.Int(0, 0);
}

absl::StatusOr<core::Incident> PostgresTransaction::GetIncident(core::IncidentId id) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute("SELECT " + kIncidentColumns +
                                                                   " FROM incidents WHERE id = $1",
                                                               PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("no such incident: " + std::to_string(id));
  std::vector<core::Incident> incidents = IncidentsFromRows(rows);
  PG_STORE_RETURN_IF_ERROR(LoadIncidentUpdates(incidents));
  return std::move(incidents.front());
}

absl::StatusOr<bool> PostgresTransaction::UpdateIncident(const core::Incident& incident,
                                                         absl::Time expected_updated_at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute(
          "UPDATE incidents SET kind = $1, name = $2, status = $3, impact = $4,"
          " component_ids = $5, created_at = $6, updated_at = $7,"
          " started_at = $8, monitoring_at = $9, resolved_at = $10,"
          " scheduled_for = $11, scheduled_until = $12, auto_transition = $13"
          " WHERE id = $14 AND updated_at IS NOT DISTINCT FROM $15::bigint",
          IncidentParams(incident).Add(incident.id).Add(TimeToColumn(expected_updated_at))));
  if (updated.affected() > 0) return true;
  PG_STORE_RETURN_IF_ERROR(RequireIncident(connection_, incident.id));
  return false;
}

absl::StatusOr<int64_t> PostgresTransaction::InsertIncidentUpdate(
    const core::IncidentUpdate& update) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(RequireIncident(connection_, update.incident_id));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO incident_updates (incident_id, status, body, created_at,"
                          " display_at, affected_components, author_id, notify)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                          PgParams()
                              .Add(update.incident_id)
                              .Add(IncidentStatusToColumn(update.status))
                              .Add(update.body)
                              .Add(TimeToColumn(update.created_at))
                              .Add(TimeToColumn(update.display_at))
                              .Add(AffectedComponentsToJson(update.affected_components))
                              .Add(update.author_id)
                              .Add(update.notify)));
  return inserted.Int(0, 0);
}

absl::StatusOr<std::vector<core::Incident>> PostgresTransaction::ListIncidents(
    const ports::IncidentFilter& filter) {
  PgParams params;
  std::string sql = "SELECT " + kIncidentColumns + " FROM incidents WHERE true";
  if (filter.before_id > 0) {
    params.Add(filter.before_id);
    sql += " AND id < $" + std::to_string(params.size());
  }
  if (filter.kind) {
    params.Add(IncidentKindToColumn(*filter.kind));
    sql += " AND kind = $" + std::to_string(params.size());
  }
  if (filter.open_only) sql += std::string(" AND ") + kOpenIncidentCondition;
  params.Add(int64_t{ClampLimit(filter.limit)});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  std::vector<core::Incident> incidents = IncidentsFromRows(rows);
  PG_STORE_RETURN_IF_ERROR(LoadIncidentUpdates(incidents));
  return incidents;
}

absl::StatusOr<std::vector<core::Incident>> PostgresTransaction::ListDueMaintenance(absl::Time now,
                                                                                    int limit) {
  // The conditions repeat the partial index's, so the edge index answers this query.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kIncidentColumns + " FROM incidents WHERE " +
                              kMovingMaintenanceCondition + " AND " + kMaintenanceEdge +
                              " <= $1 ORDER BY " + kMaintenanceEdge + ", id LIMIT $2",
                          PgParams().Add(TimeToColumn(now)).Add(int64_t{ClampLimit(limit)})));
  std::vector<core::Incident> incidents = IncidentsFromRows(rows);
  PG_STORE_RETURN_IF_ERROR(LoadIncidentUpdates(incidents));
  return incidents;
}

absl::StatusOr<std::optional<absl::Time>> PostgresTransaction::NextMaintenanceEdge() {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute(std::string("SELECT min") + kMaintenanceEdge +
                                         " FROM incidents WHERE " + kMovingMaintenanceCondition));
  if (rows.rows() == 0) return std::optional<absl::Time>();
  return OptionalTimeFromColumn(rows.OptionalInt(0, 0));
}

absl::Status PostgresTransaction::LoadIncidentUpdates(std::vector<core::Incident>& incidents) {
  if (incidents.empty()) return absl::OkStatus();
  std::map<core::IncidentId, core::Incident*> by_id;
  std::vector<int64_t> ids;
  for (core::Incident& incident : incidents) {
    incident.updates.clear();
    by_id[incident.id] = &incident;
    ids.push_back(incident.id);
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kUpdateColumns +
                              " FROM incident_updates WHERE incident_id = ANY($1::bigint[])"
                              " ORDER BY incident_id, display_at DESC, id DESC",
                          PgParams().Add(IdArray(ids))));
  for (int row = 0; row < rows.rows(); ++row) {
    core::IncidentUpdate update = UpdateFromRow(rows, row);
    by_id[update.incident_id]->updates.push_back(std::move(update));
  }
  return absl::OkStatus();
}

// ---- Cases linked to incidents ----

absl::Status PostgresTransaction::LinkCaseToIncident(core::IncidentId incident,
                                                     core::CaseNumber number, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(RequireIncident(connection_, incident));
  PG_STORE_RETURN_IF_ERROR(RequireCase(connection_, number));
  return connection_
      .Execute(
          "INSERT INTO incident_cases (incident_id, case_number, linked_at)"
          " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
          PgParams().Add(incident).Add(number).Add(TimeToColumn(at)))
      .status();
}

absl::Status PostgresTransaction::UnlinkCaseFromIncident(core::IncidentId incident,
                                                         core::CaseNumber number) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(RequireIncident(connection_, incident));
  PG_STORE_RETURN_IF_ERROR(RequireCase(connection_, number));
  return connection_
      .Execute("DELETE FROM incident_cases WHERE incident_id = $1 AND case_number = $2",
               PgParams().Add(incident).Add(number))
      .status();
}

absl::StatusOr<std::vector<core::CaseNumber>> PostgresTransaction::ListIncidentCases(
    core::IncidentId incident) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT case_number FROM incident_cases"
                                                " WHERE incident_id = $1 ORDER BY case_number",
                                                PgParams().Add(incident)));
  return IdsFromRows(rows);
}

absl::StatusOr<std::vector<core::IncidentId>> PostgresTransaction::ListCaseIncidents(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT incident_id FROM incident_cases"
                                                " WHERE case_number = $1 ORDER BY incident_id",
                                                PgParams().Add(number)));
  return IdsFromRows(rows);
}

// ---- Subscribers ----

absl::StatusOr<int64_t> PostgresTransaction::InsertStatusSubscriber(
    const ports::StatusSubscriber& subscriber) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO status_subscribers (kind, address, user_id, component_ids,"
                          " opted_out, confirmed_at, unsubscribed_at, created_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                          " ON CONFLICT DO NOTHING RETURNING id",
                          SubscriberParams(subscriber)));
  if (inserted.rows() == 0) return DuplicateSubscriber(subscriber);
  return inserted.Int(0, 0);
}

absl::StatusOr<ports::StatusSubscriber> PostgresTransaction::GetStatusSubscriber(int64_t id) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute("SELECT " + kSubscriberColumns +
                                                                   ", xmin FROM status_subscribers"
                                                                   " WHERE id = $1",
                                                               PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("no such subscriber: " + std::to_string(id));
  return NotedSubscriber(rows);
}

ports::StatusSubscriber PostgresTransaction::NotedSubscriber(const PgResult& rows) {
  ports::StatusSubscriber subscriber = std::move(SubscribersFromRows(rows).front());
  NoteVersionOfRow("subscriber:" + std::to_string(subscriber.id), rows);
  return subscriber;
}

absl::Status PostgresTransaction::CheckSubscriberFree(const ports::StatusSubscriber& subscriber) {
  absl::StatusOr<PgResult> holder = subscriber.user_id != 0
                                        ? connection_.Execute(
                                              "SELECT 1 FROM status_subscribers WHERE user_id = $1"
                                              " AND id <> $2",
                                              PgParams().Add(subscriber.user_id).Add(subscriber.id))
                                        : connection_.Execute(
                                              "SELECT 1 FROM status_subscribers WHERE user_id = 0"
                                              " AND kind = $1 AND address = $2 AND id <> $3",
                                              PgParams()
                                                  .Add(SubscriberKindToColumn(subscriber.kind))
                                                  .Add(subscriber.address)
                                                  .Add(subscriber.id));
  if (!holder.ok()) return holder.status();
  if (holder->rows() > 0) return DuplicateSubscriber(subscriber);
  return absl::OkStatus();
}

absl::Status PostgresTransaction::UpdateStatusSubscriber(
    const ports::StatusSubscriber& subscriber) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(CheckSubscriberFree(subscriber));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      UpdateReadRow("subscriber:" + std::to_string(subscriber.id),
                    "UPDATE status_subscribers SET kind = $1, address = $2, user_id = $3,"
                    " component_ids = $4, opted_out = $5, confirmed_at = $6,"
                    " unsubscribed_at = $7, created_at = $8 WHERE id = $9",
                    SubscriberParams(subscriber).Add(subscriber.id), "the subscriber"));
  if (updated.affected() == 0) {
    return absl::NotFoundError("no such subscriber: " + std::to_string(subscriber.id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ports::StatusSubscriber>>
PostgresTransaction::FindUserStatusSubscription(core::UserId user_id) {
  if (user_id == 0) return std::nullopt;
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute("SELECT " + kSubscriberColumns +
                                                                   ", xmin FROM status_subscribers"
                                                                   " WHERE user_id = $1",
                                                               PgParams().Add(user_id)));
  if (rows.rows() == 0) return std::nullopt;
  return NotedSubscriber(rows);
}

absl::StatusOr<std::optional<ports::StatusSubscriber>>
PostgresTransaction::FindStatusSubscriberByAddress(ports::SubscriberKind kind,
                                                   std::string_view address) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kSubscriberColumns +
                              ", xmin FROM status_subscribers WHERE user_id = 0 AND kind = $1"
                              " AND address = $2",
                          PgParams().Add(SubscriberKindToColumn(kind)).Add(address)));
  if (rows.rows() == 0) return std::nullopt;
  return NotedSubscriber(rows);
}

absl::StatusOr<std::vector<ports::StatusSubscriber>> PostgresTransaction::ListStatusSubscribers(
    bool users, int64_t after_id, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute(
          "SELECT " + kSubscriberColumns + " FROM status_subscribers WHERE id > $1" +
              (users ? " AND user_id <> 0" : " AND user_id = 0") + " ORDER BY id LIMIT $2",
          PgParams().Add(after_id).Add(int64_t{ClampLimit(limit)})));
  return SubscribersFromRows(rows);
}

// ---- Notice fan-out jobs ----

absl::StatusOr<int64_t> PostgresTransaction::InsertStatusNotice(const ports::StatusNotice& notice) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_RETURN_IF_ERROR(RequireIncident(connection_, notice.incident_id));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO status_notices (incident_id, update_id, created_at,"
                          " user_cursor, subscriber_cursor, done_at, claimed_until)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                          PgParams()
                              .Add(notice.incident_id)
                              .Add(notice.update_id)
                              .Add(TimeToColumn(notice.created_at))
                              .Add(notice.user_cursor)
                              .Add(notice.subscriber_cursor)
                              .Add(OptionalTimeToColumn(notice.done_at))
                              .Add(OptionalTimeToColumn(notice.claimed_until))));
  return inserted.Int(0, 0);
}

absl::StatusOr<std::optional<ports::StatusNotice>> PostgresTransaction::ClaimStatusNotice(
    absl::Time now, absl::Time lease_until) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("UPDATE status_notices SET claimed_until = $2 WHERE id = ("
                          " SELECT id FROM status_notices WHERE done_at IS NULL"
                          " AND (claimed_until IS NULL OR claimed_until <= $1)"
                          " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " +
                              kNoticeColumns,
                          PgParams().Add(TimeToColumn(now)).Add(TimeToColumn(lease_until))));
  if (rows.rows() == 0) return std::nullopt;
  return NoticeFromRow(rows, 0);
}

absl::Status PostgresTransaction::UpdateStatusNotice(const ports::StatusNotice& notice) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute("UPDATE status_notices SET user_cursor = $1, subscriber_cursor = $2,"
                          " done_at = $3, claimed_until = $4 WHERE id = $5",
                          PgParams()
                              .Add(notice.user_cursor)
                              .Add(notice.subscriber_cursor)
                              .Add(OptionalTimeToColumn(notice.done_at))
                              .Add(OptionalTimeToColumn(notice.claimed_until))
                              .Add(notice.id)));
  if (updated.affected() == 0) {
    return absl::NotFoundError("no such notice: " + std::to_string(notice.id));
  }
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::postgres

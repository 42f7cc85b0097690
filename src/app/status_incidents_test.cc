// The status page's components, incidents and maintenance through their use cases, against a
// real SqliteStore: who may do what, an incident's life with its components' statuses and
// history, linked cases hearing the updates, cases linked by component, maintenance moving by
// itself, and the optimistic check that keeps two writers from both moving an incident.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/audit_trail.h"
#include "app/status_test_fixture.h"

namespace casedesk::app {
namespace {

using core::ComponentStatus;
using core::IncidentStatus;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

using StatusComponentsTest = StatusTestFixture;
using StatusIncidentsTest = StatusTestFixture;
using StatusMaintenanceTest = StatusTestFixture;

MATCHER_P3(Affected, id, from, to, "") {
  return arg.component_id == id && arg.old_status == from && arg.new_status == to;
}

TEST_F(StatusComponentsTest, AGroupIsCreatedOnFirstUseAndReused) {
  const core::StatusComponent api = MustComponent("API", "Platform");
  const core::StatusComponent db = MustComponent("Database", "Platform");
  const core::StatusComponent web = MustComponent("Website");

  absl::StatusOr<std::vector<core::StatusComponent>> all =
      ListStatusComponents(context(), agent_.viewer);
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<core::StatusComponent> groups;
  for (const core::StatusComponent& component : *all) {
    if (component.is_group) groups.push_back(component);
  }
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].name, "Platform");
  EXPECT_EQ(groups[0].group_id, 0);
  EXPECT_EQ(api.group_id, groups[0].id);
  EXPECT_EQ(db.group_id, groups[0].id);
  EXPECT_EQ(web.group_id, 0);
  EXPECT_LT(api.position, db.position);  // after its siblings
  EXPECT_EQ(all->size(), 4u);

  // The initial status is the first row of the component's history.
  EXPECT_THAT(History(api.id), ElementsAre(ComponentStatus::kOperational));

  // Both creations are in the audit trail, which staff may read and customers may not.
  ports::PageRequest page;
  page.limit = 50;
  for (const auto& [id, kind] : {std::pair{groups[0].id, "status_group.created"},
                                 std::pair{api.id, "status_component.created"}}) {
    absl::StatusOr<ports::Page<core::AuditEvent>> trail =
        ListEntityEvents(context(), agent_.viewer, "status_component", std::to_string(id), page);
    ASSERT_TRUE(trail.ok()) << trail.status();
    ASSERT_EQ(trail->items.size(), 1u) << kind;
    EXPECT_EQ(trail->items[0].kind, kind);
    EXPECT_EQ(trail->items[0].actor_id, admin_.user.id);
  }
  EXPECT_TRUE(absl::IsNotFound(ListEntityEvents(context(), acme_alice_.viewer, "status_component",
                                                std::to_string(api.id), page)
                                   .status()));
}

TEST_F(StatusComponentsTest, OnlyAdminsCreateAndOnlyStaffSee) {
  absl::StatusOr<core::StatusComponent> by_agent = CreateComponent(agent_, "API");
  EXPECT_TRUE(absl::IsPermissionDenied(by_agent.status())) << by_agent.status();
  absl::StatusOr<core::StatusComponent> by_customer = CreateComponent(acme_alice_, "API");
  EXPECT_TRUE(absl::IsNotFound(by_customer.status())) << by_customer.status();
  absl::StatusOr<core::StatusComponent> by_partner = CreateComponent(partner_agent_, "API");
  EXPECT_TRUE(absl::IsNotFound(by_partner.status())) << by_partner.status();

  MustComponent("API");
  EXPECT_TRUE(absl::IsNotFound(ListStatusComponents(context(), acme_alice_.viewer).status()));
  EXPECT_TRUE(ListStatusComponents(context(), agent_.viewer).ok());

  // Nobody without the right saw anything being created.
  absl::StatusOr<std::vector<core::StatusComponent>> all =
      ListStatusComponents(context(), admin_.viewer);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(StatusComponentsTest, AStatusChangeIsRecordedInTheHistory) {
  const core::StatusComponent api = MustComponent("API");
  clock_.Advance(absl::Minutes(5));
  StatusComponentPatch patch;
  patch.status = ComponentStatus::kDegradedPerformance;
  absl::StatusOr<core::StatusComponent> changed =
      Await<core::StatusComponent>([&](Done<core::StatusComponent> done) {
        UpdateStatusComponent(context(), admin_.viewer, api.id, patch, std::move(done));
      });
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_EQ(changed->status, ComponentStatus::kDegradedPerformance);
  EXPECT_EQ(changed->updated_at, clock_.Now());
  EXPECT_THAT(History(api.id),
              ElementsAre(ComponentStatus::kOperational, ComponentStatus::kDegradedPerformance));

  absl::StatusOr<core::StatusComponent> unknown =
      Await<core::StatusComponent>([&](Done<core::StatusComponent> done) {
        UpdateStatusComponent(context(), admin_.viewer, 999, patch, std::move(done));
      });
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
}

TEST_F(StatusIncidentsTest, AnIncidentsLifeMovesItsComponentsAndRecordsEachStep) {
  const core::StatusComponent api = MustComponent("API");
  const core::StatusComponent db = MustComponent("Database");
  const absl::Time opened_at = clock_.Now();

  const IncidentView opened = MustOpenEvent(
      Incident("Errors on the API", {api.id, db.id}, ComponentStatus::kPartialOutage));
  const core::IncidentId id = opened.incident.id;
  EXPECT_EQ(opened.incident.status, IncidentStatus::kInvestigating);
  EXPECT_EQ(opened.incident.impact, core::IncidentImpact::kNone);
  ASSERT_EQ(opened.incident.updates.size(), 1u);
  EXPECT_EQ(opened.incident.updates[0].author_id, agent_.user.id);
  EXPECT_THAT(opened.incident.updates[0].affected_components,
              UnorderedElementsAre(
                  Affected(api.id, ComponentStatus::kOperational, ComponentStatus::kPartialOutage),
                  Affected(db.id, ComponentStatus::kOperational, ComponentStatus::kPartialOutage)));
  EXPECT_EQ(StoredComponent(api.id).status, ComponentStatus::kPartialOutage);

  clock_.Advance(absl::Minutes(10));
  IncidentUpdateRequest identified =
      Update(IncidentStatus::kIdentified, "A bad deploy.", ComponentStatus::kMajorOutage);
  identified.component_ids = std::vector<core::ComponentId>{api.id};  // db is fine after all
  identified.impact = core::IncidentImpact::kMajor;
  absl::StatusOr<IncidentView> step = Post(agent_, id, identified);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->incident.status, IncidentStatus::kIdentified);
  EXPECT_EQ(step->incident.impact, core::IncidentImpact::kMajor);
  EXPECT_THAT(step->incident.component_ids, ElementsAre(api.id));
  ASSERT_EQ(step->incident.updates.size(), 2u);
  EXPECT_EQ(step->incident.updates[0].body, "A bad deploy.");  // newest first
  EXPECT_THAT(step->incident.updates[0].affected_components,
              ElementsAre(Affected(api.id, ComponentStatus::kPartialOutage,
                                   ComponentStatus::kMajorOutage)));

  clock_.Advance(absl::Minutes(10));
  step = Post(agent_, id, Update(IncidentStatus::kMonitoring, "Rolled back."));
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->incident.monitoring_at, clock_.Now());
  EXPECT_THAT(step->incident.updates[0].affected_components, IsEmpty());  // nothing changed
  EXPECT_EQ(StoredComponent(api.id).status, ComponentStatus::kMajorOutage);

  clock_.Advance(absl::Minutes(10));
  step = Post(agent_, id, Update(IncidentStatus::kResolved, "All good."));
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->incident.status, IncidentStatus::kResolved);
  EXPECT_EQ(step->incident.resolved_at, clock_.Now());
  EXPECT_THAT(
      step->incident.updates[0].affected_components,
      ElementsAre(Affected(api.id, ComponentStatus::kMajorOutage, ComponentStatus::kOperational)));

  // What the store keeps matches what the use case answered.
  EXPECT_EQ(StoredComponent(api.id).status, ComponentStatus::kOperational);
  // db left the incident while partially out; closing it only returns the affected ones.
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kPartialOutage);
  EXPECT_THAT(History(api.id),
              ElementsAre(ComponentStatus::kOperational, ComponentStatus::kPartialOutage,
                          ComponentStatus::kMajorOutage, ComponentStatus::kOperational));
  const core::Incident stored = StoredIncident(id);
  ASSERT_EQ(stored.updates.size(), 4u);
  EXPECT_EQ(stored.updates[0].status, IncidentStatus::kResolved);
  EXPECT_EQ(stored.updates[3].status, IncidentStatus::kInvestigating);
  EXPECT_EQ(stored.updates[3].created_at, opened_at);
  EXPECT_EQ(stored.updates[0].affected_components.size(), 1u);
}

TEST_F(StatusIncidentsTest, ResolvingLeavesComponentsThatAnotherOpenIncidentHolds) {
  const core::StatusComponent api = MustComponent("API");
  const core::StatusComponent db = MustComponent("Database");
  const IncidentView first =
      MustOpenEvent(Incident("Outage", {api.id, db.id}, ComponentStatus::kMajorOutage));
  const IncidentView second =
      MustOpenEvent(Incident("Slow queries", {db.id}, ComponentStatus::kDegradedPerformance));
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kDegradedPerformance);

  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<IncidentView> resolved =
      Post(agent_, first.incident.id, Update(IncidentStatus::kResolved, "Fixed."));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_THAT(
      resolved->incident.updates[0].affected_components,
      ElementsAre(Affected(api.id, ComponentStatus::kMajorOutage, ComponentStatus::kOperational)));
  EXPECT_EQ(StoredComponent(api.id).status, ComponentStatus::kOperational);
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kDegradedPerformance);

  clock_.Advance(absl::Minutes(1));
  resolved = Post(agent_, second.incident.id, Update(IncidentStatus::kResolved, "Fixed too."));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kOperational);
}

TEST_F(StatusIncidentsTest, OnlyProviderStaffWorkWithIncidents) {
  const core::StatusComponent api = MustComponent("API");
  for (const Caller* outsider : {&acme_alice_, &partner_agent_, &acme_admin_}) {
    absl::StatusOr<IncidentView> opened = OpenEvent(*outsider, Incident("Outage", {api.id}));
    EXPECT_TRUE(absl::IsNotFound(opened.status())) << opened.status();
  }
  const IncidentView incident = MustOpenEvent(Incident("Outage", {api.id}));
  EXPECT_TRUE(
      absl::IsNotFound(GetIncident(context(), acme_alice_.viewer, incident.incident.id).status()));
  EXPECT_TRUE(absl::IsNotFound(
      Post(acme_alice_, incident.incident.id, Update(IncidentStatus::kResolved, "x")).status()));
  EXPECT_TRUE(GetIncident(context(), admin_.viewer, incident.incident.id).ok());
  EXPECT_TRUE(absl::IsNotFound(GetIncident(context(), agent_.viewer, 999).status()));
}

TEST_F(StatusIncidentsTest, InvalidRequestsNameTheField) {
  const core::StatusComponent api = MustComponent("API", "Platform");
  const core::ComponentId group = api.group_id;
  struct Case {
    const char* name;
    std::function<void(NewIncident&)> change;
    const char* field;
  };
  const std::vector<Case> cases = {
      {"unknown component", [](NewIncident& r) { r.component_ids = {999}; }, "component_ids"},
      {"a group", [&](NewIncident& r) { r.component_ids = {group}; }, "component_ids"},
      {"empty name", [](NewIncident& r) { r.name = ""; }, "name"},
      {"maintenance status", [](NewIncident& r) { r.status = IncidentStatus::kScheduled; },
       "status"},
      {"starts closed", [](NewIncident& r) { r.status = IncidentStatus::kResolved; }, "status"},
      {"body too long", [](NewIncident& r) { r.body = std::string(20001, 'x'); }, "body"},
  };
  for (const Case& c : cases) {
    NewIncident request = Incident("Outage", {api.id});
    c.change(request);
    absl::StatusOr<IncidentView> opened = OpenEvent(agent_, request);
    EXPECT_TRUE(absl::IsInvalidArgument(opened.status())) << c.name << ": " << opened.status();
    EXPECT_THAT(std::string(opened.status().message()), ::testing::HasSubstr(c.field)) << c.name;
  }
  // None of them left anything behind.
  absl::StatusOr<std::vector<core::Incident>> listed =
      ListIncidents(context(), agent_.viewer, ports::IncidentFilter{});
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(*listed, IsEmpty());
  EXPECT_THAT(History(api.id), ElementsAre(ComponentStatus::kOperational));
}

TEST_F(StatusIncidentsTest, UpdatesArePostedOnLinkedCasesAndSolveThemOnResolve) {
  const core::StatusComponent api = MustComponent("API");
  const IncidentView incident =
      MustOpenEvent(Incident("Outage", {api.id}, ComponentStatus::kMajorOutage));
  const core::IncidentId id = incident.incident.id;
  const core::Case open_case = MustOpen(acme_alice_, Request("API down for us"));
  const core::Case closed_case = MustOpen(globex_gina_, Request("API errors"));
  UpdateCaseRequest solve;
  solve.status = core::CaseStatus::kSolved;
  ASSERT_TRUE(CaseTestFixture::Update(agent_, closed_case.number, solve).ok());
  UpdateCaseRequest close;
  close.status = core::CaseStatus::kClosed;
  ASSERT_TRUE(CaseTestFixture::Update(agent_, closed_case.number, close).ok());
  ASSERT_EQ(Stored(closed_case.number).status, core::CaseStatus::kClosed);

  absl::StatusOr<IncidentView> linked = Link(agent_, id, open_case.number);
  ASSERT_TRUE(linked.ok()) << linked.status();
  linked = Link(agent_, id, open_case.number);  // twice is harmless
  ASSERT_TRUE(linked.ok()) << linked.status();
  linked = Link(agent_, id, closed_case.number);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_THAT(linked->cases, UnorderedElementsAre(open_case.number, closed_case.number));
  const size_t closed_comments = Comments(closed_case.number).size();

  clock_.Advance(absl::Minutes(5));
  IncidentUpdateRequest progress = Update(IncidentStatus::kIdentified, "We found the cause.");
  progress.linked_cases = LinkedCaseAction::kUpdate;
  ASSERT_TRUE(Post(agent_, id, progress).ok());
  std::vector<core::Comment> comments = Comments(open_case.number);
  ASSERT_FALSE(comments.empty());
  const core::Comment& reply = comments.back();
  EXPECT_EQ(reply.body, "We found the cause.");
  EXPECT_EQ(reply.visibility, core::Visibility::kPublic);
  EXPECT_EQ(reply.channel, "status");
  EXPECT_EQ(reply.author_id, agent_.user.id);
  EXPECT_NE(Stored(open_case.number).status, core::CaseStatus::kSolved);

  // Solving is only for the update that closes the incident.
  IncidentUpdateRequest early = Update(IncidentStatus::kMonitoring, "Watching.");
  early.linked_cases = LinkedCaseAction::kSolve;
  absl::StatusOr<IncidentView> refused = Post(agent_, id, early);
  EXPECT_TRUE(absl::IsInvalidArgument(refused.status())) << refused.status();

  clock_.Advance(absl::Minutes(5));
  IncidentUpdateRequest resolve = Update(IncidentStatus::kResolved, "Fixed for everyone.");
  resolve.linked_cases = LinkedCaseAction::kSolve;
  absl::StatusOr<IncidentView> resolved = Post(agent_, id, resolve);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(Stored(open_case.number).status, core::CaseStatus::kSolved);
  EXPECT_EQ(Comments(open_case.number).back().body, "Fixed for everyone.");
  // The closed case was skipped: no comment, still closed, and the incident moved on.
  EXPECT_EQ(Stored(closed_case.number).status, core::CaseStatus::kClosed);
  EXPECT_EQ(Comments(closed_case.number).size(), closed_comments);
  EXPECT_EQ(resolved->incident.status, IncidentStatus::kResolved);
}

TEST_F(StatusIncidentsTest, ACaseAboutAnAffectedComponentIsLinkedWhenOpened) {
  const core::StatusComponent api = MustComponent("API");
  const core::StatusComponent web = MustComponent("Website");
  const IncidentView incident =
      MustOpenEvent(Incident("Outage", {api.id}, ComponentStatus::kMajorOutage));

  OpenCaseRequest about_api = Request("Cannot call the API");
  about_api.component = "api";  // case-insensitively
  const core::Case linked = MustOpen(acme_alice_, about_api);
  OpenCaseRequest about_web = Request("Website slow");
  about_web.component = "Website";
  const core::Case other = MustOpen(acme_alice_, about_web);
  const core::Case without = MustOpen(acme_alice_, Request("Question"));

  absl::StatusOr<IncidentView> view = GetIncident(context(), agent_.viewer, incident.incident.id);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_THAT(view->cases, ElementsAre(linked.number));
  bool recorded = false;
  for (const core::AuditEvent& event : StoredEvents(linked.number)) {
    recorded = recorded || event.kind == "case.incident_linked";
  }
  EXPECT_TRUE(recorded);
  (void)web;
  (void)other;
  (void)without;

  // Once resolved, new cases about the component are not linked to it.
  ASSERT_TRUE(Post(agent_, incident.incident.id, Update(IncidentStatus::kResolved, "Done.")).ok());
  const core::Case later = MustOpen(acme_alice_, about_api);
  view = GetIncident(context(), agent_.viewer, incident.incident.id);
  ASSERT_TRUE(view.ok());
  EXPECT_THAT(view->cases, ElementsAre(linked.number));
  (void)later;
}

TEST_F(StatusIncidentsTest, AWriterWithAStaleIncidentIsAbortedAndLeavesNothing) {
  const core::StatusComponent api = MustComponent("API");
  const IncidentView opened =
      MustOpenEvent(Incident("Outage", {api.id}, ComponentStatus::kPartialOutage));
  const core::Incident stale = StoredIncident(opened.incident.id);

  // Another node moves the incident first.
  clock_.Advance(absl::Seconds(30));
  ASSERT_TRUE(
      Post(agent_, opened.incident.id, Update(IncidentStatus::kIdentified, "Found it.")).ok());

  clock_.Advance(absl::Seconds(30));
  absl::Status second = Write([&](ports::StoreTransaction& txn) -> absl::Status {
    core::Incident copy = stale;
    return AppendIncidentUpdate(txn, context(), copy,
                                Update(IncidentStatus::kResolved, "Fixed.", std::nullopt),
                                agent_.user.id, clock_.Now(), nullptr)
        .status();
  });
  EXPECT_TRUE(absl::IsAborted(second)) << second;

  // The aborted unit rolled back whole: no update, no component change.
  const core::Incident stored = StoredIncident(opened.incident.id);
  EXPECT_EQ(stored.status, IncidentStatus::kIdentified);
  EXPECT_EQ(stored.updates.size(), 2u);
  EXPECT_EQ(StoredComponent(api.id).status, ComponentStatus::kPartialOutage);
  EXPECT_THAT(History(api.id),
              ElementsAre(ComponentStatus::kOperational, ComponentStatus::kPartialOutage));
}

TEST_F(StatusMaintenanceTest, MaintenanceMovesByItselfAtTheWindowsEdges) {
  const core::StatusComponent db = MustComponent("Database");
  const core::StatusComponent api = MustComponent("API");
  const absl::Time start = clock_.Now() + absl::Hours(1);
  const absl::Time end = start + absl::Hours(2);
  NewIncident request = Incident("Database upgrade", {db.id});
  request.kind = core::IncidentKind::kMaintenance;
  request.body = "We will upgrade the database.";
  request.scheduled_for = start;
  request.scheduled_until = end;
  const IncidentView scheduled = MustOpenEvent(request);
  const core::IncidentId id = scheduled.incident.id;
  EXPECT_EQ(scheduled.incident.status, IncidentStatus::kScheduled);
  EXPECT_EQ(scheduled.incident.impact, core::IncidentImpact::kMaintenance);
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kOperational);

  absl::StatusOr<int> moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 0);

  clock_.Set(start + absl::Seconds(1));
  moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 1);
  core::Incident stored = StoredIncident(id);
  EXPECT_EQ(stored.status, IncidentStatus::kInProgress);
  EXPECT_EQ(stored.started_at, start + absl::Seconds(1));
  ASSERT_EQ(stored.updates.size(), 2u);
  EXPECT_EQ(stored.updates[0].author_id, 0);  // the desk itself
  EXPECT_FALSE(stored.updates[0].body.empty());
  EXPECT_THAT(stored.updates[0].affected_components,
              ElementsAre(Affected(db.id, ComponentStatus::kOperational,
                                   ComponentStatus::kUnderMaintenance)));
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kUnderMaintenance);
  EXPECT_EQ(StoredComponent(api.id).status, ComponentStatus::kOperational);

  // Nothing more is due until the window ends.
  moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 0);

  clock_.Set(end + absl::Seconds(1));
  moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 1);
  stored = StoredIncident(id);
  EXPECT_EQ(stored.status, IncidentStatus::kCompleted);
  EXPECT_EQ(stored.resolved_at, end + absl::Seconds(1));
  EXPECT_THAT(stored.updates[0].affected_components,
              ElementsAre(Affected(db.id, ComponentStatus::kUnderMaintenance,
                                   ComponentStatus::kOperational)));
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kOperational);
  EXPECT_THAT(History(db.id),
              ElementsAre(ComponentStatus::kOperational, ComponentStatus::kUnderMaintenance,
                          ComponentStatus::kOperational));

  moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 0);
}

TEST_F(StatusMaintenanceTest, AMissedWindowCompletesWithoutGoingInProgressAndKeepsHeldParts) {
  const core::StatusComponent db = MustComponent("Database");
  NewIncident request = Incident("Database upgrade", {db.id});
  request.kind = core::IncidentKind::kMaintenance;
  request.scheduled_for = clock_.Now() + absl::Hours(1);
  request.scheduled_until = clock_.Now() + absl::Hours(2);
  const IncidentView maintenance = MustOpenEvent(request);
  // An incident holds db meanwhile.
  const IncidentView outage =
      MustOpenEvent(Incident("Outage", {db.id}, ComponentStatus::kMajorOutage));

  // The node was down for the whole window: the maintenance completes directly.
  clock_.Advance(absl::Hours(3));
  absl::StatusOr<int> moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(*moved, 1);
  const core::Incident completed = StoredIncident(maintenance.incident.id);
  EXPECT_EQ(completed.status, IncidentStatus::kCompleted);
  ASSERT_EQ(completed.updates.size(), 2u);
  EXPECT_EQ(completed.updates[1].status, IncidentStatus::kScheduled);
  EXPECT_THAT(completed.updates[0].affected_components, IsEmpty());
  // The open incident still holds db at major outage.
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kMajorOutage);
  (void)outage;
}

// Resolving an incident during maintenance in progress: the component is under maintenance
// again, not left at the incident's outage.
TEST_F(StatusMaintenanceTest, AnIncidentResolvedDuringMaintenanceLeavesItUnderMaintenance) {
  const core::StatusComponent db = MustComponent("Database");
  NewIncident request = Incident("Database upgrade", {db.id});
  request.kind = core::IncidentKind::kMaintenance;
  request.scheduled_for = clock_.Now() + absl::Minutes(1);
  request.scheduled_until = clock_.Now() + absl::Hours(2);
  MustOpenEvent(request);
  clock_.Advance(absl::Minutes(2));
  ASSERT_EQ(AdvanceDueMaintenance(context()).value_or(-1), 1);
  ASSERT_EQ(StoredComponent(db.id).status, ComponentStatus::kUnderMaintenance);

  const IncidentView outage =
      MustOpenEvent(Incident("Upgrade failed", {db.id}, ComponentStatus::kMajorOutage));
  ASSERT_EQ(StoredComponent(db.id).status, ComponentStatus::kMajorOutage);
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(Post(agent_, outage.incident.id, Update(IncidentStatus::kResolved, "Back.")).ok());
  EXPECT_EQ(StoredComponent(db.id).status, ComponentStatus::kUnderMaintenance);
}

TEST_F(StatusMaintenanceTest, MaintenanceWithoutAutoTransitionStaysPut) {
  const core::StatusComponent db = MustComponent("Database");
  NewIncident request = Incident("Manual work", {db.id});
  request.kind = core::IncidentKind::kMaintenance;
  request.scheduled_for = clock_.Now() + absl::Minutes(10);
  request.scheduled_until = clock_.Now() + absl::Minutes(20);
  request.auto_transition = false;
  const IncidentView maintenance = MustOpenEvent(request);
  clock_.Advance(absl::Hours(1));
  absl::StatusOr<int> moved = AdvanceDueMaintenance(context());
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(*moved, 0);
  EXPECT_EQ(StoredIncident(maintenance.incident.id).status, IncidentStatus::kScheduled);
}

}  // namespace
}  // namespace casedesk::app

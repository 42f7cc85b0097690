#include "core/status_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

// Expectations are worked out by hand. Europe/London: BST starts 2026-03-29 01:00Z (a 23-hour
// day) and ends 2026-10-25 01:00Z (a 25-hour day). America/Santiago moves from -04 to -03 at
// local midnight on 2026-09-06 (04:00Z), so that day starts at 01:00 and lasts 23 hours.

namespace casedesk::core {
namespace {

using ::testing::HasSubstr;

using CS = ComponentStatus;
using IS = IncidentStatus;

absl::Time T(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    ADD_FAILURE() << "bad time in test: " << text << ": " << error;
  }
  return t;
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) std::abort();
  return zone;
}

absl::TimeZone London() { return Zone("Europe/London"); }

std::string Name(CS status) { return std::string(NameOf(ComponentStatusNames(), status)); }

TEST(StatusPageTest, WireNamesRoundTrip) {
  const std::vector<std::pair<CS, std::string_view>> components = {
      {CS::kOperational, "operational"},
      {CS::kDegradedPerformance, "degraded_performance"},
      {CS::kPartialOutage, "partial_outage"},
      {CS::kMajorOutage, "major_outage"},
      {CS::kUnderMaintenance, "under_maintenance"}};
  for (const auto& [value, name] : components) {
    EXPECT_EQ(NameOf(ComponentStatusNames(), value), name);
    EXPECT_EQ(EnumFromName(ComponentStatusNames(), name), value) << name;
  }
  const std::vector<std::pair<IncidentKind, std::string_view>> kinds = {
      {IncidentKind::kIncident, "incident"}, {IncidentKind::kMaintenance, "maintenance"}};
  for (const auto& [value, name] : kinds) {
    EXPECT_EQ(NameOf(IncidentKindNames(), value), name);
    EXPECT_EQ(EnumFromName(IncidentKindNames(), name), value) << name;
  }
  const std::vector<std::pair<IncidentImpact, std::string_view>> impacts = {
      {IncidentImpact::kNone, "none"},
      {IncidentImpact::kMinor, "minor"},
      {IncidentImpact::kMajor, "major"},
      {IncidentImpact::kCritical, "critical"},
      {IncidentImpact::kMaintenance, "maintenance"}};
  for (const auto& [value, name] : impacts) {
    EXPECT_EQ(NameOf(IncidentImpactNames(), value), name);
    EXPECT_EQ(EnumFromName(IncidentImpactNames(), name), value) << name;
  }
  const std::vector<std::pair<IS, std::string_view>> statuses = {
      {IS::kInvestigating, "investigating"}, {IS::kIdentified, "identified"},
      {IS::kMonitoring, "monitoring"},       {IS::kResolved, "resolved"},
      {IS::kPostmortem, "postmortem"},       {IS::kScheduled, "scheduled"},
      {IS::kInProgress, "in_progress"},      {IS::kVerifying, "verifying"},
      {IS::kCompleted, "completed"}};
  for (const auto& [value, name] : statuses) {
    EXPECT_EQ(NameOf(IncidentStatusNames(), value), name);
    EXPECT_EQ(EnumFromName(IncidentStatusNames(), name), value) << name;
  }
  EXPECT_EQ(ComponentStatusNames().size(), 5u);
  EXPECT_EQ(IncidentKindNames().size(), 2u);
  EXPECT_EQ(IncidentImpactNames().size(), 5u);
  EXPECT_EQ(IncidentStatusNames().size(), 9u);
  EXPECT_EQ(EnumFromName(IncidentStatusNames(), "inprogress"), std::nullopt);
}

TEST(StatusPageTest, StatusesBelongToTheirKindAndSomeAreClosed) {
  const struct {
    IS status;
    bool incident;
    bool maintenance;
    bool closed;
  } kTable[] = {
      {IS::kInvestigating, true, false, false}, {IS::kIdentified, true, false, false},
      {IS::kMonitoring, true, false, false},    {IS::kResolved, true, false, true},
      {IS::kPostmortem, true, false, true},     {IS::kScheduled, false, true, false},
      {IS::kInProgress, false, true, false},    {IS::kVerifying, false, true, false},
      {IS::kCompleted, false, true, true},
  };
  for (const auto& row : kTable) {
    const std::string label(NameOf(IncidentStatusNames(), row.status));
    EXPECT_EQ(StatusBelongsTo(IncidentKind::kIncident, row.status), row.incident) << label;
    EXPECT_EQ(StatusBelongsTo(IncidentKind::kMaintenance, row.status), row.maintenance) << label;
    EXPECT_EQ(IsClosedStatus(row.status), row.closed) << label;
  }
}

TEST(StatusPageTest, ValidateComponent) {
  const struct {
    std::string label;
    std::function<void(StatusComponent&)> change;
    std::string error;  // empty: valid
  } kTable[] = {
      {"valid", [](StatusComponent&) {}, ""},
      {"in a group", [](StatusComponent& c) { c.group_id = 3; }, ""},
      {"255 bytes", [](StatusComponent& c) { c.name = std::string(255, 'a'); }, ""},
      {"utf-8 name", [](StatusComponent& c) { c.name = "Zahlungsdienst \xc3\xa4"; }, ""},
      {"empty name", [](StatusComponent& c) { c.name = ""; }, "name: must not be empty"},
      {"blank name", [](StatusComponent& c) { c.name = "   "; }, "name: must not be empty"},
      {"256 bytes", [](StatusComponent& c) { c.name = std::string(256, 'a'); },
       "name: must be at most 255 bytes, got 256"},
      {"newline", [](StatusComponent& c) { c.name = "API\nX"; },
       "name: must not contain control characters"},
      {"delete", [](StatusComponent& c) { c.name = "API\x7f"; },
       "name: must not contain control characters"},
      {"own group", [](StatusComponent& c) { c.group_id = c.id; },
       "group_id: a component cannot be its own group"},
      {"negative group", [](StatusComponent& c) { c.group_id = -1; },
       "group_id: must not be negative"},
  };
  for (const auto& row : kTable) {
    StatusComponent component{.id = 7, .name = "API", .description = "The REST API"};
    row.change(component);
    const absl::Status status = ValidateComponent(component);
    if (row.error.empty()) {
      EXPECT_TRUE(status.ok()) << row.label << ": " << status;
    } else {
      EXPECT_TRUE(absl::IsInvalidArgument(status)) << row.label << ": " << status;
      EXPECT_EQ(status.message(), row.error) << row.label;
    }
  }
}

Incident AnIncident() {
  return Incident{.id = 1,
                  .kind = IncidentKind::kIncident,
                  .name = "Elevated API errors",
                  .status = IS::kInvestigating,
                  .impact = IncidentImpact::kMajor,
                  .component_ids = {3, 4}};
}

Incident AMaintenance() {
  return Incident{.id = 2,
                  .kind = IncidentKind::kMaintenance,
                  .name = "Database upgrade",
                  .status = IS::kScheduled,
                  .impact = IncidentImpact::kMaintenance,
                  .component_ids = {3},
                  .scheduled_for = T("2026-05-01T22:00:00Z"),
                  .scheduled_until = T("2026-05-02T02:00:00Z")};
}

TEST(StatusPageTest, ValidateIncident) {
  const struct {
    std::string label;
    std::function<Incident()> make;
    std::string error;  // empty: valid
  } kTable[] = {
      {"incident", AnIncident, ""},
      {"maintenance", AMaintenance, ""},
      {"incident without impact",
       [] {
         Incident i = AnIncident();
         i.impact = IncidentImpact::kNone;
         return i;
       },
       ""},
      {"empty name",
       [] {
         Incident i = AnIncident();
         i.name.clear();
         return i;
       },
       "name: must not be empty"},
      {"long name",
       [] {
         Incident i = AMaintenance();
         i.name = std::string(300, 'x');
         return i;
       },
       "name: must be at most 255 bytes, got 300"},
      {"tab in name",
       [] {
         Incident i = AnIncident();
         i.name = "a\tb";
         return i;
       },
       "name: must not contain control characters"},
      {"maintenance status on incident",
       [] {
         Incident i = AnIncident();
         i.status = IS::kInProgress;
         return i;
       },
       "status: in_progress is not a status of incident"},
      {"incident status on maintenance",
       [] {
         Incident i = AMaintenance();
         i.status = IS::kResolved;
         return i;
       },
       "status: resolved is not a status of maintenance"},
      {"update with a wrong status",
       [] {
         Incident i = AnIncident();
         i.updates = {IncidentUpdate{.status = IS::kIdentified},
                      IncidentUpdate{.status = IS::kCompleted}};
         return i;
       },
       "updates[1].status: completed is not a status of incident"},
      {"maintenance impact on incident",
       [] {
         Incident i = AnIncident();
         i.impact = IncidentImpact::kMaintenance;
         return i;
       },
       "impact: maintenance is only for a maintenance"},
      {"maintenance with incident impact",
       [] {
         Incident i = AMaintenance();
         i.impact = IncidentImpact::kMinor;
         return i;
       },
       "impact: must be maintenance for a maintenance"},
      {"zero component id",
       [] {
         Incident i = AnIncident();
         i.component_ids = {3, 0};
         return i;
       },
       "component_ids: must be positive, got 0"},
      {"maintenance without start",
       [] {
         Incident i = AMaintenance();
         i.scheduled_for.reset();
         return i;
       },
       "scheduled_for: required for a maintenance"},
      {"maintenance without end",
       [] {
         Incident i = AMaintenance();
         i.scheduled_until.reset();
         return i;
       },
       "scheduled_until: required for a maintenance"},
      {"maintenance ending at its start",
       [] {
         Incident i = AMaintenance();
         i.scheduled_until = i.scheduled_for;
         return i;
       },
       "scheduled_until: must be after scheduled_for"},
      {"maintenance ending before its start",
       [] {
         Incident i = AMaintenance();
         i.scheduled_until = *i.scheduled_for - absl::Minutes(1);
         return i;
       },
       "scheduled_until: must be after scheduled_for"},
      {"incident with a window",
       [] {
         Incident i = AnIncident();
         i.scheduled_for = T("2026-05-01T22:00:00Z");
         return i;
       },
       "scheduled_for: only a maintenance has a window"},
      {"incident with a window end",
       [] {
         Incident i = AnIncident();
         i.scheduled_until = T("2026-05-01T22:00:00Z");
         return i;
       },
       "scheduled_until: only a maintenance has a window"},
  };
  for (const auto& row : kTable) {
    const absl::Status status = ValidateIncident(row.make());
    if (row.error.empty()) {
      EXPECT_TRUE(status.ok()) << row.label << ": " << status;
    } else {
      EXPECT_TRUE(absl::IsInvalidArgument(status)) << row.label << ": " << status;
      EXPECT_EQ(status.message(), row.error) << row.label;
    }
  }
}

StatusComponent Component(CS status, bool is_group = false) {
  return StatusComponent{.id = 1, .name = "c", .is_group = is_group, .status = status};
}

Incident Event(IncidentKind kind, IS status, IncidentImpact impact) {
  return Incident{.kind = kind, .name = "e", .status = status, .impact = impact};
}

Incident Open(IncidentImpact impact) {
  return Event(IncidentKind::kIncident, IS::kIdentified, impact);
}

Incident Maintenance(IS status) {
  return Event(IncidentKind::kMaintenance, status, IncidentImpact::kMaintenance);
}

TEST(StatusPageTest, OverallIndicator) {
  using II = IncidentImpact;
  const struct {
    std::string label;
    std::vector<StatusComponent> components;
    std::vector<Incident> events;
    std::string indicator;
    std::string description;
  } kTable[] = {
      {"nothing", {}, {}, "none", "All Systems Operational"},
      {"all operational",
       {Component(CS::kOperational), Component(CS::kOperational)},
       {},
       "none",
       "All Systems Operational"},
      {"incident without impact", {}, {Open(II::kNone)}, "none", "All Systems Operational"},
      {"degraded component alone",
       {Component(CS::kOperational), Component(CS::kDegradedPerformance)},
       {},
       "minor",
       "Partially Degraded Service"},
      {"degraded component and an impactless incident",
       {Component(CS::kDegradedPerformance)},
       {Open(II::kNone)},
       "minor",
       "Partially Degraded Service"},
      {"minor incident", {}, {Open(II::kMinor)}, "minor", "Minor Service Outage"},
      {"minor incident and degraded component",
       {Component(CS::kDegradedPerformance)},
       {Open(II::kMinor)},
       "minor",
       "Minor Service Outage"},
      {"partial outage component",
       {Component(CS::kPartialOutage)},
       {Open(II::kMinor)},
       "major",
       "Partial System Outage"},
      {"major incident", {}, {Open(II::kMajor)}, "major", "Partial System Outage"},
      {"major outage component",
       {Component(CS::kMajorOutage)},
       {Open(II::kMajor)},
       "critical",
       "Major System Outage"},
      {"critical incident",
       {Component(CS::kDegradedPerformance)},
       {Open(II::kCritical)},
       "critical",
       "Major System Outage"},
      {"resolved incident does not count",
       {},
       {Event(IncidentKind::kIncident, IS::kResolved, II::kCritical),
        Event(IncidentKind::kIncident, IS::kPostmortem, II::kMajor)},
       "none",
       "All Systems Operational"},
      {"monitoring incident counts",
       {},
       {Event(IncidentKind::kIncident, IS::kMonitoring, II::kMajor)},
       "major",
       "Partial System Outage"},
      {"maintenance in progress",
       {Component(CS::kOperational)},
       {Maintenance(IS::kInProgress)},
       "maintenance",
       "Service Under Maintenance"},
      {"maintenance verifying",
       {},
       {Maintenance(IS::kVerifying)},
       "maintenance",
       "Service Under Maintenance"},
      {"scheduled maintenance does not count",
       {},
       {Maintenance(IS::kScheduled), Maintenance(IS::kCompleted)},
       "none",
       "All Systems Operational"},
      {"component under maintenance",
       {Component(CS::kUnderMaintenance)},
       {},
       "maintenance",
       "Service Under Maintenance"},
      {"degraded beats maintenance",
       {Component(CS::kDegradedPerformance), Component(CS::kUnderMaintenance)},
       {Maintenance(IS::kInProgress)},
       "minor",
       "Partially Degraded Service"},
      {"incident beats maintenance",
       {},
       {Maintenance(IS::kInProgress), Open(II::kMinor)},
       "minor",
       "Minor Service Outage"},
      {"groups are ignored",
       {Component(CS::kMajorOutage, /*is_group=*/true), Component(CS::kOperational)},
       {},
       "none",
       "All Systems Operational"},
  };
  for (const auto& row : kTable) {
    const PageIndicator indicator = OverallIndicator(row.components, row.events);
    EXPECT_EQ(indicator.indicator, row.indicator) << row.label;
    EXPECT_EQ(indicator.description, row.description) << row.label;
  }
}

TEST(StatusPageTest, GroupStatus) {
  const struct {
    std::vector<CS> members;
    CS expected;
  } kTable[] = {
      {{}, CS::kOperational},
      {{CS::kOperational, CS::kOperational}, CS::kOperational},
      {{CS::kOperational, CS::kUnderMaintenance}, CS::kUnderMaintenance},
      {{CS::kUnderMaintenance, CS::kDegradedPerformance}, CS::kDegradedPerformance},
      {{CS::kDegradedPerformance, CS::kUnderMaintenance}, CS::kDegradedPerformance},
      {{CS::kPartialOutage, CS::kDegradedPerformance}, CS::kPartialOutage},
      {{CS::kMajorOutage, CS::kPartialOutage, CS::kUnderMaintenance}, CS::kMajorOutage},
      {{CS::kOperational, CS::kMajorOutage}, CS::kMajorOutage},
  };
  for (const auto& row : kTable) {
    std::vector<StatusComponent> members;
    std::string label;
    for (CS status : row.members) {
      members.push_back(Component(status));
      label += Name(status) + " ";
    }
    EXPECT_EQ(GroupStatus(members), row.expected) << label;
  }
}

TEST(StatusPageTest, MaintenanceMovesThroughItsEdges) {
  // Window 2026-05-01 22:00Z .. 2026-05-02 02:00Z.
  const struct {
    std::string label;
    IS status;
    std::string now;
    std::optional<IS> due;
  } kTable[] = {
      {"scheduled, before the window", IS::kScheduled, "2026-05-01T21:59:59Z", std::nullopt},
      {"scheduled, at the start", IS::kScheduled, "2026-05-01T22:00:00Z", IS::kInProgress},
      {"scheduled, inside", IS::kScheduled, "2026-05-01T23:00:00Z", IS::kInProgress},
      {"scheduled, missed the whole window", IS::kScheduled, "2026-05-02T02:00:00Z",
       IS::kCompleted},
      {"in progress, inside", IS::kInProgress, "2026-05-01T23:00:00Z", std::nullopt},
      {"in progress, before the end", IS::kInProgress, "2026-05-02T01:59:59Z", std::nullopt},
      {"in progress, at the end", IS::kInProgress, "2026-05-02T02:00:00Z", IS::kCompleted},
      {"verifying, inside", IS::kVerifying, "2026-05-01T23:00:00Z", std::nullopt},
      {"verifying, after the end", IS::kVerifying, "2026-05-02T03:00:00Z", IS::kCompleted},
      {"completed", IS::kCompleted, "2026-05-02T03:00:00Z", std::nullopt},
  };
  for (const auto& row : kTable) {
    Incident maintenance = AMaintenance();
    maintenance.status = row.status;
    EXPECT_EQ(DueMaintenanceTransition(maintenance, T(row.now)), row.due) << row.label;
  }
}

TEST(StatusPageTest, MaintenanceStepsByItself) {
  // Following the edges from scheduled to completed, applying each due transition.
  Incident maintenance = AMaintenance();
  std::vector<IS> seen;
  while (std::optional<absl::Time> edge = NextMaintenanceEdge(maintenance)) {
    std::optional<IS> due = DueMaintenanceTransition(maintenance, *edge);
    ASSERT_TRUE(due.has_value());
    EXPECT_EQ(DueMaintenanceTransition(maintenance, *edge - absl::Seconds(1)), std::nullopt);
    maintenance.status = *due;
    seen.push_back(*due);
    ASSERT_LE(seen.size(), 3u);
  }
  EXPECT_THAT(seen, ::testing::ElementsAre(IS::kInProgress, IS::kCompleted));
}

TEST(StatusPageTest, NextMaintenanceEdge) {
  const absl::Time start = T("2026-05-01T22:00:00Z");
  const absl::Time end = T("2026-05-02T02:00:00Z");
  const struct {
    std::string label;
    std::function<void(Incident&)> change;
    std::optional<absl::Time> edge;
  } kTable[] = {
      {"scheduled", [](Incident&) {}, start},
      {"in progress", [](Incident& m) { m.status = IS::kInProgress; }, end},
      {"verifying", [](Incident& m) { m.status = IS::kVerifying; }, end},
      {"completed", [](Incident& m) { m.status = IS::kCompleted; }, std::nullopt},
      {"manual", [](Incident& m) { m.auto_transition = false; }, std::nullopt},
      {"scheduled without a start", [](Incident& m) { m.scheduled_for.reset(); }, end},
      {"incident",
       [](Incident& m) {
         m.kind = IncidentKind::kIncident;
         m.status = IS::kInvestigating;
       },
       std::nullopt},
  };
  for (const auto& row : kTable) {
    Incident maintenance = AMaintenance();
    row.change(maintenance);
    EXPECT_EQ(NextMaintenanceEdge(maintenance), row.edge) << row.label;
  }
  // Manual maintenance and incidents never move by themselves.
  Incident manual = AMaintenance();
  manual.auto_transition = false;
  EXPECT_EQ(DueMaintenanceTransition(manual, end + absl::Hours(1)), std::nullopt);
  EXPECT_EQ(DueMaintenanceTransition(AnIncident(), end), std::nullopt);
}

// The expectation for one day: "-" no data, else uptime, worst, partial and major seconds.
struct Day {
  std::string day;
  bool has_data;
  double uptime = 1.0;
  CS worst = CS::kOperational;
  int64_t partial = 0;
  int64_t major = 0;
};

absl::CivilDay D(const std::string& text) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) ADD_FAILURE() << "bad day in test: " << text;
  return day;
}

void ExpectDays(const std::vector<UptimeDay>& actual, const std::vector<Day>& expected,
                const std::string& label) {
  ASSERT_EQ(actual.size(), expected.size()) << label;
  for (size_t i = 0; i < expected.size(); ++i) {
    const std::string where = label + ", day " + expected[i].day;
    EXPECT_EQ(actual[i].day, D(expected[i].day)) << where;
    EXPECT_EQ(actual[i].has_data, expected[i].has_data) << where;
    EXPECT_NEAR(actual[i].uptime, expected[i].uptime, 1e-9) << where;
    EXPECT_EQ(actual[i].worst, expected[i].worst)
        << where << ": " << Name(actual[i].worst) << " vs " << Name(expected[i].worst);
    EXPECT_EQ(actual[i].partial_outage_seconds, expected[i].partial) << where;
    EXPECT_EQ(actual[i].major_outage_seconds, expected[i].major) << where;
  }
}

TEST(StatusPageTest, DailyUptime) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const struct {
    std::string label;
    std::vector<ComponentStatusChange> history;
    CS initial;
    std::string created_at;
    std::string now;
    int days;
    absl::TimeZone zone;
    std::vector<Day> expected;
  } kTable[] = {
      {"always operational; today counts only up to now",
       {},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-05-03T12:00:00Z",
       3,
       utc,
       {{"2026-05-01", true}, {"2026-05-02", true}, {"2026-05-03", true}}},
      {"no days", {}, CS::kOperational, "2026-01-01T00:00:00Z", "2026-05-03T12:00:00Z", 0, utc, {}},
      {"created mid-window",
       {{.at = T("2026-05-02T18:00:00Z"), .status = CS::kMajorOutage}},
       CS::kOperational,
       "2026-05-02T12:00:00Z",
       "2026-05-03T12:00:00Z",
       3,
       utc,
       // Known part of 05-02 is 12:00..24:00; 6 h of it a major outage.
       {{"2026-05-01", false},
        {"2026-05-02", true, 0.5, CS::kMajorOutage, 0, 6 * 3600},
        {"2026-05-03", true, 0.0, CS::kMajorOutage, 0, 12 * 3600}}},
      {"created today, now before creation",
       {},
       CS::kOperational,
       "2026-05-03T13:00:00Z",
       "2026-05-03T12:00:00Z",
       2,
       utc,
       {{"2026-05-02", false}, {"2026-05-03", false}}},
      {"initial status from created_at",
       {{.at = T("2026-05-02T06:00:00Z"), .status = CS::kOperational}},
       CS::kPartialOutage,
       "2026-05-02T00:00:00Z",
       "2026-05-03T00:00:00Z",
       2,
       utc,
       // 6 h partial: 1 - 0.3 * 6 / 24.
       {{"2026-05-02", true, 0.925, CS::kPartialOutage, 6 * 3600, 0}, {"2026-05-03", false}}},
      {"outage spanning midnight",
       {{.at = T("2026-05-01T22:00:00Z"), .status = CS::kMajorOutage},
        {.at = T("2026-05-02T02:00:00Z"), .status = CS::kOperational}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-05-02T12:00:00Z",
       2,
       utc,
       {{"2026-05-01", true, 1.0 - 2.0 / 24, CS::kMajorOutage, 0, 7200},
        {"2026-05-02", true, 1.0 - 2.0 / 12, CS::kMajorOutage, 0, 7200}}},
      {"history starting before the window",
       {{.at = T("2026-04-01T00:00:00Z"), .status = CS::kDegradedPerformance},
        {.at = T("2026-04-20T00:00:00Z"), .status = CS::kPartialOutage},
        {.at = T("2026-05-02T12:00:00Z"), .status = CS::kOperational}},
       CS::kOperational,
       "2026-03-01T00:00:00Z",
       "2026-05-03T00:00:00Z",
       3,
       utc,
       {{"2026-05-01", true, 0.7, CS::kPartialOutage, 86400, 0},
        {"2026-05-02", true, 0.85, CS::kPartialOutage, 43200, 0},
        {"2026-05-03", false}}},
      {"changes before created_at set the status in effect",
       {{.at = T("2026-05-01T00:00:00Z"), .status = CS::kMajorOutage}},
       CS::kOperational,
       "2026-05-02T12:00:00Z",
       "2026-05-03T00:00:00Z",
       2,
       utc,
       {{"2026-05-02", true, 0.0, CS::kMajorOutage, 0, 43200}, {"2026-05-03", false}}},
      {"degraded and maintenance count as up; worst is the worst seen",
       {{.at = T("2026-05-01T01:00:00Z"), .status = CS::kUnderMaintenance},
        {.at = T("2026-05-01T03:00:00Z"), .status = CS::kOperational},
        {.at = T("2026-05-02T01:00:00Z"), .status = CS::kDegradedPerformance},
        {.at = T("2026-05-02T02:00:00Z"), .status = CS::kUnderMaintenance},
        {.at = T("2026-05-02T03:00:00Z"), .status = CS::kOperational}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-05-02T12:00:00Z",
       2,
       utc,
       {{"2026-05-01", true, 1.0, CS::kUnderMaintenance},
        {"2026-05-02", true, 1.0, CS::kDegradedPerformance}}},
      {"a status held for no time is not seen",
       {{.at = T("2026-05-01T10:00:00Z"), .status = CS::kMajorOutage},
        {.at = T("2026-05-01T10:00:00Z"), .status = CS::kDegradedPerformance},
        {.at = T("2026-05-01T11:00:00Z"), .status = CS::kOperational}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-05-01T12:00:00Z",
       1,
       utc,
       {{"2026-05-01", true, 1.0, CS::kDegradedPerformance}}},
      {"changes after now are ignored",
       {{.at = T("2026-05-01T18:00:00Z"), .status = CS::kMajorOutage}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-05-01T12:00:00Z",
       1,
       utc,
       {{"2026-05-01", true}}},
      {"London spring forward: a 23-hour day",
       {{.at = T("2026-03-28T23:00:00Z"), .status = CS::kPartialOutage},
        {.at = T("2026-03-30T00:00:00Z"), .status = CS::kOperational}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-03-30T12:00:00Z",
       3,
       London(),
       // 03-28 (GMT) ends at 03-29 00:00Z; 03-29 lasts 23 h to 03-29 23:00Z; 03-30 (BST) has
       // 1 h of outage before 00:00Z.
       {{"2026-03-28", true, 1.0 - 0.3 / 24, CS::kPartialOutage, 3600, 0},
        {"2026-03-29", true, 0.7, CS::kPartialOutage, 23 * 3600, 0},
        {"2026-03-30", true, 1.0 - 0.3 / 13, CS::kPartialOutage, 3600, 0}}},
      {"London fall back: a 25-hour day",
       {{.at = T("2026-10-24T23:00:00Z"), .status = CS::kMajorOutage},
        {.at = T("2026-10-26T00:00:00Z"), .status = CS::kOperational}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-10-26T12:00:00Z",
       3,
       London(),
       {{"2026-10-24", true, 1.0, CS::kOperational},
        {"2026-10-25", true, 0.0, CS::kMajorOutage, 0, 25 * 3600},
        {"2026-10-26", true}}},
      {"Santiago skips midnight: the day starts at 01:00",
       {{.at = T("2026-09-01T00:00:00Z"), .status = CS::kMajorOutage}},
       CS::kOperational,
       "2026-01-01T00:00:00Z",
       "2026-09-07T15:00:00Z",
       3,
       Zone("America/Santiago"),
       // 09-06 runs 04:00Z (00:00 -04 skipped to 01:00 -03) to 09-07 03:00Z.
       {{"2026-09-05", true, 0.0, CS::kMajorOutage, 0, 24 * 3600},
        {"2026-09-06", true, 0.0, CS::kMajorOutage, 0, 23 * 3600},
        {"2026-09-07", true, 0.0, CS::kMajorOutage, 0, 12 * 3600}}},
  };
  for (const auto& row : kTable) {
    const std::vector<UptimeDay> days =
        DailyUptime(row.history, row.initial, T(row.created_at), T(row.now), row.days, row.zone);
    ExpectDays(days, row.expected, row.label);
  }
}

TEST(StatusPageTest, DailyUptimeIsLinear) {
  // 200,000 changes a minute apart, 90 days: a quadratic sweep would take far too long.
  std::vector<ComponentStatusChange> history;
  const absl::Time start = T("2026-01-01T00:00:00Z");
  for (int i = 0; i < 200000; ++i) {
    history.push_back({.at = start + absl::Minutes(i),
                       .status = i % 2 == 0 ? CS::kMajorOutage : CS::kOperational});
  }
  const absl::Time now = start + absl::Minutes(200000);
  const std::vector<UptimeDay> days =
      DailyUptime(history, CS::kOperational, start, now, 90, absl::UTCTimeZone());
  ASSERT_EQ(days.size(), 90u);
  // A full day alternates minute by minute: half of it a major outage.
  EXPECT_TRUE(days[50].has_data);
  EXPECT_EQ(days[50].major_outage_seconds, 43200);
  EXPECT_NEAR(days[50].uptime, 0.5, 1e-9);
}

TEST(StatusPageTest, OverallUptime) {
  const std::vector<ComponentStatusChange> history = {
      {.at = T("2026-05-02T00:00:00Z"), .status = CS::kMajorOutage},
      {.at = T("2026-05-02T12:00:00Z"), .status = CS::kOperational},
      {.at = T("2026-05-03T06:00:00Z"), .status = CS::kPartialOutage},
      {.at = T("2026-05-03T10:00:00Z"), .status = CS::kOperational}};
  const struct {
    std::string label;
    std::string created_at;
    std::string now;
    int days;
    double expected;
  } kTable[] = {
      // 05-01..05-03 in full: 12 h major and 4 h partial in 72 h; 05-04 has no data yet.
      {"three full days", "2026-01-01T00:00:00Z", "2026-05-04T00:00:00Z", 4,
       1.0 - (12.0 + 0.3 * 4) / 72},
      // Day 05-03 is known 00:00..12:00, 4 h of it a partial outage.
      {"partial day with downtime", "2026-01-01T00:00:00Z", "2026-05-03T12:00:00Z", 1,
       1.0 - 0.3 * 4 / 12},
      // 05-03 weighs its 12 known hours, not a full day.
      {"two days", "2026-01-01T00:00:00Z", "2026-05-03T12:00:00Z", 2, 1.0 - (12.0 + 0.3 * 4) / 36},
      // Created at 05-02 18:00 (6 known hours, all up) and 05-03 as above. A day without
      // downtime cannot tell its known part (see OverallUptime), so 05-02 weighs a full day.
      {"created mid-window", "2026-05-02T18:00:00Z", "2026-05-03T12:00:00Z", 2,
       1.0 - (0.3 * 4) / 36},
      {"no data", "2026-06-01T00:00:00Z", "2026-05-03T12:00:00Z", 3, 1.0},
  };
  for (const auto& row : kTable) {
    const std::vector<UptimeDay> days = DailyUptime(history, CS::kOperational, T(row.created_at),
                                                    T(row.now), row.days, absl::UTCTimeZone());
    EXPECT_NEAR(OverallUptime(days), row.expected, 1e-9) << row.label;
  }
  EXPECT_EQ(OverallUptime({}), 1.0);
}

}  // namespace
}  // namespace casedesk::core

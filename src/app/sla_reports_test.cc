// The SLA report: the pure aggregation, table-driven (compliance, pending and untargeted clocks,
// nearest-rank p90, empty periods, breach order), and BuildSlaReport over a real store with
// cases imported in the past and timers fired by the fake clock.
#include "app/sla_reports.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/severity_flags.h"
#include "app/timer_firing.h"

namespace casedesk::app {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1773046800);  // 2026-03-09T09:00:00Z

absl::Time At(int minutes) { return kT0 + absl::Minutes(minutes); }

// A summary with a 60-minute first response target and a 1440-minute resolution target.
ports::CaseSlaRecord Record(core::CaseNumber number, std::string plan = "enterprise",
                            core::Severity severity = core::Severity::kCritical) {
  ports::CaseSlaRecord record;
  record.case_number = number;
  record.org_id = 7;
  record.plan = std::move(plan);
  record.severity = severity;
  record.created_at = kT0;
  record.first_response.target = "60";
  record.resolution.target = "1440";
  return record;
}

ports::ClockSummary Clock(std::string target, std::optional<absl::Time> due_at = std::nullopt,
                          std::optional<absl::Time> achieved_at = std::nullopt,
                          std::optional<absl::Time> breached_at = std::nullopt) {
  ports::ClockSummary clock;
  clock.target = std::move(target);
  clock.due_at = due_at;
  clock.achieved_at = achieved_at;
  clock.breached_at = breached_at;
  return clock;
}

SlaReportRequest Period(std::optional<absl::Time> from, std::optional<absl::Time> to,
                        std::string plan = "", std::optional<core::Severity> severity = {}) {
  SlaReportRequest request;
  request.from = from;
  request.to = to;
  request.plan = std::move(plan);
  request.severity = severity;
  return request;
}

ports::CaseSlaRecord Answered(ports::CaseSlaRecord record, int minutes) {
  record.first_response.achieved_at = At(minutes);
  if (minutes > 60) record.first_response.breached_at = At(60);
  return record;
}

TEST(NearestRankPercentileTest, Table) {
  struct Row {
    const char* name;
    std::vector<double> values;
    double percent;
    std::optional<double> expected;
  };
  const Row rows[] = {
      {"no values", {}, 90, std::nullopt},
      {"one value", {7}, 90, 7},
      {"ten values: the 9th", {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}, 90, 9},
      {"eleven values: ceil(9.9) = the 10th", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90, 10},
      {"two values: ceil(1.8) = the 2nd", {5, 1}, 90, 5},
      {"median of four: the 2nd", {4, 3, 2, 1}, 50, 2},
      {"0th: the smallest", {3, 1, 2}, 0, 1},
      {"100th: the largest", {3, 1, 2}, 100, 3},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(NearestRankPercentile(row.values, row.percent), row.expected) << row.name;
  }
}

TEST(SlaReportAggregatorTest, ClockClassificationTable) {
  struct Row {
    const char* name;
    ports::ClockSummary clock;
    int64_t achieved, breached, pending, without_target;
  };
  const Row rows[] = {
      {"running", Clock("60", At(60)), 0, 0, 1, 0},
      {"paused (no due instant)", Clock("60"), 0, 0, 1, 0},
      {"achieved on time", Clock("60", std::nullopt, At(30)), 1, 0, 0, 0},
      {"achieved exactly at the due instant", Clock("60", std::nullopt, At(60)), 1, 0, 0, 0},
      {"breached, still open", Clock("60", At(60), std::nullopt, At(60)), 0, 1, 0, 0},
      {"breached then achieved", Clock("60", std::nullopt, At(90), At(60)), 0, 1, 0, 0},
      {"named target, open", Clock("next_release"), 0, 0, 0, 1},
      {"named target, solved", Clock("to_be_decided", std::nullopt, At(90)), 0, 0, 0, 1},
  };
  for (const Row& row : rows) {
    ports::CaseSlaRecord record = Record(1);
    record.first_response = row.clock;
    const SlaReport report = AggregateSlaRecords({record});
    const ClockCompliance& got = report.total.first_response;
    EXPECT_EQ(got.achieved_within_target, row.achieved) << row.name;
    EXPECT_EQ(got.breached, row.breached) << row.name;
    EXPECT_EQ(got.pending, row.pending) << row.name;
    EXPECT_EQ(got.without_target, row.without_target) << row.name;
  }
}

TEST(SlaReportAggregatorTest, ComplianceTable) {
  struct Row {
    const char* name;
    std::vector<int> first_response_minutes;  // -1: not answered yet
    std::optional<double> compliance;
    std::optional<double> mean;
    std::optional<double> p90;
  };
  const Row rows[] = {
      {"all on time", {10, 20, 30}, 100.0, 20.0, 30.0},
      {"one of four late", {10, 20, 30, 120}, 75.0, 45.0, 120.0},
      {"two of three late", {30, 90, 150}, 100.0 / 3, 90.0, 150.0},
      {"all late", {61, 62}, 0.0, 61.5, 62.0},
      {"only pending: no compliance, no times", {-1, -1}, std::nullopt, std::nullopt, std::nullopt},
      {"pending cases do not count", {-1, 40}, 100.0, 40.0, 40.0},
  };
  for (const Row& row : rows) {
    std::vector<ports::CaseSlaRecord> records;
    core::CaseNumber number = 100;
    for (int minutes : row.first_response_minutes) {
      records.push_back(minutes < 0 ? Record(++number) : Answered(Record(++number), minutes));
    }
    const SlaReport report = AggregateSlaRecords(records);
    ASSERT_EQ(report.rows.size(), 1u) << row.name;
    const SlaReportRow& got = report.rows[0];
    EXPECT_EQ(got.cases, static_cast<int64_t>(records.size())) << row.name;
    ASSERT_EQ(got.first_response.compliance_percent.has_value(), row.compliance.has_value())
        << row.name;
    if (row.compliance) {
      EXPECT_DOUBLE_EQ(*got.first_response.compliance_percent, *row.compliance) << row.name;
    }
    ASSERT_EQ(got.mean_first_response_minutes.has_value(), row.mean.has_value()) << row.name;
    if (row.mean) {
      EXPECT_DOUBLE_EQ(*got.mean_first_response_minutes, *row.mean) << row.name;
    }
    EXPECT_EQ(got.p90_first_response_minutes, row.p90) << row.name;
    // Resolution is pending everywhere: no compliance figure.
    EXPECT_EQ(got.resolution.pending, got.cases) << row.name;
    EXPECT_FALSE(got.resolution.compliance_percent.has_value()) << row.name;
  }
}

TEST(SlaReportAggregatorTest, EmptyPeriodHasAZeroTotalAndNothingElse) {
  const SlaReport report = AggregateSlaRecords({});
  EXPECT_TRUE(report.rows.empty());
  EXPECT_TRUE(report.breaches.empty());
  EXPECT_EQ(report.total.cases, 0);
  EXPECT_EQ(report.total.first_response.compliance_percent, std::nullopt);
  EXPECT_EQ(report.total.resolution.compliance_percent, std::nullopt);
  EXPECT_EQ(report.total.mean_first_response_minutes, std::nullopt);
  EXPECT_EQ(report.total.p90_first_response_minutes, std::nullopt);
  EXPECT_EQ(report.total.update_breaches, 0);
}

TEST(SlaReportAggregatorTest, RowsPerPlanAndSeverityWithATotal) {
  ports::CaseSlaRecord late_resolution = Answered(Record(4, "professional"), 10);
  late_resolution.resolution.breached_at = At(1440);
  late_resolution.resolution.due_at = At(1440);
  ports::CaseSlaRecord updates = Answered(Record(5, "enterprise", core::Severity::kMajor), 5);
  updates.update_breaches = 2;
  updates.first_update_breach_at = At(300);
  const SlaReport report = AggregateSlaRecords({
      Answered(Record(1, "enterprise"), 90),
      Answered(Record(2, "enterprise"), 30),
      Record(3, "developer", core::Severity::kOther),
      late_resolution,
      updates,
  });
  struct Expected {
    std::string plan;
    core::Severity severity;
    int64_t cases;
    int64_t update_breaches;
  };
  const std::vector<Expected> expected = {
      {"developer", core::Severity::kOther, 1, 0},
      {"enterprise", core::Severity::kCritical, 2, 0},
      {"enterprise", core::Severity::kMajor, 1, 2},
      {"professional", core::Severity::kCritical, 1, 0},
  };
  ASSERT_EQ(report.rows.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(report.rows[i].plan, expected[i].plan) << i;
    EXPECT_EQ(report.rows[i].severity, expected[i].severity) << i;
    EXPECT_EQ(report.rows[i].cases, expected[i].cases) << i;
    EXPECT_EQ(report.rows[i].update_breaches, expected[i].update_breaches) << i;
  }
  EXPECT_EQ(report.total.plan, "");
  EXPECT_EQ(report.total.severity, std::nullopt);
  EXPECT_EQ(report.total.cases, 5);
  EXPECT_EQ(report.total.update_breaches, 2);
  EXPECT_EQ(report.total.first_response.achieved_within_target, 3);
  EXPECT_EQ(report.total.first_response.breached, 1);
  EXPECT_EQ(report.total.first_response.pending, 1);
  EXPECT_DOUBLE_EQ(*report.total.first_response.compliance_percent, 75.0);
  EXPECT_EQ(report.total.resolution.breached, 1);
  EXPECT_EQ(report.total.resolution.pending, 4);
  EXPECT_DOUBLE_EQ(*report.total.resolution.compliance_percent, 0.0);
  // Times to first response: 90, 30, 10, 5 minutes.
  EXPECT_DOUBLE_EQ(*report.total.mean_first_response_minutes, 33.75);
  EXPECT_DOUBLE_EQ(*report.total.p90_first_response_minutes, 90.0);

  // Breaches by instant: case 1's first response (60), case 5's first update (300), case 4's
  // resolution (1440). A clock achieved late is listed as due when it breached.
  ASSERT_EQ(report.breaches.size(), 3u);
  EXPECT_EQ(report.breaches[0].case_number, 1);
  EXPECT_EQ(report.breaches[0].clock, core::SlaClockKind::kFirstResponse);
  EXPECT_EQ(report.breaches[0].due_at, At(60));
  EXPECT_EQ(report.breaches[0].breached_at, At(60));
  EXPECT_EQ(report.breaches[1].case_number, 5);
  EXPECT_EQ(report.breaches[1].clock, core::SlaClockKind::kNextUpdate);
  EXPECT_EQ(report.breaches[1].breached_at, At(300));
  EXPECT_EQ(report.breaches[1].severity, core::Severity::kMajor);
  EXPECT_EQ(report.breaches[2].case_number, 4);
  EXPECT_EQ(report.breaches[2].clock, core::SlaClockKind::kResolution);
  EXPECT_EQ(report.breaches[2].plan, "professional");
}

TEST(SlaReportAggregatorTest, SameInstantBreachesOrderByCaseThenClock) {
  ports::CaseSlaRecord both = Record(9);
  both.first_response.breached_at = At(60);
  both.resolution.breached_at = At(60);
  ports::CaseSlaRecord other = Record(3);
  other.first_response.breached_at = At(60);
  const SlaReport report = AggregateSlaRecords({both, other});
  ASSERT_EQ(report.breaches.size(), 3u);
  EXPECT_EQ(report.breaches[0].case_number, 3);
  EXPECT_EQ(report.breaches[1].case_number, 9);
  EXPECT_EQ(report.breaches[1].clock, core::SlaClockKind::kFirstResponse);
  EXPECT_EQ(report.breaches[2].clock, core::SlaClockKind::kResolution);
}

// ---- BuildSlaReport over a real store ------------------------------------------------------

class SlaReportsTest : public CaseTestFixture {
 protected:
  // Imports a case for Acme's alice as the admin, created `ago` before now.
  core::Case Import(std::string subject, int severity, absl::Duration ago) {
    OpenCaseRequest request = Request(std::move(subject), severity);
    request.org_id = acme_;
    request.requester_id = acme_alice_.user.id;
    request.created_at = clock_.Now() - ago;
    return MustOpen(admin_, std::move(request));
  }

  absl::StatusOr<SlaReport> Report(const Caller& caller, SlaReportRequest request = {}) {
    return BuildSlaReport(context(), caller, request);
  }

  void FireTimers() {
    absl::StatusOr<int> fired = FireDueTimers(context(), clock_.Now(), 1000);
    ASSERT_TRUE(fired.ok()) << fired.status();
  }
};

TEST_F(SlaReportsTest, ReportsImportedBreachesResponsesAndUpdateBreaches) {
  const absl::Time start = clock_.Now();
  // Critical, imported three hours ago and never answered: first response breached at +1 h.
  const core::Case late = Import("late", 1, absl::Hours(3));
  // Critical, opened 30 minutes ago, answered 10 minutes from now (40 minutes in all).
  const core::Case answered = Import("answered", 1, absl::Minutes(30));
  // Major, opened now.
  const core::Case major = Import("major", 2, absl::ZeroDuration());
  // Outside the default period (the last 30 days).
  Import("old", 1, absl::Hours(24 * 40));
  clock_.Advance(absl::Minutes(10));
  ASSERT_TRUE(Comment(agent_, answered.number, "Looking into it").ok());
  // Five hours on: the answered case's first update (every 4 h on 24x7) is overdue.
  clock_.Advance(absl::Hours(5));
  FireTimers();

  absl::StatusOr<SlaReport> report = Report(agent_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->to, clock_.Now());
  EXPECT_EQ(report->from, clock_.Now() - absl::Hours(24 * 30));
  ASSERT_EQ(report->rows.size(), 2u);
  const SlaReportRow& critical = report->rows[0];
  EXPECT_EQ(critical.plan, "enterprise");
  EXPECT_EQ(critical.severity, core::Severity::kCritical);
  EXPECT_EQ(critical.cases, 2);
  EXPECT_EQ(critical.first_response.achieved_within_target, 1);
  EXPECT_EQ(critical.first_response.breached, 1);
  EXPECT_DOUBLE_EQ(*critical.first_response.compliance_percent, 50.0);
  EXPECT_EQ(critical.resolution.pending, 2);
  EXPECT_EQ(critical.update_breaches, 1);
  EXPECT_DOUBLE_EQ(*critical.mean_first_response_minutes, 40.0);
  EXPECT_DOUBLE_EQ(*critical.p90_first_response_minutes, 40.0);
  const SlaReportRow& major_row = report->rows[1];
  EXPECT_EQ(major_row.severity, core::Severity::kMajor);
  EXPECT_EQ(major_row.cases, 1);
  EXPECT_EQ(report->total.cases, 3);

  ASSERT_EQ(report->breaches.size(), 3u);
  EXPECT_EQ(report->breaches[0].case_number, late.number);
  EXPECT_EQ(report->breaches[0].clock, core::SlaClockKind::kFirstResponse);
  EXPECT_EQ(report->breaches[0].breached_at, start - absl::Hours(2));
  // The major case: 4 business hours on Monday from 09:00 (08:00-01:00 GMT).
  EXPECT_EQ(report->breaches[1].case_number, major.number);
  EXPECT_EQ(report->breaches[1].clock, core::SlaClockKind::kFirstResponse);
  EXPECT_EQ(report->breaches[1].breached_at, start + absl::Hours(4));
  EXPECT_EQ(report->breaches[1].due_at, start + absl::Hours(4));
  EXPECT_EQ(report->breaches[2].case_number, answered.number);
  EXPECT_EQ(report->breaches[2].clock, core::SlaClockKind::kNextUpdate);
  EXPECT_EQ(report->breaches[2].breached_at, start + absl::Minutes(10) + absl::Hours(4));
}

TEST_F(SlaReportsTest, FiltersByPeriodPlanAndSeverity) {
  Import("critical", 1, absl::Hours(2));
  Import("major", 2, absl::Hours(1));
  Import("older", 3, absl::Hours(24 * 50));
  struct Row {
    const char* name;
    SlaReportRequest request;
    int64_t cases;
  };
  const absl::Time now = clock_.Now();
  const Row rows[] = {
      {"default: last 30 days", Period(std::nullopt, std::nullopt), 2},
      {"severity 2", Period(std::nullopt, std::nullopt, "", core::Severity::kMajor), 1},
      {"plan enterprise", Period(std::nullopt, std::nullopt, "enterprise"), 2},
      {"another plan", Period(std::nullopt, std::nullopt, "developer"), 0},
      {"last 90 minutes", Period(now - absl::Minutes(90), std::nullopt), 1},
      {"from is inclusive", Period(now - absl::Hours(2), now - absl::Hours(1)), 1},
      {"to is exclusive", Period(now - absl::Hours(3), now - absl::Hours(2)), 0},
      {"400 days", Period(now - absl::Hours(24 * 400), now), 3},
  };
  for (const Row& row : rows) {
    absl::StatusOr<SlaReport> report = Report(agent_, row.request);
    ASSERT_TRUE(report.ok()) << row.name << ": " << report.status();
    EXPECT_EQ(report->total.cases, row.cases) << row.name;
  }
}

TEST_F(SlaReportsTest, BadPeriodsAndCallersAreRefused) {
  const absl::Time now = clock_.Now();
  struct Row {
    const char* name;
    const Caller* caller;
    SlaReportRequest request;
    absl::StatusCode code;
    std::string message;
  };
  const Row rows[] = {
      {"customer", &acme_alice_, {}, absl::StatusCode::kPermissionDenied, "provider staff"},
      {"org admin", &acme_admin_, {}, absl::StatusCode::kPermissionDenied, "provider staff"},
      {"partner agent", &partner_agent_, {}, absl::StatusCode::kPermissionDenied, "provider staff"},
      {"from == to", &agent_, Period(now, now), absl::StatusCode::kInvalidArgument,
       "'from' must be before 'to'"},
      {"from after to", &agent_, Period(now, now - absl::Hours(1)),
       absl::StatusCode::kInvalidArgument, "'from' must be before 'to'"},
      {"401 days", &agent_, Period(now - absl::Hours(24 * 401), now),
       absl::StatusCode::kInvalidArgument, "at most 400 days"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<SlaReport> report = Report(*row.caller, row.request);
    EXPECT_EQ(report.status().code(), row.code) << row.name;
    EXPECT_NE(report.status().message().find(row.message), std::string::npos)
        << row.name << ": " << report.status();
  }
}

TEST_F(SlaReportsTest, CountsSeverityFlagsPerOrganisationAndContact) {
  const core::Case first = Import("first", 1, absl::Hours(1));
  const core::Case second = Import("second", 1, absl::Hours(1));
  OpenCaseRequest by_gina = Request("gina's", 1);
  const core::Case third = MustOpen(globex_gina_, by_gina);
  for (const core::Case* flagged : {&first, &second, &third}) {
    absl::StatusOr<ports::SeverityFlag> flag =
        Await<ports::SeverityFlag>([&](Done<ports::SeverityFlag> done) {
          FlagSeverity(context(), agent_, flagged->number, "not an outage", std::move(done));
        });
    ASSERT_TRUE(flag.ok()) << flag.status();
  }
  const absl::Time flagged_at = clock_.Now();
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<SlaReport> report = Report(agent_);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->severity_flags.size(), 2u);
  EXPECT_EQ(report->severity_flags[0].org_id, acme_);
  EXPECT_EQ(report->severity_flags[0].requester_id, acme_alice_.user.id);
  EXPECT_EQ(report->severity_flags[0].flags, 2);
  EXPECT_EQ(report->severity_flags[1].org_id, globex_);
  EXPECT_EQ(report->severity_flags[1].requester_id, globex_gina_.user.id);
  EXPECT_EQ(report->severity_flags[1].flags, 1);
  // Flags raised at or after the end of the period are not counted.
  absl::StatusOr<SlaReport> before =
      Report(agent_, Period(flagged_at - absl::Hours(24), flagged_at));
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_TRUE(before->severity_flags.empty());
}

TEST_F(SlaReportsTest, SecurityIncidentBreachesAreNamedOnlyToThoseWhoMaySeeThem) {
  const core::Case incident = Import("incident", 1, absl::Hours(3));
  Import("ordinary", 1, absl::Hours(3));
  UpdateCaseRequest flag;
  flag.security_incident = true;
  ASSERT_TRUE(Update(agent_, incident.number, flag).ok());

  absl::StatusOr<SlaReport> uncleared = Report(agent_);
  ASSERT_TRUE(uncleared.ok()) << uncleared.status();
  EXPECT_EQ(uncleared->total.first_response.breached, 2);  // counted...
  ASSERT_EQ(uncleared->breaches.size(), 1u);               // ...but not named
  EXPECT_NE(uncleared->breaches[0].case_number, incident.number);

  Caller security = agent_;
  security.viewer.sees_security_incidents = true;
  absl::StatusOr<SlaReport> cleared = Report(security);
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_EQ(cleared->breaches.size(), 2u);
}

}  // namespace
}  // namespace casedesk::app

#include "adapters/http/console_status_forms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/civil_time.h"

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;

absl::TimeZone Zone(const char* name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone));
  return zone;
}

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), absl::UTCTimeZone());
}

TEST(ParseLocalDateTimeTest, ReadsTheValueInThePagesZone) {
  struct Case {
    const char* text;
    const char* zone;
    absl::Time expected;
  };
  const Case cases[] = {
      {"2026-11-22T21:05", "UTC", Utc(2026, 11, 22, 21, 5)},
      {"2026-11-22T21:05", "America/New_York", Utc(2026, 11, 23, 2, 5)},
      {"2026-07-01T09:30:15", "Europe/Berlin",
       absl::FromCivil(absl::CivilSecond(2026, 7, 1, 7, 30, 15), absl::UTCTimeZone())},
      // 01:30 happens twice on 2026-11-01 in New York: the first one (EDT) is meant.
      {"2026-11-01T01:30", "America/New_York", Utc(2026, 11, 1, 5, 30)},
  };
  for (const Case& c : cases) {
    absl::StatusOr<absl::Time> time = ParseLocalDateTime("scheduled_for", c.text, Zone(c.zone));
    ASSERT_TRUE(time.ok()) << c.text << ": " << time.status();
    EXPECT_EQ(*time, c.expected) << c.text << " in " << c.zone;
  }
}

TEST(ParseLocalDateTimeTest, RefusesMissingMalformedAndSkippedTimes) {
  const absl::TimeZone new_york = Zone("America/New_York");
  for (const char* text : {"", "tomorrow", "2026-11-22", "2026-11-22 21:05", "2026-13-01T10:00",
                           "2026-11-22T21:05Z", "2026-02-30T10:00"}) {
    absl::StatusOr<absl::Time> time = ParseLocalDateTime("scheduled_until", text, new_york);
    ASSERT_FALSE(time.ok()) << text;
    EXPECT_TRUE(absl::IsInvalidArgument(time.status()));
    EXPECT_THAT(time.status().message(), HasSubstr("scheduled_until: "));
  }
  // Clocks go from 02:00 to 03:00 on 2026-03-08 in New York.
  absl::StatusOr<absl::Time> skipped =
      ParseLocalDateTime("scheduled_for", "2026-03-08T02:30", new_york);
  ASSERT_FALSE(skipped.ok());
  EXPECT_THAT(skipped.status().message(), HasSubstr("does not exist in America/New_York"));
}

TEST(ConsoleStatusFormsTest, NewIncidentForm) {
  absl::StatusOr<app::NewIncident> incident =
      ParseNewIncidentForm({{"csrf_token", "t"},
                            {"name", "API errors"},
                            {"impact", "major"},
                            {"component_id", "3"},
                            {"component_id", "4"},
                            {"component_status", "partial_outage"},
                            {"body", "Looking."},
                            {"notify", "1"}});
  ASSERT_TRUE(incident.ok()) << incident.status();
  EXPECT_EQ(incident->kind, core::IncidentKind::kIncident);
  EXPECT_EQ(incident->name, "API errors");
  EXPECT_EQ(incident->impact, core::IncidentImpact::kMajor);
  EXPECT_EQ(incident->component_ids, (std::vector<core::ComponentId>{3, 4}));
  EXPECT_EQ(incident->component_status, core::ComponentStatus::kPartialOutage);
  EXPECT_EQ(incident->body, "Looking.");
  EXPECT_TRUE(incident->notify);

  absl::StatusOr<app::NewIncident> quiet =
      ParseNewIncidentForm({{"name", "x"}, {"impact", ""}, {"component_status", ""}});
  ASSERT_TRUE(quiet.ok());
  EXPECT_FALSE(quiet->notify);
  EXPECT_FALSE(quiet->impact.has_value());
  EXPECT_FALSE(quiet->component_status.has_value());
}

TEST(ConsoleStatusFormsTest, RefusalsNameTheField) {
  struct Case {
    FormFieldList fields;
    const char* prefix;
  };
  const Case cases[] = {
      {{{"impact", "apocalyptic"}}, "impact: "},
      {{{"component_id", "x"}}, "component_ids: "},
      {{{"component_id", "-2"}}, "component_ids: "},
      {{{"component_status", "fine"}}, "component_status: "},
  };
  for (const Case& c : cases) {
    absl::StatusOr<app::NewIncident> incident = ParseNewIncidentForm(c.fields);
    ASSERT_FALSE(incident.ok()) << c.prefix;
    EXPECT_TRUE(absl::IsInvalidArgument(incident.status()));
    EXPECT_THAT(incident.status().message(), HasSubstr(c.prefix));
  }
  EXPECT_THAT(ParseComponentStatusForm({}).status().message(), HasSubstr("status: "));
  EXPECT_THAT(ParseComponentStatusForm({{"status", "meh"}}).status().message(),
              HasSubstr("status: "));
  EXPECT_THAT(
      ParseIncidentUpdateForm({{"status", "resolved"}, {"linked_cases", "all"}}).status().message(),
      HasSubstr("linked_cases: "));
  EXPECT_THAT(ParseCaseNumberForm({{"case_number", ""}}).status().message(),
              HasSubstr("case_number: "));
  EXPECT_THAT(ParseCaseNumberForm({{"case_number", "12a"}}).status().message(),
              HasSubstr("case_number: "));
}

TEST(ConsoleStatusFormsTest, MaintenanceFormReadsTheWindowInTheZone) {
  absl::StatusOr<app::NewIncident> maintenance =
      ParseNewMaintenanceForm({{"name", "Upgrade"},
                               {"scheduled_for", "2026-11-25T06:00"},
                               {"scheduled_until", "2026-11-25T08:00"},
                               {"body", "Short."}},
                              Zone("America/Denver"));
  ASSERT_TRUE(maintenance.ok()) << maintenance.status();
  EXPECT_EQ(maintenance->kind, core::IncidentKind::kMaintenance);
  EXPECT_EQ(maintenance->scheduled_for, Utc(2026, 11, 25, 13, 0));
  EXPECT_EQ(maintenance->scheduled_until, Utc(2026, 11, 25, 15, 0));
  EXPECT_FALSE(maintenance->notify);

  absl::StatusOr<app::NewIncident> missing = ParseNewMaintenanceForm(
      {{"name", "Upgrade"}, {"scheduled_for", "2026-11-25T06:00"}}, absl::UTCTimeZone());
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("scheduled_until: enter a date and time"));
}

TEST(ConsoleStatusFormsTest, UpdateFormLinkedCaseChoices) {
  struct Case {
    const char* value;
    app::LinkedCaseAction expected;
  };
  for (const Case& c :
       {Case{"", app::LinkedCaseAction::kNone}, Case{"none", app::LinkedCaseAction::kNone},
        Case{"update", app::LinkedCaseAction::kUpdate},
        Case{"solve", app::LinkedCaseAction::kSolve}}) {
    absl::StatusOr<app::IncidentUpdateRequest> update = ParseIncidentUpdateForm(
        {{"status", "resolved"}, {"body", "Fixed."}, {"linked_cases", c.value}});
    ASSERT_TRUE(update.ok()) << c.value;
    EXPECT_EQ(update->linked_cases, c.expected) << c.value;
    EXPECT_EQ(update->status, core::IncidentStatus::kResolved);
    EXPECT_FALSE(update->component_status.has_value());
    EXPECT_FALSE(update->notify);
  }
}

TEST(ConsoleStatusFormsTest, CaseNumberAcceptsAHash) {
  EXPECT_EQ(*ParseCaseNumberForm({{"case_number", "#100042"}}), 100042);
  EXPECT_EQ(*ParseCaseNumberForm({{"case_number", "100042"}}), 100042);
}

}  // namespace
}  // namespace casedesk::adapters::http

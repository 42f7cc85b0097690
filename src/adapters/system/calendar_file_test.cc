#include "adapters/system/calendar_file.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace casedesk::adapters {
namespace {

constexpr char kSeedsToml[] = R"(time_zone = "Europe/London"
holidays = ["2026-12-25", "2026-12-28"]
[hours]
mon = ["08:00-01:00"]
tue = ["08:00-01:00"]
wed = ["08:00-01:00"]
thu = ["08:00-01:00"]
fri = ["08:00-01:00"]
sat = []
sun = []
)";

absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

bool Contains(const absl::Status& status, const std::string& part) {
  return std::string(status.message()).find(part) != std::string::npos;
}

TEST(CalendarFileTest, ParsesTheIssueExample) {
  absl::StatusOr<core::CalendarSpec> spec = ParseCalendarToml(kSeedsToml);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->time_zone, "Europe/London");
  EXPECT_EQ(spec->holidays,
            (std::vector<std::string>{"2026-12-25", "2026-12-28"}));
  ASSERT_EQ(spec->hours.size(), 7u);
  EXPECT_EQ(spec->hours.at("fri"), std::vector<std::string>{"08:00-01:00"});
  EXPECT_TRUE(spec->hours.at("sat").empty());
}

TEST(CalendarFileTest, ParsesTomlDatesAndSeveralWindows) {
  absl::StatusOr<core::CalendarSpec> spec = ParseCalendarToml(R"(
time_zone = "UTC"
holidays = [2026-12-25, "2026-12-28"]
[hours]
mon = ["09:00-12:00", "13:00-17:00"]
)");
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->holidays,
            (std::vector<std::string>{"2026-12-25", "2026-12-28"}));
  EXPECT_EQ(spec->hours.at("mon"),
            (std::vector<std::string>{"09:00-12:00", "13:00-17:00"}));
  EXPECT_EQ(spec->hours.count("tue"), 0u);
}

struct BadInput {
  std::string name;
  std::string text;
  std::vector<std::string> parts;
};

TEST(CalendarFileTest, RejectsBadToml) {
  const std::vector<BadInput> cases = {
      {"syntax", "time_zone = \"UTC\"\nhours = [\n", {"line", "TOML"}},
      {"unknown key", "timezone = \"UTC\"\n", {"unknown key \"timezone\""}},
      {"missing zone",
       "[hours]\nmon = [\"09:00-17:00\"]\n",
       {"time_zone", "required"}},
      {"zone not string", "time_zone = 5\n", {"time_zone", "string"}},
      {"hours not table", "time_zone = \"UTC\"\nhours = 1\n", {"hours"}},
      {"day not array",
       "time_zone = \"UTC\"\n[hours]\nmon = \"09:00-17:00\"\n",
       {"hours.mon", "array"}},
      {"window not string",
       "time_zone = \"UTC\"\n[hours]\nmon = [\"09:00-12:00\", 13]\n",
       {"hours.mon[1]"}},
      {"holiday datetime",
       "time_zone = \"UTC\"\nholidays = [2026-12-25T00:00:00Z]\n",
       {"holidays[0]"}},
  };
  for (const BadInput& c : cases) {
    absl::StatusOr<core::CalendarSpec> spec = ParseCalendarToml(c.text);
    ASSERT_FALSE(spec.ok()) << c.name;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.parts) {
      EXPECT_TRUE(Contains(spec.status(), part))
          << c.name << ": " << spec.status();
    }
  }
}

TEST(CalendarFileTest, ParsesJsonOfTheSameShape) {
  const nlohmann::json json = nlohmann::json::parse(R"({
    "time_zone": "Europe/London",
    "holidays": ["2026-12-25"],
    "hours": {"mon": ["08:00-01:00"], "sat": []}
  })");
  absl::StatusOr<core::CalendarSpec> spec = ParseCalendarJson(json);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->time_zone, "Europe/London");
  EXPECT_EQ(spec->holidays, std::vector<std::string>{"2026-12-25"});
  EXPECT_EQ(spec->hours.at("mon"), std::vector<std::string>{"08:00-01:00"});
  EXPECT_TRUE(spec->hours.at("sat").empty());
}

TEST(CalendarFileTest, RejectsBadJson) {
  const std::vector<BadInput> cases = {
      {"not object", R"(["UTC"])", {"object"}},
      {"unknown key",
       R"({"time_zone": "UTC", "zone": 1})",
       {"unknown key \"zone\""}},
      {"missing zone", R"({"hours": {}})", {"time_zone", "required"}},
      {"zone not string", R"({"time_zone": null})", {"time_zone"}},
      {"holidays not array",
       R"({"time_zone": "UTC", "holidays": "2026-12-25"})",
       {"holidays", "array"}},
      {"hours not object", R"({"time_zone": "UTC", "hours": []})", {"hours"}},
      {"window not string",
       R"({"time_zone": "UTC", "hours": {"tue": ["09:00-10:00", {}]}})",
       {"hours.tue[1]"}},
  };
  for (const BadInput& c : cases) {
    absl::StatusOr<core::CalendarSpec> spec =
        ParseCalendarJson(nlohmann::json::parse(c.text));
    ASSERT_FALSE(spec.ok()) << c.name;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.parts) {
      EXPECT_TRUE(Contains(spec.status(), part))
          << c.name << ": " << spec.status();
    }
  }
}

TEST(CalendarFileTest, LoadsTheZoneAndBuildsTheCalendar) {
  absl::StatusOr<core::CalendarSpec> spec = ParseCalendarToml(kSeedsToml);
  ASSERT_TRUE(spec.ok());
  absl::StatusOr<core::BusinessCalendar> cal = LoadCalendar(*spec);
  ASSERT_TRUE(cal.ok()) << cal.status();
  // Monday 2026-03-09 12:00 GMT + 60 business minutes.
  EXPECT_EQ(cal->AddBusinessMinutes(Utc(2026, 3, 9, 12, 0), 60),
            Utc(2026, 3, 9, 13, 0));
  // In BST the window opens at 07:00Z.
  EXPECT_EQ(cal->NextBusinessInstant(Utc(2026, 6, 1, 3, 0)),
            Utc(2026, 6, 1, 7, 0));

  spec->time_zone = "GMT";
  EXPECT_TRUE(LoadCalendar(*spec).ok());
}

TEST(CalendarFileTest, ReportsUnknownZonesClearly) {
  for (const std::string zone :
       {"Mars/Olympus", "Europe/Londn", "/etc/passwd", "../zoneinfo/UTC",
        "localtime", "file:UTC", "Europe London"}) {
    core::CalendarSpec spec;
    spec.time_zone = zone;
    spec.hours["mon"] = {"09:00-17:00"};
    absl::StatusOr<core::BusinessCalendar> cal = LoadCalendar(spec);
    ASSERT_FALSE(cal.ok()) << zone;
    EXPECT_EQ(cal.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(cal.status(), "unknown time zone \"" + zone + "\""))
        << cal.status();
  }
  core::CalendarSpec empty;
  empty.hours["mon"] = {"09:00-17:00"};
  EXPECT_TRUE(Contains(LoadCalendar(empty).status(), "time_zone"));
}

TEST(CalendarFileTest, PassesCalendarErrorsThrough) {
  core::CalendarSpec spec;
  spec.time_zone = "UTC";
  spec.hours["mon"] = {"09:00-12:00", "11:00-13:00"};
  absl::StatusOr<core::BusinessCalendar> cal = LoadCalendar(spec);
  ASSERT_FALSE(cal.ok());
  EXPECT_TRUE(Contains(cal.status(), "hours.mon")) << cal.status();
  EXPECT_TRUE(Contains(cal.status(), "overlaps")) << cal.status();
}

TEST(CalendarFileTest, LoadsFilesInBothFormats) {
  const std::string toml = WriteTemp("seeds.toml", kSeedsToml);
  absl::StatusOr<core::BusinessCalendar> from_toml = LoadCalendarFile(toml);
  ASSERT_TRUE(from_toml.ok()) << from_toml.status();

  const std::string json = WriteTemp(
      "seeds.json",
      R"({"time_zone": "Europe/London", "holidays": ["2026-12-25", "2026-12-28"],
          "hours": {"mon": ["08:00-01:00"], "tue": ["08:00-01:00"],
                    "wed": ["08:00-01:00"], "thu": ["08:00-01:00"],
                    "fri": ["08:00-01:00"]}})");
  absl::StatusOr<core::BusinessCalendar> from_json = LoadCalendarFile(json);
  ASSERT_TRUE(from_json.ok()) << from_json.status();

  const absl::Time a = Utc(2026, 12, 21, 0, 0);
  const absl::Time b = Utc(2027, 1, 4, 0, 0);
  EXPECT_EQ(from_toml->BusinessSecondsBetween(a, b), 8 * 17 * 3600);
  EXPECT_EQ(from_json->BusinessSecondsBetween(a, b), 8 * 17 * 3600);
}

TEST(CalendarFileTest, FileErrorsNameThePath) {
  const std::string missing = testing::TempDir() + "/no-such-calendar.toml";
  absl::StatusOr<core::BusinessCalendar> cal = LoadCalendarFile(missing);
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Contains(cal.status(), missing)) << cal.status();

  const std::string bad = WriteTemp(
      "bad.toml", "time_zone = \"UTC\"\n[hours]\nfri = [\"08:00-25:00\"]\n");
  cal = LoadCalendarFile(bad);
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(cal.status(), bad + ": hours.fri[0]")) << cal.status();
  EXPECT_TRUE(Contains(cal.status(), "\"25:00\"")) << cal.status();

  const std::string bad_json = WriteTemp("bad.json", "{\"time_zone\": ");
  cal = LoadCalendarFile(bad_json);
  ASSERT_FALSE(cal.ok());
  EXPECT_TRUE(Contains(cal.status(), "invalid JSON")) << cal.status();
}

TEST(CalendarFileTest, ParsesRfc3339Instants) {
  const absl::Time want = Utc(2026, 3, 9, 13, 0);
  const std::vector<std::pair<std::string, absl::Time>> good = {
      {"2026-03-09T13:00:00Z", want},
      {"2026-03-09T14:00:00+01:00", want},
      {"2026-03-09T08:00:00-05:00", want},
      {"2026-03-09t13:00:00z", want},
      {"2026-03-09T13:00:00+00:00", want},
      {"2026-03-09T13:00:00.250Z", want + absl::Milliseconds(250)},
      {"2026-03-09T18:30:00.5+05:30", want + absl::Milliseconds(500)},
  };
  for (const auto& [text, time] : good) {
    absl::StatusOr<absl::Time> t = ParseRfc3339Instant(text);
    ASSERT_TRUE(t.ok()) << text << ": " << t.status();
    EXPECT_EQ(*t, time) << text;
  }
  for (const std::string text :
       {"", "2026-03-09", "2026-03-09T13:00:00", "2026-03-09 13:00:00Z",
        " 2026-03-09T13:00:00Z", "2026-03-09T13:00:00Z ", "infinite-future",
        "2026-02-30T00:00:00Z", "2026-03-09T25:00:00Z", "2026-03-09T13:00Z",
        "2026-03-09T13:00:00+0100", "2026-03-09T13:00:00.Z",
        "2026-03-09T13:00:00+01", "02026-03-09T13:00:00Z", "now"}) {
    absl::StatusOr<absl::Time> t = ParseRfc3339Instant(text);
    EXPECT_FALSE(t.ok()) << "accepted \"" << text << "\"";
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(t.status(), "RFC 3339")) << t.status();
  }
}

TEST(CalendarFileTest, FormatsRfc3339Utc) {
  EXPECT_EQ(FormatRfc3339Utc(Utc(2026, 3, 9, 13, 0)), "2026-03-09T13:00:00Z");
  EXPECT_EQ(FormatRfc3339Utc(Utc(2026, 3, 9, 13, 0) + absl::Milliseconds(250)),
            "2026-03-09T13:00:00.25Z");
  EXPECT_EQ(FormatRfc3339Utc(Utc(1999, 12, 31, 23, 59, 59)),
            "1999-12-31T23:59:59Z");
  const absl::StatusOr<absl::Time> t =
      ParseRfc3339Instant("2026-10-25T01:30:00+01:00");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatRfc3339Utc(*t), "2026-10-25T00:30:00Z");
}

}  // namespace
}  // namespace casedesk::adapters

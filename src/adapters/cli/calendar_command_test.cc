#include "adapters/cli/calendar_command.h"

#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace casedesk::adapters {
namespace {

std::string SeedsCalendar() {
  const std::string path = testing::TempDir() + "/cli-seeds.toml";
  std::ofstream(path) << R"(time_zone = "Europe/London"
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
  return path;
}

struct AddRun {
  std::string from;
  int64_t minutes;
  std::string want;
};

TEST(CalendarCommandTest, AddPrintsRfc3339Utc) {
  const std::string path = SeedsCalendar();
  const AddRun runs[] = {
      {"2026-03-09T12:00:00Z", 60, "2026-03-09T13:00:00Z\n"},
      {"2026-03-09T13:00:00+01:00", 60, "2026-03-09T13:00:00Z\n"},
      // Friday 23:00 GMT: two hours to 01:00 Saturday, then Monday 08:00.
      {"2026-03-13T23:00:00Z", 180, "2026-03-16T09:00:00Z\n"},
      {"2026-03-14T12:00:00Z", 0, "2026-03-16T08:00:00Z\n"},
      // Christmas holidays (Friday 25th, Monday 28th).
      {"2026-12-24T23:00:00Z", 121, "2026-12-29T08:01:00Z\n"},
  };
  for (const AddRun& run : runs) {
    std::ostringstream out, err;
    EXPECT_EQ(RunCalendarAdd(path, run.from, run.minutes, out, err), 0)
        << err.str();
    EXPECT_EQ(out.str(), run.want) << run.from;
    EXPECT_EQ(err.str(), "");
  }
}

TEST(CalendarCommandTest, BetweenPrintsWholeSeconds) {
  const std::string path = SeedsCalendar();
  std::ostringstream out, err;
  EXPECT_EQ(RunCalendarBetween(path, "2026-03-09T00:00:00Z",
                               "2026-03-16T00:00:00Z", out, err),
            0);
  EXPECT_EQ(out.str(), "306000\n");
  std::ostringstream out2, err2;
  EXPECT_EQ(RunCalendarBetween(path, "2026-03-16T00:00:00Z",
                               "2026-03-09T00:00:00Z", out2, err2),
            0);
  EXPECT_EQ(out2.str(), "0\n");
}

TEST(CalendarCommandTest, ReportsErrorsWithExitCode2) {
  const std::string path = SeedsCalendar();
  const std::string missing = testing::TempDir() + "/missing.toml";
  std::ostringstream out;
  auto check = [&out](int code, const std::ostringstream& err,
                      const std::string& part) {
    EXPECT_EQ(code, 2);
    EXPECT_NE(err.str().find(part), std::string::npos) << err.str();
    EXPECT_EQ(err.str().back(), '\n');
    EXPECT_EQ(out.str(), "");
  };
  {
    std::ostringstream err;
    check(RunCalendarAdd(missing, "2026-03-09T12:00:00Z", 5, out, err), err,
          missing);
  }
  {
    std::ostringstream err;
    check(RunCalendarAdd(path, "yesterday", 5, out, err), err, "--from");
  }
  {
    std::ostringstream err;
    check(RunCalendarAdd(path, "2026-03-09T12:00:00Z", -1, out, err), err,
          "--minutes");
  }
  {
    std::ostringstream err;
    check(RunCalendarBetween(path, "2026-03-09T12:00:00Z", "2026-03-09", out,
                             err),
          err, "--to");
  }
  {
    const std::string bad = testing::TempDir() + "/bad-zone.toml";
    std::ofstream(bad) << "time_zone = \"Mars/Olympus\"\n[hours]\nmon = "
                          "[\"09:00-17:00\"]\n";
    std::ostringstream err;
    check(RunCalendarBetween(bad, "2026-03-09T12:00:00Z",
                             "2026-03-10T12:00:00Z", out, err),
          err, "unknown time zone \"Mars/Olympus\"");
  }
}

}  // namespace
}  // namespace casedesk::adapters

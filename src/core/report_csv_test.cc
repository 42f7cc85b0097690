#include "core/report_csv.h"

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

TEST(CsvTest, QuotesOnlyWhatNeedsQuotingAndDoublesQuotes) {
  struct Row {
    std::string in;
    std::string out;
  };
  const Row rows[] = {
      {"plain", "plain"},
      {"", ""},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"two\nlines", "\"two\nlines\""},
      {"cr\r", "\"cr\r\""},
      {"=SUM(A1:A2)", "'=SUM(A1:A2)"},
      {"+1 555", "'+1 555"},
      {"@cmd", "'@cmd"},
      {"=1,2", "\"'=1,2\""},
      {"-12.5", "-12.5"},  // a number stays a number
      {"Ünïcödé", "Ünïcödé"},
  };
  for (const Row& row : rows) EXPECT_EQ(CsvField(row.in), row.out) << row.in;
}

TEST(CsvTest, TablesEndLinesInCrLf) {
  const CsvTable table{.header = {"severity", "cases"}, .rows = {{"critical", "3"}, {"a,b", ""}}};
  EXPECT_EQ(ToCsv(table), "severity,cases\r\ncritical,3\r\n\"a,b\",\r\n");
}

}  // namespace
}  // namespace casedesk::core

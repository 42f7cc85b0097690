#include "core/svg_chart.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(XmlEscapeTest, EscapesMarkupAndDropsControlCharacters) {
  EXPECT_EQ(XmlEscape("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(XmlEscape(std::string("a\x01"
                                  "b\tc\n",
                                  6)),
            "ab\tc\n");
}

TEST(NiceScaleTest, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
  struct Row {
    double max;
    double top;
    double step;
  };
  const Row rows[] = {{0, 1, 1},        {-3, 1, 1},        {1, 1, 0.2},    {7, 8, 2},
                      {10, 10, 2},      {13, 15, 5},       {100, 100, 20}, {101, 120, 20},
                      {0.3, 0.3, 0.05}, {4321, 5000, 1000}};
  for (const Row& row : rows) {
    const ChartScale scale = NiceScale(row.max);
    EXPECT_NEAR(scale.max, row.top, 1e-9) << row.max;
    EXPECT_NEAR(scale.step, row.step, 1e-9) << row.max;
    EXPECT_GE(scale.max, row.max);
  }
}

TEST(RenderChartTest, IsAnAccessibleImageWithEscapedText) {
  Chart chart{.id = "sev\"<x>",
              .title = "Cases <by> severity",
              .description = "Bars & more",
              .labels = {"critical", "<script>"},
              .series = {{.name = "Cases", .values = {3, 5}}}};
  const std::string svg = RenderChart(chart, ChartKind::kBars);
  EXPECT_THAT(svg, HasSubstr("role=\"img\""));
  EXPECT_THAT(svg, HasSubstr("aria-labelledby=\"sevx-title sevx-desc\""));
  EXPECT_THAT(svg, HasSubstr("<title id=\"sevx-title\">Cases &lt;by&gt; severity</title>"));
  EXPECT_THAT(svg, HasSubstr("<desc id=\"sevx-desc\">Bars &amp; more</desc>"));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(svg, Not(HasSubstr("<script>")));
  EXPECT_THAT(svg, HasSubstr("<title>Cases, critical: 3</title>"));
  // Two bars, the taller reaching the top of the scale (5 -> axis 5).
  EXPECT_EQ(svg.find("<rect x", svg.find("<rect x") + 1) != std::string::npos, true);
}

TEST(RenderChartTest, LinesSkipMissingValuesAndUseTheFixedMaximum) {
  Chart chart{.id = "sla",
              .title = "Compliance",
              .labels = {"2026-09", "Oct", "2026-11"},
              .series = {{.name = "First response", .values = {100, NAN, 50}}},
              .unit = "%",
              .fixed_max = 100};
  const std::string svg = RenderChart(chart, ChartKind::kLines);
  EXPECT_THAT(svg, Not(HasSubstr("First response, Oct")));  // no point for a gap
  EXPECT_THAT(svg, HasSubstr("<title>First response, 2026-11: 50%</title>"));
  EXPECT_THAT(svg, HasSubstr(">100%</text>"));
  EXPECT_THAT(svg, HasSubstr("<path d=\"M144.7 12.0 M531.3 118.0\""));
}

}  // namespace
}  // namespace casedesk::core

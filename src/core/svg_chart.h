// Charts for the service-review page, rendered server-side as inline SVG (no JavaScript):
// grouped bar charts and line charts with a value axis on a "nice" scale (steps of 1, 2 or 5
// times a power of ten). Each chart is an accessible image: role="img" labelled by its <title>
// and <desc>, and every bar or point carries a <title> with its value; pages show the same
// numbers in a table beside it. All text is XML-escaped.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedesk::core {

// &, <, >, " and ' as entities; control characters other than tab and line breaks dropped
// (XML 1.0 cannot carry them).
std::string XmlEscape(std::string_view text);

struct ChartScale {
  double max = 1;   // top of the axis, a multiple of step
  double step = 1;  // between gridlines
};

// The smallest nice scale holding `max_value` in about `target_steps` steps (at least one step
// of 1 for max_value <= 0 or not finite).
ChartScale NiceScale(double max_value, int target_steps = 5);

struct ChartSeries {
  std::string name;
  std::vector<double> values;  // one per label; missing values count as 0 (bars) or gaps (lines)
};

enum class ChartKind { kBars, kLines };

struct Chart {
  std::string id;  // unique on the page: [A-Za-z0-9_-]; used for the title/desc ids
  std::string title;
  std::string description;
  std::vector<std::string> labels;  // the categories along the x axis
  std::vector<ChartSeries> series;
  std::string unit;                 // appended to values in point titles ("%", " h")
  std::optional<double> fixed_max;  // e.g. 100 for percentages
  int width = 640;
  int height = 280;
};

std::string RenderChart(const Chart& chart, ChartKind kind);

// A value as the chart prints it: up to one decimal, no trailing ".0".
std::string ChartNumber(double value);

}  // namespace casedesk::core

#include "core/svg_chart.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace casedesk::core {
namespace {

// Colour-blind-safe palette (Okabe-Ito), as presentation attributes so the page's CSP needs no
// inline styles.
constexpr std::array<const char*, 6> kPalette{"#0072B2", "#E69F00", "#009E73",
                                              "#CC79A7", "#56B4E9", "#D55E00"};
constexpr int kLeft = 48;
constexpr int kRight = 12;
constexpr int kTop = 12;
constexpr int kBottom = 56;  // labels and the legend

std::string SafeId(std::string_view id) {
  std::string out;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') out += c;
  }
  return out.empty() ? "chart" : out;
}

std::string Px(double value) { return absl::StrFormat("%.1f", value); }

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

ChartScale NiceScale(double max_value, int target_steps) {
  if (!std::isfinite(max_value) || max_value <= 0) return {.max = 1, .step = 1};
  // At most target_steps + 1 steps: 101 in 5 steps gives 0..120 by 20, not 0..150 by 50.
  const double rough = max_value / (std::max(1, target_steps) + 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude * 10;
  for (double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (magnitude * factor >= rough) {
      step = magnitude * factor;
      break;
    }
  }
  return {.max = std::ceil(max_value / step - 1e-9) * step, .step = step};
}

std::string ChartNumber(double value) {
  std::string text = absl::StrFormat("%.1f", value);
  if (text.size() > 2 && text.substr(text.size() - 2) == ".0") text.resize(text.size() - 2);
  return text;
}

std::string RenderChart(const Chart& chart, ChartKind kind) {
  const std::string id = SafeId(chart.id);
  const double width = std::max(chart.width, 200);
  const double height = std::max(chart.height, 120);
  const double plot_w = width - kLeft - kRight;
  const double plot_h = height - kTop - kBottom;
  double max_value = 0;
  for (const ChartSeries& series : chart.series) {
    for (double v : series.values) {
      if (std::isfinite(v)) max_value = std::max(max_value, v);
    }
  }
  const ChartScale scale = chart.fixed_max ? NiceScale(*chart.fixed_max) : NiceScale(max_value);
  auto y_of = [&](double v) {
    return kTop + plot_h - plot_h * std::clamp(v, 0.0, scale.max) / scale.max;
  };
  const size_t n = std::max<size_t>(chart.labels.size(), 1);
  const double band = plot_w / static_cast<double>(n);

  std::string svg = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cc-chart\" role=\"img\" viewBox=\"0 0 ",
      width, " ", height,
      "\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" aria-labelledby=\"", id, "-title ",
      id, "-desc\"><title id=\"", id, "-title\">", XmlEscape(chart.title), "</title><desc id=\"",
      id, "-desc\">", XmlEscape(chart.description), "</desc>");
  // Gridlines and the value axis.
  absl::StrAppend(&svg, "<g class=\"cc-chart-axis\" font-size=\"11\" fill=\"#444\">");
  for (double v = 0; v <= scale.max + scale.step / 2; v += scale.step) {
    const std::string y = Px(y_of(v));
    absl::StrAppend(&svg, "<line x1=\"", kLeft, "\" x2=\"", Px(width - kRight), "\" y1=\"", y,
                    "\" y2=\"", y, "\" stroke=\"#ddd\"/><text x=\"", kLeft - 6, "\" y=\"", y,
                    "\" text-anchor=\"end\" dominant-baseline=\"middle\">",
                    XmlEscape(ChartNumber(v) + chart.unit), "</text>");
  }
  for (size_t i = 0; i < chart.labels.size(); ++i) {
    absl::StrAppend(&svg, "<text x=\"", Px(kLeft + band * (i + 0.5)), "\" y=\"",
                    Px(kTop + plot_h + 16), "\" text-anchor=\"middle\">",
                    XmlEscape(chart.labels[i]), "</text>");
  }
  absl::StrAppend(&svg, "</g>");
  // Data.
  const size_t series_count = std::max<size_t>(chart.series.size(), 1);
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const ChartSeries& series = chart.series[s];
    const char* colour = kPalette[s % kPalette.size()];
    absl::StrAppend(&svg, "<g class=\"cc-chart-series\" fill=\"", colour, "\">");
    std::string path;
    bool gap = false;
    for (size_t i = 0; i < chart.labels.size(); ++i) {
      const bool present = i < series.values.size() && std::isfinite(series.values[i]);
      const double v = present ? series.values[i] : 0;
      const std::string point_title =
          XmlEscape(absl::StrCat(series.name, ", ", chart.labels[i], ": ",
                                 present ? ChartNumber(v) + chart.unit : "no data"));
      if (kind == ChartKind::kBars) {
        const double bar_w = band * 0.8 / static_cast<double>(series_count);
        const double x = kLeft + band * i + band * 0.1 + bar_w * s;
        absl::StrAppend(&svg, "<rect x=\"", Px(x), "\" y=\"", Px(y_of(v)), "\" width=\"", Px(bar_w),
                        "\" height=\"", Px(kTop + plot_h - y_of(v)), "\"><title>", point_title,
                        "</title></rect>");
      } else if (!present) {
        gap = true;
      } else {
        const double x = kLeft + band * (i + 0.5);
        // A missing value breaks the line: the next point starts a new subpath.
        absl::StrAppend(&path, path.empty() ? "M" : (gap ? " M" : " L"), Px(x), " ", Px(y_of(v)));
        gap = false;
        absl::StrAppend(&svg, "<circle cx=\"", Px(x), "\" cy=\"", Px(y_of(v)),
                        "\" r=\"3.5\"><title>", point_title, "</title></circle>");
      }
    }
    if (kind == ChartKind::kLines && !path.empty()) {
      absl::StrAppend(&svg, "<path d=\"", path, "\" fill=\"none\" stroke=\"", colour,
                      "\" stroke-width=\"2\"/>");
    }
    absl::StrAppend(&svg, "</g>");
  }
  // Legend.
  absl::StrAppend(&svg, "<g class=\"cc-chart-legend\" font-size=\"11\" fill=\"#222\">");
  double x = kLeft;
  const double y = height - 14;
  for (size_t s = 0; s < chart.series.size(); ++s) {
    absl::StrAppend(&svg, "<rect x=\"", Px(x), "\" y=\"", Px(y - 9),
                    "\" width=\"10\" height=\"10\" fill=\"", kPalette[s % kPalette.size()],
                    "\"/><text x=\"", Px(x + 14), "\" y=\"", Px(y), "\">",
                    XmlEscape(chart.series[s].name), "</text>");
    x += 24 + 7.0 * static_cast<double>(chart.series[s].name.size());
  }
  absl::StrAppend(&svg, "</g></svg>");
  return svg;
}

}  // namespace casedesk::core

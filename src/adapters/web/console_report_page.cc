#include "adapters/web/console_report_page.h"

#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_report_tables.h"
#include "core/enum_names.h"
#include "core/svg_chart.h"
#include "core/time_entry.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kTemplate = R"html(<h1>{{heading}}</h1>
<p class="cc-rp-scope">{{scope_text}}</p>
<form method="get" action="{{form_action}}" class="cc-rp-form" aria-label="Report period">
{{#has_org_picker}}<div class="sp-field"><label for="cc-rp-org">Organisation</label>
<select id="cc-rp-org" name="org">{{#orgs}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/orgs}}</select></div>{{/has_org_picker}}
<div class="sp-field"><label for="cc-rp-from">From</label>
<input id="cc-rp-from" name="from" type="date" value="{{from_value}}"></div>
<div class="sp-field"><label for="cc-rp-to">Up to (not including)</label>
<input id="cc-rp-to" name="to" type="date" value="{{to_value}}"></div>
<button type="submit">{{submit_label}}</button>
</form>
{{#review_picker}}<form method="get" action="/console/reports/service-review" class="cc-rp-form" aria-label="Open a service review">
<div class="sp-field"><label for="cc-rp-review-org">Service review for</label>
<select id="cc-rp-review-org" name="org">{{#orgs}}<option value="{{id}}">{{name}}</option>{{/orgs}}</select></div>
<input type="hidden" name="from" value="{{from_value}}"><input type="hidden" name="to" value="{{to_value}}">
<button type="submit">Open service review</button>
</form>{{/review_picker}}
<section class="cc-section cc-rp-charts" aria-labelledby="cc-rp-charts-h">
<h2 id="cc-rp-charts-h">Charts</h2>
{{#charts}}<figure class="cq-scroll cc-rp-figure">
{{{svg}}}
<figcaption>{{caption}}</figcaption>
</figure>
{{/charts}}
</section>
{{#tables}}<section class="cc-section cc-rp-table" id="{{id}}" aria-labelledby="{{id}}-h">
<h2 id="{{id}}-h">{{title}}</h2>
{{#has_rows}}<div class="cq-scroll cc-rp-scroll"><table>
<thead><tr>{{#header}}<th scope="col">{{.}}</th>{{/header}}</tr></thead>
<tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
{{/rows}}</tbody>
</table></div>{{/has_rows}}
{{^has_rows}}<p class="cd-note">Nothing in this period.</p>{{/has_rows}}
<p><a class="cc-rp-csv" href="{{csv_href}}" download>Download “{{title}}” as CSV</a></p>
</section>
{{/tables}}
)html";

std::string ShortName(const std::string& name) {
  constexpr size_t kMax = 24;
  if (name.size() <= kMax) return name;
  size_t cut = kMax - 1;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return name.substr(0, cut) + "\u2026";
}

std::string Day(absl::Time at) { return absl::FormatTime("%Y-%m-%d", at, absl::UTCTimeZone()); }

Data Strings(const std::vector<std::string>& values) {
  Data list{Data::type::list};
  for (const std::string& value : values) list.push_back(Data(value));
  return list;
}

core::Chart SeverityChart(const app::ServiceReview& review) {
  core::Chart chart{.id = "cc-chart-severity",
                    .title = "Cases by severity",
                    .description =
                        "Cases created in the period per severity; the numbers are "
                        "in the SLA compliance table."};
  core::ChartSeries series{.name = "Cases"};
  for (const auto& [severity, name] : core::kSeverityNames) {
    int64_t cases = 0;
    for (const core::SlaComplianceLine& line : review.sla.lines) {
      if (line.severity == severity && line.clock == core::SlaClockKind::kFirstResponse) {
        cases = line.cases;
      }
    }
    chart.labels.emplace_back(name);
    series.values.push_back(static_cast<double>(cases));
  }
  chart.series.push_back(std::move(series));
  return chart;
}

core::Chart ComplianceChart(const app::ServiceReview& review) {
  core::Chart chart{.id = "cc-chart-compliance",
                    .title = "SLA compliance by month",
                    .description =
                        "Percentage of first-response and resolution targets met per "
                        "UTC month; the numbers are in the SLA by month table.",
                    .unit = "%",
                    .fixed_max = 100};
  core::ChartSeries first{.name = "First response"};
  core::ChartSeries resolution{.name = "Resolution"};
  for (const app::MonthCompliance& month : review.sla.months) {
    chart.labels.push_back(core::PeriodName(month.month));
    first.values.push_back(month.first_response_percent.value_or(NAN));
    resolution.values.push_back(month.resolution_percent.value_or(NAN));
  }
  chart.series = {std::move(first), std::move(resolution)};
  return chart;
}

// The latest period's first package: used hours accumulated day by day against what is
// available.
std::optional<core::Chart> BurnDownChart(const app::ServiceReview& review) {
  if (review.hours.empty() || review.hours.back().packages.empty()) return std::nullopt;
  const app::OrgHours& month = review.hours.back();
  const app::PackageHours& package = month.packages.front();
  core::Chart chart{.id = "cc-chart-hours",
                    .title = absl::StrCat("Hours burn-down, ", core::PeriodName(month.period), ", ",
                                          std::string(core::HoursKindLabel(package.package.kind))),
                    .description =
                        "Billable hours used so far this period, day by day, against "
                        "the hours available; the numbers are in the hours table.",
                    .unit = " h"};
  core::ChartSeries used{.name = "Used (cumulative)"};
  core::ChartSeries available{.name = "Available"};
  const int days = core::DaysInPeriod(month.period);
  int64_t cumulative = 0;
  size_t next = 0;
  for (int day = 1; day <= days; ++day) {
    while (next < package.daily.size() && core::DayOfMonth(package.daily[next].period) <= day) {
      cumulative += package.daily[next].billable_minutes;
      ++next;
    }
    chart.labels.push_back(day == 1 || day % 5 == 0 ? std::to_string(day) : "");
    used.values.push_back(static_cast<double>(cumulative) / 60.0);
    available.values.push_back(static_cast<double>(package.balance.available_minutes) / 60.0);
  }
  chart.series = {std::move(used), std::move(available)};
  return chart;
}

std::string ScopeText(const app::ReportScope& scope) {
  return absl::StrCat(scope.org ? scope.org->name : std::string("All organisations"), " · ",
                      Day(scope.from), " to ", Day(scope.to), " (cases created in the period; ",
                      "months in UTC)");
}

}  // namespace

std::vector<std::string> ReportChartsSvg(const app::ServiceReview& review) {
  std::vector<std::string> charts = {
      core::RenderChart(SeverityChart(review), core::ChartKind::kBars),
      core::RenderChart(ComplianceChart(review), core::ChartKind::kLines)};
  if (std::optional<core::Chart> burn = BurnDownChart(review)) {
    charts.push_back(core::RenderChart(*burn, core::ChartKind::kLines));
  }
  return charts;
}

std::string RenderConsoleReportPage(const ConsoleFrame& frame, const ConsoleReportView& view) {
  const app::ServiceReview& review = view.review;
  Data data;
  data.set("heading", frame.title);
  data.set("scope_text", ScopeText(review.scope));
  data.set("form_action",
           view.service_review ? "/console/reports/service-review" : "/console/reports");
  data.set("submit_label", view.service_review ? "Show service review" : "Show reports");
  data.set("from_value", view.from_value);
  data.set("to_value", view.to_value);
  Data orgs{Data::type::list};
  for (const ReportOrgOption& org : view.orgs) {
    Data option;
    option.set("id", std::to_string(org.id));
    // Long names would widen the select past a phone's screen; the full name is the title.
    option.set("name", ShortName(org.name));
    option.set("selected", review.scope.org && review.scope.org->id == org.id);
    orgs.push_back(option);
  }
  data.set("has_org_picker", view.service_review && !view.orgs.empty());
  data.set("review_picker", !view.service_review && !view.orgs.empty());
  data.set("orgs", orgs);

  Data charts{Data::type::list};
  const std::vector<std::string> svgs = ReportChartsSvg(review);
  const char* captions[] = {"Cases by severity", "SLA compliance by month (percent of targets met)",
                            "Hours burn-down of the latest period"};
  for (size_t i = 0; i < svgs.size(); ++i) {
    Data chart;
    chart.set("svg", svgs[i]);
    chart.set("caption", std::string(captions[i]));
    charts.push_back(chart);
  }
  data.set("charts", charts);

  Data tables{Data::type::list};
  for (const ReportTable& table : ServiceReviewTables(review)) {
    Data item;
    item.set("id", table.id);
    item.set("title", table.title);
    item.set("header", Strings(table.table.header));
    Data rows{Data::type::list};
    for (const std::vector<std::string>& row : table.table.rows) {
      Data cells;
      cells.set("cells", Strings(row));
      rows.push_back(cells);
    }
    item.set("rows", rows);
    item.set("has_rows", !table.table.rows.empty());
    item.set("csv_href", absl::StrCat("/console/reports/", table.id, ".csv",
                                      view.query.empty() ? "" : "?", view.query));
    tables.push_back(item);
  }
  data.set("tables", tables);
  return RenderConsoleDocument(frame, data, kTemplate);
}

}  // namespace casedesk::adapters::web

#include "adapters/web/portal_hours_page.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

// The chart's drawing area inside a 640 x 240 viewBox (it scales with the page).
constexpr double kWidth = 640, kHeight = 240;
constexpr double kLeft = 64, kRight = 16, kTop = 12, kBottom = 36;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;

constexpr std::string_view kHoursMain = R"html(<h1>{{title}}</h1>
<p class="hr-lead">Contract hours of <strong>{{org_name}}</strong> for {{period_label}}. Billable time that our team logs draws on these hours.</p>
<form class="pt-filters" method="get" action="/portal/hours" aria-label="Choose the month">
{{#has_orgs}}
<div class="sp-field">
<label for="hr-org">Customer</label>
<select id="hr-org" name="org">
{{#orgs}}{{> option}}
{{/orgs}}
</select>
</div>
{{/has_orgs}}
<div class="sp-field">
<label for="hr-period">Month</label>
<select id="hr-period" name="period">
{{#periods}}{{> option}}
{{/periods}}
</select>
</div>
<button type="submit" class="pt-button-quiet">Show</button>
</form>
{{^packages}}
<p class="pt-empty">Your support plan includes no contract hours for this month.</p>
{{/packages}}
{{#packages}}
<section class="hr-package" aria-labelledby="hr-heading-{{kind}}">
<h2 id="hr-heading-{{kind}}">{{kind_label}}</h2>
<dl class="hr-figures">
<div><dt>Included</dt><dd>{{included}}</dd></div>
<div><dt>Carried in</dt><dd>{{carried_in}}</dd></div>
<div><dt>Used</dt><dd>{{used}} <span class="hr-percent">({{percent_used}} %)</span></dd></div>
<div><dt>Remaining</dt><dd class="hr-remaining{{#over}} hr-over{{/over}}">{{remaining}}</dd></div>
{{#over}}<div><dt>Beyond the package</dt><dd class="hr-over"><span class="sp-icon" aria-hidden="true">!</span> {{overrun}}</dd></div>{{/over}}
<div><dt>Not billable</dt><dd>{{non_billable}}</dd></div>
</dl>
<div class="hr-meter" aria-hidden="true"><span class="hr-meter-fill hr-meter-{{meter_step}}"></span></div>
{{#has_package}}<p class="hr-note">Alerts at {{thresholds}} of the available hours.{{#alerted}} Reached this month: {{alerted}}.{{/alerted}}</p>{{/has_package}}
{{^has_package}}<p class="hr-note">No package of this kind is included; the time is shown for your records.</p>{{/has_package}}
<figure class="hr-chart">
<svg class="hr-svg" viewBox="0 0 640 240" role="img" aria-labelledby="hr-title-{{kind}} hr-desc-{{kind}}" focusable="false">
<title id="hr-title-{{kind}}">Burn-down of {{kind_label}}, {{period_label}}</title>
<desc id="hr-desc-{{kind}}">{{chart_desc}}</desc>
{{#ticks}}<line class="hr-gridline" x1="64" x2="624" y1="{{y}}" y2="{{y}}"></line><text class="hr-axis" x="56" y="{{label_y}}" text-anchor="end">{{label}}</text>
{{/ticks}}{{#xlabels}}<text class="hr-axis" x="{{x}}" y="228" text-anchor="middle">{{label}}</text>
{{/xlabels}}<polyline class="hr-ideal" points="{{ideal_points}}"></polyline>
<polyline class="hr-actual" points="{{actual_points}}"></polyline>
</svg>
<figcaption class="hr-legend"><span class="hr-key hr-key-actual" aria-hidden="true"></span> Remaining hours <span class="hr-key hr-key-ideal" aria-hidden="true"></span> Even use over the month</figcaption>
</figure>
<table class="pt-cases hr-table">
<caption>{{kind_label}} by day, {{period_label}}</caption>
<thead><tr><th scope="col">Day</th><th scope="col">Used that day</th><th scope="col">Remaining after it</th></tr></thead>
<tbody>
{{#rows}}<tr><td data-label="Day">{{day}}</td><td data-label="Used that day">{{used}}</td><td data-label="Remaining after it">{{remaining}}</td></tr>
{{/rows}}
{{^rows}}<tr><td colspan="3">No billable time logged this month.</td></tr>{{/rows}}
</tbody>
</table>
</section>
{{/packages}}
)html";

std::string Number(double value) { return absl::StrFormat("%.1f", value); }

double X(int day, int days) { return kLeft + kPlotWidth * day / std::max(days, 1); }

double Y(int64_t minutes, int64_t top_minutes) {
  const double clamped =
      std::clamp<double>(static_cast<double>(minutes), 0.0, static_cast<double>(top_minutes));
  return kTop + kPlotHeight * (1.0 - clamped / static_cast<double>(top_minutes));
}

Data Options(const std::vector<PortalHoursOption>& options) {
  Data list{Data::type::list};
  for (const PortalHoursOption& option : options) {
    Data entry{Data::type::object};
    entry.set("value", CleanText(option.value));
    entry.set("label", CleanText(option.label));
    entry.set("selected", option.selected);
    list.push_back(entry);
  }
  return list;
}

Data PackageData(const PortalHoursPackage& package, const std::string& period_label) {
  Data data{Data::type::object};
  data.set("kind", CleanText(package.kind));
  data.set("kind_label", CleanText(package.kind_label));
  data.set("period_label", CleanText(period_label));
  data.set("has_package", package.has_package);
  data.set("included", HoursText(package.included_minutes));
  data.set("carried_in", HoursText(package.carried_in_minutes));
  data.set("used", HoursText(package.used_minutes));
  data.set("remaining", HoursText(package.remaining_minutes));
  data.set("overrun", HoursText(package.overrun_minutes));
  data.set("over", package.overrun_minutes > 0);
  data.set("non_billable", HoursText(package.non_billable_minutes));
  data.set("percent_used", absl::StrCat(package.percent_used));
  // The meter in steps of 10 % (classes, since the page allows no inline styles).
  data.set("meter_step", absl::StrCat(std::min(package.percent_used, 100) / 10 * 10));
  data.set("thresholds", CleanText(package.thresholds));
  data.set("alerted", package.alerted.empty() ? Data{false} : Data{CleanText(package.alerted)});

  const int days = std::max(package.days_in_period, 1);
  const int64_t top = std::max<int64_t>({package.available_minutes, package.used_minutes, 60});
  Data ticks{Data::type::list};
  for (int step = 0; step <= 2; ++step) {
    const int64_t minutes = top * step / 2;
    Data tick{Data::type::object};
    tick.set("y", Number(Y(minutes, top)));
    tick.set("label_y", Number(Y(minutes, top) + 4));
    tick.set("label", HoursText(minutes));
    ticks.push_back(tick);
  }
  data.set("ticks", ticks);
  Data xlabels{Data::type::list};
  for (int day : {1, (days + 1) / 2, days}) {
    Data label{Data::type::object};
    label.set("x", Number(X(day, days)));
    label.set("label", absl::StrCat(day));
    xlabels.push_back(label);
  }
  data.set("xlabels", xlabels);
  data.set("ideal_points",
           absl::StrCat(Number(X(0, days)), ",", Number(Y(package.available_minutes, top)), " ",
                        Number(X(days, days)), ",", Number(Y(0, top))));

  // Remaining after each day, through `through_day`; the table lists the days with usage.
  std::string actual =
      absl::StrCat(Number(X(0, days)), ",", Number(Y(package.available_minutes, top)));
  Data rows{Data::type::list};
  int64_t used = 0;
  size_t next = 0;
  const int through = std::clamp(package.through_day, 0, days);
  for (int day = 1; day <= through; ++day) {
    int64_t that_day = 0;
    while (next < package.days.size() && package.days[next].day == day) {
      that_day += package.days[next].used_minutes;
      ++next;
    }
    used += that_day;
    const int64_t remaining = package.available_minutes - used;
    absl::StrAppend(&actual, " ", Number(X(day, days)), ",", Number(Y(remaining, top)));
    if (that_day > 0) {
      Data row{Data::type::object};
      row.set("day", absl::StrCat(day));
      row.set("used", HoursText(that_day));
      row.set("remaining",
              remaining >= 0 ? HoursText(remaining) : absl::StrCat(HoursText(-remaining), " over"));
      rows.push_back(row);
    }
  }
  data.set("actual_points", actual);
  data.set("rows", rows);
  data.set("chart_desc",
           CleanText(absl::StrCat(HoursText(package.available_minutes), " available; ",
                                  HoursText(package.used_minutes), " used (", package.percent_used,
                                  " %), ", HoursText(package.remaining_minutes),
                                  " remaining. The figures by day are in the table below.")));
  return data;
}

}  // namespace

std::string HoursText(int64_t minutes) {
  if (minutes == 0) return "0 h";
  const int64_t hours = minutes / 60;
  const int64_t rest = minutes % 60;
  if (hours == 0) return absl::StrCat(rest, " min");
  if (rest == 0) return absl::StrCat(hours, " h");
  return absl::StrCat(hours, " h ", rest, " min");
}

std::string RenderPortalHoursPage(const PortalFrame& frame, const PortalHoursView& view) {
  Data data{Data::type::object};
  data.set("org_name", CleanText(view.org_name));
  data.set("period_label", CleanText(view.period_label));
  data.set("periods", Options(view.periods));
  data.set("has_orgs", !view.orgs.empty());
  data.set("orgs", Options(view.orgs));
  Data packages{Data::type::list};
  for (const PortalHoursPackage& package : view.packages) {
    packages.push_back(PackageData(package, view.period_label));
  }
  data.set("packages", packages);
  return RenderPortalDocument(frame, data, kHoursMain);
}

}  // namespace casedesk::adapters::web

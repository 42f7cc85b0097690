// GET /portal/hours: an organisation's contract hours for one month (app::GetOrgHours) as the
// portal's Hours page. Customers see their own organisation; partner agents pick one of their
// customers (?org=ID, default the first). ?period=YYYY-MM picks the month (the last 12 months
// in the organisation's time zone are offered). Unknown or foreign organisations are the 404
// page, like any page the person may not see.
#include <array>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_hours.h"
#include "adapters/http/portal_support.h"
#include "adapters/web/portal_hours_page.h"
#include "app/hours.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

std::string PeriodLabel(core::HoursPeriod period) {
  return absl::StrCat(std::string(kMonths[period.month - 1]), " ", period.year);
}

std::string ThresholdsText(const std::vector<int>& thresholds) {
  std::string text;
  for (size_t i = 0; i < thresholds.size(); ++i) {
    if (i > 0) absl::StrAppend(&text, i + 1 == thresholds.size() ? " and " : ", ");
    absl::StrAppend(&text, thresholds[i], " %");
  }
  return text;
}

web::PortalHoursPackage PackageView(const app::PackageHours& item, const app::OrgHours& hours,
                                    absl::Time now) {
  web::PortalHoursPackage view;
  view.kind = std::string(core::NameOf<core::HoursKind>(core::kHoursKindNames, item.package.kind));
  view.kind_label = std::string(core::HoursKindLabel(item.package.kind));
  view.has_package = item.has_package;
  view.included_minutes = item.balance.included_minutes;
  view.carried_in_minutes = item.balance.carried_in_minutes;
  view.available_minutes = item.balance.available_minutes;
  view.used_minutes = item.balance.used_minutes;
  view.remaining_minutes = item.balance.remaining_minutes;
  view.overrun_minutes = item.balance.overrun_minutes;
  view.non_billable_minutes = item.non_billable_minutes;
  view.percent_used = item.balance.percent_used;
  view.thresholds = ThresholdsText(item.package.thresholds_percent);
  view.alerted = ThresholdsText(item.alerted_thresholds);
  view.days_in_period = core::DaysInPeriod(hours.period);
  // The current month's line stops at today; past months run to their end.
  const absl::TimeZone zone = app::OrgZone(hours.org);
  if (now < hours.starts_at) {
    view.through_day = 0;
  } else if (now < hours.ends_at) {
    view.through_day = core::DayOfMonth(core::DayName(now, zone));
  } else {
    view.through_day = view.days_in_period;
  }
  for (const ports::HoursUsage& day : item.daily) {
    view.days.push_back({core::DayOfMonth(day.period), day.billable_minutes});
  }
  return view;
}

void ShowHours(app::AppContext& context, app::StatusPageCache& cache, const HttpRequest& request,
               Respond respond, const WebCaller& web) {
  absl::StatusOr<PortalPage> page = LoadPortalPage(context, cache, web, "Hours", "hours");
  if (!page.ok()) return respond(PortalLoadFailure(page.status(), request.method));
  const app::PortalIdentity& identity = page->identity;
  core::OrgId org_id = identity.organisation.id;
  web::PortalHoursView view;
  if (web.caller.viewer.role == core::Role::kPartnerAgent) {
    if (identity.customers.empty()) {
      return respond(
          HtmlPage(200, web::RenderPortalMessagePage(
                            page->frame, "You have no customers with contract hours yet.")));
    }
    org_id = identity.customers.front().id;
    if (std::optional<std::string_view> wanted = request.Query("org")) {
      int64_t id = 0;
      if (!absl::SimpleAtoi(std::string(*wanted), &id)) return respond(PortalNotFound());
      org_id = id;
    }
    for (const core::Organisation& customer : identity.customers) {
      view.orgs.push_back({absl::StrCat(customer.id), customer.name, customer.id == org_id});
    }
  }
  std::optional<std::string> period;
  if (std::optional<std::string_view> text = request.Query("period")) {
    if (!text->empty()) period = std::string(*text);
  }
  absl::StatusOr<app::OrgHours> hours = app::GetOrgHours(context, web.caller, org_id, period);
  if (absl::IsInvalidArgument(hours.status())) {
    return respond(SeeOther("/portal/hours"));  // a malformed month: show the current one
  }
  if (!hours.ok()) return respond(PortalLoadFailure(hours.status(), request.method));
  view.org_name = hours->org.name;
  view.org_id = absl::StrCat(hours->org.id);
  view.period = core::PeriodName(hours->period);
  view.period_label = PeriodLabel(hours->period);
  core::HoursPeriod option = core::PeriodOf(page->now, app::OrgZone(hours->org));
  bool listed = false;
  for (int i = 0; i < 12; ++i, option = core::PreviousPeriod(option)) {
    listed = listed || option == hours->period;
    view.periods.push_back(
        {core::PeriodName(option), PeriodLabel(option), option == hours->period});
  }
  if (!listed) view.periods.push_back({view.period, view.period_label, true});
  for (const app::PackageHours& item : hours->packages) {
    view.packages.push_back(PackageView(item, *hours, page->now));
  }
  respond(HtmlPage(200, web::RenderPortalHoursPage(page->frame, view)));
}

}  // namespace

void RegisterPortalHoursRoutes(Router& router, app::AppContext& context,
                               app::StatusPageCache& cache) {
  router.Add("GET", "/portal/hours",
             WebAuthenticated(context, [&context, &cache](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web) {
               ShowHours(context, cache, request, std::move(respond), web);
             }));
}

}  // namespace casedesk::adapters::http

// The portal's Hours page (/portal/hours): for one organisation and one month, each contract
// hours package's included, carried-in, used and remaining hours, and a burn-down chart drawn
// on the server as SVG (remaining hours by day against the even burn from the available hours
// to zero), with a title and description for assistive technology and the same figures as a
// table. A GET form picks the month (and, for partner agents, the customer). All text is
// escaped by the templates. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/web/portal_layout.h"

namespace casedesk::adapters::web {

struct PortalHoursOption {
  std::string value;
  std::string label;
  bool selected = false;
};

// One day of a package's period: billable minutes used that day.
struct PortalHoursDay {
  int day = 1;  // 1..31
  int64_t used_minutes = 0;
};

struct PortalHoursPackage {
  std::string kind;        // "customer_success": ids and classes
  std::string kind_label;  // "Customer-success hours"
  bool has_package = true;
  int64_t included_minutes = 0;
  int64_t carried_in_minutes = 0;
  int64_t available_minutes = 0;
  int64_t used_minutes = 0;
  int64_t remaining_minutes = 0;
  int64_t overrun_minutes = 0;
  int64_t non_billable_minutes = 0;
  int percent_used = 0;
  std::string thresholds;  // "80 % and 100 %"
  std::string alerted;     // "80 %" (thresholds already reached this month), or ""
  int days_in_period = 30;
  int through_day = 30;  // the chart's actual line stops here (today in the current month)
  std::vector<PortalHoursDay> days;  // days with usage, ascending
};

struct PortalHoursView {
  std::string org_name;
  std::string period_label;  // "March 2026"
  std::string period;        // "2026-03"
  std::string org_id;        // for the form's hidden field / select
  std::vector<PortalHoursOption> periods;
  std::vector<PortalHoursOption> orgs;  // partner agents: their customers; else empty
  std::vector<PortalHoursPackage> packages;
};

// "12 h" / "1 h 30 min" / "45 min".
std::string HoursText(int64_t minutes);

std::string RenderPortalHoursPage(const PortalFrame& frame, const PortalHoursView& view);

}  // namespace casedesk::adapters::web

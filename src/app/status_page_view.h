// What the public status page shows at one instant: the page's identity, its components with
// their shown statuses, open and recent incidents and maintenance with their timelines, and each
// component's 90-day uptime. Built from the store by BuildStatusPageSnapshot
// (status_page_cache.h) and rendered by adapters/web into the HTML page, the feeds and the
// Statuspage-compatible v2 JSON documents.
// Thread-safe: a value; shared read-only once built.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/status_page.h"

namespace casedesk::app {

struct StatusPageInfo {
  std::string id;         // stable public id of the page
  std::string name;       // e.g. "Example Cloud Status"
  std::string url;        // public base URL of the desk, without a trailing slash
  std::string time_zone;  // IANA name; times in the v2 documents carry this zone's offset
};

inline constexpr int kUptimeDays = 90;

struct StatusPageSnapshot {
  StatusPageInfo page;
  absl::Time now = absl::InfinitePast();         // when it was built
  absl::Time updated_at = absl::InfinitePast();  // latest change of anything shown
  core::PageIndicator indicator;
  // Every component and group by (position, id); a group's status is core::GroupStatus of its
  // members.
  std::vector<core::StatusComponent> components;
  // Incidents, newest first: every open one and the most recent closed ones (history).
  std::vector<core::Incident> incidents;
  // Maintenance, newest first: every open one and the most recent completed ones.
  std::vector<core::Incident> maintenances;
  // The uptime bar of every component that is not a group: kUptimeDays days, oldest first.
  std::map<core::ComponentId, std::vector<core::UptimeDay>> uptime;
};

}  // namespace casedesk::app

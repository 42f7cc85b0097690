// The objects of Atlassian Statuspage's public v2 API built from our status page values: page,
// status, component (groups included) and incident (maintenance included), with Statuspage's
// field order, string ids and timestamps in the page's zone.
// Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "absl/time/time.h"
#include "app/status_page_view.h"
#include "core/status_page.h"

namespace casedesk::adapters::web {

// Public ids: decimal text of our ids with a prefix per kind, so a component (or group, which
// shares the components' id space), an incident (or maintenance) and an update never collide.
std::string ComponentPublicId(core::ComponentId id);  // "c12"
std::string IncidentPublicId(core::IncidentId id);    // "i7"
std::string UpdatePublicId(int64_t id);               // "u31"

// The public page of one incident or maintenance: page.url + "/status/incidents/<id>".
std::string IncidentUrl(const app::StatusPageInfo& page, core::IncidentId id);

// Builds v2 objects for one snapshot (the page's zone is loaded once).
class StatuspageJson {
 public:
  explicit StatuspageJson(const app::StatusPageSnapshot& snapshot);

  nlohmann::ordered_json Page() const;
  nlohmann::ordered_json Status() const;
  nlohmann::ordered_json Components() const;  // every component and group, in snapshot order
  nlohmann::ordered_json Component(const core::StatusComponent& component) const;
  nlohmann::ordered_json Incident(const core::Incident& incident) const;

 private:
  nlohmann::ordered_json Time(absl::Time time) const;  // null when unset
  nlohmann::ordered_json Update(const core::IncidentUpdate& update) const;

  const app::StatusPageSnapshot& snapshot_;
  absl::TimeZone zone_;
};

}  // namespace casedesk::adapters::web

#include "app/status_page_cache.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/status_page_settings.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr int kRecentEvents = 50;
constexpr int kCachedOpenEventsLimit = 500;

// The open events of `kind` and the most recent ones, newest first, without repeats.
absl::StatusOr<std::vector<core::Incident>> RecentAndOpen(ports::StoreTransaction& txn,
                                                          core::IncidentKind kind) {
  ports::IncidentFilter recent;
  recent.kind = kind;
  recent.limit = kRecentEvents;
  absl::StatusOr<std::vector<core::Incident>> events = txn.ListIncidents(recent);
  if (!events.ok()) return events.status();
  ports::IncidentFilter open = recent;
  open.open_only = true;
  open.limit = kCachedOpenEventsLimit;
  absl::StatusOr<std::vector<core::Incident>> open_events = txn.ListIncidents(open);
  if (!open_events.ok()) return open_events.status();
  std::set<core::IncidentId> seen;
  for (const core::Incident& event : *events) seen.insert(event.id);
  for (core::Incident& event : *open_events) {
    if (!seen.contains(event.id)) events->push_back(std::move(event));
  }
  std::sort(events->begin(), events->end(),
            [](const core::Incident& a, const core::Incident& b) { return a.id > b.id; });
  return events;
}

}  // namespace

absl::StatusOr<StatusPageSnapshot> BuildStatusPageSnapshot(ports::StoreTransaction& txn,
                                                           const std::string& default_url,
                                                           absl::Time now) {
  StatusPageSnapshot snapshot;
  snapshot.now = now;
  absl::StatusOr<StatusPageInfo> page = LoadStatusPageInfo(txn, default_url);
  if (!page.ok()) return page.status();
  snapshot.page = *std::move(page);
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(snapshot.page.time_zone, &zone)) zone = absl::UTCTimeZone();

  absl::StatusOr<std::vector<core::StatusComponent>> components = txn.ListStatusComponents();
  if (!components.ok()) return components.status();
  snapshot.components = *std::move(components);
  std::vector<core::StatusComponent> members;
  for (core::StatusComponent& group : snapshot.components) {
    if (!group.is_group) continue;
    members.clear();
    for (const core::StatusComponent& member : snapshot.components) {
      if (!member.is_group && member.group_id == group.id) members.push_back(member);
    }
    group.status = core::GroupStatus(members);
  }

  absl::StatusOr<std::vector<core::Incident>> incidents =
      RecentAndOpen(txn, core::IncidentKind::kIncident);
  if (!incidents.ok()) return incidents.status();
  snapshot.incidents = *std::move(incidents);
  absl::StatusOr<std::vector<core::Incident>> maintenances =
      RecentAndOpen(txn, core::IncidentKind::kMaintenance);
  if (!maintenances.ok()) return maintenances.status();
  snapshot.maintenances = *std::move(maintenances);

  std::vector<core::StatusComponent> plain;
  absl::Time updated_at = absl::InfinitePast();
  for (const core::StatusComponent& component : snapshot.components) {
    updated_at = std::max(updated_at, component.updated_at);
    if (!component.is_group) plain.push_back(component);
  }
  std::vector<core::Incident> open;
  for (const std::vector<core::Incident>* list : {&snapshot.incidents, &snapshot.maintenances}) {
    for (const core::Incident& event : *list) {
      updated_at = std::max(updated_at, event.updated_at);
      if (!core::IsClosedStatus(event.status)) open.push_back(event);
    }
  }
  snapshot.indicator = core::OverallIndicator(plain, open);
  snapshot.updated_at = updated_at == absl::InfinitePast() ? now : updated_at;

  // Uptime: one day more than shown, so the oldest bar's morning has its status too.
  absl::StatusOr<std::vector<core::ComponentStatusChange>> history =
      txn.ListComponentStatusChanges(now - absl::Hours(24 * (kUptimeDays + 1)));
  if (!history.ok()) return history.status();
  std::map<core::ComponentId, std::vector<core::ComponentStatusChange>> by_component;
  for (const core::ComponentStatusChange& change : *history) {
    by_component[change.component_id].push_back(change);
  }
  for (const core::StatusComponent& component : plain) {
    const std::vector<core::ComponentStatusChange>& changes = by_component[component.id];
    snapshot.uptime[component.id] = core::DailyUptime(changes, core::ComponentStatus::kOperational,
                                                      component.created_at, now, kUptimeDays, zone);
  }
  return snapshot;
}

StatusPageCache::StatusPageCache(AppContext& context, absl::Duration check_interval,
                                 absl::Duration max_age)
    : context_(context), check_interval_(check_interval), max_age_(max_age) {}

void StatusPageCache::Invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++invalidations_;
}

absl::StatusOr<std::shared_ptr<StatusPageCache::Generation>> StatusPageCache::Current() {
  const auto fresh = [this](absl::Time now) {
    return current_ != nullptr && built_after_ == invalidations_ &&
           now - current_->built_at < max_age_ && now - checked_at_ < check_interval_;
  };
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fresh(context_.clock.Now())) return current_;
  }
  std::lock_guard<std::mutex> rebuilding(rebuild_mutex_);
  const absl::Time now = context_.clock.Now();
  std::shared_ptr<Generation> previous;
  int64_t invalidations = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fresh(now)) return current_;  // another reader rebuilt it meanwhile
    previous = current_;
    invalidations = invalidations_;
  }
  absl::StatusOr<std::string> marker = ReadValue<std::string>(
      context_.store, [](ports::StoreTransaction& txn) { return ReadStatusVersion(txn); });
  if (!marker.ok()) {
    if (previous == nullptr) return marker.status();
    // Serve the last snapshot; look at the store again after the usual interval.
    std::lock_guard<std::mutex> lock(mutex_);
    checked_at_ = now;
    return previous;
  }
  if (previous != nullptr && previous->marker == *marker && now - previous->built_at < max_age_) {
    std::lock_guard<std::mutex> lock(mutex_);
    checked_at_ = now;
    built_after_ = invalidations;
    return previous;
  }
  absl::StatusOr<StatusPageSnapshot> snapshot =
      ReadValue<StatusPageSnapshot>(context_.store, [this, now](ports::StoreTransaction& txn) {
        return BuildStatusPageSnapshot(txn, context_.public_url, now);
      });
  if (!snapshot.ok()) {
    if (previous == nullptr) return snapshot.status();
    std::lock_guard<std::mutex> lock(mutex_);
    checked_at_ = now;
    return previous;
  }
  auto generation = std::make_shared<Generation>();
  generation->snapshot = std::make_shared<const StatusPageSnapshot>(*std::move(snapshot));
  generation->marker = *marker;
  generation->built_at = now;
  std::lock_guard<std::mutex> lock(mutex_);
  generation->number = next_number_++;
  current_ = generation;
  checked_at_ = now;
  built_after_ = invalidations;
  return current_;
}

absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> StatusPageCache::Snapshot() {
  absl::StatusOr<std::shared_ptr<Generation>> generation = Current();
  if (!generation.ok()) return generation.status();
  return (*generation)->snapshot;
}

absl::StatusOr<std::shared_ptr<const CachedDocument>> StatusPageCache::Document(
    const std::string& key, const Renderer& render) {
  absl::StatusOr<std::shared_ptr<Generation>> generation = Current();
  if (!generation.ok()) return generation.status();
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = (*generation)->documents.find(key);
  if (found != (*generation)->documents.end()) return found->second;
  auto document = std::make_shared<CachedDocument>();
  document->body = render(*(*generation)->snapshot);
  // From the content alone, so every node gives the same page the same tag.
  document->etag = absl::StrCat("\"", absl::Hex(std::hash<std::string>{}(document->body)), "-",
                                document->body.size(), "\"");
  (*generation)->documents.emplace(key, document);
  return document;
}

}  // namespace casedesk::app

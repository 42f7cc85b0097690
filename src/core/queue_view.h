// The staff console's queues and saved views (issue 5). A queue is one of a fixed set of case
// lists (the shared triage queue, mine, ...); a view is a queue narrowed by severity, group and
// organisation. A person saves the views they use under names of their own; a saved view keeps
// its filter in a canonical query-string form ("queue=mine&severity=2&group=3"), which is also
// the console's URL for it, so a saved view and a bookmarked address are the same thing.
// Thread-safe: values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

using SavedViewId = int64_t;

enum class CaseQueue { kUntriaged, kMine, kMyGroups, kBreachingSoon, kOnHold, kBySeverity };

inline constexpr std::array<std::pair<CaseQueue, std::string_view>, 6> kCaseQueueNames{{
    {CaseQueue::kUntriaged, "untriaged"},
    {CaseQueue::kMine, "mine"},
    {CaseQueue::kMyGroups, "groups"},
    {CaseQueue::kBreachingSoon, "breaching"},
    {CaseQueue::kOnHold, "on_hold"},
    {CaseQueue::kBySeverity, "severity"},
}};

struct QueueViewFilter {
  CaseQueue queue = CaseQueue::kUntriaged;
  int severity_level = 0;  // 0: any severity; 1..4 narrows (kBySeverity always has one)
  std::optional<GroupId> group_id;
  std::optional<OrgId> org_id;

  friend bool operator==(const QueueViewFilter&, const QueueViewFilter&) = default;
};

// "queue=mine&severity=2&group=3&org=9": the keys in this order, the unset ones left out.
std::string EncodeQueueViewFilter(const QueueViewFilter& filter);

// The inverse, for a stored filter or a URL's query (unknown keys are ignored, so a URL's
// cursor or notice does not get in the way). "" is the untriaged queue. InvalidArgument naming
// the key for an unknown queue, a severity outside 1..4 or an id that is not a positive number.
// kBySeverity without a severity gets severity 1.
absl::StatusOr<QueueViewFilter> DecodeQueueViewFilter(std::string_view query);

// The same from key/value pairs already split and unescaped (a parsed URL query, or an API
// body's fields as text): the same keys, rules and errors; a key given twice takes the last.
absl::StatusOr<QueueViewFilter> QueueViewFilterFromPairs(
    const std::vector<std::pair<std::string, std::string>>& pairs);

inline constexpr int kMaxSavedViewsPerUser = 20;
inline constexpr int kMaxViewNameLength = 60;

// A view's name: 1..kMaxViewNameLength characters after trimming, no control characters.
// Returns the trimmed name, or InvalidArgument naming the field `name`.
absl::StatusOr<std::string> CheckViewName(std::string_view name);

struct SavedView {
  SavedViewId id = 0;
  UserId user_id = 0;
  std::string name;
  QueueViewFilter filter;
  absl::Time created_at = absl::InfinitePast();
};

}  // namespace casedesk::core

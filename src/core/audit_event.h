// Immutable audit events: who changed what, when, from what to what, and why. Every state change
// writes one in the same transaction as the change. Thread-safe: value types.
#pragma once

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

struct FieldChange {
  std::string field;
  std::string before;
  std::string after;
};

struct AuditEvent {
  EventId id = 0;
  std::string entity;     // "case", "organisation", "user", "group", "plan", "token"
  std::string entity_id;  // case number or id, as text
  CaseNumber case_number = 0;  // set for events about a case (0 otherwise)
  UserId actor_id = 0;         // 0 for the system
  absl::Time at = absl::InfinitePast();
  std::string kind;  // "case.created", "case.status_changed", "comment.added", ...
  std::vector<FieldChange> changes;
  std::string reason;
};

// Appends a change record when before != after.
inline void RecordChange(std::vector<FieldChange>& changes, std::string field, std::string before,
                         std::string after) {
  if (before != after) {
    changes.push_back({std::move(field), std::move(before), std::move(after)});
  }
}

}  // namespace casedesk::core

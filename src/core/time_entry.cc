#include "core/time_entry.h"

#include <string>

namespace casedesk::core {

std::string_view ActivityLabel(Activity activity) {
  switch (activity) {
    case Activity::kRelationshipManagement:
      return "Relationship management";
    case Activity::kIncidentProblemManagement:
      return "Incident and problem management";
    case Activity::kConfigurationManagement:
      return "Configuration management";
    case Activity::kServiceLevelManagement:
      return "Service-level management";
    case Activity::kFinance:
      return "Finance";
  }
  return "Other";
}

std::string_view HoursKindLabel(HoursKind kind) {
  return kind == HoursKind::kTraining ? "Training hours" : "Customer-success hours";
}

absl::Status ValidateTimeEntry(const TimeEntry& entry, absl::Time now) {
  if (entry.minutes < 1 || entry.minutes > kMaxEntryMinutes) {
    return absl::InvalidArgumentError("minutes: must be a whole number from 1 to 1440");
  }
  if (entry.note.size() > kMaxEntryNoteBytes) {
    return absl::InvalidArgumentError("note: at most 4000 bytes");
  }
  for (unsigned char c : entry.note) {
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) {
      return absl::InvalidArgumentError("note: must not hold control characters");
    }
  }
  if (entry.worked_at == absl::InfinitePast() || entry.worked_at == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("worked_at: required");
  }
  if (entry.worked_at > now + absl::Hours(24)) {
    return absl::InvalidArgumentError("worked_at: must not be more than a day in the future");
  }
  if (entry.org_id <= 0) return absl::InvalidArgumentError("org_id: required");
  if (entry.author_id <= 0) return absl::InvalidArgumentError("author_id: required");
  return absl::OkStatus();
}

}  // namespace casedesk::core

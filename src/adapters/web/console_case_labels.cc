#include "adapters/web/console_case_labels.h"

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/utc_time.h"

namespace casedesk::adapters::web {

std::string_view CaseStatusText(core::CaseStatus status) {
  switch (status) {
    case core::CaseStatus::kNew:
      return "New";
    case core::CaseStatus::kOpen:
      return "Open";
    case core::CaseStatus::kPending:
      return "Pending";
    case core::CaseStatus::kOnHold:
      return "On hold";
    case core::CaseStatus::kSolved:
      return "Solved";
    case core::CaseStatus::kClosed:
      return "Closed";
  }
  return "Unknown";
}

std::string SeverityText(core::Severity severity) {
  std::string_view name = "Other";
  switch (severity) {
    case core::Severity::kCritical:
      name = "Critical";
      break;
    case core::Severity::kMajor:
      name = "Major";
      break;
    case core::Severity::kMinor:
      name = "Minor";
      break;
    case core::Severity::kOther:
      name = "Other";
      break;
  }
  return absl::StrCat(core::SeverityLevel(severity), " · ", std::string(name));
}

std::string_view SeverityIcon(core::Severity severity) {
  switch (severity) {
    case core::Severity::kCritical:
      return "!!";
    case core::Severity::kMajor:
      return "!";
    case core::Severity::kMinor:
      return "\u2022";
    case core::Severity::kOther:
      return "\u25CB";
  }
  return "";
}

std::string_view ClockText(core::SlaClockKind kind) {
  switch (kind) {
    case core::SlaClockKind::kFirstResponse:
      return "First response";
    case core::SlaClockKind::kNextUpdate:
      return "Next update";
    case core::SlaClockKind::kResolution:
      return "Resolution";
    case core::SlaClockKind::kTriage:
      return "Triage";
    case core::SlaClockKind::kStatusNotification:
      return "Status notification";
    case core::SlaClockKind::kEstimate:
      return "Estimate";
  }
  return "Clock";
}

std::string_view ClockStateText(core::SlaClockState state) {
  switch (state) {
    case core::SlaClockState::kNotStarted:
      return "Not started";
    case core::SlaClockState::kRunning:
      return "Running";
    case core::SlaClockState::kPaused:
      return "Paused";
    case core::SlaClockState::kStopped:
      return "Stopped";
    case core::SlaClockState::kAchieved:
      return "Achieved";
  }
  return "Unknown";
}

std::string EventKindText(std::string_view kind) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTexts = {{
      {"case.created", "Case opened"},
      {"case.updated", "Case changed"},
      {"case.secrets_erased", "Secret fields erased"},
      {"comment.added", "Public reply"},
      {"note.added", "Internal note"},
      {"attachment.added", "File attached"},
      {"attachment.internal_added", "Internal file attached"},
      {"case.escalated", "Escalated"},
      {"case.escalation_requested", "Escalation requested"},
      {"sla.warning", "SLA warning"},
      {"sla.breached", "SLA breached"},
      {"case.severity_flagged", "Severity flagged as misused"},
      {"case.status_changed", "Status changed"},
      {"case.severity_changed", "Severity changed"},
  }};
  for (const auto& [known, text] : kTexts) {
    if (known == kind) return std::string(text);
  }
  return std::string(kind);
}

std::string PersonName(const std::map<core::UserId, std::string>& names, core::UserId id) {
  if (id == 0) return "the system";
  const auto found = names.find(id);
  return found == names.end() ? absl::StrCat("user ", id) : found->second;
}

std::string IsoTime(absl::Time time) {
  return core::FormatUtcSeconds(time);
}

std::string ShortTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
}

namespace {

// "2 h 5 min", "12 min", "3 d 4 h" at minute precision (at least one minute).
std::string SpanText(absl::Duration span) {
  int64_t minutes = absl::ToInt64Minutes(span);
  if (minutes < 1) minutes = 1;
  const int64_t days = minutes / (24 * 60);
  const int64_t hours = (minutes / 60) % 24;
  const int64_t rest = minutes % 60;
  if (days > 0)
    return hours > 0 ? absl::StrCat(days, " d ", hours, " h") : absl::StrCat(days, " d");
  if (hours > 0)
    return rest > 0 ? absl::StrCat(hours, " h ", rest, " min") : absl::StrCat(hours, " h");
  return absl::StrCat(rest, " min");
}

}  // namespace

std::string CountdownText(absl::Time due, absl::Time now) {
  const absl::Duration left = due - now;
  if (left >= absl::Minutes(1)) return absl::StrCat("in ", SpanText(left));
  if (left > -absl::Minutes(1)) return "due now";
  return absl::StrCat("overdue by ", SpanText(-left));
}

}  // namespace casedesk::adapters::web

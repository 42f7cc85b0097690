#include "adapters/web/portal_text.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace casedesk::adapters::web {

std::string PortalStatusText(core::CaseStatus status) {
  switch (status) {
    case core::CaseStatus::kNew:
      return "New";
    case core::CaseStatus::kOpen:
      return "Open";
    case core::CaseStatus::kPending:
      return "Waiting for you";
    case core::CaseStatus::kOnHold:
      return "On hold";
    case core::CaseStatus::kSolved:
      return "Solved";
    case core::CaseStatus::kClosed:
      return "Closed";
  }
  return "Unknown";
}

std::string PortalSeverityText(core::Severity severity) {
  switch (severity) {
    case core::Severity::kCritical:
      return "1 Critical";
    case core::Severity::kMajor:
      return "2 Major";
    case core::Severity::kMinor:
      return "3 Minor";
    case core::Severity::kOther:
      return "4 Other";
  }
  return "Unknown";
}

std::string PortalCategoryText(core::Category category) {
  switch (category) {
    case core::Category::kIncident:
      return "Incident";
    case core::Category::kServiceRequest:
      return "Service request";
    case core::Category::kQuestion:
      return "Question";
    case core::Category::kProblem:
      return "Problem";
  }
  return "Unknown";
}

std::string IntakeFieldLabel(std::string_view key) {
  if (key == "server_name") return "Server name";
  if (key == "external_ip") return "External IP address";
  if (key == "stack") return "Stack";
  if (key == "error_text") return "Error message";
  if (key == "steps_tried") return "Steps already tried";
  if (key == "customer_alias") return "Customer name and alias";
  return std::string(key);
}

std::string FileSizeText(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, bytes == 1 ? " byte" : " bytes");
  if (bytes < 1024 * 1024) return absl::StrCat((bytes + 512) / 1024, " KB");
  if (bytes % (1024 * 1024) == 0) return absl::StrCat(bytes / (1024 * 1024), " MB");
  return absl::StrFormat("%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
}

std::string LocalTimeText(absl::Time time, absl::Time now, absl::TimeZone zone) {
  const absl::CivilDay day = absl::ToCivilDay(time, zone);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  if (day == today) return absl::FormatTime("%H:%M", time, zone);
  // "Tue 4 Nov": the day of the month without padding.
  const std::string date = absl::StrCat(absl::FormatTime("%a ", time, zone), day.day(),
                                        absl::FormatTime(" %b", time, zone));
  const std::string year = day.year() == today.year() ? "" : absl::StrCat(" ", day.year());
  return absl::StrCat(date, year, ", ", absl::FormatTime("%H:%M", time, zone));
}

std::string PromiseText(const app::PortalPromise& promise, absl::Time now, absl::TimeZone zone) {
  const std::string when =
      promise.due ? absl::StrCat(LocalTimeText(*promise.due, now, zone), " your time") : "";
  switch (promise.kind) {
    case app::PromiseKind::kFirstReply:
      return promise.late
                 ? absl::StrCat("Our reply was due by ", when, "; it is late and we are on it.")
                 : absl::StrCat("We will reply by ", when, ".");
    case app::PromiseKind::kNextUpdate:
      return promise.late ? absl::StrCat("Our next update was due by ", when,
                                         "; it is late and we are on it.")
                          : absl::StrCat("Next update by ", when, ".");
    case app::PromiseKind::kWaitingOnYou:
      return "We are waiting for your reply.";
    case app::PromiseKind::kSolved:
      return "Solved: no reply is due.";
    case app::PromiseKind::kNone:
      break;
  }
  return "We will reply as soon as we can.";
}

}  // namespace casedesk::adapters::web

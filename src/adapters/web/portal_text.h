// The portal's words for what it shows: case statuses, severities and categories as customers
// read them, file sizes, times in the customer's own time zone, and the SLA promise in plain
// words ("We will reply by 14:00 your time"). Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "app/portal_promise.h"
#include "core/case.h"
#include "core/severity.h"

namespace casedesk::adapters::web {

// "New", "Open", "Waiting for you", "On hold", "Solved", "Closed".
std::string PortalStatusText(core::CaseStatus status);
// "1 Critical", "2 Major", "3 Minor", "4 Other".
std::string PortalSeverityText(core::Severity severity);
// "Incident", "Service request", "Question", "Problem".
std::string PortalCategoryText(core::Category category);
// The label of an intake field kept on a case ("server_name" -> "Server name"); other keys as
// they are.
std::string IntakeFieldLabel(std::string_view key);
// "512 bytes", "12 KB", "3.4 MB".
std::string FileSizeText(int64_t bytes);

// "14:00" when `time` falls on the same local day as `now`, else "Tue 24 Nov, 14:00"
// (with the year when it differs).
std::string LocalTimeText(absl::Time time, absl::Time now, absl::TimeZone zone);

// The promise as one sentence, e.g. "We will reply by 14:00 your time.",
// "Next update by Tue 24 Nov, 09:30 your time.", "Our reply was due by 14:00 your time; it is
// late and we are on it.", "We are waiting for your reply.", "Solved: no reply is due.",
// "We will reply as soon as we can."
std::string PromiseText(const app::PortalPromise& promise, absl::Time now, absl::TimeZone zone);

}  // namespace casedesk::adapters::web

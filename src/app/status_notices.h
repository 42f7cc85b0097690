// Fans status notices out: each StatusNotice (one incident or maintenance update to announce)
// becomes a mail in the outbox for every verified user who has not opted out and every
// confirmed visitor, and a signed delivery for every webhook, each only when its component
// choice covers the event. Recipients are taken in id order, a chunk per unit of work, with the
// notice's cursors moved in the same unit, so a crash or a lost lease resumes where it stopped
// and nobody gets the same notice twice. Several nodes may run this: a notice is leased to one.
// Thread-safe: functions over the thread-safe ports.
#pragma once

#include <atomic>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"

namespace casedesk::app {

inline constexpr std::string_view kStatusWebhookKind = "status.webhook";

struct StatusNoticeOptions {
  int chunk = 2000;                         // recipients per unit of work
  absl::Duration lease = absl::Minutes(2);  // renewed by every chunk
};

struct StatusNoticeReport {
  int notices = 0;     // notices finished
  int64_t queued = 0;  // mails and webhook deliveries queued
};

// Claims due notices one at a time and fans each out, until none is left or `stopping` is set.
absl::StatusOr<StatusNoticeReport> FanOutStatusNotices(AppContext& context,
                                                       const StatusNoticeOptions& options,
                                                       const std::atomic<bool>* stopping);

}  // namespace casedesk::app

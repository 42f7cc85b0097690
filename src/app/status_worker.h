// The status page's background work on each node: moving automatic maintenance at its edges
// and fanning out subscriber notices. Wakes at the next maintenance edge, when woken after a
// status change, and at least every `poll` (changes made on other nodes).
// Thread-safe: Start/Stop/Wake from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/status_notices.h"

namespace casedesk::app {

class StatusWorker {
 public:
  explicit StatusWorker(AppContext& context, absl::Duration poll = absl::Seconds(2),
                        StatusNoticeOptions notices = {});
  ~StatusWorker();
  StatusWorker(const StatusWorker&) = delete;
  StatusWorker& operator=(const StatusWorker&) = delete;

  void Start();
  // Finishes the chunk under way (its lease expires if the process dies instead) and joins.
  void Stop();
  void Wake();

  // The last pass's error (a store outage), OK when it worked.
  absl::Status last_error() const;

 private:
  void Run();
  absl::Status Pass();

  AppContext& context_;
  const absl::Duration poll_;
  const StatusNoticeOptions notices_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;       // guarded by mutex_
  absl::Status last_error_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace casedesk::app

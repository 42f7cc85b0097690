// Expires remote access grants at their window's end on each node (app/remote_access.h,
// ExpireEndedRemoteAccess): every `poll` it stores the expiry of the requests whose window has
// ended, one unit of work each, claimed by a conditional update so that with several nodes, and
// across restarts, each expiry (its event and the erasure of its credentials) happens once.
// Readers never wait for it: the status they see is computed from the window (a grant reads
// as expired from its end on); the worker makes the store and the audit trail agree.
// Thread-safe: Start/Stop from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "app/app_context.h"

namespace casedesk::app {

class RemoteAccessWorker {
 public:
  explicit RemoteAccessWorker(AppContext& context, absl::Duration poll = absl::Seconds(2));
  ~RemoteAccessWorker();
  RemoteAccessWorker(const RemoteAccessWorker&) = delete;
  RemoteAccessWorker& operator=(const RemoteAccessWorker&) = delete;

  void Start();
  // Finishes the expiry under way and joins.
  void Stop();

  // One pass now, on the calling thread: how many requests it expired.
  absl::StatusOr<int> RunOnce();

  // The last pass's error (a store outage), OK when it worked.
  absl::Status last_error() const;

 private:
  void Run();

  AppContext& context_;
  const absl::Duration poll_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  absl::Status last_error_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace casedesk::app

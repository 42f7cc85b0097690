// The background loop that fires durable timers on time. The store holds every armed timer (a
// million cost only disk and an index); the loop asks the store for the earliest due instant,
// sleeps until then -- at most `max_sleep`, so timers armed by other nodes or units of work are
// seen within that bound -- and fires what is due (see timer_firing.h). On start it fires
// everything that fell due while the desk was down. Recomputations after a policy change run on
// the same thread, between passes.
// Thread-safe: Start and Stop from one owning thread; Wake from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "app/app_context.h"

namespace casedesk::app {

struct TimerSchedulerOptions {
  absl::Duration max_sleep = absl::Milliseconds(250);
  int batch = 500;  // timers fired per pass
  absl::Duration retry_after_error = absl::Seconds(1);
};

class TimerScheduler {
 public:
  explicit TimerScheduler(AppContext& context, TimerSchedulerOptions options = {});
  ~TimerScheduler();
  TimerScheduler(const TimerScheduler&) = delete;
  TimerScheduler& operator=(const TimerScheduler&) = delete;

  void Start();
  // Finishes the pass in progress and joins the thread.
  void Stop();
  // Look again now (a unit of work armed a timer due soon).
  void Wake();
  // Recompute the open cases of `plan` ("" = every plan) on the scheduler's thread.
  void RequestRecompute(const std::string& plan);

  int64_t fired_total() const;

 private:
  void Run();
  void RecomputeRequested();
  // Sleeps until `until` (wall time of the context's clock), a Wake or Stop.
  void SleepUntil(absl::Time until);

  AppContext& context_;
  const TimerSchedulerOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  bool woken_ = false;
  std::set<std::string> recompute_plans_;  // guarded by mutex_
  int64_t fired_total_ = 0;
  std::thread thread_;
};

}  // namespace casedesk::app

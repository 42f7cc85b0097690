#include "app/timer_scheduler.h"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "app/sla_recompute.h"
#include "app/timer_firing.h"
#include "app/store_calls.h"

namespace casedesk::app {

TimerScheduler::TimerScheduler(AppContext& context, TimerSchedulerOptions options)
    : context_(context), options_(options) {}

TimerScheduler::~TimerScheduler() { Stop(); }

void TimerScheduler::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void TimerScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerScheduler::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

void TimerScheduler::RequestRecompute(const std::string& plan) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    recompute_plans_.insert(plan);
  }
  changed_.notify_all();
}

int64_t TimerScheduler::fired_total() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fired_total_;
}

void TimerScheduler::SleepUntil(absl::Time until) {
  const absl::Duration wait = std::max(absl::ZeroDuration(), until - context_.clock.Now());
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_for(lock, absl::ToChronoMicroseconds(wait),
                    [this] { return stopping_ || woken_ || !recompute_plans_.empty(); });
  woken_ = false;
}

void TimerScheduler::RecomputeRequested() {
  std::set<std::string> plans;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    plans.swap(recompute_plans_);
  }
  if (plans.contains("")) plans = {""};
  for (const std::string& plan : plans) {
    absl::StatusOr<int64_t> count = RecomputeOpenCases(context_, plan, context_.clock.Now());
    if (!count.ok()) {
      std::cerr << "SLA recomputation for plan \"" << plan << "\" failed: " << count.status()
                << std::endl;
    }
  }
}

void TimerScheduler::Run() {
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) return;
    }
    RecomputeRequested();
    const absl::Time now = context_.clock.Now();
    absl::StatusOr<int> fired = FireDueTimers(context_, now, options_.batch);
    if (!fired.ok()) {
      // The store is unavailable or a timer cannot fire: report it and try again shortly; the
      // timers stay armed, nothing is lost.
      std::cerr << "timer scheduler: " << fired.status() << std::endl;
      SleepUntil(context_.clock.Now() + options_.retry_after_error);
      continue;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      fired_total_ += *fired;
    }
    if (*fired >= options_.batch) continue;  // more may be due already
    absl::StatusOr<std::optional<absl::Time>> next = ReadValue<std::optional<absl::Time>>(
        context_.store, [](ports::StoreTransaction& txn) { return txn.NextTimerDue(); });
    absl::Time wake = context_.clock.Now() + options_.max_sleep;
    if (next.ok() && next->has_value()) wake = std::min(wake, **next);
    SleepUntil(wake);
  }
}

}  // namespace casedesk::app

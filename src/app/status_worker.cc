#include "app/status_worker.h"

#include <algorithm>
#include <optional>

#include "app/status_maintenance.h"
#include "app/store_calls.h"

namespace casedesk::app {

StatusWorker::StatusWorker(AppContext& context, absl::Duration poll, StatusNoticeOptions notices)
    : context_(context), poll_(poll), notices_(notices) {}

StatusWorker::~StatusWorker() { Stop(); }

void StatusWorker::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void StatusWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StatusWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

absl::Status StatusWorker::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

absl::Status StatusWorker::Pass() {
  absl::StatusOr<int> moved = AdvanceDueMaintenance(context_);
  if (!moved.ok()) return moved.status();
  absl::StatusOr<StatusNoticeReport> fanned = FanOutStatusNotices(context_, notices_, &stopping_);
  return fanned.status();
}

void StatusWorker::Run() {
  while (!stopping_.load()) {
    const absl::Status error = Pass();
    absl::Duration wait = poll_;
    if (error.ok()) {
      absl::StatusOr<std::optional<absl::Time>> edge = ReadValue<std::optional<absl::Time>>(
          context_.store, [](ports::StoreTransaction& txn) { return txn.NextMaintenanceEdge(); });
      if (edge.ok() && edge->has_value()) {
        wait = std::clamp(**edge - context_.clock.Now(), absl::ZeroDuration(), poll_);
      }
    }
    std::unique_lock<std::mutex> lock(mutex_);
    last_error_ = error;
    changed_.wait_for(lock, absl::ToChronoMilliseconds(wait) + std::chrono::milliseconds(1),
                      [this] { return stopping_.load() || woken_; });
    woken_ = false;
  }
}

}  // namespace casedesk::app

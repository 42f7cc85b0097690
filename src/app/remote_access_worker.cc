#include "app/remote_access_worker.h"

#include "app/remote_access.h"

namespace casedesk::app {

RemoteAccessWorker::RemoteAccessWorker(AppContext& context, absl::Duration poll)
    : context_(context), poll_(poll) {}

RemoteAccessWorker::~RemoteAccessWorker() { Stop(); }

void RemoteAccessWorker::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void RemoteAccessWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<int> RemoteAccessWorker::RunOnce() {
  int total = 0;
  // Batches of 100 until none is left, so a backlog after downtime clears in one pass.
  while (!stopping_.load()) {
    absl::StatusOr<int> expired = ExpireEndedRemoteAccess(context_, context_.clock.Now(), 100);
    if (!expired.ok()) return expired.status();
    total += *expired;
    if (*expired < 100) break;
  }
  return total;
}

absl::Status RemoteAccessWorker::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

void RemoteAccessWorker::Run() {
  while (!stopping_.load()) {
    const absl::Status error = RunOnce().status();
    std::unique_lock<std::mutex> lock(mutex_);
    last_error_ = error;
    changed_.wait_for(lock, absl::ToChronoMilliseconds(poll_), [this] { return stopping_.load(); });
  }
}

}  // namespace casedesk::app

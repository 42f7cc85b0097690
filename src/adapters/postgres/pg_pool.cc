#include "adapters/postgres/pg_pool.h"

#include <utility>

namespace casedesk::adapters::postgres {

PgLease::~PgLease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Release(std::move(connection_));
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgPool::Connect() {
  absl::StatusOr<std::unique_ptr<PgConnection>> connection = PgConnection::Connect(conninfo_);
  if (connection.ok()) {
    opened_.fetch_add(1, std::memory_order_relaxed);
  } else {
    connect_failures_.fetch_add(1, std::memory_order_relaxed);
  }
  return connection;
}

absl::StatusOr<PgLease> PgPool::Acquire() {
  const auto take_idle = [this]() -> std::unique_ptr<PgConnection> {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.empty()) return nullptr;
    std::unique_ptr<PgConnection> connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  };
  std::unique_ptr<PgConnection> connection;
  while (connection == nullptr) {
    connection = take_idle();
    if (connection == nullptr) break;
    // The answer to a read's COMMIT has normally arrived by now. A connection that broke while
    // idle (server restart: CheckHealthy reads what the server sent) is found here and dropped.
    if (!connection->FinishPending().ok() || !connection->CheckHealthy() ||
        connection->InTransaction()) {
      connection.reset();
      discarded_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  if (connection == nullptr) {
    absl::StatusOr<std::unique_ptr<PgConnection>> opened = Connect();
    if (!opened.ok()) return opened.status();
    connection = std::move(*opened);
  }
  in_use_.fetch_add(1, std::memory_order_relaxed);
  return PgLease(this, std::move(connection));
}

void PgPool::Release(std::unique_ptr<PgConnection> connection) {
  in_use_.fetch_sub(1, std::memory_order_relaxed);
  // A connection whose last command's answer is still on its way (a read's COMMIT) counts as
  // inside a transaction until that answer is read; Acquire reads it.
  if (!connection->IsHealthy() ||
      (connection->InTransaction() && !connection->HasPendingAnswer())) {
    discarded_.fetch_add(1, std::memory_order_relaxed);
    return;  // closed here; the next Acquire opens a fresh one
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
}

PgPoolStats PgPool::Stats() const {
  PgPoolStats stats;
  stats.opened = opened_.load(std::memory_order_relaxed);
  stats.discarded = discarded_.load(std::memory_order_relaxed);
  stats.connect_failures = connect_failures_.load(std::memory_order_relaxed);
  stats.in_use = in_use_.load(std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mutex_);
  stats.idle = idle_.size();
  return stats;
}

}  // namespace casedesk::adapters::postgres

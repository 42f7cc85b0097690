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
  std::unique_ptr<PgConnection> connection;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // A connection that broke while idle (server restart) is found here and dropped.
    while (!idle_.empty() && connection == nullptr) {
      connection = std::move(idle_.back());
      idle_.pop_back();
      if (!connection->IsHealthy()) {
        connection.reset();
        discarded_.fetch_add(1, std::memory_order_relaxed);
      }
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
  if (!connection->IsHealthy() || connection->InTransaction()) {
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

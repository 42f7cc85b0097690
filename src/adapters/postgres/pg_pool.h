// A small pool of PostgreSQL connections for reads (and for maintenance such as migrations).
// Acquire hands out an idle connection or opens a new one; a lease returns its connection on
// destruction unless the connection broke or was left inside a transaction, in which case it
// is closed, so a server restart is recovered from on the next use (reconnect on demand).
//
// Thread-safety: thread-safe. A leased connection is used only by the thread holding the lease.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/postgres/pg_connection.h"

namespace casedesk::adapters::postgres {

class PgPool;

// Exclusive use of one pooled connection.
class PgLease {
 public:
  PgLease(PgPool* pool, std::unique_ptr<PgConnection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PgLease(PgLease&& other) noexcept = default;
  PgLease& operator=(PgLease&&) = delete;
  PgLease(const PgLease&) = delete;
  ~PgLease();

  PgConnection& operator*() { return *connection_; }
  PgConnection* operator->() { return connection_.get(); }

 private:
  PgPool* pool_;
  std::unique_ptr<PgConnection> connection_;
};

struct PgPoolStats {
  uint64_t opened = 0;          // connections opened since start
  uint64_t discarded = 0;       // connections closed because they broke
  uint64_t connect_failures = 0;
  size_t idle = 0;
  size_t in_use = 0;
};

class PgPool {
 public:
  PgPool(std::string conninfo, size_t max_idle) : conninfo_(std::move(conninfo)), max_idle_(max_idle) {}
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // An idle connection, or a new one (Unavailable when the server cannot be reached).
  absl::StatusOr<PgLease> Acquire();
  // Opens a connection outside the pool (the writer threads own theirs).
  absl::StatusOr<std::unique_ptr<PgConnection>> Connect();
  PgPoolStats Stats() const;

 private:
  friend class PgLease;
  void Release(std::unique_ptr<PgConnection> connection);

  const std::string conninfo_;
  const size_t max_idle_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
  std::atomic<size_t> in_use_{0};
  std::atomic<uint64_t> opened_{0};
  std::atomic<uint64_t> discarded_{0};
  std::atomic<uint64_t> connect_failures_{0};
};

}  // namespace casedesk::adapters::postgres

// The one PostgreSQL test server of a test executable: started on first use by
// SharedPostgresServer, stopped after the last test by a GoogleTest environment that including
// this header registers. Thread-safety: SharedPostgresServer is thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "test/support/postgres_server.h"

namespace casedesk::test_support {

// The one server of this test executable, started on first use.
inline std::mutex& SharedPostgresServerMutex() {
  static std::mutex mutex;
  return mutex;
}
inline std::unique_ptr<PostgresTestServer>& SharedPostgresServerSlot() {
  static std::unique_ptr<PostgresTestServer> server;
  return server;
}

inline absl::StatusOr<PostgresTestServer*> SharedPostgresServer() {
  std::lock_guard<std::mutex> lock(SharedPostgresServerMutex());
  std::unique_ptr<PostgresTestServer>& server = SharedPostgresServerSlot();
  if (server == nullptr) {
    absl::StatusOr<std::unique_ptr<PostgresTestServer>> started = PostgresTestServer::Start();
    if (!started.ok()) return started.status();
    server = std::move(*started);
  }
  return server.get();
}

// Stops the shared server (if one was started) after the last test.
class PostgresServerEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    std::lock_guard<std::mutex> lock(SharedPostgresServerMutex());
    SharedPostgresServerSlot().reset();
  }
};

inline ::testing::Environment* const kPostgresServerEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresServerEnvironment);

}  // namespace casedesk::test_support

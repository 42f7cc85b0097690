// Small helpers every use case shares: run a unit of work that yields a value, either asynchronously through Store::Write (the value
// reaches `done` only after the durable commit) or synchronously through Store::Read, and build
// audit events. Thread-safe: stateless functions over the thread-safe Store.
#pragma once

#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/audit_event.h"
#include "core/ids.h"
#include "ports/store.h"

namespace casedesk::app {

template <typename T>
using ValueWork = std::function<absl::StatusOr<T>(ports::StoreTransaction&)>;

// Receives a use case's outcome; for writes, only after the durable commit.
template <typename T>
using Done = std::function<void(absl::StatusOr<T>)>;

// Runs `work` in a write transaction; `done` gets its value once the commit is durable, or the
// first error (from the work or from the store). The work may run on a store thread and, if the
// store retries a grouped commit, more than once: it must only return its value, never keep
// state of its own between runs.
template <typename T>
void WriteValue(ports::Store& store, ValueWork<T> work, Done<T> done,
                ports::WriteHints hints = {}) {
  auto result = std::make_shared<std::optional<T>>();
  store.WriteWithHints(
      [work = std::move(work), result](ports::StoreTransaction& txn) -> absl::Status {
        absl::StatusOr<T> outcome = work(txn);
        if (!outcome.ok()) return outcome.status();
        *result = *std::move(outcome);
        return absl::OkStatus();
      },
      [result, done = std::move(done)](absl::Status status) {
        if (!status.ok()) {
          done(std::move(status));
        } else if (!result->has_value()) {
          done(absl::InternalError("a committed unit of work produced no value"));
        } else {
          done(std::move(**result));
        }
      },
      hints);
}

// Runs `work` against a read snapshot on the calling thread.
template <typename T>
absl::StatusOr<T> ReadValue(ports::Store& store, const ValueWork<T>& work) {
  std::optional<T> result;
  const absl::Status status = store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<T> outcome = work(txn);
    if (!outcome.ok()) return outcome.status();
    result = *std::move(outcome);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *std::move(result);
}

// Blocks until a WriteValue-style call completes; for the command line and tests.
template <typename T>
absl::StatusOr<T> Await(const std::function<void(Done<T>)>& start) {
  auto promise = std::make_shared<std::promise<absl::StatusOr<T>>>();
  auto future = promise->get_future();
  start([promise](absl::StatusOr<T> outcome) { promise->set_value(std::move(outcome)); });
  return future.get();
}

inline core::AuditEvent MakeAuditEvent(std::string entity, std::string entity_id,
                                       core::UserId actor_id, absl::Time at, std::string kind,
                                       std::vector<core::FieldChange> changes = {}) {
  core::AuditEvent event;
  event.entity = std::move(entity);
  event.entity_id = std::move(entity_id);
  event.actor_id = actor_id;
  event.at = at;
  event.kind = std::move(kind);
  event.changes = std::move(changes);
  return event;
}

inline std::string BoolText(bool value) { return value ? "true" : "false"; }

}  // namespace casedesk::app

// A short-lived cache of authenticated callers by token digest, so a request costs one SHA-256
// and a map lookup instead of three store queries. Correctness comes from a generation counter:
// every write that can change who a token belongs to or what they may see (a revoked token, a
// changed user, a changed or new organisation) calls Invalidate() after its durable commit and
// before it answers, and an entry is only used while its generation is current. Entries also
// expire after a few seconds as a backstop. With several nodes the invalidation reaches the
// other nodes' caches through the store (PostgreSQL's NOTIFY). Thread-safe (sharded mutexes).
#pragma once

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/caller.h"

namespace casedesk::app {

class CallerCache {
 public:
  static constexpr absl::Duration kTimeToLive = absl::Seconds(5);
  static constexpr size_t kMaxEntriesPerShard = 4096;

  // Read before the store lookup; pass to Put so an entry read before an invalidation is
  // never served after it.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  std::optional<Caller> Get(std::string_view digest, absl::Time now) const;
  void Put(std::string_view digest, const Caller& caller, uint64_t read_generation,
           absl::Time now);
  void Invalidate() { generation_.fetch_add(1, std::memory_order_acq_rel); }
  // Invalidate() here and on every other node, through the hook the wiring sets (the store's
  // broadcast); writes that change access call this. Set the hook once, before serving.
  void InvalidateEverywhere() {
    Invalidate();
    if (broadcast_) broadcast_();
  }
  void SetBroadcast(std::function<void()> broadcast) { broadcast_ = std::move(broadcast); }

 private:
  struct Entry {
    Caller caller;
    uint64_t generation = 0;
    absl::Time expires_at;
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<std::string, Entry> entries;
  };
  static constexpr size_t kShards = 16;

  Shard& ShardFor(std::string_view digest) const;

  std::atomic<uint64_t> generation_{0};
  mutable std::array<Shard, kShards> shards_;
  std::function<void()> broadcast_;
};

// Wraps a write's completion so the cache is invalidated after the durable commit and before the
// caller hears of it.
template <typename T>
std::function<void(absl::StatusOr<T>)> InvalidateCallersThen(
    std::shared_ptr<CallerCache> callers, std::function<void(absl::StatusOr<T>)> done) {
  return [callers = std::move(callers), done = std::move(done)](absl::StatusOr<T> outcome) {
    if (outcome.ok()) callers->InvalidateEverywhere();
    done(std::move(outcome));
  };
}

}  // namespace casedesk::app

// PgCaseCache: the cases this node has read (each with its organisation and history), kept so
// that reading one again needs no round trip to PostgreSQL. A case read is the desk's most
// frequent request, and on PostgreSQL most of its cost is the round trip (docs/PERFORMANCE.md).
//
// Correctness rests on invalidation, not on expiry:
// - This node's own commits invalidate the cases they changed after COMMIT and before the
//   writer answers, so a node always reads its own writes.
// - Other nodes' commits arrive through the NOTIFY they send on `casedesk_cases` in the same
//   transaction. A case changed on another node may therefore be served as it was for as long
//   as that notification takes to arrive (one trip from PostgreSQL to this node).
// - The cache serves nothing while it is disabled: the store enables it only while its LISTEN
//   connection is up, because notifications sent while it is down are lost.
// - A read may be overtaken by an invalidation: it takes Epoch() before its transaction's first
//   statement, and Put refuses what it read if the case was invalidated (or the cache cleared)
//   after that, so a copy read before a commit is never kept after hearing of the commit.
// - Entries also expire after `time_to_live`, a backstop against a write path that forgot to
//   say which case it changed.
//
// Memory is bounded by `max_bytes` (an estimate of each entry's size); the least recently read
// entries go first. Thread-safe (sharded mutexes).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>

#include "ports/store.h"

namespace casedesk::adapters::postgres {

class PgCaseCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr Clock::duration kDefaultTimeToLive = std::chrono::seconds(5);

  explicit PgCaseCache(size_t max_bytes, Clock::duration time_to_live = kDefaultTimeToLive);

  // Taken before a read transaction's first statement; passed to Put.
  uint64_t Epoch() const { return epoch_.load(std::memory_order_acquire); }

  // The case as last read, or null (absent, expired or disabled).
  std::shared_ptr<const ports::CaseWithHistory> Get(core::CaseNumber number, Clock::time_point now);
  // Keeps `found`, read in a transaction begun after `read_epoch` was taken, unless the case
  // was invalidated since then, the cache is disabled, or the entry alone exceeds the budget.
  void Put(const ports::CaseWithHistory& found, uint64_t read_epoch, Clock::time_point now);

  // A commit changed these cases.
  void Invalidate(std::span<const core::CaseNumber> numbers);
  // Something every entry depends on changed (an organisation), or notifications may have
  // been missed.
  void Clear();
  // Enabling clears first: nothing read while disabled is trusted.
  void SetEnabled(bool enabled);

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t entries = 0;
    uint64_t bytes = 0;
  };
  Stats stats() const;

  // What an entry is counted as against the budget.
  static size_t EstimateBytes(const ports::CaseWithHistory& found);

 private:
  static constexpr size_t kShards = 16;
  // Invalidated case numbers remembered per shard; past this, the shard forgets them all and
  // refuses every read begun before (reads take milliseconds, so this costs a few misses).
  static constexpr size_t kMaxTombstonesPerShard = 4096;

  struct Entry {
    std::shared_ptr<const ports::CaseWithHistory> found;
    size_t bytes = 0;
    Clock::time_point stored_at;
    std::list<core::CaseNumber>::iterator recency;  // position in Shard::recency
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<core::CaseNumber, Entry> entries;
    std::list<core::CaseNumber> recency;  // most recently read first
    // Case number -> epoch of its last invalidation.
    std::unordered_map<core::CaseNumber, uint64_t> invalidated;
    uint64_t refuse_reads_before = 0;  // Put refuses a read epoch below this
    size_t bytes = 0;
  };

  Shard& ShardFor(core::CaseNumber number) {
    return shards_[static_cast<size_t>(number) % kShards];
  }
  // Under the shard's mutex.
  void EraseLocked(Shard& shard, std::unordered_map<core::CaseNumber, Entry>::iterator entry);

  const size_t max_bytes_per_shard_;
  const Clock::duration time_to_live_;
  std::atomic<uint64_t> epoch_{1};
  std::atomic<bool> enabled_{false};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace casedesk::adapters::postgres

// PgNodeCache: rows this node has read, kept so that reading them again needs no round trip to
// PostgreSQL. On PostgreSQL most of a read's cost is the round trip (docs/PERFORMANCE.md), and
// a node reads the same cases, organisations, groups and mail-address states again and again
// (PgNodeCaches).
//
// Correctness rests on invalidation, not on expiry:
// - This node's own commits invalidate what they changed after COMMIT and before the writer
//   answers, so a node always reads its own writes.
// - Other nodes' commits arrive through the NOTIFY they send on `casedesk_cases` in the same
//   transaction. A row changed on another node may therefore be served as it was for as long
//   as that notification takes to arrive (one trip from PostgreSQL to this node).
// - A cache serves nothing while it is disabled: the store enables it only while its LISTEN
//   connection is up, because notifications sent while it is down are lost.
// - A read may be overtaken by an invalidation: it takes Epoch() before its transaction's first
//   statement (a unit of a write batch, which reads committed rows as each statement starts,
//   before the statement), and Put refuses what it read if the key was invalidated (or the
//   cache cleared) after that, so a copy read before a commit is never kept after hearing of
//   the commit.
// - Entries also expire after `time_to_live`, a backstop against a write path that forgot to
//   say what it changed.
//
// Memory is bounded by `budget`, in the units of `cost` (bytes for cases, entries for the
// rest); the least recently read entries go first. Caches may share one epoch counter, so one
// Epoch() taken before a read serves them all. Thread-safe (sharded mutexes).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <unordered_map>

namespace casedesk::adapters::postgres {

template <typename Key, typename Value>
class PgNodeCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Cost = size_t (*)(const Value&);
  static constexpr Clock::duration kDefaultTimeToLive = std::chrono::seconds(5);

  // `epoch`: a counter shared with other caches (null: this cache's own).
  PgNodeCache(size_t budget, Cost cost, std::atomic<uint64_t>* epoch = nullptr,
              Clock::duration time_to_live = kDefaultTimeToLive)
      : budget_per_shard_(budget / kShards),
        cost_(cost),
        epoch_(epoch != nullptr ? *epoch : own_epoch_),
        time_to_live_(time_to_live) {}

  // Taken before the read (see above); passed to Put.
  uint64_t Epoch() const { return epoch_.load(std::memory_order_acquire); }

  // The value as last read, or null (absent, expired or disabled).
  std::shared_ptr<const Value> Get(const Key& key, Clock::time_point now) {
    if (!enabled_.load(std::memory_order_acquire)) return nullptr;
    Shard& shard = ShardFor(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto entry = shard.entries.find(key);
    if (entry != shard.entries.end() && now - entry->second.stored_at >= time_to_live_) {
      EraseLocked(shard, entry);
      entry = shard.entries.end();
    }
    if (entry == shard.entries.end()) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    shard.recency.splice(shard.recency.begin(), shard.recency, entry->second.recency);
    hits_.fetch_add(1, std::memory_order_relaxed);
    return entry->second.value;
  }

  // Keeps `value`, read in a transaction begun after `read_epoch` was taken, unless `key` was
  // invalidated since then, the cache is disabled, or the entry alone exceeds the budget.
  void Put(const Key& key, const Value& value, uint64_t read_epoch, Clock::time_point now) {
    if (!enabled_.load(std::memory_order_acquire)) return;  // checked again under the lock
    const size_t cost = cost_(value);
    if (cost > budget_per_shard_) return;
    auto copy = std::make_shared<const Value>(value);  // outside the lock
    Shard& shard = ShardFor(key);
    std::lock_guard<std::mutex> lock(shard.mutex);
    // Checked under the lock: SetEnabled(false) and Clear take every shard's lock after
    // changing what is checked here, so nothing read before them is kept after them.
    if (!enabled_.load(std::memory_order_acquire)) return;
    if (read_epoch < shard.refuse_reads_before) return;
    if (auto invalidated = shard.invalidated.find(key);
        invalidated != shard.invalidated.end() && read_epoch < invalidated->second) {
      return;  // changed after this read began: what it read may be older than the change
    }
    if (auto existing = shard.entries.find(key); existing != shard.entries.end()) {
      EraseLocked(shard, existing);
    }
    while (shard.cost + cost > budget_per_shard_ && !shard.recency.empty()) {
      EraseLocked(shard, shard.entries.find(shard.recency.back()));
    }
    shard.recency.push_front(key);
    shard.entries.emplace(key, Entry{std::move(copy), cost, now, shard.recency.begin()});
    shard.cost += cost;
  }

  // A commit changed these keys.
  void Invalidate(std::span<const Key> keys) {
    if (keys.empty()) return;
    // Taken after the commit the keys come from: a read that takes this epoch or a later one
    // began after the commit and may keep what it read.
    const uint64_t epoch = NextEpoch();
    for (const Key& key : keys) {
      Shard& shard = ShardFor(key);
      std::lock_guard<std::mutex> lock(shard.mutex);
      if (auto entry = shard.entries.find(key); entry != shard.entries.end()) {
        EraseLocked(shard, entry);
      }
      if (shard.invalidated.size() >= kMaxTombstonesPerShard) {
        shard.invalidated.clear();
        shard.refuse_reads_before = std::max(shard.refuse_reads_before, epoch);
      }
      shard.invalidated[key] = epoch;
    }
  }

  // Everything changed (what every entry depends on), or notifications may have been missed.
  void Clear() {
    const uint64_t epoch = NextEpoch();
    for (Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mutex);
      shard.entries.clear();
      shard.recency.clear();
      shard.invalidated.clear();
      shard.cost = 0;
      shard.refuse_reads_before = std::max(shard.refuse_reads_before, epoch);
    }
  }

  // Enabling clears first: nothing read while disabled is trusted.
  void SetEnabled(bool enabled) {
    if (!enabled) enabled_.store(false, std::memory_order_release);
    Clear();
    if (enabled) enabled_.store(true, std::memory_order_release);
  }

  struct Stats {
    uint64_t hits = 0;
    uint64_t misses = 0;
    uint64_t entries = 0;
    uint64_t cost = 0;
  };
  Stats stats() const {
    Stats stats{.hits = hits_.load(std::memory_order_relaxed),
                .misses = misses_.load(std::memory_order_relaxed)};
    for (const Shard& shard : shards_) {
      std::lock_guard<std::mutex> lock(shard.mutex);
      stats.entries += shard.entries.size();
      stats.cost += shard.cost;
    }
    return stats;
  }

 private:
  static constexpr size_t kShards = 16;
  // Invalidated keys remembered per shard; past this, the shard forgets them all and refuses
  // every read begun before (reads take milliseconds, so this costs a few misses).
  static constexpr size_t kMaxTombstonesPerShard = 4096;

  struct Entry {
    std::shared_ptr<const Value> value;
    size_t cost = 0;
    Clock::time_point stored_at;
    typename std::list<Key>::iterator recency;  // position in Shard::recency
  };
  struct Shard {
    mutable std::mutex mutex;
    std::unordered_map<Key, Entry> entries;
    std::list<Key> recency;                         // most recently read first
    std::unordered_map<Key, uint64_t> invalidated;  // key -> epoch of its last invalidation
    uint64_t refuse_reads_before = 0;               // Put refuses a read epoch below this
    size_t cost = 0;
  };

  uint64_t NextEpoch() { return epoch_.fetch_add(1, std::memory_order_acq_rel) + 1; }
  Shard& ShardFor(const Key& key) { return shards_[std::hash<Key>{}(key) % kShards]; }
  // Under the shard's mutex.
  static void EraseLocked(Shard& shard, typename std::unordered_map<Key, Entry>::iterator entry) {
    shard.cost -= entry->second.cost;
    shard.recency.erase(entry->second.recency);
    shard.entries.erase(entry);
  }

  const size_t budget_per_shard_;
  const Cost cost_;
  std::atomic<uint64_t> own_epoch_{1};
  std::atomic<uint64_t>& epoch_;  // own_epoch_, or one shared with other caches
  const Clock::duration time_to_live_;
  std::atomic<bool> enabled_{false};
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::array<Shard, kShards> shards_;
};

}  // namespace casedesk::adapters::postgres

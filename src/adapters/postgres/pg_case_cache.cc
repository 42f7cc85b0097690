#include "adapters/postgres/pg_case_cache.h"

#include <algorithm>

namespace casedesk::adapters::postgres {

PgCaseCache::PgCaseCache(size_t max_bytes, Clock::duration time_to_live)
    : max_bytes_per_shard_(max_bytes / kShards), time_to_live_(time_to_live) {}

size_t PgCaseCache::EstimateBytes(const ports::CaseWithHistory& found) {
  // Each node-based container element also costs its node: about two pointers.
  constexpr size_t kNode = 2 * sizeof(void*);
  const core::Case& c = found.record;
  size_t bytes = sizeof(ports::CaseWithHistory) + c.subject.capacity() + c.description.capacity() +
                 c.product.capacity() + c.component.capacity() + c.partner_reference.capacity() +
                 c.sealed_secrets.capacity() + c.followers.capacity() * sizeof(core::UserId);
  for (const auto& [name, value] : c.fields) {
    bytes += kNode + sizeof(std::pair<const std::string, std::string>) + name.capacity() +
             value.capacity();
  }
  bytes += found.org.name.capacity() + found.org.plan.capacity() + found.org.time_zone.capacity();
  for (const core::AuditEvent& event : found.events) {
    bytes += sizeof(core::AuditEvent) + event.entity.capacity() + event.entity_id.capacity() +
             event.kind.capacity() + event.reason.capacity();
    for (const core::FieldChange& change : event.changes) {
      bytes += sizeof(core::FieldChange) + change.field.capacity() + change.before.capacity() +
               change.after.capacity();
    }
  }
  return bytes;
}

std::shared_ptr<const ports::CaseWithHistory> PgCaseCache::Get(core::CaseNumber number,
                                                               Clock::time_point now) {
  if (!enabled_.load(std::memory_order_acquire)) return nullptr;
  Shard& shard = ShardFor(number);
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto entry = shard.entries.find(number);
  if (entry == shard.entries.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  if (now - entry->second.stored_at >= time_to_live_) {
    EraseLocked(shard, entry);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  shard.recency.splice(shard.recency.begin(), shard.recency, entry->second.recency);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return entry->second.found;
}

void PgCaseCache::Put(const ports::CaseWithHistory& found, uint64_t read_epoch,
                      Clock::time_point now) {
  if (!enabled_.load(std::memory_order_acquire)) return;  // checked again under the lock
  const size_t bytes = EstimateBytes(found);
  if (bytes > max_bytes_per_shard_) return;
  const core::CaseNumber number = found.record.number;
  auto copy = std::make_shared<const ports::CaseWithHistory>(found);  // outside the lock
  Shard& shard = ShardFor(number);
  std::lock_guard<std::mutex> lock(shard.mutex);
  // Checked under the lock: SetEnabled(false) and Clear take every shard's lock after
  // changing what is checked here, so nothing read before them is kept after them.
  if (!enabled_.load(std::memory_order_acquire)) return;
  if (read_epoch < shard.refuse_reads_before) return;
  if (auto invalidated = shard.invalidated.find(number);
      invalidated != shard.invalidated.end() && read_epoch < invalidated->second) {
    return;  // changed after this read began: what it read may be older than the change
  }
  if (auto existing = shard.entries.find(number); existing != shard.entries.end()) {
    EraseLocked(shard, existing);
  }
  while (shard.bytes + bytes > max_bytes_per_shard_ && !shard.recency.empty()) {
    EraseLocked(shard, shard.entries.find(shard.recency.back()));
  }
  shard.recency.push_front(number);
  shard.entries.emplace(number, Entry{std::move(copy), bytes, now, shard.recency.begin()});
  shard.bytes += bytes;
}

void PgCaseCache::EraseLocked(Shard& shard,
                              std::unordered_map<core::CaseNumber, Entry>::iterator entry) {
  shard.bytes -= entry->second.bytes;
  shard.recency.erase(entry->second.recency);
  shard.entries.erase(entry);
}

void PgCaseCache::Invalidate(std::span<const core::CaseNumber> numbers) {
  if (numbers.empty()) return;
  // Taken after the commit these numbers come from: a read that takes this epoch or a later
  // one began after the commit and may keep what it read.
  const uint64_t epoch = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
  for (core::CaseNumber number : numbers) {
    Shard& shard = ShardFor(number);
    std::lock_guard<std::mutex> lock(shard.mutex);
    if (auto entry = shard.entries.find(number); entry != shard.entries.end()) {
      EraseLocked(shard, entry);
    }
    if (shard.invalidated.size() >= kMaxTombstonesPerShard) {
      shard.invalidated.clear();
      shard.refuse_reads_before = std::max(shard.refuse_reads_before, epoch);
    }
    shard.invalidated[number] = epoch;
  }
}

void PgCaseCache::Clear() {
  const uint64_t epoch = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
  for (Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    shard.entries.clear();
    shard.recency.clear();
    shard.invalidated.clear();
    shard.bytes = 0;
    shard.refuse_reads_before = std::max(shard.refuse_reads_before, epoch);
  }
}

void PgCaseCache::SetEnabled(bool enabled) {
  if (!enabled) enabled_.store(false, std::memory_order_release);
  Clear();
  if (enabled) enabled_.store(true, std::memory_order_release);
}

PgCaseCache::Stats PgCaseCache::stats() const {
  Stats stats{.hits = hits_.load(std::memory_order_relaxed),
              .misses = misses_.load(std::memory_order_relaxed)};
  for (const Shard& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard.mutex);
    stats.entries += shard.entries.size();
    stats.bytes += shard.bytes;
  }
  return stats;
}

}  // namespace casedesk::adapters::postgres

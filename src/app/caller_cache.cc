#include "app/caller_cache.h"

namespace casedesk::app {

CallerCache::Shard& CallerCache::ShardFor(std::string_view digest) const {
  // The digest is uniformly random already; its first byte picks the shard.
  const auto first = digest.empty() ? 0u : static_cast<unsigned char>(digest.front());
  return shards_[first % kShards];
}

std::optional<Caller> CallerCache::Get(std::string_view digest, absl::Time now) const {
  Shard& shard = ShardFor(digest);
  std::lock_guard lock(shard.mutex);
  const auto it = shard.entries.find(std::string(digest));
  if (it == shard.entries.end()) return std::nullopt;
  if (it->second.generation != generation() || it->second.expires_at <= now) {
    shard.entries.erase(it);
    return std::nullopt;
  }
  return it->second.caller;
}

void CallerCache::Put(std::string_view digest, const Caller& caller, uint64_t read_generation,
                      absl::Time now) {
  if (read_generation != generation()) return;  // something changed while we read
  Shard& shard = ShardFor(digest);
  std::lock_guard lock(shard.mutex);
  if (shard.entries.size() >= kMaxEntriesPerShard) shard.entries.clear();
  shard.entries[std::string(digest)] = Entry{caller, read_generation, now + kTimeToLive};
}

}  // namespace casedesk::app

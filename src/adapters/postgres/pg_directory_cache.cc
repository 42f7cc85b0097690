#include "adapters/postgres/pg_directory_cache.h"

#include <algorithm>

namespace casedesk::adapters::postgres {
namespace {

std::string PageKey(const ports::PageRequest& page) {
  return std::to_string(page.limit) + "/" + page.cursor;
}

}  // namespace

template <typename Key, typename Value>
std::optional<Value> PgDirectoryCache::Get(Table<Key, Value>& table, const Key& key,
                                           Clock::time_point now) {
  if (!enabled_.load(std::memory_order_acquire)) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex_);
  auto entry = table.entries.find(key);
  if (entry == table.entries.end()) return std::nullopt;
  if (now - entry->second.stored_at >= time_to_live_) {
    table.entries.erase(entry);
    return std::nullopt;
  }
  return entry->second.value;
}

template <typename Key, typename Value>
void PgDirectoryCache::Put(Table<Key, Value>& table, Key key, const Value& value,
                           uint64_t read_epoch, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Checked under the lock, which Clear and SetEnabled take after changing what is checked.
  if (!enabled_.load(std::memory_order_acquire) || read_epoch < table.refuse_reads_before) return;
  if (table.entries.size() >= kMaxEntries) ClearLocked(table, 0);
  table.entries.insert_or_assign(std::move(key), typename Table<Key, Value>::Entry{value, now});
}

std::optional<core::Organisation> PgDirectoryCache::GetOrganisation(core::OrgId id,
                                                                    Clock::time_point now) {
  return Get(organisations_, id, now);
}

void PgDirectoryCache::PutOrganisation(const core::Organisation& org, uint64_t read_epoch,
                                       Clock::time_point now) {
  Put(organisations_, org.id, org, read_epoch, now);
}

std::optional<ports::Page<core::Group>> PgDirectoryCache::GetGroups(const ports::PageRequest& page,
                                                                    Clock::time_point now) {
  return Get(group_pages_, PageKey(page), now);
}

void PgDirectoryCache::PutGroups(const ports::PageRequest& page,
                                 const ports::Page<core::Group>& groups, uint64_t read_epoch,
                                 Clock::time_point now) {
  Put(group_pages_, PageKey(page), groups, read_epoch, now);
}

void PgDirectoryCache::Clear(Kind kind) {
  // Taken after the commit that changed the kind: a read that takes this epoch or a later one
  // began after it.
  const uint64_t epoch = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
  std::lock_guard<std::mutex> lock(mutex_);
  if (kind == Kind::kOrganisations) {
    ClearLocked(organisations_, epoch);
  } else {
    ClearLocked(group_pages_, epoch);
  }
}

void PgDirectoryCache::SetEnabled(bool enabled) {
  if (!enabled) enabled_.store(false, std::memory_order_release);
  const uint64_t epoch = epoch_.fetch_add(1, std::memory_order_acq_rel) + 1;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ClearLocked(organisations_, epoch);
    ClearLocked(group_pages_, epoch);
  }
  if (enabled) enabled_.store(true, std::memory_order_release);
}

}  // namespace casedesk::adapters::postgres

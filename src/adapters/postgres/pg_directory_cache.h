// PgDirectoryCache: the organisations and pages of groups this node's reads have fetched, kept
// so that reading them again needs no round trip (opening a case reads its organisation and
// looks for the triage group in a read of its own before it writes). They change rarely, so a
// change clears the whole kind.
//
// The promises are PgCaseCache's (see pg_case_cache.h): this node's commits clear what they
// changed before the writer answers, other nodes' arrive through NOTIFY, a read overtaken by a
// clear is not kept (Epoch() before the read's first statement), nothing is served while the
// store's LISTEN connection is down, and entries expire after `time_to_live` as a backstop.
// Writers never use it: they read rows with their versions (UpdateReadRow). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/group.h"
#include "core/organisation.h"
#include "ports/store.h"

namespace casedesk::adapters::postgres {

class PgDirectoryCache {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Kind { kOrganisations, kGroups };
  // Entries of one kind at most; past this the kind starts afresh (a desk has few groups; an
  // organisation per customer is kept until then).
  static constexpr size_t kMaxEntries = 20000;

  explicit PgDirectoryCache(Clock::duration time_to_live = std::chrono::seconds(5))
      : time_to_live_(time_to_live) {}

  // Taken before a read transaction's first statement; passed to the Put methods.
  uint64_t Epoch() const { return epoch_.load(std::memory_order_acquire); }

  std::optional<core::Organisation> GetOrganisation(core::OrgId id, Clock::time_point now);
  void PutOrganisation(const core::Organisation& org, uint64_t read_epoch, Clock::time_point now);
  std::optional<ports::Page<core::Group>> GetGroups(const ports::PageRequest& page,
                                                    Clock::time_point now);
  void PutGroups(const ports::PageRequest& page, const ports::Page<core::Group>& groups,
                 uint64_t read_epoch, Clock::time_point now);

  // A commit changed something of this kind.
  void Clear(Kind kind);
  // Enabling clears first: nothing read while disabled is trusted.
  void SetEnabled(bool enabled);

 private:
  template <typename Key, typename Value>
  struct Table {
    struct Entry {
      Value value;
      Clock::time_point stored_at;
    };
    std::map<Key, Entry, std::less<>> entries;
    uint64_t refuse_reads_before = 0;  // a Put whose read began before the last clear
  };

  template <typename Key, typename Value>
  std::optional<Value> Get(Table<Key, Value>& table, const Key& key, Clock::time_point now);
  template <typename Key, typename Value>
  void Put(Table<Key, Value>& table, Key key, const Value& value, uint64_t read_epoch,
           Clock::time_point now);
  // Under mutex_.
  template <typename Key, typename Value>
  void ClearLocked(Table<Key, Value>& table, uint64_t epoch) {
    table.entries.clear();
    table.refuse_reads_before = std::max(table.refuse_reads_before, epoch);
  }

  const Clock::duration time_to_live_;
  std::atomic<uint64_t> epoch_{1};
  std::atomic<bool> enabled_{false};
  std::mutex mutex_;
  Table<core::OrgId, core::Organisation> organisations_;      // guarded by mutex_
  Table<std::string, ports::Page<core::Group>> group_pages_;  // by "limit/cursor"
};

}  // namespace casedesk::adapters::postgres

// PgNodeCaches: the reads one node keeps (PgNodeCache, see there for what they promise), all
// on one epoch, so a read transaction takes a single Epoch() before its first statement:
// - cases, each with its organisation and history (GetCaseWithHistory: the desk's most frequent
//   read), invalidated case by case, bounded in bytes;
// - organisations and pages of groups (opening a case reads its organisation and looks for the
//   triage group before it writes), which change rarely, so any change clears its kind;
// - mail-address states (bounces; every mail a change sends asks for its recipient's),
//   invalidated address by address. Absent states are kept too: most addresses have none.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "adapters/postgres/pg_node_cache.h"
#include "core/group.h"
#include "core/organisation.h"
#include "ports/store.h"

namespace casedesk::adapters::postgres {

struct PgNodeCaches {
  // Organisations, and pages of groups, kept at most.
  static constexpr size_t kMaxDirectoryEntries = 20000;

  explicit PgNodeCaches(size_t case_bytes);

  uint64_t Epoch() const { return epoch.load(std::memory_order_acquire); }
  void SetEnabled(bool enabled);
  // What a page of groups is kept under.
  static std::string GroupPageKey(const ports::PageRequest& page);
  // What a case is counted as against `case_bytes`.
  static size_t CaseBytes(const ports::CaseWithHistory& found);

  std::atomic<uint64_t> epoch{1};
  PgNodeCache<core::CaseNumber, ports::CaseWithHistory> cases;
  PgNodeCache<core::OrgId, core::Organisation> organisations;
  PgNodeCache<std::string, ports::Page<core::Group>> group_pages;
  PgNodeCache<std::string, std::optional<ports::MailAddressState>> mail_addresses;
};

}  // namespace casedesk::adapters::postgres

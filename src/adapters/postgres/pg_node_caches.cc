#include "adapters/postgres/pg_node_caches.h"

namespace casedesk::adapters::postgres {
namespace {

template <typename Value>
size_t OneEntry(const Value&) {
  return 1;
}

}  // namespace

PgNodeCaches::PgNodeCaches(size_t case_bytes)
    : cases(case_bytes, &CaseBytes, &epoch),
      organisations(kMaxDirectoryEntries, &OneEntry<core::Organisation>, &epoch),
      group_pages(kMaxDirectoryEntries, &OneEntry<ports::Page<core::Group>>, &epoch),
      mail_addresses(kMaxDirectoryEntries, &OneEntry<std::optional<ports::MailAddressState>>,
                     &epoch) {}

void PgNodeCaches::SetEnabled(bool enabled) {
  cases.SetEnabled(enabled);
  organisations.SetEnabled(enabled);
  group_pages.SetEnabled(enabled);
  mail_addresses.SetEnabled(enabled);
}

std::string PgNodeCaches::GroupPageKey(const ports::PageRequest& page) {
  return std::to_string(page.limit) + "/" + page.cursor;
}

size_t PgNodeCaches::CaseBytes(const ports::CaseWithHistory& found) {
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

}  // namespace casedesk::adapters::postgres

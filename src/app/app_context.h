// What every use case works with: the ports, chosen by the wiring in main/, and the limits from
// configuration. Thread-safe: the ports are thread-safe and the limits are read-only.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "app/caller_cache.h"
#include "app/sla_engine.h"
#include "ports/blob_store.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace casedesk::app {

struct Limits {
  int64_t max_attachment_bytes = 25 * 1024 * 1024;
  int64_t max_json_body_bytes = 1024 * 1024;
  int max_page_size = 200;
  int default_page_size = 25;
};

struct AppContext {
  ports::Store& store;
  ports::Clock& clock;
  ports::Crypto& crypto;
  ports::BlobStore& blobs;
  Limits limits;
  // Authenticated callers by token digest; writes that change access call Invalidate().
  std::shared_ptr<CallerCache> callers = std::make_shared<CallerCache>();
  // Prepared SLA policies and calendars, shared by every unit of work.
  std::shared_ptr<SlaEngine> sla = std::make_shared<SlaEngine>();
  // Called after an SLA policy (with its plan's name) or a calendar (with "") changed, so the
  // open cases it governs are recomputed in the background; unset in tools and tests.
  std::function<void(const std::string& plan)> sla_config_changed;
  // The desk's sender address from configuration (smtp.from); the mail settings may override.
  std::string mail_from;
  // Called after a unit of work that queued notifications committed, to wake the outbox's
  // delivery worker; unset in tools and tests.
  std::function<void()> outbox_changed;
  // Called after a unit of work that changed the status page committed (components, incidents,
  // maintenance, subscribers), to refresh the page cache and wake the notice worker; unset in
  // tools and tests.
  std::function<void()> status_changed;
  // The desk's public base URL (server.public_url), for links in mail and on the status page.
  std::string public_url = "http://127.0.0.1:8080";
};

}  // namespace casedesk::app

// The public status page is read far more often than it changes, so it is served from memory:
// one snapshot (status_page_view.h) built from the store, and each document rendered from it at
// most once (the HTML page, the feeds, the v2 JSON documents), with an ETag.
//
// Freshness: a change on this node calls Invalidate() (AppContext::status_changed); changes on
// other nodes are noticed through the store's change marker, read at most once per
// `check_interval`; and the snapshot is rebuilt at least every `max_age` anyway, because its
// uptime bars and "upcoming"/"active" lists move with time.
// A store that cannot be read leaves the last snapshot in service (a status page must stay up
// in an outage); without one, the error is returned.
// Thread-safe: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/status_page_view.h"

namespace casedesk::app {

// Reads everything the page shows, inside one read transaction.
absl::StatusOr<StatusPageSnapshot> BuildStatusPageSnapshot(ports::StoreTransaction& txn,
                                                           const std::string& default_url,
                                                           absl::Time now);

struct CachedDocument {
  std::string body;
  std::string etag;  // a quoted entity tag, changing whenever the snapshot does
};

class StatusPageCache {
 public:
  using Renderer = std::function<std::string(const StatusPageSnapshot&)>;

  explicit StatusPageCache(AppContext& context, absl::Duration check_interval = absl::Seconds(1),
                           absl::Duration max_age = absl::Seconds(60));

  // The current snapshot (rebuilt first when stale).
  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> Snapshot();
  // The document named `key`, rendered by `render` from the current snapshot on first use.
  absl::StatusOr<std::shared_ptr<const CachedDocument>> Document(const std::string& key,
                                                                 const Renderer& render);
  // Something changed on this node: the next read rebuilds.
  void Invalidate();

 private:
  struct Generation {
    int64_t number = 0;
    std::shared_ptr<const StatusPageSnapshot> snapshot;
    std::string marker;  // the store's change marker it was built at
    absl::Time built_at = absl::InfinitePast();
    std::map<std::string, std::shared_ptr<const CachedDocument>, std::less<>> documents;
  };

  // Returns the current generation, rebuilding it when stale. Caller holds no lock.
  absl::StatusOr<std::shared_ptr<Generation>> Current();

  AppContext& context_;
  const absl::Duration check_interval_;
  const absl::Duration max_age_;
  std::mutex rebuild_mutex_;  // one rebuild at a time
  std::mutex mutex_;          // guards the fields below
  std::shared_ptr<Generation> current_;
  absl::Time checked_at_ = absl::InfinitePast();
  int64_t invalidations_ = 0;  // bumped by Invalidate()
  int64_t built_after_ = -1;   // the invalidations_ value the current generation saw
  int64_t next_number_ = 1;
};

}  // namespace casedesk::app

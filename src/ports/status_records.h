// Records the status page keeps beside its domain values: subscribers (with each user's
// preferences) and the notice fan-out jobs that turn one incident update into a mail per
// subscriber through the outbox.
// Thread-safe: values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/ids.h"
#include "core/status_page.h"

namespace casedesk::ports {

enum class SubscriberKind { kEmail, kWebhook };

// A visitor's subscription (double opt-in), a system's webhook, or a user's preferences. Users
// with a verified address are subscribed without a row; a row with `user_id` set narrows or
// opts out.
struct StatusSubscriber {
  int64_t id = 0;
  SubscriberKind kind = SubscriberKind::kEmail;
  std::string address;       // normalised email address, or the webhook's https URL
  core::UserId user_id = 0;  // set for a user's preferences row (kind email); 0 otherwise
  std::vector<core::ComponentId> component_ids;  // only these components; empty: everything
  bool opted_out = false;                        // a user's "no notices"
  std::optional<absl::Time> confirmed_at;        // visitors and webhooks: the double opt-in
  std::optional<absl::Time> unsubscribed_at;
  absl::Time created_at = absl::InfinitePast();
};

// One incident or maintenance update to announce. Written in the unit of work that posts the
// update; a worker then queues the mail in chunks, moving the cursors in the same unit of work
// as each chunk, so a crash resumes where it stopped and nobody is mailed twice.
struct StatusNotice {
  int64_t id = 0;
  core::IncidentId incident_id = 0;
  int64_t update_id = 0;
  absl::Time created_at = absl::InfinitePast();
  core::UserId user_cursor = 0;   // verified users with an id above this are still to do
  int64_t subscriber_cursor = 0;  // visitor and webhook subscribers with an id above this
  std::optional<absl::Time> done_at;
  std::optional<absl::Time> claimed_until;  // a worker's lease
};

struct IncidentFilter {
  std::optional<core::IncidentKind> kind;
  bool open_only = false;          // not resolved/postmortem/completed
  core::IncidentId before_id = 0;  // 0: from the newest; otherwise ids below this (paging)
  int limit = 50;
};

}  // namespace casedesk::ports

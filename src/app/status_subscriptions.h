// Who hears about incidents and maintenance. Every active user with a verified address is
// subscribed without asking and may opt out or narrow to components; visitors subscribe by
// address with double opt-in (a signed confirmation link); admins register webhooks for
// systems. Every notice carries a signed one-click unsubscribe link (RFC 8058).
//
// Links are stateless: a token is "<subject>.<MAC>" where the subject names a user ("u12") or a
// subscriber row ("s34") and the MAC (keyed under the desk key, per purpose) makes it
// unforgeable; checking compares in constant time.
// Thread-safe: functions over the thread-safe ports.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/status_page.h"
#include "ports/crypto.h"
#include "ports/status_records.h"

namespace casedesk::app {

enum class StatusTokenPurpose { kConfirm, kUnsubscribe };

// Who a token speaks for: a user (by id) or a subscriber row (by id).
struct StatusTokenSubject {
  bool user = false;
  int64_t id = 0;
};

std::string MakeStatusToken(const ports::Crypto& crypto, StatusTokenPurpose purpose,
                            StatusTokenSubject subject);
// InvalidArgument for a malformed or forged token.
absl::StatusOr<StatusTokenSubject> CheckStatusToken(const ports::Crypto& crypto,
                                                    StatusTokenPurpose purpose,
                                                    std::string_view token);

// A visitor asks for notices at `email` (only `component_ids`; empty: everything). Queues the
// confirmation mail. Says nothing about whether the address was already subscribed: the
// outcome is the same either way (a confirmed address gets no second mail).
void SubscribeVisitor(AppContext& context, std::string email,
                      std::vector<core::ComponentId> component_ids, Done<bool> done);
// The confirmation link: marks the subscriber confirmed (again is harmless).
void ConfirmVisitor(AppContext& context, std::string token, Done<ports::StatusSubscriber> done);
// The unsubscribe link (a user's or a subscriber's): no more notices. Again is harmless.
void UnsubscribeByToken(AppContext& context, std::string token, Done<bool> done);

// The caller's own notices.
struct MyStatusSubscription {
  bool eligible = false;    // has a verified address: only then notices are sent
  bool subscribed = false;  // not opted out
  std::vector<core::ComponentId> component_ids;  // empty: everything
};
absl::StatusOr<MyStatusSubscription> GetMyStatusSubscription(AppContext& context,
                                                             const Caller& caller);
void SetMyStatusSubscription(AppContext& context, const Caller& caller, bool subscribed,
                             std::vector<core::ComponentId> component_ids,
                             Done<MyStatusSubscription> done);

// Admins: visitors' and webhook subscriptions.
struct NewStatusWebhook {
  std::string url;  // https (or http to a loopback address, for testing)
  std::vector<core::ComponentId> component_ids;
};
struct StatusWebhookCreated {
  ports::StatusSubscriber subscriber;
  std::string secret;  // signs every delivery; shown once
};
void AddStatusWebhook(AppContext& context, const core::Viewer& viewer, NewStatusWebhook request,
                      Done<StatusWebhookCreated> done);
absl::StatusOr<std::vector<ports::StatusSubscriber>> ListStatusSubscribers(
    AppContext& context, const core::Viewer& viewer, int64_t after_id, int limit);
void RemoveStatusSubscriber(AppContext& context, const core::Viewer& viewer, int64_t id,
                            Done<bool> done);

// The secret a webhook subscriber's deliveries are signed with (derived from the desk key).
std::string StatusWebhookSecret(const ports::Crypto& crypto, int64_t subscriber_id);

// Whether a subscriber limited to `wanted` hears about an event affecting `affected`: yes when
// either list is empty or they share a component.
bool WantsEvent(const std::vector<core::ComponentId>& wanted,
                const std::vector<core::ComponentId>& affected);

}  // namespace casedesk::app

// Queueing mail in the transactional outbox: QueueMail renders the kind's template, picks the
// sender (a partner's own sender for its customers), fixes the Message-ID and the threading
// headers, records the Message-ID against the case, and inserts the Notification row inside the
// caller's unit of work, so the mail exists exactly when the change that caused it commits. The
// delivery worker (outbox_delivery.h) sends it later.
//
// Threading: every mail about case N carries References: <case-N@domain> (a stable root per
// case, so mail clients group the thread) and In-Reply-To: the inbound message it answers, else
// that root; both ids are recorded with RecordMailThread so replies find the case.
//
// After the unit of work commits, call WakeOutbox(context) so delivery starts at once.
// Thread-safe: stateless functions.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/store_calls.h"
#include "core/ids.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace casedesk::app {

struct MailRequest {
  std::string kind;  // a mail template kind (mail_templates.h); also the notification's kind
  core::UserId recipient_id = 0;  // 0 for an address that is not a user's
  std::string recipient_email;
  std::string recipient_name;
  core::CaseNumber case_number = 0;                  // 0 when not about a case
  nlohmann::json values = nlohmann::json::object();  // the template's values
  std::string in_reply_to;  // the inbound Message-ID this answers (without brackets), if any
  bool automatic = true;    // system mail: Auto-Submitted: auto-generated
  std::optional<core::OrgId> sender_org;  // send as this organisation's sender, if it has one
  // When set, the Message-ID's unique part is derived from this text instead of a random token:
  // for mail caused exactly once (a timer firing), so the same cause always yields the same id.
  std::string unique_key;
  // Further header lines ("Name: value", one per line), e.g. List-Unsubscribe.
  std::string extra_headers;
};

// What QueueMail needs beyond the transaction; AppContext provides all of it.
struct MailQueueEnvironment {
  absl::Time now = absl::InfinitePast();
  const ports::Crypto* crypto = nullptr;  // null: requests must carry a unique_key
  std::string mail_from;                  // configuration's sender (smtp.from); may be empty
};

// Who a message comes from.
struct MailIdentity {
  std::string address;  // empty: not configured (delivery falls back to smtp.from)
  std::string name;
  std::string signature;  // appended to the body; empty for the desk
};

// Queues the messages of one unit of work. What every message needs -- the desk settings, each
// kind's template, each sender's identity -- is read once per queue, not once per message, so a
// change that mails several people reads its configuration once on the store's writer.
// Not thread-safe: one unit of work uses it, during that unit.
class MailQueue {
 public:
  MailQueue(MailQueueEnvironment environment, ports::StoreTransaction& txn);
  ~MailQueue();
  // Queues one message; returns the notification's id (errors as QueueMail's).
  absl::StatusOr<int64_t> Queue(const MailRequest& request);
  // Queue, for a caller that needs no id: a store may then write the message without waiting
  // for an answer (StoreTransaction::RecordNotification).
  absl::Status Record(const MailRequest& request);

 private:
  // The notification a request makes, with its thread recorded.
  absl::StatusOr<ports::Notification> Compose(const MailRequest& request);
  absl::StatusOr<const MailDeskSettings*> Desk();
  absl::StatusOr<const MailTemplate*> Template(const std::string& kind);
  absl::StatusOr<const MailIdentity*> Sender(std::optional<core::OrgId> sender_org);

  const MailQueueEnvironment environment_;
  ports::StoreTransaction& txn_;
  std::optional<MailDeskSettings> desk_;
  std::map<std::string, MailTemplate> templates_;
  std::map<std::optional<core::OrgId>, MailIdentity> senders_;
};

// Queues one message; returns the notification's id. InvalidArgument naming the field for an
// unusable recipient address or an unknown kind; store errors as they come.
absl::StatusOr<int64_t> QueueMail(AppContext& context, ports::StoreTransaction& txn,
                                  const MailRequest& request);
absl::StatusOr<int64_t> QueueMail(const MailQueueEnvironment& environment,
                                  ports::StoreTransaction& txn, const MailRequest& request);

// Tells the delivery worker that committed notifications are waiting (no-op when unwired).
void WakeOutbox(const AppContext& context);

// `done`, preceded by WakeOutbox once the unit of work committed: for use cases whose writes
// queue mail.
template <typename T>
Done<T> WakingOutbox(const AppContext& context, Done<T> done) {
  return [&context, done = std::move(done)](absl::StatusOr<T> outcome) {
    if (outcome.ok()) WakeOutbox(context);
    done(std::move(outcome));
  };
}

// The desk's sender (settings, else `mail_from`), or `sender_org`'s when it has its own.
absl::StatusOr<MailIdentity> ResolveMailIdentity(ports::StoreTransaction& txn,
                                                 const MailDeskSettings& desk,
                                                 std::string_view mail_from,
                                                 std::optional<core::OrgId> sender_org);

// "case-<number>@<domain>": the stable root every message about the case references.
std::string CaseRootMessageId(core::CaseNumber number, std::string_view domain);

}  // namespace casedesk::app

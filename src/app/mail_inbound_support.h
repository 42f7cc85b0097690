// What the inbound mail use cases (IngestMail, AcceptQuarantinedMail) share: storing a
// message's attachments before the unit of work, the route from the desk's settings, finding
// the case a message refers to, the content of a case or reply made from it, and queueing the
// notices that go back to a sender. Thread-safe: stateless functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/mail_case_writer.h"
#include "app/mail_settings.h"
#include "core/mail_message.h"
#include "core/mail_routing.h"
#include "core/mail_sender_policy.h"
#include "ports/store.h"

namespace casedesk::app {

// At most this many attachments of one message become case attachments (as for a comment).
inline constexpr size_t kMaxMailAttachments = 50;

// Puts the bytes of the message's attachments into the blob store (durable before any record
// points at them). Attachments over limits.max_attachment_bytes, and those past
// kMaxMailAttachments, are left out: they stay in the raw message.
absl::StatusOr<std::vector<StoredMailAttachment>> StoreMailAttachments(
    AppContext& context, const core::ParsedMail& mail);

core::RouteDecision RouteFor(const MailDeskSettings& settings, std::string_view envelope_to,
                             const core::ParsedMail& mail);

// The hex token a signed reply address for this case carries.
std::string ExpectedReplyToken(const ports::Crypto& crypto, core::CaseNumber number);

struct MailThread {
  core::Case record;
  core::ThreadSource source = core::ThreadSource::kMessageId;
};

struct ThreadLookup {
  std::optional<MailThread> thread;
  bool forged_reply_address = false;  // a reply address of ours whose token did not verify
};

// The case the message refers to: a signed reply address among the envelope recipient, To and
// Cc; else In-Reply-To and References (newest first); else our subject tag.
absl::StatusOr<ThreadLookup> FindMailThread(ports::StoreTransaction& txn, AppContext& context,
                                            const MailDeskSettings& settings,
                                            std::string_view envelope_to,
                                            const core::ParsedMail& mail);

// The case content of a message: cleaned subject, visible text, the route's severity (or the
// desk's default), the stored attachments and the To/Cc addresses for followers.
MailCaseContent CaseContentFor(const MailDeskSettings& settings, const core::RouteDecision& route,
                               const core::ParsedMail& mail,
                               std::vector<StoredMailAttachment> attachments, int64_t inbound_id);

// Records every Message-ID of the message (its own) as belonging to the case, so replies to
// it thread.
absl::Status RecordMailThreadIds(ports::StoreTransaction& txn, const core::ParsedMail& mail,
                                 core::CaseNumber number);

// The Viewer of a stored user.
absl::StatusOr<core::Viewer> ViewerOfUser(ports::StoreTransaction& txn, core::UserId id);

// Queues an automatic notice ("mail.unknown_sender" or "mail.quarantined") to the sender and
// stamps the address's last_notice_at (the rate limit), in the caller's unit of work.
absl::Status QueueSenderNotice(ports::StoreTransaction& txn, AppContext& context,
                               std::string_view kind, const core::ParsedMail& mail,
                               const std::string& sender_address, absl::Time now);

}  // namespace casedesk::app

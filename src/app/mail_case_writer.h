// The case-changing half of mail ingest, inside the caller's unit of work: open a case from a
// message, add a message as a public reply, make CC'd people followers, and create the contact
// the organisation-domain rule allows. The writes themselves are OpenCase's and AddComment's
// (InsertOpenedCase, InsertCommentOnCase: the same events, SLA refresh, escalations and mail);
// this adds what mail brings (attachments, CCs). Every event about a message names the inbound
// mail row ("inbound_mail": id), where the full original stays one click away.
// Thread-safe: stateless functions; the transaction belongs to the calling unit of work.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/case.h"
#include "core/conversation.h"
#include "core/mail_message.h"
#include "core/severity.h"
#include "ports/store.h"

namespace casedesk::app {

// An attachment whose bytes are already durable in the blob store (stored before the unit of
// work, as UploadAttachment does), waiting for its record.
struct StoredMailAttachment {
  std::string blob_digest;
  std::string filename;      // sanitised
  std::string content_type;  // normalised
  int64_t size = 0;
};

struct MailCaseContent {
  std::string subject;      // cleaned, single line, at most core::kMaxSubjectLength bytes
  std::string description;  // visible text, at most core::kMaxDescriptionLength bytes
  core::Severity severity = core::Severity::kMinor;
  std::vector<StoredMailAttachment> attachments;
  // Addresses from To and Cc; those of active people of the case's organisation become
  // followers (following reveals the case, so nobody else).
  std::vector<std::string> cc_addresses;
  int64_t inbound_id = 0;
  std::string message_id;  // the message's own Message-ID: our mail about it answers it
};

// The subject for a case opened by mail: reply markers and our tags removed (other desks' tags
// kept), control characters replaced, cut at a character boundary; "(no subject)" when empty.
std::string MailCaseSubject(std::string_view subject, std::string_view tag_prefix);

// The text a message contributes: its visible reply text, else its whole text, cut to
// `max_bytes` at a character boundary with a note that the full message is kept.
std::string MailVisibleText(const core::ParsedMail& mail, size_t max_bytes);

// Opens a case for `requester` (who must be allowed to open cases for their organisation),
// recorded as done by `actor` (the requester, or the agent who accepted quarantined mail).
// Writes the case, its "case.created" event (with "channel": "email"), the attachments and
// their events, refreshes the SLA clocks and arms the critical-case escalations.
absl::StatusOr<core::Case> OpenCaseFromMail(ports::StoreTransaction& txn, AppContext& context,
                                            const core::Viewer& requester, core::UserId actor,
                                            const MailCaseContent& content, absl::Time now);

struct MailReply {
  core::Case record;  // the case after the reply
  core::CommentId comment_id = 0;
};

// Adds `body` as a public comment (channel "email") by `author` on a case they may see, with
// the attachments, moving the status like AddComment; new followers from `cc_addresses`.
// FailedPrecondition on a closed case.
absl::StatusOr<MailReply> AddReplyFromMail(ports::StoreTransaction& txn, AppContext& context,
                                           const core::Viewer& author, core::CaseNumber number,
                                           std::string body, const MailCaseContent& content,
                                           absl::Time now);

// Creates the unverified customer contact the domain rule (or an agent accepting quarantined
// mail) allows for `address` in `org_id`, with its "user.created" event by `actor` (0: the
// desk itself).
absl::StatusOr<core::User> CreateMailContact(ports::StoreTransaction& txn, std::string address,
                                             std::string display_name, core::OrgId org_id,
                                             core::UserId actor, absl::Time now);

}  // namespace casedesk::app

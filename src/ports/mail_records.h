// Records the email channel keeps in the store: every inbound message (raw bytes in the blob
// store, this row says what became of it), the Message-IDs that thread mail to cases, and what
// we know about an address (automatic notices sent, bounces). Thread-safe: value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::ports {

// What became of an inbound message. Nothing is ever deleted: a rejected or failed message keeps
// its row and raw bytes for audit and re-processing.
enum class InboundMailStatus {
  kCaseOpened,   // opened a new case
  kReplyAdded,   // added a comment to an existing case
  kEscalated,    // raised an escalation on the referenced case
  kQuarantined,  // waiting for an agent to accept or reject it
  kRejected,     // sender not allowed (a notice may have been sent) or an agent rejected it
  kAutomatic,    // automatic mail (auto-reply, bulk, our own mail coming back): kept, not acted on
  kBounce,       // a delivery status report: the bounced addresses were marked
  kDuplicate,    // the same message (Message-ID) was already processed
  kFailed,       // could not be parsed or processed; `reason` says why
};

std::string_view InboundMailStatusName(InboundMailStatus status);  // "case_opened", ...
std::optional<InboundMailStatus> InboundMailStatusFromName(std::string_view name);

struct InboundMail {
  int64_t id = 0;
  absl::Time received_at = absl::InfinitePast();
  std::string channel;        // "pipe", "imap", "lmtp", "api"
  std::string envelope_from;  // MAIL FROM / Return-Path as delivered; may be empty
  std::string envelope_to;    // the address it was delivered to (routes use it)
  std::string raw_digest;     // BlobStore key of the raw bytes
  int64_t raw_size = 0;
  std::string message_id;    // without angle brackets; empty when the message had none
  std::string from_address;  // normalised; empty when the message had no usable From
  std::string subject;       // decoded, for lists
  InboundMailStatus status = InboundMailStatus::kFailed;
  core::CaseNumber case_number = 0;  // the case it opened, replied to or escalated; 0 when none
  core::CommentId comment_id = 0;
  std::string reason;                    // why it was rejected, quarantined or failed
  std::optional<absl::Time> decided_at;  // when an agent accepted or rejected a quarantined one
  core::UserId decided_by = 0;
};

struct InboundMailFilter {
  std::optional<InboundMailStatus> status;
  int64_t before_id = 0;  // keyset: rows with a smaller id; 0 = from the newest
  int limit = 50;
};

// What the desk knows about one email address, whether or not it belongs to a user.
struct MailAddressState {
  std::string address;                       // normalised
  std::optional<absl::Time> last_notice_at;  // last automatic notice sent to it (rate limit)
  std::optional<absl::Time> bounced_at;      // last bounce reported for it
  std::string bounce_reason;
};

}  // namespace casedesk::ports

// Use case: one inbound email message, whichever way it came in (pipe, IMAP, LMTP). In order:
//  (a) the raw bytes go to the blob store first (durable), so nothing that arrived is lost;
//  (b) parse; a message that cannot be parsed is kept as a kFailed row with the reason;
//  (c) a Message-ID seen before is kDuplicate (no action);
//  (d) loops and machines: our own mail coming back (its Message-ID is one of ours, an
//      X-Casedesk-Loop header, or our sender/reply address as From) and other automatic mail
//      are kAutomatic, never answered; a delivery status report marks each bounced recipient
//      (MailAddressState::bounced_at) and is kBounce;
//  (e) threading: a signed reply address in the envelope recipient/To/Cc (the MAC checked in
//      constant time), then In-Reply-To/References, then the subject tag;
//  (f) the sender policy (core/mail_sender_policy.h) and the route (core/mail_routing.h);
//  (g) one unit of work writes the InboundMail row with what it caused: a new case, a public
//      reply (InboundMail::comment_id links the comment to the original), an escalation, a
//      quarantine, or a rejection with a rate-limited notice through the outbox.
// Errors: Unavailable when the raw message or the outcome could not be stored (the caller must
// make the sender retry: the pipe exits 75, LMTP answers 4xx, IMAP leaves the message unseen).
// Every other outcome is OK with the row's status: a message that could not be processed is
// kFailed with the reason, and kept.
// Thread-safe: may be called concurrently; each call blocks until its unit of work is durable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "core/ids.h"
#include "ports/mail_parser.h"
#include "ports/mail_records.h"

namespace casedesk::app {

// Audit event kinds for quarantine decisions (entity "inbound_mail").
inline constexpr std::string_view kMailAccepted = "mail.accepted";
inline constexpr std::string_view kMailRejected = "mail.rejected";
// Header our outgoing mail carries; mail that has it is our own coming back.
inline constexpr std::string_view kLoopHeader = "X-Casedesk-Loop";

struct MailEnvelope {
  std::string channel;    // "pipe", "imap", "lmtp", "api"; empty: "pipe"
  std::string mail_from;  // MAIL FROM / Return-Path as delivered; "<>" for a null return path
  std::string rcpt_to;    // the address it was delivered to; empty when unknown (IMAP)
};

struct IngestResult {
  int64_t inbound_id = 0;
  ports::InboundMailStatus status = ports::InboundMailStatus::kFailed;
  core::CaseNumber case_number = 0;
  std::string reason;
};

absl::StatusOr<IngestResult> IngestMail(AppContext& context, const ports::MailParser& parser,
                                        std::string_view raw, const MailEnvelope& envelope);

// Provider staff only (PermissionDenied otherwise). Opens a case from a quarantined message as
// if its sender had been allowed: the requester is the active person with the sender's address
// (who must belong to `org_id` when it is given), else a new unverified customer contact created
// in `org_id` (then required; the agent must be allowed to create contacts there). Records
// decided_at/decided_by and a "mail.accepted" event. NotFound for an unknown id,
// FailedPrecondition when the message is not waiting in quarantine.
absl::StatusOr<IngestResult> AcceptQuarantinedMail(AppContext& context,
                                                   const ports::MailParser& parser,
                                                   const Caller& agent, int64_t inbound_id,
                                                   std::optional<core::OrgId> org_id);

// Provider staff only. Marks a quarantined message rejected (kept, never answered), with the
// agent's reason (may be empty), decided_at/decided_by and a "mail.rejected" event.
absl::StatusOr<IngestResult> RejectQuarantinedMail(AppContext& context, const Caller& agent,
                                                   int64_t inbound_id, std::string reason);

}  // namespace casedesk::app

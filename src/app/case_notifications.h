// What people hear by mail when a case changes. Called inside the unit of work that makes the
// change, so the notices commit (or vanish) with it; QueueMail does the rest.
//
// Who hears what:
//   opened            the requester (a confirmation with the case number, even when they opened
//                     it themselves) and the followers other than the actor
//   public reply      by provider staff: the requester and followers; by anyone else: the
//                     assignee (nobody while the case is unassigned)
//   status, severity  the requester and followers
//   internal note     nobody on the customer side (nothing is sent)
// Never the actor (except the opening confirmation), never an inactive user (verification
// decides who may open cases by mail, not who hears about a case they are on), never
// someone who may not see the case (core/access), never an address that bounced within the last
// 7 days; each person once. A partner's customers get mail from the partner's sender when the
// partner has one. Thread-safe: stateless.
#pragma once

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "app/app_context.h"
#include "core/case.h"
#include "core/ids.h"
#include "core/severity.h"
#include "ports/store.h"

namespace casedesk::app {

enum class CaseChangeKind {
  kOpened,
  kPublicReply,
  kInternalNote,
  kStatusChanged,
  kSeverityChanged
};

struct CaseChange {
  CaseChangeKind kind = CaseChangeKind::kOpened;
  const core::Case& record;  // the case after the change
  std::string comment;       // the reply's text; for status/severity an optional public comment
  core::UserId actor = 0;    // who made the change; 0 for the system
  std::string in_reply_to;   // the inbound Message-ID when the change came by mail
  std::optional<core::CaseStatus> previous_status;  // for kStatusChanged
  std::optional<core::Severity> previous_severity;  // for kSeverityChanged
};

// Bounces younger than this keep an address from getting mail.
inline constexpr absl::Duration kBounceQuarantine = absl::Hours(24 * 7);

absl::Status NotifyCaseChange(AppContext& context, ports::StoreTransaction& txn,
                              const CaseChange& change);

}  // namespace casedesk::app

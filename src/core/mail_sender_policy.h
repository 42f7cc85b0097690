// What an inbound message may do, decided from facts the app gathers (who the sender is, which
// organisation registered the address or its domain, which case the message refers to, the
// route, whether a machine sent it). The rules (issue 4, seed 001):
//  - Automatic mail is kept and never acted on or answered; bounces are recognised as such.
//  - A reply is accepted only from someone who may see the case (core::CanSeeCase): the sender's
//    own account, or for a registered support alias its organisation's requester. A case found
//    only by its subject tag counts only when the sender may see it; otherwise the tag is
//    ignored and the message is treated as new mail. A closed case takes no replies: mail about
//    it is treated as new mail.
//  - A case is opened only from (in this order) a verified, active contact's address (for the
//    contact's organisation); a registered support alias (for the alias's organisation, with
//    that organisation's first active org admin as requester - an alias is a shared mailbox,
//    not a person); or an address in a configured organisation domain (customer organisations
//    only: the existing active contact of that organisation, else a new contact is created,
//    role customer, verified=false - the domain rule is what lets them write, so they need no
//    verification for it; a partner domain never creates partner agents, who would see every
//    customer of the partner).
//  - Provider staff have no organisation to open a case for by mail; their new mail is treated
//    like an unknown sender's.
//  - Everything else gets the configured treatment: quarantine for an agent, or rejection with
//    a notice explaining how to register. A notice (also the one telling a sender their mail
//    waits in quarantine) goes out only to a sender with a usable address, no null return path,
//    no bounce on record, and no notice within the notice interval.
// Thread-safe: pure functions over values.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "core/access.h"
#include "core/case.h"
#include "core/ids.h"
#include "core/mail_message.h"
#include "core/mail_routing.h"
#include "core/organisation.h"
#include "core/user.h"

namespace casedesk::core {

// How the message was linked to a case.
enum class ThreadSource {
  kReplyAddress,  // a signed reply address (its token already verified by the app)
  kMessageId,     // In-Reply-To / References of mail we sent or received about the case
  kSubjectTag,    // "[Case #123]" in the subject: guessable, so it only counts for people who
                  // may see the case
};

// A person with an account whose address sent the message.
struct MailSenderAccount {
  Viewer viewer;  // user id, role, organisation facts
  bool verified = false;
  bool active = true;
};

// An organisation whose mail settings name the sender's address (alias) or domain.
struct MailOrganisationMatch {
  OrgId org_id = 0;
  OrgKind kind = OrgKind::kCustomer;
  // For an alias: the person cases are opened as (the organisation's first active org admin);
  // unset when the organisation has none.
  std::optional<Viewer> requester;
};

struct MailSenderFacts {
  AutoKind auto_kind = AutoKind::kNone;
  bool own_mail = false;       // our own mail came back (a loop)
  std::string sender_address;  // normalised From; empty when the message had no usable one
  std::optional<MailSenderAccount> account;
  std::optional<MailOrganisationMatch> alias;   // the address is a registered support alias
  std::optional<MailOrganisationMatch> domain;  // the address's domain is configured
  std::optional<Case> thread;                   // the case the message refers to
  ThreadSource thread_source = ThreadSource::kMessageId;
  RouteAction route = RouteAction::kOpenCase;
  bool quarantine_unknown = false;  // the desk's treatment: quarantine (true) or notice
  // For the rate limit on notices.
  bool null_return_path = false;
  bool address_bouncing = false;
  std::optional<absl::Time> last_notice_at;
  absl::Time now = absl::InfinitePast();
  absl::Duration notice_interval = absl::Hours(1);
};

enum class MailAction {
  kOpenCase,
  kAddReply,
  kEscalate,          // raise an escalation on the case (the message is also added as a reply)
  kQuarantine,        // keep for an agent; `notify` says whether to tell the sender
  kRejectWithNotice,  // keep as rejected and send the rate-limited notice
  kRejectSilently,    // keep as rejected; no notice may go out (rate limit, null return path...)
  kAutomatic,         // automatic mail or our own mail: kept, no action, never answered
  kBounce,            // a delivery status report: mark the bounced addresses
};

struct MailDecision {
  MailAction action = MailAction::kRejectSilently;
  // kOpenCase: the organisation and the requester (0 with create_contact).
  OrgId org_id = 0;
  // kOpenCase: the requester; kAddReply/kEscalate: the author of the reply.
  UserId user_id = 0;
  // kOpenCase by the domain rule without an account: create an unverified customer contact for
  // the sender's address in org_id and open the case as them.
  bool create_contact = false;
  // kOpenCase through an escalation route (nothing to escalate yet): escalate the new case.
  bool escalate = false;
  CaseNumber case_number = 0;  // kAddReply, kEscalate
  bool notify = false;         // kQuarantine: send the "mail.quarantined" notice
  std::string reason;          // for the inbound record: why it was rejected or quarantined
};

MailDecision DecideInboundMail(const MailSenderFacts& facts);

// Whether an automatic notice may go to the sender now (see the header comment).
bool MayNotifySender(const MailSenderFacts& facts);

std::string_view MailActionName(MailAction action);  // "open_case", ...

}  // namespace casedesk::core

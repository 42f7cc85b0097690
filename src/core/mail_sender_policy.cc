#include "core/mail_sender_policy.h"

#include <utility>

namespace casedesk::core {
namespace {

MailDecision Decision(MailAction action, std::string reason) {
  MailDecision decision;
  decision.action = action;
  decision.reason = std::move(reason);
  return decision;
}

// The configured treatment for a sender who may not do what the message asks.
MailDecision Treatment(const MailSenderFacts& facts, std::string reason) {
  const bool notify = MayNotifySender(facts);
  if (facts.quarantine_unknown) {
    MailDecision decision = Decision(MailAction::kQuarantine, std::move(reason));
    decision.notify = notify;
    return decision;
  }
  return Decision(notify ? MailAction::kRejectWithNotice : MailAction::kRejectSilently,
                  std::move(reason));
}

// Who writes the reply on the case: the sender's own account, or for a support alias its
// organisation's requester; nobody when neither may see the case. A deactivated account
// writes nothing.
std::optional<Viewer> WriterFor(const MailSenderFacts& facts, const Case& record) {
  if (facts.account) {
    if (!facts.account->active) return std::nullopt;
    if (CanSeeCase(facts.account->viewer, record)) return facts.account->viewer;
  }
  if (facts.alias && facts.alias->requester && CanSeeCase(*facts.alias->requester, record)) {
    return facts.alias->requester;
  }
  return std::nullopt;
}

MailDecision OpenFor(const MailSenderFacts& facts, OrgId org_id, UserId requester) {
  MailDecision decision = Decision(MailAction::kOpenCase, "");
  decision.org_id = org_id;
  decision.user_id = requester;
  decision.escalate = facts.route == RouteAction::kEscalate;
  return decision;
}

MailDecision DecideNewMail(const MailSenderFacts& facts) {
  const MailSenderAccount* account = facts.account ? &*facts.account : nullptr;
  const bool staff = account != nullptr && IsProviderStaff(account->viewer.role);
  if (account != nullptr && !account->active) {
    return Treatment(facts, "the sender's account is deactivated");
  }
  if (account != nullptr && account->verified && !staff) {
    return OpenFor(facts, account->viewer.org_id, account->viewer.user_id);
  }
  if (facts.alias && facts.alias->kind != OrgKind::kProvider) {
    if (!facts.alias->requester) {
      return Treatment(facts, "organisation " + std::to_string(facts.alias->org_id) +
                                  " has no active org admin to open cases for its support alias");
    }
    return OpenFor(facts, facts.alias->org_id, facts.alias->requester->user_id);
  }
  if (facts.domain && facts.domain->kind == OrgKind::kCustomer && !staff) {
    if (account == nullptr) {
      MailDecision decision = OpenFor(facts, facts.domain->org_id, 0);
      decision.create_contact = true;
      return decision;
    }
    if (account->viewer.org_id == facts.domain->org_id) {
      return OpenFor(facts, account->viewer.org_id, account->viewer.user_id);
    }
  }
  if (staff) return Treatment(facts, "provider staff open cases in the portal, not by mail");
  if (account != nullptr) return Treatment(facts, "the sender's address is not verified");
  return Treatment(facts, "the sender is not a registered contact");
}

}  // namespace

bool MayNotifySender(const MailSenderFacts& facts) {
  if (facts.sender_address.empty() || facts.auto_kind != AutoKind::kNone || facts.own_mail ||
      facts.null_return_path || facts.address_bouncing) {
    return false;
  }
  return !facts.last_notice_at || facts.now - *facts.last_notice_at >= facts.notice_interval;
}

MailDecision DecideInboundMail(const MailSenderFacts& facts) {
  if (facts.auto_kind == AutoKind::kBounce) {
    return Decision(MailAction::kBounce, "delivery status report");
  }
  if (facts.own_mail) return Decision(MailAction::kAutomatic, "our own mail came back");
  if (facts.auto_kind != AutoKind::kNone) {
    return Decision(MailAction::kAutomatic,
                    "automatic mail (" + std::string(AutoKindName(facts.auto_kind)) + ")");
  }
  if (facts.sender_address.empty()) {
    return Treatment(facts, "the message has no usable From address");
  }
  if (facts.thread && facts.thread->status != CaseStatus::kClosed) {
    if (std::optional<Viewer> writer = WriterFor(facts, *facts.thread)) {
      MailDecision decision = Decision(
          facts.route == RouteAction::kEscalate ? MailAction::kEscalate : MailAction::kAddReply,
          "");
      decision.case_number = facts.thread->number;
      decision.user_id = writer->user_id;
      return decision;
    }
    if (facts.thread_source != ThreadSource::kSubjectTag) {
      return Treatment(facts,
                       "the sender may not write on case " + std::to_string(facts.thread->number));
    }
    // A tag of a case the sender may not see is just text: the message is new mail.
  }
  return DecideNewMail(facts);
}

std::string_view MailActionName(MailAction action) {
  switch (action) {
    case MailAction::kOpenCase:
      return "open_case";
    case MailAction::kAddReply:
      return "add_reply";
    case MailAction::kEscalate:
      return "escalate";
    case MailAction::kQuarantine:
      return "quarantine";
    case MailAction::kRejectWithNotice:
      return "reject_with_notice";
    case MailAction::kRejectSilently:
      return "reject_silently";
    case MailAction::kAutomatic:
      return "automatic";
    case MailAction::kBounce:
      return "bounce";
  }
  return "reject_silently";
}

}  // namespace casedesk::core

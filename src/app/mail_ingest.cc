#include "app/mail_ingest.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/authenticate.h"
#include "app/case_escalation.h"
#include "app/escalations.h"
#include "app/mail_case_writer.h"
#include "app/mail_inbound_support.h"
#include "app/mail_settings.h"
#include "app/outbox.h"
#include "app/store_calls.h"
#include "core/mail_sender_policy.h"
#include "core/mail_threading.h"
#include "core/text.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using ports::InboundMail;
using ports::InboundMailStatus;

// Shown in lists only; the raw message keeps the whole subject.
constexpr size_t kMaxListedSubject = 998;

struct Outcome {
  IngestResult result;
};

bool HasHeader(const core::ParsedMail& mail, std::string_view name) {
  return std::any_of(mail.headers.begin(), mail.headers.end(), [&](const auto& header) {
    return header.first.size() == name.size() &&
           std::equal(name.begin(), name.end(), header.first.begin(), [](char a, char b) {
             return std::tolower(static_cast<unsigned char>(a)) ==
                    std::tolower(static_cast<unsigned char>(b));
           });
  });
}

// Is this our own mail coming back (a forwarding loop, an auto-forward of our notification)?
absl::StatusOr<bool> IsOwnMail(ports::StoreTransaction& txn, AppContext& context,
                               const MailDeskSettings& settings, const core::ParsedMail& mail,
                               const std::string& sender) {
  if (HasHeader(mail, kLoopHeader)) return true;
  if (!sender.empty()) {
    const std::string ours[] = {settings.from_address, core::NormaliseEmail(context.mail_from),
                                settings.reply_domain.empty()
                                    ? std::string()
                                    : settings.reply_local_part + "@" + settings.reply_domain};
    for (const std::string& address : ours) {
      if (!address.empty() && address == sender) return true;
    }
    if (core::ParseReplyAddress(sender, settings.reply_local_part, settings.reply_domain)) {
      return true;
    }
  }
  if (!mail.message_id.empty()) {
    // Ids we sent or received are recorded per case; a received id comes back only as a
    // duplicate, which was recognised before this check.
    absl::StatusOr<std::optional<core::CaseNumber>> known =
        txn.FindCaseByMessageIds({mail.message_id});
    if (!known.ok()) return known.status();
    if (known->has_value()) return true;
  }
  return false;
}

// The organisation's first active org admin: the person an alias opens cases as.
absl::StatusOr<std::optional<core::Viewer>> AliasRequester(ports::StoreTransaction& txn,
                                                           core::OrgId org_id) {
  ports::UserFilter filter;
  filter.org_id = org_id;
  filter.page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::User>> users = txn.ListUsers(filter);
    if (!users.ok()) return users.status();
    for (const core::User& user : users->items) {
      if (user.active && user.org_admin) {
        absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, user);
        if (!viewer.ok()) return viewer.status();
        return *std::move(viewer);
      }
    }
    if (users->next_cursor.empty()) return std::nullopt;
    filter.page.cursor = users->next_cursor;
  }
}

// Fills in who the sender is: their account, and organisations that registered the address as
// a support alias or its domain.
absl::Status GatherSender(ports::StoreTransaction& txn, const std::string& sender,
                          core::MailSenderFacts& facts) {
  if (sender.empty()) return absl::OkStatus();
  absl::StatusOr<core::User> user = txn.FindUserByEmail(sender);
  if (user.ok()) {
    absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, *user);
    if (!viewer.ok()) return viewer.status();
    facts.account = core::MailSenderAccount{*std::move(viewer), user->verified, user->active};
  } else if (!absl::IsNotFound(user.status())) {
    return user.status();
  }
  absl::StatusOr<std::vector<OrganisationMailSettings>> organisations =
      ListOrganisationMailSettings(txn);
  if (!organisations.ok()) return organisations.status();
  const std::string domain = sender.substr(sender.find('@') + 1);
  for (const OrganisationMailSettings& settings : *organisations) {
    const bool alias =
        !facts.alias && std::find(settings.support_aliases.begin(), settings.support_aliases.end(),
                                  sender) != settings.support_aliases.end();
    const bool by_domain =
        !facts.domain && std::find(settings.domains.begin(), settings.domains.end(), domain) !=
                             settings.domains.end();
    if (!alias && !by_domain) continue;
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(settings.org_id);
    if (absl::IsNotFound(org.status())) continue;
    if (!org.ok()) return org.status();
    core::MailOrganisationMatch match{org->id, org->kind, std::nullopt};
    if (alias) {
      absl::StatusOr<std::optional<core::Viewer>> requester = AliasRequester(txn, org->id);
      if (!requester.ok()) return requester.status();
      match.requester = *requester;
      facts.alias = match;
    }
    if (by_domain) facts.domain = match;
  }
  return absl::OkStatus();
}

// Marks every bounced recipient's address; returns how many were marked.
absl::StatusOr<int> MarkBounces(ports::StoreTransaction& txn, const core::ParsedMail& mail,
                                int64_t inbound_id, absl::Time now) {
  int marked = 0;
  for (const std::string& recipient : mail.bounced_recipients) {
    const std::string address = core::NormaliseEmail(recipient);
    if (address.empty()) continue;
    absl::StatusOr<std::optional<ports::MailAddressState>> state = txn.GetMailAddressState(address);
    if (!state.ok()) return state.status();
    ports::MailAddressState updated = state->value_or(ports::MailAddressState{});
    updated.address = address;
    updated.bounced_at = now;
    updated.bounce_reason = absl::StrCat("delivery status report in inbound mail ", inbound_id);
    if (absl::Status put = txn.PutMailAddressState(updated); !put.ok()) return put;
    ++marked;
  }
  return marked;
}

std::string EscalationReason(const core::ParsedMail& mail, const std::string& text) {
  std::string reason = "By email: " + (mail.subject.empty() ? "(no subject)" : mail.subject);
  if (!text.empty()) reason += "\n\n" + text;
  // At most kMaxReasonCharacters code points.
  size_t characters = 0;
  for (size_t i = 0; i < reason.size(); ++i) {
    if ((static_cast<unsigned char>(reason[i]) & 0xC0) != 0x80 &&
        ++characters > kMaxReasonCharacters) {
      reason.resize(i);
      break;
    }
  }
  return reason;
}

// The reply body: the visible text, or a placeholder when the message carried only files.
std::string ReplyBody(const core::ParsedMail& mail) {
  std::string body = MailVisibleText(mail, core::kMaxCommentLength);
  if (!body.empty()) return body;
  return mail.attachments.empty() ? "(empty message)" : "(attachments only)";
}

// Everything after parsing, in the one unit of work. Re-runnable: keeps no state outside.
absl::StatusOr<Outcome> Process(ports::StoreTransaction& txn, AppContext& context,
                                const core::ParsedMail& mail, const MailEnvelope& envelope,
                                InboundMail row,
                                const std::vector<StoredMailAttachment>& attachments,
                                absl::Time now) {
  Outcome outcome;
  absl::StatusOr<MailDeskSettings> settings = LoadMailDeskSettings(txn);
  if (!settings.ok()) return settings.status();

  // (c) The same message delivered again.
  if (!mail.message_id.empty()) {
    absl::StatusOr<std::optional<InboundMail>> earlier =
        txn.FindInboundMailByMessageId(mail.message_id);
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      row.status = InboundMailStatus::kDuplicate;
      row.reason = absl::StrCat("same Message-ID as inbound mail ", (*earlier)->id);
      absl::StatusOr<int64_t> id = txn.InsertInboundMail(row);
      if (!id.ok()) return id.status();
      outcome.result = {*id, row.status, 0, row.reason};
      return outcome;
    }
  }

  // (d)-(f) Facts for the sender policy.
  core::MailSenderFacts facts;
  facts.auto_kind = mail.auto_kind;
  facts.sender_address = row.from_address;
  absl::StatusOr<bool> own = IsOwnMail(txn, context, *settings, mail, row.from_address);
  if (!own.ok()) return own.status();
  facts.own_mail = *own;
  facts.quarantine_unknown = settings->unknown_senders == UnknownSenderTreatment::kQuarantine;
  facts.null_return_path = mail.null_return_path || envelope.mail_from == "<>";
  facts.now = now;
  facts.notice_interval = settings->notice_interval;
  const core::RouteDecision route = RouteFor(*settings, row.envelope_to, mail);
  facts.route = route.action;
  bool forged = false;
  const bool acts = mail.auto_kind == core::AutoKind::kNone && !facts.own_mail;
  if (acts) {
    absl::StatusOr<ThreadLookup> lookup =
        FindMailThread(txn, context, *settings, row.envelope_to, mail);
    if (!lookup.ok()) return lookup.status();
    forged = lookup->forged_reply_address;
    if (lookup->thread) {
      facts.thread = lookup->thread->record;
      facts.thread_source = lookup->thread->source;
    }
    if (absl::Status gathered = GatherSender(txn, row.from_address, facts); !gathered.ok()) {
      return gathered;
    }
    if (!row.from_address.empty()) {
      absl::StatusOr<std::optional<ports::MailAddressState>> state =
          txn.GetMailAddressState(row.from_address);
      if (!state.ok()) return state.status();
      if (state->has_value()) {
        facts.last_notice_at = (*state)->last_notice_at;
        facts.address_bouncing = (*state)->bounced_at.has_value();
      }
    }
  }
  const core::MailDecision decision = core::DecideInboundMail(facts);

  // (g) The row first, so everything it causes can name it.
  row.reason = decision.reason;
  if (forged && decision.action != core::MailAction::kAddReply &&
      decision.action != core::MailAction::kEscalate) {
    row.reason += row.reason.empty() ? "" : "; ";
    row.reason += "a reply address with a token that does not verify was ignored";
  }
  absl::StatusOr<int64_t> inbound_id = txn.InsertInboundMail(row);
  if (!inbound_id.ok()) return inbound_id.status();
  row.id = *inbound_id;
  MailCaseContent content = CaseContentFor(*settings, route, mail, attachments, row.id);

  switch (decision.action) {
    case core::MailAction::kBounce: {
      absl::StatusOr<int> marked = MarkBounces(txn, mail, row.id, now);
      if (!marked.ok()) return marked.status();
      row.status = InboundMailStatus::kBounce;
      row.reason = absl::StrCat("delivery status report; ", *marked, " address(es) marked");
      break;
    }
    case core::MailAction::kAutomatic:
      row.status = InboundMailStatus::kAutomatic;
      break;
    case core::MailAction::kQuarantine:
      row.status = InboundMailStatus::kQuarantined;
      if (decision.notify) {
        if (absl::Status queued =
                QueueSenderNotice(txn, context, "mail.quarantined", mail, row.from_address, now);
            !queued.ok()) {
          return queued;
        }
      }
      break;
    case core::MailAction::kRejectWithNotice:
      if (absl::Status queued =
              QueueSenderNotice(txn, context, "mail.unknown_sender", mail, row.from_address, now);
          !queued.ok()) {
        return queued;
      }
      row.status = InboundMailStatus::kRejected;
      break;
    case core::MailAction::kRejectSilently:
      row.status = InboundMailStatus::kRejected;
      break;
    case core::MailAction::kOpenCase: {
      core::Viewer requester;
      if (decision.create_contact) {
        absl::StatusOr<core::User> contact =
            CreateMailContact(txn, row.from_address, mail.from ? mail.from->name : "",
                              decision.org_id, /*actor=*/0, now);
        if (!contact.ok()) return contact.status();
        absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, *contact);
        if (!viewer.ok()) return viewer.status();
        requester = *std::move(viewer);
      } else {
        absl::StatusOr<core::Viewer> viewer = ViewerOfUser(txn, decision.user_id);
        if (!viewer.ok()) return viewer.status();
        requester = *std::move(viewer);
      }
      // An alias opens for its own organisation, which may differ from the requester's viewer
      // default only in theory: the requester is one of its people.
      absl::StatusOr<core::Case> opened =
          OpenCaseFromMail(txn, context, requester, requester.user_id, content, now);
      if (!opened.ok()) return opened.status();
      row.case_number = opened->number;
      row.status = InboundMailStatus::kCaseOpened;
      if (decision.escalate) {
        absl::StatusOr<int> armed =
            EscalateOnRequest(txn, *context.sla, *opened, EscalationTriggerFor(requester),
                              requester.user_id, EscalationReason(mail, content.description), now);
        if (!armed.ok()) return armed.status();
        row.reason = "opened through an escalation address and escalated";
      }
      break;
    }
    case core::MailAction::kAddReply:
    case core::MailAction::kEscalate: {
      absl::StatusOr<core::Viewer> author = ViewerOfUser(txn, decision.user_id);
      if (!author.ok()) return author.status();
      absl::StatusOr<MailReply> reply = AddReplyFromMail(
          txn, context, *author, decision.case_number, ReplyBody(mail), content, now);
      if (!reply.ok()) return reply.status();
      row.case_number = decision.case_number;
      row.comment_id = reply->comment_id;
      row.status = InboundMailStatus::kReplyAdded;
      if (decision.action == core::MailAction::kEscalate) {
        absl::StatusOr<int> armed = EscalateOnRequest(
            txn, *context.sla, reply->record, EscalationTriggerFor(*author), author->user_id,
            EscalationReason(mail, MailVisibleText(mail, 4 * kMaxReasonCharacters)), now);
        if (!armed.ok()) return armed.status();
        row.status = InboundMailStatus::kEscalated;
      }
      break;
    }
  }
  if (row.case_number != 0) {
    if (absl::Status recorded = RecordMailThreadIds(txn, mail, row.case_number); !recorded.ok()) {
      return recorded;
    }
  }
  if (absl::Status updated = txn.UpdateInboundMail(row); !updated.ok()) return updated;
  outcome.result = {row.id, row.status, row.case_number, row.reason};
  return outcome;
}

// Writes a row that records the message without acting on it (parse or processing failure).
absl::StatusOr<IngestResult> RecordFailure(AppContext& context, InboundMail row,
                                           std::string reason) {
  row.status = InboundMailStatus::kFailed;
  row.reason = std::move(reason);
  absl::StatusOr<int64_t> id = Await<int64_t>([&](Done<int64_t> done) {
    WriteValue<int64_t>(
        context.store,
        [row](ports::StoreTransaction& txn) -> absl::StatusOr<int64_t> {
          return txn.InsertInboundMail(row);
        },
        std::move(done));
  });
  if (!id.ok()) {
    return absl::UnavailableError("the inbound mail could not be recorded: " +
                                  std::string(id.status().message()));
  }
  return IngestResult{*id, InboundMailStatus::kFailed, 0, row.reason};
}

}  // namespace

absl::StatusOr<IngestResult> IngestMail(AppContext& context, const ports::MailParser& parser,
                                        std::string_view raw, const MailEnvelope& envelope) {
  const absl::Time now = context.clock.Now();
  InboundMail row;
  row.received_at = now;
  row.channel = envelope.channel.empty() ? "pipe" : envelope.channel;
  row.envelope_from = envelope.mail_from;
  row.envelope_to = core::NormaliseEmail(envelope.rcpt_to);
  if (row.envelope_to.empty()) row.envelope_to = envelope.rcpt_to;
  row.raw_size = static_cast<int64_t>(raw.size());

  // (a) Durable before anything else: whatever happens next, the message is kept.
  absl::StatusOr<std::string> digest = context.blobs.Put(raw);
  if (!digest.ok()) {
    return absl::UnavailableError("the raw message could not be stored: " +
                                  std::string(digest.status().message()));
  }
  row.raw_digest = *std::move(digest);

  // (b) Parse.
  absl::StatusOr<core::ParsedMail> parsed = parser.Parse(raw, core::MailLimits{.html_body = false});
  if (!parsed.ok()) {
    return RecordFailure(context, std::move(row),
                         "cannot be parsed: " + std::string(parsed.status().message()));
  }
  const core::ParsedMail& mail = *parsed;
  row.message_id = mail.message_id;
  if (mail.from) row.from_address = core::NormaliseEmail(mail.from->address);
  row.subject = core::CutAtCharacter(mail.subject, kMaxListedSubject);

  // Attachment bytes are stored before the unit of work, like any upload; only mail a person
  // wrote can become a case or a reply, so machines' attachments stay in the raw message.
  std::vector<StoredMailAttachment> attachments;
  if (mail.auto_kind == core::AutoKind::kNone && !mail.attachments.empty()) {
    absl::StatusOr<std::vector<StoredMailAttachment>> stored = StoreMailAttachments(context, mail);
    if (!stored.ok()) return stored.status();
    attachments = *std::move(stored);
  }

  absl::StatusOr<Outcome> outcome = Await<Outcome>([&](Done<Outcome> done) {
    WriteValue<Outcome>(
        context.store,
        [&context, &mail, &envelope, row, &attachments,
         now](ports::StoreTransaction& txn) -> absl::StatusOr<Outcome> {
          return Process(txn, context, mail, envelope, row, attachments, now);
        },
        std::move(done));
  });
  if (outcome.ok()) {
    WakeOutbox(context);  // a notice, or the mail a new case or reply causes
    return outcome->result;
  }
  if (absl::IsUnavailable(outcome.status())) return outcome.status();
  // The message could not be acted on (a rule refused it, a setting is broken): keep it as
  // failed with the reason, for an operator to look at and re-process.
  return RecordFailure(context, std::move(row),
                       "could not be processed: " + std::string(outcome.status().message()));
}

}  // namespace casedesk::app

// AcceptQuarantinedMail and RejectQuarantinedMail (declared in mail_ingest.h): an agent's
// decision about a message waiting in quarantine.
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/authenticate.h"
#include "app/mail_case_writer.h"
#include "app/mail_inbound_support.h"
#include "app/mail_ingest.h"
#include "app/mail_settings.h"
#include "app/outbox.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using ports::InboundMail;
using ports::InboundMailStatus;

absl::Status CheckStaff(const Caller& agent) {
  if (!core::IsProviderStaff(agent.viewer.role)) {
    return absl::PermissionDeniedError("only provider staff may decide about quarantined mail");
  }
  return absl::OkStatus();
}

// The row, when it still waits for a decision.
absl::StatusOr<InboundMail> LoadQuarantined(ports::StoreTransaction& txn, int64_t id) {
  absl::StatusOr<InboundMail> row = txn.GetInboundMail(id);
  if (absl::IsNotFound(row.status())) {
    return absl::NotFoundError(absl::StrCat("inbound mail ", id, " not found"));
  }
  if (!row.ok()) return row.status();
  if (row->status != InboundMailStatus::kQuarantined || row->decided_at) {
    return absl::FailedPreconditionError(
        absl::StrCat("inbound mail ", id, " is not waiting in quarantine (it is ",
                     std::string(ports::InboundMailStatusName(row->status)), ")"));
  }
  return row;
}

// Records an agent's decision on a quarantined row, with its "inbound_mail" audit event.
absl::StatusOr<IngestResult> RecordDecision(ports::StoreTransaction& txn, InboundMail& row,
                                            const Caller& agent, absl::Time now,
                                            InboundMailStatus status, std::string reason,
                                            std::string_view kind) {
  row.status = status;
  row.reason = std::move(reason);
  row.decided_at = now;
  row.decided_by = agent.viewer.user_id;
  if (absl::Status updated = txn.UpdateInboundMail(row); !updated.ok()) return updated;
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "status", "quarantined",
                     std::string(ports::InboundMailStatusName(row.status)));
  if (row.case_number != 0) {
    core::RecordChange(changes, "case_number", "", std::to_string(row.case_number));
  }
  core::RecordChange(changes, "reason", "", row.reason);
  absl::StatusOr<core::EventId> event =
      txn.AppendEvent(MakeAuditEvent("inbound_mail", absl::StrCat(row.id), agent.viewer.user_id,
                                     now, std::string(kind), std::move(changes)));
  if (!event.ok()) return event.status();
  return IngestResult{row.id, row.status, row.case_number, row.reason};
}

// The person the accepted message's case is opened for.
absl::StatusOr<core::Viewer> AcceptedRequester(ports::StoreTransaction& txn, const Caller& agent,
                                               const InboundMail& row, const core::ParsedMail& mail,
                                               std::optional<core::OrgId> org_id, absl::Time now) {
  if (row.from_address.empty()) {
    return absl::FailedPreconditionError("the message has no sender address to open a case for");
  }
  absl::StatusOr<core::User> user = txn.FindUserByEmail(row.from_address);
  if (user.ok()) {
    if (!user->active || core::IsProviderStaff(user->role)) {
      return absl::FailedPreconditionError(
          absl::StrCat(row.from_address, " belongs to a person who cannot open cases"));
    }
    if (org_id && *org_id != user->org_id) {
      return absl::InvalidArgumentError(absl::StrCat("org_id ", *org_id, ": ", row.from_address,
                                                     " belongs to organisation ", user->org_id));
    }
    return ViewerForUser(txn, *user);
  }
  if (!absl::IsNotFound(user.status())) return user.status();
  if (!org_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'org_id' is required: nobody has the address ", row.from_address));
  }
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(*org_id);
  if (absl::IsNotFound(org.status())) {
    return absl::InvalidArgumentError(absl::StrCat("org_id ", *org_id, " is not an organisation"));
  }
  if (!org.ok()) return org.status();
  core::User draft;
  draft.email = row.from_address;
  draft.role = core::Role::kCustomer;
  draft.org_id = org->id;
  draft.verified = false;
  if (absl::Status allowed = core::CheckCanCreateUser(agent.viewer, draft, *org); !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<core::User> contact = CreateMailContact(
      txn, row.from_address, mail.from ? mail.from->name : "", org->id, agent.viewer.user_id, now);
  if (!contact.ok()) return contact.status();
  return ViewerForUser(txn, *contact);
}

}  // namespace

absl::StatusOr<IngestResult> AcceptQuarantinedMail(AppContext& context,
                                                   const ports::MailParser& parser,
                                                   const Caller& agent, int64_t inbound_id,
                                                   std::optional<core::OrgId> org_id) {
  if (absl::Status staff = CheckStaff(agent); !staff.ok()) return staff;
  absl::StatusOr<InboundMail> waiting = ReadValue<InboundMail>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<InboundMail> {
        return LoadQuarantined(txn, inbound_id);
      });
  if (!waiting.ok()) return waiting.status();
  absl::StatusOr<std::string> raw = context.blobs.Get(waiting->raw_digest);
  if (!raw.ok()) return raw.status();
  absl::StatusOr<core::ParsedMail> parsed = parser.Parse(*raw, core::MailLimits{.html_body = false});
  if (!parsed.ok()) return parsed.status();
  const core::ParsedMail& mail = *parsed;
  absl::StatusOr<std::vector<StoredMailAttachment>> attachments =
      StoreMailAttachments(context, mail);
  if (!attachments.ok()) return attachments.status();

  const absl::Time now = context.clock.Now();
  return Await<IngestResult>([&](Done<IngestResult> done) {
    WriteValue<IngestResult>(
        context.store,
        [&](ports::StoreTransaction& txn) -> absl::StatusOr<IngestResult> {
          absl::StatusOr<InboundMail> row = LoadQuarantined(txn, inbound_id);
          if (!row.ok()) return row.status();
          absl::StatusOr<MailDeskSettings> settings = LoadMailDeskSettings(txn);
          if (!settings.ok()) return settings.status();
          absl::StatusOr<core::Viewer> requester =
              AcceptedRequester(txn, agent, *row, mail, org_id, now);
          if (!requester.ok()) return requester.status();
          const MailCaseContent content = CaseContentFor(
              *settings, RouteFor(*settings, row->envelope_to, mail), mail, *attachments, row->id);
          absl::StatusOr<core::Case> opened =
              OpenCaseFromMail(txn, context, *requester, agent.viewer.user_id, content, now);
          if (!opened.ok()) return opened.status();
          if (absl::Status recorded = RecordMailThreadIds(txn, mail, opened->number);
              !recorded.ok()) {
            return recorded;
          }
          row->case_number = opened->number;
          return RecordDecision(
              txn, *row, agent, now, InboundMailStatus::kCaseOpened,
              absl::StrCat("accepted from quarantine by user ", agent.viewer.user_id),
              kMailAccepted);
        },
        WakingOutbox(context, std::move(done)));
  });
}

absl::StatusOr<IngestResult> RejectQuarantinedMail(AppContext& context, const Caller& agent,
                                                   int64_t inbound_id, std::string reason) {
  if (absl::Status staff = CheckStaff(agent); !staff.ok()) return staff;
  if (reason.size() > 2000) {
    return absl::InvalidArgumentError("field 'reason' must be at most 2000 bytes");
  }
  const absl::Time now = context.clock.Now();
  return Await<IngestResult>([&](Done<IngestResult> done) {
    WriteValue<IngestResult>(
        context.store,
        [&](ports::StoreTransaction& txn) -> absl::StatusOr<IngestResult> {
          absl::StatusOr<InboundMail> row = LoadQuarantined(txn, inbound_id);
          if (!row.ok()) return row.status();
          return RecordDecision(
              txn, *row, agent, now, InboundMailStatus::kRejected,
              reason.empty() ? absl::StrCat("rejected by user ", agent.viewer.user_id) : reason,
              kMailRejected);
        },
        std::move(done));
  });
}

}  // namespace casedesk::app

#include "app/case_notifications.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

#include "app/authenticate.h"
#include "app/case_support.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "core/access.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

using json = nlohmann::json;

std::string StatusName(core::CaseStatus status) {
  return std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, status));
}

std::vector<core::UserId> CustomerSide(const core::Case& record) {
  std::vector<core::UserId> ids = {record.requester_id};
  ids.insert(ids.end(), record.followers.begin(), record.followers.end());
  return ids;
}

// The partner whose sender a case's customers hear from, if the case's organisation sits under
// a partner.
absl::StatusOr<std::optional<core::OrgId>> PartnerOf(ports::StoreTransaction& txn,
                                                     const core::Case& record) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record.org_id);
  if (!org.ok()) return org.status();
  if (org->kind == core::OrgKind::kPartner) return std::optional<core::OrgId>(org->id);
  if (!org->parent_id) return std::optional<core::OrgId>();
  absl::StatusOr<core::Organisation> parent = txn.GetOrganisation(*org->parent_id);
  if (!parent.ok()) return parent.status();
  if (parent->kind != core::OrgKind::kPartner) return std::optional<core::OrgId>();
  return std::optional<core::OrgId>(parent->id);
}

absl::StatusOr<bool> Bouncing(ports::StoreTransaction& txn, const std::string& address,
                              absl::Time now) {
  absl::StatusOr<std::optional<ports::MailAddressState>> state = txn.GetMailAddressState(address);
  if (!state.ok()) return state.status();
  return state->has_value() && (*state)->bounced_at &&
         now - *(*state)->bounced_at < kBounceQuarantine;
}

}  // namespace

absl::Status NotifyCaseChange(AppContext& context, ports::StoreTransaction& txn,
                              const CaseChange& change) {
  const core::Case& record = change.record;
  absl::StatusOr<std::optional<core::User>> actor = UserIfExists(txn, change.actor);
  if (!actor.ok()) return actor.status();
  const bool staff_actor = actor->has_value() && core::IsProviderStaff((*actor)->role);

  std::string kind;
  json values = json::object();
  std::vector<core::UserId> candidates;
  bool customer_side = true;
  switch (change.kind) {
    case CaseChangeKind::kInternalNote:
      return absl::OkStatus();
    case CaseChangeKind::kOpened: {
      kind = kMailCaseOpened;
      candidates = CustomerSide(record);
      values["severity"] = core::SeverityLevel(record.severity);
      absl::StatusOr<std::optional<core::User>> requester = UserIfExists(txn, record.requester_id);
      if (!requester.ok()) return requester.status();
      values["requester_name"] = requester->has_value() ? (*requester)->name : "";
      break;
    }
    case CaseChangeKind::kPublicReply:
      kind = kMailCaseReply;
      values["author_name"] = actor->has_value() ? (*actor)->name : "Support";
      values["comment"] = change.comment;
      if (staff_actor) {
        candidates = CustomerSide(record);
      } else {
        customer_side = false;
        if (record.assignee_id) candidates = {*record.assignee_id};
      }
      break;
    case CaseChangeKind::kStatusChanged:
      kind = kMailCaseStatus;
      candidates = CustomerSide(record);
      values["status"] = StatusName(record.status);
      values["previous_status"] = change.previous_status ? StatusName(*change.previous_status) : "";
      values["comment"] = change.comment;
      break;
    case CaseChangeKind::kSeverityChanged:
      kind = kMailCaseSeverity;
      candidates = CustomerSide(record);
      values["severity"] = core::SeverityLevel(record.severity);
      values["previous_severity"] =
          change.previous_severity ? core::SeverityLevel(*change.previous_severity) : 0;
      values["comment"] = change.comment;
      break;
  }
  values["case_subject"] = record.subject;

  std::optional<core::OrgId> sender_org;
  if (customer_side) {
    absl::StatusOr<std::optional<core::OrgId>> partner = PartnerOf(txn, record);
    if (!partner.ok()) return partner.status();
    sender_org = *partner;
  }

  const absl::Time now = context.clock.Now();
  MailQueue queue(
      MailQueueEnvironment{.now = now, .crypto = &context.crypto, .mail_from = context.mail_from},
      txn);
  std::vector<core::UserId> done;
  for (core::UserId id : candidates) {
    if (id == 0 || std::find(done.begin(), done.end(), id) != done.end()) continue;
    done.push_back(id);
    // The opening confirmation carries the case number the requester needs to reply by mail.
    const bool confirmation = change.kind == CaseChangeKind::kOpened && id == record.requester_id;
    if (id == change.actor && !confirmation) continue;
    absl::StatusOr<std::optional<core::User>> user = UserIfExists(txn, id);
    if (!user.ok()) return user.status();
    if (!user->has_value() || !(*user)->active) continue;
    absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, **user);
    if (!viewer.ok()) return viewer.status();
    if (!core::CanSeeCase(*viewer, record)) continue;
    absl::StatusOr<bool> bouncing = Bouncing(txn, (*user)->email, now);
    if (!bouncing.ok()) return bouncing.status();
    if (*bouncing) continue;
    MailRequest request;
    request.kind = kind;
    request.recipient_id = id;
    request.recipient_email = (*user)->email;
    request.recipient_name = (*user)->name;
    request.case_number = record.number;
    request.values = values;
    request.in_reply_to = change.in_reply_to;
    request.sender_org = sender_org;
    if (absl::Status queued = queue.Record(request); !queued.ok()) return queued;
  }
  return absl::OkStatus();
}

}  // namespace casedesk::app

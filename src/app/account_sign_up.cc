#include "app/account_sign_up.h"

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "app/account_links.h"
#include "app/account_requests.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxNameLength = 200;

std::string Reason(std::string_view what, std::string_view remote_address) {
  if (remote_address.empty()) return std::string(what);
  return absl::StrCat(std::string(what), " (from ", std::string(remote_address), ")");
}

// The one customer organisation whose mail settings claim the address's domain, if any.
absl::StatusOr<std::optional<core::Organisation>> OrganisationForAddress(
    ports::StoreTransaction& txn, const std::string& email) {
  const std::string domain = email.substr(email.find('@') + 1);
  absl::StatusOr<std::vector<OrganisationMailSettings>> all = ListOrganisationMailSettings(txn);
  if (!all.ok()) return all.status();
  std::set<core::OrgId> claimants;
  for (const OrganisationMailSettings& settings : *all) {
    for (const std::string& claimed : settings.domains) {
      if (absl::AsciiStrToLower(claimed) == domain) claimants.insert(settings.org_id);
    }
  }
  std::optional<core::Organisation> match;
  for (const core::OrgId id : claimants) {
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(id);
    if (absl::IsNotFound(org.status())) continue;
    if (!org.ok()) return org.status();
    if (org->kind != core::OrgKind::kCustomer) continue;
    // Claimed by two customers: nobody's, rather than a guess.
    if (match.has_value()) return std::optional<core::Organisation>();
    match = *std::move(org);
  }
  return match;
}

absl::Status QueueVerification(AppContext& context, ports::StoreTransaction& txn,
                               const core::User& user, const core::Organisation& org,
                               absl::Time now) {
  absl::StatusOr<std::string> token =
      IssueAccountLink(txn, context.crypto, ports::AccountTokenPurpose::kVerify, user.id, now);
  if (!token.ok()) return token.status();
  MailRequest mail;
  mail.kind = std::string(kMailAccountVerify);
  mail.recipient_id = user.id;
  mail.recipient_email = user.email;
  mail.recipient_name = user.name;
  mail.values =
      AccountLinkMailValues(context.public_url, ports::AccountTokenPurpose::kVerify, *token);
  mail.values["organisation"] = org.name;
  return QueueMail(context, txn, mail).status();
}

absl::Status QueueAccountExists(AppContext& context, ports::StoreTransaction& txn,
                                const core::User& user, absl::Time now) {
  absl::StatusOr<std::string> token =
      IssueAccountLink(txn, context.crypto, ports::AccountTokenPurpose::kReset, user.id, now);
  if (!token.ok()) return token.status();
  MailRequest mail;
  mail.kind = std::string(kMailPasswordReset);
  mail.recipient_id = user.id;
  mail.recipient_email = user.email;
  mail.recipient_name = user.name;
  mail.values =
      AccountLinkMailValues(context.public_url, ports::AccountTokenPurpose::kReset, *token);
  mail.values["already_registered"] = true;
  return QueueMail(context, txn, mail).status();
}

// How to get access, unless the address had an automatic notice within the desk's interval.
absl::StatusOr<SignUpResult> QueueNoOrganisation(AppContext& context, ports::StoreTransaction& txn,
                                                 const SignUpRequest& request, absl::Time now) {
  absl::StatusOr<MailDeskSettings> desk = LoadMailDeskSettings(txn);
  if (!desk.ok()) return desk.status();
  absl::StatusOr<std::optional<ports::MailAddressState>> state =
      txn.GetMailAddressState(request.email);
  if (!state.ok()) return state.status();
  if (state->has_value() && (*state)->last_notice_at.has_value() &&
      now < *(*state)->last_notice_at + desk->notice_interval) {
    return SignUpResult::kNoOrganisationQuiet;
  }
  MailRequest mail;
  mail.kind = std::string(kMailUnknownSender);
  mail.recipient_email = request.email;
  mail.recipient_name = request.name;
  mail.values = {{"sender_address", request.email}, {"sign_up", true}};
  if (absl::Status queued = QueueMail(context, txn, mail).status(); !queued.ok()) return queued;
  ports::MailAddressState updated = state->value_or(ports::MailAddressState{});
  updated.address = request.email;
  updated.last_notice_at = now;
  if (absl::Status put = txn.PutMailAddressState(updated); !put.ok()) return put;
  return SignUpResult::kNoOrganisation;
}

absl::Status AppendUserEvent(ports::StoreTransaction& txn, const core::User& user, absl::Time now,
                             std::string kind, std::string reason,
                             std::vector<core::FieldChange> changes = {}) {
  core::AuditEvent event = MakeAuditEvent("user", absl::StrCat(user.id), user.id, now,
                                          std::move(kind), std::move(changes));
  event.reason = std::move(reason);
  return txn.AppendEvent(event).status();
}

absl::StatusOr<SignUpResult> ExistingAccount(AppContext& context, ports::StoreTransaction& txn,
                                             const core::User& user, const std::string& reason,
                                             absl::Time now) {
  if (!user.active) {
    if (absl::Status event = AppendUserEvent(txn, user, now, "user.sign_up_refused",
                                             absl::StrCat(reason, ": account inactive"));
        !event.ok()) {
      return event;
    }
    return SignUpResult::kAccountInactive;
  }
  if (!user.verified && user.password_hash.empty()) {
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(user.org_id);
    if (!org.ok()) return org.status();
    if (absl::Status queued = QueueVerification(context, txn, user, *org, now); !queued.ok()) {
      return queued;
    }
    if (absl::Status event = AppendUserEvent(txn, user, now, "user.verification_sent", reason);
        !event.ok()) {
      return event;
    }
    return SignUpResult::kVerificationSent;
  }
  if (absl::Status queued = QueueAccountExists(context, txn, user, now); !queued.ok()) {
    return queued;
  }
  if (absl::Status event =
          AppendUserEvent(txn, user, now, "user.sign_up_for_existing_account", reason);
      !event.ok()) {
    return event;
  }
  return SignUpResult::kAccountExists;
}

absl::StatusOr<SignUpResult> NewAccount(AppContext& context, ports::StoreTransaction& txn,
                                        const SignUpRequest& request, const core::Organisation& org,
                                        const std::string& reason, absl::Time now) {
  core::User user;
  user.email = request.email;
  user.name = request.name;
  user.role = core::Role::kCustomer;
  user.org_id = org.id;
  user.verified = false;  // until the link is used
  user.active = true;
  user.created_at = now;
  absl::StatusOr<core::UserId> id = txn.InsertUser(user);
  if (!id.ok()) return id.status();
  user.id = *id;
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "email", "", user.email);
  core::RecordChange(changes, "name", "", user.name);
  core::RecordChange(changes, "role", "",
                     std::string(core::NameOf<core::Role>(core::kRoleNames, user.role)));
  core::RecordChange(changes, "org_id", "", absl::StrCat(user.org_id));
  core::RecordChange(changes, "verified", "", BoolText(false));
  if (absl::Status event =
          AppendUserEvent(txn, user, now, "user.signed_up", reason, std::move(changes));
      !event.ok()) {
    return event;
  }
  if (absl::Status queued = QueueVerification(context, txn, user, org, now); !queued.ok()) {
    return queued;
  }
  return SignUpResult::kVerificationSent;
}

}  // namespace

absl::Status SignUp(AppContext& context, SignUpRequest request, Admitted admitted,
                    Done<SignUpResult> done) {
  request.name = std::string(absl::StripAsciiWhitespace(request.name));
  if (request.name.empty() || request.name.size() > kMaxNameLength) {
    return absl::InvalidArgumentError("name: enter your name (at most 200 characters)");
  }
  absl::StatusOr<std::string> email = NormaliseRequestAddress(request.email);
  if (!email.ok()) return email.status();
  request.email = *std::move(email);
  std::string address = request.email;
  auto proceed = [&context, request = std::move(request), done = std::move(done)]() mutable {
    const absl::Time now = context.clock.Now();
    const std::string reason = Reason("sign-up", request.remote_address);
    WriteValue<SignUpResult>(
        context.store,
        [&context, request = std::move(request), reason,
         now](ports::StoreTransaction& txn) -> absl::StatusOr<SignUpResult> {
          absl::StatusOr<core::User> existing = txn.FindUserByEmail(request.email);
          if (existing.ok()) return ExistingAccount(context, txn, *existing, reason, now);
          if (!absl::IsNotFound(existing.status())) return existing.status();
          absl::StatusOr<std::optional<core::Organisation>> org =
              OrganisationForAddress(txn, request.email);
          if (!org.ok()) return org.status();
          if (!org->has_value()) return QueueNoOrganisation(context, txn, request, now);
          return NewAccount(context, txn, request, **org, reason, now);
        },
        WakingOutbox<SignUpResult>(context, std::move(done)));
  };
  AdmitAccountRequest(context, kSignUpThrottle, std::move(address), std::move(proceed),
                      std::move(admitted));
  return absl::OkStatus();
}

}  // namespace casedesk::app

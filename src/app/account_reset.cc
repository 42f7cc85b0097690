#include "app/account_reset.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/account_links.h"
#include "app/account_requests.h"
#include "app/mail_templates.h"
#include "app/outbox.h"

namespace casedesk::app {

absl::Status RequestPasswordReset(AppContext& context, PasswordResetRequest request,
                                  Admitted admitted, Done<PasswordResetResult> done) {
  absl::StatusOr<std::string> normalised = NormaliseRequestAddress(request.email);
  if (!normalised.ok()) return normalised.status();
  auto proceed = [&context, email = *normalised, remote = std::move(request.remote_address),
                  done = std::move(done)]() mutable {
    const absl::Time now = context.clock.Now();
    WriteValue<PasswordResetResult>(
        context.store,
        [&context, email = std::move(email), remote = std::move(remote),
         now](ports::StoreTransaction& txn) -> absl::StatusOr<PasswordResetResult> {
          absl::StatusOr<core::User> user = txn.FindUserByEmail(email);
          if (absl::IsNotFound(user.status())) return PasswordResetResult::kUnknownAddress;
          if (!user.ok()) return user.status();
          if (!user->active) return PasswordResetResult::kAccountInactive;
          absl::StatusOr<std::string> token = IssueAccountLink(
              txn, context.crypto, ports::AccountTokenPurpose::kReset, user->id, now);
          if (!token.ok()) return token.status();
          MailRequest mail;
          mail.kind = std::string(kMailPasswordReset);
          mail.recipient_id = user->id;
          mail.recipient_email = user->email;
          mail.recipient_name = user->name;
          mail.values =
              AccountLinkMailValues(context.public_url, ports::AccountTokenPurpose::kReset, *token);
          if (absl::Status queued = QueueMail(context, txn, mail).status(); !queued.ok()) {
            return queued;
          }
          core::AuditEvent event = MakeAuditEvent("user", absl::StrCat(user->id), user->id, now,
                                                  "user.password_reset_requested");
          event.reason =
              remote.empty() ? "reset request" : absl::StrCat("reset request (from ", remote, ")");
          if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) {
            return appended;
          }
          return PasswordResetResult::kMailed;
        },
        WakingOutbox<PasswordResetResult>(context, std::move(done)));
  };
  AdmitAccountRequest(context, kPasswordResetThrottle, *std::move(normalised), std::move(proceed),
                      std::move(admitted));
  return absl::OkStatus();
}

}  // namespace casedesk::app

#include "app/account_contacts.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/account_links.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "app/users.h"

namespace casedesk::app {
namespace {

constexpr int kPageSize = 200;

absl::Status NotManaged(core::UserId id) {
  return absl::NotFoundError(absl::StrCat("user ", id, " not found"));
}

// Queues an invitation for `id` in the caller's unit of work, after checking the caller still
// manages the contact and the contact has not accepted an earlier one.
absl::StatusOr<core::User> QueueInvitation(AppContext& context, ports::StoreTransaction& txn,
                                           const Caller& caller, core::UserId id, absl::Time now) {
  absl::StatusOr<core::User> user = txn.GetUser(id);
  if (absl::IsNotFound(user.status())) return NotManaged(id);
  if (!user.ok()) return user.status();
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(user->org_id);
  if (!org.ok()) return org.status();
  if (!core::CanSeeOrganisation(caller.viewer, *org)) return NotManaged(id);
  if (absl::Status allowed = CheckCanManageUser(caller.viewer, *user, *org); !allowed.ok()) {
    return allowed;
  }
  if (!user->active) {
    return absl::FailedPreconditionError("user: reactivate the contact before inviting them");
  }
  if (user->verified || !user->password_hash.empty()) {
    return absl::FailedPreconditionError("user: this contact has already joined");
  }
  absl::StatusOr<std::string> token =
      IssueAccountLink(txn, context.crypto, ports::AccountTokenPurpose::kInvite, user->id, now);
  if (!token.ok()) return token.status();
  MailRequest mail;
  mail.kind = std::string(kMailAccountVerify);
  mail.recipient_id = user->id;
  mail.recipient_email = user->email;
  mail.recipient_name = user->name;
  mail.values =
      AccountLinkMailValues(context.public_url, ports::AccountTokenPurpose::kInvite, *token);
  mail.values["invited_by"] = caller.user.name;
  mail.values["organisation"] = org->name;
  if (absl::Status queued = QueueMail(context, txn, mail).status(); !queued.ok()) return queued;
  core::AuditEvent event =
      MakeAuditEvent("user", absl::StrCat(user->id), caller.user.id, now, "user.invited");
  if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) return appended;
  return user;
}

// CreateUser's refusals in the form "<field>: ...", so the page shows them beside the field.
absl::Status FieldError(const absl::Status& status) {
  const std::string message(status.message());
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError("email: someone already has an account with this address");
  }
  if (absl::IsInvalidArgument(status) && message.starts_with("email ")) {
    return absl::InvalidArgumentError("email: enter an address such as name@example.com");
  }
  if (absl::IsInvalidArgument(status) && message.starts_with("name ")) {
    return absl::InvalidArgumentError("name: enter a name of 1 to 200 characters");
  }
  return status;
}

}  // namespace

bool ManagesContacts(const core::Viewer& viewer) {
  return viewer.role == core::Role::kCustomer && viewer.org_admin;
}

absl::StatusOr<ContactList> ListContacts(AppContext& context, const core::Viewer& viewer) {
  if (!ManagesContacts(viewer)) {
    return absl::PermissionDeniedError("only an organisation's admin manages its contacts");
  }
  ContactList list;
  absl::StatusOr<core::Organisation> org = ReadValue<core::Organisation>(
      context.store,
      [&viewer](ports::StoreTransaction& txn) { return txn.GetOrganisation(viewer.org_id); });
  if (!org.ok()) return org.status();
  list.org = *std::move(org);
  UserListRequest request;
  request.org_id = viewer.org_id;
  request.page.limit = kPageSize;
  // Bounded: an organisation's contacts are a short list, but the pages are walked in full.
  for (int pages = 0; pages < 1000; ++pages) {
    absl::StatusOr<ports::Page<core::User>> page = ListUsers(context, viewer, request);
    if (!page.ok()) return page.status();
    for (core::User& user : page->items) list.contacts.push_back(std::move(user));
    if (page->next_cursor.empty()) break;
    request.page.cursor = page->next_cursor;
  }
  return list;
}

void InviteContact(AppContext& context, const Caller& caller, ContactInvitation invitation,
                   Done<core::User> done) {
  if (!ManagesContacts(caller.viewer)) {
    return done(absl::PermissionDeniedError("only an organisation's admin invites contacts"));
  }
  NewUser request;
  request.email = std::move(invitation.email);
  request.name = std::move(invitation.name);
  request.role = core::Role::kCustomer;
  request.org_id = caller.viewer.org_id;
  request.verified = false;  // until the invitation is accepted
  CreateUser(context, caller.viewer, std::move(request),
             [&context, caller, done = std::move(done)](absl::StatusOr<core::User> created) {
               if (!created.ok()) return done(FieldError(created.status()));
               ResendInvitation(context, caller, created->id, std::move(done));
             });
}

void ResendInvitation(AppContext& context, const Caller& caller, core::UserId id,
                      Done<core::User> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<core::User>(
      context.store,
      [&context, caller, id, now](ports::StoreTransaction& txn) {
        return QueueInvitation(context, txn, caller, id, now);
      },
      WakingOutbox<core::User>(context, std::move(done)));
}

}  // namespace casedesk::app

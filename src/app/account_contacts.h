// An organisation admin's authorised contacts (the portal's Contacts page): the people of their
// organisation, inviting a new contact (created unverified, with an invitation link that works
// like a verification link: the invitee chooses a password and is signed in), sending the
// invitation again, and (through app/users' UpdateUser and its rules) deactivating,
// reactivating and making org admins. Who may do what comes from app/users: CreateUser's rules
// (core::CheckCanCreateUser) and CheckCanManageUser.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/organisation.h"
#include "core/user.h"

namespace casedesk::app {

// Whether the caller manages an organisation's contacts on the portal: a customer contact who
// is their organisation's admin.
bool ManagesContacts(const core::Viewer& viewer);

struct ContactList {
  core::Organisation org;
  std::vector<core::User> contacts;  // by id
};

// The caller's organisation and its people; PermissionDenied unless ManagesContacts.
absl::StatusOr<ContactList> ListContacts(AppContext& context, const core::Viewer& viewer);

struct ContactInvitation {
  std::string email;
  std::string name;
};

// Creates the contact in the caller's organisation (CreateUser's rules; refusals name the field:
// AlreadyExists "email: ..." when the address is taken, InvalidArgument "name: ..."), then queues
// the invitation (account.verify with `invited_by`, valid 72 h) in a second unit of work; a failure
// there leaves an uninvited contact that ResendInvitation can invite. Audit: "user.created", then
// "user.invited".
void InviteContact(AppContext& context, const Caller& caller, ContactInvitation invitation,
                   Done<core::User> done);

// A new invitation link for a contact who has not accepted yet (unverified, no password,
// active); FailedPrecondition otherwise, NotFound for someone the caller may not manage.
void ResendInvitation(AppContext& context, const Caller& caller, core::UserId id,
                      Done<core::User> done);

}  // namespace casedesk::app

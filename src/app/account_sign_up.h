// Signing up for a customer account from the browser (seed 001: "sign up with your work
// address, get a welcome mail with a verification link, click it and choose your password").
//
// Which organisation: the one whose mail settings (mail_settings.h, `domains`) list the
// address's domain; only customer organisations take sign-ups, and a domain two of them claim
// is nobody's. The page's answer is always the same ("check your mail"); the mail differs:
//   - new address of a matching organisation: a customer contact is created, unverified and
//     without a password, and gets a verification link (account_links.h, 24 h);
//   - an address that has an account but was never verified: a new verification link;
//   - an address that has a verified account or a password: "you already have an account",
//     with a password reset link (1 h);
//   - no matching organisation: how to get access (ask the organisation's admin), at most once
//     per the desk's notice interval per address (the same stamp unknown senders' notices use);
//   - a deactivated account: nothing.
// All mail goes through the outbox in the same unit of work.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "app/account_requests.h"
#include "app/app_context.h"
#include "app/store_calls.h"

namespace casedesk::app {

struct SignUpRequest {
  std::string email;
  std::string name;
  std::string remote_address;  // recorded in the audit events; may be empty
};

// What a sign-up caused; for logs and tests only (the page never says).
enum class SignUpResult {
  kVerificationSent,     // a new contact (or an unverified one again) got a verification link
  kAccountExists,        // "you already have an account" with a reset link
  kNoOrganisation,       // no organisation claims the domain: how to get access
  kNoOrganisationQuiet,  // ... but the address had such a notice recently
  kAccountInactive,      // deactivated: nothing is sent
};

// Checks the request at once: InvalidArgument naming the field ("name: ...", "email: ...").
// When it returns OK the request is counted against kSignUpThrottle and `admitted` is told the
// outcome (account_requests.h); an admitted request's unit of work is queued and `done` gets its
// outcome after the commit. Pages answer on `admitted` without waiting for `done`.
absl::Status SignUp(AppContext& context, SignUpRequest request, Admitted admitted,
                    Done<SignUpResult> done);

}  // namespace casedesk::app

// What sign-up and password-reset requests share: the per-address limit on how often mail may
// be asked for, and the messages every answer uses. The answer to a request never says whether
// the address has an account (the mail it causes differs, the page does not), and the request's
// unit of work is not waited for, so neither the answer nor its timing tells which addresses
// exist.
// Thread-safe: the throttle is thread-safe; the functions are stateless.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/sign_in_throttle.h"

namespace casedesk::app {

// Requests per address within the window (a SignInThrottle(kMaxAccountRequests,
// kAccountRequestWindow) counts them; sign-up and reset use one each); beyond that,
// ResourceExhausted. Each request counts, whatever it causes.
inline constexpr int kMaxAccountRequests = 5;
inline constexpr absl::Duration kAccountRequestWindow = absl::Hours(1);

inline constexpr std::string_view kTooManyAccountRequestsMessage =
    "Too many requests for this address; try again in an hour.";

// The normalised address when a request for it may go ahead, counting it; InvalidArgument
// "email: ..." for an address that does not normalise, ResourceExhausted
// (kTooManyAccountRequestsMessage) when the address has asked too often.
absl::StatusOr<std::string> AdmitAccountRequest(SignInThrottle& throttle, std::string_view email,
                                                absl::Time now);

}  // namespace casedesk::app

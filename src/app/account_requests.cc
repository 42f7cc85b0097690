#include "app/account_requests.h"

#include "absl/strings/ascii.h"
#include "core/user.h"

namespace casedesk::app {

absl::StatusOr<std::string> AdmitAccountRequest(SignInThrottle& throttle, std::string_view email,
                                                absl::Time now) {
  // Surrounding blanks are a typing accident (pasted addresses), not part of the address.
  const std::string normalised =
      core::NormaliseEmail(std::string(absl::StripAsciiWhitespace(std::string(email))));
  if (normalised.empty()) {
    return absl::InvalidArgumentError("email: enter an address such as name@example.com");
  }
  if (throttle.Blocked(normalised, now)) {
    return absl::ResourceExhaustedError(std::string(kTooManyAccountRequestsMessage));
  }
  throttle.RecordFailure(normalised, now);
  return normalised;
}

}  // namespace casedesk::app

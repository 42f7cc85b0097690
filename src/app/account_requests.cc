#include "app/account_requests.h"

#include <memory>
#include <utility>

#include "absl/strings/ascii.h"
#include "core/user.h"

namespace casedesk::app {

absl::StatusOr<std::string> NormaliseRequestAddress(std::string_view email) {
  // Surrounding blanks are a typing accident (pasted addresses), not part of the address.
  const std::string normalised =
      core::NormaliseEmail(std::string(absl::StripAsciiWhitespace(std::string(email))));
  if (normalised.empty()) {
    return absl::InvalidArgumentError("email: enter an address such as name@example.com");
  }
  return normalised;
}

void AdmitAccountRequest(AppContext& context, const Throttle& throttle, std::string address,
                         std::function<void()> proceed, Admitted admitted) {
  const absl::Time now = context.clock.Now();
  auto counted = std::make_shared<bool>(false);
  context.store.Write(
      [key = ThrottleKey(context.crypto, throttle, address), throttle, now,
       counted](ports::StoreTransaction& txn) -> absl::Status {
        absl::StatusOr<bool> hit = CountThrottleHit(txn, throttle, key, now);
        if (!hit.ok()) return hit.status();
        *counted = *hit;
        return absl::OkStatus();
      },
      [counted, proceed = std::move(proceed), admitted = std::move(admitted)](absl::Status status) {
        if (!status.ok()) return admitted(std::move(status));
        if (!*counted) {
          return admitted(
              absl::ResourceExhaustedError(std::string(kTooManyAccountRequestsMessage)));
        }
        proceed();
        admitted(absl::OkStatus());
      });
}

}  // namespace casedesk::app

#include "ports/store.h"

#include <future>

namespace casedesk::ports {

absl::Status Store::WriteAndWait(UnitOfWork work) {
  std::promise<absl::Status> outcome;
  auto result = outcome.get_future();
  Write(std::move(work), [&outcome](absl::Status status) { outcome.set_value(std::move(status)); });
  return result.get();
}

absl::Status StoreTransaction::ArmCaseTimers(core::CaseNumber number, std::string_view key_prefix,
                                             const std::vector<Timer>& timers) {
  std::vector<std::string> keys;
  for (const Timer& timer : timers) {
    if (timer.case_number != number) {
      return absl::InvalidArgumentError("ArmCaseTimers: a timer of another case");
    }
    if (absl::Status armed = ArmTimer(timer); !armed.ok()) return armed;
    keys.push_back(timer.key);
  }
  return DisarmTimersExcept(number, key_prefix, keys);
}

}  // namespace casedesk::ports

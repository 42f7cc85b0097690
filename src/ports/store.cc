#include "ports/store.h"

#include <future>

namespace casedesk::ports {

absl::Status Store::WriteAndWait(UnitOfWork work) {
  std::promise<absl::Status> outcome;
  auto result = outcome.get_future();
  Write(std::move(work), [&outcome](absl::Status status) { outcome.set_value(std::move(status)); });
  return result.get();
}

}  // namespace casedesk::ports

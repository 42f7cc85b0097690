// The console page frame (see console_frame.h).
#include "adapters/http/console_frame.h"

#include <optional>
#include <utility>

#include "app/store_calls.h"

namespace casedesk::adapters::http {

std::string ConsoleDeskName(app::AppContext& context) {
  absl::StatusOr<std::string> name = app::ReadValue<std::string>(
      context.store, [](ports::StoreTransaction& txn) -> absl::StatusOr<std::string> {
        absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
        if (!provider.ok()) return provider.status();
        return *provider ? (*provider)->name : std::string("Casedesk");
      });
  return name.ok() ? *std::move(name) : std::string("Casedesk");
}

web::ConsoleFrame MakeConsoleFrame(app::AppContext& context, const WebCaller& web,
                                   std::string active, std::string title) {
  web::ConsoleFrame frame;
  frame.desk_name = ConsoleDeskName(context);
  frame.user_name = web.caller.user.name.empty() ? web.caller.user.email : web.caller.user.name;
  frame.csrf_token = web.csrf_token;
  frame.active = std::move(active);
  frame.title = std::move(title);
  return frame;
}

}  // namespace casedesk::adapters::http

// The `casedesk calendar` subcommands, for operators checking a business-hours
// policy: `calendar add` prints the instant at which N business minutes have
// elapsed, `calendar between` prints the business seconds between two
// instants. Each takes a calendar file (TOML, or JSON if it ends in ".json")
// and RFC 3339 instants, writes its answer to `out` and returns 0, or writes
// one clear message to `err` and returns 2. The CLI11 wiring lives with the
// main program.
//
// Thread safety: stateless; safe to call concurrently with distinct streams.

#ifndef CASEDESK_ADAPTERS_CLI_CALENDAR_COMMAND_H_
#define CASEDESK_ADAPTERS_CLI_CALENDAR_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>

namespace casedesk::adapters {

// `casedesk calendar add --calendar FILE --from INSTANT --minutes N`: prints
// the resulting instant in RFC 3339 UTC ("2026-03-09T13:00:00Z") and a
// newline.
int RunCalendarAdd(const std::string& calendar_path, const std::string& from,
                   int64_t minutes, std::ostream& out, std::ostream& err);

// `casedesk calendar between --calendar FILE --from A --to B`: prints the
// whole business seconds in [A, B) (0 if B <= A) and a newline.
int RunCalendarBetween(const std::string& calendar_path,
                       const std::string& from, const std::string& to,
                       std::ostream& out, std::ostream& err);

}  // namespace casedesk::adapters

#endif  // CASEDESK_ADAPTERS_CLI_CALENDAR_COMMAND_H_

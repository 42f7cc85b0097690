// `casedesk mail ingest` (one message on stdin from an MTA pipe, procmail or fetchmail) and
// `casedesk mail parse` (one message on stdin, printed as JSON for operators).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace casedesk {

// The exit status an MTA understands: 0 once the message is stored (whatever became of it),
// 75 (EX_TEMPFAIL: the MTA keeps it and retries) when it could not be stored for any reason.
inline constexpr int kExitTemporaryFailure = 75;

int RunMailIngest(const std::string& data_dir, const std::optional<std::string>& config_file,
                  const std::string& recipient, const std::string& sender, std::istream& in);

int RunMailParse(std::istream& in, std::ostream& out);

}  // namespace casedesk

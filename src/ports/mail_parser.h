// Turning raw RFC 5322 bytes into a ParsedMail. Implemented with GMime (adapters/mail). Any
// bytes are accepted: a message too broken to parse is InvalidArgument with the reason, and a
// message past a limit parses partially (ParsedMail::limits_hit). Implementations must be
// thread-safe.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "core/mail_message.h"

namespace casedesk::ports {

class MailParser {
 public:
  virtual ~MailParser() = default;
  virtual absl::StatusOr<core::ParsedMail> Parse(std::string_view raw,
                                                 const core::MailLimits& limits) const = 0;
};

}  // namespace casedesk::ports

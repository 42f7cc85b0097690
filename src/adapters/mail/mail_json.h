// The JSON form of a parsed message, exactly as `casedesk mail parse` prints it, and the command
// itself (stdin -> JSON on stdout). Thread-safe: pure functions over their arguments.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "absl/status/status.h"
#include "core/mail_message.h"
#include "ports/mail_parser.h"

namespace casedesk::adapters::mail {

// Keys: from ({address, name} or null), to, cc (lists of {address, name}), subject, date
// (RFC 3339 UTC or null), message_id, in_reply_to, references, text, html (sanitised or null),
// reply, attachments ({filename, content_type, size, content_id, inline}), auto ("none",
// "auto_replied", "auto_generated", "bounce", "bulk"), bounced_recipients, limits_hit.
nlohmann::json ParsedMailToJson(const core::ParsedMail& mail);

// Reads one message from `in` to its end, parses it with the default limits and writes the JSON
// (2-space indent) and a newline to `out`. InvalidArgument when the input is not a message.
absl::Status RunMailParse(std::istream& in, std::ostream& out, const ports::MailParser& parser);

}  // namespace casedesk::adapters::mail

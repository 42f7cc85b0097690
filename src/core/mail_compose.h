// Composing outgoing mail: one RFC 5322 message (CRLF line ends) from plain values. Header text
// that is not plain ASCII becomes RFC 2047 encoded words (UTF-8), header lines are folded at 78
// columns, bodies are quoted-printable UTF-8 (text/plain, or multipart/alternative with an HTML
// part). Header injection is impossible: addresses and Message-IDs with control characters,
// spaces or brackets are refused (InvalidArgument naming the field), and control characters in
// free text (subject, display names, extra header values) become spaces.
// Pure: no clock, no randomness (the caller gives the date and the Message-ID).
// Thread-safe: stateless functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

struct MailMailbox {
  std::string address;  // local@domain, ASCII
  std::string name;     // display name, any UTF-8 text; empty: the bare address
};

struct MailHeaderField {
  std::string name;   // e.g. "X-Casedesk-Case"; printable ASCII without ':' or spaces
  std::string value;  // free text
};

struct OutgoingMessage {
  MailMailbox from;
  std::vector<MailMailbox> to;  // at least one
  std::vector<MailMailbox> reply_to;
  std::string subject;
  std::string text_body;                // UTF-8; any line ends
  std::string html_body;                // empty: text only; otherwise multipart/alternative
  std::string message_id;               // without angle brackets; required
  std::string in_reply_to;              // without angle brackets; empty when none
  std::vector<std::string> references;  // oldest first, without angle brackets
  // System mail: Auto-Submitted: auto-generated and X-Auto-Response-Suppress: All (RFC 3834), so
  // auto-responders stay quiet.
  bool automatic = false;
  absl::Time date = absl::UnixEpoch();
  std::vector<MailHeaderField> extra_headers;
};

// The whole message. InvalidArgument (naming the field) for an unusable address, Message-ID or
// header name, or for a message without recipients.
absl::StatusOr<std::string> ComposeMessage(const OutgoingMessage& message);

// "<random>@<domain>" without brackets; characters that may not appear in a Message-ID are
// dropped from both parts (an empty domain becomes "casedesk.invalid").
std::string MakeMessageId(std::string_view random, std::string_view domain);

// Whether `id` (without brackets) may be written into a Message-ID, In-Reply-To or References
// header: printable ASCII without spaces, brackets or quotes, with one '@' not at either end.
bool IsValidMessageId(std::string_view id);

// Whether `address` may be written as a mailbox: ASCII local@domain without spaces, controls,
// brackets, quotes, commas or semicolons.
bool IsValidMailAddress(std::string_view address);

// Text with every control character (C0, DEL, C1, U+2028/U+2029) replaced by a space and bytes
// that are not valid UTF-8 replaced by U+FFFD: safe to place in a header.
std::string HeaderSafeText(std::string_view text);

// The domain part of an address (lower case), or "" when it has none.
std::string MailDomainOf(std::string_view address);

}  // namespace casedesk::core

// ports::MailParser with GMime 3.2: raw RFC 5322 bytes to a core::ParsedMail, every string
// valid UTF-8, bodies and attachments found through nested multiparts, forwarded messages,
// TNEF (winmail.dat) and delivery status reports, within core::MailLimits. Thread-safe: the
// parser holds only immutable options; each Parse works on its own GMime objects.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "core/mail_message.h"
#include "ports/mail_parser.h"

typedef struct _GMimeParserOptions GMimeParserOptions;

namespace casedesk::adapters::mail {

class GmimeMailParser final : public ports::MailParser {
 public:
  GmimeMailParser();  // initialises GMime once per process
  ~GmimeMailParser() override;
  GmimeMailParser(const GmimeMailParser&) = delete;
  GmimeMailParser& operator=(const GmimeMailParser&) = delete;

  absl::StatusOr<core::ParsedMail> Parse(std::string_view raw,
                                         const core::MailLimits& limits) const override;

 private:
  GMimeParserOptions* options_;  // lenient RFC 2047/2231/address parsing, fallback charsets
};

}  // namespace casedesk::adapters::mail

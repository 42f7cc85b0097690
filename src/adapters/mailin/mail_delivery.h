// What the inbound mail transports (LMTP listener, IMAP poller) hand over: one raw RFC 5322
// message and its envelope, to a function the wiring connects to the ingest use case. This
// library knows nothing of the store; the function is the whole contract.
//
// Thread-safety: a DeliverFn is called from the transports' own threads (one LMTP connection
// thread per message, the poller's thread), possibly concurrently; it must be thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace casedesk::adapters::mailin {

struct MailDelivery {
  std::string channel;    // "lmtp", or the poller's configured channel ("imap" by default)
  std::string mail_from;  // envelope sender (LMTP MAIL FROM, "" for the null path or IMAP)
  std::string rcpt_to;    // envelope recipient (one LMTP RCPT; the IMAP poller's rcpt_to option)
};

// Returns OK only once the message is durably stored, whatever became of it (case, reply,
// quarantine, rejection record). Unavailable means "try again later" (the store is down); any
// other error means it could not be kept: the transports retry it like Unavailable (the LMTP
// client gets a 4xx, the IMAP message stays unseen) and log it.
using DeliverFn = std::function<absl::Status(std::string_view raw, const MailDelivery&)>;

}  // namespace casedesk::adapters::mailin

// The email channel's long-running parts inside `casedesk serve`, wired from configuration:
// the outbox delivery worker (always: webhooks need no SMTP; mail is sent once smtp.url is set
// and waits until then), the LMTP listener (mail.lmtp_listen) and
// the IMAP poller (mail.imap_url), all feeding or draining the same use cases as the
// `casedesk mail ingest` pipe. With several nodes, the node holding the mailbox's lease
// (app/work_leases.h) polls it; the others wait their turn. Thread-safe: Start and Stop are
// called by serve's main thread.
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "main/desk.h"

namespace casedesk {

class MailServices {
 public:
  explicit MailServices(Desk& desk);
  ~MailServices();  // stops what is running
  MailServices(const MailServices&) = delete;
  MailServices& operator=(const MailServices&) = delete;

  // Starts every configured part; an error (a bad listen address, a port in use) names the
  // setting, and nothing is left running.
  absl::Status Start();
  // Stops accepting mail, then lets the delivery worker finish its batch. Idempotent.
  void Stop();

 private:
  struct Parts;
  Desk& desk_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace casedesk

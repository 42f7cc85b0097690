// Polls one IMAP(S) mailbox and hands each unseen message to a DeliverFn. A message is fetched
// with BODY.PEEK[] (which leaves \Seen alone) and only after the DeliverFn said OK (durably
// stored) is it marked \Seen, moved to a folder, or deleted; a failed delivery, a crash or a lost
// connection in between leaves it unseen for the next poll. If marking fails after a successful
// delivery the message is delivered again next time, so the ingest side should recognise a
// message it already holds.
//
// Several mailboxes are several pollers; several nodes polling one mailbox take turns through
// `may_poll`. Start() runs a thread that polls every poll_interval;
// Stop() wakes it and joins it promptly (connects and waits are cut short).
//
// Thread-safety: PollOnce must not run concurrently with itself or with the polling thread;
// Start and Stop are called from one owning thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "adapters/mailin/mail_delivery.h"

namespace casedesk::adapters::mailin {

struct PollCounts {
  int fetched = 0;    // messages fetched from the server this poll
  int delivered = 0;  // of those, stored (DeliverFn OK) and then marked/moved/deleted
  int failed = 0;     // not stored (DeliverFn error, or over max_message_bytes); left unseen
};

class ImapPoller {
 public:
  enum class After { kMarkSeen, kMove, kDelete };

  struct Options {
    std::string url;  // imap://host:port/MAILBOX or imaps://host:port/MAILBOX (INBOX if empty)
    std::string username;
    std::string password;
    After after = After::kMarkSeen;
    std::string folder;  // kMove: where stored messages go (created when missing)
    absl::Duration poll_interval = absl::Seconds(60);
    int batch = 50;                // at most this many messages per poll, oldest first
    std::string channel = "imap";  // MailDelivery::channel
    std::string rcpt_to;           // MailDelivery::rcpt_to: the address this mailbox serves
    bool verify_tls = true;
    bool require_starttls = false;               // imap:// only
    absl::Duration timeout = absl::Seconds(60);  // connect+login, and each command
    size_t max_message_bytes = 50u << 20;        // larger messages stay unseen (counted failed)
    // Several nodes: asked before each poll from the polling thread; when it says no (another
    // node polls this mailbox now), the poll is skipped until the next interval. Unset: always.
    std::function<bool()> may_poll;
    // Where progress and errors are reported; stderr when empty. Never given credentials.
    std::function<void(std::string_view)> log;
  };

  // InvalidArgument naming the field when the options cannot work.
  static absl::Status ValidateOptions(const Options& options);

  ImapPoller(Options options, DeliverFn deliver);
  ~ImapPoller();  // stops the thread
  ImapPoller(const ImapPoller&) = delete;
  ImapPoller& operator=(const ImapPoller&) = delete;

  // One pass: connect, log in, deliver up to `batch` unseen messages. Errors are about the
  // mailbox (InvalidArgument options, PermissionDenied login, Unavailable server, NotFound
  // mailbox); a failed delivery is not an error but a count.
  absl::StatusOr<PollCounts> PollOnce();

  void Start();
  void Stop();

 private:
  void Run();
  void Log(std::string_view message) const;

  const Options options_;
  const DeliverFn deliver_;
  const absl::Status valid_;
  std::atomic<bool> stopping_{false};
  absl::Mutex mutex_;
  bool wake_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

}  // namespace casedesk::adapters::mailin

// An LMTP listener (RFC 2033) for MTAs that deliver by LMTP (Postfix `lmtp:inet:host:port` or
// `lmtp:unix:/path`). Each accepted recipient of a message gets its own reply after the data:
// 250 once the DeliverFn stored the message for that recipient, 451 when it could not (the MTA
// keeps the message and retries), 552 when the message is over max_message_bytes.
//
// Plain POSIX sockets, one thread accepting and one thread per connection, at most `threads`
// connections at once (more are told 421 and closed, so the MTA retries).
//
// Thread-safety: Start and Stop are called from one owning thread; the DeliverFn is called from
// the connection threads concurrently.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "adapters/mailin/lmtp_connection.h"
#include "adapters/mailin/mail_delivery.h"

namespace casedesk::adapters::mailin {

class LmtpServer {
 public:
  struct Options {
    // "HOST:PORT" ("127.0.0.1:24", "[::1]:0"; port 0 picks a free one) or "unix:/path/to/socket".
    std::string listen = "127.0.0.1:0";
    size_t max_message_bytes = 50u << 20;
    int threads = 16;  // connections served at once
    absl::Duration idle_timeout = absl::Minutes(5);
    int max_recipients = 100;
    std::string hostname = "casedesk";  // named in the greeting and the LHLO answer
    // Where delivery errors are reported; stderr when empty.
    std::function<void(std::string_view)> log;
  };

  // InvalidArgument naming the field when the options cannot work.
  static absl::Status ValidateOptions(const Options& options);

  LmtpServer(Options options, DeliverFn deliver);
  ~LmtpServer();  // stops
  LmtpServer(const LmtpServer&) = delete;
  LmtpServer& operator=(const LmtpServer&) = delete;

  // Binds, listens and starts accepting; returns the bound TCP port (0 for a Unix socket).
  absl::StatusOr<int> Start();
  // Stops accepting, cuts open connections (a message whose data has not all arrived is not
  // delivered; one being delivered finishes first), joins every thread. Idempotent.
  void Stop();

 private:
  void AcceptLoop();
  void Serve(int client);
  void Log(std::string_view message) const;

  const Options options_;
  const DeliverFn deliver_;
  LmtpConnection::Settings settings_;
  int listener_ = -1;
  std::string unix_path_;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  absl::Mutex mutex_;
  std::set<int> clients_ ABSL_GUARDED_BY(mutex_);  // open connection sockets
  int running_ ABSL_GUARDED_BY(mutex_) = 0;        // connection threads alive
};

}  // namespace casedesk::adapters::mailin

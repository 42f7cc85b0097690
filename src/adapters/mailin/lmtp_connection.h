// One LMTP (RFC 2033) session over a connected socket: greeting, LHLO, MAIL, RCPT, DATA with
// dot-unstuffing and one reply per recipient, RSET, NOOP, VRFY, QUIT. Command lines are limited
// in length, the data in size; a client that is silent for the idle timeout or keeps sending
// garbage is told 421 and dropped. Replies are collected and written when the session would
// otherwise wait for input, so a pipelined group gets its answers in one write.
//
// Thread-safety: a connection object serves one socket on one thread.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/mailin/mail_delivery.h"

namespace casedesk::adapters::mailin {

class LmtpConnection {
 public:
  struct Settings {
    size_t max_message_bytes = 50u << 20;
    absl::Duration idle_timeout = absl::Minutes(5);
    int max_recipients = 100;
    std::string hostname = "casedesk";
    std::function<void(std::string_view)> log;
  };

  // Does not own the socket.
  LmtpConnection(int socket, const Settings& settings, const DeliverFn& deliver);

  // Serves the session until QUIT, the peer leaves, a timeout, or too many errors.
  void Run();

 private:
  enum class Read { kLine, kTimeout, kClosed };

  Read ReadCommandLine(std::string* line, bool* too_long);
  Read ReadData(std::string* message, size_t* size);
  Read Fill();  // flushes pending replies, then waits for and reads more input
  bool Flush();
  void Reply(std::string_view reply);
  void Handle(std::string_view line, bool* quit);
  void Mail(std::string_view arguments);
  void Rcpt(std::string_view arguments);
  void Data(bool* quit);
  void ResetTransaction();

  const int socket_;
  const Settings& settings_;
  const DeliverFn& deliver_;
  std::string input_;
  size_t position_ = 0;
  std::string output_;
  bool greeted_ = false;
  bool in_transaction_ = false;
  std::string mail_from_;
  std::vector<std::string> recipients_;
  int errors_ = 0;
};

}  // namespace casedesk::adapters::mailin

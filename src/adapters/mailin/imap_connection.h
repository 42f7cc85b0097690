// One logged-in IMAP session. libcurl does the connection, TLS (imaps:// or STARTTLS, peer
// verification on unless switched off) and the SASL login (CURLOPT_CONNECT_ONLY stops right
// after it); after that we speak the commands ourselves over curl_easy_send/recv, because
// libcurl's custom-request mode hands FETCH literals over line by line (long lines are cut,
// a body line that looks like the tag ends the response), and its own fetch (;UID=) uses
// BODY[], which sets \Seen before the message is stored.
//
// Credentials go to libcurl only; no error or log line carries them (URLs with user info are
// refused).
//
// Thread-safety: a connection is used by one thread at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace casedesk::adapters::mailin {

// imap://host[:port]/MAILBOX or imaps://..., taken apart.
struct ImapEndpoint {
  std::string connect_url;  // scheme://host:port/ (what libcurl connects to)
  std::string display;      // scheme://host:port/MAILBOX, safe for errors and logs
  std::string mailbox;      // percent-decoded; "INBOX" when the path is empty
};
absl::StatusOr<ImapEndpoint> ParseImapUrl(std::string_view url);

// Mailbox names are sent as quoted strings: printable ASCII only (names with other characters
// are written in IMAP's modified UTF-7, e.g. "Gel&APY-scht"). `field` names the setting.
absl::Status CheckMailboxName(std::string_view name, std::string_view field);
std::string QuoteMailbox(std::string_view name);

// One untagged response: its text with each literal's "{N}" marker left in place, and the
// literals' bytes in order.
struct ImapUntagged {
  std::string text;
  std::vector<std::string> literals;
};

struct ImapResponse {
  std::vector<ImapUntagged> untagged;
  std::string status;  // OK, NO or BAD
  std::string text;    // the rest of the tagged line, e.g. "[TRYCREATE] Mailbox doesn't exist"
  bool ok() const { return status == "OK"; }
};

class ImapConnection {
 public:
  struct Options {
    std::string url;
    std::string username;
    std::string password;
    bool verify_tls = true;
    bool require_starttls = false;               // imap:// only: refuse to log in without STARTTLS
    absl::Duration timeout = absl::Seconds(60);  // connect+login, and each command
    size_t max_literal_bytes = 64u << 20;
    std::function<bool()> cancelled;  // checked while waiting; true aborts with Cancelled
  };

  // Connects and logs in. PermissionDenied when the login is refused, Unavailable when the
  // server cannot be reached, InvalidArgument for a bad URL.
  static absl::StatusOr<std::unique_ptr<ImapConnection>> Open(const Options& options);
  ~ImapConnection();
  ImapConnection(const ImapConnection&) = delete;
  ImapConnection& operator=(const ImapConnection&) = delete;

  // Sends one command (without tag and CRLF) and reads up to its tagged answer. Errors are for
  // the transport (Unavailable, DeadlineExceeded, Cancelled, DataLoss for a response we cannot
  // read); a NO or BAD answer is a response.
  absl::StatusOr<ImapResponse> Command(std::string_view command);

  const ImapEndpoint& endpoint() const { return endpoint_; }

 private:
  ImapConnection(void* curl, ImapEndpoint endpoint, const Options& options);
  absl::Status SendAll(std::string_view bytes, absl::Time deadline);
  absl::Status Fill(absl::Time deadline);  // reads more bytes into buffer_
  absl::Status ReadLine(std::string* line, absl::Time deadline);
  absl::Status ReadBytes(size_t count, std::string* out, absl::Time deadline);
  absl::Status Wait(bool for_write, absl::Time deadline);
  absl::Status Failed(absl::Status status);  // marks the session broken

  void* curl_;  // CURL*
  ImapEndpoint endpoint_;
  absl::Duration timeout_;
  size_t max_literal_bytes_;
  std::function<bool()> cancelled_;
  std::string buffer_;
  size_t position_ = 0;
  int next_tag_ = 1;
  absl::Status broken_;
};

}  // namespace casedesk::adapters::mailin

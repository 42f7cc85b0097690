// One logged-in IMAP session over libcurl's connect-only mode (see imap_connection.h).
#include "adapters/mailin/imap_connection.h"

#include <curl/curl.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace casedesk::adapters::mailin {
namespace {

// Everything but a literal's bytes: long enough for a SEARCH answer naming 100,000 UIDs.
constexpr size_t kMaxLineBytes = 8u << 20;
constexpr int kWaitSliceMs = 100;  // how often a wait looks at the cancel flag

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string UrlPart(CURLU* url, CURLUPart part, unsigned flags = 0) {
  char* value = nullptr;
  if (curl_url_get(url, part, &value, flags) != CURLUE_OK || value == nullptr) return "";
  std::string result(value);
  curl_free(value);
  return result;
}

// "... {123}" at the end of a line: the size of the literal that follows.
bool LiteralSize(std::string_view line, size_t* size) {
  if (line.empty() || line.back() != '}') return false;
  const size_t open = line.rfind('{');
  if (open == std::string_view::npos) return false;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > 15) return false;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), *size);
  return error == std::errc() && end == digits.data() + digits.size();
}

}  // namespace

absl::StatusOr<ImapEndpoint> ParseImapUrl(std::string_view text) {
  CURLU* url = curl_url();
  if (url == nullptr) return absl::ResourceExhaustedError("out of memory");
  std::unique_ptr<CURLU, void (*)(CURLU*)> owner(url, curl_url_cleanup);
  // The URL itself is not echoed: it could carry a password.
  if (curl_url_set(url, CURLUPART_URL, std::string(text).c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(
        "IMAP url: not a valid URL (expected imap://host:port/MAILBOX or imaps://...)");
  }
  const std::string scheme = UrlPart(url, CURLUPART_SCHEME);
  if (scheme != "imap" && scheme != "imaps") {
    return absl::InvalidArgumentError("IMAP url: the scheme must be imap or imaps");
  }
  if (!UrlPart(url, CURLUPART_USER).empty() || !UrlPart(url, CURLUPART_PASSWORD).empty()) {
    return absl::InvalidArgumentError(
        "IMAP url: must not contain credentials; set username and password separately");
  }
  const std::string host = UrlPart(url, CURLUPART_HOST);
  if (host.empty()) return absl::InvalidArgumentError("IMAP url: no host");
  const std::string port = UrlPart(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  std::string mailbox = UrlPart(url, CURLUPART_PATH, CURLU_URLDECODE);
  if (!mailbox.empty() && mailbox.front() == '/') mailbox.erase(0, 1);
  if (const size_t semicolon = mailbox.find(';'); semicolon != std::string::npos) {
    mailbox.resize(semicolon);  // ;UIDVALIDITY=... and friends name messages, not mailboxes
  }
  if (mailbox.empty()) mailbox = "INBOX";
  if (absl::Status status = CheckMailboxName(mailbox, "IMAP url mailbox"); !status.ok()) {
    return status;
  }
  ImapEndpoint endpoint;
  endpoint.connect_url = absl::StrCat(scheme, "://", host, ":", port, "/");
  endpoint.display = absl::StrCat(scheme, "://", host, ":", port, "/", mailbox);
  endpoint.mailbox = std::move(mailbox);
  return endpoint;
}

absl::Status CheckMailboxName(std::string_view name, std::string_view field) {
  if (name.empty()) return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": empty"));
  for (char ch : name) {
    if (ch < 0x20 || ch > 0x7e) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(field),
                       ": only printable ASCII (write other names in IMAP's modified UTF-7, e.g. "
                       "Gel&APY-scht)"));
    }
  }
  return absl::OkStatus();
}

std::string QuoteMailbox(std::string_view name) {
  std::string quoted = "\"";
  for (char ch : name) {
    if (ch == '"' || ch == '\\') quoted += '\\';
    quoted += ch;
  }
  quoted += '"';
  return quoted;
}

absl::StatusOr<std::unique_ptr<ImapConnection>> ImapConnection::Open(const Options& options) {
  absl::StatusOr<ImapEndpoint> endpoint = ParseImapUrl(options.url);
  if (!endpoint.ok()) return endpoint.status();
  InitCurlOnce();
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::ResourceExhaustedError("cannot create a libcurl handle");
  std::unique_ptr<ImapConnection> connection(new ImapConnection(curl, *endpoint, options));
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(options.timeout));
  char error_buffer[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, endpoint->connect_url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt(curl, CURLOPT_USERNAME, options.username.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, options.password.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                   std::max(1L, timeout_ms / 1000));  // also bounds LOGOUT at cleanup
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  curl_easy_setopt(curl, CURLOPT_USE_SSL,
                   options.require_starttls ? static_cast<long>(CURLUSESSL_ALL)
                                            : static_cast<long>(CURLUSESSL_TRY));
  // Lets Stop() abort a slow connect or login.
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, connection.get());
  curl_easy_setopt(
      curl, CURLOPT_XFERINFOFUNCTION,
      +[](void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> int {
        const auto& cancelled = static_cast<ImapConnection*>(self)->cancelled_;
        return cancelled && cancelled() ? 1 : 0;
      });
  const CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  const std::string where = absl::StrCat("IMAP ", endpoint->display, ": ");
  switch (code) {
    case CURLE_OK:
      return connection;
    case CURLE_LOGIN_DENIED:
      return absl::PermissionDeniedError(
          absl::StrCat(where, "login refused (check the username and password)"));
    case CURLE_ABORTED_BY_CALLBACK:
      return absl::CancelledError(absl::StrCat(where, "stopped while connecting"));
    case CURLE_USE_SSL_FAILED:
      return absl::FailedPreconditionError(
          absl::StrCat(where, "the server does not offer STARTTLS (require_starttls is on)"));
    default:
      return absl::UnavailableError(absl::StrCat(
          where, "cannot connect and log in: ", curl_easy_strerror(code),
          error_buffer[0] != '\0' ? absl::StrCat(" (", error_buffer, ")") : std::string()));
  }
}

ImapConnection::ImapConnection(void* curl, ImapEndpoint endpoint, const Options& options)
    : curl_(curl),
      endpoint_(std::move(endpoint)),
      timeout_(options.timeout),
      max_literal_bytes_(options.max_literal_bytes),
      cancelled_(options.cancelled) {}

ImapConnection::~ImapConnection() {
  // libcurl sends LOGOUT and waits for the answer when it closes a session it believes healthy.
  // After a timeout, a cancel or a protocol error there is no point: cut the socket so that
  // LOGOUT fails at once instead of waiting on a server that is not answering.
  if (!broken_.ok()) {
    curl_socket_t socket = CURL_SOCKET_BAD;
    if (curl_easy_getinfo(static_cast<CURL*>(curl_), CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK &&
        socket != CURL_SOCKET_BAD) {
      ::shutdown(socket, SHUT_RDWR);
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

absl::Status ImapConnection::Failed(absl::Status status) {
  broken_ = status;
  return status;
}

absl::Status ImapConnection::Wait(bool for_write, absl::Time deadline) {
  curl_socket_t socket = CURL_SOCKET_BAD;
  if (curl_easy_getinfo(static_cast<CURL*>(curl_), CURLINFO_ACTIVESOCKET, &socket) != CURLE_OK ||
      socket == CURL_SOCKET_BAD) {
    return absl::UnavailableError(absl::StrCat("IMAP ", endpoint_.display, ": connection lost"));
  }
  while (true) {
    if (cancelled_ && cancelled_()) {
      return absl::CancelledError(absl::StrCat("IMAP ", endpoint_.display, ": stopped"));
    }
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) {
      return absl::DeadlineExceededError(absl::StrCat(
          "IMAP ", endpoint_.display, ": no answer within ", absl::FormatDuration(timeout_)));
    }
    pollfd descriptor{socket, static_cast<short>(for_write ? POLLOUT : POLLIN), 0};
    const int slice =
        static_cast<int>(std::min<int64_t>(kWaitSliceMs, absl::ToInt64Milliseconds(left) + 1));
    if (::poll(&descriptor, 1, slice) > 0) return absl::OkStatus();
  }
}

absl::Status ImapConnection::SendAll(std::string_view bytes, absl::Time deadline) {
  while (!bytes.empty()) {
    size_t sent = 0;
    const CURLcode code =
        curl_easy_send(static_cast<CURL*>(curl_), bytes.data(), bytes.size(), &sent);
    if (code == CURLE_AGAIN) {
      if (absl::Status status = Wait(true, deadline); !status.ok()) return status;
      continue;
    }
    if (code != CURLE_OK) {
      return absl::UnavailableError(
          absl::StrCat("IMAP ", endpoint_.display, ": send failed: ", curl_easy_strerror(code)));
    }
    bytes.remove_prefix(sent);
  }
  return absl::OkStatus();
}

absl::Status ImapConnection::Fill(absl::Time deadline) {
  if (position_ > 0 && position_ == buffer_.size()) {
    buffer_.clear();
    position_ = 0;
  } else if (position_ > (1u << 20)) {
    buffer_.erase(0, position_);
    position_ = 0;
  }
  char chunk[64 * 1024];
  while (true) {
    size_t received = 0;
    const CURLcode code = curl_easy_recv(static_cast<CURL*>(curl_), chunk, sizeof chunk, &received);
    if (code == CURLE_AGAIN) {
      if (absl::Status status = Wait(false, deadline); !status.ok()) return status;
      continue;
    }
    if (code != CURLE_OK) {
      return absl::UnavailableError(
          absl::StrCat("IMAP ", endpoint_.display, ": receive failed: ", curl_easy_strerror(code)));
    }
    if (received == 0) {
      return absl::UnavailableError(
          absl::StrCat("IMAP ", endpoint_.display, ": the server closed the connection"));
    }
    buffer_.append(chunk, received);
    return absl::OkStatus();
  }
}

absl::Status ImapConnection::ReadLine(std::string* line, absl::Time deadline) {
  while (true) {
    const size_t end = buffer_.find('\n', position_);
    if (end != std::string::npos) {
      size_t stop = end;
      if (stop > position_ && buffer_[stop - 1] == '\r') --stop;
      line->append(buffer_, position_, stop - position_);
      position_ = end + 1;
      return absl::OkStatus();
    }
    if (buffer_.size() - position_ + line->size() > kMaxLineBytes) {
      return absl::DataLossError(
          absl::StrCat("IMAP ", endpoint_.display, ": a response line is too long"));
    }
    if (absl::Status status = Fill(deadline); !status.ok()) return status;
  }
}

absl::Status ImapConnection::ReadBytes(size_t count, std::string* out, absl::Time deadline) {
  out->reserve(count);
  while (out->size() < count) {
    if (position_ == buffer_.size()) {
      if (absl::Status status = Fill(deadline); !status.ok()) return status;
    }
    const size_t take = std::min(count - out->size(), buffer_.size() - position_);
    out->append(buffer_, position_, take);
    position_ += take;
  }
  return absl::OkStatus();
}

absl::StatusOr<ImapResponse> ImapConnection::Command(std::string_view command) {
  if (!broken_.ok()) return broken_;
  const absl::Time deadline = absl::Now() + timeout_;
  const std::string tag = absl::StrCat("c", next_tag_++);
  if (absl::Status status = SendAll(absl::StrCat(tag, " ", std::string(command), "\r\n"), deadline);
      !status.ok()) {
    return Failed(status);
  }
  ImapResponse response;
  while (true) {
    std::string line;
    std::vector<std::string> literals;
    if (absl::Status status = ReadLine(&line, deadline); !status.ok()) return Failed(status);
    // A line ending in {N} continues after N bytes of literal data.
    size_t size = 0;
    while (LiteralSize(line, &size)) {
      if (size > max_literal_bytes_) {
        return Failed(absl::ResourceExhaustedError(
            absl::StrCat("IMAP ", endpoint_.display, ": the server sent ", size,
                         " bytes in one piece, more than the limit of ", max_literal_bytes_)));
      }
      std::string literal;
      if (absl::Status status = ReadBytes(size, &literal, deadline); !status.ok()) {
        return Failed(status);
      }
      literals.push_back(std::move(literal));
      if (absl::Status status = ReadLine(&line, deadline); !status.ok()) return Failed(status);
    }
    if (line.starts_with("* ")) {
      response.untagged.push_back({line.substr(2), std::move(literals)});
      continue;
    }
    if (line.starts_with(tag + " ")) {
      std::string_view rest = std::string_view(line).substr(tag.size() + 1);
      const size_t space = rest.find(' ');
      response.status = std::string(rest.substr(0, space));
      response.text = space == std::string_view::npos ? "" : std::string(rest.substr(space + 1));
      if (response.status != "OK" && response.status != "NO" && response.status != "BAD") {
        return Failed(absl::DataLossError(absl::StrCat(
            "IMAP ", endpoint_.display, ": unexpected answer status ", response.status)));
      }
      return response;
    }
    // Continuation requests ("+ ...") are not expected: we never send literals. Anything else
    // means we lost track of the protocol.
    return Failed(absl::DataLossError(
        absl::StrCat("IMAP ", endpoint_.display, ": unexpected response line")));
  }
}

}  // namespace casedesk::adapters::mailin

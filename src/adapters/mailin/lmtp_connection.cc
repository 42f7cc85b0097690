// One LMTP session over a socket (lmtp_connection.h).
#include "adapters/mailin/lmtp_connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace casedesk::adapters::mailin {
namespace {

// RFC 5321 allows 512 octets; extensions (SIZE=, BODY=) and long addresses get some slack.
constexpr size_t kMaxCommandLine = 2048;
constexpr size_t kMaxAddress = 512;
// Bad commands tolerated per session before we hang up on what is probably not an MTA.
constexpr int kMaxErrors = 10;
// In DATA, a line longer than this is passed on in pieces instead of being held whole.
constexpr size_t kDataPiece = 64 * 1024;

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char ch) {
    const auto byte = static_cast<unsigned char>(ch);
    return (byte < 0x20 && ch != '\t') || byte == 0x7f;
  });
}

// "FROM:<a@b> SIZE=1" after the keyword: the address between <> and the rest.
bool ParsePath(std::string_view arguments, std::string_view keyword, std::string* address,
               std::string_view* rest) {
  if (!absl::StartsWithIgnoreCase(std::string(arguments), std::string(keyword))) return false;
  arguments.remove_prefix(keyword.size());
  while (!arguments.empty() && arguments.front() == ' ') arguments.remove_prefix(1);
  if (arguments.empty() || arguments.front() != '<') return false;
  bool quoted = false;
  for (size_t i = 1; i < arguments.size(); ++i) {
    const char ch = arguments[i];
    if (ch == '\\' && quoted) {
      ++i;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == '>' && !quoted) {
      *address = std::string(arguments.substr(1, i - 1));
      *rest = arguments.substr(i + 1);
      // A source route (<@a,@b:user@c>) is allowed and ignored (RFC 5321 C).
      if (!address->empty() && address->front() == '@') {
        const size_t colon = address->find(':');
        if (colon == std::string::npos) return false;
        address->erase(0, colon + 1);
      }
      return address->size() <= kMaxAddress;
    }
  }
  return false;
}

}  // namespace

LmtpConnection::LmtpConnection(int socket, const Settings& settings, const DeliverFn& deliver)
    : socket_(socket), settings_(settings), deliver_(deliver) {}

void LmtpConnection::Reply(std::string_view reply) {
  output_.append(reply);
  output_.append("\r\n");
}

bool LmtpConnection::Flush() {
  size_t sent = 0;
  while (sent < output_.size()) {
    const ssize_t written =
        ::send(socket_, output_.data() + sent, output_.size() - sent, MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      output_.clear();
      return false;
    }
    sent += static_cast<size_t>(written);
  }
  output_.clear();
  return true;
}

LmtpConnection::Read LmtpConnection::Fill() {
  if (!Flush()) return Read::kClosed;
  if (position_ > 0) {
    input_.erase(0, position_);
    position_ = 0;
  }
  pollfd descriptor{socket_, POLLIN, 0};
  int ready;
  do {
    ready =
        ::poll(&descriptor, 1, static_cast<int>(absl::ToInt64Milliseconds(settings_.idle_timeout)));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) return Read::kTimeout;
  if (ready < 0) return Read::kClosed;
  char chunk[64 * 1024];
  ssize_t received;
  do {
    received = ::recv(socket_, chunk, sizeof chunk, 0);
  } while (received < 0 && errno == EINTR);
  if (received <= 0) return Read::kClosed;
  input_.append(chunk, static_cast<size_t>(received));
  return Read::kLine;
}

LmtpConnection::Read LmtpConnection::ReadCommandLine(std::string* line, bool* too_long) {
  *too_long = false;
  while (true) {
    const size_t end = input_.find('\n', position_);
    if (end != std::string::npos) {
      if (!*too_long) {
        size_t stop = end;
        if (stop > position_ && input_[stop - 1] == '\r') --stop;
        line->assign(input_, position_, stop - position_);
        *too_long = line->size() > kMaxCommandLine;
      }
      position_ = end + 1;
      return Read::kLine;
    }
    if (input_.size() - position_ > kMaxCommandLine) {
      *too_long = true;  // drop what we have, keep reading to the end of the line
      position_ = input_.size();
    }
    if (Read result = Fill(); result != Read::kLine) return result;
  }
}

LmtpConnection::Read LmtpConnection::ReadData(std::string* message, size_t* size) {
  bool at_line_start = true;
  *size = 0;
  auto append = [&](std::string_view piece) {
    *size += piece.size();
    if (*size > settings_.max_message_bytes) {
      message->clear();
      message->shrink_to_fit();  // keep counting, stop holding
    } else {
      message->append(piece);
    }
  };
  while (true) {
    while (position_ < input_.size()) {
      const size_t end = input_.find('\n', position_);
      if (end == std::string::npos) {
        // Part of a line: wait for the rest unless it is long (keep the last byte, a CR
        // that may belong to the line end).
        if (input_.size() - position_ < kDataPiece) break;
        std::string_view piece(input_.data() + position_, input_.size() - position_ - 1);
        if (at_line_start && piece.front() == '.') piece.remove_prefix(1);
        append(piece);
        position_ = input_.size() - 1;
        at_line_start = false;
        break;
      }
      std::string_view line(input_.data() + position_, end - position_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      position_ = end + 1;
      if (at_line_start && line == ".") return Read::kLine;
      if (at_line_start && !line.empty() && line.front() == '.') line.remove_prefix(1);
      append(line);
      append("\r\n");  // bare LF becomes CRLF: the stored message has one line ending
      at_line_start = true;
    }
    if (Read result = Fill(); result != Read::kLine) return result;
  }
}

void LmtpConnection::ResetTransaction() {
  in_transaction_ = false;
  mail_from_.clear();
  recipients_.clear();
}

void LmtpConnection::Mail(std::string_view arguments) {
  if (!greeted_) return Reply("503 5.5.1 Send LHLO first");
  if (in_transaction_) return Reply("503 5.5.1 Nested MAIL command");
  std::string address;
  std::string_view rest;
  if (!ParsePath(arguments, "FROM:", &address, &rest)) {
    ++errors_;
    return Reply("501 5.5.4 Syntax: MAIL FROM:<address> [SIZE=n] [BODY=7BIT|8BITMIME]");
  }
  for (absl::string_view parameter : absl::StrSplit(std::string(rest), ' ', absl::SkipEmpty())) {
    const std::string upper = absl::AsciiStrToUpper(parameter);
    if (upper.starts_with("SIZE=")) {
      size_t size = 0;
      const std::string_view digits = std::string_view(upper).substr(5);
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), size);
      if (error == std::errc::result_out_of_range ||
          (error == std::errc() && end == digits.data() + digits.size() &&
           size > settings_.max_message_bytes)) {
        return Reply(absl::StrCat("552 5.3.4 Message size exceeds fixed maximum of ",
                                  settings_.max_message_bytes, " bytes"));
      }
      if (error != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
        ++errors_;
        return Reply("501 5.5.4 Bad SIZE parameter");
      }
    } else if (upper == "BODY=7BIT" || upper == "BODY=8BITMIME") {
      // Both are stored as received.
    } else {
      ++errors_;
      return Reply("555 5.5.4 Unsupported MAIL parameter");
    }
  }
  in_transaction_ = true;
  mail_from_ = std::move(address);
  Reply("250 2.1.0 Sender OK");
}

void LmtpConnection::Rcpt(std::string_view arguments) {
  if (!in_transaction_) return Reply("503 5.5.1 Send MAIL first");
  std::string address;
  std::string_view rest;
  if (!ParsePath(arguments, "TO:", &address, &rest) || address.empty()) {
    ++errors_;
    return Reply("501 5.1.3 Syntax: RCPT TO:<address>");
  }
  if (!absl::StripAsciiWhitespace(std::string(rest)).empty()) {
    ++errors_;
    return Reply("555 5.5.4 Unsupported RCPT parameter");
  }
  if (recipients_.size() >= static_cast<size_t>(settings_.max_recipients)) {
    return Reply("452 4.5.3 Too many recipients");
  }
  recipients_.push_back(std::move(address));
  Reply("250 2.1.5 Recipient OK");
}

void LmtpConnection::Data(bool* quit) {
  if (!in_transaction_) return Reply("503 5.5.1 Send MAIL first");
  if (recipients_.empty()) return Reply("503 5.5.1 No valid recipients");
  Reply("354 Start mail input; end with <CRLF>.<CRLF>");
  std::string message;
  size_t size = 0;
  const Read read = ReadData(&message, &size);
  if (read != Read::kLine) {
    // The client left or went silent mid-DATA: nothing is delivered.
    if (read == Read::kTimeout) Reply("421 4.4.2 Idle timeout, closing connection");
    *quit = true;
    return;
  }
  if (size > settings_.max_message_bytes) {
    for (size_t i = 0; i < recipients_.size(); ++i) {
      Reply(absl::StrCat("552 5.3.4 Message size exceeds fixed maximum of ",
                         settings_.max_message_bytes, " bytes"));
    }
  } else {
    MailDelivery delivery{"lmtp", mail_from_, ""};
    for (const std::string& recipient : recipients_) {
      delivery.rcpt_to = recipient;
      absl::Status status = deliver_(message, delivery);
      if (status.ok()) {
        Reply("250 2.0.0 Delivered");
        continue;
      }
      if (!absl::IsUnavailable(status)) {
        const std::string text =
            absl::StrCat("LMTP: message from <", mail_from_, "> for <", recipient,
                         "> could not be kept (the MTA will retry): ", status.ToString());
        if (settings_.log) {
          settings_.log(text);
        } else {
          std::cerr << "casedesk mail: " << text << std::endl;
        }
      }
      Reply("451 4.3.0 Temporary failure storing the message, try again later");
    }
  }
  ResetTransaction();
}

void LmtpConnection::Handle(std::string_view line, bool* quit) {
  const size_t space = line.find(' ');
  const std::string verb = absl::AsciiStrToUpper(std::string(line.substr(0, space)));
  const std::string_view arguments =
      space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
  if (verb == "LHLO") {
    if (absl::StripAsciiWhitespace(std::string(arguments)).empty()) {
      ++errors_;
      return Reply("501 5.5.4 Syntax: LHLO hostname");
    }
    greeted_ = true;
    ResetTransaction();
    Reply(absl::StrCat("250-", settings_.hostname));
    Reply("250-PIPELINING");
    Reply("250-ENHANCEDSTATUSCODES");
    Reply(absl::StrCat("250-SIZE ", settings_.max_message_bytes));
    Reply("250 8BITMIME");
  } else if (verb == "MAIL") {
    Mail(arguments);
  } else if (verb == "RCPT") {
    Rcpt(arguments);
  } else if (verb == "DATA") {
    Data(quit);
  } else if (verb == "RSET") {
    ResetTransaction();
    Reply("250 2.0.0 OK");
  } else if (verb == "NOOP") {
    Reply("250 2.0.0 OK");
  } else if (verb == "VRFY") {
    Reply("252 2.5.0 Cannot VRFY user, but will accept the message");
  } else if (verb == "QUIT") {
    Reply(absl::StrCat("221 2.0.0 ", settings_.hostname, " closing connection"));
    *quit = true;
  } else if (verb == "HELO" || verb == "EHLO") {
    ++errors_;
    Reply("500 5.5.1 This is LMTP: use LHLO");
  } else {
    ++errors_;
    Reply("500 5.5.2 Command not recognized");
  }
}

void LmtpConnection::Run() {
  Reply(absl::StrCat("220 ", settings_.hostname, " Casedesk LMTP ready"));
  bool quit = false;
  while (!quit) {
    if (errors_ >= kMaxErrors) {
      Reply("421 4.7.0 Too many errors, closing connection");
      break;
    }
    std::string line;
    bool too_long = false;
    const Read read = ReadCommandLine(&line, &too_long);
    if (read == Read::kTimeout) {
      Reply("421 4.4.2 Idle timeout, closing connection");
      break;
    }
    if (read == Read::kClosed) return;
    if (too_long) {
      ++errors_;
      Reply("500 5.5.2 Line too long");
    } else if (HasControl(line)) {
      ++errors_;
      Reply("500 5.5.2 Syntax error");
    } else {
      Handle(line, &quit);
    }
  }
  Flush();
}

}  // namespace casedesk::adapters::mailin

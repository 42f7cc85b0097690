#include "core/mail_compose.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace casedesk::core {
namespace {

constexpr size_t kLineLimit = 78;
constexpr size_t kQuotedPrintableLine = 75;  // plus the soft break's '=' makes 76
// RFC 2047: an encoded word is at most 75 characters; "=?utf-8?B?" + "?=" leaves 63 for base64,
// i.e. 45 bytes of text.
constexpr size_t kMaxEncodedBytes = 45;
constexpr size_t kEncodedWordOverhead = 12;  // "=?utf-8?B?" and "?="
// Quoted-printable output never contains "=_" ('=' is always followed by hex digits or a line
// end), so this boundary cannot occur inside an encoded part.
constexpr std::string_view kBoundary = "=_casedesk_alternative";

absl::Status Invalid(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(what)));
}

// Decodes one UTF-8 sequence at `text[i]`; returns its length, or 0 when it is not valid
// (overlong forms, surrogates and values past U+10FFFF are not).
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code_point) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  }
  size_t length = 0;
  uint32_t value = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    value = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::array<uint32_t, 5> kMinimum = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinimum[length] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *code_point = value;
  return length;
}

// Valid UTF-8 with U+FFFD for each invalid byte; control characters are kept or replaced by a
// space as `keep_line_ends` says (body text keeps tabs and line ends).
std::string CleanText(std::string_view text, bool keep_line_ends) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(text, i, &cp);
    if (length == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    const bool control =
        cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
    const bool line_end_or_tab = cp == '\r' || cp == '\n' || cp == '\t';
    if (control && !(keep_line_ends && line_end_or_tab)) {
      out.push_back(' ');
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

bool IsAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// One header field being written, folded at whitespace so no line passes 78 characters where a
// fold is possible.
class HeaderField {
 public:
  explicit HeaderField(std::string_view name) : text_(absl::StrCat(std::string(name), ":")) {
    line_length_ = text_.size();
  }

  // Appends `token` after a space, moving it to a continuation line when it would not fit.
  void Token(std::string_view token) {
    if (!token.empty() && line_length_ + 1 + token.size() > kLineLimit && line_has_text_) {
      Break();
    }
    text_.push_back(' ');
    text_.append(token);
    line_length_ += 1 + token.size();
    line_has_text_ = line_has_text_ || !token.empty();
  }

  // Appends `text` directly (a comma after an address), never folding before it.
  void Glue(std::string_view text) {
    text_.append(text);
    line_length_ += text.size();
  }

  // UTF-8 text as encoded words, each as large as the current line allows.
  void EncodedWords(std::string_view utf8) {
    size_t i = 0;
    while (i < utf8.size()) {
      const size_t room =
          kLineLimit - std::min(kLineLimit, line_length_ + 1 + kEncodedWordOverhead);
      size_t budget = std::min(kMaxEncodedBytes, room / 4 * 3);
      if (budget < 4 && line_has_text_) {
        Break();
        continue;
      }
      budget = std::max<size_t>(budget, 4);
      size_t end = std::min(utf8.size(), i + budget);
      // Never split a character between two words.
      while (end < utf8.size() && end > i + 1 &&
             (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80) {
        --end;
      }
      Token(absl::StrCat("=?utf-8?B?", absl::Base64Escape(std::string(utf8.substr(i, end - i))),
                         "?="));
      i = end;
    }
  }

  // Free text: plain words when it is ASCII that no decoder could mistake for encoded words,
  // encoded words otherwise.
  void Text(std::string_view raw) {
    const std::string text = CleanText(raw, /*keep_line_ends=*/false);
    bool encode = !IsAscii(text) || text.find("=?") != std::string::npos;
    const std::vector<std::string> words = absl::StrSplit(text, ' ');
    for (const std::string& word : words) encode = encode || word.size() > 900;
    if (encode) {
      EncodedWords(text);
      return;
    }
    for (const std::string& word : words) Token(word);
  }

  // A display name: a quoted string when it is ASCII, encoded words otherwise.
  void Phrase(std::string_view raw) {
    const std::string name = CleanText(raw, /*keep_line_ends=*/false);
    if (!IsAscii(name) || name.find("=?") != std::string::npos || name.size() > 70) {
      EncodedWords(name);
      return;
    }
    std::string quoted = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') quoted.push_back('\\');
      quoted.push_back(c);
    }
    quoted.push_back('"');
    Token(quoted);
  }

  std::string Finish() { return absl::StrCat(text_, "\r\n"); }

 private:
  void Break() {
    text_.append("\r\n");
    line_length_ = 0;
    line_has_text_ = false;
  }

  std::string text_;
  size_t line_length_ = 0;
  bool line_has_text_ = false;
};

absl::Status WriteMailboxes(HeaderField& field, const std::vector<MailMailbox>& mailboxes,
                            std::string_view name) {
  for (size_t i = 0; i < mailboxes.size(); ++i) {
    const MailMailbox& mailbox = mailboxes[i];
    if (!IsValidMailAddress(mailbox.address)) {
      return Invalid(absl::StrCat(std::string(name), "[", i, "].address"),
                     "not a usable mail address");
    }
    if (i > 0) field.Glue(",");
    const std::string display =
        std::string(absl::StripAsciiWhitespace(CleanText(mailbox.name, /*keep_line_ends=*/false)));
    if (display.empty()) {
      field.Token(mailbox.address);
    } else {
      field.Phrase(display);
      field.Token(absl::StrCat("<", mailbox.address, ">"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckMessageId(std::string_view id, std::string_view field) {
  if (!IsValidMessageId(id)) return Invalid(field, "not a usable Message-ID");
  return absl::OkStatus();
}

bool IsHeaderNameChar(char c) { return c > ' ' && c < 0x7F && c != ':'; }

bool IsReservedHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 17> kReserved = {"from",
                                                                 "to",
                                                                 "cc",
                                                                 "bcc",
                                                                 "reply-to",
                                                                 "sender",
                                                                 "subject",
                                                                 "date",
                                                                 "message-id",
                                                                 "in-reply-to",
                                                                 "references",
                                                                 "return-path",
                                                                 "mime-version",
                                                                 "content-type",
                                                                 "content-transfer-encoding",
                                                                 "auto-submitted",
                                                                 "x-auto-response-suppress"};
  const std::string lower = absl::AsciiStrToLower(std::string(name));
  return std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end();
}

char HexDigit(int value) { return "0123456789ABCDEF"[value & 0xF]; }

// Quoted-printable (RFC 2045) of UTF-8 text, lines ending in CRLF whatever they ended in. A '.'
// or "From " starting a line is encoded too, so neither SMTP nor mbox tools touch the text.
std::string QuotedPrintable(std::string_view raw) {
  const std::string text = CleanText(raw, /*keep_line_ends=*/true);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(start, end - start);
    size_t column = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool at_line_end = i + 1 == line.size();
      const bool line_start = i == 0;
      std::string piece;
      if ((c == ' ' || c == '\t') && !at_line_end) {
        piece.push_back(static_cast<char>(c));
      } else if (c > ' ' && c < 0x7F && c != '=' && !(line_start && c == '.') &&
                 !(line_start && c == 'F' && line.substr(0, 5) == "From ")) {
        piece.push_back(static_cast<char>(c));
      } else {
        piece = {'=', HexDigit(c >> 4), HexDigit(c)};
      }
      if (column + piece.size() > kQuotedPrintableLine) {
        out.append("=\r\n");
        column = 0;
      }
      out.append(piece);
      column += piece.size();
    }
    if (end >= text.size()) {
      if (!line.empty() || out.empty()) out.append("\r\n");
      break;
    }
    out.append("\r\n");
    // CRLF counts as one line end.
    start =
        (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? end + 2 : end + 1;
    if (start == text.size()) break;
  }
  return out;
}

std::string PartHeaders(std::string_view subtype) {
  return absl::StrCat("Content-Type: text/", std::string(subtype),
                      "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n");
}

}  // namespace

bool IsValidMailAddress(std::string_view address) {
  if (address.size() < 3 || address.size() > 254) return false;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@') != at) return false;
  return std::all_of(address.begin(), address.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte < 0x7F && c != '<' && c != '>' && c != '"' && c != ',' && c != ';' &&
           c != '(' && c != ')' && c != '\\' && c != '[' && c != ']';
  });
}

bool IsValidMessageId(std::string_view id) {
  if (id.size() < 3 || id.size() > 250) return false;
  const size_t at = id.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == id.size()) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte < 0x7F && c != '<' && c != '>' && c != '"' && c != '\\' && c != '(' &&
           c != ')' && c != ',';
  });
}

std::string HeaderSafeText(std::string_view text) {
  return CleanText(text, /*keep_line_ends=*/false);
}

std::string MailDomainOf(std::string_view address) {
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return "";
  return absl::AsciiStrToLower(std::string(address.substr(at + 1)));
}

std::string MakeMessageId(std::string_view random, std::string_view domain) {
  std::string left;
  for (char c : random) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
        c == '+' || c == '=') {
      left.push_back(c);
    }
  }
  std::string right;
  for (char c : domain) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') {
      right.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  while (!left.empty() && left.front() == '.') left.erase(0, 1);
  while (!left.empty() && left.back() == '.') left.pop_back();
  if (left.empty()) left = "id";
  if (right.empty()) right = "casedesk.invalid";
  return absl::StrCat(left, "@", right);
}

absl::StatusOr<std::string> ComposeMessage(const OutgoingMessage& message) {
  if (message.to.empty()) return Invalid("to", "at least one recipient is required");
  if (absl::Status status = CheckMessageId(message.message_id, "message_id"); !status.ok()) {
    return status;
  }
  if (!message.in_reply_to.empty()) {
    if (absl::Status status = CheckMessageId(message.in_reply_to, "in_reply_to"); !status.ok()) {
      return status;
    }
  }
  for (size_t i = 0; i < message.references.size(); ++i) {
    if (absl::Status status =
            CheckMessageId(message.references[i], absl::StrCat("references[", i, "]"));
        !status.ok()) {
      return status;
    }
  }

  std::string out;
  out += absl::StrCat(
      "Date: ", absl::FormatTime("%a, %d %b %Y %H:%M:%S +0000", message.date, absl::UTCTimeZone()),
      "\r\n");
  {
    HeaderField from("From");
    if (absl::Status status = WriteMailboxes(from, {message.from}, "from"); !status.ok()) {
      return status;
    }
    out += from.Finish();
  }
  {
    HeaderField to("To");
    if (absl::Status status = WriteMailboxes(to, message.to, "to"); !status.ok()) return status;
    out += to.Finish();
  }
  if (!message.reply_to.empty()) {
    HeaderField reply_to("Reply-To");
    if (absl::Status status = WriteMailboxes(reply_to, message.reply_to, "reply_to");
        !status.ok()) {
      return status;
    }
    out += reply_to.Finish();
  }
  {
    HeaderField subject("Subject");
    subject.Text(message.subject);
    out += subject.Finish();
  }
  out += absl::StrCat("Message-ID: <", message.message_id, ">\r\n");
  if (!message.in_reply_to.empty()) {
    out += absl::StrCat("In-Reply-To: <", message.in_reply_to, ">\r\n");
  }
  if (!message.references.empty()) {
    HeaderField references("References");
    for (const std::string& id : message.references) references.Token(absl::StrCat("<", id, ">"));
    out += references.Finish();
  }
  if (message.automatic) {
    out += "Auto-Submitted: auto-generated\r\nX-Auto-Response-Suppress: All\r\n";
  }
  for (size_t i = 0; i < message.extra_headers.size(); ++i) {
    const MailHeaderField& header = message.extra_headers[i];
    const std::string field = absl::StrCat("extra_headers[", i, "].name");
    if (header.name.empty() || header.name.size() > 76 ||
        !std::all_of(header.name.begin(), header.name.end(), IsHeaderNameChar)) {
      return Invalid(field, "not a usable header name");
    }
    if (IsReservedHeader(header.name)) {
      return Invalid(field, absl::StrCat("'", header.name, "' is written by the composer"));
    }
    HeaderField extra(header.name);
    extra.Text(header.value);
    out += extra.Finish();
  }
  out += "MIME-Version: 1.0\r\n";
  if (message.html_body.empty()) {
    out += PartHeaders("plain");
    out += "\r\n";
    out += QuotedPrintable(message.text_body);
    return out;
  }
  out += absl::StrCat("Content-Type: multipart/alternative;\r\n boundary=\"",
                      std::string(kBoundary), "\"\r\n\r\n");
  out += absl::StrCat("--", std::string(kBoundary), "\r\n", PartHeaders("plain"), "\r\n",
                      QuotedPrintable(message.text_body));
  out += absl::StrCat("--", std::string(kBoundary), "\r\n", PartHeaders("html"), "\r\n",
                      QuotedPrintable(message.html_body));
  out += absl::StrCat("--", std::string(kBoundary), "--\r\n");
  return out;
}

}  // namespace casedesk::core

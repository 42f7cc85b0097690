#include "core/mail_compose.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace casedesk::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

OutgoingMessage Basic() {
  OutgoingMessage message;
  message.from = {"support@help.example.com", "Example Support"};
  message.to = {{"alice@acme.example", "Alice Smith"}};
  message.subject = "[Case #123456] Disk full";
  message.text_body = "Hello Alice,\nwe are on it.\n";
  message.message_id = "abc123@help.example.com";
  message.date = absl::FromUnixSeconds(1772964000);  // 2026-03-08T10:00:00Z, a Sunday
  return message;
}

std::string Compose(const OutgoingMessage& message) {
  absl::StatusOr<std::string> composed = ComposeMessage(message);
  EXPECT_TRUE(composed.ok()) << composed.status();
  return composed.ok() ? *composed : "";
}

// The header block, unfolded, as (name, value) lines.
std::vector<std::string> UnfoldedHeaders(const std::string& message) {
  const std::string head = message.substr(0, message.find("\r\n\r\n"));
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(head, "\r\n")) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
      lines.back() += std::string(line);
    } else {
      lines.emplace_back(line);
    }
  }
  return lines;
}

std::string Header(const std::string& message, std::string_view name) {
  for (const std::string& line : UnfoldedHeaders(message)) {
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':') {
      return line.substr(name.size() + 2);
    }
  }
  return "<missing>";
}

// Decodes the B encoded words of an unfolded header value; whitespace between adjacent encoded
// words disappears, as RFC 2047 says.
std::string DecodeWords(std::string_view value) {
  std::string out;
  bool previous_was_word = false;
  size_t i = 0;
  while (i < value.size()) {
    if (value.substr(i, 10) == "=?utf-8?B?") {
      const size_t end = value.find("?=", i + 10);
      std::string decoded;
      EXPECT_TRUE(absl::Base64Unescape(std::string(value.substr(i + 10, end - i - 10)), &decoded));
      // Drop the folding whitespace between two encoded words.
      if (previous_was_word) {
        while (!out.empty() && out.back() == ' ') out.pop_back();
      }
      out += decoded;
      i = end + 2;
      previous_was_word = true;
    } else {
      if (value[i] != ' ') previous_was_word = false;
      out.push_back(value[i++]);
    }
  }
  return out;
}

std::string DecodeQuotedPrintable(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out.push_back(text[i]);
    } else if (text.substr(i + 1, 2) == "\r\n") {
      i += 2;
    } else {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    }
  }
  return out;
}

std::string Body(const std::string& message) {
  return message.substr(message.find("\r\n\r\n") + 4);
}

void ExpectWellFormed(const std::string& message) {
  for (absl::string_view line : absl::StrSplit(message, "\r\n")) {
    EXPECT_LE(line.size(), 78u) << line;
    EXPECT_EQ(line.find('\n'), absl::string_view::npos);
    EXPECT_EQ(line.find('\r'), absl::string_view::npos);
  }
  // Every LF is part of a CRLF.
  for (size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') {
      EXPECT_TRUE(i > 0 && message[i - 1] == '\r') << "at " << i;
    }
  }
}

TEST(MailComposeTest, PlainMessageHasTheHeadersAndAQuotedPrintableBody) {
  OutgoingMessage message = Basic();
  message.in_reply_to = "inbound-1@acme.example";
  message.references = {"case-123456@help.example.com", "inbound-1@acme.example"};
  message.extra_headers = {{"X-Casedesk-Case", "123456"}};
  const std::string composed = Compose(message);
  ExpectWellFormed(composed);
  EXPECT_EQ(Header(composed, "Date"), "Sun, 08 Mar 2026 10:00:00 +0000");
  EXPECT_EQ(Header(composed, "From"), "\"Example Support\" <support@help.example.com>");
  EXPECT_EQ(Header(composed, "To"), "\"Alice Smith\" <alice@acme.example>");
  EXPECT_EQ(Header(composed, "Subject"), "[Case #123456] Disk full");
  EXPECT_EQ(Header(composed, "Message-ID"), "<abc123@help.example.com>");
  EXPECT_EQ(Header(composed, "In-Reply-To"), "<inbound-1@acme.example>");
  EXPECT_EQ(Header(composed, "References"),
            "<case-123456@help.example.com> <inbound-1@acme.example>");
  EXPECT_EQ(Header(composed, "X-Casedesk-Case"), "123456");
  EXPECT_EQ(Header(composed, "MIME-Version"), "1.0");
  EXPECT_EQ(Header(composed, "Content-Type"), "text/plain; charset=utf-8");
  EXPECT_EQ(Header(composed, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(Header(composed, "Auto-Submitted"), "<missing>");
  EXPECT_EQ(Body(composed), "Hello Alice,\r\nwe are on it.\r\n");
}

TEST(MailComposeTest, AutomaticMailSaysSo) {
  OutgoingMessage message = Basic();
  message.automatic = true;
  const std::string composed = Compose(message);
  EXPECT_EQ(Header(composed, "Auto-Submitted"), "auto-generated");
  EXPECT_EQ(Header(composed, "X-Auto-Response-Suppress"), "All");
}

TEST(MailComposeTest, NonAsciiHeaderTextBecomesEncodedWords) {
  OutgoingMessage message = Basic();
  message.subject = "Störung: Datenbank läuft nicht — 数据库 ";
  message.from.name = "Équipe Support";
  message.to = {{"jo@acme.example", "Jöran \"JJ\" Ödegård"}, {"bo@acme.example", ""}};
  const std::string composed = Compose(message);
  ExpectWellFormed(composed);
  EXPECT_THAT(Header(composed, "Subject"), HasSubstr("=?utf-8?B?"));
  EXPECT_EQ(DecodeWords(Header(composed, "Subject")), message.subject);
  EXPECT_EQ(DecodeWords(Header(composed, "From")), "Équipe Support <support@help.example.com>");
  EXPECT_EQ(DecodeWords(Header(composed, "To")),
            "Jöran \"JJ\" Ödegård <jo@acme.example>, bo@acme.example");
}

TEST(MailComposeTest, AsciiTextThatLooksEncodedIsEncodedToo) {
  OutgoingMessage message = Basic();
  message.subject = "=?utf-8?B?SGk=?= not really";
  const std::string composed = Compose(message);
  EXPECT_EQ(DecodeWords(Header(composed, "Subject")), message.subject);
  EXPECT_NE(Header(composed, "Subject"), message.subject);
}

TEST(MailComposeTest, LongHeadersAreFoldedAndUnfoldBackExactly) {
  OutgoingMessage message = Basic();
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "word" + std::to_string(i) + " ";
  subject += "end";
  message.subject = subject;
  std::string long_utf8;
  for (int i = 0; i < 40; ++i) long_utf8 += "ü€😀";
  message.extra_headers = {{"X-Long", long_utf8}};
  for (int i = 0; i < 12; ++i) {
    message.references.push_back("ref-" + std::to_string(i) + "-abcdefgh@mail.example.com");
  }
  const std::string composed = Compose(message);
  ExpectWellFormed(composed);
  EXPECT_EQ(Header(composed, "Subject"), subject);
  EXPECT_EQ(DecodeWords(Header(composed, "X-Long")), long_utf8);
  EXPECT_THAT(Header(composed, "References"), HasSubstr("<ref-11-abcdefgh@mail.example.com>"));
}

TEST(MailComposeTest, InjectionThroughFreeTextBecomesSpaces) {
  struct Row {
    const char* name;
    std::string text;
  };
  const Row rows[] = {
      {"crlf", "x\r\nBcc: evil@x"},
      {"lf", "x\nBcc: evil@x"},
      {"cr", "x\rBcc: evil@x"},
      {"nul", std::string("x\0Bcc: evil@x", 13)},
      {"vertical tab and form feed", "x\v\fBcc: evil@x"},
      {"unicode line separator", "x\u2028Bcc: evil@x"},
      {"c1 next line", "x\u0085Bcc: evil@x"},
  };
  for (const Row& row : rows) {
    OutgoingMessage message = Basic();
    message.subject = row.text;
    message.from.name = row.text;
    message.to[0].name = row.text;
    message.extra_headers = {{"X-Casedesk-Case", row.text}};
    const std::string composed = Compose(message);
    ExpectWellFormed(composed);
    for (const std::string& line : UnfoldedHeaders(composed)) {
      EXPECT_THAT(line, Not(::testing::StartsWith("Bcc"))) << row.name;
    }
    EXPECT_EQ(composed.find('\0'), std::string::npos) << row.name;
    EXPECT_THAT(DecodeWords(Header(composed, "Subject")), HasSubstr("Bcc: evil@x")) << row.name;
    EXPECT_THAT(DecodeWords(Header(composed, "Subject")), Not(HasSubstr("\n"))) << row.name;
  }
}

TEST(MailComposeTest, UnusableAddressesAndIdsAreRefusedNamingTheField) {
  struct Row {
    const char* name;
    void (*mutate)(OutgoingMessage&);
    const char* field;
  };
  const Row rows[] = {
      {"crlf in to", [](OutgoingMessage& m) { m.to[0].address = "a@x.example\r\nBcc: evil@x"; },
       "to[0].address"},
      {"lf in from", [](OutgoingMessage& m) { m.from.address = "a@x\nBcc: evil@x"; },
       "from[0].address"},
      {"space", [](OutgoingMessage& m) { m.to[0].address = "a b@x.example"; }, "to[0].address"},
      {"brackets", [](OutgoingMessage& m) { m.to[0].address = "<a@x.example>"; }, "to[0].address"},
      {"no at", [](OutgoingMessage& m) { m.to[0].address = "nobody"; }, "to[0].address"},
      {"nul", [](OutgoingMessage& m) { m.to[0].address = std::string("a@x\0y", 5); },
       "to[0].address"},
      {"reply-to",
       [](OutgoingMessage& m) {
         m.reply_to = {{"x,y@z", ""}};
       },
       "reply_to[0].address"},
      {"no recipients", [](OutgoingMessage& m) { m.to.clear(); }, "to"},
      {"message id", [](OutgoingMessage& m) { m.message_id = "a@b>\r\nBcc: evil@x"; },
       "message_id"},
      {"empty message id", [](OutgoingMessage& m) { m.message_id = ""; }, "message_id"},
      {"in-reply-to", [](OutgoingMessage& m) { m.in_reply_to = "x\r\n@y"; }, "in_reply_to"},
      {"references",
       [](OutgoingMessage& m) {
         m.references = {"ok@x", "bad id@x"};
       },
       "references[1]"},
      {"header name",
       [](OutgoingMessage& m) {
         m.extra_headers = {{"X-A: b\r\nBcc", "v"}};
       },
       "extra_headers[0].name"},
      {"reserved header",
       [](OutgoingMessage& m) {
         m.extra_headers = {{"bcc", "evil@x"}};
       },
       "extra_headers[0].name"},
  };
  for (const Row& row : rows) {
    OutgoingMessage message = Basic();
    row.mutate(message);
    absl::StatusOr<std::string> composed = ComposeMessage(message);
    ASSERT_EQ(composed.status().code(), absl::StatusCode::kInvalidArgument) << row.name;
    EXPECT_TRUE(absl::StartsWith(composed.status().message(), row.field))
        << row.name << ": " << composed.status();
  }
}

TEST(MailComposeTest, BodiesAreQuotedPrintableUtf8WithCrlf) {
  OutgoingMessage message = Basic();
  std::string long_line(200, 'x');
  message.text_body =
      "Grüße,\r\nline two \n.lonely dot\nFrom the desk\n= sign\t\n" + long_line + "\rlast";
  const std::string composed = Compose(message);
  ExpectWellFormed(composed);
  const std::string body = Body(composed);
  EXPECT_THAT(body, HasSubstr("Gr=C3=BC=C3=9Fe,\r\n"));
  EXPECT_THAT(body, HasSubstr("line two=20\r\n"));
  EXPECT_THAT(body, HasSubstr("\r\n=2Elonely dot\r\n"));
  EXPECT_THAT(body, HasSubstr("\r\n=46rom the desk\r\n"));
  EXPECT_THAT(body, HasSubstr("=3D sign=09\r\n"));
  EXPECT_EQ(DecodeQuotedPrintable(body),
            "Grüße,\r\nline two \r\n.lonely dot\r\nFrom the desk\r\n= sign\t\r\n" + long_line +
                "\r\nlast\r\n");
}

TEST(MailComposeTest, HtmlMakesAMultipartAlternative) {
  OutgoingMessage message = Basic();
  message.html_body = "<p>Hello &amp; welcome — ok</p>\n";
  const std::string composed = Compose(message);
  ExpectWellFormed(composed);
  EXPECT_EQ(Header(composed, "Content-Type"),
            "multipart/alternative; boundary=\"=_casedesk_alternative\"");
  const std::string body = Body(composed);
  const std::vector<std::string> parts = absl::StrSplit(body, "--=_casedesk_alternative");
  ASSERT_EQ(parts.size(), 4u) << body;
  EXPECT_THAT(parts[1], HasSubstr("Content-Type: text/plain; charset=utf-8\r\n"));
  EXPECT_THAT(parts[2], HasSubstr("Content-Type: text/html; charset=utf-8\r\n"));
  EXPECT_EQ(DecodeQuotedPrintable(parts[2].substr(parts[2].find("\r\n\r\n") + 4)),
            "<p>Hello &amp; welcome — ok</p>\r\n");
  EXPECT_EQ(parts[3], "--\r\n");
}

TEST(MailComposeTest, InvalidUtf8IsReplacedNotPassedOn) {
  OutgoingMessage message = Basic();
  message.subject = "bad \xff\xfe byte";
  message.text_body = "body \xc3 end";
  const std::string composed = Compose(message);
  EXPECT_EQ(DecodeWords(Header(composed, "Subject")), "bad \uFFFD\uFFFD byte");
  EXPECT_EQ(DecodeQuotedPrintable(Body(composed)), "body \uFFFD end\r\n");
}

TEST(MailComposeTest, MessageIdsAndCaseTags) {
  EXPECT_EQ(MakeMessageId("AbC-12_x", "Help.Example.COM"), "AbC-12_x@help.example.com");
  EXPECT_EQ(MakeMessageId("a b\r\n<c>@d", "ex ample.com>"), "abcd@example.com");
  EXPECT_EQ(MakeMessageId("", ""), "id@casedesk.invalid");
  EXPECT_TRUE(IsValidMessageId(MakeMessageId("r", "d.example")));
  EXPECT_FALSE(IsValidMessageId("no-at-sign"));
  EXPECT_FALSE(IsValidMessageId("a b@c"));
  EXPECT_EQ(MailDomainOf("Support@Help.Example.com"), "help.example.com");
  EXPECT_EQ(MailDomainOf("nodomain"), "");
}

}  // namespace
}  // namespace casedesk::core

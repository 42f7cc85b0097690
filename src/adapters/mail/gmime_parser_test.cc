#include "adapters/mail/gmime_parser.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "adapters/mail/mail_json.h"
#include "core/text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::mail {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// test/mail/corpus beside this file. ccache (CCACHE_BASEDIR) makes __FILE__ relative to the build
// directory, which is where the test binary lives, so a relative path is resolved from there.
std::filesystem::path CorpusDir() {
  std::filesystem::path dir = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." /
                              "test" / "mail" / "corpus";
  if (dir.is_relative() && !std::filesystem::exists(dir)) {
    dir = std::filesystem::read_symlink("/proc/self/exe").parent_path() / dir;
  }
  return dir;
}

std::string ReadCorpus(std::string_view name) {
  std::ifstream in(CorpusDir() / std::string(name), std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing corpus file " << name << " in " << CorpusDir();
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Attachment {
  std::string filename;
  std::string content_type;
  size_t size;
  std::string content_id;
  bool inline_part;
};

struct Expected {
  std::string file;
  std::string from_address;
  std::string from_name;
  std::string subject;
  std::string date;  // RFC 3339, "" when none
  std::string text;
  std::string reply;
  std::optional<std::string> html;
  std::vector<Attachment> attachments;
  core::AutoKind auto_kind;
  std::vector<std::string> limits_hit;
  std::vector<std::string> bounced;
};

std::string Rfc3339(const std::optional<absl::Time>& t) {
  return t.has_value() ? absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", *t, absl::UTCTimeZone()) : "";
}

const std::vector<Expected>& Corpus() {
  using core::AutoKind;
  static const std::vector<Expected> kCorpus = {
      {"rfc2047-base64-utf8.eml",
       "juergen@example.de",
       "Jürgen Größ",
       "Drucker druckt nicht – dringend ✉",
       "2024-03-04T07:30:00Z",
       "Grüße aus München.\nDer Drucker im 3. Stock druckt nicht.\n",
       "Grüße aus München.\nDer Drucker im 3. Stock druckt nicht.",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      {"rfc2047-q-latin1.eml",
       "francois@example.fr",
       "François Lévesque",
       "Problème de connexion à l'application",
       "2024-03-05T14:00:00Z",
       "Bonjour,\nje ne peux pas me connecter à l'application depuis la mise à jour.\nFrançois\n",
       "Bonjour,\nje ne peux pas me connecter à l'application depuis la mise à jour.\nFrançois",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      {"rfc2047-iso2022jp.eml",
       "yamada@example.jp",
       "山田太郎",
       "請求書について",
       "2024-03-06T01:00:00Z",
       "お世話になっております。\n請求書を添付します。\n",
       "お世話になっております。\n請求書を添付します。",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      // A multibyte character split over two encoded words, an encoded word glued to text, an
      // unknown charset and an unterminated word.
      {"rfc2047-broken.eml",
       "bjorn@example.se",
       "Björn Svensson",
       "Price € 42 and élèVex plain =?utf-8?Q?unterminated",
       "2024-03-07T10:00:00Z",
       "Hi\n",
       "Hi",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      {"rfc2231-filename.eml",
       "ana@example.es",
       "Ana",
       "Factura",
       "2024-03-08T11:00:00Z",
       "Adjunto la factura.",
       "Adjunto la factura.",
       std::nullopt,
       {{"Factura nº 42 – marzo.pdf", "application/pdf", 48, "", false}},
       AutoKind::kNone,
       {},
       {}},
      {"raw-8bit-latin1.eml",
       "jose@example.es",
       "José Muñoz",
       "Café crème £ € price",
       "2024-03-09T08:00:00Z",
       "Señor, el café está frío.\n",
       "Señor, el café está frío.",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      {"mislabelled-charset.eml",
       "asa@example.se",
       "Åsa Lindqvist",
       "Tack för hjälpen",
       "2024-03-10T09:00:00Z",
       "Hej! Det fungerar nu. Hälsningar, Åsa",
       "Hej! Det fungerar nu. Hälsningar, Åsa",
       "<p>Hej! Det fungerar nu. Hälsningar, Åsa</p>",
       {},
       AutoKind::kNone,
       {},
       {}},
      {"nested-related.eml",
       "priya@example.in",
       "Priya Nair",
       "Screenshot of the error",
       "2024-03-11T04:35:00Z",
       "The sync fails, see the screenshot.",
       "The sync fails, see the screenshot.",
       "<p>The sync <b>fails</b>, see the screenshot:</p><img src=\"cid:shot1@example.in\" "
       "alt=\"screenshot\">",
       {{"screenshot.png", "image/png", 70, "shot1@example.in", true},
        {"sync.log", "text/plain", 46, "", false}},
       AutoKind::kNone,
       {},
       {}},
      {"html-only.eml",
       "cust@example.com",
       "Marketing-free Customer",
       "HTML only",
       "2024-03-12T21:00:00Z",
       "Hello team,\n\nPlease see the incident <https://status.example.com/incident/7>.\n\n- "
       "first\n"
       "- second",
       "Hello team,\n\nPlease see the incident <https://status.example.com/incident/7>.\n\n- "
       "first\n"
       "- second",
       "<p>Hello\u00a0team,</p><p>Please see <a href=\"https://status.example.com/incident/7\" "
       "rel=\"noopener noreferrer nofollow\">the incident</a>.</p><ul><li>first</li><li>second"
       "</li></ul>\n",
       {},
       AutoKind::kNone,
       {},
       {}},
      {"forward-rfc822.eml",
       "lead@example.net",
       "Ops Lead",
       "Fwd: Outage report",
       "2024-03-11T08:00:00Z",
       "Please look at the forwarded report.",
       "Please look at the forwarded report.",
       std::nullopt,
       {{"Outage report.eml", "message/rfc822", 456, "", false},
        {"timeline.csv", "text/csv", 30, "", false}},
       AutoKind::kNone,
       {},
       {}},
      {"tnef-winmail.eml",
       "kees@outlook-user.example",
       "Kees de Vries",
       "Monthly report",
       "2024-03-08T08:15:00Z",
       "Hello support,\n\nthe report is attached.\n\nRegards\nKees\n",
       "Hello support,\n\nthe report is attached.\n\nRegards\nKees",
       std::nullopt,
       {{"report.csv", "text/csv", 42, "", false}},
       AutoKind::kNone,
       {},
       {}},
      {"bounce-dsn.eml",
       "MAILER-DAEMON@mx.desk.example",
       "Mail Delivery System",
       "Undelivered Mail Returned to Sender",
       "2024-03-13T09:00:00Z",
       "This is the mail system at host mx.desk.example.\n\nI'm sorry to have to inform you that "
       "your message could not\nbe delivered to one or more recipients.\n\n"
       "<Gone.User@customer.example>: host mx.customer.example said: 550 5.1.1 User unknown",
       "This is the mail system at host mx.desk.example.\n\nI'm sorry to have to inform you that "
       "your message could not\nbe delivered to one or more recipients.\n\n"
       "<Gone.User@customer.example>: host mx.customer.example said: 550 5.1.1 User unknown",
       std::nullopt,
       {{"delivery-status.txt", "message/delivery-status", 298, "", false},
        {"original-headers.txt", "text/rfc822-headers", 102, "", false}},
       AutoKind::kBounce,
       {},
       {"gone.user@customer.example", "second@customer.example"}},
      {"auto-reply.eml",
       "pierre@example.fr",
       "Pierre Martin",
       "Réponse automatique\u00a0: [Case #123456]",
       "2024-03-14T08:00:00Z",
       "Je suis absent jusqu'au 18 mars.\n",
       "Je suis absent jusqu'au 18 mars.",
       std::nullopt,
       {},
       AutoKind::kAutoReplied,
       {},
       {}},
      {"mailing-list.eml",
       "announce@lists.example.org",
       "Announce Bot",
       "[users] Release 4.2 is out",
       "2024-03-15T12:00:00Z",
       "Release 4.2 is out.\n\n--\nusers mailing list\n",
       "Release 4.2 is out.",
       std::nullopt,
       {},
       AutoKind::kBulk,
       {},
       {}},
      {"outlook-reply.eml",
       "jan.jansen@acme.example",
       "Jansen, Jan",
       "RE: [Case #123456] Export fails",
       "2024-03-19T14:42:10Z",
       "Hi,\n\nthe restart did not help, the export still fails with error 0x80004005.\n\n"
       "Met vriendelijke groet,\nJan Jansen\n\n________________________________\nFrom: Support "
       "Desk "
       "<support@desk.example>\nSent: Tuesday, March 19, 2024 2:10 PM\nTo: Jansen, Jan "
       "<jan.jansen@acme.example>\nSubject: [Case #123456] Export fails\n\nCould you restart the "
       "export service and try again?\n\n> Original question\n",
       "Hi,\n\nthe restart did not help, the export still fails with error 0x80004005.\n\n"
       "Met vriendelijke groet,\nJan Jansen",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      {"deep-nesting.eml",
       "nest@example.com",
       "Nester",
       "Deep",
       "2024-03-16T12:00:00Z",
       "shallow text",
       "shallow text",
       std::nullopt,
       {},
       AutoKind::kNone,
       {"depth"},
       {}},
      {"missing-headers.eml",
       "",
       "",
       "no sender, no date",
       "",
       "Just a body.\n",
       "Just a body.",
       std::nullopt,
       {},
       AutoKind::kNone,
       {},
       {}},
      {"line-endings-lf.eml",
       "le@example.com",
       "Line Endings",
       "Line endings",
       "2024-03-17T12:00:00Z",
       "First line\nSecond line with a soft break\n\nOn Sun, 17 Mar 2024 at 11:00, Support "
       "<support@desk.example> wrote:\n> quoted",
       "First line\nSecond line with a soft break",
       std::nullopt,
       {{"data.bin", "application/octet-stream", 10, "", false}},
       AutoKind::kNone,
       {},
       {}},
  };
  return kCorpus;
}

TEST(GmimeMailParserTest, Corpus) {
  GmimeMailParser parser;
  for (const Expected& want : Corpus()) {
    SCOPED_TRACE(want.file);
    absl::StatusOr<core::ParsedMail> mail = parser.Parse(ReadCorpus(want.file), core::MailLimits{});
    ASSERT_TRUE(mail.ok()) << mail.status();
    if (want.from_address.empty()) {
      EXPECT_FALSE(mail->from.has_value());
    } else {
      ASSERT_TRUE(mail->from.has_value());
      EXPECT_EQ(mail->from->address, want.from_address);
      EXPECT_EQ(mail->from->name, want.from_name);
    }
    EXPECT_EQ(mail->subject, want.subject);
    EXPECT_EQ(Rfc3339(mail->date), want.date);
    EXPECT_EQ(mail->text, want.text);
    EXPECT_EQ(mail->reply, want.reply);
    EXPECT_EQ(mail->html, want.html);
    ASSERT_EQ(mail->attachments.size(), want.attachments.size());
    for (size_t i = 0; i < want.attachments.size(); ++i) {
      const core::MailAttachment& got = mail->attachments[i];
      EXPECT_EQ(got.filename, want.attachments[i].filename) << i;
      EXPECT_EQ(got.content_type, want.attachments[i].content_type) << i;
      EXPECT_EQ(got.content.size(), want.attachments[i].size) << i;
      EXPECT_EQ(got.content_id, want.attachments[i].content_id) << i;
      EXPECT_EQ(got.inline_part, want.attachments[i].inline_part) << i;
    }
    EXPECT_EQ(mail->auto_kind, want.auto_kind);
    EXPECT_EQ(mail->limits_hit, want.limits_hit);
    EXPECT_EQ(mail->bounced_recipients, want.bounced);
  }
}

// Ingest asks for no HTML body: everything else must come out exactly the same.
TEST(GmimeMailParserTest, WithoutTheHtmlBodyEverythingElseIsTheSame) {
  GmimeMailParser parser;
  int with_html = 0;
  for (const Expected& want : Corpus()) {
    SCOPED_TRACE(want.file);
    const std::string raw = ReadCorpus(want.file);
    absl::StatusOr<core::ParsedMail> full = parser.Parse(raw, core::MailLimits{});
    absl::StatusOr<core::ParsedMail> lean = parser.Parse(raw, core::MailLimits{.html_body = false});
    ASSERT_TRUE(full.ok() && lean.ok());
    with_html += full->html.has_value();
    EXPECT_FALSE(lean->html.has_value());
    EXPECT_EQ(lean->text, full->text);
    EXPECT_EQ(lean->reply, full->reply);
    EXPECT_EQ(lean->subject, full->subject);
    EXPECT_EQ(lean->headers, full->headers);
    ASSERT_EQ(lean->attachments.size(), full->attachments.size());
    for (size_t i = 0; i < lean->attachments.size(); ++i) {
      EXPECT_EQ(lean->attachments[i].filename, full->attachments[i].filename) << i;
      EXPECT_EQ(lean->attachments[i].content, full->attachments[i].content) << i;
      EXPECT_EQ(lean->attachments[i].inline_part, full->attachments[i].inline_part) << i;
    }
    EXPECT_EQ(lean->auto_kind, full->auto_kind);
  }
  EXPECT_GT(with_html, 2) << "the corpus should hold several HTML messages";
}

TEST(GmimeMailParserTest, EveryDecodedStringIsValidUtf8) {
  GmimeMailParser parser;
  for (const auto& entry : std::filesystem::directory_iterator(CorpusDir())) {
    SCOPED_TRACE(entry.path().filename().string());
    absl::StatusOr<core::ParsedMail> mail =
        parser.Parse(ReadCorpus(entry.path().filename().string()), core::MailLimits{});
    if (!mail.ok()) continue;
    std::vector<std::string> strings = {mail->subject, mail->text, mail->reply,
                                        mail->html.value_or("")};
    for (const auto& [name, value] : mail->headers) {
      strings.push_back(name);
      strings.push_back(value);
    }
    for (const auto& list : {mail->to, mail->cc, mail->reply_to}) {
      for (const core::MailAddress& a : list) {
        strings.push_back(a.address);
        strings.push_back(a.name);
      }
    }
    for (const core::MailAttachment& a : mail->attachments) strings.push_back(a.filename);
    for (const std::string& s : strings) EXPECT_TRUE(core::IsValidUtf8(s)) << s;
  }
}

TEST(GmimeMailParserTest, ThreadingHeadersAndRecipients) {
  GmimeMailParser parser;
  absl::StatusOr<core::ParsedMail> mail =
      parser.Parse(ReadCorpus("outlook-reply.eml"), core::MailLimits{});
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->message_id, "AM0PR01MB1234ABCD@eurprd01.prod.outlook.com");
  EXPECT_EQ(mail->in_reply_to, "case-123456-3@desk.example");
  EXPECT_THAT(mail->references,
              ElementsAre("case-123456-1@desk.example", "case-123456-2@desk.example",
                          "case-123456-3@desk.example"));
  ASSERT_EQ(mail->to.size(), 1u);
  EXPECT_EQ(mail->to[0].address, "support@desk.example");
  EXPECT_EQ(mail->to[0].name, "Support Desk");
  ASSERT_EQ(mail->cc.size(), 2u);
  EXPECT_EQ(mail->cc[0].name, "de Boer, Anne");
  EXPECT_EQ(mail->cc[1].address, "piet@acme.example");
  // Headers keep their order and names; folded values are unfolded.
  ASSERT_GE(mail->headers.size(), 3u);
  EXPECT_EQ(mail->headers[0].first, "From");
  EXPECT_EQ(mail->headers[0].second, "\"Jansen, Jan\" <jan.jansen@acme.example>");
  bool found_references = false;
  for (const auto& [name, value] : mail->headers) {
    if (name != "References") continue;
    found_references = true;
    EXPECT_EQ(value.find('\n'), std::string::npos) << value;
  }
  EXPECT_TRUE(found_references);
}

TEST(GmimeMailParserTest, HeadersAreDecoded) {
  GmimeMailParser parser;
  absl::StatusOr<core::ParsedMail> latin1 =
      parser.Parse(ReadCorpus("raw-8bit-latin1.eml"), core::MailLimits{});
  ASSERT_TRUE(latin1.ok());
  EXPECT_THAT(latin1->headers, ::testing::Contains(std::pair<std::string, std::string>(
                                   "Subject", "Café crème £ € price")));
  absl::StatusOr<core::ParsedMail> q =
      parser.Parse(ReadCorpus("rfc2047-base64-utf8.eml"), core::MailLimits{});
  ASSERT_TRUE(q.ok());
  EXPECT_THAT(q->headers, ::testing::Contains(std::pair<std::string, std::string>(
                              "Subject", "Drucker druckt nicht – dringend ✉")));
  ASSERT_EQ(q->to.size(), 2u);
  EXPECT_EQ(q->to[0].name, "Support-Team ✓");
  ASSERT_EQ(q->cc.size(), 1u);
  EXPECT_EQ(q->cc[0].name, "Zoë");
}

TEST(GmimeMailParserTest, BounceHasNullReturnPath) {
  GmimeMailParser parser;
  absl::StatusOr<core::ParsedMail> mail =
      parser.Parse(ReadCorpus("bounce-dsn.eml"), core::MailLimits{});
  ASSERT_TRUE(mail.ok());
  EXPECT_TRUE(mail->null_return_path);
  EXPECT_EQ(mail->return_path, "");
}

TEST(GmimeMailParserTest, CrlfAndLfParseTheSame) {
  GmimeMailParser parser;
  absl::StatusOr<core::ParsedMail> lf =
      parser.Parse(ReadCorpus("line-endings-lf.eml"), core::MailLimits{});
  absl::StatusOr<core::ParsedMail> crlf =
      parser.Parse(ReadCorpus("line-endings-crlf.eml"), core::MailLimits{});
  ASSERT_TRUE(lf.ok());
  ASSERT_TRUE(crlf.ok());
  EXPECT_EQ(ParsedMailToJson(*lf), ParsedMailToJson(*crlf));
  ASSERT_EQ(crlf->attachments.size(), 1u);
  EXPECT_EQ(crlf->attachments[0].content, std::string("\0\1\2\3\4\5\6\7\10\11", 10));
}

TEST(GmimeMailParserTest, ManyPartsStopAtTheLimit) {
  GmimeMailParser parser;
  absl::StatusOr<core::ParsedMail> mail =
      parser.Parse(ReadCorpus("many-parts.eml"), core::MailLimits{});
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_THAT(mail->limits_hit, ElementsAre("parts"));
  EXPECT_EQ(mail->text, "Many files attached.");
  // 256 parts: the multipart itself, the text and 254 of the 300 files.
  ASSERT_EQ(mail->attachments.size(), 254u);
  EXPECT_EQ(mail->attachments.front().filename, "f000.txt");
  EXPECT_EQ(mail->attachments.back().filename, "f253.txt");
  core::MailLimits small;
  small.max_parts = 5;
  absl::StatusOr<core::ParsedMail> few = parser.Parse(ReadCorpus("many-parts.eml"), small);
  ASSERT_TRUE(few.ok());
  EXPECT_EQ(few->attachments.size(), 3u);
}

TEST(GmimeMailParserTest, DepthLimitIsConfigurable) {
  GmimeMailParser parser;
  core::MailLimits shallow;
  shallow.max_depth = 1;
  absl::StatusOr<core::ParsedMail> mail = parser.Parse(ReadCorpus("nested-related.eml"), shallow);
  ASSERT_TRUE(mail.ok());
  EXPECT_THAT(mail->limits_hit, ElementsAre("depth"));
  EXPECT_EQ(mail->subject, "Screenshot of the error");
  EXPECT_THAT(mail->attachments, IsEmpty());
}

TEST(GmimeMailParserTest, OversizedMessageKeepsOnlyItsHeaders) {
  GmimeMailParser parser;
  core::MailLimits limits;
  limits.max_message_bytes = 400;
  absl::StatusOr<core::ParsedMail> mail = parser.Parse(ReadCorpus("nested-related.eml"), limits);
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_THAT(mail->limits_hit, ElementsAre("size"));
  EXPECT_EQ(mail->subject, "Screenshot of the error");
  EXPECT_EQ(mail->message_id, "nested@example.in");
  EXPECT_EQ(mail->text, "");
  EXPECT_FALSE(mail->html.has_value());
  EXPECT_THAT(mail->attachments, IsEmpty());
}

TEST(GmimeMailParserTest, NotAMessageIsInvalidArgument) {
  GmimeMailParser parser;
  for (std::string raw : {ReadCorpus("garbage-binary.eml"), std::string(), std::string("\n\nbody"),
                          std::string("just some text\nno headers\n")}) {
    absl::StatusOr<core::ParsedMail> mail = parser.Parse(raw, core::MailLimits{});
    EXPECT_EQ(mail.status().code(), absl::StatusCode::kInvalidArgument) << raw.substr(0, 20);
  }
}

TEST(GmimeMailParserTest, MboxEnvelopeLineIsSkipped) {
  GmimeMailParser parser;
  absl::StatusOr<core::ParsedMail> mail = parser.Parse(
      "From jan@x.example Tue Mar  5 10:00:00 2024\nFrom: Jan <jan@x.example>\nSubject: "
      "hi\n\nbody\n",
      core::MailLimits{});
  ASSERT_TRUE(mail.ok()) << mail.status();
  EXPECT_EQ(mail->subject, "hi");
  ASSERT_TRUE(mail->from.has_value());
  EXPECT_EQ(mail->from->address, "jan@x.example");
}

TEST(GmimeMailParserTest, ParsesConcurrently) {
  GmimeMailParser parser;
  std::vector<std::string> raws;
  for (const Expected& want : Corpus()) raws.push_back(ReadCorpus(want.file));
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < raws.size(); ++i) {
          absl::StatusOr<core::ParsedMail> mail = parser.Parse(raws[i], core::MailLimits{});
          if (!mail.ok() || mail->subject != Corpus()[i].subject) ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ElementsAre(0, 0, 0, 0));
}

}  // namespace
}  // namespace casedesk::adapters::mail

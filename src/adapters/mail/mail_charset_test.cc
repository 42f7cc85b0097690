#include "adapters/mail/mail_charset.h"

#include <string>

#include "core/text.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::mail {
namespace {

// Non-ASCII text at every offset around the eight-byte steps of the ASCII scan.
TEST(MailCharsetTest, ValidUtf8IsKeptAtEveryOffset) {
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    for (const std::string sequence : {"\xC3\xA4", "\xE2\x80\x93", "\xF0\x9F\x98\x80"}) {
      const std::string text = std::string(prefix, 'a') + sequence + std::string(9, 'b');
      EXPECT_TRUE(core::IsValidUtf8(text)) << prefix;
      EXPECT_EQ(RepairUtf8(text), text) << prefix;
    }
  }
}

TEST(MailCharsetTest, InvalidBytesAreReadAsWindows1252AtEveryOffset) {
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    const std::string ascii(prefix, 'a');
    // 0xE4 alone is Latin-1 "ä"; 0x96 is windows-1252's en dash.
    EXPECT_FALSE(core::IsValidUtf8(ascii + "\xE4"
                                     "bcdefghij"))
        << prefix;
    EXPECT_EQ(RepairUtf8(ascii + "\xE4"
                                 "bcdefghij"),
              ascii +
                  "\xC3\xA4"
                  "bcdefghij");
    EXPECT_EQ(RepairUtf8(ascii + "\x96"), ascii + "\xE2\x80\x93") << prefix;
  }
}

TEST(MailCharsetTest, MalformedSequencesAreNotUtf8) {
  EXPECT_FALSE(core::IsValidUtf8("\xC0\xAF"));          // overlong "/"
  EXPECT_FALSE(core::IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(core::IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(core::IsValidUtf8("abcdefgh\xE2\x80"));  // cut off at the end
  // Each byte of a cut-off sequence is repaired on its own; the text around it is kept.
  EXPECT_EQ(RepairUtf8("ok \xE2\x80"), "ok \xC3\xA2\xE2\x82\xAC");
  EXPECT_EQ(RepairUtf8("x\xC0\xAFy"), "x\xC3\x80\xC2\xAFy");
  EXPECT_TRUE(core::IsValidUtf8(""));
  EXPECT_EQ(RepairUtf8(""), "");
}

TEST(MailCharsetTest, DecodeTextConvertsDeclaredCharsets) {
  EXPECT_EQ(DecodeText("Gr\xFC\xDF"
                       "e",
                       "ISO-8859-1"),
            "Gr\xC3\xBC\xC3\x9F"
            "e");
  EXPECT_EQ(DecodeText("Gr\xC3\xBC\xC3\x9F"
                       "e",
                       "iso-8859-1"),
            "Gr\xC3\xBC\xC3\x9F"
            "e");
  EXPECT_EQ(DecodeText("plain", "utf-8"), "plain");
  EXPECT_EQ(DecodeText("\xE4", "us-ascii"), "\xC3\xA4");
}

}  // namespace
}  // namespace casedesk::adapters::mail

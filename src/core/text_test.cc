#include "core/text.h"

#include <gtest/gtest.h>

namespace casedesk::core {
namespace {

TEST(TextTest, AsciiLowerLeavesOtherBytesAlone) {
  EXPECT_EQ(AsciiLower("Auto-Submitted: NO"), "auto-submitted: no");
  EXPECT_EQ(AsciiLower("ÄRGER"), "Ärger");  // only ASCII letters fold
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(TextTest, StartsWith) {
  EXPECT_TRUE(StartsWith("multipart/report", "multipart/"));
  EXPECT_TRUE(StartsWith("x", ""));
  EXPECT_FALSE(StartsWith("multi", "multipart"));
}

TEST(TextTest, CutAtCharacterNeverSplitsAUtf8Sequence) {
  EXPECT_EQ(CutAtCharacter("abc", 10), "abc");
  EXPECT_EQ(CutAtCharacter("abcdef", 3), "abc");
  const std::string euro = "a\xE2\x82\xAC";  // "a€": the euro sign is 3 bytes
  EXPECT_EQ(CutAtCharacter(euro, 1), "a");
  EXPECT_EQ(CutAtCharacter(euro, 2), "a");
  EXPECT_EQ(CutAtCharacter(euro, 3), "a");
  EXPECT_EQ(CutAtCharacter(euro, 4), euro);
}

TEST(TextTest, Utf8SequenceLengthAcceptsOnlyWellFormedSequences) {
  EXPECT_EQ(Utf8SequenceLength("a", 0), 1u);
  EXPECT_EQ(Utf8SequenceLength("\xC3\xA4", 0), 2u);          // U+00E4
  EXPECT_EQ(Utf8SequenceLength("x\xE2\x82\xAC", 1), 3u);     // U+20AC
  EXPECT_EQ(Utf8SequenceLength("\xF0\x9F\x98\x80", 0), 4u);  // U+1F600
  EXPECT_EQ(Utf8SequenceLength("\xF4\x8F\xBF\xBF", 0), 4u);  // U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\x80", 0), 0u);              // a continuation byte alone
  EXPECT_EQ(Utf8SequenceLength("\xC0\xAF", 0), 0u);          // overlong "/"
  EXPECT_EQ(Utf8SequenceLength("\xE0\x80\xAF", 0), 0u);      // overlong "/"
  EXPECT_EQ(Utf8SequenceLength("\xED\xA0\x80", 0), 0u);      // a surrogate
  EXPECT_EQ(Utf8SequenceLength("\xF4\x90\x80\x80", 0), 0u);  // past U+10FFFF
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82", 0), 0u);          // cut off
  EXPECT_EQ(Utf8SequenceLength("\xE2\x82a", 0), 0u);         // not continued
}

TEST(TextTest, AsciiRunsAndUtf8AreFoundAtEveryOffsetOfTheEightByteSteps) {
  for (size_t prefix = 0; prefix < 20; ++prefix) {
    const std::string ascii(prefix, 'a');
    EXPECT_EQ(AsciiRunLength(ascii + "\xC3\xA4" + "bcdefghij", 0), prefix);
    EXPECT_EQ(AsciiRunLength(ascii + "xyz", prefix), 3u);
    EXPECT_TRUE(IsValidUtf8(ascii + "\xF0\x9F\x98\x80" + "bcdefghij")) << prefix;
    EXPECT_FALSE(IsValidUtf8(ascii + "\xE4" + "bcdefghij")) << prefix;
    EXPECT_FALSE(IsValidUtf8(ascii + "\xE2\x82")) << prefix;  // cut off at the end
  }
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_EQ(AsciiRunLength("", 0), 0u);
}

TEST(TextTest, AppendUtf8EncodesEveryLength) {
  std::string out;
  for (uint32_t code_point : {0x41u, 0xE4u, 0x20ACu, 0x1F600u, 0x10FFFFu}) {
    AppendUtf8(code_point, out);
  }
  EXPECT_EQ(out, "A\xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF");
  EXPECT_TRUE(IsValidUtf8(out));
}

}  // namespace
}  // namespace casedesk::core

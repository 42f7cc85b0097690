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

}  // namespace
}  // namespace casedesk::core

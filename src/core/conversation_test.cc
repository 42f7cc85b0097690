#include "core/conversation.h"

#include <string>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

// UTF-8 sequences used to test that the 200-byte cut never splits a character.
const std::string kTwoByte = "\xc3\xa9";           // é
const std::string kThreeByte = "\xe2\x82\xac";     // €
const std::string kFourByte = "\xf0\x9f\x98\x80";  // 😀

std::string As(size_t count) { return std::string(count, 'a'); }

TEST(ConversationTest, SanitiseFilename) {
  const struct {
    const char* what;
    std::string input;
    std::string expected;
  } kTable[] = {
      {"plain", "report.pdf", "report.pdf"},
      {"spaces inside are kept", "crash dump 2024.txt", "crash dump 2024.txt"},
      {"UTF-8 is kept", "r" + kTwoByte + "sum" + kTwoByte + ".pdf",
       "r" + kTwoByte + "sum" + kTwoByte + ".pdf"},
      // Path traversal and directories: only the last component remains.
      {"relative traversal", "../../etc/passwd", "passwd"},
      {"absolute path", "/etc/shadow", "shadow"},
      {"windows path", "C:\\Windows\\System32\\cmd.exe", "cmd.exe"},
      {"windows traversal", "..\\..\\boot.ini", "boot.ini"},
      {"mixed separators", "a/b\\c/d.log", "d.log"},
      {"trailing slash", "dir/", "attachment"},
      {"dot-dot", "..", "attachment"},
      {"dot-dot after a directory", "x/..", "attachment"},
      {"only dots", "....", "attachment"},
      {"leading dots of a hidden file", ".bashrc", "bashrc"},
      {"leading dots and spaces", " . .env", "env"},
      // Characters that break a Content-Disposition header or a terminal.
      {"quote", "a\"b.txt", "ab.txt"},
      {"semicolon", "a;b.txt", "ab.txt"},
      {"header injection", "x.txt\r\nSet-Cookie: a=b", "x.txtSet-Cookie: a=b"},
      {"tab", "a\tb.txt", "ab.txt"},
      {"NUL", std::string("evil.php\0.jpg", 13), "evil.php.jpg"},
      {"escape sequence", "\x1b[31mred.txt", "[31mred.txt"},
      {"DEL",
       "a\x7f"
       "b.txt",
       "ab.txt"},
      {"control characters around a separator", "\x01/\x02..\x03", "attachment"},
      {"empty", "", "attachment"},
      {"only control characters", "\x01\x02\x03", "attachment"},
      // Length: at most 200 bytes, never cutting a UTF-8 sequence.
      {"200 bytes kept", As(200), As(200)},
      {"300 bytes cut to 200", As(300), As(200)},
      {"two-byte character ending at 200", As(198) + kTwoByte + "z", As(198) + kTwoByte},
      {"two-byte character across 200", As(199) + kTwoByte + "z", As(199)},
      {"three-byte character ending at 200", As(197) + kThreeByte + "z", As(197) + kThreeByte},
      {"three-byte character across 200 (1 of 3 kept)", As(199) + kThreeByte, As(199)},
      {"three-byte character across 200 (2 of 3 kept)", As(198) + kThreeByte, As(198)},
      {"four-byte character ending at 200", As(196) + kFourByte + "z", As(196) + kFourByte},
      {"four-byte character across 200", As(197) + kFourByte, As(197)},
      {"length counted after stripping", std::string(50, '"') + As(200), As(200)},
  };
  for (const auto& row : kTable) {
    const std::string safe = SanitiseFilename(row.input);
    EXPECT_EQ(safe, row.expected) << row.what;
    EXPECT_LE(safe.size(), 200u) << row.what;
  }
}

TEST(ConversationTest, ValidateComment) {
  const struct {
    const char* what;
    std::string body;
    bool ok;
  } kTable[] = {
      {"ordinary", "Thanks, that fixed it.", true},
      {"one character", "k", true},
      {"empty", "", false},
      {"256 KiB", std::string(256 * 1024, 'b'), true},
      {"over 256 KiB", std::string(256 * 1024 + 1, 'b'), false},
  };
  for (const auto& row : kTable) {
    Comment comment;
    comment.body = row.body;
    const absl::Status status = ValidateComment(comment);
    EXPECT_EQ(status.ok(), row.ok) << row.what;
    if (!status.ok()) {
      EXPECT_TRUE(absl::IsInvalidArgument(status)) << row.what;
    }
  }
}

TEST(ConversationTest, VisibilityNamesRoundTrip) {
  EXPECT_EQ(EnumFromName<Visibility>(kVisibilityNames, "public"), Visibility::kPublic);
  EXPECT_EQ(EnumFromName<Visibility>(kVisibilityNames, "internal"), Visibility::kInternal);
  EXPECT_EQ(EnumFromName<Visibility>(kVisibilityNames, "private"), std::nullopt);
  EXPECT_EQ(NameOf<Visibility>(kVisibilityNames, Visibility::kInternal), "internal");
}

}  // namespace
}  // namespace casedesk::core

#include "core/mail_threading.h"

#include <optional>
#include <string>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

TEST(MailThreadingTest, FormatsAndFindsTheTag) {
  EXPECT_EQ(FormatCaseTag("Case", 123456), "[Case #123456]");
  EXPECT_EQ(FindCaseTag("Disk full [Case #123456]", "Case"), 123456);
}

TEST(MailThreadingTest, FindsTagsTolerantlyAndIgnoresOthers) {
  const struct {
    const char* subject;
    const char* prefix;
    std::optional<CaseNumber> number;
  } kRows[] = {
      {"Re: Disk full [Case #42]", "Case", 42},
      {"AW: WG: [case #42] Disk full", "Case", 42},
      {"RE: [CASE#42]", "Case", 42},
      {"Fwd: [ Case # 42 ] x", "Case", 42},
      {"[Ticket#2024031510000012] Re: Disk full [Case #7]", "Case", 7},
      {"[#RT-1234] Disk full", "Case", std::nullopt},
      {"[Ticket#2024031510000012] Disk full", "Case", std::nullopt},
      {"[Ticket#20240315-10000012] Disk full", "Ticket", std::nullopt},  // not digits only
      {"[Ticket #77] Disk full", "Ticket", 77},
      {"[Cases #42]", "Case", std::nullopt},  // another word
      {"[Case #42x]", "Case", std::nullopt},
      {"[Case #042]", "Case", std::nullopt},  // we never write leading zeros
      {"[Case #]", "Case", std::nullopt},
      {"[Case #1234567890123456789]", "Case", std::nullopt},  // too long
      {"Case #42 without brackets", "Case", std::nullopt},
      {"[x [Case #5]", "Case", 5},
      {"[Case #5", "Case", std::nullopt},
      {"[Case #5] and [Case #6]", "Case", 5},
      {"[Support #9]", "support", 9},
      {"", "Case", std::nullopt},
  };
  for (const auto& row : kRows) {
    EXPECT_EQ(FindCaseTag(row.subject, row.prefix), row.number) << row.subject;
  }
}

TEST(MailThreadingTest, TagSubjectAddsOurTagOnce) {
  EXPECT_EQ(TagSubject("Disk full", "Case", 12), "Disk full [Case #12]");
  EXPECT_EQ(TagSubject("Re: Disk full [Case #12]", "Case", 12), "Re: Disk full [Case #12]");
  EXPECT_EQ(TagSubject("[#RT-1234] Disk full", "Case", 12), "[#RT-1234] Disk full [Case #12]");
  EXPECT_EQ(TagSubject("", "Case", 12), "[Case #12]");
}

TEST(MailThreadingTest, CleanSubjectDropsMarkersAndOurTagsButKeepsOthers) {
  const struct {
    const char* subject;
    const char* clean;
  } kRows[] = {
      {"Re: Disk full", "Disk full"},
      {"RE: AW: Fwd: FW: WG: Disk full", "Disk full"},
      {"Re[2]: Disk full", "Disk full"},
      {"Re : Disk full", "Disk full"},
      {"  Re:   Disk   full  ", "Disk full"},
      {"Re: [Case #12] Disk full", "Disk full"},
      {"Re: Disk full [Case #12]", "Disk full"},
      {"Re: [Ticket#2024031510000012] Disk full", "[Ticket#2024031510000012] Disk full"},
      {"[#RT-1234] Re: Disk full", "[#RT-1234] Re: Disk full"},
      {"Regarding the disk", "Regarding the disk"},
      {"Reply: x", "Reply: x"},
      {"Disk full: help", "Disk full: help"},
      {"Re:", ""},
  };
  for (const auto& row : kRows) {
    EXPECT_EQ(CleanSubject(row.subject, "Case"), row.clean) << row.subject;
  }
}

TEST(MailThreadingTest, ReplyAddressRoundTrips) {
  const std::string address =
      FormatReplyAddress("Support", 123, "0123456789ABCDEF", "Help.Example");
  EXPECT_EQ(address, "support+c123-0123456789abcdef@help.example");
  std::optional<ReplyAddress> parsed = ParseReplyAddress(address, "support", "help.example");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->number, 123);
  EXPECT_EQ(parsed->token, "0123456789abcdef");
  parsed =
      ParseReplyAddress("SUPPORT+C123-0123456789ABCDEF@HELP.EXAMPLE", "support", "help.example");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->token, "0123456789abcdef");
}

TEST(MailThreadingTest, ReplyAddressRejectsOtherShapes) {
  const char* kBad[] = {
      "support@help.example",
      "support+c123@help.example",
      "support+c123-@help.example",
      "support+c123-0123456@help.example",            // token too short
      "support+c123-0123456789abcdeg@help.example",   // not hex
      "support+c0123-0123456789abcdef@help.example",  // leading zero
      "support+c-0123456789abcdef@help.example",
      "support+cx1-0123456789abcdef@help.example",
      "other+c123-0123456789abcdef@help.example",
      "support+c123-0123456789abcdef@other.example",
      "support+c123-0123456789abcdef@evil.help.example.org",
      "xsupport+c123-0123456789abcdef@help.example",
      "",
  };
  for (const char* address : kBad) {
    EXPECT_FALSE(ParseReplyAddress(address, "support", "help.example").has_value()) << address;
  }
  EXPECT_FALSE(
      ParseReplyAddress("support+c1-0123456789abcdef@help.example", "support", "").has_value());
}

TEST(MailThreadingTest, TokenMessageAndHex) {
  EXPECT_EQ(ReplyTokenMessage(77), "reply:77");
  EXPECT_EQ(HexLower(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
}

}  // namespace
}  // namespace casedesk::core

#include "core/engineering_link.h"

#include <string>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

EngineeringLink ValidLink() {
  EngineeringLink link;
  link.case_number = 100001;
  link.tracker = "jira";
  link.issue_key = "PROJ-123";
  link.url = "https://jira.example.com/browse/PROJ-123";
  link.state = "in_progress";
  link.title = "Export times out";
  return link;
}

TEST(EngineeringLinkTest, NormalisesStatesAndTrackers) {
  EXPECT_EQ(NormaliseTrackerState("  In Progress "), "in_progress");
  EXPECT_EQ(NormaliseTrackerState("won't-fix"), "won't_fix");
  EXPECT_EQ(NormaliseTrackerState("RELEASED"), "released");
  EXPECT_EQ(NormaliseTrackerName(" JIRA "), "jira");
}

struct InvalidCase {
  const char* name;
  void (*mutate)(EngineeringLink&);
  const char* field;
};

TEST(EngineeringLinkTest, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateEngineeringLink(ValidLink()).ok());
  EngineeringLink no_url = ValidLink();
  no_url.url.clear();
  EXPECT_TRUE(ValidateEngineeringLink(no_url).ok());
  const InvalidCase cases[] = {
      {"empty tracker", [](EngineeringLink& l) { l.tracker = ""; }, "tracker:"},
      {"tracker with space", [](EngineeringLink& l) { l.tracker = "my jira"; }, "tracker:"},
      {"long tracker", [](EngineeringLink& l) { l.tracker = std::string(33, 'a'); }, "tracker:"},
      {"empty key", [](EngineeringLink& l) { l.issue_key = ""; }, "key:"},
      {"key with space", [](EngineeringLink& l) { l.issue_key = "PROJ 1"; }, "key:"},
      {"javascript url", [](EngineeringLink& l) { l.url = "javascript:alert(1)"; }, "url:"},
      {"url with space", [](EngineeringLink& l) { l.url = "https://x/ y"; }, "url:"},
      {"empty state", [](EngineeringLink& l) { l.state = ""; }, "state:"},
      {"state not normalised", [](EngineeringLink& l) { l.state = "In Progress"; }, "state:"},
      {"title control", [](EngineeringLink& l) { l.title = "a\nb"; }, "title:"},
      {"long title", [](EngineeringLink& l) { l.title = std::string(301, 'a'); }, "title:"},
      {"no case", [](EngineeringLink& l) { l.case_number = 0; }, "case_number:"},
  };
  for (const InvalidCase& c : cases) {
    EngineeringLink link = ValidLink();
    c.mutate(link);
    const absl::Status status = ValidateEngineeringLink(link);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << c.name;
    EXPECT_TRUE(std::string(status.message()).starts_with(c.field))
        << c.name << ": " << status.message();
  }
}

TEST(EngineeringLinkTest, DefaultPolicyPromptsOnReleasedAndResolved) {
  const EngineeringPolicy policy = DefaultEngineeringPolicy();
  EXPECT_TRUE(ValidateEngineeringPolicy(policy).ok());
  EXPECT_EQ(ActionForState(policy, "released"), StateAction::kPrompt);
  EXPECT_EQ(ActionForState(policy, "resolved"), StateAction::kPrompt);
  EXPECT_EQ(ActionForState(policy, "in_progress"), StateAction::kNote);
  const std::optional<std::string> text = PublicUpdateText(policy, "released", 100042);
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("100042"), std::string::npos);
  EXPECT_EQ(text->find("{case_number}"), std::string::npos);
  EXPECT_FALSE(PublicUpdateText(policy, "open", 1).has_value());
}

TEST(EngineeringLinkTest, PolicyValidation) {
  EngineeringPolicy policy;
  policy.actions["released"] = StateAction::kSend;
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateEngineeringPolicy(policy)));  // no template
  policy.templates["released"] = "Fixed.";
  EXPECT_TRUE(ValidateEngineeringPolicy(policy).ok());
  policy.templates["Bad State"] = "x";
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateEngineeringPolicy(policy)));
  policy.templates.erase("Bad State");
  policy.templates["released"] = std::string(4001, 'a');
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateEngineeringPolicy(policy)));
  policy.templates["released"] = "Line\nbreaks are fine";
  EXPECT_TRUE(ValidateEngineeringPolicy(policy).ok());
  policy.actions["open"] = StateAction::kNote;  // a note needs no template
  EXPECT_TRUE(ValidateEngineeringPolicy(policy).ok());
}

TEST(EngineeringLinkTest, NoteNamesTheIssueAndCarriesTheSuggestion) {
  EngineeringLink link = ValidLink();
  link.state = "released";
  const std::string prompt =
      StateChangeNote(link, "in_progress", StateAction::kPrompt, std::string("Fixed!"));
  EXPECT_NE(prompt.find("jira PROJ-123"), std::string::npos);
  EXPECT_NE(prompt.find("in_progress to released"), std::string::npos);
  EXPECT_NE(prompt.find("Suggested public update"), std::string::npos);
  EXPECT_NE(prompt.find("Fixed!"), std::string::npos);
  const std::string sent = StateChangeNote(link, "in_progress", StateAction::kSend, "Fixed!");
  EXPECT_NE(sent.find("was sent to the customer"), std::string::npos);
  const std::string note = StateChangeNote(link, "", StateAction::kNote, std::nullopt);
  EXPECT_NE(note.find("(none)"), std::string::npos);
  EXPECT_EQ(note.find("Suggested"), std::string::npos);
}

TEST(EngineeringLinkTest, ParsesSignatureHeaders) {
  const std::string hex(64, 'a');
  const std::optional<std::string> raw = ParseSignatureHeader("sha256=" + hex);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(*raw, std::string(32, '\xaa'));
  EXPECT_TRUE(ParseSignatureHeader(" sha256=" + std::string(64, 'F') + " ").has_value());
  EXPECT_FALSE(ParseSignatureHeader("").has_value());
  EXPECT_FALSE(ParseSignatureHeader(hex).has_value());
  EXPECT_FALSE(ParseSignatureHeader("sha1=" + hex).has_value());
  EXPECT_FALSE(ParseSignatureHeader("sha256=" + hex.substr(1)).has_value());
  EXPECT_FALSE(ParseSignatureHeader("sha256=" + std::string(63, 'a') + "g").has_value());
}

}  // namespace
}  // namespace casedesk::core

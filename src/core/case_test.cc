#include "core/case.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

constexpr CaseStatus kNew = CaseStatus::kNew;
constexpr CaseStatus kOpen = CaseStatus::kOpen;
constexpr CaseStatus kPending = CaseStatus::kPending;
constexpr CaseStatus kOnHold = CaseStatus::kOnHold;
constexpr CaseStatus kSolved = CaseStatus::kSolved;
constexpr CaseStatus kClosed = CaseStatus::kClosed;

constexpr CaseStatus kStatuses[] = {kNew, kOpen, kPending, kOnHold, kSolved, kClosed};

TEST(CaseTest, TransitionTable) {
  // Rows: from; columns: to ('Y' allowed, '.' not), in the order new, open, pending, on_hold,
  // solved, closed.
  const struct {
    CaseStatus from;
    std::string to;
  } kTable[] = {
      // clang-format off
      //             NOPHSC
      {kNew,        ".YYYY."},
      {kOpen,       "..YYY."},
      {kPending,    ".Y.YY."},
      {kOnHold,     ".YY.Y."},
      {kSolved,     ".Y...Y"},
      {kClosed,     "......"},
      // clang-format on
  };
  for (const auto& row : kTable) {
    for (size_t i = 0; i < std::size(kStatuses); ++i) {
      const std::string label = std::string(NameOf<CaseStatus>(kCaseStatusNames, row.from)) +
                                " -> " +
                                std::string(NameOf<CaseStatus>(kCaseStatusNames, kStatuses[i]));
      const bool expected = row.to.at(i) == 'Y';
      EXPECT_EQ(IsValidTransition(row.from, kStatuses[i]), expected) << label;
      const absl::Status status = CheckTransition(row.from, kStatuses[i]);
      EXPECT_EQ(status.ok(), expected) << label;
      if (!status.ok()) {
        EXPECT_TRUE(absl::IsFailedPrecondition(status)) << label;
      }
    }
  }
}

TEST(CaseTest, TransitionErrorsSayWhy) {
  const struct {
    CaseStatus from;
    CaseStatus to;
    std::string message;
  } kTable[] = {
      {kClosed, kOpen, "a closed case is final; open a new case instead"},
      {kClosed, kClosed, "a closed case is final; open a new case instead"},
      {kSolved, kPending, "a case cannot move from solved to pending"},
      {kOpen, kNew, "a case cannot move from open to new"},
      {kOnHold, kOnHold, "a case cannot move from on_hold to on_hold"},
      {kNew, kClosed, "a case cannot move from new to closed"},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(std::string(CheckTransition(row.from, row.to).message()), row.message);
  }
}

TEST(CaseTest, StatusNamesRoundTrip) {
  const struct {
    CaseStatus status;
    std::string_view name;
  } kTable[] = {{kNew, "new"},        {kOpen, "open"},     {kPending, "pending"},
                {kOnHold, "on_hold"}, {kSolved, "solved"}, {kClosed, "closed"}};
  for (const auto& row : kTable) {
    EXPECT_EQ(NameOf<CaseStatus>(kCaseStatusNames, row.status), row.name);
    EXPECT_EQ(EnumFromName<CaseStatus>(kCaseStatusNames, row.name), row.status);
  }
  EXPECT_EQ(EnumFromName<CaseStatus>(kCaseStatusNames, "Open"), std::nullopt);
  EXPECT_EQ(EnumFromName<CaseStatus>(kCaseStatusNames, "on hold"), std::nullopt);
  EXPECT_EQ(EnumFromName<Category>(kCategoryNames, "service_request"), Category::kServiceRequest);
  EXPECT_EQ(EnumFromName<Category>(kCategoryNames, "bug"), std::nullopt);
}

Case ValidCase() {
  Case c;
  c.subject = "Server web-01 unreachable";
  c.description = "Since 09:00 UTC the server answers no ping.";
  return c;
}

std::map<std::string, std::string> ManyFields(size_t count) {
  std::map<std::string, std::string> fields;
  for (size_t i = 0; i < count; ++i) fields["field_" + std::to_string(i)] = "value";
  return fields;
}

TEST(CaseTest, ValidateCaseContentLimits) {
  const struct {
    const char* what;
    std::string subject;
    std::string description;
    std::map<std::string, std::string> fields;
    absl::StatusCode expected;
  } kTable[] = {
      {"ordinary case", "Disk full", "", {{"server_name", "web-01"}}, absl::StatusCode::kOk},
      {"empty description", "Disk full", "", {}, absl::StatusCode::kOk},
      {"empty subject", "", "text", {}, absl::StatusCode::kInvalidArgument},
      {"subject of 250", std::string(250, 's'), "", {}, absl::StatusCode::kOk},
      {"subject of 251", std::string(251, 's'), "", {}, absl::StatusCode::kInvalidArgument},
      {"subject with newline", "Disk\nfull", "", {}, absl::StatusCode::kInvalidArgument},
      {"subject with carriage return", "Disk full\r", "", {}, absl::StatusCode::kInvalidArgument},
      {"blank subject", "   ", "", {}, absl::StatusCode::kInvalidArgument},
      {"NUL in subject", std::string("a\0b", 3), "", {}, absl::StatusCode::kInvalidArgument},
      {"tab in subject", "a\tb", "", {}, absl::StatusCode::kInvalidArgument},
      {"description of 64 KiB", "s", std::string(64 * 1024, 'd'), {}, absl::StatusCode::kOk},
      {"description over 64 KiB",
       "s",
       std::string(64 * 1024 + 1, 'd'),
       {},
       absl::StatusCode::kInvalidArgument},
      {"multi-line description", "s", "line 1\nline 2\r\n", {}, absl::StatusCode::kOk},
      {"32 fields", "s", "", ManyFields(32), absl::StatusCode::kOk},
      {"33 fields", "s", "", ManyFields(33), absl::StatusCode::kInvalidArgument},
      {"empty field name", "s", "", {{"", "x"}}, absl::StatusCode::kInvalidArgument},
      {"field name of 64", "s", "", {{std::string(64, 'k'), "x"}}, absl::StatusCode::kOk},
      {"field name of 65",
       "s",
       "",
       {{std::string(65, 'k'), "x"}},
       absl::StatusCode::kInvalidArgument},
      {"field value of 4096",
       "s",
       "",
       {{"error_text", std::string(4096, 'v')}},
       absl::StatusCode::kOk},
      {"field value of 4097",
       "s",
       "",
       {{"error_text", std::string(4097, 'v')}},
       absl::StatusCode::kInvalidArgument},
      {"empty field value", "s", "", {{"steps_tried", ""}}, absl::StatusCode::kOk},
  };
  for (const auto& row : kTable) {
    Case c = ValidCase();
    c.subject = row.subject;
    c.description = row.description;
    c.fields = row.fields;
    EXPECT_EQ(ValidateCaseContent(c).code(), row.expected) << row.what;
  }
}

TEST(CaseTest, FieldErrorNamesTheField) {
  Case c = ValidCase();
  c.fields["error_text"] = std::string(4097, 'v');
  EXPECT_EQ(std::string(ValidateCaseContent(c).message()),
            "field 'error_text' is longer than 4096 characters");
}

TEST(CaseTest, StatusAfterPublicComment) {
  const struct {
    CaseStatus current;
    bool by_staff;
    CaseStatus expected;
  } kTable[] = {
      // The first staff reply opens a new case; otherwise staff replies leave the status be.
      {kNew, true, kOpen},
      {kOpen, true, kOpen},
      {kPending, true, kPending},
      {kOnHold, true, kOnHold},
      {kSolved, true, kSolved},
      {kClosed, true, kClosed},
      // A customer's reply re-opens a solved or pending case.
      {kNew, false, kNew},
      {kOpen, false, kOpen},
      {kPending, false, kOpen},
      {kOnHold, false, kOnHold},
      {kSolved, false, kOpen},
      {kClosed, false, kClosed},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(StatusAfterPublicComment(row.current, row.by_staff), row.expected)
        << NameOf<CaseStatus>(kCaseStatusNames, row.current) << " staff=" << row.by_staff;
  }
}

}  // namespace
}  // namespace casedesk::core

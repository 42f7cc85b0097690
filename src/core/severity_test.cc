#include "core/severity.h"

#include <string>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

constexpr Severity kCritical = Severity::kCritical;
constexpr Severity kMajor = Severity::kMajor;
constexpr Severity kMinor = Severity::kMinor;
constexpr Severity kOther = Severity::kOther;

TEST(SeverityTest, FromLevel) {
  const struct {
    int level;
    bool ok;
    Severity expected;
  } kTable[] = {
      {1, true, kCritical}, {2, true, kMajor},  {3, true, kMinor},   {4, true, kOther},
      {0, false, kMinor},   {5, false, kMinor}, {-1, false, kMinor}, {100, false, kMinor},
  };
  for (const auto& row : kTable) {
    Severity severity = kMinor;  // left alone when the level is out of range
    EXPECT_EQ(SeverityFromLevel(row.level, &severity), row.ok) << row.level;
    EXPECT_EQ(severity, row.expected) << row.level;
    if (row.ok) {
      EXPECT_EQ(SeverityLevel(severity), row.level);
    }
  }
}

TEST(SeverityTest, NamesRoundTrip) {
  const struct {
    Severity severity;
    std::string_view name;
  } kTable[] = {{kCritical, "critical"}, {kMajor, "major"}, {kMinor, "minor"}, {kOther, "other"}};
  for (const auto& row : kTable) {
    EXPECT_EQ(NameOf<Severity>(kSeverityNames, row.severity), row.name);
    EXPECT_EQ(EnumFromName<Severity>(kSeverityNames, row.name), row.severity);
  }
  EXPECT_EQ(EnumFromName<SeverityChangeReason>(kSeverityChangeReasonNames, "workaround_provided"),
            SeverityChangeReason::kWorkaroundProvided);
  EXPECT_EQ(EnumFromName<SeverityChangeReason>(kSeverityChangeReasonNames, "workaround"),
            std::nullopt);
}

TEST(SeverityTest, ValidateSeverityChange) {
  using Reason = SeverityChangeReason;
  const struct {
    Severity from;
    Severity to;
    Reason reason;
    std::string explanation;
    bool ok;
  } kTable[] = {
      // A workaround lowers 1 or 2 to 3, and nothing else.
      {kCritical, kMinor, Reason::kWorkaroundProvided, "restart script provided", true},
      {kMajor, kMinor, Reason::kWorkaroundProvided, "use the secondary endpoint", true},
      {kCritical, kMajor, Reason::kWorkaroundProvided, "partial fix", false},
      {kCritical, kOther, Reason::kWorkaroundProvided, "partial fix", false},
      {kMajor, kOther, Reason::kWorkaroundProvided, "partial fix", false},
      {kMinor, kOther, Reason::kWorkaroundProvided, "partial fix", false},
      {kMinor, kCritical, Reason::kWorkaroundProvided, "partial fix", false},
      {kOther, kMinor, Reason::kWorkaroundProvided, "partial fix", false},
      // Other reasons fit any change, up or down.
      {kMinor, kCritical, Reason::kTriage, "whole region down", true},
      {kCritical, kOther, Reason::kTriage, "was a question", true},
      {kOther, kCritical, Reason::kCustomerRequest, "production now affected", true},
      {kMajor, kCritical, Reason::kImpactChanged, "all customers affected", true},
      {kCritical, kMinor, Reason::kImpactChanged, "traffic moved away", true},
      // Every change needs a written explanation and an actual change.
      {kCritical, kMinor, Reason::kWorkaroundProvided, "", false},
      {kMinor, kMajor, Reason::kTriage, "", false},
      {kMajor, kMajor, Reason::kTriage, "no change", false},
      {kCritical, kCritical, Reason::kImpactChanged, "still down", false},
  };
  for (const auto& row : kTable) {
    const absl::Status status =
        ValidateSeverityChange(row.from, row.to, row.reason, row.explanation);
    EXPECT_EQ(status.ok(), row.ok) << SeverityLevel(row.from) << " -> " << SeverityLevel(row.to)
                                   << " " << NameOf<Reason>(kSeverityChangeReasonNames, row.reason)
                                   << " '" << row.explanation << "': " << status;
    if (!status.ok()) {
      EXPECT_TRUE(absl::IsInvalidArgument(status));
    }
  }
}

}  // namespace
}  // namespace casedesk::core

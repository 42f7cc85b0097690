#include "core/problem.h"

#include <string>

#include "core/enum_names.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

Problem ValidProblem() {
  Problem problem;
  problem.title = "Exports time out";
  problem.component = "export";
  problem.root_cause = "A lock is held across the batch.\nWorkaround: smaller exports.";
  return problem;
}

TEST(ProblemTest, ValidationNamesTheField) {
  EXPECT_TRUE(ValidateProblem(ValidProblem()).ok());
  struct Case {
    void (*mutate)(Problem&);
    const char* field;
  };
  const Case cases[] = {
      {[](Problem& p) { p.title = "  "; }, "title:"},
      {[](Problem& p) { p.title = std::string(201, 'a'); }, "title:"},
      {[](Problem& p) { p.title = "a\tb"; }, "title:"},
      {[](Problem& p) { p.component = std::string(101, 'a'); }, "component:"},
      {[](Problem& p) { p.component = "a\nb"; }, "component:"},
      {[](Problem& p) { p.root_cause = std::string(20001, 'a'); }, "root_cause:"},
      {[](Problem& p) { p.root_cause = std::string("a\x01") + "b"; }, "root_cause:"},
  };
  for (const Case& c : cases) {
    Problem problem = ValidProblem();
    c.mutate(problem);
    const absl::Status status = ValidateProblem(problem);
    EXPECT_TRUE(absl::IsInvalidArgument(status));
    EXPECT_TRUE(std::string(status.message()).starts_with(c.field)) << status.message();
  }
}

TEST(ProblemTest, StatusNamesAndLabels) {
  EXPECT_EQ(NameOf<ProblemStatus>(kProblemStatusNames, ProblemStatus::kKnownError), "known_error");
  EXPECT_EQ(EnumFromName<ProblemStatus>(kProblemStatusNames, "resolved"), ProblemStatus::kResolved);
  EXPECT_FALSE(EnumFromName<ProblemStatus>(kProblemStatusNames, "closed").has_value());
  EXPECT_EQ(ProblemStatusLabel(ProblemStatus::kKnownError), "Known error");
}

}  // namespace
}  // namespace casedesk::core

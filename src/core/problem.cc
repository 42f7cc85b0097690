#include "core/problem.h"

#include "core/text.h"

namespace casedesk::core {

std::string_view ProblemStatusLabel(ProblemStatus status) {
  switch (status) {
    case ProblemStatus::kInvestigating:
      return "Investigating";
    case ProblemStatus::kKnownError:
      return "Known error";
    case ProblemStatus::kResolved:
      return "Resolved";
  }
  return "Investigating";
}

absl::Status ValidateProblem(const Problem& problem) {
  if (IsBlank(problem.title)) return absl::InvalidArgumentError("title: required");
  if (problem.title.size() > kMaxProblemTitleBytes) {
    return absl::InvalidArgumentError("title: at most 200 bytes");
  }
  if (HasControlCharacter(problem.title, false)) {
    return absl::InvalidArgumentError("title: must not hold control characters");
  }
  if (problem.component.size() > kMaxProblemComponentBytes) {
    return absl::InvalidArgumentError("component: at most 100 bytes");
  }
  if (HasControlCharacter(problem.component, false)) {
    return absl::InvalidArgumentError("component: must not hold control characters");
  }
  if (problem.root_cause.size() > kMaxRootCauseBytes) {
    return absl::InvalidArgumentError("root_cause: at most 20000 bytes");
  }
  if (HasControlCharacter(problem.root_cause, true)) {
    return absl::InvalidArgumentError("root_cause: must not hold control characters");
  }
  return absl::OkStatus();
}

}  // namespace casedesk::core

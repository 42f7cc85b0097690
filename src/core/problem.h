// Problem records (issue 7): a problem groups incidents (cases) that share a cause, with its own
// status, the component it lies in and a root-cause note (plain text or Markdown, shown as
// text). Provider staff only. Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

using ProblemId = int64_t;

enum class ProblemStatus { kInvestigating, kKnownError, kResolved };

inline constexpr std::array<std::pair<ProblemStatus, std::string_view>, 3> kProblemStatusNames{{
    {ProblemStatus::kInvestigating, "investigating"},
    {ProblemStatus::kKnownError, "known_error"},
    {ProblemStatus::kResolved, "resolved"},
}};

// "Investigating", "Known error", "Resolved".
std::string_view ProblemStatusLabel(ProblemStatus status);

struct Problem {
  ProblemId id = 0;
  std::string title;
  ProblemStatus status = ProblemStatus::kInvestigating;
  std::string component;   // "" or the component the cause lies in (matches cases' component)
  std::string root_cause;  // what is known of the cause and the workaround
  UserId created_by = 0;
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
  absl::Time resolved_at = absl::InfinitePast();  // InfinitePast while not resolved
  int64_t case_count = 0;                         // linked cases; read-only, filled in by the store
};

inline constexpr size_t kMaxProblemTitleBytes = 200;
inline constexpr size_t kMaxProblemComponentBytes = 100;
inline constexpr size_t kMaxRootCauseBytes = 20000;

// InvalidArgument naming the field: title 1..200 bytes without control characters, component
// at most 100 bytes without control characters, root_cause at most 20000 bytes without control
// characters other than line breaks and tabs.
absl::Status ValidateProblem(const Problem& problem);

}  // namespace casedesk::core

// Records of engineering links and problems (issue 7) the store keeps beside the values in
// core/engineering_link.h and core/problem.h: how problems are listed, a problem's linked cases,
// and the incident trend counts (cases opened in a period by problem, component, organisation).
// Thread-safe: values only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/ids.h"
#include "core/problem.h"

namespace casedesk::ports {

// Problems newest first (id descending), below `before_id` when set.
struct ProblemFilter {
  std::optional<core::ProblemStatus> status;
  std::optional<core::ProblemId> before_id;
  int limit = 100;
};

// A case linked to a problem, with what the problem list shows of it.
struct ProblemCase {
  core::ProblemId problem_id = 0;
  core::CaseNumber case_number = 0;
  core::OrgId org_id = 0;
  std::string subject;
  std::string status;  // the case's status name
  absl::Time opened_at = absl::InfinitePast();
  core::UserId linked_by = 0;
  absl::Time linked_at = absl::InfinitePast();
};

// Cases opened in [from, to), counted three ways. A case linked to several problems counts once
// for each; cases linked to none are not in by_problem. Each list is by count descending, then
// key ascending.
struct IncidentTrend {
  int64_t total = 0;
  std::vector<std::pair<core::ProblemId, int64_t>> by_problem;
  std::vector<std::pair<std::string, int64_t>> by_component;  // "" for cases without one
  std::vector<std::pair<core::OrgId, int64_t>> by_org;
};

}  // namespace casedesk::ports

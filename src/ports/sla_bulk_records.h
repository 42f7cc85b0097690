// What bulk SLA recomputation (app::RecomputeOpenCases) reads about many cases at once: the
// fields of a case its SLA clocks depend on, and the queue deadline stored beside them.
// Thread-safety: value types.
#pragma once

#include <optional>

#include "absl/time/time.h"
#include "core/case.h"
#include "core/ids.h"
#include "core/severity.h"

namespace casedesk::ports {

struct CaseClockInputs {
  core::CaseNumber number = 0;
  core::OrgId org_id = 0;
  core::Severity severity = core::Severity::kMinor;
  core::CaseStatus status = core::CaseStatus::kNew;
  absl::Time created_at = absl::InfinitePast();
  // The stored next SLA deadline (StoreTransaction::SetCaseNextDeadline); nullopt when none.
  std::optional<absl::Time> next_deadline;
};

}  // namespace casedesk::ports

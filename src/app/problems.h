// Problem records (issue 7): problems group incidents (cases) with a common cause, with their
// own status, component and root-cause note; the incident trend report counts the cases opened
// in a period by problem, component and organisation.
//
// Provider staff only: everyone else gets NotFound, whatever the id. Every change is one unit
// of work with its audit events: the problem's own ("problem.created", "problem.updated",
// "problem.case_linked", "problem.case_unlinked" on entity "problem") and, on each case it
// concerns, "problem.linked" / "problem.unlinked" / "problem.updated" in the case's trail
// (shown to provider staff only).
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/audit_event.h"
#include "core/problem.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kProblemCreated = "problem.created";
inline constexpr std::string_view kProblemUpdated = "problem.updated";
inline constexpr std::string_view kProblemCaseLinked = "problem.case_linked";
inline constexpr std::string_view kProblemCaseUnlinked = "problem.case_unlinked";
inline constexpr std::string_view kCaseProblemLinked = "problem.linked";
inline constexpr std::string_view kCaseProblemUnlinked = "problem.unlinked";
// A problem update writes an event on at most this many of its cases (the newest).
inline constexpr int kMaxProblemCaseEvents = 1000;

// Given fields are set; on create the title is required and the status defaults to
// investigating.
struct ProblemInput {
  std::optional<std::string> title;
  std::optional<core::ProblemStatus> status;
  std::optional<std::string> component;
  std::optional<std::string> root_cause;
};

void CreateProblem(AppContext& context, const Caller& caller, ProblemInput input,
                   Done<core::Problem> done);
void UpdateProblem(AppContext& context, const Caller& caller, core::ProblemId id,
                   ProblemInput input, Done<core::Problem> done);

struct ProblemDetail {
  core::Problem problem;
  std::vector<ports::ProblemCase> cases;         // newest first, at most 500
  std::vector<core::AuditEvent> events;          // the problem's audit trail, oldest first
  std::map<core::UserId, std::string> names;     // actors and linkers, by id
  std::map<core::OrgId, std::string> org_names;  // organisations of the cases
};
absl::StatusOr<ProblemDetail> GetProblemDetail(AppContext& context, const Caller& caller,
                                               core::ProblemId id);

absl::StatusOr<std::vector<core::Problem>> ListProblems(AppContext& context, const Caller& caller,
                                                        const ports::ProblemFilter& filter);

// Links or unlinks a case (no change when it already is / is not). InvalidArgument
// "case_number: ..." for a case that does not exist or the caller may not see.
void LinkProblemCase(AppContext& context, const Caller& caller, core::ProblemId id,
                     core::CaseNumber number, Done<core::Problem> done);
void UnlinkProblemCase(AppContext& context, const Caller& caller, core::ProblemId id,
                       core::CaseNumber number, Done<core::Problem> done);

struct TrendCount {
  int64_t id = 0;      // problem or organisation id (0 for components)
  std::string name;    // problem title, component ("" shown as none), organisation name
  std::string status;  // problems: their status name
  int64_t count = 0;
};
struct IncidentTrendReport {
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfinitePast();
  int64_t total = 0;
  std::vector<TrendCount> by_problem;
  std::vector<TrendCount> by_component;
  std::vector<TrendCount> by_org;
};

// Cases opened in [from, to). InvalidArgument when from >= to or the period exceeds 5 years.
absl::StatusOr<IncidentTrendReport> GetIncidentTrends(AppContext& context, const Caller& caller,
                                                      absl::Time from, absl::Time to);

}  // namespace casedesk::app

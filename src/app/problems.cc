#include "app/problems.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/case_support.h"
#include "core/access.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

constexpr int kMaxDetailCases = 500;
constexpr int kMaxDetailEvents = 500;

bool IsProblemStaff(const Caller& caller) { return core::IsProviderStaff(caller.viewer.role); }

absl::Status ProblemNotFound(core::ProblemId id) {
  return absl::NotFoundError(absl::StrCat("problem ", id, " not found"));
}

std::string StatusName(core::ProblemStatus status) {
  return std::string(core::NameOf<core::ProblemStatus>(core::kProblemStatusNames, status));
}

void Apply(const ProblemInput& input, core::Problem& problem, absl::Time now) {
  if (input.title) problem.title = *input.title;
  if (input.component) problem.component = *input.component;
  if (input.root_cause) problem.root_cause = *input.root_cause;
  if (input.status) {
    if (*input.status == core::ProblemStatus::kResolved &&
        problem.status != core::ProblemStatus::kResolved) {
      problem.resolved_at = now;
    } else if (*input.status != core::ProblemStatus::kResolved) {
      problem.resolved_at = absl::InfinitePast();
    }
    problem.status = *input.status;
  }
}

std::vector<core::FieldChange> Changes(const core::Problem& before, const core::Problem& after) {
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "title", before.title, after.title);
  core::RecordChange(changes, "status", before.id == 0 ? "" : StatusName(before.status),
                     StatusName(after.status));
  core::RecordChange(changes, "component", before.component, after.component);
  // The note itself can be long; the trail says that it changed.
  if (before.root_cause != after.root_cause) {
    changes.push_back({"root_cause", before.root_cause.empty() ? "" : "(previous note)",
                       after.root_cause.empty() ? "" : "(updated note)"});
  }
  return changes;
}

absl::Status AppendProblemEvent(ports::StoreTransaction& txn, core::ProblemId id,
                                core::UserId actor, absl::Time now, std::string_view kind,
                                std::vector<core::FieldChange> changes) {
  core::AuditEvent event = MakeAuditEvent("problem", absl::StrCat(id), actor, now,
                                          std::string(kind), std::move(changes));
  return txn.AppendEvent(event).status();
}

absl::Status AppendCaseEvent(ports::StoreTransaction& txn, core::CaseNumber number,
                             const core::Problem& problem, core::UserId actor, absl::Time now,
                             std::string_view kind, std::vector<core::FieldChange> changes) {
  core::AuditEvent event = CaseEvent(number, actor, now, kind);
  event.changes.push_back({"problem", "", absl::StrCat(problem.id, " ", problem.title)});
  event.changes.insert(event.changes.end(), changes.begin(), changes.end());
  return txn.AppendEvent(event).status();
}

// The case must exist and be visible to the caller; otherwise InvalidArgument naming the field.
absl::Status CheckCase(ports::StoreTransaction& txn, const Caller& caller,
                       core::CaseNumber number) {
  absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
  if (absl::IsNotFound(record.status())) {
    return absl::InvalidArgumentError(absl::StrCat("case_number: case ", number, " not found"));
  }
  return record.status();
}

void ChangeLink(AppContext& context, const Caller& caller, core::ProblemId id,
                core::CaseNumber number, bool link, Done<core::Problem> done) {
  if (!IsProblemStaff(caller)) return done(ProblemNotFound(id));
  const absl::Time now = context.clock.Now();
  WriteValue<core::Problem>(
      context.store,
      [caller, id, number, link,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::Problem> {
        absl::StatusOr<core::Problem> problem = txn.GetProblem(id);
        if (!problem.ok()) return problem.status();
        if (absl::Status visible = CheckCase(txn, caller, number); !visible.ok()) return visible;
        absl::StatusOr<bool> changed = link ? txn.LinkProblemCase(id, number, caller.user.id, now)
                                            : txn.UnlinkProblemCase(id, number);
        if (!changed.ok()) return changed.status();
        if (*changed) {
          std::vector<core::FieldChange> changes{
              {"case_number", link ? "" : absl::StrCat(number), link ? absl::StrCat(number) : ""}};
          if (absl::Status appended =
                  AppendProblemEvent(txn, id, caller.user.id, now,
                                     link ? kProblemCaseLinked : kProblemCaseUnlinked, changes);
              !appended.ok()) {
            return appended;
          }
          if (absl::Status appended =
                  AppendCaseEvent(txn, number, *problem, caller.user.id, now,
                                  link ? kCaseProblemLinked : kCaseProblemUnlinked, {});
              !appended.ok()) {
            return appended;
          }
        }
        return txn.GetProblem(id);
      },
      std::move(done));
}

}  // namespace

void CreateProblem(AppContext& context, const Caller& caller, ProblemInput input,
                   Done<core::Problem> done) {
  if (!IsProblemStaff(caller)) return done(absl::NotFoundError("not found"));
  const absl::Time now = context.clock.Now();
  core::Problem problem;
  Apply(input, problem, now);
  problem.created_by = caller.user.id;
  problem.created_at = now;
  problem.updated_at = now;
  if (absl::Status valid = core::ValidateProblem(problem); !valid.ok()) return done(valid);
  WriteValue<core::Problem>(
      context.store,
      [caller, problem, now](ports::StoreTransaction& txn) -> absl::StatusOr<core::Problem> {
        absl::StatusOr<core::ProblemId> id = txn.InsertProblem(problem);
        if (!id.ok()) return id.status();
        core::Problem written = problem;
        written.id = *id;
        if (absl::Status appended = AppendProblemEvent(
                txn, *id, caller.user.id, now, kProblemCreated, Changes(core::Problem{}, written));
            !appended.ok()) {
          return appended;
        }
        return written;
      },
      std::move(done));
}

void UpdateProblem(AppContext& context, const Caller& caller, core::ProblemId id,
                   ProblemInput input, Done<core::Problem> done) {
  if (!IsProblemStaff(caller)) return done(ProblemNotFound(id));
  const absl::Time now = context.clock.Now();
  WriteValue<core::Problem>(
      context.store,
      [caller, id, input, now](ports::StoreTransaction& txn) -> absl::StatusOr<core::Problem> {
        absl::StatusOr<core::Problem> before = txn.GetProblem(id);
        if (!before.ok()) return before.status();
        core::Problem after = *before;
        Apply(input, after, now);
        if (absl::Status valid = core::ValidateProblem(after); !valid.ok()) return valid;
        std::vector<core::FieldChange> changes = Changes(*before, after);
        if (changes.empty()) return after;
        after.updated_at = now;
        if (absl::Status updated = txn.UpdateProblem(after); !updated.ok()) return updated;
        if (absl::Status appended =
                AppendProblemEvent(txn, id, caller.user.id, now, kProblemUpdated, changes);
            !appended.ok()) {
          return appended;
        }
        absl::StatusOr<std::vector<ports::ProblemCase>> cases =
            txn.ListProblemCases(id, kMaxProblemCaseEvents);
        if (!cases.ok()) return cases.status();
        for (const ports::ProblemCase& linked : *cases) {
          if (absl::Status appended = AppendCaseEvent(
                  txn, linked.case_number, after, caller.user.id, now, kProblemUpdated, changes);
              !appended.ok()) {
            return appended;
          }
        }
        return after;
      },
      std::move(done));
}

absl::StatusOr<ProblemDetail> GetProblemDetail(AppContext& context, const Caller& caller,
                                               core::ProblemId id) {
  if (!IsProblemStaff(caller)) return ProblemNotFound(id);
  return ReadValue<ProblemDetail>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<ProblemDetail> {
        ProblemDetail detail;
        absl::StatusOr<core::Problem> problem = txn.GetProblem(id);
        if (!problem.ok()) return problem.status();
        detail.problem = *std::move(problem);
        absl::StatusOr<std::vector<ports::ProblemCase>> cases =
            txn.ListProblemCases(id, kMaxDetailCases);
        if (!cases.ok()) return cases.status();
        const core::CaseScope scope = core::ScopeFor(caller.viewer);
        for (ports::ProblemCase& linked : *cases) {
          // Staff without security clearance do not see security incidents listed here either.
          if (scope.hide_security_incidents) {
            absl::StatusOr<core::Case> record = txn.GetCase(linked.case_number);
            if (!record.ok() || !core::CanSeeCase(scope, *record)) continue;
          }
          detail.cases.push_back(std::move(linked));
        }
        ports::PageRequest page;
        page.limit = kMaxDetailEvents;
        absl::StatusOr<ports::Page<core::AuditEvent>> events =
            txn.ListEntityEvents("problem", absl::StrCat(id), page);
        if (!events.ok()) return events.status();
        detail.events = std::move(events->items);
        auto name_of = [&](core::UserId user_id) {
          if (user_id == 0 || detail.names.contains(user_id)) return;
          absl::StatusOr<core::User> user = txn.GetUser(user_id);
          detail.names[user_id] =
              user.ok() ? (user->name.empty() ? user->email : user->name) : "someone";
        };
        name_of(detail.problem.created_by);
        for (const core::AuditEvent& event : detail.events) name_of(event.actor_id);
        for (const ports::ProblemCase& linked : detail.cases) {
          name_of(linked.linked_by);
          if (!detail.org_names.contains(linked.org_id)) {
            absl::StatusOr<core::Organisation> org = txn.GetOrganisation(linked.org_id);
            detail.org_names[linked.org_id] =
                org.ok() ? org->name : absl::StrCat("organisation ", linked.org_id);
          }
        }
        return detail;
      });
}

absl::StatusOr<std::vector<core::Problem>> ListProblems(AppContext& context, const Caller& caller,
                                                        const ports::ProblemFilter& filter) {
  if (!IsProblemStaff(caller)) return absl::NotFoundError("not found");
  return ReadValue<std::vector<core::Problem>>(
      context.store, [&](ports::StoreTransaction& txn) { return txn.ListProblems(filter); });
}

void LinkProblemCase(AppContext& context, const Caller& caller, core::ProblemId id,
                     core::CaseNumber number, Done<core::Problem> done) {
  ChangeLink(context, caller, id, number, true, std::move(done));
}

void UnlinkProblemCase(AppContext& context, const Caller& caller, core::ProblemId id,
                       core::CaseNumber number, Done<core::Problem> done) {
  ChangeLink(context, caller, id, number, false, std::move(done));
}

absl::StatusOr<IncidentTrendReport> GetIncidentTrends(AppContext& context, const Caller& caller,
                                                      absl::Time from, absl::Time to) {
  if (!IsProblemStaff(caller)) return absl::NotFoundError("not found");
  if (from >= to) return absl::InvalidArgumentError("to: must be after from");
  if (to - from > absl::Hours(24 * (5 * 365 + 2))) {
    return absl::InvalidArgumentError("to: the period may span at most 5 years");
  }
  return ReadValue<IncidentTrendReport>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<IncidentTrendReport> {
        absl::StatusOr<ports::IncidentTrend> counted = txn.CountIncidents(from, to);
        if (!counted.ok()) return counted.status();
        IncidentTrendReport report;
        report.from = from;
        report.to = to;
        report.total = counted->total;
        for (const auto& [problem_id, count] : counted->by_problem) {
          TrendCount row{problem_id, absl::StrCat("problem ", problem_id), "", count};
          absl::StatusOr<core::Problem> problem = txn.GetProblem(problem_id);
          if (problem.ok()) {
            row.name = problem->title;
            row.status = StatusName(problem->status);
          }
          report.by_problem.push_back(std::move(row));
        }
        for (const auto& [component, count] : counted->by_component) {
          report.by_component.push_back({0, component, "", count});
        }
        for (const auto& [org_id, count] : counted->by_org) {
          TrendCount row{org_id, absl::StrCat("organisation ", org_id), "", count};
          absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
          if (org.ok()) row.name = org->name;
          report.by_org.push_back(std::move(row));
        }
        return report;
      });
}

}  // namespace casedesk::app

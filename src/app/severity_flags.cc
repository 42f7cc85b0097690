#include "app/severity_flags.h"

#include <utility>

#include "app/case_escalation.h"
#include "app/case_support.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

// The case, when the caller may see it and is provider staff.
absl::StatusOr<core::Case> LoadCaseForStaff(ports::StoreTransaction& txn,
                                            const core::Viewer& viewer, core::CaseNumber number) {
  absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
  if (!record.ok()) return record.status();
  if (!core::IsProviderStaff(viewer.role)) {
    return absl::PermissionDeniedError("only provider staff may flag or read severity flags");
  }
  return record;
}

}  // namespace

void FlagSeverity(AppContext& context, const Caller& caller, core::CaseNumber number,
                  std::string reason, Done<ports::SeverityFlag> done) {
  if (absl::Status valid = ValidateReasonText("reason", reason); !valid.ok()) {
    done(std::move(valid));
    return;
  }
  const absl::Time now = context.clock.Now();
  auto work = [viewer = caller.viewer, number, reason = std::move(reason),
               now](ports::StoreTransaction& txn) -> absl::StatusOr<ports::SeverityFlag> {
    absl::StatusOr<core::Case> record = LoadCaseForStaff(txn, viewer, number);
    if (!record.ok()) return record.status();
    absl::StatusOr<std::vector<ports::SeverityFlag>> existing = txn.ListCaseSeverityFlags(number);
    if (!existing.ok()) return existing.status();
    for (const ports::SeverityFlag& earlier : *existing) {
      if (earlier.flagged_severity == record->proposed_severity) {
        return absl::AlreadyExistsError(
            "severity " + std::to_string(core::SeverityLevel(record->proposed_severity)) +
            " of case " + std::to_string(number) + " is already flagged (flag " +
            std::to_string(earlier.id) + ")");
      }
    }
    ports::SeverityFlag flag;
    flag.case_number = number;
    flag.org_id = record->org_id;
    flag.requester_id = record->requester_id;
    flag.flagged_by = viewer.user_id;
    flag.flagged_severity = record->proposed_severity;
    flag.reason = reason;
    flag.at = now;
    absl::StatusOr<int64_t> id = txn.InsertSeverityFlag(flag);
    if (!id.ok()) return id.status();
    flag.id = *id;
    core::AuditEvent event = CaseEvent(number, viewer.user_id, now, kSeverityFlagged);
    core::RecordChange(event.changes, "flagged_severity", "",
                       std::to_string(core::SeverityLevel(flag.flagged_severity)));
    core::RecordChange(event.changes, "severity_flag_id", "", std::to_string(flag.id));
    event.reason = flag.reason;
    if (absl::StatusOr<core::EventId> appended = txn.AppendEvent(event); !appended.ok()) {
      return appended.status();
    }
    return flag;
  };
  WriteValue<ports::SeverityFlag>(context.store, std::move(work), std::move(done));
}

absl::StatusOr<std::vector<ports::SeverityFlag>> ListSeverityFlags(AppContext& context,
                                                                   const Caller& caller,
                                                                   core::CaseNumber number) {
  return ReadValue<std::vector<ports::SeverityFlag>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<ports::SeverityFlag>> {
        absl::StatusOr<core::Case> record = LoadCaseForStaff(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        return txn.ListCaseSeverityFlags(number);
      });
}

absl::StatusOr<RecentSeverityFlags> CountRecentSeverityFlags(AppContext& context,
                                                             const Caller& caller,
                                                             core::CaseNumber number,
                                                             absl::Time now) {
  return ReadValue<RecentSeverityFlags>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<RecentSeverityFlags> {
        absl::StatusOr<core::Case> record = LoadCaseForStaff(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        absl::StatusOr<std::vector<ports::SeverityFlagCount>> counts = txn.CountSeverityFlags(
            now - kRecentFlagWindow, now + absl::Seconds(1), record->org_id);
        if (!counts.ok()) return counts.status();
        RecentSeverityFlags recent;
        for (const ports::SeverityFlagCount& count : *counts) {
          recent.organisation += count.flags;
          if (count.requester_id == record->requester_id) recent.requester += count.flags;
        }
        return recent;
      });
}

}  // namespace casedesk::app

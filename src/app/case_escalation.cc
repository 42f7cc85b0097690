#include "app/case_escalation.h"

#include <utility>

#include "app/case_support.h"
#include "app/escalations.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {

absl::Status ValidateReasonText(std::string_view field, std::string_view text) {
  size_t characters = 0;
  bool blank = true;
  for (char c : text) {
    // Count code points: every byte that does not continue a UTF-8 sequence starts one.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++characters;
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') blank = false;
  }
  if (blank) {
    return absl::InvalidArgumentError("field '" + std::string(field) + "' is required");
  }
  if (characters > kMaxReasonCharacters) {
    return absl::InvalidArgumentError("field '" + std::string(field) + "' must be at most " +
                                      std::to_string(kMaxReasonCharacters) + " characters");
  }
  return absl::OkStatus();
}

core::EscalationTrigger EscalationTriggerFor(const core::Viewer& viewer) {
  return core::IsProviderStaff(viewer.role) ? core::EscalationTrigger::kManual
                                            : core::EscalationTrigger::kCustomerRequest;
}

void RequestEscalation(AppContext& context, const Caller& caller, core::CaseNumber number,
                       std::string reason, Done<EscalationOutcome> done) {
  if (absl::Status valid = ValidateReasonText("reason", reason); !valid.ok()) {
    done(std::move(valid));
    return;
  }
  const absl::Time now = context.clock.Now();
  auto work = [viewer = caller.viewer, number, reason = std::move(reason), now,
               sla = context.sla](ports::StoreTransaction& txn)
      -> absl::StatusOr<EscalationOutcome> {
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
    if (!record.ok()) return record.status();
    if (record->status == core::CaseStatus::kClosed) {
      return absl::FailedPreconditionError("case " + std::to_string(number) +
                                           " is closed; a closed case cannot be escalated");
    }
    EscalationOutcome outcome;
    outcome.trigger = EscalationTriggerFor(viewer);
    absl::StatusOr<int> armed =
        EscalateOnRequest(txn, *sla, *record, outcome.trigger, viewer.user_id, reason, now);
    if (!armed.ok()) return armed.status();
    outcome.levels_armed = *armed;
    return outcome;
  };
  WriteValue<EscalationOutcome>(context.store, std::move(work), std::move(done));
}

absl::StatusOr<std::vector<ports::Notification>> ListCaseNotifications(AppContext& context,
                                                                       const Caller& caller,
                                                                       core::CaseNumber number) {
  return ReadValue<std::vector<ports::Notification>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<ports::Notification>> {
        // Visibility first: a case the caller cannot see is not found, whoever they are.
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        if (!core::IsProviderStaff(caller.viewer.role)) {
          return absl::PermissionDeniedError("only provider staff may read a case's notifications");
        }
        return txn.ListCaseNotifications(number);
      });
}

}  // namespace casedesk::app

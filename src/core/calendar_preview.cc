#include "core/calendar_preview.h"

#include "absl/strings/str_cat.h"

namespace casedesk::core {
namespace {

// A target's calendar: its own, or the policy's business calendar when it names none.
bool RunsOn(const std::string& own, const SlaPolicy& policy, std::string_view calendar) {
  return (own.empty() ? policy.business_calendar : own) == calendar;
}

void AddTarget(std::vector<PreviewTarget>& out, const SlaTarget& target, const SlaPolicy& policy,
               std::string_view calendar, std::string label) {
  if (target.is_named() || !RunsOn(target.calendar, policy, calendar)) return;
  out.push_back({std::move(label), target.minutes});
}

}  // namespace

std::vector<PreviewTarget> TargetsOnCalendar(const SlaPolicy& policy, std::string_view calendar,
                                             std::string_view plan_label) {
  std::vector<PreviewTarget> out;
  for (const auto& [severity, targets] : policy.targets) {  // std::map: severity 1 first
    const std::string prefix =
        absl::StrCat(std::string(plan_label), " · severity ", SeverityLevel(severity), " · ");
    AddTarget(out, targets.first_response, policy, calendar,
              absl::StrCat(prefix, "first response"));
    if (targets.next_update.kind == UpdateCadence::Kind::kEvery) {
      AddTarget(out, targets.next_update.AsTarget(), policy, calendar,
                absl::StrCat(prefix, "update"));
    }
    AddTarget(out, targets.resolution, policy, calendar, absl::StrCat(prefix, "resolution"));
  }
  if (policy.after_hours) {
    for (const auto& [kind, target] : policy.after_hours->clocks) {
      const std::string_view name =
          kind == SlaClockKind::kTriage ? "after-hours triage" : "after-hours status notice";
      AddTarget(out, target, policy, calendar,
                absl::StrCat(std::string(plan_label), " · ", std::string(name)));
    }
  }
  if (policy.estimate) {
    AddTarget(out, *policy.estimate, policy, calendar,
              absl::StrCat(std::string(plan_label), " · service-task estimate"));
  }
  return out;
}

std::vector<PreviewDue> PreviewDueTimes(const BusinessCalendar& calendar, absl::Time from,
                                        const std::vector<PreviewTarget>& targets) {
  std::vector<PreviewDue> out;
  out.reserve(targets.size());
  for (const PreviewTarget& target : targets) {
    out.push_back({target, calendar.AddBusinessMinutes(from, target.minutes)});
  }
  return out;
}

}  // namespace casedesk::core

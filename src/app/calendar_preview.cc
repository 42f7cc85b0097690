#include "app/calendar_preview.h"

#include "app/calendar_json.h"
#include "app/plans.h"
#include "app/sla_configuration.h"

namespace casedesk::app {
namespace {

constexpr int kPlanPage = 200;

}  // namespace

absl::StatusOr<std::vector<core::PreviewTarget>> CalendarPreviewTargets(AppContext& context,
                                                                        const core::Viewer& viewer,
                                                                        const std::string& name) {
  if (!core::IsProviderStaff(viewer.role)) {
    return absl::PermissionDeniedError("only provider staff may read the SLA configuration");
  }
  std::vector<core::PreviewTarget> targets;
  ports::PageRequest page{.limit = kPlanPage};
  do {
    absl::StatusOr<ports::Page<core::SupportPlan>> plans = ListPlans(context, viewer, page);
    if (!plans.ok()) return plans.status();
    for (const core::SupportPlan& plan : plans->items) {
      absl::StatusOr<PlanSlaPolicy> policy = GetPlanSlaPolicy(context, viewer, plan.name);
      if (absl::IsNotFound(policy.status())) continue;  // a plan without an SLA policy
      if (!policy.ok()) return policy.status();
      const std::string& label = plan.display_name.empty() ? plan.name : plan.display_name;
      for (core::PreviewTarget& target : core::TargetsOnCalendar(policy->policy, name, label)) {
        targets.push_back(std::move(target));
      }
    }
    page.cursor = plans->next_cursor;
  } while (!page.cursor.empty());
  return targets;
}

absl::StatusOr<std::vector<core::PreviewDue>> PreviewCalendarDueTimes(
    const core::CalendarSpec& spec, absl::Time from,
    const std::vector<core::PreviewTarget>& targets) {
  absl::StatusOr<core::BusinessCalendar> calendar = BuildCalendar(spec);
  if (!calendar.ok()) return calendar.status();
  return core::PreviewDueTimes(*calendar, from, targets);
}

}  // namespace casedesk::app

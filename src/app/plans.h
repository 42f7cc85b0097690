// Support plan use cases: every authenticated caller may read the plans (customers see what
// they hold); only admins create or change them. A plan that partners hold cannot stop being
// partner-eligible. Thread-safe: functions over the thread-safe ports.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/plan.h"
#include "ports/store.h"

namespace casedesk::app {

// Fields a PATCH may change; unset fields stay as they are. The name is the key and never
// changes.
struct PlanPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> description;
  std::optional<std::vector<core::Channel>> channels;
  std::optional<bool> partner_eligible;
  std::optional<bool> after_hours_coverage;
};

// "portal,email,api": the channels as an audit event records them.
std::string ChannelsText(const std::vector<core::Channel>& channels);

// Plans ordered by name; the cursor is the last name of the previous page.
absl::StatusOr<ports::Page<core::SupportPlan>> ListPlans(AppContext& context,
                                                         const core::Viewer& viewer,
                                                         const ports::PageRequest& page);

absl::StatusOr<core::SupportPlan> GetPlan(AppContext& context, const core::Viewer& viewer,
                                          const std::string& name);

// AlreadyExists when a plan of that name exists.
void CreatePlan(AppContext& context, const core::Viewer& viewer, core::SupportPlan plan,
                std::function<void(absl::StatusOr<core::SupportPlan>)> done);

void UpdatePlan(AppContext& context, const core::Viewer& viewer, std::string name,
                PlanPatch patch, std::function<void(absl::StatusOr<core::SupportPlan>)> done);

}  // namespace casedesk::app

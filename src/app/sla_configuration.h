// Use cases that manage the SLA and escalation configuration kept in the store's settings (see
// sla_settings.h): business-hours calendars, the SLA policy of each support plan, escalation
// policies and on-call schedules, and the "who is on call now" query.
//
// Access: provider staff read; only admins write; everyone else gets PermissionDenied
// (customers and partners never see configuration). Every write validates the document against
// what is stored in the same transaction, stores its canonical JSON, and appends an audit event
// {entity "setting", entity_id the setting key, kind "<item>.updated" or "<item>.deleted", one
// change "document" holding the JSON text before and after ("" for none)}.
//
// Open cases: once a write that can move SLA clocks is durable (an SLA policy; a calendar that
// some plan's policy uses), context.sla_config_changed, when set, is called with each affected
// plan's name before `done`; it only queues the recomputation.
//
// Shipped documents: the calendars "business-gmt" and "always" and the SLA policies of the
// shipped plans apply until a stored document of the same name replaces them. Deleting a stored
// calendar that replaces a shipped one brings the shipped one back; a shipped calendar that is
// not replaced cannot be deleted (FailedPrecondition), since shipped SLA policies rely on it.
// Deleting anything that is still referenced (a calendar used by an SLA policy, a schedule or
// policy named by an escalation policy) is FailedPrecondition naming the user.
// Thread-safe: functions over the thread-safe ports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/business_calendar.h"
#include "core/escalation_policy.h"
#include "core/oncall_schedule.h"
#include "core/sla_policy.h"
#include "core/user.h"

namespace casedesk::app {

// ---- calendars

struct CalendarEntry {
  std::string name;
  core::CalendarSpec spec;
  bool shipped = false;  // the shipped document applies (no stored one replaces it)
};

// By name.
absl::StatusOr<std::vector<CalendarEntry>> ListCalendars(AppContext& context,
                                                         const core::Viewer& viewer);
absl::StatusOr<CalendarEntry> GetCalendar(AppContext& context, const core::Viewer& viewer,
                                          const std::string& name);
// Creates or replaces; the spec must build (BuildCalendar).
void PutCalendar(AppContext& context, const core::Viewer& viewer, std::string name,
                 core::CalendarSpec spec, Done<CalendarEntry> done);
// The calendar that applies afterwards: the shipped one it replaced, or nullopt when the name is
// gone.
void DeleteCalendar(AppContext& context, const core::Viewer& viewer, std::string name,
                    Done<std::optional<CalendarEntry>> done);

// ---- SLA policies, one per support plan

struct PlanSlaPolicy {
  std::string plan;
  core::SlaPolicy policy;
  bool shipped = false;  // the shipped policy applies (nothing stored)
};

// NotFound for an unknown plan, or for a plan without an SLA policy.
absl::StatusOr<PlanSlaPolicy> GetPlanSlaPolicy(AppContext& context, const core::Viewer& viewer,
                                               const std::string& plan);
// Replaces the plan's policy (NotFound for an unknown plan; InvalidArgument for a policy that
// core::ValidateSlaPolicy refuses against the known calendars).
void PutPlanSlaPolicy(AppContext& context, const core::Viewer& viewer, std::string plan,
                      core::SlaPolicy policy, Done<PlanSlaPolicy> done);

// ---- escalation policies

// By name.
absl::StatusOr<std::vector<core::EscalationPolicy>> ListEscalationPolicies(
    AppContext& context, const core::Viewer& viewer);
absl::StatusOr<core::EscalationPolicy> GetEscalationPolicy(AppContext& context,
                                                           const core::Viewer& viewer,
                                                           const std::string& name);
// Creates or replaces `name` (the policy's own name must be empty or equal to it); validated
// with core::ValidateEscalationPolicy against the stored policies, schedules, groups, plans and
// the users it names (each must be active provider staff).
void PutEscalationPolicy(AppContext& context, const core::Viewer& viewer, std::string name,
                         core::EscalationPolicy policy, Done<core::EscalationPolicy> done);
// Returns the deleted policy.
void DeleteEscalationPolicy(AppContext& context, const core::Viewer& viewer, std::string name,
                            Done<core::EscalationPolicy> done);

// ---- on-call schedules

// By name.
absl::StatusOr<std::vector<core::OnCallSchedule>> ListOnCallSchedules(AppContext& context,
                                                                      const core::Viewer& viewer);
absl::StatusOr<core::OnCallSchedule> GetOnCallSchedule(AppContext& context,
                                                       const core::Viewer& viewer,
                                                       const std::string& name);
// Creates or replaces `name` (the schedule's own name must be empty or equal to it); validated
// with core::ValidateOnCallSchedule; participants and override users must be active provider
// staff.
void PutOnCallSchedule(AppContext& context, const core::Viewer& viewer, std::string name,
                       core::OnCallSchedule schedule, Done<core::OnCallSchedule> done);
// Returns the deleted schedule.
void DeleteOnCallSchedule(AppContext& context, const core::Viewer& viewer, std::string name,
                          Done<core::OnCallSchedule> done);

struct OnCallNow {
  std::string schedule;
  absl::Time at;
  std::optional<core::OnCallShift> shift;  // nullopt: nobody is on call
  std::optional<core::User> user;          // the person on call, when there is one
};

// Who is on call on `schedule` at `at`; NotFound for an unknown schedule.
absl::StatusOr<OnCallNow> WhoIsOnCallNow(AppContext& context, const core::Viewer& viewer,
                                         const std::string& schedule, absl::Time at);

}  // namespace casedesk::app

#include "core/sla_policy.h"

#include <algorithm>
#include <cmath>

namespace casedesk::core {
namespace {

constexpr size_t kMaxTargetNameLength = 64;

std::string SeverityLabel(Severity severity) {
  return "severity " + std::to_string(SeverityLevel(severity)) + " (" +
         std::string(NameOf<Severity>(kSeverityNames, severity)) + ")";
}

std::string ClockLabel(SlaClockKind clock) {
  return std::string(NameOf<SlaClockKind>(kSlaClockKindNames, clock));
}

absl::Status CheckCalendar(const std::string& where, const std::string& calendar,
                           const std::set<std::string>& known_calendars) {
  if (calendar.empty() || known_calendars.count(calendar) > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(where + ": unknown calendar '" + calendar + "'");
}

absl::Status CheckTarget(const std::string& where, const SlaTarget& target,
                         const std::set<std::string>& known_calendars) {
  if (target.kind == SlaTarget::Kind::kDuration) {
    if (target.minutes <= 0) {
      return absl::InvalidArgumentError(where + ": minutes must be positive, got " +
                                        std::to_string(target.minutes));
    }
  } else {
    if (target.name.empty() || target.name.size() > kMaxTargetNameLength) {
      return absl::InvalidArgumentError(where + ": a named target needs a name of 1 to " +
                                        std::to_string(kMaxTargetNameLength) + " characters");
    }
    for (char c : target.name) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return absl::InvalidArgumentError(where + ": target name '" + target.name +
                                          "' may hold only lower-case letters, digits and '_'");
      }
    }
  }
  return CheckCalendar(where, target.calendar, known_calendars);
}

}  // namespace

SlaTarget SlaTarget::Minutes(int64_t minutes, std::string calendar) {
  return {.kind = Kind::kDuration, .minutes = minutes, .name = {},
          .calendar = std::move(calendar)};
}

SlaTarget SlaTarget::Named(std::string name, std::string calendar) {
  return {.kind = Kind::kNamed, .minutes = 0, .name = std::move(name),
          .calendar = std::move(calendar)};
}

UpdateCadence UpdateCadence::Every(int64_t minutes, std::string calendar) {
  return {.kind = Kind::kEvery, .minutes = minutes, .calendar = std::move(calendar)};
}

UpdateCadence UpdateCadence::OnMilestone(std::string calendar) {
  return {.kind = Kind::kOnMilestone, .minutes = 0, .calendar = std::move(calendar)};
}

SlaTarget UpdateCadence::AsTarget() const {
  if (kind == Kind::kEvery) return SlaTarget::Minutes(minutes, calendar);
  return SlaTarget::Named(std::string(kOnMilestoneTarget), calendar);
}

absl::Status ValidateSlaPolicy(const SlaPolicy& policy,
                               const std::set<std::string>& known_calendars) {
  if (policy.business_calendar.empty()) {
    return absl::InvalidArgumentError("business_calendar: a policy needs a business calendar");
  }
  if (known_calendars.count(policy.business_calendar) == 0) {
    return absl::InvalidArgumentError("business_calendar: unknown calendar '" +
                                      policy.business_calendar + "'");
  }
  if (!std::isfinite(policy.warning_fraction) || policy.warning_fraction <= 0 ||
      policy.warning_fraction >= 1) {
    return absl::InvalidArgumentError(
        "warning_fraction: must be strictly between 0 and 1, got " +
        std::to_string(policy.warning_fraction));
  }
  for (CaseStatus status : policy.pause_statuses) {
    if (status == CaseStatus::kSolved || status == CaseStatus::kClosed) {
      return absl::InvalidArgumentError(
          "pause_statuses: '" + std::string(NameOf<CaseStatus>(kCaseStatusNames, status)) +
          "' stops the clocks and cannot be a pause status");
    }
  }
  for (const auto& [severity, name] : kSeverityNames) {
    const auto it = policy.targets.find(severity);
    const std::string label = SeverityLabel(severity);
    if (it == policy.targets.end()) {
      return absl::InvalidArgumentError(label + ": missing targets");
    }
    const SeverityTargets& targets = it->second;
    if (auto s = CheckTarget(label + ": first_response", targets.first_response,
                             known_calendars);
        !s.ok()) {
      return s;
    }
    if (targets.next_update.kind == UpdateCadence::Kind::kEvery &&
        targets.next_update.minutes <= 0) {
      return absl::InvalidArgumentError(label + ": next_update: minutes must be positive, got " +
                                        std::to_string(targets.next_update.minutes));
    }
    if (auto s = CheckCalendar(label + ": next_update", targets.next_update.calendar,
                               known_calendars);
        !s.ok()) {
      return s;
    }
    if (auto s = CheckTarget(label + ": resolution", targets.resolution, known_calendars);
        !s.ok()) {
      return s;
    }
  }
  if (policy.targets.size() != kSeverityNames.size()) {
    return absl::InvalidArgumentError("targets: unknown severity level");
  }
  if (policy.after_hours) {
    const AfterHoursRule& rule = *policy.after_hours;
    if (rule.severities.empty()) {
      return absl::InvalidArgumentError("after_hours: the rule needs at least one severity");
    }
    if (rule.clocks.empty()) {
      return absl::InvalidArgumentError("after_hours: the rule needs at least one clock");
    }
    if (auto s = CheckCalendar("after_hours: hours_calendar", rule.hours_calendar,
                               known_calendars);
        !s.ok()) {
      return s;
    }
    for (const auto& [clock, target] : rule.clocks) {
      const std::string where = "after_hours: " + ClockLabel(clock);
      if (clock != SlaClockKind::kTriage && clock != SlaClockKind::kStatusNotification) {
        return absl::InvalidArgumentError(
            where + ": only triage and status_notification clocks are after-hours clocks");
      }
      if (target.is_named()) {
        return absl::InvalidArgumentError(where + ": needs a duration in business minutes");
      }
      if (auto s = CheckTarget(where, target, known_calendars); !s.ok()) return s;
    }
  }
  if (policy.estimate) {
    if (policy.estimate->is_named()) {
      return absl::InvalidArgumentError("estimate: needs a duration in business minutes");
    }
    if (auto s = CheckTarget("estimate", *policy.estimate, known_calendars); !s.ok()) return s;
  }
  return absl::OkStatus();
}

std::set<std::string> CalendarsUsedBy(const SlaPolicy& policy) {
  std::set<std::string> used;
  auto add = [&](const std::string& calendar) {
    used.insert(calendar.empty() ? policy.business_calendar : calendar);
  };
  add(policy.business_calendar);
  for (const auto& [severity, targets] : policy.targets) {
    add(targets.first_response.calendar);
    add(targets.next_update.calendar);
    add(targets.resolution.calendar);
  }
  if (policy.after_hours) {
    add(policy.after_hours->hours_calendar);
    for (const auto& [clock, target] : policy.after_hours->clocks) add(target.calendar);
  }
  if (policy.estimate) add(policy.estimate->calendar);
  return used;
}

AfterHoursRule DefaultAfterHoursRule() {
  const std::string always(kAlwaysCalendar);
  return {.severities = {Severity::kCritical},
          .hours_calendar = std::string(kBusinessGmtCalendar),
          .clocks = {{SlaClockKind::kTriage, SlaTarget::Minutes(15, always)},
                     {SlaClockKind::kStatusNotification, SlaTarget::Minutes(60, always)}}};
}

SlaTarget DefaultEstimateTarget() {
  return SlaTarget::Minutes(480, std::string(kServiceTaskCalendar));
}

std::map<std::string, SlaPolicy> DefaultSlaPolicies() {
  const std::string business(kBusinessGmtCalendar);
  const std::string always(kAlwaysCalendar);
  auto base = [&](const std::string& critical_calendar) {
    SlaPolicy policy;
    policy.business_calendar = business;
    policy.targets[Severity::kCritical] = {
        .first_response = SlaTarget::Minutes(60, critical_calendar),
        .next_update = UpdateCadence::Every(240, critical_calendar),
        .resolution = SlaTarget::Minutes(1440, critical_calendar)};
    policy.targets[Severity::kMajor] = {.first_response = SlaTarget::Minutes(240, business),
                                        .next_update = UpdateCadence::Every(1440, business),
                                        .resolution = SlaTarget::Minutes(2880, business)};
    policy.targets[Severity::kMinor] = {
        .first_response = SlaTarget::Minutes(480, business),
        .next_update = UpdateCadence::OnMilestone(business),
        .resolution = SlaTarget::Named(std::string(kNextReleaseTarget), business)};
    policy.targets[Severity::kOther] = {
        .first_response = SlaTarget::Minutes(1440, business),
        .next_update = UpdateCadence::OnMilestone(business),
        .resolution = SlaTarget::Named(std::string(kToBeDecidedTarget), business)};
    policy.estimate = DefaultEstimateTarget();
    return policy;
  };
  std::map<std::string, SlaPolicy> policies;
  policies["developer"] = base(business);
  policies["professional"] = base(business);
  SlaPolicy enterprise = base(always);
  enterprise.after_hours = DefaultAfterHoursRule();
  policies["enterprise"] = std::move(enterprise);
  return policies;
}

std::map<std::string, CalendarSpec> DefaultCalendarSpecs() {
  std::map<std::string, CalendarSpec> specs;
  CalendarSpec business;
  business.time_zone = "GMT";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) {
    business.hours[day] = {"08:00-01:00"};
  }
  CalendarSpec always;
  always.time_zone = "UTC";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    always.hours[day] = {"00:00-24:00"};
  }
  CalendarSpec service_tasks;
  service_tasks.time_zone = "America/Los_Angeles";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) {
    service_tasks.hours[day] = {"09:00-17:00"};
  }
  specs[std::string(kBusinessGmtCalendar)] = std::move(business);
  specs[std::string(kAlwaysCalendar)] = std::move(always);
  specs[std::string(kServiceTaskCalendar)] = std::move(service_tasks);
  return specs;
}

}  // namespace casedesk::core

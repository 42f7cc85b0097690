#include "app/hours.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/case_support.h"
#include "app/hours_alerts.h"
#include "app/outbox.h"
#include "core/access.h"

namespace casedesk::app {
namespace {

constexpr int kMaxCaseEntries = 500;

absl::Status OrgNotFound(core::OrgId id) {
  return absl::NotFoundError(absl::StrCat("organisation ", id, " not found"));
}

std::string KindName(core::HoursKind kind) {
  return std::string(core::NameOf<core::HoursKind>(core::kHoursKindNames, kind));
}

// Builds, validates and writes the entry, then alerts the thresholds it reached.
absl::StatusOr<core::TimeEntry> WriteEntry(AppContext& context, ports::StoreTransaction& txn,
                                           const Caller& caller, const core::Organisation& org,
                                           std::optional<core::CaseNumber> number,
                                           const TimeEntryInput& input, absl::Time now) {
  core::TimeEntry entry;
  entry.org_id = org.id;
  entry.case_number = number;
  entry.author_id = caller.user.id;
  entry.worked_at = input.worked_at.value_or(now);
  // Out-of-range minutes stay out of range after the narrowing (clamped, then validated).
  entry.minutes =
      static_cast<int>(std::clamp<int64_t>(input.minutes, -1, core::kMaxEntryMinutes + 1));
  entry.billable = input.billable;
  entry.note = input.note;
  entry.activity = input.activity;
  entry.kind = input.kind;
  entry.created_at = now;
  if (absl::Status valid = core::ValidateTimeEntry(entry, now); !valid.ok()) return valid;
  const absl::TimeZone zone = OrgZone(org);
  entry.period = core::PeriodName(core::PeriodOf(entry.worked_at, zone));
  entry.day = core::DayName(entry.worked_at, zone);
  absl::StatusOr<ports::TimeEntryWrite> written = txn.InsertTimeEntry(entry);
  if (!written.ok()) return written.status();
  entry.id = written->id;
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "minutes", "", absl::StrCat(entry.minutes));
  core::RecordChange(changes, "billable", "", BoolText(entry.billable));
  core::RecordChange(changes, "kind", "", KindName(entry.kind));
  core::RecordChange(changes, "org_id", "", absl::StrCat(org.id));
  if (number) core::RecordChange(changes, "case_number", "", absl::StrCat(*number));
  core::AuditEvent event = MakeAuditEvent("time_entry", absl::StrCat(entry.id), caller.user.id, now,
                                          std::string(kTimeLogged), std::move(changes));
  if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) return appended;
  if (entry.billable) {
    absl::StatusOr<int> alerted = AlertReachedThresholds(context, txn, org, entry, now);
    if (!alerted.ok()) return alerted.status();
  }
  return entry;
}

std::string PackagesSummary(const std::vector<core::HoursPackage>& packages) {
  std::string summary;
  for (const core::HoursPackage& package : packages) {
    absl::StrAppend(&summary, summary.empty() ? "" : "; ", KindName(package.kind), " ",
                    package.included_minutes, " min");
    if (package.carry_over == core::CarryOver::kCapped) {
      absl::StrAppend(&summary, " carry<=", package.carry_over_cap_minutes);
    }
  }
  return summary;
}

}  // namespace

absl::TimeZone OrgZone(const core::Organisation& org) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(org.time_zone, &zone)) return absl::UTCTimeZone();
  return zone;
}

bool CanReadOrgHours(const core::Viewer& viewer, const core::Organisation& org) {
  if (core::IsProviderStaff(viewer.role)) return true;
  if (viewer.org_id == org.id) return true;
  if (viewer.role == core::Role::kPartnerAgent) {
    return std::find(viewer.child_org_ids.begin(), viewer.child_org_ids.end(), org.id) !=
           viewer.child_org_ids.end();
  }
  return false;
}

absl::StatusOr<EffectivePackages> LoadEffectivePackages(ports::StoreTransaction& txn,
                                                        const core::Organisation& org,
                                                        const absl::TimeZone& zone) {
  absl::StatusOr<std::optional<ports::OrgHoursPackages>> own = txn.GetOrgHoursPackages(org.id);
  if (!own.ok()) return own.status();
  EffectivePackages effective;
  if (own->has_value()) {
    effective.own = true;
    effective.packages = (*own)->packages;
    const std::optional<core::HoursPeriod> starts = core::ParsePeriod((*own)->starts_period);
    if (!starts) {
      return absl::DataLossError("hours_packages.starts_period: not a period");
    }
    effective.starts = *starts;
  } else {
    effective.packages = core::DefaultPackagesForPlan(org.plan);
    effective.starts = org.created_at == absl::InfinitePast()
                           ? core::HoursPeriod{1970, 1}
                           : core::PeriodOf(org.created_at, zone);
  }
  return effective;
}

void LogCaseTime(AppContext& context, const Caller& caller, core::CaseNumber number,
                 TimeEntryInput input, Done<core::TimeEntry> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<core::TimeEntry>(
      context.store,
      [&context, caller, number, input = std::move(input),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::TimeEntry> {
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        if (!core::IsProviderStaff(caller.viewer.role) &&
            caller.viewer.role != core::Role::kPartnerAgent) {
          return absl::PermissionDeniedError("time entries are logged by support staff");
        }
        absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record->org_id);
        if (!org.ok()) return org.status();
        return WriteEntry(context, txn, caller, *org, number, input, now);
      },
      WakingOutbox<core::TimeEntry>(context, std::move(done)));
}

void LogOrgTime(AppContext& context, const Caller& caller, core::OrgId org_id, TimeEntryInput input,
                Done<core::TimeEntry> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<core::TimeEntry>(
      context.store,
      [&context, caller, org_id, input = std::move(input),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::TimeEntry> {
        absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
        if (absl::IsNotFound(org.status())) return OrgNotFound(org_id);
        if (!org.ok()) return org.status();
        if (!CanReadOrgHours(caller.viewer, *org)) return OrgNotFound(org_id);
        if (!core::IsProviderStaff(caller.viewer.role)) {
          return absl::PermissionDeniedError(
              "account work is logged by the provider's customer-success staff");
        }
        if (org->kind == core::OrgKind::kProvider) {
          return absl::InvalidArgumentError("org_id: time is logged for partners or customers");
        }
        return WriteEntry(context, txn, caller, *org, std::nullopt, input, now);
      },
      WakingOutbox<core::TimeEntry>(context, std::move(done)));
}

absl::StatusOr<std::vector<core::TimeEntry>> ListCaseTime(AppContext& context, const Caller& caller,
                                                          core::CaseNumber number) {
  return ReadValue<std::vector<core::TimeEntry>>(
      context.store,
      [&caller,
       number](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::TimeEntry>> {
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        if (!core::IsProviderStaff(caller.viewer.role) &&
            caller.viewer.role != core::Role::kPartnerAgent) {
          return absl::PermissionDeniedError("time entries are shown to support staff");
        }
        return txn.ListCaseTimeEntries(number, kMaxCaseEntries);
      });
}

absl::StatusOr<OrgHours> GetOrgHours(AppContext& context, const Caller& caller, core::OrgId org_id,
                                     std::optional<std::string> period_text) {
  std::optional<core::HoursPeriod> wanted;
  if (period_text) {
    wanted = core::ParsePeriod(*period_text);
    if (!wanted) return absl::InvalidArgumentError("period: must be a month such as 2026-03");
  }
  const absl::Time now = context.clock.Now();
  return ReadValue<OrgHours>(
      context.store,
      [&caller, org_id, wanted, now](ports::StoreTransaction& txn) -> absl::StatusOr<OrgHours> {
        absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
        if (absl::IsNotFound(org.status())) return OrgNotFound(org_id);
        if (!org.ok()) return org.status();
        if (!CanReadOrgHours(caller.viewer, *org)) return OrgNotFound(org_id);
        const absl::TimeZone zone = OrgZone(*org);
        OrgHours hours;
        hours.org = *org;
        hours.period = wanted.value_or(core::PeriodOf(now, zone));
        hours.starts_at = core::PeriodStart(hours.period, zone);
        hours.ends_at = core::PeriodEnd(hours.period, zone);
        absl::StatusOr<EffectivePackages> effective = LoadEffectivePackages(txn, *org, zone);
        if (!effective.ok()) return effective.status();
        hours.own_packages = effective->own;
        const core::HoursPeriod first = std::min(effective->starts, hours.period);
        absl::StatusOr<std::vector<ports::HoursUsage>> usage =
            txn.ListHoursUsage(org_id, core::PeriodName(first));
        if (!usage.ok()) return usage.status();
        // Billable minutes per kind and period, plus the target period's other figures.
        std::map<core::HoursKind, core::UsageByPeriod> billable;
        std::map<core::HoursKind, const ports::HoursUsage*> in_period;
        const std::string target = core::PeriodName(hours.period);
        for (const ports::HoursUsage& row : *usage) {
          if (std::optional<core::HoursPeriod> p = core::ParsePeriod(row.period)) {
            billable[row.kind][*p] += row.billable_minutes;
          }
          if (row.period == target) in_period[row.kind] = &row;
        }
        std::vector<core::HoursPackage> shown = effective->packages;
        for (const auto& [kind, row] : in_period) {
          if (!core::FindPackage(shown, kind)) {
            shown.push_back({.kind = kind, .included_minutes = 0, .thresholds_percent = {}});
          }
        }
        std::sort(shown.begin(), shown.end(),
                  [](const auto& a, const auto& b) { return a.kind < b.kind; });
        for (const core::HoursPackage& package : shown) {
          PackageHours item;
          item.package = package;
          item.has_package = core::FindPackage(effective->packages, package.kind) != nullptr;
          item.balance =
              core::BalanceFor(package, effective->starts, hours.period, billable[package.kind]);
          if (const auto found = in_period.find(package.kind); found != in_period.end()) {
            item.non_billable_minutes = found->second->other_minutes;
            item.entries = found->second->entries;
          }
          absl::StatusOr<std::vector<int>> alerted =
              txn.ListHoursAlerts(org_id, package.kind, target);
          if (!alerted.ok()) return alerted.status();
          item.alerted_thresholds = *std::move(alerted);
          absl::StatusOr<std::vector<ports::HoursUsage>> daily =
              txn.ListHoursDailyUsage(org_id, package.kind, target);
          if (!daily.ok()) return daily.status();
          item.daily = *std::move(daily);
          hours.packages.push_back(std::move(item));
        }
        return hours;
      });
}

void SetOrgPackages(AppContext& context, const Caller& caller, core::OrgId org_id,
                    std::vector<core::HoursPackage> packages, Done<ports::OrgHoursPackages> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<ports::OrgHoursPackages>(
      context.store,
      [caller, org_id, packages = std::move(packages),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<ports::OrgHoursPackages> {
        absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
        if (absl::IsNotFound(org.status())) return OrgNotFound(org_id);
        if (!org.ok()) return org.status();
        if (!CanReadOrgHours(caller.viewer, *org)) return OrgNotFound(org_id);
        if (!core::IsAdmin(caller.viewer)) {
          return absl::PermissionDeniedError("packages are set by the provider's admins");
        }
        if (org->kind == core::OrgKind::kProvider) {
          return absl::InvalidArgumentError("org_id: the provider has no packages");
        }
        if (absl::Status valid = core::ValidatePackages(packages); !valid.ok()) return valid;
        const absl::TimeZone zone = OrgZone(*org);
        absl::StatusOr<EffectivePackages> before = LoadEffectivePackages(txn, *org, zone);
        if (!before.ok()) return before.status();
        ports::OrgHoursPackages stored;
        stored.org_id = org_id;
        stored.packages = packages;
        stored.starts_period = core::PeriodName(core::PeriodOf(now, zone));
        stored.updated_at = now;
        stored.updated_by = caller.user.id;
        if (absl::Status put = txn.PutOrgHoursPackages(stored); !put.ok()) return put;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "packages", PackagesSummary(before->packages),
                           PackagesSummary(packages));
        core::AuditEvent event =
            MakeAuditEvent("organisation", absl::StrCat(org_id), caller.user.id, now,
                           std::string(kHoursPackagesSet), std::move(changes));
        if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) {
          return appended;
        }
        return stored;
      },
      std::move(done));
}

}  // namespace casedesk::app

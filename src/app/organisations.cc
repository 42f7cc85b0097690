#include "app/organisations.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxTimeZoneLength = 64;

absl::Status OrganisationNotFound(core::OrgId id) {
  return absl::NotFoundError(absl::StrCat("organisation ", id, " not found"));
}

absl::Status ValidateTimeZone(const std::string& name) {
  absl::TimeZone zone;
  if (name.empty() || name.size() > kMaxTimeZoneLength ||
      !absl::LoadTimeZone(absl::string_view(name.data(), name.size()), &zone)) {
    return absl::InvalidArgumentError("time_zone must be an IANA time zone such as Europe/Paris");
  }
  return absl::OkStatus();
}

// The plan an organisation of `kind` names must exist and suit that kind.
absl::Status CheckPlanFor(ports::StoreTransaction& txn, const std::string& plan_name,
                          core::OrgKind kind) {
  absl::StatusOr<core::SupportPlan> plan = txn.GetPlan(plan_name);
  if (absl::IsNotFound(plan.status())) {
    return absl::InvalidArgumentError("no support plan named '" + plan_name + "'");
  }
  if (!plan.ok()) return plan.status();
  return core::ValidatePlanForOrganisation(*plan, kind);
}

std::string KindName(core::OrgKind kind) {
  return std::string(core::NameOf<core::OrgKind>(core::kOrgKindNames, kind));
}

}  // namespace

std::optional<std::vector<core::OrgId>> VisibleOrganisationIds(const core::Viewer& viewer) {
  if (core::IsProviderStaff(viewer.role)) return std::nullopt;
  std::vector<core::OrgId> ids{viewer.org_id};
  if (viewer.role == core::Role::kPartnerAgent) {
    ids.insert(ids.end(), viewer.child_org_ids.begin(), viewer.child_org_ids.end());
  }
  return ids;
}

void CreateOrganisation(AppContext& context, const core::Viewer& viewer, NewOrganisation request,
                        std::function<void(absl::StatusOr<core::Organisation>)> done) {
  if (!core::IsProviderStaff(viewer.role)) {
    return done(absl::PermissionDeniedError("only support staff may create organisations"));
  }
  if (!core::IsAdmin(viewer) && request.kind != core::OrgKind::kCustomer) {
    return done(absl::PermissionDeniedError("only an admin may create partner organisations"));
  }
  if (absl::Status zone = ValidateTimeZone(request.time_zone); !zone.ok()) return done(zone);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::Organisation>(
      context.store,
      [request = std::move(request), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<core::Organisation> {
        std::optional<core::Organisation> parent;
        if (request.parent_id) {
          absl::StatusOr<core::Organisation> found = txn.GetOrganisation(*request.parent_id);
          if (absl::IsNotFound(found.status())) {
            return absl::InvalidArgumentError(
                absl::StrCat("parent_id ", *request.parent_id, " is not an organisation"));
          }
          if (!found.ok()) return found.status();
          parent = *std::move(found);
        } else {
          absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
          if (!provider.ok()) return provider.status();
          if (!provider->has_value()) {
            return absl::FailedPreconditionError("the desk is not initialised");
          }
          parent = **std::move(provider);
        }
        core::Organisation org;
        org.name = request.name;
        org.kind = request.kind;
        org.parent_id = parent->id;
        org.plan = request.plan;
        org.shares_cases = request.shares_cases;
        org.time_zone = request.time_zone;
        org.created_at = now;
        if (absl::Status valid = core::ValidateNewOrganisation(org, &*parent); !valid.ok()) {
          return valid;
        }
        if (absl::Status plan = CheckPlanFor(txn, org.plan, org.kind); !plan.ok()) return plan;
        absl::StatusOr<core::OrgId> id = txn.InsertOrganisation(org);
        if (!id.ok()) return id.status();
        org.id = *id;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "name", "", org.name);
        core::RecordChange(changes, "kind", "", KindName(org.kind));
        core::RecordChange(changes, "parent_id", "", absl::StrCat(*org.parent_id));
        core::RecordChange(changes, "plan", "", org.plan);
        core::RecordChange(changes, "shares_cases", "", BoolText(org.shares_cases));
        core::RecordChange(changes, "time_zone", "", org.time_zone);
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("organisation", absl::StrCat(org.id), actor, now,
                                           "organisation.created", std::move(changes)));
        if (!event.ok()) return event.status();
        return org;
      },
      InvalidateCallersThen<core::Organisation>(context.callers, std::move(done)));
}

absl::StatusOr<core::Organisation> GetOrganisation(AppContext& context, const core::Viewer& viewer,
                                                   core::OrgId id) {
  absl::StatusOr<core::Organisation> org = ReadValue<core::Organisation>(
      context.store, [id](ports::StoreTransaction& txn) { return txn.GetOrganisation(id); });
  if (absl::IsNotFound(org.status())) return OrganisationNotFound(id);
  if (!org.ok()) return org.status();
  if (!core::CanSeeOrganisation(viewer, *org)) return OrganisationNotFound(id);
  return org;
}

absl::StatusOr<ports::Page<core::Organisation>> ListOrganisations(
    AppContext& context, const core::Viewer& viewer, const OrganisationListRequest& request) {
  ports::OrgFilter filter;
  filter.only_ids = VisibleOrganisationIds(viewer);
  filter.kind = request.kind;
  filter.parent_id = request.parent_id;
  filter.page = request.page;
  return ReadValue<ports::Page<core::Organisation>>(
      context.store,
      [&filter](ports::StoreTransaction& txn) { return txn.ListOrganisations(filter); });
}

void UpdateOrganisation(AppContext& context, const core::Viewer& viewer, core::OrgId id,
                        OrganisationPatch patch,
                        std::function<void(absl::StatusOr<core::Organisation>)> done) {
  if (patch.time_zone) {
    if (absl::Status zone = ValidateTimeZone(*patch.time_zone); !zone.ok()) return done(zone);
  }
  const absl::Time now = context.clock.Now();
  WriteValue<core::Organisation>(
      context.store,
      [viewer, id, patch = std::move(patch),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::Organisation> {
        absl::StatusOr<core::Organisation> before = txn.GetOrganisation(id);
        if (absl::IsNotFound(before.status())) return OrganisationNotFound(id);
        if (!before.ok()) return before.status();
        if (!core::CanSeeOrganisation(viewer, *before)) return OrganisationNotFound(id);
        if (!core::IsAdmin(viewer)) {
          return absl::PermissionDeniedError("only an admin may change organisations");
        }
        core::Organisation after = *before;
        if (patch.name) {
          if (patch.name->empty() || patch.name->size() > 200) {
            return absl::InvalidArgumentError("name must be 1 to 200 characters");
          }
          after.name = *patch.name;
        }
        if (patch.plan && *patch.plan != before->plan) {
          if (before->kind == core::OrgKind::kProvider) {
            return absl::InvalidArgumentError("the provider organisation holds no plan");
          }
          if (absl::Status plan = CheckPlanFor(txn, *patch.plan, before->kind); !plan.ok()) {
            return plan;
          }
          after.plan = *patch.plan;
        }
        if (patch.shares_cases) after.shares_cases = *patch.shares_cases;
        if (patch.time_zone) after.time_zone = *patch.time_zone;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "name", before->name, after.name);
        core::RecordChange(changes, "plan", before->plan, after.plan);
        core::RecordChange(changes, "shares_cases", BoolText(before->shares_cases),
                           BoolText(after.shares_cases));
        core::RecordChange(changes, "time_zone", before->time_zone, after.time_zone);
        if (changes.empty()) return after;
        if (absl::Status update = txn.UpdateOrganisation(after); !update.ok()) return update;
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("organisation", absl::StrCat(id), viewer.user_id, now,
                                           "organisation.updated", std::move(changes)));
        if (!event.ok()) return event.status();
        return after;
      },
      InvalidateCallersThen<core::Organisation>(context.callers, std::move(done)));
}

}  // namespace casedesk::app

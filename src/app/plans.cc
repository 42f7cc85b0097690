#include "app/plans.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"
#include "app/store_calls.h"

namespace casedesk::app {
std::string ChannelsText(const std::vector<core::Channel>& channels) {
  std::vector<std::string> names;
  for (core::Channel channel : channels) {
    names.emplace_back(core::NameOf<core::Channel>(core::kChannelNames, channel));
  }
  return absl::StrJoin(names, ",");
}

namespace {

constexpr size_t kMaxDisplayNameLength = 100;
constexpr size_t kMaxPlanDescriptionLength = 2000;

// Core checks the key and channels; the texts' lengths and duplicate channels are checked here.
absl::Status ValidatePlanTexts(core::SupportPlan& plan) {
  if (absl::Status valid = core::ValidatePlan(plan); !valid.ok()) return valid;
  if (plan.display_name.empty()) plan.display_name = plan.name;
  if (plan.display_name.size() > kMaxDisplayNameLength) {
    return absl::InvalidArgumentError("display_name must be at most 100 characters");
  }
  if (plan.description.size() > kMaxPlanDescriptionLength) {
    return absl::InvalidArgumentError("description must be at most 2000 characters");
  }
  std::vector<core::Channel> unique;
  for (core::Channel channel : plan.channels) {
    if (std::find(unique.begin(), unique.end(), channel) == unique.end()) {
      unique.push_back(channel);
    }
  }
  plan.channels = std::move(unique);
  return absl::OkStatus();
}

absl::Status NotAdmin() {
  return absl::PermissionDeniedError("only an admin may manage support plans");
}

absl::Status NoSuchPlan(const std::string& name) {
  return absl::NotFoundError("no support plan named '" + name + "'");
}

// Does any partner organisation hold this plan? Walks the partners page by page.
absl::StatusOr<bool> PartnersHoldPlan(ports::StoreTransaction& txn, const std::string& name) {
  ports::OrgFilter filter;
  filter.kind = core::OrgKind::kPartner;
  filter.page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::Organisation>> page = txn.ListOrganisations(filter);
    if (!page.ok()) return page.status();
    for (const core::Organisation& org : page->items) {
      if (org.plan == name) return true;
    }
    if (page->next_cursor.empty()) return false;
    filter.page.cursor = page->next_cursor;
  }
}

}  // namespace

absl::StatusOr<ports::Page<core::SupportPlan>> ListPlans(AppContext& context,
                                                         const core::Viewer& viewer,
                                                         const ports::PageRequest& page) {
  absl::StatusOr<std::vector<core::SupportPlan>> plans =
      ReadValue<std::vector<core::SupportPlan>>(
          context.store, [](ports::StoreTransaction& txn) { return txn.ListPlans(); });
  if (!plans.ok()) return plans.status();
  std::sort(plans->begin(), plans->end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  ports::Page<core::SupportPlan> result;
  for (core::SupportPlan& plan : *plans) {
    if (!page.cursor.empty() && plan.name <= page.cursor) continue;
    if (static_cast<int>(result.items.size()) == page.limit) {
      result.next_cursor = result.items.back().name;
      break;
    }
    result.items.push_back(std::move(plan));
  }
  return result;
}

absl::StatusOr<core::SupportPlan> GetPlan(AppContext& context, const core::Viewer& viewer,
                                          const std::string& name) {
  absl::StatusOr<core::SupportPlan> plan = ReadValue<core::SupportPlan>(
      context.store, [&name](ports::StoreTransaction& txn) { return txn.GetPlan(name); });
  if (absl::IsNotFound(plan.status())) return NoSuchPlan(name);
  return plan;
}

void CreatePlan(AppContext& context, const core::Viewer& viewer, core::SupportPlan plan,
                std::function<void(absl::StatusOr<core::SupportPlan>)> done) {
  if (!core::IsAdmin(viewer)) return done(NotAdmin());
  if (absl::Status valid = ValidatePlanTexts(plan); !valid.ok()) return done(valid);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::SupportPlan>(
      context.store,
      [plan = std::move(plan), now, actor](
          ports::StoreTransaction& txn) -> absl::StatusOr<core::SupportPlan> {
        absl::StatusOr<core::SupportPlan> existing = txn.GetPlan(plan.name);
        if (existing.ok()) {
          return absl::AlreadyExistsError("a support plan named '" + plan.name +
                                          "' already exists");
        }
        if (!absl::IsNotFound(existing.status())) return existing.status();
        if (absl::Status upsert = txn.UpsertPlan(plan); !upsert.ok()) return upsert;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "display_name", "", plan.display_name);
        core::RecordChange(changes, "description", "", plan.description);
        core::RecordChange(changes, "channels", "", ChannelsText(plan.channels));
        core::RecordChange(changes, "partner_eligible", "", BoolText(plan.partner_eligible));
        core::RecordChange(changes, "after_hours_coverage", "",
                           BoolText(plan.after_hours_coverage));
        absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
            "plan", plan.name, actor, now, "plan.created", std::move(changes)));
        if (!event.ok()) return event.status();
        return plan;
      },
      std::move(done));
}

void UpdatePlan(AppContext& context, const core::Viewer& viewer, std::string name,
                PlanPatch patch, std::function<void(absl::StatusOr<core::SupportPlan>)> done) {
  if (!core::IsAdmin(viewer)) return done(NotAdmin());
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::SupportPlan>(
      context.store,
      [name = std::move(name), patch = std::move(patch), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<core::SupportPlan> {
        absl::StatusOr<core::SupportPlan> before = txn.GetPlan(name);
        if (absl::IsNotFound(before.status())) return NoSuchPlan(name);
        if (!before.ok()) return before.status();
        core::SupportPlan after = *before;
        if (patch.display_name) after.display_name = *patch.display_name;
        if (patch.description) after.description = *patch.description;
        if (patch.channels) after.channels = *patch.channels;
        if (patch.partner_eligible) after.partner_eligible = *patch.partner_eligible;
        if (patch.after_hours_coverage) after.after_hours_coverage = *patch.after_hours_coverage;
        if (absl::Status valid = ValidatePlanTexts(after); !valid.ok()) return valid;
        if (before->partner_eligible && !after.partner_eligible) {
          absl::StatusOr<bool> held = PartnersHoldPlan(txn, name);
          if (!held.ok()) return held.status();
          if (*held) {
            return absl::FailedPreconditionError(
                "partners hold plan '" + name + "'; move them to another plan first");
          }
        }
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "display_name", before->display_name, after.display_name);
        core::RecordChange(changes, "description", before->description, after.description);
        core::RecordChange(changes, "channels", ChannelsText(before->channels),
                           ChannelsText(after.channels));
        core::RecordChange(changes, "partner_eligible",
                           BoolText(before->partner_eligible),
                           BoolText(after.partner_eligible));
        core::RecordChange(changes, "after_hours_coverage",
                           BoolText(before->after_hours_coverage),
                           BoolText(after.after_hours_coverage));
        if (changes.empty()) return after;
        if (absl::Status upsert = txn.UpsertPlan(after); !upsert.ok()) return upsert;
        absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
            "plan", name, actor, now, "plan.updated", std::move(changes)));
        if (!event.ok()) return event.status();
        return after;
      },
      std::move(done));
}

}  // namespace casedesk::app

#include "app/init_desk.h"

#include "app/default_escalations.h"
#include "app/sla_settings.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/default_escalations.h"
#include "app/sla_settings.h"
#include "app/store_calls.h"
#include "app/groups.h"
#include "app/plans.h"
#include "app/severity_definitions.h"
#include "core/plan.h"

namespace casedesk::app {
namespace {

constexpr char kDefaultProviderName[] = "Support";
constexpr char kAdminName[] = "Administrator";

absl::Status AppendEvent(ports::StoreTransaction& txn, core::AuditEvent event) {
  return txn.AppendEvent(event).status();
}

absl::Status InsertDefaultPlans(ports::StoreTransaction& txn, absl::Time now) {
  for (const core::SupportPlan& plan : core::DefaultSupportPlans()) {
    if (absl::Status upsert = txn.UpsertPlan(plan); !upsert.ok()) return upsert;
    std::vector<core::FieldChange> changes;
    core::RecordChange(changes, "display_name", "", plan.display_name);
    core::RecordChange(changes, "channels", "", ChannelsText(plan.channels));
    core::RecordChange(changes, "partner_eligible", "",
                       BoolText(plan.partner_eligible));
    core::RecordChange(changes, "after_hours_coverage", "",
                       BoolText(plan.after_hours_coverage));
    if (absl::Status event = AppendEvent(txn, MakeAuditEvent(
                                                  "plan", plan.name, 0, now, "plan.created",
                                                  std::move(changes)));
        !event.ok()) {
      return event;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<InitDeskResult> InitDesk(AppContext& context, InitDeskRequest request) {
  InitDeskResult result;
  result.admin.email = core::NormaliseEmail(request.admin_email);
  if (result.admin.email.empty()) {
    return absl::InvalidArgumentError("the admin email is not a valid address");
  }
  if (request.admin_password.empty()) {
    // 16 random bytes as 22 URL-safe characters.
    request.admin_password = context.crypto.RandomId();
    result.password_generated = true;
  } else if (request.admin_password.size() < kMinAdminPasswordLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("the admin password must have at least ", kMinAdminPasswordLength,
                     " characters"));
  }
  absl::StatusOr<std::string> hash = context.crypto.HashPassword(request.admin_password);
  if (!hash.ok()) return hash.status();
  result.admin_password = std::move(request.admin_password);

  const absl::Time now = context.clock.Now();
  result.provider.name =
      request.provider_name.empty() ? kDefaultProviderName : std::move(request.provider_name);
  if (result.provider.name.size() > 200) {
    return absl::InvalidArgumentError("the provider name must be at most 200 characters");
  }
  result.provider.kind = core::OrgKind::kProvider;
  result.provider.time_zone = "UTC";
  result.provider.created_at = now;
  result.admin.name = kAdminName;
  result.admin.role = core::Role::kAdmin;
  result.admin.verified = true;
  result.admin.org_admin = true;
  result.admin.active = true;
  result.admin.password_hash = *std::move(hash);
  result.admin.created_at = now;

  struct Stored {
    core::Organisation provider;
    core::User admin;
  };
  const core::Organisation provider_draft = result.provider;
  const core::User admin_draft = result.admin;
  absl::StatusOr<Stored> stored = Await<Stored>([&](Done<Stored> done) {
    WriteValue<Stored>(
        context.store,
        [provider_draft, admin_draft, now](ports::StoreTransaction& txn) -> absl::StatusOr<Stored> {
          absl::StatusOr<std::optional<core::Organisation>> existing = txn.FindProvider();
          if (!existing.ok()) return existing.status();
          if (existing->has_value()) {
            return absl::AlreadyExistsError("the desk is already initialised");
          }
          Stored out{provider_draft, admin_draft};
          absl::StatusOr<core::OrgId> org_id = txn.InsertOrganisation(out.provider);
          if (!org_id.ok()) return org_id.status();
          out.provider.id = *org_id;
          std::vector<core::FieldChange> org_changes;
          core::RecordChange(org_changes, "name", "", out.provider.name);
          core::RecordChange(org_changes, "kind", "", "provider");
          if (absl::Status event = AppendEvent(
                  txn, MakeAuditEvent("organisation", absl::StrCat(out.provider.id), 0,
                                                 now, "organisation.created",
                                                 std::move(org_changes)));
              !event.ok()) {
            return event;
          }

          out.admin.org_id = out.provider.id;
          absl::StatusOr<core::UserId> admin_id = txn.InsertUser(out.admin);
          if (!admin_id.ok()) return admin_id.status();
          out.admin.id = *admin_id;
          std::vector<core::FieldChange> user_changes;
          core::RecordChange(user_changes, "email", "", out.admin.email);
          core::RecordChange(user_changes, "role", "", "admin");
          core::RecordChange(user_changes, "org_id", "", absl::StrCat(out.provider.id));
          core::RecordChange(user_changes, "verified", "", "true");
          core::RecordChange(user_changes, "org_admin", "", "true");
          if (absl::Status event = AppendEvent(
                  txn, MakeAuditEvent("user", absl::StrCat(out.admin.id), 0, now,
                                                 "user.created", std::move(user_changes)));
              !event.ok()) {
            return event;
          }

          if (absl::Status plans = InsertDefaultPlans(txn, now); !plans.ok()) return plans;

          if (absl::Status put = txn.PutSetting(
                  kSeverityDefinitionsSetting,
                  SeverityDefinitionsToSetting(DefaultSeverityDefinitions()));
              !put.ok()) {
            return put;
          }
          if (absl::Status event = AppendEvent(
                  txn, MakeAuditEvent("setting",
                                                 std::string(kSeverityDefinitionsSetting), 0, now,
                                                 "severity_definitions.updated",
                                                 {{"levels", "", "defaults"}}));
              !event.ok()) {
            return event;
          }

          for (const core::EscalationPolicy& policy : DefaultEscalationPolicies()) {
            const std::string key = EscalationPolicySettingKey(policy.name);
            const std::string document = EscalationPolicyToSetting(policy);
            if (absl::Status put = txn.PutSetting(key, document); !put.ok()) return put;
            if (absl::Status event = AppendEvent(
                    txn, MakeAuditEvent("setting", key, 0, now, "escalation_policy.updated",
                                        {{"document", "", document}}));
                !event.ok()) {
              return event;
            }
          }

          core::Group triage;
          triage.name = kTriageGroupName;
          triage.description = "The shared queue where new cases wait for triage.";
          triage.triage = true;
          absl::StatusOr<core::Group> group = InsertGroupWithEvent(txn, triage, 0, now);
          if (!group.ok()) return group.status();
          return out;
        },
        std::move(done));
  });
  if (!stored.ok()) return stored.status();
  result.provider = std::move(stored->provider);
  result.admin = std::move(stored->admin);
  return result;
}

}  // namespace casedesk::app

#include "app/mail_admin.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "app/outbox.h"
#include "core/access.h"
#include "core/audit_event.h"
#include "core/case.h"
#include "core/organisation.h"
#include "core/user.h"
#include "core/utc_time.h"

namespace casedesk::app {
namespace {

constexpr char kMailAdminRequeuedKind[] = "notification.requeued";

std::string MailAdminTemplateKey(std::string_view kind) {
  return absl::StrCat(std::string(kMailTemplateSettingPrefix), std::string(kind));
}

std::string MailAdminOrganisationKey(core::OrgId org_id) {
  return absl::StrCat(std::string(kMailOrganisationSettingPrefix), org_id);
}

// The same text the API uses for instants (RFC 3339, UTC, whole seconds).
std::string MailAdminTimeText(const std::optional<absl::Time>& time) {
  return time ? core::FormatUtcSeconds(*time) : std::string();
}

// The text stored under `key`, "" when there is none.
absl::StatusOr<std::string> MailAdminStoredText(ports::StoreTransaction& txn,
                                                std::string_view key) {
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
  if (!stored.ok()) return stored.status();
  return stored->value_or("");
}

// Appends the audit event of a settings document that went from `before` to what is stored
// under `key` now; nothing when the text did not change.
absl::Status MailAdminRecordDocument(ports::StoreTransaction& txn, const std::string& key,
                                     const std::string& before, std::string kind,
                                     const Caller& caller, absl::Time now) {
  absl::StatusOr<std::string> after = MailAdminStoredText(txn, key);
  if (!after.ok()) return after.status();
  if (*after == before) return absl::OkStatus();
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "document", before, *after);
  return txn
      .AppendEvent(MakeAuditEvent("setting", key, caller.viewer.user_id, now, std::move(kind),
                                  std::move(changes)))
      .status();
}

// Runs `change`, which writes the document under `key`, and records the change of its text.
template <typename Change>
absl::Status MailAdminWriteDocument(ports::StoreTransaction& txn, const std::string& key,
                                    std::string event_kind, const Caller& caller, absl::Time now,
                                    const Change& change) {
  absl::StatusOr<std::string> before = MailAdminStoredText(txn, key);
  if (!before.ok()) return before.status();
  if (absl::Status changed = change(); !changed.ok()) return changed;
  return MailAdminRecordDocument(txn, key, *before, std::move(event_kind), caller, now);
}

// NotFound "organisation <id> not found" when there is no such organisation.
absl::Status MailAdminCheckOrganisation(ports::StoreTransaction& txn, core::OrgId org_id) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
  if (absl::IsNotFound(org.status())) {
    return absl::NotFoundError(absl::StrCat("organisation ", org_id, " not found"));
  }
  return org.status();
}

absl::Status MailAdminNoNotification(int64_t id) {
  return absl::NotFoundError(absl::StrCat("notification ", id, " not found"));
}

// Whether `viewer` may see case `number` (0: not about a case). A row always names a case that
// exists; should it not, the row itself is still shown.
absl::StatusOr<bool> MailAdminMaySeeCase(ports::StoreTransaction& txn, const core::Viewer& viewer,
                                         core::CaseNumber number) {
  if (number == 0) return true;
  absl::StatusOr<core::Case> found = txn.GetCase(number);
  if (!found.ok() && !absl::IsNotFound(found.status())) return found.status();
  return !found.ok() || core::CanSeeCase(viewer, *found);
}

// Requeues given-up notification `id` for delivery at `now`, with its audit event; answers the
// row as it is now. Hidden like the case it is about.
absl::StatusOr<ports::Notification> MailAdminRequeue(ports::StoreTransaction& txn,
                                                     const Caller& caller, int64_t id,
                                                     absl::Time now) {
  absl::StatusOr<ports::Notification> before = txn.GetNotification(id);
  if (absl::IsNotFound(before.status())) return MailAdminNoNotification(id);
  if (!before.ok()) return before.status();
  absl::StatusOr<bool> visible = MailAdminMaySeeCase(txn, caller.viewer, before->case_number);
  if (!visible.ok()) return visible.status();
  if (!*visible) return MailAdminNoNotification(id);
  if (absl::Status requeued = txn.RequeueNotification(id, now); !requeued.ok()) {
    if (absl::IsNotFound(requeued)) return MailAdminNoNotification(id);
    if (absl::IsFailedPrecondition(requeued)) {
      return absl::FailedPreconditionError(
          absl::StrCat("notification ", id, " was not given up: ",
                       before->sent_at ? "it was sent" : "it is still waiting for delivery"));
    }
    return requeued;
  }
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "failed_at", MailAdminTimeText(before->failed_at), "");
  core::RecordChange(changes, "next_attempt_at", MailAdminTimeText(before->next_attempt_at),
                     MailAdminTimeText(now));
  if (absl::StatusOr<core::EventId> appended =
          txn.AppendEvent(MakeAuditEvent("notification", absl::StrCat(id), caller.viewer.user_id,
                                         now, kMailAdminRequeuedKind, std::move(changes)));
      !appended.ok()) {
    return appended.status();
  }
  return txn.GetNotification(id);
}

}  // namespace

absl::Status CheckMailAdmin(const Caller& caller, std::string_view action) {
  if (!core::IsProviderStaff(caller.viewer.role)) return absl::NotFoundError("not found");
  if (core::IsAdmin(caller.viewer)) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat("only an admin may ", std::string(action)));
}

absl::StatusOr<MailTemplateEntry> LoadMailTemplateEntry(ports::StoreTransaction& txn,
                                                        std::string_view kind) {
  absl::StatusOr<MailTemplate> content = LoadMailTemplate(txn, kind);
  if (!content.ok()) return content.status();
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(MailAdminTemplateKey(kind));
  if (!stored.ok()) return stored.status();
  return MailTemplateEntry{std::string(kind), *std::move(content), stored->has_value()};
}

absl::StatusOr<OrganisationMailSettings> LoadKnownOrganisationMailSettings(
    ports::StoreTransaction& txn, core::OrgId org_id) {
  if (absl::Status known = MailAdminCheckOrganisation(txn, org_id); !known.ok()) return known;
  return LoadOrganisationMailSettings(txn, org_id);
}

void UpdateMailDeskSettings(AppContext& context, const Caller& caller, MailDeskSettings settings,
                            Done<MailDeskSettings> done) {
  if (absl::Status allowed = CheckMailAdmin(caller, kMailActionChangeSettings); !allowed.ok()) {
    return done(allowed);
  }
  const absl::Time now = context.clock.Now();
  WriteValue<MailDeskSettings>(
      context.store,
      [settings = std::move(settings), caller,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<MailDeskSettings> {
        if (absl::Status written = MailAdminWriteDocument(
                txn, std::string(kMailDeskSettingKey), "mail_settings.updated", caller, now,
                [&] { return SaveMailDeskSettings(txn, settings); });
            !written.ok()) {
          return written;
        }
        return settings;
      },
      std::move(done));
}

void UpdateOrganisationMailSettings(AppContext& context, const Caller& caller,
                                    OrganisationMailSettings settings,
                                    Done<OrganisationMailSettings> done) {
  if (absl::Status allowed = CheckMailAdmin(caller, kMailActionChangeOrganisationSettings);
      !allowed.ok()) {
    return done(allowed);
  }
  const absl::Time now = context.clock.Now();
  WriteValue<OrganisationMailSettings>(
      context.store,
      [settings = std::move(settings), caller,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<OrganisationMailSettings> {
        if (absl::Status known = MailAdminCheckOrganisation(txn, settings.org_id); !known.ok()) {
          return known;
        }
        if (absl::Status written =
                MailAdminWriteDocument(txn, MailAdminOrganisationKey(settings.org_id),
                                       "organisation_mail_settings.updated", caller, now,
                                       [&] { return SaveOrganisationMailSettings(txn, settings); });
            !written.ok()) {
          return written;
        }
        return settings;
      },
      std::move(done));
}

void UpdateMailTemplate(AppContext& context, const Caller& caller, std::string kind,
                        MailTemplate content, Done<MailTemplateEntry> done) {
  if (absl::Status allowed = CheckMailAdmin(caller, kMailActionChangeTemplates); !allowed.ok()) {
    return done(allowed);
  }
  // Validated before queueing, so a bad template costs no write.
  if (absl::Status valid = ValidateMailTemplate(kind, content); !valid.ok()) return done(valid);
  const absl::Time now = context.clock.Now();
  WriteValue<MailTemplateEntry>(
      context.store,
      [kind = std::move(kind), content = std::move(content), caller,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<MailTemplateEntry> {
        if (absl::Status written = MailAdminWriteDocument(
                txn, MailAdminTemplateKey(kind), "mail_template.updated", caller, now,
                [&] { return SaveMailTemplate(txn, kind, content); });
            !written.ok()) {
          return written;
        }
        return LoadMailTemplateEntry(txn, kind);
      },
      std::move(done));
}

void RestoreDefaultMailTemplate(AppContext& context, const Caller& caller, std::string kind,
                                Done<MailTemplateEntry> done) {
  if (absl::Status allowed = CheckMailAdmin(caller, kMailActionChangeTemplates); !allowed.ok()) {
    return done(allowed);
  }
  const absl::Time now = context.clock.Now();
  WriteValue<MailTemplateEntry>(
      context.store,
      [kind = std::move(kind), caller,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<MailTemplateEntry> {
        if (absl::Status written =
                MailAdminWriteDocument(txn, MailAdminTemplateKey(kind), "mail_template.reset",
                                       caller, now, [&] { return ResetMailTemplate(txn, kind); });
            !written.ok()) {
          return written;
        }
        return LoadMailTemplateEntry(txn, kind);
      },
      std::move(done));
}

void RetryNotification(AppContext& context, const Caller& caller, int64_t id,
                       Done<ports::Notification> done) {
  if (absl::Status allowed = CheckMailAdmin(caller, kMailActionRetryNotifications); !allowed.ok()) {
    return done(allowed);
  }
  const absl::Time now = context.clock.Now();
  WriteValue<ports::Notification>(
      context.store,
      [caller, id, now](ports::StoreTransaction& txn) {
        return MailAdminRequeue(txn, caller, id, now);
      },
      WakingOutbox<ports::Notification>(context, std::move(done)));
}

}  // namespace casedesk::app

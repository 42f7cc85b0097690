#include "app/hours_alerts.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "app/hours.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "app/store_calls.h"
#include "core/hours_package.h"

namespace casedesk::app {
namespace {

// "12.5 hours" style figures for people; minutes stay exact in the API.
std::string Hours(int64_t minutes) {
  if (minutes % 60 == 0) return absl::StrCat(minutes / 60);
  return absl::StrFormat("%.2f", static_cast<double>(minutes) / 60.0);
}

// The organisation's active admins with an address (each once), by id.
absl::StatusOr<std::vector<core::User>> AlertRecipients(ports::StoreTransaction& txn,
                                                        core::OrgId org_id) {
  std::vector<core::User> recipients;
  ports::UserFilter filter;
  filter.org_id = org_id;
  filter.page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::User>> page = txn.ListUsers(filter);
    if (!page.ok()) return page.status();
    for (const core::User& user : page->items) {
      if (user.org_admin && user.active && !user.email.empty()) recipients.push_back(user);
    }
    if (page->next_cursor.empty()) return recipients;
    filter.page.cursor = page->next_cursor;
  }
}

}  // namespace

absl::StatusOr<int> AlertReachedThresholds(AppContext& context, ports::StoreTransaction& txn,
                                           const core::Organisation& org,
                                           const core::TimeEntry& entry, absl::Time now) {
  const absl::TimeZone zone = OrgZone(org);
  absl::StatusOr<EffectivePackages> effective = LoadEffectivePackages(txn, org, zone);
  if (!effective.ok()) return effective.status();
  const core::HoursPackage* package = core::FindPackage(effective->packages, entry.kind);
  if (package == nullptr) return 0;  // no package of this kind: nothing to alert
  const std::optional<core::HoursPeriod> period = core::ParsePeriod(entry.period);
  if (!period) return absl::InternalError("time entry without a period");
  const core::HoursPeriod first = std::min(effective->starts, *period);
  absl::StatusOr<std::vector<ports::HoursUsage>> usage =
      txn.ListHoursUsage(org.id, core::PeriodName(first));
  if (!usage.ok()) return usage.status();
  core::UsageByPeriod billable;
  for (const ports::HoursUsage& row : *usage) {
    if (row.kind != entry.kind) continue;
    if (std::optional<core::HoursPeriod> p = core::ParsePeriod(row.period)) {
      billable[*p] += row.billable_minutes;
    }
  }
  const core::PeriodBalance balance =
      core::BalanceFor(*package, effective->starts, *period, billable);
  const std::vector<int> reached =
      core::ReachedThresholds(*package, balance.available_minutes, balance.used_minutes);
  if (reached.empty()) return 0;
  std::optional<std::vector<core::User>> recipients;
  std::optional<core::OrgId> sender_org;
  if (org.parent_id) {
    absl::StatusOr<core::Organisation> parent = txn.GetOrganisation(*org.parent_id);
    if (!parent.ok()) return parent.status();
    if (parent->kind == core::OrgKind::kPartner) sender_org = parent->id;
  }
  const std::string kind_name(core::NameOf<core::HoursKind>(core::kHoursKindNames, entry.kind));
  int alerted = 0;
  MailQueue queue({.now = now, .crypto = &context.crypto, .mail_from = context.mail_from}, txn);
  for (int threshold : reached) {
    absl::StatusOr<bool> claimed =
        txn.ClaimHoursAlert(org.id, entry.kind, entry.period, threshold, now);
    if (!claimed.ok()) return claimed.status();
    if (!*claimed) continue;  // alerted before (this period, this threshold)
    ++alerted;
    core::AuditEvent event = MakeAuditEvent(
        "organisation", absl::StrCat(org.id), 0, now, std::string(kHoursThresholdReached),
        {{"threshold", "", absl::StrCat(threshold)},
         {"kind", "", kind_name},
         {"period", "", entry.period},
         {"used_minutes", "", absl::StrCat(balance.used_minutes)},
         {"available_minutes", "", absl::StrCat(balance.available_minutes)}});
    if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) return appended;
    if (!recipients) {
      absl::StatusOr<std::vector<core::User>> loaded = AlertRecipients(txn, org.id);
      if (!loaded.ok()) return loaded.status();
      recipients = *std::move(loaded);
    }
    for (const core::User& user : *recipients) {
      MailRequest mail;
      mail.kind = std::string(kMailHoursThreshold);
      mail.recipient_id = user.id;
      mail.recipient_email = user.email;
      mail.recipient_name = user.name;
      mail.sender_org = sender_org;
      // The same cause always yields the same Message-ID.
      mail.unique_key = absl::StrCat("hours-", org.id, "-", kind_name, "-", entry.period, "-",
                                     threshold, "-", user.id);
      mail.values = {{"organisation", org.name},
                     {"kind", std::string(core::HoursKindLabel(entry.kind))},
                     {"threshold", threshold},
                     {"period", entry.period},
                     {"used_hours", Hours(balance.used_minutes)},
                     {"available_hours", Hours(balance.available_minutes)},
                     {"remaining_hours", Hours(balance.remaining_minutes)},
                     {"over", balance.used_minutes >= balance.available_minutes},
                     {"hours_url", absl::StrCat(context.public_url, "/portal/hours")}};
      if (absl::Status queued = queue.Queue(mail).status(); !queued.ok()) return queued;
    }
  }
  return alerted;
}

}  // namespace casedesk::app

#include "app/status_notices.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "app/outbox.h"
#include "app/status_page_settings.h"
#include "app/status_subscriptions.h"
#include "app/store_calls.h"
#include "ports/status_records.h"

namespace casedesk::app {
namespace {

using json = nlohmann::json;

constexpr int kPreferencePage = 1000;

// What every recipient's message shares, loaded once per notice.
struct NoticeContent {
  core::Incident incident;
  core::IncidentUpdate update;
  StatusPageInfo page;
  json values;          // the template's values without the unsubscribe link
  std::string webhook;  // the webhook payload (JSON text)
  std::map<core::UserId, ports::StatusSubscriber> preferences;  // users' rows
};

std::string Words(std::string_view wire_name) {
  std::string text = absl::StrReplaceAll(std::string(wire_name), {{"_", " "}});
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

std::string LocalTime(absl::Time at, const std::string& zone_name) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(zone_name, &zone)) zone = absl::UTCTimeZone();
  return absl::FormatTime("%Y-%m-%d %H:%M %Z", at, zone);
}

std::string Rfc3339(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", at, absl::UTCTimeZone());
}

absl::StatusOr<NoticeContent> LoadContent(ports::StoreTransaction& txn, AppContext& context,
                                          const ports::StatusNotice& notice) {
  NoticeContent content;
  absl::StatusOr<core::Incident> incident = txn.GetIncident(notice.incident_id);
  if (!incident.ok()) return incident.status();
  content.incident = *std::move(incident);
  bool found = false;
  for (const core::IncidentUpdate& update : content.incident.updates) {
    if (update.id == notice.update_id) {
      content.update = update;
      found = true;
    }
  }
  if (!found) return absl::DataLossError(absl::StrCat("notice ", notice.id, ": update missing"));
  absl::StatusOr<StatusPageInfo> page = LoadStatusPageInfo(txn, context.public_url);
  if (!page.ok()) return page.status();
  content.page = *std::move(page);

  absl::StatusOr<std::vector<core::StatusComponent>> components = txn.ListStatusComponents();
  if (!components.ok()) return components.status();
  std::vector<std::string> names;
  json affected = json::array();
  for (core::ComponentId id : content.incident.component_ids) {
    for (const core::StatusComponent& component : *components) {
      if (component.id != id) continue;
      names.push_back(component.name);
      affected.push_back(
          {{"id", absl::StrCat("c", id)},
           {"name", component.name},
           {"status", core::NameOf(core::ComponentStatusNames(), component.status)}});
    }
  }
  const bool maintenance = content.incident.kind == core::IncidentKind::kMaintenance;
  const std::string status_name(core::NameOf(core::IncidentStatusNames(), content.update.status));
  const std::string incident_url =
      absl::StrCat(content.page.url, "/status/incidents/", content.incident.id);
  content.values = {{"event_kind", maintenance ? "Maintenance" : "Incident"},
                    {"incident_name", content.incident.name},
                    {"status", Words(status_name)},
                    {"body", content.update.body},
                    {"components", absl::StrJoin(names, ", ")},
                    {"incident_url", incident_url},
                    {"page_url", content.page.url + "/status"}};
  if (maintenance && content.incident.scheduled_for && content.incident.scheduled_until) {
    content.values["window"] =
        absl::StrCat(LocalTime(*content.incident.scheduled_for, content.page.time_zone), " - ",
                     LocalTime(*content.incident.scheduled_until, content.page.time_zone));
  }
  const json payload = {
      {"meta", {{"generated_at", Rfc3339(notice.created_at)}}},
      {"page", {{"id", content.page.id}, {"name", content.page.name}, {"url", content.page.url}}},
      {"incident",
       {{"id", absl::StrCat("i", content.incident.id)},
        {"name", content.incident.name},
        {"kind", core::NameOf(core::IncidentKindNames(), content.incident.kind)},
        {"status", status_name},
        {"impact", core::NameOf(core::IncidentImpactNames(), content.incident.impact)},
        {"shortlink", incident_url},
        {"components", affected},
        {"update",
         {{"id", absl::StrCat("u", content.update.id)},
          {"status", status_name},
          {"body", content.update.body},
          {"created_at", Rfc3339(content.update.created_at)}}}}}};
  content.webhook = payload.dump();

  int64_t after = 0;
  while (true) {
    absl::StatusOr<std::vector<ports::StatusSubscriber>> rows =
        txn.ListStatusSubscribers(true, after, kPreferencePage);
    if (!rows.ok()) return rows.status();
    for (ports::StatusSubscriber& row : *rows) {
      after = row.id;
      content.preferences[row.user_id] = std::move(row);
    }
    if (rows->empty()) break;
  }
  return content;
}

std::string UnsubscribeHeaders(const std::string& url) {
  return absl::StrCat("List-Unsubscribe: <", url,
                      ">\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n");
}

absl::StatusOr<int64_t> QueueMail(MailQueue& queue, AppContext& context,
                                  const NoticeContent& content, StatusTokenSubject subject,
                                  core::UserId user_id, const std::string& address,
                                  const std::string& name) {
  const std::string unsubscribe =
      absl::StrCat(content.page.url, "/status/unsubscribe?token=",
                   MakeStatusToken(context.crypto, StatusTokenPurpose::kUnsubscribe, subject));
  MailRequest request;
  request.kind = std::string(kMailStatusNotice);
  request.recipient_id = user_id;
  request.recipient_email = address;
  request.recipient_name = name;
  request.values = content.values;
  request.values["unsubscribe_url"] = unsubscribe;
  request.extra_headers = UnsubscribeHeaders(unsubscribe);
  return queue.Queue(request);
}

absl::Status QueueWebhook(ports::StoreTransaction& txn, AppContext& context,
                          const NoticeContent& content, const ports::StatusSubscriber& subscriber,
                          absl::Time now) {
  ports::Notification delivery;
  delivery.kind = std::string(kStatusWebhookKind);
  delivery.recipient_email = subscriber.address;
  delivery.subject = content.incident.name;
  delivery.body = content.webhook;
  delivery.created_at = now;
  delivery.message_id = absl::StrCat("webhook-", context.crypto.RandomToken());
  const std::string signature = context.crypto.HmacSha256(
      StatusWebhookSecret(context.crypto, subscriber.id), content.webhook);
  delivery.extra_headers =
      absl::StrCat("X-Casedesk-Signature: sha256=", absl::BytesToHexString(signature), "\n");
  absl::StatusOr<int64_t> id = txn.InsertNotification(delivery);
  return id.status();
}

// One chunk of the notice: returns how many were queued; moves the cursors (and done_at).
absl::StatusOr<int64_t> RunChunk(ports::StoreTransaction& txn, AppContext& context,
                                 const NoticeContent& content, ports::StatusNotice& notice,
                                 const StatusNoticeOptions& options, absl::Time now) {
  MailQueue queue(MailQueueEnvironment{now, &context.crypto, context.mail_from}, txn);
  int64_t queued = 0;
  const std::vector<core::ComponentId>& affected = content.incident.component_ids;
  if (notice.subscriber_cursor == 0) {
    absl::StatusOr<std::vector<core::User>> users =
        txn.ListVerifiedUsers(notice.user_cursor, options.chunk);
    if (!users.ok()) return users.status();
    for (const core::User& user : *users) {
      notice.user_cursor = user.id;
      const auto preference = content.preferences.find(user.id);
      if (preference != content.preferences.end() &&
          (preference->second.opted_out ||
           !WantsEvent(preference->second.component_ids, affected))) {
        continue;
      }
      absl::StatusOr<int64_t> id =
          QueueMail(queue, context, content, {true, user.id}, user.id, user.email, user.name);
      if (!id.ok()) return id.status();
      ++queued;
    }
    // A store may return less than asked for: only an empty page ends the users.
    if (!users->empty()) return queued;
    notice.subscriber_cursor = -1;  // users done; visitors and webhooks next (ids start at 1)
  }
  absl::StatusOr<std::vector<ports::StatusSubscriber>> subscribers = txn.ListStatusSubscribers(
      false, std::max<int64_t>(notice.subscriber_cursor, 0), options.chunk);
  if (!subscribers.ok()) return subscribers.status();
  for (const ports::StatusSubscriber& subscriber : *subscribers) {
    notice.subscriber_cursor = subscriber.id;
    if (!subscriber.confirmed_at || subscriber.unsubscribed_at ||
        !WantsEvent(subscriber.component_ids, affected)) {
      continue;
    }
    if (subscriber.kind == ports::SubscriberKind::kEmail) {
      // A user who also subscribed as a visitor hears through the user's own subscription.
      absl::StatusOr<core::User> user = txn.FindUserByEmail(subscriber.address);
      if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
      if (user.ok() && user->verified && user->active) continue;
    }
    if (subscriber.kind == ports::SubscriberKind::kWebhook) {
      if (absl::Status queued_webhook = QueueWebhook(txn, context, content, subscriber, now);
          !queued_webhook.ok()) {
        return queued_webhook;
      }
    } else {
      absl::StatusOr<int64_t> id =
          QueueMail(queue, context, content, {false, subscriber.id}, 0, subscriber.address, "");
      if (!id.ok()) return id.status();
    }
    ++queued;
  }
  if (subscribers->empty()) notice.done_at = now;
  return queued;
}

}  // namespace

absl::StatusOr<StatusNoticeReport> FanOutStatusNotices(AppContext& context,
                                                       const StatusNoticeOptions& options,
                                                       const std::atomic<bool>* stopping) {
  StatusNoticeReport report;
  while (stopping == nullptr || !stopping->load()) {
    const absl::Time claimed_at = context.clock.Now();
    absl::StatusOr<std::optional<ports::StatusNotice>> claimed =
        Await<std::optional<ports::StatusNotice>>(
            [&](Done<std::optional<ports::StatusNotice>> done) {
              WriteValue<std::optional<ports::StatusNotice>>(
                  context.store,
                  [&](ports::StoreTransaction& txn) {
                    return txn.ClaimStatusNotice(claimed_at, claimed_at + options.lease);
                  },
                  std::move(done));
            });
    if (!claimed.ok()) return claimed.status();
    if (!claimed->has_value()) return report;
    ports::StatusNotice notice = **claimed;
    absl::StatusOr<NoticeContent> content = ReadValue<NoticeContent>(
        context.store,
        [&](ports::StoreTransaction& txn) { return LoadContent(txn, context, notice); });
    if (!content.ok()) return content.status();
    while (!notice.done_at && (stopping == nullptr || !stopping->load())) {
      const absl::Time now = context.clock.Now();
      ports::StatusNotice next = notice;
      absl::StatusOr<int64_t> queued = Await<int64_t>([&](Done<int64_t> done) {
        WriteValue<int64_t>(
            context.store,
            [&](ports::StoreTransaction& txn) -> absl::StatusOr<int64_t> {
              next = notice;  // a retried unit starts from the same cursors
              absl::StatusOr<int64_t> count = RunChunk(txn, context, *content, next, options, now);
              if (!count.ok()) return count.status();
              next.claimed_until = now + options.lease;
              if (absl::Status saved = txn.UpdateStatusNotice(next); !saved.ok()) return saved;
              return count;
            },
            std::move(done));
      });
      if (!queued.ok()) return queued.status();
      notice = next;
      report.queued += *queued;
      if (*queued > 0 && context.outbox_changed) context.outbox_changed();
    }
    if (notice.done_at) ++report.notices;
  }
  return report;
}

}  // namespace casedesk::app

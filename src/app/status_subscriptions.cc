#include "app/status_subscriptions.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/outbox.h"
#include "app/status_components.h"
#include "app/status_page_settings.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

constexpr size_t kMacHexLength = 32;  // 128 bits of the MAC: plenty for a link
constexpr size_t kMaxUrlLength = 2000;

std::string_view PurposeName(StatusTokenPurpose purpose) {
  return purpose == StatusTokenPurpose::kConfirm ? "confirm" : "unsubscribe";
}

std::string SubjectText(StatusTokenSubject subject) {
  return absl::StrCat(subject.user ? "u" : "s", subject.id);
}

std::string TokenMac(const ports::Crypto& crypto, StatusTokenPurpose purpose,
                     std::string_view subject) {
  const std::string mac = crypto.Mac(
      absl::StrCat("status-token:", std::string(PurposeName(purpose)), ":", std::string(subject)));
  return absl::BytesToHexString(mac).substr(0, kMacHexLength);
}

absl::Status RequireSubscriptionAdmin(const core::Viewer& viewer) {
  if (core::IsAdmin(viewer)) return absl::OkStatus();
  return absl::NotFoundError("not found");
}

absl::Status CheckComponents(ports::StoreTransaction& txn,
                             const std::vector<core::ComponentId>& ids) {
  for (core::ComponentId id : ids) {
    absl::StatusOr<core::StatusComponent> component = txn.GetStatusComponent(id);
    if (absl::IsNotFound(component.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("component_ids: ", id, " is not a status component"));
    }
    if (!component.ok()) return component.status();
  }
  return absl::OkStatus();
}

std::vector<core::ComponentId> Unique(std::vector<core::ComponentId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

bool IsLoopbackHttp(std::string_view url) {
  for (std::string_view prefix : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    if (url.starts_with(prefix) &&
        (url.size() == prefix.size() || url[prefix.size()] == ':' || url[prefix.size()] == '/')) {
      return true;
    }
  }
  return false;
}

absl::Status CheckWebhookUrl(std::string_view url) {
  if (url.size() > kMaxUrlLength || url.find_first_of(" \r\n\t<>\"") != std::string_view::npos) {
    return absl::InvalidArgumentError("url: not a usable URL");
  }
  if (!(url.starts_with("https://") && url.size() > 8) && !IsLoopbackHttp(url)) {
    return absl::InvalidArgumentError(
        "url: must be an https URL (plain http only to a loopback address)");
  }
  return absl::OkStatus();
}

}  // namespace

std::string MakeStatusToken(const ports::Crypto& crypto, StatusTokenPurpose purpose,
                            StatusTokenSubject subject) {
  const std::string text = SubjectText(subject);
  return absl::StrCat(text, ".", TokenMac(crypto, purpose, text));
}

absl::StatusOr<StatusTokenSubject> CheckStatusToken(const ports::Crypto& crypto,
                                                    StatusTokenPurpose purpose,
                                                    std::string_view token) {
  const absl::Status invalid = absl::InvalidArgumentError("token: not a valid link");
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot < 2) return invalid;
  const std::string_view subject = token.substr(0, dot);
  StatusTokenSubject parsed;
  if (subject[0] != 'u' && subject[0] != 's') return invalid;
  parsed.user = subject[0] == 'u';
  if (!absl::SimpleAtoi(std::string(subject.substr(1)), &parsed.id) || parsed.id <= 0)
    return invalid;
  if (!crypto.ConstantTimeEquals(token.substr(dot + 1), TokenMac(crypto, purpose, subject))) {
    return invalid;
  }
  return parsed;
}

std::string StatusWebhookSecret(const ports::Crypto& crypto, int64_t subscriber_id) {
  return absl::BytesToHexString(crypto.Mac(absl::StrCat("status-webhook:", subscriber_id)));
}

bool WantsEvent(const std::vector<core::ComponentId>& wanted,
                const std::vector<core::ComponentId>& affected) {
  if (wanted.empty() || affected.empty()) return true;
  return std::any_of(wanted.begin(), wanted.end(), [&](core::ComponentId id) {
    return std::find(affected.begin(), affected.end(), id) != affected.end();
  });
}

void SubscribeVisitor(AppContext& context, std::string email,
                      std::vector<core::ComponentId> component_ids, Done<bool> done) {
  const std::string address = core::NormaliseEmail(email);
  if (address.empty()) return done(absl::InvalidArgumentError("email: not an email address"));
  const absl::Time now = context.clock.Now();
  MailQueueEnvironment environment{now, &context.crypto, context.mail_from};
  auto work = [address, component_ids = Unique(std::move(component_ids)), now, environment,
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
    if (absl::Status known = CheckComponents(txn, component_ids); !known.ok()) return known;
    absl::StatusOr<std::optional<ports::StatusSubscriber>> existing =
        txn.FindStatusSubscriberByAddress(ports::SubscriberKind::kEmail, address);
    if (!existing.ok()) return existing.status();
    ports::StatusSubscriber subscriber;
    if (existing->has_value()) {
      subscriber = **existing;
      const bool active = subscriber.confirmed_at && !subscriber.unsubscribed_at;
      subscriber.component_ids = component_ids;
      if (active) {
        // Already receiving notices: take the new component choice, send nothing.
        if (absl::Status updated = txn.UpdateStatusSubscriber(subscriber); !updated.ok()) {
          return updated;
        }
        return true;
      }
      subscriber.confirmed_at.reset();
      subscriber.unsubscribed_at.reset();
      if (absl::Status updated = txn.UpdateStatusSubscriber(subscriber); !updated.ok()) {
        return updated;
      }
    } else {
      subscriber.kind = ports::SubscriberKind::kEmail;
      subscriber.address = address;
      subscriber.component_ids = component_ids;
      subscriber.created_at = now;
      absl::StatusOr<int64_t> id = txn.InsertStatusSubscriber(subscriber);
      if (!id.ok()) return id.status();
      subscriber.id = *id;
    }
    absl::StatusOr<StatusPageInfo> page = LoadStatusPageInfo(txn, context.public_url);
    if (!page.ok()) return page.status();
    MailRequest request;
    request.kind = std::string(kMailStatusConfirm);
    request.recipient_email = address;
    request.values = {
        {"link", absl::StrCat(page->url, "/status/confirm?token=",
                              MakeStatusToken(context.crypto, StatusTokenPurpose::kConfirm,
                                              {false, subscriber.id}))},
        {"page_url", page->url + "/status"}};
    MailQueue queue(environment, txn);
    if (absl::StatusOr<int64_t> queued = queue.Queue(request); !queued.ok()) {
      return queued.status();
    }
    return true;
  };
  WriteValue<bool>(context.store, std::move(work), AfterStatusChange(context, std::move(done)));
}

void ConfirmVisitor(AppContext& context, std::string token, Done<ports::StatusSubscriber> done) {
  absl::StatusOr<StatusTokenSubject> subject =
      CheckStatusToken(context.crypto, StatusTokenPurpose::kConfirm, token);
  if (!subject.ok()) return done(subject.status());
  if (subject->user) return done(absl::InvalidArgumentError("token: not a valid link"));
  const absl::Time now = context.clock.Now();
  auto work = [id = subject->id,
               now](ports::StoreTransaction& txn) -> absl::StatusOr<ports::StatusSubscriber> {
    absl::StatusOr<ports::StatusSubscriber> subscriber = txn.GetStatusSubscriber(id);
    if (absl::IsNotFound(subscriber.status())) {
      return absl::NotFoundError("this subscription no longer exists");
    }
    if (!subscriber.ok()) return subscriber.status();
    // An old link does not bring back a subscription that was cancelled since; subscribing
    // again sends a new one.
    if (subscriber->unsubscribed_at) {
      return absl::NotFoundError("this subscription was cancelled; please subscribe again");
    }
    if (subscriber->confirmed_at) return subscriber;
    subscriber->confirmed_at = now;
    if (absl::Status updated = txn.UpdateStatusSubscriber(*subscriber); !updated.ok()) {
      return updated;
    }
    return subscriber;
  };
  WriteValue<ports::StatusSubscriber>(context.store, std::move(work),
                                      AfterStatusChange(context, std::move(done)));
}

void UnsubscribeByToken(AppContext& context, std::string token, Done<bool> done) {
  absl::StatusOr<StatusTokenSubject> subject =
      CheckStatusToken(context.crypto, StatusTokenPurpose::kUnsubscribe, token);
  if (!subject.ok()) return done(subject.status());
  const absl::Time now = context.clock.Now();
  auto work = [subject = *subject, now](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
    if (!subject.user) {
      absl::StatusOr<ports::StatusSubscriber> subscriber = txn.GetStatusSubscriber(subject.id);
      if (absl::IsNotFound(subscriber.status())) return true;  // removed: nothing to send
      if (!subscriber.ok()) return subscriber.status();
      if (subscriber->unsubscribed_at) return true;
      subscriber->unsubscribed_at = now;
      if (absl::Status updated = txn.UpdateStatusSubscriber(*subscriber); !updated.ok()) {
        return updated;
      }
      return true;
    }
    absl::StatusOr<core::User> user = txn.GetUser(subject.id);
    if (absl::IsNotFound(user.status())) return true;
    if (!user.ok()) return user.status();
    absl::StatusOr<std::optional<ports::StatusSubscriber>> row =
        txn.FindUserStatusSubscription(subject.id);
    if (!row.ok()) return row.status();
    if (row->has_value()) {
      ports::StatusSubscriber preferences = **row;
      if (preferences.opted_out) return true;
      preferences.opted_out = true;
      if (absl::Status updated = txn.UpdateStatusSubscriber(preferences); !updated.ok()) {
        return updated;
      }
      return true;
    }
    ports::StatusSubscriber preferences;
    preferences.kind = ports::SubscriberKind::kEmail;
    preferences.address = user->email;
    preferences.user_id = user->id;
    preferences.opted_out = true;
    preferences.created_at = now;
    absl::StatusOr<int64_t> id = txn.InsertStatusSubscriber(preferences);
    if (!id.ok()) return id.status();
    return true;
  };
  WriteValue<bool>(context.store, std::move(work), std::move(done));
}

namespace {

MyStatusSubscription SubscriptionOf(const core::User& user,
                                    const std::optional<ports::StatusSubscriber>& row) {
  MyStatusSubscription mine;
  mine.eligible = user.verified && user.active;
  mine.subscribed = !(row && row->opted_out);
  if (row) mine.component_ids = row->component_ids;
  return mine;
}

}  // namespace

absl::StatusOr<MyStatusSubscription> GetMyStatusSubscription(AppContext& context,
                                                             const Caller& caller) {
  return ReadValue<MyStatusSubscription>(
      context.store,
      [&caller](ports::StoreTransaction& txn) -> absl::StatusOr<MyStatusSubscription> {
        absl::StatusOr<std::optional<ports::StatusSubscriber>> row =
            txn.FindUserStatusSubscription(caller.user.id);
        if (!row.ok()) return row.status();
        return SubscriptionOf(caller.user, *row);
      });
}

void SetMyStatusSubscription(AppContext& context, const Caller& caller, bool subscribed,
                             std::vector<core::ComponentId> component_ids,
                             Done<MyStatusSubscription> done) {
  const absl::Time now = context.clock.Now();
  auto work = [user = caller.user, subscribed, component_ids = Unique(std::move(component_ids)),
               now](ports::StoreTransaction& txn) -> absl::StatusOr<MyStatusSubscription> {
    if (absl::Status known = CheckComponents(txn, component_ids); !known.ok()) return known;
    absl::StatusOr<std::optional<ports::StatusSubscriber>> row =
        txn.FindUserStatusSubscription(user.id);
    if (!row.ok()) return row.status();
    ports::StatusSubscriber preferences;
    if (row->has_value()) preferences = **row;
    preferences.kind = ports::SubscriberKind::kEmail;
    preferences.address = user.email;
    preferences.user_id = user.id;
    preferences.opted_out = !subscribed;
    preferences.component_ids = component_ids;
    if (row->has_value()) {
      if (absl::Status updated = txn.UpdateStatusSubscriber(preferences); !updated.ok()) {
        return updated;
      }
    } else {
      preferences.created_at = now;
      absl::StatusOr<int64_t> id = txn.InsertStatusSubscriber(preferences);
      if (!id.ok()) return id.status();
      preferences.id = *id;
    }
    return SubscriptionOf(user, preferences);
  };
  WriteValue<MyStatusSubscription>(context.store, std::move(work), std::move(done));
}

void AddStatusWebhook(AppContext& context, const core::Viewer& viewer, NewStatusWebhook request,
                      Done<StatusWebhookCreated> done) {
  if (absl::Status admin = RequireSubscriptionAdmin(viewer); !admin.ok()) return done(admin);
  if (absl::Status url = CheckWebhookUrl(request.url); !url.ok()) return done(url);
  const absl::Time now = context.clock.Now();
  auto work = [request = std::move(request), now, actor = viewer.user_id,
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<StatusWebhookCreated> {
    const std::vector<core::ComponentId> components = Unique(request.component_ids);
    if (absl::Status known = CheckComponents(txn, components); !known.ok()) return known;
    ports::StatusSubscriber subscriber;
    subscriber.kind = ports::SubscriberKind::kWebhook;
    subscriber.address = request.url;
    subscriber.component_ids = components;
    subscriber.confirmed_at = now;  // an admin registered it
    subscriber.created_at = now;
    absl::StatusOr<int64_t> id = txn.InsertStatusSubscriber(subscriber);
    if (absl::IsAlreadyExists(id.status())) {
      return absl::AlreadyExistsError("url: a webhook for this URL already exists");
    }
    if (!id.ok()) return id.status();
    subscriber.id = *id;
    absl::StatusOr<core::EventId> event =
        txn.AppendEvent(MakeAuditEvent("status_subscriber", absl::StrCat(*id), actor, now,
                                       "status_webhook.created", {{"url", "", request.url}}));
    if (!event.ok()) return event.status();
    return StatusWebhookCreated{subscriber, StatusWebhookSecret(context.crypto, *id)};
  };
  WriteValue<StatusWebhookCreated>(context.store, std::move(work), std::move(done));
}

absl::StatusOr<std::vector<ports::StatusSubscriber>> ListStatusSubscribers(
    AppContext& context, const core::Viewer& viewer, int64_t after_id, int limit) {
  if (absl::Status admin = RequireSubscriptionAdmin(viewer); !admin.ok()) return admin;
  return ReadValue<std::vector<ports::StatusSubscriber>>(
      context.store, [after_id, limit](ports::StoreTransaction& txn) {
        return txn.ListStatusSubscribers(false, after_id, limit);
      });
}

void RemoveStatusSubscriber(AppContext& context, const core::Viewer& viewer, int64_t id,
                            Done<bool> done) {
  if (absl::Status admin = RequireSubscriptionAdmin(viewer); !admin.ok()) return done(admin);
  const absl::Time now = context.clock.Now();
  auto work = [id, now,
               actor = viewer.user_id](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
    absl::StatusOr<ports::StatusSubscriber> subscriber = txn.GetStatusSubscriber(id);
    if (!subscriber.ok() && !absl::IsNotFound(subscriber.status())) return subscriber.status();
    if (!subscriber.ok() || subscriber->user_id != 0) {
      return absl::NotFoundError(absl::StrCat("subscriber ", id, " not found"));
    }
    if (subscriber->unsubscribed_at) return true;
    subscriber->unsubscribed_at = now;
    if (absl::Status updated = txn.UpdateStatusSubscriber(*subscriber); !updated.ok()) {
      return updated;
    }
    absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
        "status_subscriber", absl::StrCat(id), actor, now, "status_subscriber.removed"));
    if (!event.ok()) return event.status();
    return true;
  };
  WriteValue<bool>(context.store, std::move(work), std::move(done));
}

}  // namespace casedesk::app

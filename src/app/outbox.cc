#include "app/outbox.h"

#include <cctype>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "app/mail_templates.h"
#include "core/mail_compose.h"
#include "core/mail_threading.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using json = nlohmann::json;

// Message-IDs stay well inside the 250 characters the composer accepts.
constexpr size_t kMaxUniquePart = 120;

// An injective, Message-ID-safe spelling of a unique key ("=XX" for anything but [A-Za-z0-9._-]);
// a very long key is replaced by its 64-bit FNV-1a hash, which is still stable.
std::string UniquePartFromKey(std::string_view key) {
  std::string out = "k.";
  for (char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '.' || c == '-' || c == '_') {
      out.push_back(c);
    } else {
      absl::StrAppendFormat(&out, "=%02X", byte);
    }
  }
  if (out.size() <= kMaxUniquePart) return out;
  uint64_t hash = 14695981039346656037ull;
  for (char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return absl::StrFormat("h.%016x", hash);
}

std::string DomainFor(const MailIdentity& identity, const MailDeskSettings& desk) {
  std::string domain = core::MailDomainOf(identity.address);
  if (domain.empty()) domain = desk.reply_domain;
  return domain;
}

}  // namespace

std::string CaseRootMessageId(core::CaseNumber number, std::string_view domain) {
  return core::MakeMessageId(absl::StrCat("case-", number), domain);
}

void WakeOutbox(const AppContext& context) {
  if (context.outbox_changed) context.outbox_changed();
}

absl::StatusOr<MailIdentity> ResolveMailIdentity(ports::StoreTransaction& txn,
                                                 const MailDeskSettings& desk,
                                                 std::string_view mail_from,
                                                 std::optional<core::OrgId> sender_org) {
  MailIdentity identity;
  identity.address = desk.from_address.empty() ? std::string(mail_from) : desk.from_address;
  identity.name = desk.from_name;
  if (!sender_org) return identity;
  absl::StatusOr<OrganisationMailSettings> org = LoadOrganisationMailSettings(txn, *sender_org);
  if (!org.ok()) return org.status();
  if (org->sender_address.empty()) return identity;
  // The partner's customers hear from the partner only: none of the desk's details remain.
  identity.address = org->sender_address;
  identity.name = org->sender_name;
  identity.signature = org->signature;
  return identity;
}

absl::StatusOr<int64_t> QueueMail(AppContext& context, ports::StoreTransaction& txn,
                                  const MailRequest& request) {
  return QueueMail(
      MailQueueEnvironment{
          .now = context.clock.Now(), .crypto = &context.crypto, .mail_from = context.mail_from},
      txn, request);
}

absl::StatusOr<int64_t> QueueMail(const MailQueueEnvironment& environment,
                                  ports::StoreTransaction& txn, const MailRequest& request) {
  return MailQueue(environment, txn).Queue(request);
}

MailQueue::MailQueue(MailQueueEnvironment environment, ports::StoreTransaction& txn)
    : environment_(std::move(environment)), txn_(txn) {}

MailQueue::~MailQueue() = default;

absl::StatusOr<const MailDeskSettings*> MailQueue::Desk() {
  if (!desk_) {
    absl::StatusOr<MailDeskSettings> loaded = LoadMailDeskSettings(txn_);
    if (!loaded.ok()) return loaded.status();
    desk_ = *std::move(loaded);
  }
  return &*desk_;
}

absl::StatusOr<const MailTemplate*> MailQueue::Template(const std::string& kind) {
  auto found = templates_.find(kind);
  if (found == templates_.end()) {
    absl::StatusOr<MailTemplate> loaded = LoadMailTemplate(txn_, kind);
    if (!loaded.ok()) return loaded.status();
    found = templates_.emplace(kind, *std::move(loaded)).first;
  }
  return &found->second;
}

absl::StatusOr<const MailIdentity*> MailQueue::Sender(std::optional<core::OrgId> sender_org) {
  auto found = senders_.find(sender_org);
  if (found == senders_.end()) {
    absl::StatusOr<const MailDeskSettings*> desk = Desk();
    if (!desk.ok()) return desk.status();
    absl::StatusOr<MailIdentity> loaded =
        ResolveMailIdentity(txn_, **desk, environment_.mail_from, sender_org);
    if (!loaded.ok()) return loaded.status();
    found = senders_.emplace(sender_org, *std::move(loaded)).first;
  }
  return &found->second;
}

absl::StatusOr<int64_t> MailQueue::Queue(const MailRequest& request) {
  absl::StatusOr<ports::Notification> notification = Compose(request);
  if (!notification.ok()) return notification.status();
  return txn_.InsertNotification(*notification);
}

absl::Status MailQueue::Record(const MailRequest& request) {
  absl::StatusOr<ports::Notification> notification = Compose(request);
  if (!notification.ok()) return notification.status();
  // A Message-ID made from a unique key may exist already (the insert then says so); a random
  // one cannot.
  if (!request.unique_key.empty()) return txn_.InsertNotification(*notification).status();
  return txn_.RecordNotification(*notification);
}

absl::StatusOr<ports::Notification> MailQueue::Compose(const MailRequest& request) {
  const MailQueueEnvironment& environment = environment_;
  ports::StoreTransaction& txn = txn_;
  const std::string recipient = core::NormaliseEmail(request.recipient_email);
  if (recipient.empty() || !core::IsValidMailAddress(recipient)) {
    return absl::InvalidArgumentError("recipient_email: not a usable mail address");
  }
  if (request.unique_key.empty() && environment.crypto == nullptr) {
    return absl::InvalidArgumentError("unique_key: required when no random source is given");
  }
  absl::StatusOr<const MailTemplate*> content = Template(request.kind);
  if (!content.ok()) return content.status();
  absl::StatusOr<const MailDeskSettings*> desk = Desk();
  if (!desk.ok()) return desk.status();
  absl::StatusOr<const MailIdentity*> sender = Sender(request.sender_org);
  if (!sender.ok()) return sender.status();

  json values = request.values.is_object() ? request.values : json::object();
  const auto set_default = [&](const char* key, json value) {
    if (!values.contains(key)) values[key] = std::move(value);
  };
  set_default("recipient_name", request.recipient_name);
  set_default("desk_name", (*sender)->name);
  if (request.case_number != 0) {
    set_default("case_number", request.case_number);
    if (!values.contains("case_subject")) {
      absl::StatusOr<core::Case> record = txn.GetCase(request.case_number);
      if (!record.ok()) return record.status();
      values["case_subject"] = record->subject;
    }
  }
  absl::StatusOr<RenderedMail> rendered = RenderMailTemplate(request.kind, **content, values);
  if (!rendered.ok()) return rendered.status();

  const std::string domain = DomainFor(**sender, **desk);
  ports::Notification notification;
  notification.case_number = request.case_number;
  notification.kind = request.kind;
  notification.recipient_id = request.recipient_id;
  notification.recipient_email = recipient;
  notification.subject =
      request.case_number == 0
          ? rendered->subject
          : core::TagSubject(rendered->subject, (*desk)->case_tag_prefix, request.case_number);
  notification.body = rendered->body;
  if (!(*sender)->signature.empty()) {
    absl::StrAppend(&notification.body, notification.body.ends_with('\n') ? "" : "\n", "-- \n",
                    (*sender)->signature, (*sender)->signature.ends_with('\n') ? "" : "\n");
  }
  notification.created_at = environment.now;
  notification.extra_headers = request.extra_headers;
  notification.message_id =
      core::MakeMessageId(request.unique_key.empty() ? environment.crypto->RandomToken()
                                                     : UniquePartFromKey(request.unique_key),
                          domain);
  // An inbound id we cannot write into a header is not threaded to; the root still is.
  const std::string answered =
      core::IsValidMessageId(request.in_reply_to) ? request.in_reply_to : std::string();
  if (request.case_number != 0) {
    const std::string root = CaseRootMessageId(request.case_number, domain);
    std::vector<std::string> references = {root};
    if (!answered.empty() && answered != root) references.push_back(answered);
    notification.in_reply_to = answered.empty() ? root : answered;
    notification.references = absl::StrJoin(references, " ");
    for (const std::string& id : {root, notification.message_id}) {
      if (absl::Status recorded = txn.RecordMailThread(id, request.case_number); !recorded.ok()) {
        return recorded;
      }
    }
  } else {
    notification.in_reply_to = answered;
    notification.references = answered;
  }
  notification.from_address = (*sender)->address;
  notification.from_name = (*sender)->name;
  notification.automatic = request.automatic;
  return notification;
}

}  // namespace casedesk::app

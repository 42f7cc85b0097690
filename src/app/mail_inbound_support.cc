#include "app/mail_inbound_support.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "app/attachments.h"
#include "app/authenticate.h"
#include "app/outbox.h"
#include "core/case.h"
#include "core/mail_threading.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

std::vector<std::string> AddressesOf(const std::vector<core::MailAddress>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const core::MailAddress& address : list) out.push_back(address.address);
  return out;
}

absl::StatusOr<std::optional<core::Case>> CaseIfExists(ports::StoreTransaction& txn,
                                                       core::CaseNumber number) {
  absl::StatusOr<core::Case> record = txn.GetCase(number);
  if (absl::IsNotFound(record.status())) return std::nullopt;
  if (!record.ok()) return record.status();
  return *std::move(record);
}

}  // namespace

absl::StatusOr<std::vector<StoredMailAttachment>> StoreMailAttachments(
    AppContext& context, const core::ParsedMail& mail) {
  std::vector<StoredMailAttachment> stored;
  for (const core::MailAttachment& attachment : mail.attachments) {
    if (stored.size() >= kMaxMailAttachments) break;
    if (static_cast<int64_t>(attachment.content.size()) > context.limits.max_attachment_bytes) {
      continue;
    }
    absl::StatusOr<std::string> digest = context.blobs.Put(attachment.content);
    if (!digest.ok()) {
      return absl::UnavailableError("an attachment could not be stored: " +
                                    std::string(digest.status().message()));
    }
    stored.push_back({*std::move(digest), core::SanitiseFilename(attachment.filename),
                      NormaliseContentType(attachment.content_type),
                      static_cast<int64_t>(attachment.content.size())});
  }
  return stored;
}

core::RouteDecision RouteFor(const MailDeskSettings& settings, std::string_view envelope_to,
                             const core::ParsedMail& mail) {
  std::vector<core::RouteRule> rules;
  rules.reserve(settings.routes.size());
  for (const MailRoute& route : settings.routes) {
    rules.push_back({route.address,
                     route.action == MailRouteAction::kEscalate ? core::RouteAction::kEscalate
                                                                : core::RouteAction::kOpenCase,
                     route.severity});
  }
  return core::PickRoute(rules, envelope_to, AddressesOf(mail.to), AddressesOf(mail.cc));
}

std::string ExpectedReplyToken(const ports::Crypto& crypto, core::CaseNumber number) {
  return core::HexLower(crypto.Mac(core::ReplyTokenMessage(number)))
      .substr(0, core::kReplyTokenLength);
}

absl::StatusOr<ThreadLookup> FindMailThread(ports::StoreTransaction& txn, AppContext& context,
                                            const MailDeskSettings& settings,
                                            std::string_view envelope_to,
                                            const core::ParsedMail& mail) {
  ThreadLookup lookup;
  if (!settings.reply_domain.empty()) {
    std::vector<std::string> recipients = {std::string(envelope_to)};
    for (const auto* list : {&mail.to, &mail.cc}) {
      for (const core::MailAddress& address : *list) recipients.push_back(address.address);
    }
    for (const std::string& recipient : recipients) {
      std::optional<core::ReplyAddress> reply =
          core::ParseReplyAddress(recipient, settings.reply_local_part, settings.reply_domain);
      if (!reply) continue;
      const std::string expected = ExpectedReplyToken(context.crypto, reply->number);
      if (reply->token.size() != expected.size() ||
          !context.crypto.ConstantTimeEquals(reply->token, expected)) {
        lookup.forged_reply_address = true;
        continue;
      }
      absl::StatusOr<std::optional<core::Case>> record = CaseIfExists(txn, reply->number);
      if (!record.ok()) return record.status();
      if (*record) {
        lookup.thread = MailThread{**std::move(record), core::ThreadSource::kReplyAddress};
        return lookup;
      }
    }
  }
  std::vector<std::string> ids;
  if (!mail.in_reply_to.empty()) ids.push_back(mail.in_reply_to);
  for (auto it = mail.references.rbegin(); it != mail.references.rend(); ++it) {
    if (!it->empty() && std::find(ids.begin(), ids.end(), *it) == ids.end()) ids.push_back(*it);
  }
  if (!ids.empty()) {
    absl::StatusOr<std::optional<core::CaseNumber>> number = txn.FindCaseByMessageIds(ids);
    if (!number.ok()) return number.status();
    if (*number) {
      absl::StatusOr<std::optional<core::Case>> record = CaseIfExists(txn, **number);
      if (!record.ok()) return record.status();
      if (*record) {
        lookup.thread = MailThread{**std::move(record), core::ThreadSource::kMessageId};
        return lookup;
      }
    }
  }
  if (std::optional<core::CaseNumber> tagged =
          core::FindCaseTag(mail.subject, settings.case_tag_prefix)) {
    absl::StatusOr<std::optional<core::Case>> record = CaseIfExists(txn, *tagged);
    if (!record.ok()) return record.status();
    if (*record) lookup.thread = MailThread{**std::move(record), core::ThreadSource::kSubjectTag};
  }
  return lookup;
}

MailCaseContent CaseContentFor(const MailDeskSettings& settings, const core::RouteDecision& route,
                               const core::ParsedMail& mail,
                               std::vector<StoredMailAttachment> attachments, int64_t inbound_id) {
  MailCaseContent content;
  content.subject = MailCaseSubject(mail.subject, settings.case_tag_prefix);
  content.description = MailVisibleText(mail, core::kMaxDescriptionLength);
  content.severity = route.severity.value_or(settings.default_severity);
  content.attachments = std::move(attachments);
  content.cc_addresses = AddressesOf(mail.to);
  for (const core::MailAddress& address : mail.cc) content.cc_addresses.push_back(address.address);
  content.inbound_id = inbound_id;
  content.message_id = mail.message_id;
  return content;
}

absl::Status RecordMailThreadIds(ports::StoreTransaction& txn, const core::ParsedMail& mail,
                                 core::CaseNumber number) {
  if (mail.message_id.empty()) return absl::OkStatus();
  return txn.RecordMailThread(mail.message_id, number);
}

absl::StatusOr<core::Viewer> ViewerOfUser(ports::StoreTransaction& txn, core::UserId id) {
  absl::StatusOr<core::User> user = txn.GetUser(id);
  if (!user.ok()) return user.status();
  return ViewerForUser(txn, *user);
}

absl::Status QueueSenderNotice(ports::StoreTransaction& txn, AppContext& context,
                               std::string_view kind, const core::ParsedMail& mail,
                               const std::string& sender_address, absl::Time now) {
  MailRequest request;
  request.kind = std::string(kind);
  request.recipient_email = sender_address;
  if (mail.from) request.recipient_name = mail.from->name;
  // The template (mail_templates.h) explains how to register.
  request.values = {{"sender_address", sender_address}, {"original_subject", mail.subject}};
  request.in_reply_to = mail.message_id;
  request.automatic = true;
  absl::StatusOr<int64_t> queued = QueueMail(context, txn, request);
  if (!queued.ok()) return queued.status();
  absl::StatusOr<std::optional<ports::MailAddressState>> state =
      txn.GetMailAddressState(sender_address);
  if (!state.ok()) return state.status();
  ports::MailAddressState updated = state->value_or(ports::MailAddressState{});
  updated.address = sender_address;
  updated.last_notice_at = now;
  return txn.PutMailAddressState(updated);
}

}  // namespace casedesk::app

#include "adapters/mail/mail_json.h"

#include <istream>
#include <iterator>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/utc_time.h"

namespace casedesk::adapters::mail {
namespace {

nlohmann::json AddressJson(const core::MailAddress& address) {
  return {{"address", address.address}, {"name", address.name}};
}

nlohmann::json AddressListJson(const std::vector<core::MailAddress>& addresses) {
  nlohmann::json list = nlohmann::json::array();
  for (const core::MailAddress& address : addresses) list.push_back(AddressJson(address));
  return list;
}

}  // namespace

nlohmann::json ParsedMailToJson(const core::ParsedMail& mail) {
  nlohmann::json json;
  json["from"] = mail.from.has_value() ? AddressJson(*mail.from) : nlohmann::json(nullptr);
  json["to"] = AddressListJson(mail.to);
  json["cc"] = AddressListJson(mail.cc);
  json["subject"] = mail.subject;
  json["date"] = mail.date.has_value() ? nlohmann::json(core::FormatUtcSeconds(*mail.date))
                                        : nlohmann::json(nullptr);
  json["message_id"] = mail.message_id;
  json["in_reply_to"] = mail.in_reply_to;
  json["references"] = mail.references;
  json["text"] = mail.text;
  json["html"] = mail.html.has_value() ? nlohmann::json(*mail.html) : nlohmann::json(nullptr);
  json["reply"] = mail.reply;
  nlohmann::json attachments = nlohmann::json::array();
  for (const core::MailAttachment& attachment : mail.attachments) {
    attachments.push_back({{"filename", attachment.filename},
                           {"content_type", attachment.content_type},
                           {"size", attachment.content.size()},
                           {"content_id", attachment.content_id},
                           {"inline", attachment.inline_part}});
  }
  json["attachments"] = std::move(attachments);
  json["auto"] = std::string(core::AutoKindName(mail.auto_kind));
  json["bounced_recipients"] = mail.bounced_recipients;
  json["limits_hit"] = mail.limits_hit;
  return json;
}

absl::Status RunMailParse(std::istream& in, std::ostream& out, const ports::MailParser& parser) {
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return absl::UnavailableError("mail parse: reading the message from stdin failed");
  absl::StatusOr<core::ParsedMail> mail = parser.Parse(raw, core::MailLimits{});
  if (!mail.ok()) return mail.status();
  // Every string is UTF-8 by construction; `replace` keeps a bug from becoming an exception.
  out << ParsedMailToJson(*mail).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::mail

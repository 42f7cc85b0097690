#include "app/mail_templates.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/mail_compose.h"

namespace casedesk::app {
namespace {

using json = nlohmann::json;
namespace mustache = kainjow::mustache;

constexpr char kGreeting[] =
    "{{#recipient_name}}Hello {{recipient_name}},{{/recipient_name}}"
    "{{^recipient_name}}Hello,{{/recipient_name}}\n\n";
constexpr char kReplyHint[] =
    "To answer, reply to this message and keep the case number in the subject; your reply is "
    "added to the case.\n";
constexpr char kAutomaticHint[] =
    "This message was sent automatically; replies to it are not read.\n";
constexpr char kClosing[] = "\n{{desk_name}}\n";

const std::map<std::string, MailTemplate, std::less<>>& Defaults() {
  static const auto* defaults = new std::map<std::string, MailTemplate, std::less<>>{
      {std::string(kMailCaseOpened),
       {"Case opened: {{case_subject}}",
        absl::StrCat(kGreeting,
                     "we have received your request and opened case #{{case_number}}:\n"
                     "{{case_subject}}\n\nSeverity: {{severity}}\n\n",
                     kReplyHint, kClosing)}},
      {std::string(kMailCaseReply),
       {"New reply: {{case_subject}}",
        absl::StrCat("{{author_name}} replied to case #{{case_number}} ({{case_subject}}):\n\n"
                     "{{comment}}\n\n",
                     kReplyHint, kClosing)}},
      {std::string(kMailCaseStatus),
       {"Status {{status}}: {{case_subject}}",
        absl::StrCat(kGreeting,
                     "the status of case #{{case_number}} ({{case_subject}}) changed from "
                     "{{previous_status}} to {{status}}.\n\n{{#comment}}{{comment}}\n\n"
                     "{{/comment}}",
                     kReplyHint, kClosing)}},
      {std::string(kMailCaseSeverity),
       {"Severity {{severity}}: {{case_subject}}",
        absl::StrCat(kGreeting,
                     "the severity of case #{{case_number}} ({{case_subject}}) changed from "
                     "{{previous_severity}} to {{severity}}.\n\n{{#comment}}{{comment}}\n\n"
                     "{{/comment}}",
                     kReplyHint, kClosing)}},
      {std::string(kMailSlaWarning),
       {"SLA warning: {{clock}} - {{case_subject}}",
        "Case #{{case_number}} (severity {{severity}}) is about to miss its {{clock}} target; "
        "the warning point was {{due_at}}.\n\nSubject: {{case_subject}}\n"}},
      {std::string(kMailSlaBreached),
       {"SLA breached: {{clock}} - {{case_subject}}",
        "Case #{{case_number}} (severity {{severity}}) missed its {{clock}} target at "
        "{{due_at}}.\n\nSubject: {{case_subject}}\n"}},
      {std::string(kMailEscalation),
       {"Escalated (severity {{severity}}): {{case_subject}}",
        "Case #{{case_number}} was escalated to you by the escalation policy \"{{policy}}\" "
        "(level {{level}}, trigger {{trigger}}{{#clock}}, clock {{clock}}{{/clock}}).\n\n"
        "Subject: {{case_subject}}\n"}},
      // Also answers a sign-up from an address no organisation claims (`sign_up` set).
      {std::string(kMailUnknownSender),
       {"{{#sign_up}}About your sign-up{{/sign_up}}"
        "{{^sign_up}}Your message was not accepted{{/sign_up}}",
        absl::StrCat(
            "Hello,\n\n{{#sign_up}}someone (hopefully you) asked to sign up for support with "
            "{{sender_address}}, but that address does not belong to an organisation registered "
            "with our support desk, so no account was opened.\n\nTo get support, ask your "
            "organisation's support administrator to invite {{sender_address}} as a contact. If "
            "you did not ask for this, you can ignore this message.\n\n{{/sign_up}}"
            "{{^sign_up}}we received your message \"{{original_subject}}\" from "
            "{{sender_address}}, but that address is not registered with our support desk, so "
            "no case was opened.\n\nTo get support by email, ask your organisation's support "
            "administrator to add {{sender_address}} as a contact, or write from an address "
            "that is already registered. Once the address is registered and verified, please "
            "send your message again.\n\n{{/sign_up}}",
            kAutomaticHint, kClosing)}},
      {std::string(kMailQuarantined),
       {"Your message is being reviewed",
        absl::StrCat("Hello,\n\nwe received your message \"{{original_subject}}\". It did not "
                     "come from a registered address, so it is held until a member of our "
                     "support team has reviewed it. You will hear from us then; there is no "
                     "need to send it again.\n\n",
                     kAutomaticHint, kClosing)}},
      // Sign-up (`organisation`) and invitations (`invited_by`, `organisation`) say why;
      // `expires_in` ("1 hour") reads better than `expires_hours`, which older texts use.
      {std::string(kMailAccountVerify),
       {"{{#invited_by}}You are invited to our support desk{{/invited_by}}"
        "{{^invited_by}}Please confirm your email address{{/invited_by}}",
        absl::StrCat(kGreeting,
                     "{{#invited_by}}{{invited_by}} invited you to get support from us as a "
                     "contact of {{organisation}}. To accept, {{/invited_by}}"
                     "{{^invited_by}}{{#organisation}}welcome! You signed up for support as a "
                     "contact of {{organisation}}. To finish, {{/organisation}}{{/invited_by}}"
                     "please confirm that this address is yours by opening the link below"
                     "{{#expires_in}} within {{expires_in}}{{/expires_in}}"
                     "{{^expires_in}}{{#expires_hours}} within {{expires_hours}} hours"
                     "{{/expires_hours}}{{/expires_in}}"
                     "{{#organisation}} and choose your password{{/organisation}}:\n\n"
                     "{{link}}\n\nIf you did not expect this message, you can ignore it.\n",
                     kClosing)}},
      // Also answers a sign-up from an address that has an account (`already_registered`).
      {std::string(kMailPasswordReset),
       {"{{#already_registered}}You already have an account{{/already_registered}}"
        "{{^already_registered}}Reset your password{{/already_registered}}",
        absl::StrCat(kGreeting,
                     "{{#already_registered}}someone (hopefully you) asked to sign up with this "
                     "address, but you already have an account. If you have forgotten your "
                     "password, open the link below{{/already_registered}}"
                     "{{^already_registered}}a new password was requested for your account. "
                     "Open the link below{{/already_registered}}"
                     "{{#expires_in}} within {{expires_in}}{{/expires_in}}"
                     "{{^expires_in}}{{#expires_hours}} within {{expires_hours}} hours"
                     "{{/expires_hours}}{{/expires_in}} to "
                     "choose one:\n\n{{link}}\n\nIf you did not ask for this, ignore this "
                     "message; your password stays as it is.\n",
                     kClosing)}},
      {std::string(kMailStatusNotice),
       {"[{{event_kind}}] {{incident_name}}: {{status}}",
        absl::StrCat("{{event_kind}}: {{incident_name}}\nStatus: {{status}}\n"
                     "{{#window}}Window: {{window}}\n{{/window}}"
                     "{{#components}}Affected: {{components}}\n{{/components}}\n{{body}}\n\n"
                     "Follow it at {{incident_url}}\nAll platform status: {{page_url}}\n\n"
                     "You receive this because you are subscribed to status notices. "
                     "Unsubscribe: {{unsubscribe_url}}\n",
                     kClosing)}},
      {std::string(kMailStatusConfirm),
       {"Confirm your status notices subscription",
        absl::StrCat("Hello,\n\nsomeone (hopefully you) asked to receive notices about "
                     "incidents and maintenance from {{page_url}} at this address. Open the link "
                     "below to confirm:\n\n{{link}}\n\nIf you did not ask for this, ignore this "
                     "message and nothing will be sent.\n",
                     kClosing)}},
      {std::string(kMailHoursThreshold),
       {"{{organisation}}: {{kind}} at {{threshold}}% for {{period}}",
        absl::StrCat(kGreeting,
                     "{{organisation}} has used {{used_hours}} of the {{available_hours}} "
                     "{{kind}} available in {{period}} ({{threshold}}% threshold reached).\n\n"
                     "{{#over}}The package for this period is used up; further billable time "
                     "is beyond it.\n\n{{/over}}"
                     "{{^over}}{{remaining_hours}} hours remain in this period.\n\n{{/over}}"
                     "See the hours and the burn-down: {{hours_url}}\n\n",
                     kAutomaticHint, kClosing)}},
      {std::string(kMailServiceTaskEstimate),
       {"[#{{case_number}}] Estimate for your service task: {{hours}} hours",
        absl::StrCat(kGreeting,
                     "we have estimated your service task #{{case_number}} \"{{case_subject}}\":"
                     "\n\nEstimated effort: {{hours}} hours\nProjected completion date: "
                     "{{completion_date}}\n\nPlease approve or decline the estimate: "
                     "{{case_url}}\nWe start planning the work once you approve it.\n",
                     kClosing)}},
      {std::string(kMailServiceTaskDecision),
       {"[#{{case_number}}] Service task estimate {{decision}}",
        absl::StrCat(kGreeting,
                     "{{customer_name}} has {{decision}} the estimate for service task "
                     "#{{case_number}} \"{{case_subject}}\".\n"
                     "{{#reason}}\nReason: {{reason}}\n{{/reason}}"
                     "{{#approved}}\nThe task can now be scheduled.\n{{/approved}}"
                     "\n{{case_url}}\n\n",
                     kAutomaticHint, kClosing)}},
      {std::string(kMailRemoteAccessRequested),
       {"[#{{case_number}}] Remote access requested: {{method}}",
        absl::StrCat(kGreeting,
                     "{{requested_by}} of our support team asks for remote access ({{method}}) "
                     "to work on case #{{case_number}} \"{{case_subject}}\".\n\n"
                     "Why: {{purpose}}\nWhen: {{window_start}} to {{window_end}}\n\n"
                     "Grant or refuse the request here: {{portal_url}}\n"
                     "Access ends at the end of the window, or earlier if you revoke it. Please "
                     "never send passwords by mail: give them in the form when you grant "
                     "access.\n",
                     kClosing)}},
      {std::string(kMailRemoteAccessDecision),
       {"[#{{case_number}}] Remote access {{decision}}",
        absl::StrCat(kGreeting,
                     "{{decided_by}} has {{decision}} remote access ({{method}}) for case "
                     "#{{case_number}} \"{{case_subject}}\".\n"
                     "Window: {{window_start}} to {{window_end}}\n"
                     "{{#reason}}\nReason: {{reason}}\n{{/reason}}"
                     "{{#credentials_given}}\nCredentials were given; read them on the case "
                     "page while the grant is active.\n{{/credentials_given}}"
                     "\n{{console_url}}\n\n",
                     kAutomaticHint, kClosing)}},
  };
  return *defaults;
}

std::string SettingKey(std::string_view kind) {
  return absl::StrCat(std::string(kMailTemplateSettingPrefix), std::string(kind));
}

absl::Status UnknownKind(std::string_view kind) {
  return absl::InvalidArgumentError(
      absl::StrCat("mail template '", std::string(kind), "': unknown kind"));
}

mustache::data ToData(const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, ToData(item));
      return object;
    }
    case json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const json& item : value) list.push_back(ToData(item));
      return list;
    }
    case json::value_t::string: {
      const std::string& text = value.get_ref<const std::string&>();
      // Empty text reads as false, so "{{#comment}}...{{/comment}}" needs no extra flag.
      if (text.empty()) return mustache::data{false};
      return mustache::data{text};
    }
    case json::value_t::boolean:
      return mustache::data{value.get<bool>()};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return mustache::data{value.dump()};
    default:
      return mustache::data{false};
  }
}

absl::StatusOr<std::string> Render(std::string_view kind, std::string_view part,
                                   const std::string& text, const mustache::data& data) {
  mustache::mustache compiled{text};
  if (!compiled.is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat("mail template '", std::string(kind), "' ",
                                                   std::string(part), ": ",
                                                   compiled.error_message()));
  }
  // Plain text: values go in as they are. Headers are cleaned after rendering.
  compiled.set_custom_escape([](const std::string& value) { return value; });
  std::string rendered = compiled.render(data);
  if (!compiled.is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat("mail template '", std::string(kind), "' ",
                                                   std::string(part), ": ",
                                                   compiled.error_message()));
  }
  return rendered;
}

// One line of header text: controls become spaces, runs of spaces shrink to one.
std::string OneLine(std::string_view text) {
  const std::string safe = core::HeaderSafeText(text);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(c);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

absl::StatusOr<RenderedMail> RenderKind(std::string_view kind, const MailTemplate& content,
                                        const json& values) {
  if (!values.is_object() && !values.is_null()) {
    return absl::InvalidArgumentError("mail values: must be an object");
  }
  const mustache::data data = ToData(values.is_null() ? json::object() : values);
  absl::StatusOr<std::string> subject = Render(kind, "subject", content.subject, data);
  if (!subject.ok()) return subject.status();
  absl::StatusOr<std::string> body = Render(kind, "body", content.body, data);
  if (!body.ok()) return body.status();
  return RenderedMail{.subject = OneLine(*subject), .body = *std::move(body)};
}

}  // namespace

const std::vector<std::string_view>& MailTemplateKinds() {
  static const auto* kinds = new std::vector<std::string_view>{kMailCaseOpened,
                                                               kMailCaseReply,
                                                               kMailCaseStatus,
                                                               kMailCaseSeverity,
                                                               kMailSlaWarning,
                                                               kMailSlaBreached,
                                                               kMailEscalation,
                                                               kMailUnknownSender,
                                                               kMailQuarantined,
                                                               kMailAccountVerify,
                                                               kMailPasswordReset,
                                                               kMailStatusNotice,
                                                               kMailStatusConfirm,
                                                               kMailHoursThreshold,
                                                               kMailServiceTaskEstimate,
                                                               kMailServiceTaskDecision,
                                                               kMailRemoteAccessRequested,
                                                               kMailRemoteAccessDecision};
  return *kinds;
}

absl::StatusOr<MailTemplate> DefaultMailTemplate(std::string_view kind) {
  const auto found = Defaults().find(kind);
  if (found == Defaults().end()) {
    return absl::NotFoundError(absl::StrCat("mail template '", std::string(kind), "': unknown"));
  }
  return found->second;
}

absl::Status ValidateMailTemplate(std::string_view kind, const MailTemplate& content) {
  if (!Defaults().contains(kind)) return UnknownKind(kind);
  const std::string name = absl::StrCat("mail template '", std::string(kind), "'");
  if (absl::StripAsciiWhitespace(content.subject).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, " subject: must not be empty"));
  }
  if (absl::StripAsciiWhitespace(content.body).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(name, " body: must not be empty"));
  }
  if (content.subject.size() > 1000 || content.body.size() > 64 * 1024) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": too long"));
  }
  // A trial rendering with no values finds every syntax error.
  absl::StatusOr<RenderedMail> rendered = RenderKind(kind, content, json::object());
  return rendered.ok() ? absl::OkStatus() : rendered.status();
}

absl::StatusOr<MailTemplate> LoadMailTemplate(ports::StoreTransaction& txn, std::string_view kind) {
  absl::StatusOr<MailTemplate> fallback = DefaultMailTemplate(kind);
  if (!fallback.ok()) return UnknownKind(kind);
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(SettingKey(kind));
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return fallback;
  const json document = json::parse(**stored, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.value("subject", json()).is_string() ||
      !document.value("body", json()).is_string()) {
    // Saved documents are validated; one damaged by hand must not stop the desk's mail.
    return fallback;
  }
  return MailTemplate{document["subject"].get<std::string>(), document["body"].get<std::string>()};
}

absl::Status SaveMailTemplate(ports::StoreTransaction& txn, std::string_view kind,
                              const MailTemplate& content) {
  if (absl::Status valid = ValidateMailTemplate(kind, content); !valid.ok()) return valid;
  const json document = {{"subject", content.subject}, {"body", content.body}};
  return txn.PutSetting(SettingKey(kind), document.dump());
}

absl::Status ResetMailTemplate(ports::StoreTransaction& txn, std::string_view kind) {
  if (!Defaults().contains(kind)) return UnknownKind(kind);
  absl::Status deleted = txn.DeleteSetting(SettingKey(kind));
  return absl::IsNotFound(deleted) ? absl::OkStatus() : deleted;
}

absl::StatusOr<std::vector<MailTemplateEntry>> ListMailTemplates(ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> stored =
      txn.ListSettings(kMailTemplateSettingPrefix);
  if (!stored.ok()) return stored.status();
  std::vector<MailTemplateEntry> entries;
  for (std::string_view kind : MailTemplateKinds()) {
    absl::StatusOr<MailTemplate> content = LoadMailTemplate(txn, kind);
    if (!content.ok()) return content.status();
    const bool customised = std::any_of(stored->begin(), stored->end(), [&](const auto& entry) {
      return entry.first == SettingKey(kind);
    });
    entries.push_back({std::string(kind), *std::move(content), customised});
  }
  return entries;
}

absl::StatusOr<RenderedMail> RenderMailTemplate(std::string_view kind, const MailTemplate& content,
                                                const nlohmann::json& values) {
  return RenderKind(kind, content, values);
}

std::string TextToHtml(std::string_view text) {
  std::string out =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head>"
      "<body><div style=\"font-family: sans-serif\">";
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\r':
        break;
      case '\n':
        out += "<br>\n";
        break;
      default:
        out.push_back(c);
    }
  }
  out += "</div></body></html>\n";
  return out;
}

}  // namespace casedesk::app

// The staff console's mail administration pages (issue 5's admin, the email channel of issue 4):
//   the desk's mail settings (/console/admin/mail) with an organisation picker, one
//   organisation's mail settings (/console/admin/mail/orgs/{id}), the notification templates
//   (/console/admin/mail/templates and .../{kind}: subject, body, placeholders, a preview),
//   inbound mail held or refused (/console/admin/mail/inbound and .../{id}: sanitised headers and
//   the plain text, never the message's HTML; accept or reject), and the outbox's failed and
//   waiting messages (/console/admin/mail/outbox, with retry).
// Forms keep what was typed and show a refusal beside them; admins save, other staff read. Every
// list is one bounded page. All text is escaped by the templates. Thread-safe: pure functions.
// (Rendering lives in console_mail_pages.cc (settings, templates) and
// console_mail_queue_pages.cc (inbound mail, outbox).)
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/web/console_layout.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "core/organisation.h"
#include "ports/mail_records.h"
#include "ports/sla_records.h"

namespace casedesk::adapters::web {

// Which mail page a sub-navigation link marks as current.
enum class MailAdminSection { kSettings, kTemplates, kInbound, kOutbox };

// An organisation offered by the pickers.
struct MailOrgChoice {
  int64_t id = 0;
  std::string name;
  std::string kind;  // "customer", "partner", ...
};

// The desk settings form as text: what is stored, or what was posted.
struct MailDeskFormText {
  std::string from_address;
  std::string from_name;
  std::string case_tag_prefix;
  std::string reply_local_part;
  std::string reply_domain;
  std::string unknown_senders;  // "notice" or "quarantine"
  std::string notice_interval_minutes;
  std::string default_severity;  // "1".."4"
  // One route per line: "<address> <open_case|escalate> [severity 1-4]".
  std::string routes;
};

MailDeskFormText MailDeskFormFromSettings(const app::MailDeskSettings& settings);

struct ConsoleMailSettingsView {
  bool may_edit = false;
  MailDeskFormText form;
  std::string error;                         // why the posted settings were refused
  std::vector<MailOrgChoice> organisations;  // the picker's first page
  bool more_organisations = false;           // the picker was cut short
};

struct MailOrgFormText {
  std::string support_aliases;  // one address per line
  std::string domains;          // one domain per line
  std::string sender_address;
  std::string sender_name;
  std::string signature;
};

MailOrgFormText MailOrgFormFromSettings(const app::OrganisationMailSettings& settings);

struct ConsoleOrgMailView {
  MailOrgChoice organisation;
  bool may_edit = false;
  MailOrgFormText form;
  std::string error;
};

struct ConsoleMailTemplateListView {
  std::vector<app::MailTemplateEntry> templates;  // every kind, in the fixed order
};

struct ConsoleMailTemplateView {
  std::string kind;
  bool customised = false;  // the stored template is the operator's
  bool may_edit = false;
  std::string subject;
  std::string body;
  std::vector<std::string> placeholders;  // the values the kind's mail carries
  std::string error;                      // why the posted template was refused
  bool unsaved = false;                   // subject/body are as posted, not as stored
  // The posted (or stored) template rendered with sample values; unset when it did not render.
  std::optional<app::RenderedMail> preview;
};

struct ConsoleInboundListView {
  std::string status;  // the filter: a status name, or "all"
  std::vector<ports::InboundMail> rows;
  std::string next_cursor;  // "" on the last page
  bool first_page = true;
};

struct ConsoleInboundMessageView {
  ports::InboundMail row;
  // The parsed message: selected headers (decoded) and the plain text; when it could not be
  // parsed, parse_error says why and nothing else is shown.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string text;
  bool text_cut = false;  // the text was longer than the page shows
  bool had_html = false;  // the message also had an HTML body (never shown)
  std::string parse_error;
  bool may_decide = false;  // quarantined and the viewer is provider staff
  std::vector<MailOrgChoice> organisations;
  std::string error;  // why an accept or reject was refused
  std::string form_org_id;
  std::string form_reason;
};

struct ConsoleOutboxView {
  bool failed = true;  // the given-up rows; else the ones waiting
  int64_t pending_count = 0;
  int64_t failed_count = 0;
  std::vector<ports::Notification> rows;
  std::string next_cursor;
  bool first_page = true;
  bool may_retry = false;  // admins
  std::string error;       // why a retry was refused
};

std::string RenderConsoleMailSettingsPage(const ConsoleFrame& frame,
                                          const ConsoleMailSettingsView& view);
std::string RenderConsoleOrgMailPage(const ConsoleFrame& frame, const ConsoleOrgMailView& view);
std::string RenderConsoleMailTemplateListPage(const ConsoleFrame& frame,
                                              const ConsoleMailTemplateListView& view);
std::string RenderConsoleMailTemplatePage(const ConsoleFrame& frame,
                                          const ConsoleMailTemplateView& view);
std::string RenderConsoleInboundListPage(const ConsoleFrame& frame,
                                         const ConsoleInboundListView& view);
std::string RenderConsoleInboundMessagePage(const ConsoleFrame& frame,
                                            const ConsoleInboundMessageView& view);
std::string RenderConsoleOutboxPage(const ConsoleFrame& frame, const ConsoleOutboxView& view);

// The mail pages' sub-navigation as HTML (fixed text; no user data).
std::string MailAdminNavHtml(MailAdminSection current);

}  // namespace casedesk::adapters::web

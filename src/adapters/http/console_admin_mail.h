// The staff console's mail administration routes (pages in web/console_mail_pages.h):
//   GET  /console/admin/mail                          the desk's mail settings (?org=ID: 303 to
//                                                     that organisation's)
//   POST /console/admin/mail                          (admins) save them, 303 back with a notice
//   GET  /console/admin/mail/orgs/{id}                one organisation's mail settings
//   POST /console/admin/mail/orgs/{id}                (admins) save them
//   GET  /console/admin/mail/templates                the template kinds
//   GET  /console/admin/mail/templates/{kind}         subject, body, placeholders, a preview
//   POST /console/admin/mail/templates/{kind}         action=preview (the posted text, not
//                                                     saved); action=save (admins)
//   POST /console/admin/mail/templates/{kind}/reset   (admins) back to the shipped template
//   GET  /console/admin/mail/inbound                  held / refused / failed mail, paged
//                                                     (?status=quarantined|rejected|failed|all)
//   GET  /console/admin/mail/inbound/{id}             one message: headers and plain text
//   POST /console/admin/mail/inbound/{id}/accept      (staff) open a case from a held message
//   POST /console/admin/mail/inbound/{id}/reject      (staff) reject a held message
//   GET  /console/admin/mail/outbox                   given-up (?state=failed, default) or
//                                                     waiting (?state=pending) mail, paged
//   POST /console/admin/mail/outbox/{id}/retry        (admins) queue a given-up message again
// The writes are app/mail_admin.h's, as the JSON API's (api_mail.cc) are: the same permissions
// and audit events.
// Provider staff only; anyone else gets the console's 404 page. A refused form is shown again
// with what was typed and the reason. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "ports/mail_parser.h"

namespace casedesk::adapters::http {

// `parser` (thread-safe) reads held messages for display and acceptance; it must outlive the
// router.
void RegisterConsoleMailRoutes(Router& router, app::AppContext& context,
                               const ports::MailParser& parser);

}  // namespace casedesk::adapters::http

// Registration of the REST API's routes, one function per area, each in its own api_*.cc file.
// Thread-safe once registered: handlers only read the context's thread-safe ports.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "ports/mail_parser.h"

namespace casedesk::adapters::http {

// Organisations, people, groups, plans, severities, tokens (api_directory.cc).
void RegisterDirectoryRoutes(Router& router, app::AppContext& context);

// Cases, comments, events, attachments, search (api_cases.cc).
void RegisterCaseRoutes(Router& router, app::AppContext& context);

// Calendars, per-plan SLA policies, escalation policies, on-call schedules (api_sla_config.cc).
void RegisterSlaConfigRoutes(Router& router, app::AppContext& context);

// Escalation requests, a case's notifications, severity flags, the SLA report (api_sla.cc).
void RegisterSlaRoutes(Router& router, app::AppContext& context);

// The email channel: inbound mail and quarantine, mail settings, templates, the outbox
// (api_mail.cc). `parser` must outlive the router.
void RegisterMailRoutes(Router& router, app::AppContext& context, const ports::MailParser& parser);

}  // namespace casedesk::adapters::http

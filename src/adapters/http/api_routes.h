// Registration of the REST API's routes, one function per area, each in its own api_*.cc file.
// Thread-safe once registered: handlers only read the context's thread-safe ports.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "app/status_page_cache.h"
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

// The status page's admin API under /api/v1/status (api_status.cc).
void RegisterStatusRoutes(Router& router, app::AppContext& context);

// The public status page: /status (HTML, feeds, subscribe, confirm, unsubscribe), the
// Statuspage-compatible /api/v2/*.json documents and /static assets (status_site.cc), served
// from `cache`, which must outlive the router.
void RegisterStatusSiteRoutes(Router& router, app::AppContext& context,
                              app::StatusPageCache& cache);

}  // namespace casedesk::adapters::http

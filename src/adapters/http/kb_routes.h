// The knowledge base's routes (issue 7): the REST API under /api/v1/kb (api_kb.cc) and
// POST /api/v1/cases/{number}/kb-draft, the public help centre under /help (kb_help.cc), the
// staff console's authoring pages under /console/kb (console_kb.cc), and /static/kb.js.
// Thread-safe once registered: handlers only read the context's thread-safe ports.
#pragma once

#include <optional>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "ports/markdown_renderer.h"

namespace casedesk::adapters::http {

// Everything below; `renderer` must outlive the router.
void RegisterKbRoutes(Router& router, app::AppContext& context,
                      const ports::MarkdownRenderer& renderer);

void RegisterKbApiRoutes(Router& router, app::AppContext& context,
                         const ports::MarkdownRenderer& renderer);
void RegisterHelpCentreRoutes(Router& router, app::AppContext& context);
void RegisterConsoleKbRoutes(Router& router, app::AppContext& context,
                             const ports::MarkdownRenderer& renderer);

// Who reads: a bearer token when the request has an Authorization header (Unauthenticated when
// it is not valid), else for GET and HEAD a valid session cookie, else nobody (signed out).
absl::StatusOr<std::optional<app::Caller>> OptionalKbReader(app::AppContext& context,
                                                            const HttpRequest& request);

}  // namespace casedesk::adapters::http

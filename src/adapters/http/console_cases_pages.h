// The staff console's case pages as HTTP responses: loads what a page shows through the use
// cases (ListCases in the next-deadline order, GetCase with its SLA clocks, ListComments,
// ListCaseEvents, ListAttachments, ListSeverityFlags, the directory) and renders it inside the
// console frame. Pages carry a content ETag and answer a matching If-None-Match with 304, so
// console.js can poll them cheaply. Provider staff only; anyone else, and any case the caller
// may not see, gets the plain 404 page.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <string>

#include "adapters/http/http_types.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_form.h"
#include "app/app_context.h"
#include "core/ids.h"
#include "core/queue_view.h"

namespace casedesk::adapters::http {

// Whether the signed-in person may use the case console (provider staff).
bool MayUseCaseConsole(const WebCaller& web);

// GET /console/cases?queue=..&severity=..&group=..&org=..&cursor=..&notice=..: the view's
// first or a later page (400 for a malformed view).
HttpResponse ConsoleQueueResponse(app::AppContext& context, const HttpRequest& request,
                                  const WebCaller& web);

// The first page of the view `filter` with the save-view `form` and its refusal, answered with
// `status` (4xx).
HttpResponse ConsoleViewRefused(app::AppContext& context, const WebCaller& web,
                                const core::QueueViewFilter& filter, web::PostedForm form,
                                int status);

// The case page with `status` (200, or 4xx when re-rendering the refused `form`), the notice
// text, and every comment when `whole_conversation`.
HttpResponse ConsoleCaseResponse(app::AppContext& context, const WebCaller& web,
                                 core::CaseNumber number, int status, const std::string& notice,
                                 const web::PostedForm& form, bool whole_conversation);

// GET /console/cases/{number}/history?cursor=..
HttpResponse ConsoleHistoryResponse(app::AppContext& context, const HttpRequest& request,
                                    const WebCaller& web, core::CaseNumber number);

// A 200 response as 304 when the request's If-None-Match names its content ETag (which it
// gains here); anything else unchanged.
HttpResponse WithContentEtag(const HttpRequest& request, HttpResponse response);

}  // namespace casedesk::adapters::http

// The console's problem pages (issue 7), provider staff only (anyone else: the plain not-found
// page); forms post, redirect and get, and a refused form comes back with what was typed:
//   GET  /console/problems                              the list (?status=) and "New problem"
//   POST /console/problems                              create -> 303 to the problem
//   GET  /console/problems/{id}                         the problem page
//   POST /console/problems/{id}                         title, status, component, root cause
//   POST /console/problems/{id}/cases                   link a case by number
//   POST /console/problems/{id}/cases/{number}/unlink   unlink
// Also RegisterConsoleProblemRoutes. Thread-safe once registered.
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_engineering.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_problem_pages.h"
#include "app/problems.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

web::ConsoleFrame ProblemsFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                std::string notice = "") {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "problems", std::move(title));
  frame.notice = std::move(notice);
  return frame;
}

int RefusalCode(const absl::Status& status) {
  const int code = HttpStatusFor(status);
  return code >= 400 ? code : 500;
}

HttpResponse ProblemsFailure(app::AppContext& context, const WebCaller& web,
                             const absl::Status& status) {
  if (absl::IsNotFound(status)) return ConsoleNotFound();
  return HtmlPage(
      RefusalCode(status),
      web::RenderConsoleMessagePage(ProblemsFrame(context, web, "Problems"), RefusalText(status)));
}

// The fixed confirmations a redirect names, so nothing a link carries is echoed.
std::string NoticeText(const HttpRequest& request) {
  const std::string code(request.Query("notice").value_or(""));
  if (code == "created") return "Problem recorded.";
  if (code == "saved") return "Saved.";
  if (code == "linked") return "Case linked.";
  if (code == "unlinked") return "Case unlinked.";
  return "";
}

HttpResponse ListPage(app::AppContext& context, const WebCaller& web, std::string status_filter,
                      web::PostedForm form, int code, std::string notice) {
  ports::ProblemFilter filter;
  filter.limit = 500;
  if (!status_filter.empty()) {
    filter.status =
        core::EnumFromName<core::ProblemStatus>(core::kProblemStatusNames, status_filter);
    if (!filter.status) status_filter.clear();
  }
  absl::StatusOr<std::vector<core::Problem>> problems =
      app::ListProblems(context, web.caller, filter);
  if (!problems.ok()) return ProblemsFailure(context, web, problems.status());
  web::ProblemListView view{*std::move(problems), std::move(status_filter), std::move(form)};
  return HtmlPage(code, web::RenderProblemListPage(
                            ProblemsFrame(context, web, "Problems", std::move(notice)), view));
}

HttpResponse ProblemPage(app::AppContext& context, const WebCaller& web, core::ProblemId id,
                         web::PostedForm form, int code, std::string notice) {
  absl::StatusOr<app::ProblemDetail> detail = app::GetProblemDetail(context, web.caller, id);
  if (!detail.ok()) return ProblemsFailure(context, web, detail.status());
  const std::string title = detail->problem.title;
  web::ProblemPageView view{*std::move(detail), std::move(form)};
  return HtmlPage(
      code, web::RenderProblemPage(ProblemsFrame(context, web, title, std::move(notice)), view));
}

app::ProblemInput InputFromForm(const Fields& fields, bool with_status) {
  app::ProblemInput input;
  input.title = FormValue(fields, "title");
  input.component = FormValue(fields, "component");
  // Browsers send CRLF line ends; the stored note keeps LF.
  std::string cause = FormValue(fields, "root_cause");
  std::string normalised;
  for (size_t i = 0; i < cause.size(); ++i) {
    if (cause[i] == '\r' && i + 1 < cause.size() && cause[i + 1] == '\n') continue;
    normalised += cause[i];
  }
  input.root_cause = std::move(normalised);
  if (with_status) {
    input.status = core::EnumFromName<core::ProblemStatus>(core::kProblemStatusNames,
                                                           FormValue(fields, "status"));
  }
  return input;
}

std::string ProblemPath(core::ProblemId id, std::string_view notice) {
  return absl::StrCat("/console/problems/", id, "?notice=", std::string(notice));
}

}  // namespace

void RegisterConsoleProblemRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/console/problems",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(ListPage(context, web, std::string(request.Query("status").value_or("")), {},
                                200, NoticeText(request)));
             }));

  router.Add("POST", "/console/problems",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "new-problem";
               form.fields = FormFields(request).value_or(Fields());
               app::CreateProblem(
                   context, web.caller, InputFromForm(form.fields, false),
                   [&context, web, form,
                    respond = std::move(respond)](absl::StatusOr<core::Problem> created) mutable {
                     if (created.ok())
                       return respond(SeeOther(ProblemPath(created->id, "created")));
                     form.error = RefusalText(created.status());
                     respond(ListPage(context, web, "", form, RefusalCode(created.status()), ""));
                   });
             }));

  router.Add("GET", "/console/problems/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!MayUseCaseConsole(web) || !id.ok()) return respond(ConsoleNotFound());
               respond(ProblemPage(context, web, *id, {}, 200, NoticeText(request)));
             }));

  router.Add("POST", "/console/problems/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!MayUseCaseConsole(web) || !id.ok()) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "problem";
               form.fields = FormFields(request).value_or(Fields());
               app::ProblemInput input = InputFromForm(form.fields, true);
               if (!input.status) {
                 form.error = "status: choose one from the list";
                 return respond(ProblemPage(context, web, *id, form, 400, ""));
               }
               app::UpdateProblem(
                   context, web.caller, *id, std::move(input),
                   [&context, web, form, id = *id,
                    respond = std::move(respond)](absl::StatusOr<core::Problem> saved) mutable {
                     if (saved.ok()) return respond(SeeOther(ProblemPath(id, "saved")));
                     if (absl::IsNotFound(saved.status())) return respond(ConsoleNotFound());
                     form.error = RefusalText(saved.status());
                     respond(ProblemPage(context, web, id, form, RefusalCode(saved.status()), ""));
                   });
             }));

  router.Add("POST", "/console/problems/{id}/cases",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!MayUseCaseConsole(web) || !id.ok()) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "link-case";
               form.fields = FormFields(request).value_or(Fields());
               std::string text(absl::StripAsciiWhitespace(FormValue(form.fields, "case_number")));
               if (!text.empty() && text.front() == '#') text.erase(0, 1);
               int64_t number = 0;
               if (!absl::SimpleAtoi(text, &number) || number <= 0) {
                 form.error = "case_number: a case number such as 100001";
                 return respond(ProblemPage(context, web, *id, form, 400, ""));
               }
               app::LinkProblemCase(
                   context, web.caller, *id, number,
                   [&context, web, form, id = *id,
                    respond = std::move(respond)](absl::StatusOr<core::Problem> linked) mutable {
                     if (linked.ok()) return respond(SeeOther(ProblemPath(id, "linked")));
                     if (absl::IsNotFound(linked.status())) return respond(ConsoleNotFound());
                     form.error = RefusalText(linked.status());
                     respond(ProblemPage(context, web, id, form, RefusalCode(linked.status()), ""));
                   });
             }));

  router.Add("POST", "/console/problems/{id}/cases/{number}/unlink",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!MayUseCaseConsole(web) || !id.ok() || !number.ok())
                 return respond(ConsoleNotFound());
               app::UnlinkProblemCase(context, web.caller, *id, *number,
                                      [&context, web, id = *id, respond = std::move(respond)](
                                          absl::StatusOr<core::Problem> unlinked) {
                                        if (unlinked.ok())
                                          return respond(SeeOther(ProblemPath(id, "unlinked")));
                                        respond(ProblemsFailure(context, web, unlinked.status()));
                                      });
             }));
}

}  // namespace casedesk::adapters::http

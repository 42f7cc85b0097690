// The severity definition routes (see console_admin_plans.h).
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/http/console_admin_plans.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_plan_pages.h"
#include "app/severity_definitions.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kSeveritiesPath[] = "/console/admin/severities";
constexpr char kSeveritiesSavedNotice[] = "saved";

web::ConsoleFrame SeverityFrame(app::AppContext& context, const WebCaller& web,
                                std::string notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", "Severity definitions");
  frame.notice = std::move(notice);
  return frame;
}

std::array<web::SeverityFormText, 4> SeverityFormTextOf(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::array<web::SeverityFormText, 4> levels;
  for (int level = 1; level <= 4; ++level) {
    web::SeverityFormText& text = levels[level - 1];
    const std::string prefix = absl::StrCat("s", level, "_");
    text.level = level;
    text.name = FormValue(fields, prefix + "name");
    text.summary = FormValue(fields, prefix + "summary");
    text.description = FormValue(fields, prefix + "description");
    text.examples = FormValue(fields, prefix + "examples");
  }
  return levels;
}

// The definitions the form describes: text trimmed, one example per non-empty line.
std::vector<core::SeverityDefinition> SeverityDefinitionsOf(
    const std::array<web::SeverityFormText, 4>& levels) {
  std::vector<core::SeverityDefinition> definitions;
  for (const web::SeverityFormText& text : levels) {
    core::SeverityDefinition definition;
    definition.level = static_cast<core::Severity>(text.level);
    definition.name = std::string(absl::StripAsciiWhitespace(text.name));
    definition.summary = std::string(absl::StripAsciiWhitespace(text.summary));
    definition.description = std::string(absl::StripAsciiWhitespace(text.description));
    for (absl::string_view line : absl::StrSplit(text.examples, '\n')) {
      line = absl::StripAsciiWhitespace(line);
      if (!line.empty()) definition.examples.emplace_back(line);
    }
    definitions.push_back(std::move(definition));
  }
  return definitions;
}

HttpResponse SeverityPage(app::AppContext& context, const WebCaller& web, std::string notice) {
  absl::StatusOr<std::vector<core::SeverityDefinition>> definitions =
      app::GetSeverityDefinitions(context);
  web::ConsoleFrame frame = SeverityFrame(context, web, std::move(notice));
  if (!definitions.ok()) {
    return HtmlPage(503, web::RenderConsoleMessagePage(frame, RefusalText(definitions.status())));
  }
  web::ConsoleSeverityView view;
  view.levels = web::SeverityFormFromDefinitions(*definitions);
  view.may_edit = core::IsAdmin(web.caller.viewer);
  return HtmlPage(200, web::RenderConsoleSeverityPage(frame, view));
}

void SaveSeverities(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                    Respond respond) {
  std::optional<std::vector<std::pair<std::string, std::string>>> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  web::ConsoleSeverityView view;
  view.levels = SeverityFormTextOf(*fields);
  view.may_edit = core::IsAdmin(web.caller.viewer);
  std::vector<core::SeverityDefinition> definitions = SeverityDefinitionsOf(view.levels);
  app::ReplaceSeverityDefinitions(
      context, web.caller.viewer, std::move(definitions),
      [&context, web, view = std::move(view), respond = std::move(respond)](
          absl::StatusOr<std::vector<core::SeverityDefinition>> saved) mutable {
        if (saved.ok()) {
          return respond(
              SeeOther(absl::StrCat(kSeveritiesPath, "?notice=", kSeveritiesSavedNotice)));
        }
        view.error = RefusalText(saved.status());
        respond(HtmlPage(HttpStatusFor(saved.status()),
                         web::RenderConsoleSeverityPage(SeverityFrame(context, web, ""), view)));
      });
}

}  // namespace

void RegisterConsoleSeverityRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", kSeveritiesPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const bool saved = request.Query("notice").value_or("") == kSeveritiesSavedNotice;
               respond(SeverityPage(context, web, saved ? "Severity definitions saved." : ""));
             }));
  router.Add("POST", kSeveritiesPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               SaveSeverities(context, request, web, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http

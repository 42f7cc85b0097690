// The calendar routes (see console_admin_calendars.h).
#include "adapters/http/console_admin_calendars.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_calendar_pages.h"
#include "app/calendar_json.h"
#include "app/calendar_preview.h"
#include "app/sla_settings.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr char kSavedNotice[] = "saved";
constexpr char kDeletedNotice[] = "deleted";
constexpr int64_t kMaxExtraMinutes = 1000000;

std::string CalendarPath(const std::string& name) {
  return absl::StrCat("/console/admin/calendars/", name);
}

std::string CalendarNameOf(const HttpRequest& request) {
  const auto it = request.path_params.find("name");
  return it == request.path_params.end() ? std::string() : it->second;
}

// The windows of a form field: "08:00-17:00, 18:00-20:00" (commas or spaces between).
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                               absl::ByAnyChar(", \t\r\n"), absl::SkipEmpty())) {
    items.emplace_back(item);
  }
  return items;
}

// The calendar a posted form describes (validated later by BuildCalendar).
core::CalendarSpec SpecFromForm(const Fields& fields) {
  core::CalendarSpec spec;
  spec.time_zone = std::string(absl::StripAsciiWhitespace(FormValue(fields, "time_zone")));
  for (const auto& [key, label] : web::kCalendarDays) {
    std::vector<std::string> windows = SplitList(FormValue(fields, key));
    if (!windows.empty()) spec.hours[std::string(key)] = std::move(windows);
  }
  spec.holidays = SplitList(FormValue(fields, "holidays"));
  return spec;
}

web::CalendarFormText FormTextOf(const Fields& fields) {
  web::CalendarFormText form;
  form.time_zone = FormValue(fields, "time_zone");
  for (size_t i = 0; i < web::kCalendarDays.size(); ++i) {
    form.days[i] = FormValue(fields, web::kCalendarDays[i].first);
  }
  form.holidays = FormValue(fields, "holidays");
  return form;
}

// A new calendar starts as Monday to Friday, 09:00-17:00 UTC.
core::CalendarSpec NewCalendarSpec() {
  core::CalendarSpec spec;
  spec.time_zone = "UTC";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) spec.hours[day] = {"09:00-17:00"};
  return spec;
}

// Fills the preview of `view` for `spec` from `from_text` (calendar-local datetime-local text;
// empty: now) and `extra_text` (an optional number of business minutes). A problem with the
// calendar or the inputs becomes view.error.
void Preview(app::AppContext& context, const WebCaller& web, const core::CalendarSpec& spec,
             std::string from_text, std::string extra_text, web::ConsoleCalendarView& view) {
  view.from_local = from_text;
  view.extra_minutes = extra_text;
  absl::StatusOr<absl::TimeZone> zone = app::LoadZone(spec.time_zone);
  if (!zone.ok()) {
    view.error = std::string(zone.status().message());
    return;
  }
  view.zone = *zone;
  absl::Time from = context.clock.Now();
  if (from_text.empty()) {
    from = absl::FromCivil(absl::ToCivilMinute(from, *zone), *zone);
    view.from_local = absl::FormatTime("%Y-%m-%dT%H:%M", from, *zone);
  } else if (std::string error;
             !absl::ParseTime("%Y-%m-%dT%H:%M", from_text, *zone, &from, &error)) {
    view.error = "from: give the start as a date and a time (YYYY-MM-DDTHH:MM)";
    return;
  }
  absl::StatusOr<std::vector<core::PreviewTarget>> targets =
      app::CalendarPreviewTargets(context, web.caller.viewer, view.name);
  if (!targets.ok()) {
    view.error = RefusalText(targets.status());
    return;
  }
  if (!extra_text.empty()) {
    int64_t minutes = 0;
    if (!absl::SimpleAtoi(extra_text, &minutes) || minutes < 0 || minutes > kMaxExtraMinutes) {
      view.error = "minutes: give a whole number of business minutes from 0 to 1000000";
      return;
    }
    targets->push_back({absl::StrCat(minutes, " business minutes"), minutes});
  }
  absl::StatusOr<std::vector<core::PreviewDue>> due =
      app::PreviewCalendarDueTimes(spec, from, *targets);
  if (!due.ok()) {
    view.error = std::string(due.status().message());
    return;
  }
  view.from = from;
  view.due = *std::move(due);
  view.previewed = true;
}

web::ConsoleFrame CalendarFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                std::string notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", std::move(title));
  frame.notice = std::move(notice);
  return frame;
}

HttpResponse ListPage(app::AppContext& context, const WebCaller& web, int status,
                      std::string notice, std::string error) {
  absl::StatusOr<std::vector<app::CalendarEntry>> calendars =
      app::ListCalendars(context, web.caller.viewer);
  web::ConsoleFrame frame = CalendarFrame(context, web, "Calendars", std::move(notice));
  if (!calendars.ok()) {
    return HtmlPage(HttpStatusFor(calendars.status()) >= 500 ? 503 : 403,
                    web::RenderConsoleMessagePage(frame, RefusalText(calendars.status())));
  }
  web::ConsoleCalendarListView view;
  view.calendars = *std::move(calendars);
  view.may_edit = core::IsAdmin(web.caller.viewer);
  view.error = std::move(error);
  return HtmlPage(status, web::RenderConsoleCalendarListPage(frame, view));
}

// The page of calendar `name` as stored (or new), previewed from now.
HttpResponse CalendarPage(app::AppContext& context, const WebCaller& web, const std::string& name,
                          std::string notice) {
  web::ConsoleCalendarView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  core::CalendarSpec spec;
  absl::StatusOr<app::CalendarEntry> entry = app::GetCalendar(context, web.caller.viewer, name);
  if (entry.ok()) {
    spec = entry->spec;
    view.shipped = entry->shipped;
    // A stored document can be deleted; a shipped one that nothing replaces cannot.
    view.deletable = !entry->shipped;
    view.shipped = entry->shipped || core::DefaultCalendarSpecs().contains(name);
  } else if (absl::IsNotFound(entry.status()) && view.may_edit && app::IsValidConfigName(name)) {
    spec = NewCalendarSpec();
    view.is_new = true;
  } else {
    return absl::IsNotFound(entry.status()) || absl::IsPermissionDenied(entry.status())
               ? ConsoleNotFound()
               : HtmlPage(503,
                          web::RenderConsoleMessagePage(CalendarFrame(context, web, "Calendar", ""),
                                                        RefusalText(entry.status())));
  }
  view.form = web::CalendarFormFromSpec(spec);
  Preview(context, web, spec, "", "", view);
  return HtmlPage(
      200,
      web::RenderConsoleCalendarPage(
          CalendarFrame(context, web, absl::StrCat("Calendar ", name), std::move(notice)), view));
}

void PostCalendar(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                  Respond respond) {
  const std::string name = CalendarNameOf(request);
  std::optional<Fields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  web::ConsoleCalendarView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  absl::StatusOr<app::CalendarEntry> entry = app::GetCalendar(context, web.caller.viewer, name);
  if (entry.ok()) {
    view.shipped = entry->shipped || core::DefaultCalendarSpecs().contains(name);
    view.deletable = !entry->shipped;
  } else if (!absl::IsNotFound(entry.status()) || !view.may_edit || !app::IsValidConfigName(name)) {
    return respond(ConsoleNotFound());
  } else {
    view.is_new = true;
  }
  view.form = FormTextOf(*fields);
  const core::CalendarSpec spec = SpecFromForm(*fields);
  const std::string title = absl::StrCat("Calendar ", name);
  if (FormValue(*fields, "action") != "save") {
    view.unsaved = true;
    Preview(context, web, spec, FormValue(*fields, "from"), FormValue(*fields, "minutes"), view);
    const int status = view.error.empty() ? 200 : 400;
    return respond(HtmlPage(
        status, web::RenderConsoleCalendarPage(CalendarFrame(context, web, title, ""), view)));
  }
  if (!view.may_edit) {
    view.error = "Only an admin can change calendars.";
    return respond(HtmlPage(
        403, web::RenderConsoleCalendarPage(CalendarFrame(context, web, title, ""), view)));
  }
  app::PutCalendar(
      context, web.caller.viewer, name, spec,
      [&context, web, name, title, view = std::move(view),
       respond = std::move(respond)](absl::StatusOr<app::CalendarEntry> saved) mutable {
        if (saved.ok()) {
          return respond(SeeOther(absl::StrCat(CalendarPath(name), "?notice=", kSavedNotice)));
        }
        view.error = RefusalText(saved.status());
        respond(
            HtmlPage(HttpStatusFor(saved.status()),
                     web::RenderConsoleCalendarPage(CalendarFrame(context, web, title, ""), view)));
      });
}

void DeleteCalendar(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                    Respond respond) {
  const std::string name = CalendarNameOf(request);
  app::DeleteCalendar(
      context, web.caller.viewer, name,
      [&context, web,
       respond = std::move(respond)](absl::StatusOr<std::optional<app::CalendarEntry>> deleted) {
        if (absl::IsNotFound(deleted.status())) return respond(ConsoleNotFound());
        if (!deleted.ok()) {
          return respond(ListPage(context, web, HttpStatusFor(deleted.status()), "",
                                  RefusalText(deleted.status())));
        }
        respond(SeeOther(absl::StrCat("/console/admin/calendars?notice=", kDeletedNotice)));
      });
}

}  // namespace

void RegisterConsoleCalendarRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/console/admin/calendars",
      WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                           const WebCaller& web) {
        if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
        if (const auto name = request.Query("new")) {
          if (!core::IsAdmin(web.caller.viewer)) return respond(ConsoleNotFound());
          if (!app::IsValidConfigName(*name)) {
            return respond(ListPage(context, web, 400, "",
                                    "name: 1 to 64 lower-case letters, digits, \"_\" and \"-\""));
          }
          return respond(SeeOther(CalendarPath(std::string(*name))));
        }
        const bool deleted = request.Query("notice").value_or("") == kDeletedNotice;
        respond(ListPage(context, web, 200, deleted ? "Calendar deleted." : "", ""));
      }));
  router.Add(
      "GET", "/console/admin/calendars/{name}",
      WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                           const WebCaller& web) {
        if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
        const bool saved = request.Query("notice").value_or("") == kSavedNotice;
        respond(CalendarPage(
            context, web, CalendarNameOf(request),
            saved ? "Calendar saved. Open cases whose SLA runs on it are being recomputed." : ""));
      }));
  router.Add("POST", "/console/admin/calendars/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               PostCalendar(context, request, web, std::move(respond));
             }));
  router.Add("POST", "/console/admin/calendars/{name}/delete",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               DeleteCalendar(context, request, web, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http

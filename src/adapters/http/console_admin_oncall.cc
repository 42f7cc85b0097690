// The on-call schedule routes (see console_admin_oncall.h).
#include "adapters/http/console_admin_oncall.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/console_admin_escalation.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_oncall_forms.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_oncall_pages.h"
#include "app/calendar_json.h"
#include "app/sla_configuration.h"
#include "app/sla_settings.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kOnCallSavedNotice[] = "saved";
constexpr char kOnCallDeletedNotice[] = "deleted";
constexpr size_t kOnCallListPage = 25;
constexpr int kOnCallPeopleChoices = 50;
constexpr int kOnCallNextHandOvers = 4;

std::string OnCallPath(const std::string& name) {
  return absl::StrCat("/console/admin/oncall/", name);
}

std::string OnCallNameOf(const HttpRequest& request) {
  const auto it = request.path_params.find("name");
  return it == request.path_params.end() ? std::string() : it->second;
}

web::ConsoleFrame OnCallFrame(app::AppContext& context, const WebCaller& web, std::string title,
                              std::string notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", std::move(title));
  frame.notice = std::move(notice);
  return frame;
}

// Who is on call at `at` through the use case the API's "now" calls; nullopt for nobody.
absl::StatusOr<std::optional<web::OnCallShiftText>> OnCallShiftAt(app::AppContext& context,
                                                                  const core::Viewer& viewer,
                                                                  const std::string& name,
                                                                  absl::Time at) {
  absl::StatusOr<app::OnCallNow> now = app::WhoIsOnCallNow(context, viewer, name, at);
  if (!now.ok()) return now.status();
  if (!now->shift) return std::nullopt;
  web::OnCallShiftText shift;
  shift.who = !now->user                ? absl::StrCat("user ", now->shift->user)
              : now->user->name.empty() ? now->user->email
                                        : now->user->name;
  shift.layer = now->shift->layer;
  shift.since = now->shift->since;
  shift.until = now->shift->until;
  shift.open_ended = now->shift->until - at >= core::kOnCallSearchHorizon;
  return shift;
}

HttpResponse OnCallListPage(app::AppContext& context, const HttpRequest& request,
                            const WebCaller& web, int status, std::string notice,
                            std::string error) {
  web::ConsoleFrame frame = OnCallFrame(context, web, "On-call schedules", std::move(notice));
  absl::StatusOr<std::vector<core::OnCallSchedule>> schedules =
      app::ListOnCallSchedules(context, web.caller.viewer);
  if (!schedules.ok()) {
    return HtmlPage(HttpStatusFor(schedules.status()) >= 500 ? 503 : 403,
                    web::RenderConsoleMessagePage(frame, RefusalText(schedules.status())));
  }
  const std::string after(request.Query("after").value_or(""));
  const absl::Time now = context.clock.Now();
  web::ConsoleOnCallListView view;
  for (const core::OnCallSchedule& schedule : *schedules) {
    if (!after.empty() && schedule.name <= after) continue;
    if (view.rows.size() == kOnCallListPage) {
      view.next_after = view.rows.back().name;
      break;
    }
    web::ConsoleOnCallListRow row;
    row.name = schedule.name;
    row.display_name = schedule.display_name;
    row.time_zone = schedule.time_zone;
    absl::StatusOr<std::optional<web::OnCallShiftText>> shift =
        OnCallShiftAt(context, web.caller.viewer, schedule.name, now);
    if (!shift.ok()) {
      row.problem = RefusalText(shift.status());
    } else if (shift->has_value()) {
      row.has_shift = true;
      row.shift = **shift;
    }
    view.rows.push_back(std::move(row));
  }
  view.may_edit = core::IsAdmin(web.caller.viewer);
  view.error = std::move(error);
  return HtmlPage(status, web::RenderConsoleOnCallListPage(frame, view));
}

// Who is on call now and after the next hand-overs, as stored.
void OnCallFillShifts(app::AppContext& context, const WebCaller& web,
                      const core::OnCallSchedule& schedule, web::ConsoleOnCallView& view) {
  view.has_schedule = true;
  absl::StatusOr<absl::TimeZone> zone = app::LoadZone(schedule.time_zone);
  if (zone.ok()) view.zone = *zone;
  absl::Time at = context.clock.Now();
  for (int i = 0; i <= kOnCallNextHandOvers; ++i) {
    absl::StatusOr<std::optional<web::OnCallShiftText>> shift =
        OnCallShiftAt(context, web.caller.viewer, schedule.name, at);
    if (!shift.ok()) {
      if (i == 0) view.now_problem = RefusalText(shift.status());
      return;
    }
    if (!shift->has_value()) return;
    view.shifts.push_back(**shift);
    if ((*shift)->open_ended) return;
    at = (*shift)->until;
  }
}

core::OnCallSchedule NewOnCallSchedule(absl::Time now) {
  core::OnCallSchedule schedule;
  schedule.time_zone = "UTC";
  // The first layer starts at the coming Monday 09:00 and hands over weekly.
  absl::CivilDay day = absl::ToCivilDay(now, absl::UTCTimeZone());
  while (absl::GetWeekday(day) != absl::Weekday::monday) ++day;
  core::OnCallLayer layer;
  layer.name = "weekly";
  layer.start = absl::CivilMinute(day.year(), day.month(), day.day(), 9, 0);
  layer.turn_minutes = 10080;
  schedule.layers.push_back(std::move(layer));
  return schedule;
}

HttpResponse OnCallPage(app::AppContext& context, const WebCaller& web, const std::string& name,
                        std::string notice) {
  web::ConsoleOnCallView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  absl::StatusOr<core::OnCallSchedule> schedule =
      app::GetOnCallSchedule(context, web.caller.viewer, name);
  if (schedule.ok()) {
    OnCallFillShifts(context, web, *schedule, view);
    view.form = web::OnCallFormFromSchedule(*schedule, view.zone, view.may_edit ? 1 : 0, 3,
                                            view.may_edit ? 1 : 0);
  } else if (absl::IsNotFound(schedule.status()) && view.may_edit && app::IsValidConfigName(name)) {
    view.is_new = true;
    view.form = web::OnCallFormFromSchedule(NewOnCallSchedule(context.clock.Now()),
                                            absl::UTCTimeZone(), 0, 3, 1);
    view.form.layers.front().participants.resize(3);
  } else if (absl::IsNotFound(schedule.status()) || absl::IsPermissionDenied(schedule.status())) {
    return ConsoleNotFound();
  } else {
    return HtmlPage(503,
                    web::RenderConsoleMessagePage(OnCallFrame(context, web, "On-call schedule", ""),
                                                  RefusalText(schedule.status())));
  }
  view.people = EscalationStaffChoices(context, web.caller.viewer, kOnCallPeopleChoices);
  return HtmlPage(200, web::RenderConsoleOnCallPage(
                           OnCallFrame(context, web, absl::StrCat("On-call schedule ", name),
                                       std::move(notice)),
                           view));
}

void PostOnCall(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                Respond respond) {
  const std::string name = OnCallNameOf(request);
  std::optional<EscalationFormFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  web::ConsoleOnCallView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  absl::StatusOr<core::OnCallSchedule> stored =
      app::GetOnCallSchedule(context, web.caller.viewer, name);
  if (stored.ok()) {
    OnCallFillShifts(context, web, *stored, view);
  } else if (!absl::IsNotFound(stored.status()) || !view.may_edit ||
             !app::IsValidConfigName(name)) {
    return respond(ConsoleNotFound());
  } else {
    view.is_new = true;
  }
  view.form = OnCallFormFromFields(*fields);
  view.people = EscalationStaffChoices(context, web.caller.viewer, kOnCallPeopleChoices);
  const std::string title = absl::StrCat("On-call schedule ", name);
  const auto refuse = [&context, web, title](int status, web::ConsoleOnCallView& shown,
                                             std::string reason) {
    shown.error = std::move(reason);
    return HtmlPage(status,
                    web::RenderConsoleOnCallPage(OnCallFrame(context, web, title, ""), shown));
  };
  if (!view.may_edit) {
    return respond(refuse(403, view, "Only an admin can change on-call schedules."));
  }
  EscalationFormRows rows;
  absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromForm(name, view.form, rows);
  if (!schedule.ok()) return respond(refuse(400, view, std::string(schedule.status().message())));
  app::PutOnCallSchedule(
      context, web.caller.viewer, name, *std::move(schedule),
      [name, refuse, rows, view = std::move(view),
       respond = std::move(respond)](absl::StatusOr<core::OnCallSchedule> saved) mutable {
        if (saved.ok()) {
          return respond(SeeOther(absl::StrCat(OnCallPath(name), "?notice=", kOnCallSavedNotice)));
        }
        const std::string reason =
            HttpStatusFor(saved.status()) >= 500
                ? RefusalText(saved.status())
                : OnCallFormMessage(std::string(saved.status().message()), rows);
        respond(refuse(HttpStatusFor(saved.status()), view, reason));
      });
}

void DeleteOnCall(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                  Respond respond) {
  app::DeleteOnCallSchedule(
      context, web.caller.viewer, OnCallNameOf(request),
      [&context, request, web,
       respond = std::move(respond)](absl::StatusOr<core::OnCallSchedule> deleted) {
        if (absl::IsNotFound(deleted.status())) return respond(ConsoleNotFound());
        if (!deleted.ok()) {
          const std::string reason = absl::IsPermissionDenied(deleted.status())
                                         ? "Only an admin can delete on-call schedules."
                                         : RefusalText(deleted.status());
          return respond(
              OnCallListPage(context, request, web, HttpStatusFor(deleted.status()), "", reason));
        }
        respond(SeeOther(absl::StrCat("/console/admin/oncall?notice=", kOnCallDeletedNotice)));
      });
}

}  // namespace

void RegisterConsoleOnCallRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/console/admin/oncall",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               if (const auto name = request.Query("new")) {
                 if (!core::IsAdmin(web.caller.viewer)) return respond(ConsoleNotFound());
                 if (!app::IsValidConfigName(*name)) {
                   return respond(
                       OnCallListPage(context, request, web, 400, "",
                                      "name: 1 to 64 lower-case letters, digits, \"_\" and \"-\""));
                 }
                 return respond(SeeOther(OnCallPath(std::string(*name))));
               }
               const bool deleted = request.Query("notice").value_or("") == kOnCallDeletedNotice;
               respond(OnCallListPage(context, request, web, 200,
                                      deleted ? "On-call schedule deleted." : "", ""));
             }));
  router.Add("GET", "/console/admin/oncall/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const bool saved = request.Query("notice").value_or("") == kOnCallSavedNotice;
               respond(OnCallPage(context, web, OnCallNameOf(request),
                                  saved ? "On-call schedule saved." : ""));
             }));
  router.Add("POST", "/console/admin/oncall/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               PostOnCall(context, request, web, std::move(respond));
             }));
  router.Add("POST", "/console/admin/oncall/{name}/delete",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               DeleteOnCall(context, request, web, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http

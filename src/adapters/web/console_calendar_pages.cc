// The calendar pages (see console_calendar_pages.h).
#include "adapters/web/console_calendar_pages.h"

#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

using Data = kainjow::mustache::data;

constexpr std::string_view kCalendarListTemplate = R"html(<h1>Business-hours calendars</h1>
<p class="cd-note">SLA clocks count time only inside a calendar's business hours. Each calendar has
a time zone, weekly windows in local time (a window may run past midnight) and holidays. A plan's
SLA policy names the calendar each of its targets runs on.</p>
<section class="cc-section" aria-labelledby="cal-list-h">
<h2 id="cal-list-h" class="sp-vh">Calendars</h2>
<table class="cq-table">
<caption class="sp-vh">Calendars by name</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Time zone</th><th scope="col">Weekly hours</th><th scope="col">Holidays</th><th scope="col">Source</th></tr></thead>
<tbody>
{{#calendars}}<tr>
<td data-label="Name"><a href="/console/admin/calendars/{{name}}">{{name}}</a></td>
<td data-label="Time zone">{{time_zone}}</td>
<td data-label="Weekly hours">{{hours}}</td>
<td data-label="Holidays">{{holidays}}</td>
<td data-label="Source">{{#shipped}}Shipped{{/shipped}}{{^shipped}}Stored{{/shipped}}</td>
</tr>{{/calendars}}
</tbody>
</table>
</section>
{{#may_edit}}
<section class="cc-section" aria-labelledby="cal-new-h">
<h2 id="cal-new-h">New calendar</h2>
{{#form_error}}<p class="cd-form-error" id="cal-new-error" role="alert">{{form_error}}</p>{{/form_error}}
<form method="get" action="/console/admin/calendars" class="cc-form">
<div class="sp-field">
<label for="cal-new-name">Name</label>
<input id="cal-new-name" name="new" type="text" required maxlength="64" pattern="[a-z0-9_\-]+" aria-describedby="cal-new-hint{{#form_error}} cal-new-error{{/form_error}}">
<p id="cal-new-hint" class="cd-note">Lower-case letters, digits, "_" and "-", e.g. "support-emea".</p>
</div>
<div><button type="submit">Create calendar</button></div>
</form>
</section>
{{/may_edit}}
)html";

constexpr std::string_view kCalendarTemplate =
    R"html(<p><a href="/console/admin/calendars">All calendars</a></p>
<h1>{{#is_new}}New calendar {{/is_new}}{{^is_new}}Calendar {{/is_new}}<code>{{name}}</code></h1>
{{#shipped}}<p class="cd-note">This is the calendar Casedesk ships. Saving stores your version in its place; deleting yours brings the shipped one back.</p>{{/shipped}}
{{^may_edit}}<p class="cd-note">Only an admin can change calendars. You can preview due times.</p>{{/may_edit}}
<form method="post" action="/console/admin/calendars/{{name}}" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="cal-error" role="alert">{{form_error}}</p>{{/form_error}}
<div class="sp-field">
<label for="cal-zone">Time zone</label>
<input id="cal-zone" name="time_zone" type="text" required value="{{time_zone}}" aria-describedby="cal-zone-hint" autocomplete="off" spellcheck="false">
<p id="cal-zone-hint" class="cd-note">An IANA name such as Europe/London, America/Los_Angeles or UTC. Windows are local times in this zone, so they keep their wall-clock hours across daylight-saving changes.</p>
</div>
<fieldset class="sp-choices">
<legend>Weekly hours</legend>
<p id="cal-days-hint" class="cd-note">Windows as HH:MM-HH:MM, several separated by commas. A window that ends at or before its start runs past midnight and belongs to the day it starts on; 00:00-24:00 is the whole day. Leave a day empty for no business hours.</p>
<div class="cd-field-pair">
{{#days}}<div class="sp-field">
<label for="cal-{{key}}">{{label}}</label>
<input id="cal-{{key}}" name="{{key}}" type="text" value="{{windows}}" aria-describedby="cal-days-hint" autocomplete="off" spellcheck="false">
</div>{{/days}}
</div>
</fieldset>
<div class="sp-field">
<label for="cal-holidays">Holidays</label>
<textarea id="cal-holidays" name="holidays" rows="4" aria-describedby="cal-holidays-hint">{{holidays}}</textarea>
<p id="cal-holidays-hint" class="cd-note">One date per line (YYYY-MM-DD). A holiday removes the windows that start on that date.</p>
</div>
<fieldset class="sp-choices">
<legend>Preview</legend>
<div class="cd-field-pair">
<div class="sp-field">
<label for="cal-from">A clock starting at (calendar time)</label>
<input id="cal-from" name="from" type="datetime-local" value="{{from_local}}">
</div>
<div class="sp-field">
<label for="cal-minutes">Another target, in business minutes <span class="cd-optional">(optional)</span></label>
<input id="cal-minutes" name="minutes" type="number" min="0" max="1000000" value="{{extra_minutes}}">
</div>
</div>
</fieldset>
<div class="cd-inline">
<button type="submit" name="action" value="preview">Preview due times</button>
{{#may_edit}}<button type="submit" name="action" value="save">Save calendar</button>{{/may_edit}}
</div>
</form>
{{#previewed}}
<section class="cc-section" aria-labelledby="cal-preview-h" id="cal-preview">
<h2 id="cal-preview-h">Due times for a clock starting {{from_text}}</h2>
{{#has_due}}
<table class="cq-table">
<caption class="sp-vh">When each target falls due on this calendar{{#unsaved}}, as edited (not saved){{/unsaved}}</caption>
<thead><tr><th scope="col">Target</th><th scope="col">Business time</th><th scope="col">Due ({{zone}})</th><th scope="col">Due (UTC)</th></tr></thead>
<tbody>
{{#due}}<tr>
<td data-label="Target">{{label}}</td>
<td data-label="Business time">{{amount}}</td>
<td data-label="Due ({{zone}})">{{local}}</td>
<td data-label="Due (UTC)"><time datetime="{{iso}}">{{utc}}</time></td>
</tr>{{/due}}
</tbody>
</table>
{{/has_due}}
{{^has_due}}<p class="cd-note">No SLA target runs on this calendar yet. Give a number of business minutes above to see when it would fall due.</p>{{/has_due}}
</section>
{{/previewed}}
{{#deletable}}
<section class="cc-section" aria-labelledby="cal-delete-h">
<h2 id="cal-delete-h">Delete</h2>
<form method="post" action="/console/admin/calendars/{{name}}/delete" class="cd-inline">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button type="submit">{{#replaces_shipped}}Delete and use the shipped calendar{{/replaces_shipped}}{{^replaces_shipped}}Delete calendar{{/replaces_shipped}}</button>
</form>
</section>
{{/deletable}}
)html";

// "08:00-17:00, 18:00-20:00" for a day's windows.
std::string WindowsText(const core::CalendarSpec& spec, std::string_view day) {
  const auto it = spec.hours.find(std::string(day));
  return it == spec.hours.end() ? std::string() : absl::StrJoin(it->second, ", ");
}

// "Mon-Fri 08:00-01:00": a short summary of the weekly windows for the list.
std::string HoursSummary(const core::CalendarSpec& spec) {
  std::vector<std::string> parts;
  for (const auto& [key, label] : kCalendarDays) {
    const std::string windows = WindowsText(spec, key);
    if (!windows.empty())
      parts.push_back(absl::StrCat(std::string(label.substr(0, 3)), " ", windows));
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, "; ");
}

// "1 d 2 h 30 min" of business time (days of 24 hours).
std::string AmountText(int64_t minutes) {
  std::vector<std::string> parts;
  if (minutes >= 1440) parts.push_back(absl::StrCat(minutes / 1440, " d"));
  if (minutes % 1440 >= 60) parts.push_back(absl::StrCat((minutes % 1440) / 60, " h"));
  if (minutes % 60 != 0 || minutes == 0) parts.push_back(absl::StrCat(minutes % 60, " min"));
  return absl::StrCat(absl::StrJoin(parts, " "), " (", minutes, " min)");
}

}  // namespace

CalendarFormText CalendarFormFromSpec(const core::CalendarSpec& spec) {
  CalendarFormText form;
  form.time_zone = spec.time_zone;
  for (size_t i = 0; i < kCalendarDays.size(); ++i) {
    form.days[i] = WindowsText(spec, kCalendarDays[i].first);
  }
  form.holidays = absl::StrJoin(spec.holidays, "\n");
  return form;
}

std::string RenderConsoleCalendarListPage(const ConsoleFrame& frame,
                                          const ConsoleCalendarListView& view) {
  Data data = EmptyObject();
  Data rows = EmptyList();
  for (const app::CalendarEntry& entry : view.calendars) {
    Data row = EmptyObject();
    row.set("name", CleanText(entry.name));
    row.set("time_zone", CleanText(entry.spec.time_zone));
    row.set("hours", CleanText(HoursSummary(entry.spec)));
    row.set("holidays", entry.spec.holidays.empty() ? std::string("none")
                                                    : absl::StrCat(entry.spec.holidays.size()));
    row.set("shipped", entry.shipped);
    rows.push_back(row);
  }
  data.set("calendars", rows);
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  return RenderConsoleDocument(frame, data, kCalendarListTemplate);
}

std::string RenderConsoleCalendarPage(const ConsoleFrame& frame, const ConsoleCalendarView& view) {
  Data data = EmptyObject();
  data.set("name", CleanText(view.name));
  data.set("is_new", view.is_new);
  data.set("shipped", view.shipped);
  data.set("may_edit", view.may_edit);
  data.set("deletable", view.deletable && view.may_edit);
  data.set("replaces_shipped", view.shipped);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("time_zone", CleanText(view.form.time_zone));
  Data days = EmptyList();
  for (size_t i = 0; i < kCalendarDays.size(); ++i) {
    Data day = EmptyObject();
    day.set("key", std::string(kCalendarDays[i].first));
    day.set("label", std::string(kCalendarDays[i].second));
    day.set("windows", CleanText(view.form.days[i]));
    days.push_back(day);
  }
  data.set("days", days);
  data.set("holidays", CleanText(view.form.holidays));
  data.set("from_local", CleanText(view.from_local));
  data.set("extra_minutes", CleanText(view.extra_minutes));
  data.set("previewed", view.previewed);
  if (view.previewed) {
    const std::string zone = CleanText(view.zone.name());
    data.set("zone", zone);
    data.set("from_text",
             CleanText(absl::StrCat(absl::FormatTime("%a %e %b %Y %H:%M", view.from, view.zone),
                                    " ", view.zone.name())));
    data.set("unsaved", view.unsaved);
    Data due = EmptyList();
    for (const core::PreviewDue& entry : view.due) {
      Data row = EmptyObject();
      row.set("label", CleanText(entry.target.label));
      row.set("amount", AmountText(entry.target.minutes));
      row.set("local", absl::FormatTime("%a %e %b %Y %H:%M", entry.due, view.zone));
      row.set("utc", absl::FormatTime("%a %e %b %Y %H:%M", entry.due, absl::UTCTimeZone()));
      row.set("iso", IsoTime(entry.due));
      due.push_back(row);
    }
    data.set("has_due", !view.due.empty());
    data.set("due", due);
  }
  return RenderConsoleDocument(frame, data, kCalendarTemplate);
}

}  // namespace casedesk::adapters::web

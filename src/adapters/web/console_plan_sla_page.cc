// The SLA policy page of a plan (see console_plan_sla_page.h).
#include "adapters/web/console_plan_sla_page.h"

#include <algorithm>
#include <kainjow/mustache.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"
#include "core/case.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::string_view kPlanSlaTemplate =
    R"html(<p><a href="/console/admin/plans/{{plan}}">Plan {{plan}}</a></p>
<h1>SLA policy of <code>{{plan}}</code></h1>
{{#shipped}}<p class="cd-note">This is the policy Casedesk ships for this plan. Saving stores your version in its place.</p>{{/shipped}}
{{^has_policy}}<p class="cd-note">This plan has no SLA policy yet: its cases run no clocks. The form starts from a template; saving gives the plan this policy.</p>{{/has_policy}}
{{^may_edit}}<p class="cd-note">Only an admin can change SLA policies.</p>{{/may_edit}}
<form method="post" action="/console/admin/plans/{{plan}}/sla" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="sla-error" role="alert">{{form_error}}</p>{{/form_error}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="sla-business-calendar">Business calendar</label>
<select id="sla-business-calendar" name="business_calendar" aria-describedby="sla-calendar-hint">{{#business_options}}{{> option}}{{/business_options}}</select>
<p id="sla-calendar-hint" class="cd-note">The plan's business hours, and the calendar of every target set to "Plan's calendar". Calendars are edited on the <a href="/console/admin/calendars">calendars</a> page.</p>
</div>
<div class="sp-field">
<label for="sla-warning">Warn when this share of a target is used (%)</label>
<input id="sla-warning" name="warning_percent" type="number" min="1" max="99" step="any" required value="{{warning_percent}}">
</div>
</div>
<div class="sp-check"><input type="checkbox" id="sla-confirm-critical" name="confirm_critical" value="1"{{#confirm_critical}} checked{{/confirm_critical}}><label for="sla-confirm-critical">A customer's severity 1 pages no one until staff confirm it in triage</label></div>
<section class="cc-section" aria-labelledby="sla-targets-h">
<h2 id="sla-targets-h">Targets</h2>
<p id="sla-targets-hint" class="cd-note">A target is a number of business minutes on its calendar (60 is one business hour, 1440 is 24), or a named target without a clock: <code>next_release</code>, <code>to_be_decided</code>. The update cadence is the business minutes between public updates once the first response is given, or <code>on_milestone</code>.</p>
<table class="cq-table">
<caption class="sp-vh">Targets and calendars per severity</caption>
<thead><tr><th scope="col">Severity</th>{{#clock_heads}}<th scope="col">{{label}}</th>{{/clock_heads}}</tr></thead>
<tbody>
{{#severities}}<tr>
<th scope="row">{{level}} · {{severity_name}}</th>
{{#clocks}}<td data-label="{{clock_label}}">
<div class="sp-field">
<label for="sla-{{level}}-{{clock}}">Severity {{level}} {{clock_text}} target</label>
<input id="sla-{{level}}-{{clock}}" name="{{field}}" type="text" required value="{{target}}" aria-describedby="sla-targets-hint" autocomplete="off" spellcheck="false" size="12">
</div>
<div class="sp-field">
<label for="sla-{{level}}-{{clock}}-calendar">Severity {{level}} {{clock_text}} calendar</label>
<select id="sla-{{level}}-{{clock}}-calendar" name="{{field}}_calendar">{{#options}}{{> option}}{{/options}}</select>
</div>
</td>{{/clocks}}
</tr>{{/severities}}
</tbody>
</table>
</section>
<section class="cc-section" aria-labelledby="sla-kept-h">
<h2 id="sla-kept-h">Kept as they are</h2>
<dl>
<dt>Statuses that pause the clocks</dt><dd>{{pause_statuses}}</dd>
<dt>After-hours rule</dt><dd>{{after_hours}}</dd>
<dt>Service-task estimate</dt><dd>{{estimate}}</dd>
</dl>
<p class="cd-note">These can be changed through the API (PUT /api/v1/plans/{{plan}}/sla-policy).</p>
</section>
{{#may_edit}}<div><button type="submit">Save SLA policy</button></div>{{/may_edit}}
</form>
)html";

std::string SlaTargetText(const core::SlaTarget& target) {
  return target.is_named() ? target.name : absl::StrCat(target.minutes);
}

// "60 min on always" / "next_release" for the read-only summaries.
std::string SlaTargetSummary(const core::SlaTarget& target) {
  std::string text =
      target.is_named() ? target.name : absl::StrCat(target.minutes, " business minutes");
  if (!target.calendar.empty()) absl::StrAppend(&text, " on ", target.calendar);
  return text;
}

std::string SlaAfterHoursSummary(const core::SlaPolicy& policy) {
  if (!policy.after_hours) return "None.";
  const core::AfterHoursRule& rule = *policy.after_hours;
  std::vector<std::string> levels;
  for (core::Severity severity : rule.severities) {
    levels.push_back(absl::StrCat(core::SeverityLevel(severity)));
  }
  std::vector<std::string> clocks;
  for (const auto& [kind, target] : rule.clocks) {
    clocks.push_back(
        absl::StrCat(std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, kind)),
                     " ", SlaTargetSummary(target)));
  }
  return absl::StrCat("Severity ", absl::StrJoin(levels, ", "), " outside the hours of ",
                      rule.hours_calendar.empty() ? policy.business_calendar : rule.hours_calendar,
                      ": ", absl::StrJoin(clocks, "; "), ".");
}

TemplateData SlaCalendarOptions(const std::vector<std::string>& calendars,
                                const std::string& selected, bool with_plan_calendar) {
  TemplateData options = EmptyList();
  auto add = [&options, &selected](const std::string& value, const std::string& label) {
    TemplateData option = EmptyObject();
    option.set("value", CleanText(value));
    option.set("label", CleanText(label));
    option.set("selected", value == selected);
    options.push_back(option);
  };
  if (with_plan_calendar) add("", "Plan's calendar");
  for (const std::string& name : calendars) add(name, name);
  // A name that is not a calendar (any more) stays selectable, so the refusal names it.
  if (!selected.empty() &&
      std::find(calendars.begin(), calendars.end(), selected) == calendars.end()) {
    add(selected, selected);
  }
  return options;
}

// The target of `text` for `field` ("severity 2 first response"): minutes or a name.
absl::StatusOr<core::SlaTarget> SlaTargetFromText(std::string_view text,
                                                  const std::string& calendar,
                                                  std::string_view field) {
  const std::string target(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  if (target.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": give a number of business minutes or a named target"));
  }
  if (absl::ascii_isdigit(static_cast<unsigned char>(target[0])) || target[0] == '-') {
    int64_t minutes = 0;
    if (!absl::SimpleAtoi(target, &minutes)) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(field), ": \"", target, "\" is not a whole number of minutes"));
    }
    return core::SlaTarget::Minutes(minutes, calendar);
  }
  return core::SlaTarget::Named(target, calendar);
}

}  // namespace

std::string SlaTargetFieldName(int level, std::string_view clock) {
  return absl::StrCat("s", level, "_", std::string(clock));
}

SlaPolicyFormText SlaPolicyFormFromPolicy(const core::SlaPolicy& policy) {
  SlaPolicyFormText form;
  form.business_calendar = policy.business_calendar;
  form.warning_percent = absl::StrCat(policy.warning_fraction * 100);
  form.confirm_critical = policy.confirm_critical_before_paging;
  for (int level = 1; level <= 4; ++level) {
    SlaSeverityFormText& severity = form.severities[level - 1];
    severity.level = level;
    const auto it = policy.targets.find(static_cast<core::Severity>(level));
    if (it == policy.targets.end()) continue;
    const core::SeverityTargets& targets = it->second;
    severity.clocks[0] = {SlaTargetText(targets.first_response), targets.first_response.calendar};
    const core::SlaTarget cadence = targets.next_update.AsTarget();
    severity.clocks[1] = {SlaTargetText(cadence), cadence.calendar};
    severity.clocks[2] = {SlaTargetText(targets.resolution), targets.resolution.calendar};
  }
  return form;
}

absl::StatusOr<core::SlaPolicy> SlaPolicyFromForm(const SlaPolicyFormText& form,
                                                  core::SlaPolicy base) {
  base.business_calendar = form.business_calendar;
  double percent = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(form.warning_percent), &percent) ||
      !(percent > 0 && percent < 100)) {
    return absl::InvalidArgumentError(
        "warning_percent: give the share of a target after which it warns, between 0 and 100 %");
  }
  base.warning_fraction = percent / 100;
  base.confirm_critical_before_paging = form.confirm_critical;
  for (const SlaSeverityFormText& severity : form.severities) {
    core::SeverityTargets targets;
    const std::string name = absl::StrCat("severity ", severity.level);
    absl::StatusOr<core::SlaTarget> first =
        SlaTargetFromText(severity.clocks[0].target, severity.clocks[0].calendar,
                          absl::StrCat(name, " first response"));
    if (!first.ok()) return first.status();
    targets.first_response = *std::move(first);
    absl::StatusOr<core::SlaTarget> cadence =
        SlaTargetFromText(severity.clocks[1].target, severity.clocks[1].calendar,
                          absl::StrCat(name, " update cadence"));
    if (!cadence.ok()) return cadence.status();
    if (!cadence->is_named()) {
      targets.next_update = core::UpdateCadence::Every(cadence->minutes, cadence->calendar);
    } else if (cadence->name == core::kOnMilestoneTarget) {
      targets.next_update = core::UpdateCadence::OnMilestone(cadence->calendar);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " update cadence: give a number of business minutes or on_milestone"));
    }
    absl::StatusOr<core::SlaTarget> resolution = SlaTargetFromText(
        severity.clocks[2].target, severity.clocks[2].calendar, absl::StrCat(name, " resolution"));
    if (!resolution.ok()) return resolution.status();
    targets.resolution = *std::move(resolution);
    base.targets[static_cast<core::Severity>(severity.level)] = std::move(targets);
  }
  return base;
}

std::string RenderConsolePlanSlaPage(const ConsoleFrame& frame, const ConsolePlanSlaView& view) {
  TemplateData data = EmptyObject();
  data.set("plan", CleanText(view.plan));
  data.set("may_edit", view.may_edit);
  data.set("shipped", view.shipped);
  data.set("has_policy", view.has_policy);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("business_options",
           SlaCalendarOptions(view.calendars, view.form.business_calendar, false));
  data.set("warning_percent", CleanText(view.form.warning_percent));
  data.set("confirm_critical", view.form.confirm_critical);
  TemplateData heads = EmptyList();
  for (const auto& [clock, label] : kSlaFormClocks) {
    TemplateData head = EmptyObject();
    head.set("label", std::string(label));
    heads.push_back(head);
  }
  data.set("clock_heads", heads);
  TemplateData severities = EmptyList();
  for (const SlaSeverityFormText& severity : view.form.severities) {
    TemplateData row = EmptyObject();
    row.set("level", absl::StrCat(severity.level));
    row.set("severity_name", CleanText(view.severity_names[severity.level - 1]));
    TemplateData clocks = EmptyList();
    for (size_t i = 0; i < kSlaFormClocks.size(); ++i) {
      TemplateData cell = EmptyObject();
      const std::string clock(kSlaFormClocks[i].first);
      cell.set("clock", clock);
      cell.set("clock_label", std::string(kSlaFormClocks[i].second));
      cell.set("clock_text", absl::AsciiStrToLower(std::string(kSlaFormClocks[i].second)));
      cell.set("field", SlaTargetFieldName(severity.level, clock));
      cell.set("target", CleanText(severity.clocks[i].target));
      cell.set("options", SlaCalendarOptions(view.calendars, severity.clocks[i].calendar, true));
      clocks.push_back(cell);
    }
    row.set("clocks", clocks);
    severities.push_back(row);
  }
  data.set("severities", severities);
  std::vector<std::string> paused;
  for (core::CaseStatus status : view.base.pause_statuses) {
    paused.emplace_back(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, status));
  }
  data.set("pause_statuses", paused.empty() ? std::string("none") : absl::StrJoin(paused, ", "));
  data.set("after_hours", CleanText(SlaAfterHoursSummary(view.base)));
  data.set("estimate", CleanText(view.base.estimate ? SlaTargetSummary(*view.base.estimate)
                                                    : std::string("none")));
  return RenderConsoleDocument(frame, data, kPlanSlaTemplate);
}

}  // namespace casedesk::adapters::web

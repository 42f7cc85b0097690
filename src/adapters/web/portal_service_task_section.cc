#include "adapters/web/portal_service_task_section.h"

#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kPortalServiceTaskSection =
    R"html({{#service_task}}<section class="pt-section pt-st pt-st-{{state}}" id="service-task" aria-labelledby="pt-st-h">
<h2 id="pt-st-h">Service task</h2>
<p class="pt-st-state"><strong>{{state_label}}</strong></p>
{{#estimate_due}}<p class="pt-hint">We reply with an estimate by {{estimate_due}} (your time).</p>{{/estimate_due}}
{{#hours}}<dl class="pt-st-estimate">
<dt>Estimated effort</dt><dd>{{hours}} hours</dd>
<dt>Projected completion</dt><dd>{{completion_date}}</dd>
{{#start_date}}<dt>Planned start</dt><dd>{{start_date}}</dd>{{/start_date}}
</dl>{{/hours}}
{{#decline_reason}}<p class="pt-hint">You declined: {{decline_reason}}</p>{{/decline_reason}}
{{#can_decide}}<form class="sp-form pt-form pt-st-approve" method="post" action="/portal/cases/{{number}}/service-task/approve">
{{> csrf}}
<button type="submit" class="sp-button">Approve the estimate</button>
</form>
<form class="sp-form pt-form pt-st-decline" method="post" action="/portal/cases/{{number}}/service-task/decline">
{{> csrf}}
<div class="sp-field"><label for="pt-st-reason">Reason for declining <span class="cd-optional">(optional)</span></label>
<input type="text" id="pt-st-reason" name="reason" maxlength="2000"></div>
<button type="submit" class="pt-button-quiet">Decline</button>
</form>{{/can_decide}}
</section>
{{/service_task}})html";

constexpr std::string_view kRequestMain = R"html(<h1>{{title}}</h1>
<p class="pt-lead">Our engineers perform common platform activities for you. Describe the work: within one business day we reply with an estimate and a projected completion date, which you approve or decline.</p>
{{#error}}<p class="cd-form-error" id="pt-form-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p>
{{/error}}<form class="sp-form pt-form pt-st-request" method="post" action="/portal/service-tasks">
{{> csrf}}
{{#has_organisations}}<div class="sp-field">
<label for="pt-st-org">For which customer</label>
<select id="pt-st-org" name="org_id">
{{#organisations}}{{> option}}
{{/organisations}}
</select>
</div>{{/has_organisations}}
<div class="sp-field">
<label for="pt-st-subject">What should be done <span class="pt-required">(required)</span></label>
<input type="text" id="pt-st-subject" name="subject" value="{{subject}}" maxlength="250" aria-required="true">
</div>
<div class="sp-field">
<label for="pt-st-description">Details <span class="cd-optional">(optional)</span></label>
<textarea id="pt-st-description" name="description" rows="6">{{description}}</textarea>
</div>
<button type="submit" class="sp-button">Request the task</button>
</form>
)html";

}  // namespace

Data PortalServiceTaskData(const PortalServiceTaskSection& section) {
  if (!section.present) return Data{false};
  Data data{Data::type::object};
  data.set("state", CleanText(section.state));
  data.set("state_label", CleanText(section.state_label));
  data.set("hours", CleanTextOrFalse(section.hours));
  data.set("completion_date", CleanText(section.completion_date));
  data.set("estimate_due", CleanTextOrFalse(section.estimate_due));
  data.set("start_date", CleanTextOrFalse(section.start_date));
  data.set("decline_reason", CleanTextOrFalse(section.decline_reason));
  data.set("can_decide", section.can_decide);
  return data;
}

std::string_view PortalServiceTaskSectionPartial() { return kPortalServiceTaskSection; }

std::string RenderPortalServiceTaskPage(const PortalFrame& frame,
                                        const PortalServiceTaskForm& form) {
  Data data{Data::type::object};
  data.set("subject", CleanText(form.subject));
  data.set("description", CleanText(form.description));
  data.set("error", CleanTextOrFalse(form.error));
  Data organisations{Data::type::list};
  for (const auto& [id, name] : form.organisations) {
    Data option{Data::type::object};
    option.set("value", CleanText(id));
    option.set("label", CleanText(name));
    option.set("selected", id == form.org_id);
    organisations.push_back(option);
  }
  data.set("organisations", organisations);
  data.set("has_organisations", !form.organisations.empty());
  return RenderPortalDocument(frame, data, kRequestMain);
}

}  // namespace casedesk::adapters::web

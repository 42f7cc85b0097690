#include "adapters/web/console_engineering_section.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kSection =
    R"html(<section class="cc-section cc-eg-section" id="cc-engineering" aria-labelledby="cc-engineering-h">
<h2 id="cc-engineering-h">Engineering <span class="cd-optional">(staff only; the customer never sees these links)</span></h2>
{{#engineering}}
{{#has_links}}
<ul class="cc-eg-links">
{{#links}}<li class="cc-eg-link" id="cc-eg-link-{{id}}">
<p class="cc-eg-link-head"><span class="cc-eg-tracker">{{tracker}}</span> {{#url}}<a href="{{url}}" rel="noopener noreferrer" target="_blank">{{key}}</a>{{/url}}{{^url}}<span class="cc-eg-key">{{key}}</span>{{/url}} <span class="cc-eg-state" data-state="{{state}}">{{state}}</span></p>
{{#title}}<p class="cc-eg-title">{{title}}</p>{{/title}}
<p class="cd-note">Linked by {{created_by}} <time datetime="{{created_iso}}">{{created_text}}</time>; last change <time datetime="{{updated_iso}}">{{updated_text}}</time></p>
{{#pending}}<div class="cc-eg-pending">
<p><strong>Suggested update for the customer</strong> (the tracker moved to {{state}}):</p>
<blockquote class="cc-eg-suggestion">{{pending}}</blockquote>
<form method="post" action="/console/cases/{{number}}/engineering/{{id}}/send" class="cc-eg-send-form">
{{> csrf}}
<button type="submit" class="sp-button">Send to the customer</button>
</form>
</div>{{/pending}}
</li>
{{/links}}
</ul>
{{/has_links}}
{{^has_links}}<p class="cd-note">No engineering issue is linked to this case.</p>{{/has_links}}
{{#has_problems}}<p>Problems: {{#problems}}<a href="/console/problems/{{id}}">{{title}}</a> <span class="cd-note">({{status}})</span>{{^last}}, {{/last}}{{/problems}}</p>{{/has_problems}}
{{#form}}
<details class="cc-eg-add"{{#open}} open{{/open}}>
<summary>Link an engineering issue</summary>
<form method="post" action="/console/cases/{{number}}/engineering" class="sp-form cc-eg-form">
{{> csrf}}
{{> form_error_partial}}
<div class="cc-eg-form-row">
<div class="sp-field">
<label for="cc-eg-tracker">Tracker</label>
<input id="cc-eg-tracker" name="tracker" required maxlength="32" value="{{tracker}}"{{#invalid_tracker}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_tracker}}>
</div>
<div class="sp-field">
<label for="cc-eg-key">Issue key</label>
<input id="cc-eg-key" name="key" required maxlength="100" placeholder="PROJ-123" value="{{key}}"{{#invalid_key}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_key}}>
</div>
<div class="sp-field">
<label for="cc-eg-state">State</label>
<input id="cc-eg-state" name="state" maxlength="40" value="{{state}}"{{#invalid_state}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_state}}>
</div>
</div>
<div class="sp-field">
<label for="cc-eg-url">URL <span class="cd-optional">(optional)</span></label>
<input id="cc-eg-url" name="url" type="url" maxlength="2000" value="{{url}}"{{#invalid_url}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_url}}>
</div>
<div class="sp-field">
<label for="cc-eg-title">Title <span class="cd-optional">(optional)</span></label>
<input id="cc-eg-title" name="title" maxlength="300" value="{{title}}"{{#invalid_title}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_title}}>
</div>
<button type="submit" class="sp-button">Link issue</button>
</form>
</details>
{{/form}}
{{/engineering}}
</section>
)html";

}  // namespace

Data ConsoleEngineeringData(const ConsoleCaseView& view) {
  Data section{Data::type::object};
  Data links{Data::type::list};
  for (const core::EngineeringLink& link : view.engineering.links) {
    Data row{Data::type::object};
    row.set("id", absl::StrCat(link.id));
    row.set("tracker", CleanText(link.tracker));
    row.set("key", CleanText(link.issue_key));
    row.set("url", link.url.empty() ? Data{false} : Data{CleanText(link.url)});
    row.set("state", CleanText(link.state));
    row.set("title", link.title.empty() ? Data{false} : Data{CleanText(link.title)});
    row.set("created_by", CleanText(PersonName(view.names, link.created_by)));
    row.set("created_iso", IsoTime(link.created_at));
    row.set("created_text", ShortTime(link.created_at));
    row.set("updated_iso", IsoTime(link.updated_at));
    row.set("updated_text", ShortTime(link.updated_at));
    row.set("pending",
            link.pending_update.empty() ? Data{false} : Data{CleanText(link.pending_update)});
    links.push_back(row);
  }
  section.set("links", links);
  section.set("has_links", !view.engineering.links.empty());
  Data problems{Data::type::list};
  for (size_t i = 0; i < view.engineering.problems.size(); ++i) {
    const core::Problem& problem = view.engineering.problems[i];
    Data row{Data::type::object};
    row.set("id", absl::StrCat(problem.id));
    row.set("title", CleanText(problem.title));
    row.set("status", std::string(core::ProblemStatusLabel(problem.status)));
    row.set("last", i + 1 == view.engineering.problems.size());
    problems.push_back(row);
  }
  section.set("problems", problems);
  section.set("has_problems", !view.engineering.problems.empty());

  const PostedForm& posted = view.form;
  const bool again = posted.Is("engineering");
  Data form{Data::type::object};
  AddFormState(form, posted, "engineering", "cc-eg-form-error",
               {"tracker", "key", "state", "url", "title"});
  form.set("open", again || view.engineering.links.empty());
  form.set("tracker", again ? CleanText(posted.Value("tracker")) : std::string("jira"));
  form.set("key", again ? CleanText(posted.Value("key")) : std::string());
  form.set("state", again ? CleanText(posted.Value("state")) : std::string("open"));
  form.set("url", again ? CleanText(posted.Value("url")) : std::string());
  form.set("title", again ? CleanText(posted.Value("title")) : std::string());
  section.set("form", form);
  return section;
}

std::string_view ConsoleEngineeringSectionPartial() { return kSection; }

}  // namespace casedesk::adapters::web

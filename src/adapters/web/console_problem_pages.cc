#include "adapters/web/console_problem_pages.h"

#include <string_view>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kListMain = R"html(<h1>Problems</h1>
<p class="cd-note">A problem groups incidents with a common cause. Staff only.</p>
<nav class="cc-pr-filter" aria-label="Filter by status"><ul>
{{#filters}}<li><a href="{{href}}"{{#active}} aria-current="page"{{/active}}>{{label}}</a></li>{{/filters}}
</ul></nav>
{{#has_problems}}
<table class="cc-pr-table">
<caption class="sp-vh">Problems, newest first</caption>
<thead><tr><th scope="col">Problem</th><th scope="col">Status</th><th scope="col">Component</th><th scope="col">Cases</th><th scope="col">Changed</th></tr></thead>
<tbody>
{{#problems}}<tr>
<td><a href="/console/problems/{{id}}">{{title}}</a></td>
<td><span class="cc-pr-status" data-status="{{status}}">{{status_label}}</span></td>
<td>{{component}}</td>
<td>{{case_count}}</td>
<td><time datetime="{{updated_iso}}">{{updated_text}}</time></td>
</tr>
{{/problems}}
</tbody>
</table>
{{/has_problems}}
{{^has_problems}}<p class="cd-note">No problems recorded{{#filtered}} with this status{{/filtered}}.</p>{{/has_problems}}
{{#form}}
<section class="cc-section" aria-labelledby="cc-pr-new-h">
<h2 id="cc-pr-new-h">New problem</h2>
<form method="post" action="/console/problems" class="sp-form cc-pr-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-pr-title">Title</label>
<input id="cc-pr-title" name="title" required maxlength="200" value="{{title}}"{{#invalid_title}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_title}}>
</div>
<div class="sp-field">
<label for="cc-pr-component">Component <span class="cd-optional">(optional)</span></label>
<input id="cc-pr-component" name="component" maxlength="100" value="{{component}}"{{#invalid_component}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_component}}>
</div>
<div class="sp-field">
<label for="cc-pr-root-cause">Root cause <span class="cd-optional">(optional; what is known so far)</span></label>
<textarea id="cc-pr-root-cause" name="root_cause" rows="4"{{#invalid_root_cause}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_root_cause}}>{{root_cause}}</textarea>
</div>
<button type="submit" class="sp-button">Create problem</button>
</form>
</section>
{{/form}}
)html";

constexpr std::string_view kPageMain =
    R"html(<p><a href="/console/problems">&larr; All problems</a></p>
{{#problem}}
<h1>{{title}}</h1>
<p class="cc-pr-summary"><span class="cc-pr-status" data-status="{{status}}">{{status_label}}</span>{{#component}} &middot; {{component}}{{/component}} &middot; {{case_count}} linked cases &middot; opened by {{created_by}} <time datetime="{{created_iso}}">{{created_text}}</time>{{#resolved_text}} &middot; resolved {{resolved_text}}{{/resolved_text}}</p>
{{#root_cause}}<section class="cc-section" aria-labelledby="cc-pr-cause-h"><h2 id="cc-pr-cause-h">Root cause</h2><div class="cc-pr-root-cause">{{root_cause}}</div></section>{{/root_cause}}
{{/problem}}
<section class="cc-section" aria-labelledby="cc-pr-cases-h">
<h2 id="cc-pr-cases-h">Linked cases</h2>
{{#has_cases}}
<table class="cc-pr-table">
<caption class="sp-vh">Cases linked to this problem, newest first</caption>
<thead><tr><th scope="col">Case</th><th scope="col">Subject</th><th scope="col">Organisation</th><th scope="col">Status</th><th scope="col">Opened</th><th scope="col"><span class="sp-vh">Unlink</span></th></tr></thead>
<tbody>
{{#cases}}<tr>
<td><a href="/console/cases/{{number}}">#{{number}}</a></td>
<td>{{subject}}</td>
<td>{{org}}</td>
<td>{{status}}</td>
<td><time datetime="{{opened_iso}}">{{opened_text}}</time></td>
<td><form method="post" action="/console/problems/{{problem_id}}/cases/{{number}}/unlink">{{> csrf}}<button type="submit" class="sp-button sp-button-quiet">Unlink<span class="sp-vh"> case {{number}}</span></button></form></td>
</tr>
{{/cases}}
</tbody>
</table>
{{/has_cases}}
{{^has_cases}}<p class="cd-note">No case is linked yet.</p>{{/has_cases}}
{{#link_form}}
<form method="post" action="/console/problems/{{problem_id}}/cases" class="sp-form cc-pr-link-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-pr-case-number">Link a case by number</label>
<input id="cc-pr-case-number" name="case_number" inputmode="numeric" required value="{{case_number}}"{{#invalid_case_number}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_case_number}}>
</div>
<button type="submit" class="sp-button">Link case</button>
</form>
{{/link_form}}
</section>
{{#edit_form}}
<section class="cc-section" aria-labelledby="cc-pr-edit-h">
<h2 id="cc-pr-edit-h">Status and root cause</h2>
<form method="post" action="/console/problems/{{problem_id}}" class="sp-form cc-pr-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-pr-edit-title">Title</label>
<input id="cc-pr-edit-title" name="title" required maxlength="200" value="{{title}}"{{#invalid_title}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_title}}>
</div>
<div class="sp-field">
<label for="cc-pr-edit-status">Status</label>
<select id="cc-pr-edit-status" name="status"{{#invalid_status}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_status}}>{{#statuses}}{{> option}}{{/statuses}}</select>
</div>
<div class="sp-field">
<label for="cc-pr-edit-component">Component</label>
<input id="cc-pr-edit-component" name="component" maxlength="100" value="{{component}}"{{#invalid_component}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_component}}>
</div>
<div class="sp-field">
<label for="cc-pr-edit-root-cause">Root cause</label>
<textarea id="cc-pr-edit-root-cause" name="root_cause" rows="6"{{#invalid_root_cause}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_root_cause}}>{{root_cause}}</textarea>
</div>
<button type="submit" class="sp-button">Save</button>
</form>
</section>
{{/edit_form}}
<section class="cc-section" aria-labelledby="cc-pr-history-h">
<h2 id="cc-pr-history-h">History</h2>
<ol class="cc-history">
{{#events}}<li><time datetime="{{at_iso}}">{{at_text}}</time> <span class="cc-event-kind">{{kind}}</span> <span class="cd-note">by {{actor}}</span>
{{#has_changes}}<ul class="cd-changes">{{#changes}}<li>{{field}}: {{before}} &rarr; {{after}}</li>{{/changes}}</ul>{{/has_changes}}
</li>
{{/events}}</ol>
</section>
)html";

std::string StatusName(core::ProblemStatus status) {
  return std::string(core::NameOf<core::ProblemStatus>(core::kProblemStatusNames, status));
}

std::string KindText(std::string_view kind) {
  if (kind == "problem.created") return "Problem recorded";
  if (kind == "problem.updated") return "Problem changed";
  if (kind == "problem.case_linked") return "Case linked";
  if (kind == "problem.case_unlinked") return "Case unlinked";
  return std::string(kind);
}

Data StatusOptions(std::string_view selected) {
  Data options{Data::type::list};
  for (const auto& [status, name] : core::kProblemStatusNames) {
    Data option{Data::type::object};
    option.set("value", std::string(name));
    option.set("label", std::string(core::ProblemStatusLabel(status)));
    option.set("selected", name == selected);
    options.push_back(option);
  }
  return options;
}

}  // namespace

std::string RenderProblemListPage(const ConsoleFrame& frame, const ProblemListView& view) {
  Data data{Data::type::object};
  Data filters{Data::type::list};
  Data all{Data::type::object};
  all.set("href", "/console/problems");
  all.set("label", "All");
  all.set("active", view.status_filter.empty());
  filters.push_back(all);
  for (const auto& [status, name] : core::kProblemStatusNames) {
    Data filter{Data::type::object};
    filter.set("href", absl::StrCat("/console/problems?status=", std::string(name)));
    filter.set("label", std::string(core::ProblemStatusLabel(status)));
    filter.set("active", view.status_filter == name);
    filters.push_back(filter);
  }
  data.set("filters", filters);
  Data problems{Data::type::list};
  for (const core::Problem& problem : view.problems) {
    Data row{Data::type::object};
    row.set("id", absl::StrCat(problem.id));
    row.set("title", CleanText(problem.title));
    row.set("status", StatusName(problem.status));
    row.set("status_label", std::string(core::ProblemStatusLabel(problem.status)));
    row.set("component", CleanText(problem.component));
    row.set("case_count", absl::StrCat(problem.case_count));
    row.set("updated_iso", IsoTime(problem.updated_at));
    row.set("updated_text", ShortTime(problem.updated_at));
    problems.push_back(row);
  }
  data.set("problems", problems);
  data.set("has_problems", !view.problems.empty());
  data.set("filtered", !view.status_filter.empty());
  const bool again = view.form.Is("new-problem");
  Data form{Data::type::object};
  AddFormState(form, view.form, "new-problem", "cc-pr-new-error",
               {"title", "component", "root_cause"});
  form.set("title", again ? CleanText(view.form.Value("title")) : std::string());
  form.set("component", again ? CleanText(view.form.Value("component")) : std::string());
  form.set("root_cause", again ? CleanText(view.form.Value("root_cause")) : std::string());
  data.set("form", form);
  return RenderConsoleDocument(frame, data, kListMain);
}

std::string RenderProblemPage(const ConsoleFrame& frame, const ProblemPageView& view) {
  const core::Problem& p = view.detail.problem;
  Data data{Data::type::object};
  const std::string id = absl::StrCat(p.id);
  data.set("problem_id", id);
  Data problem{Data::type::object};
  problem.set("title", CleanText(p.title));
  problem.set("status", StatusName(p.status));
  problem.set("status_label", std::string(core::ProblemStatusLabel(p.status)));
  problem.set("component", p.component.empty() ? Data{false} : Data{CleanText(p.component)});
  problem.set("case_count", absl::StrCat(p.case_count));
  problem.set("created_by", CleanText(PersonName(view.detail.names, p.created_by)));
  problem.set("created_iso", IsoTime(p.created_at));
  problem.set("created_text", ShortTime(p.created_at));
  problem.set("resolved_text",
              p.resolved_at == absl::InfinitePast() ? Data{false} : Data{ShortTime(p.resolved_at)});
  problem.set("root_cause", p.root_cause.empty() ? Data{false} : Data{CleanText(p.root_cause)});
  data.set("problem", problem);

  Data cases{Data::type::list};
  for (const ports::ProblemCase& linked : view.detail.cases) {
    Data row{Data::type::object};
    row.set("number", absl::StrCat(linked.case_number));
    row.set("problem_id", id);
    row.set("subject", CleanText(linked.subject));
    const auto org = view.detail.org_names.find(linked.org_id);
    row.set("org", CleanText(org == view.detail.org_names.end() ? "" : org->second));
    row.set("status", CleanText(linked.status));
    row.set("opened_iso", IsoTime(linked.opened_at));
    row.set("opened_text", ShortTime(linked.opened_at));
    cases.push_back(row);
  }
  data.set("cases", cases);
  data.set("has_cases", !view.detail.cases.empty());

  const PostedForm& posted = view.form;
  Data link_form{Data::type::object};
  AddFormState(link_form, posted, "link-case", "cc-pr-link-error", {"case_number"});
  link_form.set("case_number",
                posted.Is("link-case") ? CleanText(posted.Value("case_number")) : std::string());
  data.set("link_form", link_form);

  const bool again = posted.Is("problem");
  Data edit{Data::type::object};
  AddFormState(edit, posted, "problem", "cc-pr-edit-error",
               {"title", "status", "component", "root_cause"});
  edit.set("title", CleanText(again ? posted.Value("title") : p.title));
  edit.set("component", CleanText(again ? posted.Value("component") : p.component));
  edit.set("root_cause", CleanText(again ? posted.Value("root_cause") : p.root_cause));
  edit.set("statuses", StatusOptions(again ? posted.Value("status") : StatusName(p.status)));
  data.set("edit_form", edit);

  Data events{Data::type::list};
  for (const core::AuditEvent& event : view.detail.events) {
    Data row{Data::type::object};
    row.set("at_iso", IsoTime(event.at));
    row.set("at_text", ShortTime(event.at));
    row.set("kind", KindText(event.kind));
    row.set("actor", CleanText(PersonName(view.detail.names, event.actor_id)));
    Data changes{Data::type::list};
    for (const core::FieldChange& change : event.changes) {
      Data item{Data::type::object};
      item.set("field", CleanText(change.field));
      item.set("before", CleanText(change.before));
      item.set("after", CleanText(change.after));
      changes.push_back(item);
    }
    row.set("changes", changes);
    row.set("has_changes", !event.changes.empty());
    events.push_back(row);
  }
  data.set("events", events);
  return RenderConsoleDocument(frame, data, kPageMain);
}

}  // namespace casedesk::adapters::web

#include "adapters/web/portal_new_case_page.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kCategoryMain = R"html(<h1>{{title}}</h1>
<form class="sp-form pt-form" method="get" action="/portal/cases/new">
<fieldset class="sp-choices">
<legend>What do you need?</legend>
{{#categories}}<div class="pt-choice">
<input type="radio" id="pt-category-{{value}}" name="category" value="{{value}}"{{#selected}} checked{{/selected}} aria-describedby="pt-category-{{value}}-hint">
<label for="pt-category-{{value}}">{{label}}</label>
<p class="pt-hint" id="pt-category-{{value}}-hint">{{hint}}</p>
</div>
{{/categories}}
</fieldset>
{{#has_customers}}
<div class="sp-field">
<label for="pt-org">For which customer</label>
<select id="pt-org" name="org_id">
{{#customers}}{{> option}}
{{/customers}}
</select>
</div>
{{/has_customers}}
<button type="submit" class="sp-button">Continue</button>
</form>
<p class="pt-lead pt-st-offer">Need platform work done rather than a problem solved? <a href="/portal/service-tasks/new">Request a service task</a>: we reply with an estimate within one business day.</p>
)html";

// One labelled text field with its hint and error; every key is set on each field's object so
// nothing is looked up in an outer context.
constexpr std::string_view kInputPartial = R"html(<div class="sp-field">
<label for="pt-f-{{key}}">{{label}} {{#required}}<span class="pt-required">(required)</span>{{/required}}{{^required}}<span class="cd-optional">(optional)</span>{{/required}}</label>
{{#hint}}<p class="pt-hint" id="pt-f-{{key}}-hint">{{hint}}</p>
{{/hint}}{{#field_error}}<p class="pt-field-error" id="pt-f-{{key}}-error"><span class="sp-icon" aria-hidden="true">!</span> {{field_error}}</p>
{{/field_error}}{{#multiline}}<textarea id="pt-f-{{key}}" name="{{key}}" rows="5"{{#required}} aria-required="true"{{/required}}{{#field_error}} aria-invalid="true"{{/field_error}}{{#describedby}} aria-describedby="{{describedby}}"{{/describedby}}>{{value}}</textarea>{{/multiline}}{{^multiline}}<input type="text" id="pt-f-{{key}}" name="{{key}}" value="{{value}}"{{#required}} aria-required="true"{{/required}}{{#field_error}} aria-invalid="true"{{/field_error}}{{#describedby}} aria-describedby="{{describedby}}"{{/describedby}}>{{/multiline}}
</div>
)html";

constexpr std::string_view kIntakeMain = R"html(<h1>{{title}}</h1>
<p class="pt-lead">{{category_label}}{{#org_name}} for {{org_name}}{{/org_name}}. <a href="/portal/cases/new">Choose another kind of case</a></p>
{{#form_error}}<p class="cd-form-error" id="pt-form-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{form_error}}</p>
{{/form_error}}{{#resubmitted}}<p class="pt-note">For your safety, files and credentials are not kept when a form comes back: please add them again.</p>
{{/resubmitted}}<form class="sp-form pt-form" method="post" action="/portal/cases" enctype="multipart/form-data">
{{> csrf}}
<input type="hidden" name="category" value="{{category}}">
{{#org_id}}<input type="hidden" name="org_id" value="{{org_id}}">
{{/org_id}}{{#subject}}{{> input}}{{/subject}}
<div class="kb-suggest" data-kb-suggest="pt-f-subject" role="region" aria-live="polite" aria-label="Help articles that may answer this" hidden>
<p>These help articles may answer your question:</p>
<ul></ul>
</div>
<script src="/static/kb.js" defer></script>
{{#description}}{{> input}}{{/description}}
<fieldset class="sp-choices pt-severities"{{#severity_error}} aria-describedby="pt-severity-error"{{/severity_error}}>
<legend>Severity <span class="pt-required">(required)</span></legend>
<p class="pt-hint">Please choose honestly: the severity decides how fast we answer and who is woken up, and we review it.</p>
{{#severity_error}}<p class="pt-field-error" id="pt-severity-error"><span class="sp-icon" aria-hidden="true">!</span> {{severity_error}}</p>
{{/severity_error}}{{#severities}}<div class="pt-severity">
<input type="radio" id="pt-severity-{{level}}" name="severity" value="{{level}}"{{#selected}} checked{{/selected}} aria-describedby="pt-severity-{{level}}-text">
<label for="pt-severity-{{level}}">{{level}} {{name}}: {{summary}}</label>
<div class="pt-severity-text" id="pt-severity-{{level}}-text">
{{#description}}<p>{{description}}</p>
{{/description}}{{#has_examples}}<p>For example:</p>
<ul>
{{#examples}}<li>{{example}}</li>
{{/examples}}</ul>
{{/has_examples}}</div>
</div>
{{/severities}}</fieldset>
{{#fields}}{{> input}}{{/fields}}
<div class="sp-field">
<label for="pt-attachments">Screenshots and logs {{#attachments_required}}<span class="pt-required">(required)</span>{{/attachments_required}}{{^attachments_required}}<span class="cd-optional">(optional)</span>{{/attachments_required}}</label>
<p class="pt-hint" id="pt-attachments-hint">Up to 10 files, {{max_file}} each.</p>
{{#attachments_error}}<p class="pt-field-error" id="pt-attachments-error"><span class="sp-icon" aria-hidden="true">!</span> {{attachments_error}}</p>
{{/attachments_error}}<input type="file" id="pt-attachments" name="attachments" multiple aria-describedby="pt-attachments-hint{{#attachments_error}} pt-attachments-error{{/attachments_error}}"{{#attachments_error}} aria-invalid="true"{{/attachments_error}}>
</div>
<div class="sp-field">
<label for="pt-credentials">Credentials we need to log in {{#credentials_required}}<span class="pt-required">(required)</span>{{/credentials_required}}{{^credentials_required}}<span class="cd-optional">(optional)</span>{{/credentials_required}}</label>
<p class="pt-hint" id="pt-credentials-hint">For example a root or admin password. It is sealed as soon as it arrives: only support staff can read it, it is erased when the case is closed, and it is never shown here again.</p>
{{#credentials_error}}<p class="pt-field-error" id="pt-credentials-error"><span class="sp-icon" aria-hidden="true">!</span> {{credentials_error}}</p>
{{/credentials_error}}<textarea id="pt-credentials" name="credentials" rows="3" autocomplete="off" spellcheck="false" aria-describedby="pt-credentials-hint{{#credentials_error}} pt-credentials-error{{/credentials_error}}"{{#credentials_error}} aria-invalid="true"{{/credentials_error}}></textarea>
</div>
<button type="submit" class="sp-button">Open the case</button>
</form>
)html";

Data FieldData(const PortalInputField& field) {
  Data data{Data::type::object};
  data.set("key", CleanText(field.key));
  data.set("label", CleanText(field.label));
  data.set("hint", CleanTextOrFalse(field.hint));
  data.set("value", CleanText(field.value));
  data.set("field_error", CleanTextOrFalse(field.error));
  data.set("required", field.required);
  data.set("multiline", field.multiline);
  std::vector<std::string> described;
  if (!field.hint.empty()) described.push_back(absl::StrCat("pt-f-", field.key, "-hint"));
  if (!field.error.empty()) described.push_back(absl::StrCat("pt-f-", field.key, "-error"));
  data.set("describedby",
           described.empty() ? Data{false} : Data{CleanText(absl::StrJoin(described, " "))});
  return data;
}

Data Choices(const std::vector<PortalChoice>& choices) {
  Data list{Data::type::list};
  for (const PortalChoice& choice : choices) {
    Data entry{Data::type::object};
    entry.set("value", CleanText(choice.value));
    entry.set("label", CleanText(choice.label));
    entry.set("hint", CleanText(choice.hint));
    entry.set("selected", choice.selected);
    list.push_back(entry);
  }
  return list;
}

}  // namespace

std::string RenderPortalCategoryStep(const PortalFrame& frame, const PortalCategoryStep& step) {
  Data data{Data::type::object};
  data.set("categories", Choices(step.categories));
  data.set("customers", Choices(step.customers));
  data.set("has_customers", !step.customers.empty());
  return RenderPortalDocument(frame, data, kCategoryMain);
}

std::string RenderPortalIntakeForm(const PortalFrame& frame, const PortalIntakeForm& form) {
  Data data{Data::type::object};
  data.set("category", CleanText(form.category));
  data.set("category_label", CleanText(form.category_label));
  data.set("org_id", CleanTextOrFalse(form.org_id));
  data.set("org_name", CleanTextOrFalse(form.org_name));
  data.set("form_error", CleanTextOrFalse(form.form_error));
  data.set("resubmitted", form.resubmitted);
  data.set("subject", FieldData(form.subject));
  data.set("description", FieldData(form.description));
  data.set("severity_error", CleanTextOrFalse(form.severity_error));
  Data severities{Data::type::list};
  for (const core::SeverityDefinition& definition : form.severities) {
    const std::string level = std::to_string(core::SeverityLevel(definition.level));
    Data entry{Data::type::object};
    entry.set("level", level);
    entry.set("name", CleanText(definition.name));
    entry.set("summary", CleanText(definition.summary));
    entry.set("description", CleanTextOrFalse(definition.description));
    entry.set("selected", level == form.severity);
    Data examples{Data::type::list};
    for (const std::string& example : definition.examples) {
      Data item{Data::type::object};
      item.set("example", CleanText(example));
      examples.push_back(item);
    }
    entry.set("examples", examples);
    entry.set("has_examples", !definition.examples.empty());
    severities.push_back(entry);
  }
  data.set("severities", severities);
  Data fields{Data::type::list};
  for (const PortalInputField& field : form.fields) fields.push_back(FieldData(field));
  data.set("fields", fields);
  data.set("attachments_required", form.attachments_required);
  data.set("attachments_error", CleanTextOrFalse(form.attachments_error));
  data.set("credentials_required", form.credentials_required);
  data.set("credentials_error", CleanTextOrFalse(form.credentials_error));
  data.set("max_file", CleanText(form.max_file_size));
  data.set("input", Data{mustache::partial([] { return std::string(kInputPartial); })});
  return RenderPortalDocument(frame, data, kIntakeMain);
}

}  // namespace casedesk::adapters::web

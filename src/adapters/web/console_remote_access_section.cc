#include "adapters/web/console_remote_access_section.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kConsoleRemoteAccessSection =
    R"html(<section class="cc-section cc-ra" id="cc-remote-access" aria-labelledby="cc-ra-h">
<h2 id="cc-ra-h">Remote access</h2>
{{#remote_access}}
{{#has_requests}}
<ul class="cc-ra-list">
{{#requests}}<li class="cc-ra-item" id="cc-ra-{{id}}">
<p><strong>{{method}}</strong> <span class="cc-ra-status cc-ra-{{status}}">{{status_label}}</span></p>
<p>{{purpose}}</p>
<p class="cd-note">Window <time datetime="{{start_iso}}">{{start_text}}</time> to <time datetime="{{end_iso}}">{{end_text}}</time>, asked by {{requested_by}}{{#decided_by}}; {{status_label}} by {{decided_by}}{{/decided_by}}</p>
{{#refusal_reason}}<p class="cd-note">Reason: {{refusal_reason}}</p>{{/refusal_reason}}
{{#credential_fields}}<p class="cd-note">Credentials given: {{credential_fields}}</p>{{/credential_fields}}
{{#can_read}}<p><a class="sp-button" href="/console/cases/{{number}}/remote-access/{{id}}/credentials">Show credentials</a></p>{{/can_read}}
{{#can_withdraw}}<form method="post" action="/console/cases/{{number}}/remote-access/{{id}}/withdraw" class="cc-ra-withdraw">
{{> csrf}}
<button type="submit" class="sp-button sp-secondary">Withdraw request</button>
</form>{{/can_withdraw}}
</li>
{{/requests}}
</ul>
{{/has_requests}}
{{^has_requests}}<p class="cd-note">No remote access requested yet.</p>{{/has_requests}}
{{#form}}
<form method="post" action="/console/cases/{{number}}/remote-access" class="sp-form cc-ra-form">
<h3>Ask for remote access</h3>
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-ra-method">Method</label>
<select id="cc-ra-method" name="method"{{#invalid_method}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_method}}>{{#methods}}{{> option}}{{/methods}}</select>
</div>
<div class="sp-field">
<label for="cc-ra-purpose">Why access is needed</label>
<textarea id="cc-ra-purpose" name="purpose" rows="2" maxlength="2000" required{{#invalid_purpose}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_purpose}}>{{purpose}}</textarea>
</div>
<div class="cc-ra-window">
<div class="sp-field">
<label for="cc-ra-start">From (UTC)</label>
<input id="cc-ra-start" name="window_start" type="datetime-local" required value="{{window_start}}"{{#invalid_window_start}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_window_start}}>
</div>
<div class="sp-field">
<label for="cc-ra-end">Until (UTC, at most 14 days later)</label>
<input id="cc-ra-end" name="window_end" type="datetime-local" required value="{{window_end}}"{{#invalid_window_end}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_window_end}}>
</div>
</div>
<button type="submit" class="sp-button">Ask the customer</button>
</form>
{{/form}}
{{/remote_access}}
</section>
)html";

constexpr std::string_view kCredentialsPage =
    R"html(<h1>Credentials for remote access request {{id}}</h1>
<p class="cd-note">Case #{{number}}. Readable until <time datetime="{{until_iso}}">{{until_text}}</time>, then erased. Do not copy them elsewhere.</p>
<dl class="cc-ra-credentials">
{{#values}}<dt>{{name}}</dt><dd><code>{{value}}</code></dd>
{{/values}}
</dl>
<p><a href="/console/cases/{{number}}#cc-remote-access">Back to the case</a></p>
)html";

// "datetime-local" value in UTC.
std::string LocalInput(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M", at, absl::UTCTimeZone());
}

std::string RemoteAccessStatusText(core::RemoteAccessStatus status) {
  switch (status) {
    case core::RemoteAccessStatus::kRequested:
      return "Waiting for the customer";
    case core::RemoteAccessStatus::kGranted:
      return "Granted";
    case core::RemoteAccessStatus::kRefused:
      return "Refused";
    case core::RemoteAccessStatus::kWithdrawn:
      return "Withdrawn";
    case core::RemoteAccessStatus::kRevoked:
      return "Revoked";
    case core::RemoteAccessStatus::kExpired:
      return "Expired";
  }
  return "";
}

Data RemoteAccessOption(std::string value, std::string_view label, bool selected) {
  Data option{Data::type::object};
  option.set("value", std::move(value));
  option.set("label", CleanText(label));
  option.set("selected", selected);
  return option;
}

}  // namespace

Data ConsoleRemoteAccessData(const ConsoleCaseView& view) {
  Data section{Data::type::object};
  Data requests{Data::type::list};
  for (const app::RemoteAccessView& item : view.remote_access) {
    const core::RemoteAccessRequest& r = item.record;
    Data row{Data::type::object};
    row.set("id", absl::StrCat(r.id));
    row.set("method", std::string(core::RemoteAccessMethodLabel(r.method)));
    row.set("status", std::string(core::NameOf<core::RemoteAccessStatus>(
                          core::kRemoteAccessStatusNames, item.status)));
    row.set("status_label", RemoteAccessStatusText(item.status));
    row.set("purpose", CleanText(r.purpose));
    row.set("start_iso", IsoTime(r.window_start));
    row.set("start_text", ShortTime(r.window_start));
    row.set("end_iso", IsoTime(r.window_end));
    row.set("end_text", ShortTime(r.window_end));
    row.set("requested_by", CleanText(PersonName(view.names, r.requested_by)));
    row.set("decided_by", r.decided_by != 0 ? Data{CleanText(PersonName(view.names, r.decided_by))}
                                            : Data{false});
    row.set("refusal_reason",
            r.refusal_reason.empty() ? Data{false} : Data{CleanText(r.refusal_reason)});
    row.set("credential_fields", r.credential_fields.empty()
                                     ? Data{false}
                                     : Data{CleanText(absl::StrJoin(r.credential_fields, ", "))});
    row.set("can_read", item.can_read_credentials);
    row.set("can_withdraw", item.can_withdraw);
    requests.push_back(row);
  }
  section.set("requests", requests);
  section.set("has_requests", !view.remote_access.empty());

  if (view.view.record.status == core::CaseStatus::kClosed) {
    section.set("form", false);
    return section;
  }
  const PostedForm& posted = view.form;
  const bool again = posted.Is("remote-access");
  Data form{Data::type::object};
  AddFormState(form, posted, "remote-access", "cc-ra-error",
               {"method", "purpose", "window_start", "window_end"});
  form.set("purpose", again ? CleanText(posted.Value("purpose")) : std::string());
  const absl::Time start = absl::FromUnixSeconds(absl::ToUnixSeconds(view.now) / 60 * 60);
  form.set("window_start",
           again ? CleanText(posted.Value("window_start")) : LocalInput(start + absl::Minutes(5)));
  form.set("window_end",
           again ? CleanText(posted.Value("window_end")) : LocalInput(start + absl::Hours(2)));
  const std::string method = again ? posted.Value("method") : "ssh";
  Data methods{Data::type::list};
  for (const auto& [value, name] : core::kRemoteAccessMethodNames) {
    std::string label(core::RemoteAccessMethodLabel(value));
    if (value == core::RemoteAccessMethod::kScreenShare) label = "Shared screen session";
    methods.push_back(RemoteAccessOption(std::string(name), label, name == method));
  }
  form.set("methods", methods);
  section.set("form", form);
  return section;
}

std::string_view ConsoleRemoteAccessSectionPartial() { return kConsoleRemoteAccessSection; }

std::string RenderConsoleCredentialsPage(const ConsoleFrame& frame, core::CaseNumber number,
                                         const app::RemoteAccessCredentials& credentials) {
  Data data{Data::type::object};
  data.set("id", absl::StrCat(credentials.id));
  data.set("number", absl::StrCat(number));
  data.set("until_iso", IsoTime(credentials.until));
  data.set("until_text", ShortTime(credentials.until));
  Data values{Data::type::list};
  for (const auto& [name, value] : credentials.values) {
    Data row{Data::type::object};
    row.set("name", CleanText(name));
    row.set("value", CleanText(value));
    values.push_back(row);
  }
  data.set("values", values);
  return RenderConsoleDocument(frame, data, kCredentialsPage);
}

}  // namespace casedesk::adapters::web

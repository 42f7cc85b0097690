// The API tokens page (see console_tokens_page.h).
#include "adapters/web/console_tokens_page.h"

#include <kainjow/mustache.hpp>

#include "adapters/web/console_case_labels.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

using Data = kainjow::mustache::data;

constexpr std::string_view kTokensTemplate = R"html(<h1>API tokens</h1>
<p class="cd-note">A token lets a script or another system use the Casedesk API as the person it
belongs to, with the same access. Send it as <code>Authorization: Bearer</code>. Casedesk keeps
only a digest of each token, so a token is shown once, when it is created; revoke any token you
no longer use.</p>
{{#new_secret}}
<section class="cc-tk-new" aria-labelledby="cc-tk-new-h">
<h2 id="cc-tk-new-h">Your new token: {{new_token_name}}</h2>
<p><strong>Copy it now.</strong> It will not be shown again.{{#new_token_owner}} It belongs to {{new_token_owner}}.{{/new_token_owner}}</p>
<label for="cc-tk-secret">New token</label>
<input id="cc-tk-secret" class="cc-tk-secret" type="text" readonly value="{{new_secret}}" autocomplete="off" spellcheck="false">
</section>
{{/new_secret}}
<section class="cc-section" aria-labelledby="cc-tk-create-h">
<h2 id="cc-tk-create-h">Create a token</h2>
{{#create_error}}<p class="sp-flash-error" id="cc-tk-create-error" role="alert">{{create_error}}</p>{{/create_error}}
<form method="post" action="/console/tokens" class="cc-tk-form">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<label for="cc-tk-name">Token name</label>
<input id="cc-tk-name" name="name" type="text" maxlength="100" required value="{{name}}" placeholder="e.g. monitoring integration"{{#create_error}} aria-describedby="cc-tk-create-error"{{/create_error}}>
{{#may_issue_for_others}}
<label for="cc-tk-for">For (email address, optional)</label>
<input id="cc-tk-for" name="for" type="email" value="{{for}}" aria-describedby="cc-tk-for-hint">
<p id="cc-tk-for-hint" class="cd-note">Leave empty for a token of your own. As an admin you may create one for anyone.</p>
{{/may_issue_for_others}}
<button type="submit">Create token</button>
</form>
</section>
<section class="cc-section" aria-labelledby="cc-tk-list-h">
<h2 id="cc-tk-list-h">Your tokens</h2>
{{#has_tokens}}
<table class="cc-tk-table">
<caption class="sp-vh">Your API tokens, newest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">State</th><th scope="col"><span class="sp-vh">Action</span></th></tr></thead>
<tbody>
{{#tokens}}<tr>
<td data-label="Name">{{name}}</td>
<td data-label="Created"><time datetime="{{created_iso}}">{{created_text}}</time></td>
<td data-label="State">{{#revoked}}<span class="cc-tag">Revoked <time datetime="{{revoked_iso}}">{{revoked_text}}</time></span>{{/revoked}}{{^revoked}}Active{{/revoked}}</td>
<td>{{^revoked}}<form method="post" action="/console/tokens/{{id}}/revoke">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button type="submit" class="cc-tk-revoke" aria-label="Revoke token {{name}}">Revoke</button>
</form>{{/revoked}}</td>
</tr>{{/tokens}}
</tbody>
</table>
{{/has_tokens}}
{{^has_tokens}}<p class="cd-note">You have no API tokens.</p>{{/has_tokens}}
</section>
)html";

}  // namespace

std::string RenderConsoleTokensPage(const ConsoleFrame& frame, const ConsoleTokensView& view) {
  Data data;
  if (view.new_secret) {
    data.set("new_secret", *view.new_secret);
    data.set("new_token_name", CleanText(view.new_token_name));
    data.set("new_token_owner",
             view.new_token_owner.empty() ? Data{false} : Data{CleanText(view.new_token_owner)});
  } else {
    data.set("new_secret", false);
  }
  const bool refused = view.form.Is("create");
  data.set("create_error",
           refused && !view.form.error.empty() ? Data{CleanText(view.form.error)} : Data{false});
  data.set("name", refused ? CleanText(view.form.Value("name")) : std::string());
  data.set("for", refused ? CleanText(view.form.Value("for")) : std::string());
  data.set("may_issue_for_others", view.may_issue_for_others);
  Data tokens{Data::type::list};
  for (const core::ApiToken& token : view.tokens) {
    Data row;
    row.set("id", std::to_string(token.id));
    row.set("name", CleanText(token.name));
    row.set("created_iso", IsoTime(token.created_at));
    row.set("created_text", ShortTime(token.created_at));
    if (token.revoked_at) {
      Data revoked;
      revoked.set("revoked_iso", IsoTime(*token.revoked_at));
      revoked.set("revoked_text", ShortTime(*token.revoked_at));
      row.set("revoked", revoked);
    } else {
      row.set("revoked", false);
    }
    tokens.push_back(row);
  }
  data.set("has_tokens", !view.tokens.empty());
  data.set("tokens", tokens);
  return RenderConsoleDocument(frame, data, kTokensTemplate);
}

}  // namespace casedesk::adapters::web

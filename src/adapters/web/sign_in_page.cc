// The sign-in page: one calm, centred form on the design system's stylesheet, nothing inline
// (the pages' Content-Security-Policy forbids inline scripts and styles).
// Thread-safe: a pure function over a constant template.
#include "adapters/web/sign_in_page.h"

#include <kainjow/mustache.hpp>

#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kSignInTemplate = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Casedesk</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
</head>
<body class="cd-centred-body">
<main id="main" class="cd-centred">
<h1>Sign in</h1>
{{#notice}}<p class="sp-flash sp-flash-notice" role="status"><span class="sp-icon" aria-hidden="true">&#x2713;</span> {{notice}}</p>{{/notice}}
{{#error}}<p class="sp-flash sp-flash-error" id="sign-in-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p>{{/error}}
<form class="sp-form cd-sign-in" method="post" action="/login"{{#error}} aria-describedby="sign-in-error"{{/error}}>
<input type="hidden" name="next" value="{{next}}">
<div class="sp-field">
<label for="sign-in-email">Email address</label>
<input id="sign-in-email" name="email" type="email" value="{{email}}" required maxlength="254" autocomplete="username" autocapitalize="none" spellcheck="false"{{#error}} aria-invalid="true" aria-describedby="sign-in-error"{{/error}}>
</div>
<div class="sp-field">
<label for="sign-in-password">Password</label>
<input id="sign-in-password" name="password" type="password" required autocomplete="current-password"{{#error}} aria-invalid="true" aria-describedby="sign-in-error"{{/error}}>
</div>
<button type="submit" class="sp-button">Sign in</button>
</form>
<ul class="ac-links">
<li><a href="/password/forgot">Forgot your password?</a></li>
<li><a href="/signup">No account yet? Sign up</a></li>
</ul>
</main>
</body>
</html>
)html";

}  // namespace

std::string RenderSignInPage(const SignInView& view) {
  Data data{Data::type::object};
  data.set("email", CleanText(view.email));
  data.set("next", CleanText(view.next));
  data.set("error", CleanTextOrFalse(view.error));
  data.set("notice", CleanTextOrFalse(view.notice));
  mustache::mustache page{std::string(kSignInTemplate)};
  return page.render(data);
}

}  // namespace casedesk::adapters::web

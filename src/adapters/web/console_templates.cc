#include "adapters/web/console_templates.h"

namespace casedesk::adapters::web {

std::string_view ConsoleLayoutTemplate() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{desk_name}}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
</head>
<body class="cd">
<a class="sp-skip" href="#main">Skip to main content</a>
<header class="cd-header">
<a class="cd-brand" href="/console">{{desk_name}}</a>
<div class="cd-user">
<span class="cd-user-name"><span class="sp-vh">Signed in as </span>{{user_name}}</span>
<form class="cd-inline" method="post" action="/logout">
{{> csrf}}
<button type="submit" class="cd-button">Sign out</button>
</form>
</div>
</header>
<div class="cd-body">
<nav class="cd-nav" aria-label="Console">
<ul>
{{#nav}}<li><a href="{{nav_href}}"{{#nav_active}} aria-current="page"{{/nav_active}}>{{nav_label}}</a></li>
{{/nav}}
</ul>
</nav>
<main id="main" class="cd-main" tabindex="-1">
{{#notice}}<p class="sp-flash sp-flash-notice" role="status"><span class="sp-icon" aria-hidden="true">&#x2713;</span> {{notice}}</p>{{/notice}}
{{#error}}<p class="sp-flash sp-flash-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p>{{/error}}
{{> main}}
</main>
</div>
</body>
</html>
)html";
}

std::string_view ConsoleCsrfPartial() {
  return R"html(<input type="hidden" name="csrf_token" value="{{csrf_token}}">)html";
}

std::string_view ConsoleFormErrorPartial() {
  return R"html({{#form_error}}<p class="cd-form-error" id="{{form_error_id}}" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{form_error}}</p>
{{/form_error}})html";
}

std::string_view ConsoleOptionPartial() {
  return R"html(<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>)html";
}

std::string_view ConsoleMessageMainPartial() {
  return R"html(<h1>{{title}}</h1>
<p>{{message}}</p>
<p><a href="/console">Back to the console</a></p>
)html";
}

std::string_view NotFoundTemplate() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page not found</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
</head>
<body class="cd-centred-body">
<main id="main" class="cd-centred">
<h1>Page not found</h1>
<p>There is nothing at this address, or you may not see it.</p>
<p><a href="/status">Go to the status page</a></p>
</main>
</body>
</html>
)html";
}

}  // namespace casedesk::adapters::web

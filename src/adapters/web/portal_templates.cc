#include "adapters/web/portal_templates.h"

namespace casedesk::adapters::web {

std::string_view PortalLayoutTemplate() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{brand_name}}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
</head>
<body class="pt">
<a class="sp-skip" href="#main">Skip to main content</a>
<header class="pt-header">
<div class="sp-wrap pt-header-inner">
<a class="pt-brand" href="/portal">{{brand_name}}</a>
<div class="pt-user">
<span class="pt-user-name"><span class="sp-vh">Signed in as </span>{{user_name}}{{#person_org}}<span class="pt-org">, {{person_org}}</span>{{/person_org}}</span>
<form class="pt-inline" method="post" action="/logout">
{{> csrf}}
<button type="submit" class="pt-button-quiet">Sign out</button>
</form>
</div>
</div>
<nav class="sp-wrap pt-nav" aria-label="Portal">
<ul>
{{#nav}}<li><a href="{{nav_href}}"{{#nav_active}} aria-current="page"{{/nav_active}}>{{nav_label}}</a></li>
{{/nav}}
</ul>
</nav>
</header>
{{#has_incidents}}
<div class="pt-incidents" role="region" aria-label="Active platform incidents">
<div class="sp-wrap">
<p class="pt-incidents-title"><span class="sp-icon" aria-hidden="true">!</span> Active platform incidents</p>
<ul class="pt-incident-list">
{{#incidents}}<li class="pt-incident pt-impact-{{incident_impact}}">{{#incident_href}}<a href="{{incident_href}}">{{incident_name}}</a>{{/incident_href}}{{^incident_href}}{{incident_name}}{{/incident_href}} <span class="pt-incident-status">({{incident_status}})</span></li>
{{/incidents}}
</ul>
</div>
</div>
{{/has_incidents}}
<main id="main" class="sp-wrap pt-main" tabindex="-1">
{{#notice}}<p class="sp-flash sp-flash-notice" role="status"><span class="sp-icon" aria-hidden="true">&#x2713;</span> {{notice}}</p>{{/notice}}
{{#error}}<p class="sp-flash sp-flash-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p>{{/error}}
{{> main}}
</main>
</body>
</html>
)html";
}

std::string_view PortalCsrfPartial() {
  return R"html(<input type="hidden" name="csrf_token" value="{{csrf_token}}">)html";
}

std::string_view PortalOptionPartial() {
  return R"html(<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>)html";
}

std::string_view PortalFieldErrorPartial() {
  return R"html({{#field_error}}<p class="pt-field-error" id="{{field_error_id}}"><span class="sp-icon" aria-hidden="true">!</span> {{field_error}}</p>{{/field_error}})html";
}

std::string_view PortalMessageMainPartial() {
  return R"html(<h1>{{title}}</h1>
<p>{{message}}</p>
<p><a href="/portal">Back to my cases</a></p>
)html";
}

}  // namespace casedesk::adapters::web

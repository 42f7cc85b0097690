#include "adapters/web/status_page_templates.h"

namespace casedesk::adapters::web {

std::string_view LayoutTemplate() {
  return R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{doc_title}}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
<link rel="alternate" type="application/atom+xml" title="{{page_name}}: incident history (Atom)" href="/status/history.atom">
<link rel="alternate" type="application/rss+xml" title="{{page_name}}: incident history (RSS)" href="/status/history.rss">
<script src="/static/status.js" defer></script>
</head>
<body class="sp">
<a class="sp-skip" href="#main">Skip to main content</a>
<header class="sp-header">
<div class="sp-wrap sp-header-inner">
<a class="sp-brand" href="/status">{{page_name}}</a>
<nav aria-label="Status page">
<ul class="sp-nav">
<li><a href="/status#subscribe">Subscribe</a></li>
<li><a href="/status/history.atom">Atom</a></li>
<li><a href="/status/history.rss">RSS</a></li>
<li><a href="/api/v2/summary.json">API</a></li>
</ul>
</nav>
</div>
{{#notice}}<div class="sp-wrap"><p class="sp-flash sp-flash-notice" role="status"><span class="sp-icon" aria-hidden="true">&#x2713;</span> {{notice}}</p></div>{{/notice}}
{{#error}}<div class="sp-wrap"><p class="sp-flash sp-flash-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p></div>{{/error}}
</header>
<main id="main" class="sp-wrap" tabindex="-1"{{#live}} data-live{{/live}}>
{{> main}}
</main>
{{#show_subscribe}}{{> subscribe}}{{/show_subscribe}}
<footer class="sp-footer">
<div class="sp-wrap">
<p class="sp-tz" data-tz-note>Times are shown in {{zone_name}}.</p>
<p>Powered by Casedesk.</p>
</div>
</footer>
</body>
</html>
)html";
}

std::string_view StatusMainPartial() {
  return R"html(<section class="sp-banner sp-indicator-{{indicator_css}}" aria-labelledby="sp-overall">
<h1 id="sp-overall"><span class="sp-icon" aria-hidden="true">{{indicator_icon}}</span> {{indicator_text}}</h1>
{{#has_updated}}<p class="sp-updated">Updated <time datetime="{{updated_iso}}">{{updated_text}}</time></p>{{/has_updated}}
</section>
{{#has_active_incidents}}
<section class="sp-section" aria-labelledby="sp-active">
<h2 id="sp-active">Active incidents</h2>
{{#active_incidents}}{{> event}}{{/active_incidents}}
</section>
{{/has_active_incidents}}
{{#has_active_maintenances}}
<section class="sp-section" aria-labelledby="sp-maintenance-now">
<h2 id="sp-maintenance-now">Maintenance in progress</h2>
{{#active_maintenances}}{{> event}}{{/active_maintenances}}
</section>
{{/has_active_maintenances}}
{{#has_upcoming_maintenances}}
<section class="sp-section" aria-labelledby="sp-maintenance-upcoming">
<h2 id="sp-maintenance-upcoming">Upcoming maintenance</h2>
{{#upcoming_maintenances}}{{> event}}{{/upcoming_maintenances}}
</section>
{{/has_upcoming_maintenances}}
<section class="sp-section" aria-labelledby="sp-components">
<h2 id="sp-components">Components</h2>
{{#has_components}}
<p class="sp-hint">Uptime over the past 90 days. Hover over a day for its details.</p>
<ul class="sp-components">
{{#top_components}}
<li class="sp-block">
{{#is_group}}
<div class="sp-row"><h3 class="sp-name">{{name}}</h3>{{> status_badge}}</div>
{{#has_description}}<p class="sp-desc">{{description}}</p>{{/has_description}}
{{#has_members}}<ul class="sp-members">
{{#members}}<li class="sp-member">{{> component}}</li>
{{/members}}
</ul>{{/has_members}}
{{/is_group}}
{{^is_group}}{{> component}}{{/is_group}}
</li>
{{/top_components}}
</ul>
{{/has_components}}
{{^has_components}}<p>No components are listed yet.</p>{{/has_components}}
</section>
<section class="sp-section" aria-labelledby="sp-history">
<h2 id="sp-history">Past incidents</h2>
{{#has_history}}
<ul class="sp-history">
{{#history}}
<li class="sp-history-item">
<h3 class="sp-history-title"><a href="/status/incidents/{{event_id}}">{{event_name}}</a></h3>
<p class="sp-event-meta"><span class="sp-tag">{{event_kind}}</span> <span class="sp-tag">{{event_status}}</span> <time datetime="{{closed_iso}}">{{closed_text}}</time></p>
{{#latest}}<div class="sp-update-body">{{> body}}</div>{{/latest}}
</li>
{{/history}}
</ul>
{{/has_history}}
{{^has_history}}<p>No incidents reported recently.</p>{{/has_history}}
</section>
)html";
}

std::string_view IncidentMainPartial() {
  return R"html(<p class="sp-back"><a href="/status"><span aria-hidden="true">&larr;</span> Current status</a></p>
<article class="sp-event sp-impact-{{impact_css}}" aria-labelledby="sp-event-title">
<h1 id="sp-event-title">{{event_name}}</h1>
{{> event_details}}
<h2>Updates</h2>
{{> timeline}}
</article>
)html";
}

std::string_view MessageMainPartial() {
  return R"html(<h1>{{message_title}}</h1>
<p class="sp-message">{{message_text}}</p>
{{#has_form}}
<form class="sp-form" method="post" action="{{form_action}}">
{{#hidden_fields}}<input type="hidden" name="{{hidden_name}}" value="{{hidden_value}}">
{{/hidden_fields}}
<button type="submit" class="sp-button">{{button_label}}</button>
</form>
{{/has_form}}
<p class="sp-back"><a href="/status">Back to the status page</a></p>
)html";
}

std::string_view EventPartial() {
  return R"html(<article class="sp-event sp-impact-{{impact_css}}" aria-labelledby="sp-event-{{event_id}}">
<h3 id="sp-event-{{event_id}}" class="sp-event-title"><a href="/status/incidents/{{event_id}}">{{event_name}}</a></h3>
{{> event_details}}
{{> timeline}}
</article>
)html";
}

std::string_view EventDetailsPartial() {
  return R"html(<p class="sp-event-meta"><span class="sp-tag">{{event_kind}}</span> <span class="sp-tag sp-tag-status">{{event_status}}</span>{{#is_incident}} <span class="sp-tag">Impact: {{impact_word}}</span>{{/is_incident}}</p>
{{#has_window}}<p class="sp-window">Scheduled for <time datetime="{{window_from_iso}}">{{window_from_text}}</time> until <time datetime="{{window_until_iso}}">{{window_until_text}}</time></p>{{/has_window}}
{{#has_affected}}<p class="sp-affected">Affected components: {{affected_names}}</p>{{/has_affected}}
)html";
}

std::string_view TimelinePartial() {
  return R"html({{#has_updates}}<ol class="sp-timeline">
{{#updates}}<li class="sp-update">
<p class="sp-update-head"><strong>{{update_status}}</strong> <time datetime="{{update_iso}}">{{update_text}}</time></p>
<div class="sp-update-body">{{> body}}</div>
</li>
{{/updates}}</ol>{{/has_updates}}
{{^has_updates}}<p>No updates posted yet.</p>{{/has_updates}}
)html";
}

std::string_view BodyPartial() {
  return R"html({{#paragraphs}}<p>{{#lines}}{{line}}{{#more}}<br>{{/more}}{{/lines}}</p>{{/paragraphs}})html";
}

std::string_view ComponentPartial() {
  return R"html(<div class="sp-row"><{{heading}} class="sp-name">{{name}}</{{heading}}>{{> status_badge}}</div>
{{#has_description}}<p class="sp-desc">{{description}}</p>{{/has_description}}
{{#has_uptime}}
<div class="sp-uptime">
<ol class="sp-bars" aria-label="{{name}}: uptime per day over the past 90 days">
{{#bars}}<li class="sp-bar sp-bar-{{bar_css}}" title="{{bar_title}}"><span class="sp-vh">{{bar_title}}</span></li>{{/bars}}
</ol>
<p class="sp-uptime-legend"><span class="sp-days-90">90 days ago</span><span class="sp-days-30">30 days ago</span><span class="sp-uptime-total">{{uptime_percent}} uptime</span><span>Today</span></p>
</div>
{{/has_uptime}}
)html";
}

std::string_view StatusBadgePartial() {
  return R"html(<span class="sp-status sp-status-{{status_css}}"><span class="sp-icon" aria-hidden="true">{{status_icon}}</span> {{status_text}}</span>)html";
}

std::string_view SubscribePartial() {
  return R"html(<aside id="subscribe" class="sp-subscribe" aria-labelledby="sp-subscribe-title">
<div class="sp-wrap">
<h2 id="sp-subscribe-title">Get notified</h2>
<p>We email you when an incident or maintenance is posted or updated. You confirm your address first, and every email has a link to unsubscribe.</p>
<form class="sp-form" method="post" action="/status/subscribe">
<div class="sp-field">
<label for="sp-email">Email address</label>
<input id="sp-email" name="email" type="email" required autocomplete="email" maxlength="254">
</div>
{{#has_choices}}
<fieldset class="sp-choices">
<legend>Only these components (optional: tick none to hear about everything)</legend>
{{#choices}}<div class="sp-check"><input type="checkbox" id="sp-component-{{choice_id}}" name="component_id" value="{{choice_id}}"><label for="sp-component-{{choice_id}}">{{choice_name}}</label></div>
{{/choices}}
</fieldset>
{{/has_choices}}
<button type="submit" class="sp-button">Subscribe</button>
</form>
<p class="sp-feeds">Or follow the <a href="/status/history.atom">Atom feed</a> or the <a href="/status/history.rss">RSS feed</a>, or read the <a href="/api/v2/summary.json">status API</a>.</p>
</div>
</aside>
)html";
}

}  // namespace casedesk::adapters::web

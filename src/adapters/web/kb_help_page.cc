// The help centre's pages (kb_pages.h): its own frame (brand, sign-in or portal link, search
// box) around the home, list, article and message pages.
#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "adapters/web/kb_pages.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kLayout = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{brand_name}} help centre</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
</head>
<body class="kb">
<a class="sp-skip" href="#main">Skip to main content</a>
<header class="kb-header">
<div class="sp-wrap kb-header-inner">
<a class="kb-brand" href="/help">{{brand_name}} help centre</a>
<nav class="kb-account" aria-label="Account">
{{#user_name}}<span class="kb-user"><span class="sp-vh">Signed in as </span>{{user_name}}</span> <a href="/portal">My cases</a> <a href="/portal/cases/new">Open a case</a>{{/user_name}}
{{^user_name}}<a href="/login?next=%2Fhelp">Sign in</a>{{/user_name}}
</nav>
</div>
<form class="sp-wrap kb-search" method="get" action="/help/search" role="search">
<label for="kb-search-q">Search the help centre</label>
<div class="kb-search-row">
<input type="search" id="kb-search-q" name="q" value="{{query}}" maxlength="500">
<button type="submit" class="sp-button">Search</button>
</div>
</form>
</header>
<main id="main" class="sp-wrap kb-main" tabindex="-1">
{{#notice}}<p class="sp-flash sp-flash-notice" role="status"><span class="sp-icon" aria-hidden="true">&#x2713;</span> {{notice}}</p>{{/notice}}
{{#error}}<p class="sp-flash sp-flash-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p>{{/error}}
{{> main}}
</main>
</body>
</html>
)html";

constexpr std::string_view kHomeMain = R"html(<h1>{{title}}</h1>
{{#has_categories}}<div class="kb-categories">
{{#categories}}<section class="kb-category" aria-labelledby="kb-category-{{index}}">
<h2 id="kb-category-{{index}}">{{name}}</h2>
{{#description}}<p class="kb-muted">{{description}}</p>{{/description}}
<ul class="kb-links">
{{#sections}}<li><a href="{{href}}">{{label}}</a>{{#detail}} <span class="kb-muted">{{detail}}</span>{{/detail}}</li>
{{/sections}}</ul>
</section>
{{/categories}}</div>
{{/has_categories}}
<section aria-labelledby="kb-recent-h">
<h2 id="kb-recent-h">Articles</h2>
{{#has_recent}}<ul class="kb-links">
{{#recent}}<li><a href="{{href}}">{{label}}</a></li>
{{/recent}}</ul>{{/has_recent}}
{{^has_recent}}<p class="kb-muted">No articles yet.</p>{{/has_recent}}
</section>
)html";

constexpr std::string_view kHelpListMain = R"html(<h1>{{title}}</h1>
{{#lead}}<p class="kb-lead">{{lead}}</p>{{/lead}}
{{#has_articles}}<ul class="kb-results">
{{#articles}}<li><a href="{{href}}">{{label}}</a>{{#detail}}<p class="kb-muted">{{detail}}</p>{{/detail}}</li>
{{/articles}}</ul>{{/has_articles}}
{{^has_articles}}<p class="kb-muted">{{empty}}</p>{{/has_articles}}
<p><a href="/help">All help topics</a></p>
)html";

// The body is the one unescaped value: HTML the Markdown adapter sanitised when it was saved.
constexpr std::string_view kArticleMain =
    R"html(<nav class="kb-crumbs" aria-label="Breadcrumb"><a href="/help">Help centre</a>{{#section_href}} › <a href="{{section_href}}">{{section_name}}</a>{{/section_href}}</nav>
<article class="kb-article" aria-labelledby="kb-article-title">
<h1 id="kb-article-title">{{title}}</h1>
<p class="kb-muted">Updated {{updated}}</p>
<div class="kb-body">
{{{body_html}}}
</div>
</article>
{{#offer_solved}}<form class="kb-solved" method="post" action="/help/articles/{{id}}/solved">
{{> csrf}}
<p>Did this answer your question? If so, you do not need to open a case.</p>
<button type="submit" class="sp-button">This solved my problem</button>
<a href="/portal/cases/new">No, open a case</a>
</form>{{/offer_solved}}
<form class="kb-vote" method="post" action="/help/articles/{{id}}/vote">
{{> csrf}}
<fieldset>
<legend>Was this article helpful?</legend>
<button type="submit" class="kb-vote-button" name="helpful" value="yes">Yes</button>
<button type="submit" class="kb-vote-button" name="helpful" value="no">No</button>
<p class="kb-muted">{{helpful_yes}} of {{votes}} found this helpful.</p>
</fieldset>
</form>
)html";

constexpr std::string_view kMessageMain = R"html(<h1>{{title}}</h1>
<p>{{message}}</p>
<p><a href="/help">Back to the help centre</a></p>
)html";

constexpr std::string_view kCsrf =
    R"html(<input type="hidden" name="csrf_token" value="{{csrf_token}}">)html";

Data Links(const std::vector<HelpLink>& links) {
  Data list{Data::type::list};
  for (const HelpLink& link : links) {
    Data entry{Data::type::object};
    entry.set("href", CleanText(link.href));
    entry.set("label", CleanText(link.label));
    entry.set("detail", CleanTextOrFalse(link.detail));
    list.push_back(entry);
  }
  return list;
}

std::string Render(const HelpFrame& frame, Data& data, std::string_view main) {
  data.set("brand_name", CleanText(frame.brand_name.empty() ? "Support" : frame.brand_name));
  data.set("user_name", CleanTextOrFalse(frame.user_name));
  data.set("csrf_token", CleanText(frame.csrf_token));
  data.set("title", CleanText(frame.title));
  data.set("query", CleanText(frame.query));
  data.set("notice", CleanTextOrFalse(frame.notice));
  data.set("error", CleanTextOrFalse(frame.error));
  data.set("csrf", Data{mustache::partial([] { return std::string(kCsrf); })});
  data.set("main", Data{mustache::partial([main] { return std::string(main); })});
  mustache::mustache layout{std::string(kLayout)};
  return layout.render(data);
}

}  // namespace

std::string RenderHelpHome(const HelpFrame& frame, const std::vector<HelpSectionGroup>& categories,
                           const std::vector<HelpLink>& recent) {
  Data data{Data::type::object};
  Data list{Data::type::list};
  int index = 0;
  for (const HelpSectionGroup& group : categories) {
    Data entry{Data::type::object};
    entry.set("index", std::to_string(++index));
    entry.set("name", CleanText(group.name));
    entry.set("description", CleanTextOrFalse(group.description));
    entry.set("sections", Links(group.sections));
    list.push_back(entry);
  }
  data.set("categories", list);
  data.set("has_categories", !categories.empty());
  data.set("recent", Links(recent));
  data.set("has_recent", !recent.empty());
  return Render(frame, data, kHomeMain);
}

std::string RenderHelpList(const HelpFrame& frame, const std::string& lead,
                           const std::vector<HelpLink>& articles, const std::string& empty) {
  Data data{Data::type::object};
  data.set("lead", CleanTextOrFalse(lead));
  data.set("articles", Links(articles));
  data.set("has_articles", !articles.empty());
  data.set("empty", CleanText(empty));
  return Render(frame, data, kHelpListMain);
}

std::string RenderHelpArticle(const HelpFrame& frame, const HelpArticlePage& article) {
  Data data{Data::type::object};
  data.set("id", std::to_string(article.id));
  data.set("body_html", article.body_html);
  data.set("updated", CleanText(article.updated));
  data.set("section_name", CleanText(article.section_name));
  data.set("section_href", CleanTextOrFalse(article.section_href));
  data.set("helpful_yes", std::to_string(article.helpful_yes));
  data.set("votes", std::to_string(article.helpful_yes + article.helpful_no));
  data.set("offer_solved", article.offer_solved);
  return Render(frame, data, kArticleMain);
}

std::string RenderHelpMessage(const HelpFrame& frame, const std::string& message) {
  Data data{Data::type::object};
  data.set("message", CleanText(message));
  return Render(frame, data, kMessageMain);
}

}  // namespace casedesk::adapters::web

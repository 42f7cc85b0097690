// The staff console's knowledge-base pages (kb_pages.h): the article list with the forms that
// add categories and sections, the editor with a preview and the version history, and the
// article picker that answers a case with a link.
#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "adapters/web/kb_pages.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kKbListMain = R"html(<h1>{{title}}</h1>
<p><a class="sp-button" href="/console/kb/new">New article</a> <a href="/help">Open the help centre</a></p>
{{#has_articles}}<div class="kb-table-wrap">
<table class="kb-table">
<caption class="sp-vh">Articles</caption>
<thead><tr><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Visibility</th><th scope="col">Section</th><th scope="col">Helpful</th><th scope="col">Deflections</th><th scope="col">Updated</th></tr></thead>
<tbody>
{{#articles}}<tr><td><a href="/console/kb/{{id}}">{{title}}</a></td><td><span class="kb-badge kb-status-{{status}}">{{status}}</span></td><td><span class="kb-badge kb-visibility-{{visibility}}">{{visibility}}</span></td><td>{{section}}</td><td>{{helpful_yes}} yes / {{helpful_no}} no</td><td>{{deflections}}</td><td>{{updated}}</td></tr>
{{/articles}}</tbody>
</table>
</div>{{/has_articles}}
{{^has_articles}}<p class="cd-empty">No articles yet.</p>{{/has_articles}}
<h2>Categories and sections</h2>
<form class="sp-form" method="post" action="/console/kb/categories">
{{> csrf}}
<div class="sp-field"><label for="kb-category-name">New category</label>
<input type="text" id="kb-category-name" name="name" required maxlength="120"></div>
<button type="submit" class="sp-button">Add category</button>
</form>
{{#has_categories}}<form class="sp-form" method="post" action="/console/kb/sections">
{{> csrf}}
<div class="sp-field"><label for="kb-section-category">Category</label>
<select id="kb-section-category" name="category_id">{{#categories}}<option value="{{value}}">{{label}}</option>{{/categories}}</select></div>
<div class="sp-field"><label for="kb-section-name">New section</label>
<input type="text" id="kb-section-name" name="name" required maxlength="120"></div>
<button type="submit" class="sp-button">Add section</button>
</form>{{/has_categories}}
)html";

constexpr std::string_view kEditorMain = R"html(<h1>{{title}}</h1>
{{#source_case}}<p class="cd-note">Drafted from <a href="/console/cases/{{source_case}}">case {{source_case}}</a>.</p>{{/source_case}}
{{#id}}<p><a href="/help/articles/{{id}}">View in the help centre</a></p>{{/id}}
<form class="sp-form kb-editor" method="post" action="{{action}}">
{{> csrf}}
{{#field_error}}<p class="cd-form-error" id="kb-form-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{field_error}}</p>{{/field_error}}
<div class="sp-field"><label for="kb-title">Title</label>
<input type="text" id="kb-title" name="title" value="{{article_title}}" required maxlength="200"{{#title_invalid}} aria-invalid="true" aria-describedby="kb-form-error"{{/title_invalid}}></div>
<div class="sp-field"><label for="kb-body">Body <span class="cd-optional">(Markdown: **bold**, lists, tables, links)</span></label>
<textarea id="kb-body" name="body" rows="16" required{{#body_invalid}} aria-invalid="true" aria-describedby="kb-form-error"{{/body_invalid}}>{{body}}</textarea></div>
<div class="sp-field"><label for="kb-visibility">Visibility</label>
<select id="kb-visibility" name="visibility" aria-describedby="kb-visibility-hint">{{#visibilities}}{{> option}}{{/visibilities}}</select>
<p class="cd-note" id="kb-visibility-hint">Public: anyone, signed out too. Customers: signed-in customers and partners. Internal: support staff only.</p></div>
<div class="sp-field"><label for="kb-section">Section</label>
<select id="kb-section" name="section_id">{{#sections}}{{> option}}{{/sections}}</select></div>
<div class="sp-field"><label for="kb-status">Status</label>
<select id="kb-status" name="status">{{#statuses}}{{> option}}{{/statuses}}</select></div>
<div class="kb-actions">
<button type="submit" class="sp-button">Save</button>
<button type="submit" class="sp-button kb-publish" name="publish" value="1">Save and publish</button>
</div>
</form>
{{#has_preview}}<section class="kb-preview" aria-labelledby="kb-preview-h">
<h2 id="kb-preview-h">Latest version</h2>
<div class="kb-body">
{{{preview_html}}}
</div>
</section>{{/has_preview}}
{{#has_versions}}<section aria-labelledby="kb-versions-h">
<h2 id="kb-versions-h">Version history</h2>
<ol class="kb-versions" reversed>
{{#versions}}<li>Version {{number}}: {{version_title}} — {{author}}, {{at}}{{#published}} <span class="kb-badge kb-status-published">published</span>{{/published}}</li>
{{/versions}}</ol>
</section>{{/has_versions}}
)html";

constexpr std::string_view kAnswerMain = R"html(<h1>{{title}}</h1>
<p><a href="/console/cases/{{case_number}}">Back to case {{case_number}}</a></p>
<form class="sp-form" method="get" action="/console/kb/answer">
<input type="hidden" name="case" value="{{case_number}}">
<div class="sp-field"><label for="kb-answer-q">Find an article</label>
<input type="search" id="kb-answer-q" name="q" value="{{query}}" maxlength="500"></div>
<button type="submit" class="sp-button">Search</button>
</form>
{{#has_hits}}<ul class="kb-results">
{{#hits}}<li>
<h2 class="kb-hit-title"><a href="{{url}}">{{hit_title}}</a></h2>
{{#snippet}}<p class="cd-note">{{snippet}}</p>{{/snippet}}
<form class="sp-form" method="post" action="/console/cases/{{case_number}}/reply">
{{> csrf}}
<div class="sp-field"><label for="kb-answer-{{index}}">Reply with this article</label>
<textarea id="kb-answer-{{index}}" name="body" rows="4" required>{{reply_text}}</textarea></div>
<button type="submit" class="sp-button">Send reply</button>
</form>
</li>
{{/hits}}</ul>{{/has_hits}}
{{^has_hits}}{{#query}}<p class="cd-empty">No article that customers can read matches.</p>{{/query}}{{/has_hits}}
)html";

Data Options(const std::vector<KbOption>& options) {
  Data list{Data::type::list};
  for (const KbOption& option : options) {
    Data entry{Data::type::object};
    entry.set("value", CleanText(option.value));
    entry.set("label", CleanText(option.label));
    entry.set("selected", option.selected);
    list.push_back(entry);
  }
  return list;
}

}  // namespace

std::string RenderKbConsoleList(const ConsoleFrame& frame, const std::vector<KbListEntry>& articles,
                                const std::vector<KbOption>& categories) {
  Data data{Data::type::object};
  Data list{Data::type::list};
  for (const KbListEntry& article : articles) {
    Data entry{Data::type::object};
    entry.set("id", std::to_string(article.id));
    entry.set("title", CleanText(article.title));
    entry.set("status", CleanText(article.status));
    entry.set("visibility", CleanText(article.visibility));
    entry.set("section", CleanText(article.section));
    entry.set("updated", CleanText(article.updated));
    entry.set("helpful_yes", std::to_string(article.helpful_yes));
    entry.set("helpful_no", std::to_string(article.helpful_no));
    entry.set("deflections", std::to_string(article.deflections));
    list.push_back(entry);
  }
  data.set("articles", list);
  data.set("has_articles", !articles.empty());
  data.set("categories", Options(categories));
  data.set("has_categories", !categories.empty());
  return RenderConsoleDocument(frame, data, kKbListMain);
}

std::string RenderKbEditor(const ConsoleFrame& frame, const KbEditorPage& page) {
  Data data{Data::type::object};
  data.set("id", page.id == 0 ? Data{false} : Data{std::to_string(page.id)});
  data.set("action",
           page.id == 0 ? std::string("/console/kb") : absl::StrCat("/console/kb/", page.id));
  data.set("article_title", CleanText(page.title));
  data.set("body", CleanText(page.body));
  data.set("visibilities", Options(page.visibilities));
  data.set("statuses", Options(page.statuses));
  data.set("sections", Options(page.sections));
  data.set("field_error", CleanTextOrFalse(page.field_error));
  data.set("title_invalid", page.field_error_key == "title");
  data.set("body_invalid", page.field_error_key == "body");
  data.set("preview_html", page.preview_html);
  data.set("has_preview", !page.preview_html.empty());
  data.set("source_case", CleanTextOrFalse(page.source_case));
  Data versions{Data::type::list};
  for (const KbVersionEntry& version : page.versions) {
    Data entry{Data::type::object};
    entry.set("number", std::to_string(version.number));
    entry.set("version_title", CleanText(version.title));
    entry.set("author", CleanText(version.author));
    entry.set("at", CleanText(version.at));
    entry.set("published", version.published);
    versions.push_back(entry);
  }
  data.set("versions", versions);
  data.set("has_versions", !page.versions.empty());
  return RenderConsoleDocument(frame, data, kEditorMain);
}

std::string RenderKbAnswerPage(const ConsoleFrame& frame, const std::string& case_number,
                               const std::string& query, const std::vector<KbAnswerHit>& hits) {
  Data data{Data::type::object};
  data.set("case_number", CleanText(case_number));
  data.set("query", CleanTextOrFalse(query));
  Data list{Data::type::list};
  int index = 0;
  for (const KbAnswerHit& hit : hits) {
    Data entry{Data::type::object};
    entry.set("index", std::to_string(++index));
    entry.set("hit_title", CleanText(hit.title));
    entry.set("snippet", CleanTextOrFalse(hit.snippet));
    entry.set("url", CleanText(hit.url));
    entry.set("reply_text", CleanText(hit.reply_text));
    list.push_back(entry);
  }
  data.set("hits", list);
  data.set("has_hits", !hits.empty());
  return RenderConsoleDocument(frame, data, kAnswerMain);
}

}  // namespace casedesk::adapters::web

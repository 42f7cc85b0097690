#include "adapters/web/portal_case_list_page.h"

#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

// The filters are a GET form (bookmarkable, no CSRF needed); the list is a table on wide
// screens and stacked rows on phones (the stylesheet's pt-cases).
constexpr std::string_view kCaseListMain = R"html(<h1>{{title}}</h1>
<form class="pt-filters" method="get" action="/portal" aria-label="Filter cases">
<div class="sp-field">
<label for="pt-state">Show</label>
<select id="pt-state" name="state">
{{#states}}{{> option}}
{{/states}}
</select>
</div>
{{#show_scope}}
<div class="sp-field">
<label for="pt-scope">Whose</label>
<select id="pt-scope" name="scope">
{{#scopes}}{{> option}}
{{/scopes}}
</select>
</div>
{{/show_scope}}
<button type="submit" class="pt-button-quiet">Apply</button>
</form>
{{#has_rows}}
<table class="pt-cases">
<caption class="sp-vh">Cases</caption>
<thead>
<tr><th scope="col">Case</th><th scope="col">Subject</th>{{#show_org}}<th scope="col">Organisation</th>{{/show_org}}<th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Our promise</th><th scope="col">Updated</th></tr>
</thead>
<tbody>
{{#rows}}<tr>
<td data-label="Case"><a href="/portal/cases/{{number}}">#{{number}}</a></td>
<td data-label="Subject" class="pt-subject"><a href="/portal/cases/{{number}}">{{subject}}</a></td>
{{#show_org}}<td data-label="Organisation">{{org_name}}</td>{{/show_org}}
<td data-label="Status"><span class="pt-status pt-status-{{status_class}}">{{status}}</span></td>
<td data-label="Severity">{{severity}}</td>
<td data-label="Our promise"{{#promise_late}} class="pt-late"{{/promise_late}}>{{#promise_late}}<span class="sp-icon" aria-hidden="true">!</span> {{/promise_late}}{{promise}}</td>
<td data-label="Updated">{{updated}}</td>
</tr>
{{/rows}}
</tbody>
</table>
{{/has_rows}}
{{^has_rows}}
<p class="pt-empty">No cases to show. <a href="/portal/cases/new">Open a case</a></p>
{{/has_rows}}
{{#has_pages}}
<nav class="pt-pages" aria-label="Pages">
{{^first_page}}<a href="{{first_href}}">First page</a>{{/first_page}}
{{#next_href}}<a href="{{next_href}}" rel="next">Next page</a>{{/next_href}}
</nav>
{{/has_pages}}
)html";

Data Options(const std::vector<std::pair<std::string, std::string>>& options,
             const std::string& selected) {
  Data list{Data::type::list};
  for (const auto& [value, label] : options) {
    Data option{Data::type::object};
    option.set("value", value);
    option.set("label", label);
    option.set("selected", value == selected);
    list.push_back(option);
  }
  return list;
}

}  // namespace

std::string RenderPortalCaseListPage(const PortalFrame& frame, const PortalCaseListView& view) {
  Data data{Data::type::object};
  data.set("states",
           Options({{"open", "Open cases"}, {"solved", "Solved cases"}, {"all", "All cases"}},
                   view.state));
  data.set("show_scope", view.show_scope);
  data.set("scopes",
           Options({{"mine", "Mine"}, {"all", CleanText(view.scope_all_label)}}, view.scope));
  data.set("show_org", view.show_org);
  Data rows{Data::type::list};
  for (const PortalCaseListRow& row : view.rows) {
    Data entry{Data::type::object};
    entry.set("number", CleanText(row.number));
    entry.set("subject", CleanText(row.subject));
    entry.set("org_name", CleanText(row.org_name));
    entry.set("status", CleanText(row.status));
    entry.set("status_class", CleanText(row.status_class));
    entry.set("severity", CleanText(row.severity));
    entry.set("updated", CleanText(row.updated));
    entry.set("promise", CleanText(row.promise));
    entry.set("promise_late", row.promise_late);
    rows.push_back(entry);
  }
  data.set("rows", rows);
  data.set("has_rows", !view.rows.empty());
  data.set("has_pages", !view.first_page || !view.next_href.empty());
  data.set("first_page", view.first_page);
  data.set("first_href", "/portal?state=" + view.state + "&scope=" + view.scope);
  data.set("next_href", view.next_href.empty() ? Data{false} : Data{CleanText(view.next_href)});
  return RenderPortalDocument(frame, data, kCaseListMain);
}

}  // namespace casedesk::adapters::web

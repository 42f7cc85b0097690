// The stylesheet's rules for the knowledge base: the help centre and the console's authoring
// pages (prefix kb-); see stylesheet_parts.h. Thread-safe: a constant.
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {

std::string_view KbStylesheet() {
  return R"css(
/* knowledge base: help centre, suggestions, console authoring (prefix kb-; kb_*) */
.kb-header { border-bottom: 1px solid var(--border); background: var(--bg-subtle);
  padding-bottom: var(--space-3); }
.kb-header-inner { display: flex; flex-wrap: wrap; align-items: center;
  justify-content: space-between; gap: var(--space-2); padding-top: var(--space-3); }
.kb-brand { font-size: var(--text-20); font-weight: 600; color: var(--fg); text-decoration: none;
  min-height: 32px; display: inline-flex; align-items: center; }
.kb-account { display: flex; flex-wrap: wrap; gap: var(--space-3); align-items: center;
  font-size: var(--text-14); }
.kb-account a { min-height: 40px; display: inline-flex; align-items: center; }
.kb-search { display: grid; gap: var(--space-1); margin-top: var(--space-2); }
.kb-search label { font-weight: 600; font-size: var(--text-14); }
.kb-search-row { display: flex; gap: var(--space-2); }
.kb-search-row input { flex: 1; min-width: 0; font: inherit; min-height: 40px;
  padding: var(--space-2); border: 1px solid var(--fg-muted); border-radius: var(--radius); }
.kb-main { padding-top: var(--space-4); padding-bottom: var(--space-8); overflow-wrap: anywhere; }
.kb-muted { color: var(--fg-muted); font-size: var(--text-14); margin: var(--space-1) 0; }
.kb-lead { font-size: var(--text-16); }
.kb-categories { display: grid; gap: var(--space-4);
  grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); margin-bottom: var(--space-6); }
.kb-category { border: 1px solid var(--border); border-radius: var(--radius);
  padding: var(--space-3) var(--space-4); }
.kb-category h2 { font-size: var(--text-16); margin: 0 0 var(--space-2); }
.kb-links, .kb-results { padding-left: var(--space-4); }
.kb-links li, .kb-results li { margin: var(--space-2) 0; }
.kb-results { list-style: none; padding: 0; }
.kb-results > li { border-bottom: 1px solid var(--border); padding-bottom: var(--space-3); }
.kb-hit-title { font-size: var(--text-16); margin: 0; }
.kb-crumbs { font-size: var(--text-14); margin-bottom: var(--space-2); }
.kb-body { line-height: 1.6; }
.kb-body pre { overflow-x: auto; background: var(--bg-subtle); padding: var(--space-3);
  border-radius: var(--radius); }
.kb-body code { font-size: 0.9em; }
.kb-body table { border-collapse: collapse; display: block; overflow-x: auto; }
.kb-body th, .kb-body td { border: 1px solid var(--border); padding: var(--space-1) var(--space-2); }
.kb-body blockquote { border-left: 4px solid var(--border); margin-left: 0;
  padding-left: var(--space-3); color: var(--fg-muted); }
.kb-vote, .kb-solved { margin-top: var(--space-6); border-top: 1px solid var(--border);
  padding-top: var(--space-4); }
.kb-vote fieldset { border: 0; padding: 0; margin: 0; display: flex; flex-wrap: wrap;
  gap: var(--space-2); align-items: center; }
.kb-vote legend { font-weight: 600; margin-bottom: var(--space-2); }
.kb-vote .kb-muted { flex-basis: 100%; }
.kb-vote-button { font: inherit; font-weight: 600; min-height: 40px; min-width: 64px;
  padding: 0 var(--space-3); border: 1px solid var(--fg-muted); border-radius: var(--radius);
  background: var(--bg); color: var(--fg); cursor: pointer; }
.kb-vote-button:hover { background: var(--bg-subtle); }
.kb-solved { display: flex; flex-wrap: wrap; gap: var(--space-3); align-items: center; }
.kb-solved p { flex-basis: 100%; margin: 0; }
.kb-suggest { border: 1px solid var(--maintenance); background: var(--maintenance-bg);
  border-radius: var(--radius); padding: var(--space-2) var(--space-3); }
.kb-suggest p { margin: 0; font-weight: 600; font-size: var(--text-14); }
.kb-suggest ul { margin: var(--space-1) 0 0; padding-left: var(--space-4); }
.kb-suggest a { display: inline-block; min-height: 32px; padding: var(--space-1) 0; }
.kb-table-wrap { overflow-x: auto; }
.kb-table { border-collapse: collapse; width: 100%; font-size: var(--text-14); }
.kb-table th, .kb-table td { text-align: left; padding: var(--space-2);
  border-bottom: 1px solid var(--border); vertical-align: top; }
.kb-badge { display: inline-block; padding: 0 var(--space-2); border-radius: 999px;
  border: 1px solid currentColor; font-size: var(--text-12); font-weight: 600; }
.kb-status-published { color: var(--ok); }
.kb-status-draft, .kb-visibility-internal { color: var(--fg-muted); }
.kb-visibility-public { color: var(--maintenance); }
.kb-visibility-customers { color: var(--minor); }
.kb-actions { display: flex; flex-wrap: wrap; gap: var(--space-2); }
.kb-editor textarea { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.kb-versions { padding-left: var(--space-6); font-size: var(--text-14); }
.kb-case-tools .sp-form { margin-bottom: var(--space-2); }
@media (max-width: 480px) {
  .kb-search-row { flex-direction: column; }
  .kb-table th:nth-child(4), .kb-table td:nth-child(4),
  .kb-table th:nth-child(7), .kb-table td:nth-child(7) { display: none; }
}
)css";
}

}  // namespace casedesk::adapters::web

// The stylesheet's rules for the staff console's case pages (queues, the case page); see
// stylesheet_parts.h. Public replies and internal notes differ by words, icon, border style and
// fill, never by colour alone; overdue deadlines carry "overdue" and "!" as well as colour.
// Thread-safe: a constant.
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {

std::string_view CaseConsoleStylesheet() {
  return R"css(
/* Case console: queues (cq-) and the case page (cc-) */
.cq-tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: var(--space-1);
  margin: 0 0 var(--space-4); padding: 0; border-bottom: 1px solid var(--border); }
.cq-tabs a { display: inline-flex; align-items: center; min-height: 40px;
  padding: 0 var(--space-3); border: 1px solid transparent; border-bottom: 0;
  border-radius: var(--radius) var(--radius) 0 0; text-decoration: none; }
.cq-tabs a[aria-current="page"] { border-color: var(--border); background: var(--bg);
  font-weight: 600; color: var(--fg); margin-bottom: -1px; text-decoration: underline; }
.cq-filter { margin-bottom: var(--space-3); }
.cc-flag-history.cc-tag-alert { display: block; border-radius: var(--radius);
  padding: var(--space-2) var(--space-3); font-size: inherit; }
.cq-views ul { border-bottom-style: dashed; }
.cq-narrowed { margin: 0 0 var(--space-3); }
.cq-saving { margin-top: var(--space-5); display: grid; gap: var(--space-3); }
.cq-saving summary { cursor: pointer; padding: var(--space-2) 0; }  /* keeps its disclosure marker */
.cq-save form { display: grid; gap: var(--space-2); max-width: 28rem; }
.cq-view-list { list-style: none; padding: 0; margin: 0; display: grid; gap: var(--space-2); }
.cq-view-list li { display: flex; align-items: center; gap: var(--space-3); }
.cq-scroll { overflow-x: auto; }
.cq-table { width: 100%; border-collapse: collapse; font-size: var(--text-14); }
.cq-table th, .cq-table td { text-align: left; padding: var(--space-2); vertical-align: top;
  border-bottom: 1px solid var(--border); }
.cq-table th { font-weight: 600; color: var(--fg-muted); white-space: nowrap; }
.cq-subject { overflow-wrap: anywhere; min-width: 14rem; }
.cq-row:hover, .cq-selected { background: var(--bg-subtle); }
.cq-selected td:first-child { box-shadow: inset 4px 0 0 var(--focus); }
.cq-pages { display: flex; gap: var(--space-4); margin-top: var(--space-4); }
.cq-pages a { display: inline-flex; align-items: center; min-height: 40px; }
.cc-sev { font-weight: 600; white-space: nowrap; }
.cc-sev-1 { color: var(--critical); }
.cc-sev-2 { color: var(--major); }
.cc-sev-3 { color: var(--minor); }
.cc-sev-4 { color: var(--fg-muted); }
.cc-tag { display: inline-block; padding: 0 var(--space-2); border: 1px solid var(--border);
  border-radius: 999px; font-size: var(--text-12); font-weight: 400; color: var(--fg-muted); }
.cc-tag-alert { color: var(--critical); border-color: var(--critical);
  background: var(--critical-bg); }
/* API tokens (cc-tk-): the new token stands out until it is copied */
.cc-tk-new { margin: var(--space-4) 0; padding: var(--space-3); border: 2px solid var(--major);
  border-radius: var(--radius); background: var(--bg-subtle); }
.cc-tk-secret { width: 100%; font-family: ui-monospace, monospace; }
.cc-tk-form { display: grid; gap: var(--space-2); max-width: 32rem; }
.cc-tk-table { width: 100%; border-collapse: collapse; }
.cc-tk-table th, .cc-tk-table td { text-align: left; padding: var(--space-1) var(--space-2);
  border-bottom: 1px solid var(--border); }
/* Who else is on this case (console.js, from presence events): words first, then colour */
.cc-presence { margin: 0 0 var(--space-2); padding: var(--space-1) var(--space-2);
  border: 1px solid var(--border); border-left-width: 4px; border-radius: var(--radius);
  background: var(--bg-subtle); }
.cc-presence-typing { border-left-color: var(--major); font-weight: 600; }
.cc-due { white-space: nowrap; }
.cc-overdue { color: var(--critical); font-weight: 600; }
.cc-title { overflow-wrap: anywhere; }
.cc-number { color: var(--fg-muted); font-weight: 400; }
.cc-badges { list-style: none; display: flex; flex-wrap: wrap; gap: var(--space-2) var(--space-4);
  margin: 0 0 var(--space-6); padding: 0; font-size: var(--text-14); }
.cc-layout { display: grid; gap: var(--space-6); grid-template-columns: minmax(0, 1fr); }
@media (min-width: 1024px) {
  .cc-layout { grid-template-columns: minmax(0, 2fr) minmax(18rem, 1fr); }
}
.cc-main, .cc-side { min-width: 0; }
.cc-section { margin-bottom: var(--space-6); }
.cc-description { border: 1px solid var(--border); border-radius: var(--radius);
  padding: var(--space-3); margin-bottom: var(--space-3); }
.cc-meta, .cc-comment-head { font-size: var(--text-14); color: var(--fg-muted); }
.cc-timeline { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-3); }
.cc-comment { border-radius: var(--radius); padding: var(--space-3);
  border: 1px solid var(--border);
  border-left-width: 4px; }
.cc-public { border-left-color: var(--maintenance-fill); background: var(--bg); }
.cc-internal { border-style: dashed; border-left-style: solid; border-left-color: var(--minor-fill);
  background: var(--minor-bg); }
.cc-kind { font-weight: 600; color: var(--fg); }
.cc-internal .cc-kind { text-transform: uppercase; letter-spacing: 0.04em; }
.cc-author { font-weight: 600; color: var(--fg); }
.cc-files { list-style: none; margin: var(--space-2) 0 0; padding: 0; font-size: var(--text-14); }
.cc-compose { border: 1px solid var(--border); border-radius: var(--radius);
  padding: var(--space-4); }
.cc-compose-internal { border-style: dashed; background: var(--minor-bg); }
.cc-compose .sp-form { max-width: none; margin: 0; }
.cc-button-internal { background: var(--minor-bg); color: var(--fg);
  border: 2px dashed var(--minor-fill); }
.cc-form { display: grid; gap: var(--space-2); margin-bottom: var(--space-4); }
.cc-form .sp-field select, .cc-form .sp-field textarea { width: 100%; }
.cc-clocks { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-3); }
.cc-clock { border-left: 4px solid var(--border); padding-left: var(--space-3);
  font-size: var(--text-14); }
.cc-clock-running { border-left-color: var(--maintenance-fill); }
.cc-clock-achieved { border-left-color: var(--ok-fill); }
.cc-clock-paused { border-left-style: dotted; }
.cc-clock-name { font-size: var(--text-14); margin: 0 0 var(--space-1); }
.cc-breached { color: var(--critical); font-weight: 600; }
.cc-steps { margin: var(--space-1) 0 0; padding-left: var(--space-4); color: var(--fg-muted); }
.cc-facts { display: grid; grid-template-columns: max-content minmax(0, 1fr);
  gap: var(--space-1) var(--space-3); margin: 0 0 var(--space-3); font-size: var(--text-14); }
.cc-facts dt { font-weight: 600; }
.cc-facts dd { margin: 0; overflow-wrap: anywhere; }
.cc-flags, .cc-recent, .cc-history { margin: 0 0 var(--space-3); padding-left: var(--space-4);
  font-size: var(--text-14); }
.cc-history li { margin-bottom: var(--space-2); }
.cc-event-kind { font-weight: 600; }
.cc-shortcuts { margin-top: var(--space-6); font-size: var(--text-14); }
.cc-shortcuts summary { cursor: pointer; min-height: 32px; }
.cc-shortcuts dl { display: grid; grid-template-columns: max-content 1fr;
  gap: var(--space-1) var(--space-3); }
.cc-shortcuts dd { margin: 0; }
.cc-shortcuts kbd { font-family: ui-monospace, monospace; font-size: var(--text-12);
  border: 1px solid var(--border); border-bottom-width: 2px; border-radius: 4px;
  padding: 0 var(--space-1); background: var(--bg-subtle); }
#main summary:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
@media (max-width: 640px) {
  .cq-table thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  .cq-table, .cq-table tbody, .cq-table tr, .cq-table td { display: block; width: 100%; }
  .cq-table tr { border-bottom: 1px solid var(--border); padding: var(--space-2) 0; }
  .cq-table td { border: 0; padding: var(--space-1) var(--space-2); }
  .cq-subject { min-width: 0; }
  .cq-table td[data-label]::before { content: attr(data-label) ": "; font-weight: 600;
    color: var(--fg-muted); }
}
)css";
}

}  // namespace casedesk::adapters::web

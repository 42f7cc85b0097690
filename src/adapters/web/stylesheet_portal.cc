// The stylesheet's rules for the customer and partner portal; see stylesheet_parts.h.
// Thread-safe: a constant.
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {

std::string_view PortalStylesheet() {
  return R"css(
/* portal: the frame, case list, intake form and case page (prefix pt-; portal_*) */
.pt-header { border-bottom: 1px solid var(--border); background: var(--bg-subtle); }
.pt-header-inner { display: flex; flex-wrap: wrap; align-items: center;
  justify-content: space-between; gap: var(--space-2); padding-top: var(--space-3);
  padding-bottom: var(--space-2); }
.pt-brand { font-size: var(--text-20); font-weight: 600; color: var(--fg); text-decoration: none;
  min-height: 32px; display: inline-flex; align-items: center; overflow-wrap: anywhere; }
.pt-user { display: flex; flex-wrap: wrap; align-items: center; gap: var(--space-3);
  font-size: var(--text-14); }
.pt-org { color: var(--fg-muted); }
.pt-inline { display: inline-flex; margin: 0; }
.pt-nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: var(--space-1) var(--space-4);
  margin: 0; padding: 0 0 var(--space-2); }
.pt-nav a { display: inline-flex; align-items: center; min-height: 40px;
  padding: 0 var(--space-1); }
.pt-nav a[aria-current="page"] { font-weight: 600; color: var(--fg);
  box-shadow: inset 0 -3px 0 var(--focus); }
.pt-button-quiet { font: inherit; font-size: var(--text-14); font-weight: 600; min-height: 40px;
  padding: 0 var(--space-3); border: 1px solid var(--fg-muted); border-radius: var(--radius);
  background: var(--bg); color: var(--fg); cursor: pointer; justify-self: start; }
.pt-button-quiet:hover { background: var(--bg-subtle); }
.pt-incidents { background: var(--major-bg); color: var(--major); border-bottom: 1px solid;
  padding: var(--space-2) 0; }
.pt-incidents-title { font-weight: 600; margin: 0; }
.pt-incident-list { margin: var(--space-1) 0 0; padding-left: var(--space-6); }
.pt-incident a { color: inherit; }
.pt-impact-critical { color: var(--critical); }
.pt-impact-maintenance { color: var(--maintenance); }
.pt-incident-status { font-size: var(--text-14); }
/* Long words (addresses, log lines, pasted markup) wrap instead of widening a phone's page. */
.pt-main, .pt-header, .pt-incidents { overflow-wrap: anywhere; }
.pt-lead, .pt-hint, .pt-note, .pt-empty, .pt-size, .pt-side, .pt-back {
  color: var(--fg-muted); font-size: var(--text-14); }
.pt-hint { margin: 0; }
.pt-required { font-weight: 400; font-size: var(--text-14); }
.pt-field-error { color: var(--critical); font-size: var(--text-14); font-weight: 600; margin: 0; }
.pt-form { max-width: 720px; }
.pt-filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: var(--space-3);
  margin-bottom: var(--space-4); }
.pt-filters .sp-field { min-width: 10rem; }
.pt-cases { width: 100%; border-collapse: collapse; margin-bottom: var(--space-4); }
.pt-cases th, .pt-cases td { text-align: left; vertical-align: top; padding: var(--space-2);
  border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
.pt-cases th { font-size: var(--text-14); color: var(--fg-muted); }
.pt-subject { min-width: 12rem; }
.pt-status { display: inline-block; padding: 0 var(--space-2); border: 1px solid;
  border-radius: 999px; font-size: var(--text-12); font-weight: 600; line-height: 20px;
  white-space: nowrap; }
.pt-status-new, .pt-status-open { color: var(--maintenance); }
.pt-status-pending { color: var(--major); }
.pt-status-on_hold { color: var(--minor); }
.pt-status-solved, .pt-status-closed { color: var(--ok); }
.pt-late { color: var(--critical); font-weight: 600; }
.pt-pages { display: flex; gap: var(--space-4); }
.pt-pages a { display: inline-flex; align-items: center; min-height: 40px; }
.pt-choice, .pt-severity { padding: var(--space-2) 0; border-top: 1px solid var(--border); }
.pt-choice:first-of-type, .pt-severity:first-of-type { border-top: 0; }
.pt-choice input, .pt-severity input { width: 20px; height: 20px; margin: 0 var(--space-2) 0 0;
  vertical-align: middle; }
.pt-choice label, .pt-severity label { font-weight: 600; }
.pt-severity-text { margin-left: 28px; font-size: var(--text-14); color: var(--fg-muted); }
.pt-severity-text ul { margin: 0; padding-left: var(--space-4); }
.pt-summary { display: flex; flex-wrap: wrap; gap: var(--space-2) var(--space-6);
  margin: var(--space-2) 0 var(--space-4); }
.pt-summary dt, .pt-facts dt { font-size: var(--text-12); color: var(--fg-muted); }
.pt-summary dd, .pt-facts dd { margin: 0; }
.pt-facts { display: grid; gap: var(--space-2); margin: var(--space-3) 0; }
.pt-promise { border: 1px solid var(--border); border-left: 4px solid var(--focus);
  border-radius: var(--radius); padding: var(--space-2) var(--space-3); font-weight: 600; }
.pt-promise.pt-late { border-left-color: var(--critical-fill); }
.pt-section { margin-top: var(--space-8); }
.pt-body { margin-bottom: var(--space-2); }
.pt-files { list-style: none; margin: var(--space-2) 0; padding: 0; }
.pt-files a { display: inline-flex; align-items: center; min-height: 32px; }
.pt-conversation { list-style: none; margin: 0; padding: 0; }
.pt-comment { border: 1px solid var(--border); border-radius: var(--radius);
  padding: var(--space-3) var(--space-4); margin-bottom: var(--space-3); }
.pt-comment-support { background: var(--bg-subtle); border-left: 4px solid var(--focus); }
.pt-comment-head { font-size: var(--text-14); }
.pt-comment-head time { color: var(--fg-muted); margin-left: var(--space-2); }
@media (max-width: 640px) {
  .pt-cases thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  .pt-cases tr { display: grid; border-bottom: 1px solid var(--border); padding: var(--space-2) 0; }
  .pt-cases td { border: 0; padding: var(--space-1) 0; }
  .pt-cases td::before { content: attr(data-label) ": "; color: var(--fg-muted);
    font-size: var(--text-12); }
  .pt-comment { padding: var(--space-3); }
}
/* end portal */
/* accounts: sign-up, password pages and the Contacts page (prefix ac-; web_accounts*, account_*) */
.ac-intro { color: var(--fg-muted); font-size: var(--text-14); margin: 0 0 var(--space-4); }
.ac-field-error { color: var(--critical); font-size: var(--text-14); margin: 0; }
.ac-links { list-style: none; margin: var(--space-4) 0 0; padding: 0; display: grid;
  gap: var(--space-2); font-size: var(--text-14); }
.ac-links a { display: inline-flex; align-items: center; min-height: 24px; }
.ac-contacts { width: 100%; border-collapse: collapse; margin-bottom: var(--space-6); }
.ac-contacts th, .ac-contacts td { text-align: left; vertical-align: top;
  padding: var(--space-2); border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
.ac-contacts th { font-size: var(--text-14); color: var(--fg-muted); }
.ac-actions { display: flex; flex-wrap: wrap; gap: var(--space-2); }
.ac-actions form { margin: 0; }
.ac-button-quiet { font: inherit; font-size: var(--text-14); min-height: 32px;
  padding: var(--space-1) var(--space-3); border: 1px solid var(--fg-muted);
  border-radius: var(--radius); background: var(--bg); color: var(--fg); cursor: pointer; }
.ac-button-quiet:hover { background: var(--bg-subtle); }
.ac-state { font-size: var(--text-14); font-weight: 600; }
.ac-state-active { color: var(--ok); }
.ac-state-invited { color: var(--fg-muted); }
.ac-state-inactive { color: var(--critical); }
@media (max-width: 640px) {
  .ac-contacts thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  .ac-contacts tr { display: grid; border-bottom: 1px solid var(--border);
    padding: var(--space-2) 0; }
  .ac-contacts td { border: 0; padding: var(--space-1) 0; }
}
/* end accounts */
)css";
}

}  // namespace casedesk::adapters::web

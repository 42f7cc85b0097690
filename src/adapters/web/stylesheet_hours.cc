// The stylesheet's rules for contract hours: the portal's Hours page (figures, meter, the SVG
// burn-down and its table) and the console case page's Time section; see stylesheet_parts.h.
// Thread-safe: a constant.
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {

std::string_view HoursStylesheet() {
  return R"css(
/* contract hours: portal Hours page and the console's Time section (prefix hr-; *hours*) */
.hr-lead { margin: 0 0 var(--space-3); color: var(--fg-muted); }
.hr-package { margin: var(--space-5) 0; padding-top: var(--space-3);
  border-top: 1px solid var(--border); }
.hr-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
  gap: var(--space-2) var(--space-4); margin: 0 0 var(--space-3); }
.hr-figures div { margin: 0; }
.hr-figures dt { font-size: var(--text-14); color: var(--fg-muted); }
.hr-figures dd { margin: 0; font-size: var(--text-20); font-weight: 600; }
.hr-percent { font-size: var(--text-14); font-weight: 400; color: var(--fg-muted); }
.hr-over { color: var(--critical); }
.hr-meter { height: 8px; border-radius: 4px; background: var(--bg-subtle);
  border: 1px solid var(--border); overflow: hidden; max-width: 40rem; }
.hr-meter-fill { display: block; height: 100%; width: 0; background: var(--ok-fill); }
.hr-meter-10 { width: 10%; } .hr-meter-20 { width: 20%; } .hr-meter-30 { width: 30%; }
.hr-meter-40 { width: 40%; } .hr-meter-50 { width: 50%; } .hr-meter-60 { width: 60%; }
.hr-meter-70 { width: 70%; }
.hr-meter-80 { width: 80%; background: var(--major-fill); }
.hr-meter-90 { width: 90%; background: var(--major-fill); }
.hr-meter-100 { width: 100%; background: var(--critical-fill); }
.hr-note { font-size: var(--text-14); color: var(--fg-muted); }
.hr-chart { margin: var(--space-3) 0; max-width: 48rem; }
.hr-svg { display: block; width: 100%; height: auto; }
.hr-gridline { stroke: var(--border); stroke-width: 1; }
.hr-axis { font-size: 12px; fill: var(--fg-muted); }
.hr-ideal { fill: none; stroke: var(--fg-muted); stroke-width: 2; stroke-dasharray: 6 4; }
.hr-actual { fill: none; stroke: var(--focus); stroke-width: 3; stroke-linejoin: round; }
.hr-legend { display: flex; flex-wrap: wrap; align-items: center; gap: var(--space-2);
  font-size: var(--text-14); color: var(--fg-muted); }
.hr-key { display: inline-block; width: 24px; height: 0; border-top: 3px solid var(--focus); }
.hr-key-ideal { border-top: 2px dashed var(--fg-muted); }
.hr-table { max-width: 40rem; }
.hr-entries { width: 100%; border-collapse: collapse; font-size: var(--text-14); }
.hr-entries th, .hr-entries td { text-align: left; padding: var(--space-1) var(--space-2);
  border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: break-word; }
.hr-entries th { white-space: nowrap; }
.hr-form-row { display: flex; flex-wrap: wrap; gap: var(--space-3); }
.hr-form-row .sp-field { flex: 1 1 10rem; }
.hr-check { display: flex; align-items: center; gap: var(--space-2); }
.hr-check input { width: 20px; height: 20px; }
@media (max-width: 40rem) {
  .hr-entries thead { display: none; }
  .hr-entries tr { display: block; border-bottom: 1px solid var(--border); padding: var(--space-1) 0; }
  .hr-entries td { display: block; border: 0; padding: 2px var(--space-1); }
}
)css";
}

}  // namespace casedesk::adapters::web

// The stylesheet's rules for engineering links and problems (issue 7): the console case page's
// Engineering section and the console's problem pages; see stylesheet_parts.h.
// Thread-safe: a constant.
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {

std::string_view EngineeringStylesheet() {
  return R"css(
/* engineering links and problems: console case page and /console/problems (cc-eg- / cc-pr-) */
.cc-eg-links { list-style: none; margin: 0 0 var(--space-3); padding: 0; }
.cc-eg-link { padding: var(--space-2) 0; border-bottom: 1px solid var(--border); }
.cc-eg-link-head { margin: 0; overflow-wrap: anywhere; }
.cc-eg-tracker { font-size: var(--text-14); color: var(--fg-muted); text-transform: uppercase; }
.cc-eg-state { display: inline-block; padding: 0 var(--space-2); border: 1px solid var(--border);
  border-radius: 999px; font-size: var(--text-14); background: var(--bg-subtle); }
.cc-eg-title { margin: var(--space-1) 0 0; overflow-wrap: anywhere; }
.cc-eg-pending { margin-top: var(--space-2); padding: var(--space-2) var(--space-3);
  border-left: 4px solid var(--major-fill); background: var(--bg-subtle); }
.cc-eg-suggestion { margin: var(--space-2) 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.cc-eg-form-row { display: flex; flex-wrap: wrap; gap: var(--space-3); }
.cc-eg-form-row .sp-field { flex: 1 1 10rem; }
.cc-pr-filter ul { display: flex; flex-wrap: wrap; gap: var(--space-3); list-style: none;
  margin: 0 0 var(--space-3); padding: 0; }
.cc-pr-filter a[aria-current="page"] { font-weight: 600; }
.cc-pr-table { width: 100%; border-collapse: collapse; margin: 0 0 var(--space-3); }
.cc-pr-table th, .cc-pr-table td { text-align: left; padding: var(--space-1) var(--space-2);
  border-bottom: 1px solid var(--border); vertical-align: top; overflow-wrap: anywhere; }
.cc-pr-status { display: inline-block; padding: 0 var(--space-2); border-radius: 999px;
  border: 1px solid var(--border); font-size: var(--text-14); }
.cc-pr-status[data-status="resolved"] { border-color: var(--ok-fill); }
.cc-pr-status[data-status="known_error"] { border-color: var(--major-fill); }
.cc-pr-root-cause { white-space: pre-wrap; overflow-wrap: anywhere; }
@media (max-width: 40rem) {
  .cc-pr-table thead { display: none; }
  .cc-pr-table td { display: block; border-bottom: 0; }
  .cc-pr-table tr { display: block; border-bottom: 1px solid var(--border); }
}
)css";
}

}  // namespace casedesk::adapters::web

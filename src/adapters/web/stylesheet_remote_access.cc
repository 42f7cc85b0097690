// The stylesheet's rules for remote access requests (issue 7): the console case page's Remote
// access section (prefix cc-ra-) and the portal case page's (prefix pt-ra-); see
// stylesheet_parts.h. Thread-safe: a constant.
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {

std::string_view RemoteAccessStylesheet() {
  return R"css(
/* remote access requests: console (cc-ra-) and portal (pt-ra-) case pages (*remote_access*) */
.cc-ra-list, .pt-ra-list { list-style: none; margin: 0 0 var(--space-4); padding: 0; }
.cc-ra-item, .pt-ra-item { margin: 0 0 var(--space-3); padding: var(--space-3);
  border: 1px solid var(--border); border-radius: 6px; }
.cc-ra-item p, .pt-ra-item p { margin: 0 0 var(--space-2); }
.cc-ra-status, .pt-ra-status { display: inline-block; margin-left: var(--space-2);
  padding: 0 var(--space-2); border-radius: 999px; font-size: var(--text-14);
  background: var(--bg-subtle); border: 1px solid var(--border); }
.cc-ra-requested, .pt-ra-requested { border-left: 4px solid var(--major-fill); }
.cc-ra-granted, .pt-ra-granted { border-left: 4px solid var(--ok-fill); }
.cc-ra-window { display: flex; flex-wrap: wrap; gap: var(--space-3); }
.cc-ra-credentials { display: grid; grid-template-columns: max-content 1fr;
  gap: var(--space-1) var(--space-4); margin: var(--space-3) 0; }
.cc-ra-credentials dt { font-weight: 600; }
.cc-ra-credentials dd { margin: 0; overflow-wrap: anywhere; }
.pt-ra-grant fieldset { border: 0; margin: 0; padding: 0; }
.pt-ra-grant legend { font-weight: 600; margin-bottom: var(--space-2); }
)css";
}

}  // namespace casedesk::adapters::web

// The design system's one stylesheet (StatusStylesheet, declared in status_page_html.h), served
// as /static/casedesk.css: custom properties for colours, light first and dark when the system
// asks, a 4 px grid, visible focus, phone layout; the public status page's rules (sp-), then the
// staff pages' (cd-: sign-in, the console frame and its forms). The case console's and the
// customer portal's rules live in their own files (stylesheet_parts.h) and are appended here.
// Thread-safe: the concatenation is built once, on first use.
#include <string>

#include "adapters/web/status_page_html.h"
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {
namespace {

std::string_view BaseStylesheet() {
  return R"css(/* Casedesk: one stylesheet for every page. Light first, dark when the system asks. */
:root {
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --text-12: 0.75rem; --text-14: 0.875rem; --text-16: 1rem; --text-20: 1.25rem; --text-24: 1.5rem;
  --space-1: 4px; --space-2: 8px; --space-3: 12px; --space-4: 16px; --space-6: 24px;
  --space-8: 32px;
  --radius: 6px;
  --bg: #ffffff; --bg-subtle: #f6f8fa; --fg: #1f2328; --fg-muted: #59636e; --border: #d1d9e0;
  --link: #0550ae; --focus: #0969da;
  /* Status colours; text uses the dark shade, fills the bright one. */
  --ok: #1a7f37; --ok-fill: #2da44e; --ok-bg: #dafbe1;
  --minor: #7d4e00; --minor-fill: #d4a72c; --minor-bg: #fff8c5;
  --major: #953800; --major-fill: #e16f24; --major-bg: #fff1e5;
  --critical: #b21f2c; --critical-fill: #cf222e; --critical-bg: #ffebe9;
  --maintenance: #0550ae; --maintenance-fill: #218bff; --maintenance-bg: #ddf4ff;
  --nodata-fill: #d1d9e0;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --bg-subtle: #161b22; --fg: #e6edf3; --fg-muted: #9198a1; --border: #3d444d;
    --link: #4493f8; --focus: #4493f8;
    --ok: #3fb950; --ok-bg: #12261e; --minor: #d29922; --minor-bg: #272115;
    --major: #db6d28; --major-bg: #2b1a0f; --critical: #f85149; --critical-bg: #2d1214;
    --maintenance: #4493f8; --maintenance-bg: #121d2f; --nodata-fill: #3d444d;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font-family: var(--font); font-size: var(--text-16); line-height: 1.5;
  color: var(--fg); background: var(--bg); }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible,
textarea:focus-visible, main:focus-visible,
[tabindex]:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
h1, h2, h3, h4 { line-height: 1.25; margin: 0 0 var(--space-2); }
h1 { font-size: var(--text-24); }
h2 { font-size: var(--text-20); }
h3, h4 { font-size: var(--text-16); }
p { margin: 0 0 var(--space-2); }
.sp-wrap { max-width: 880px; margin: 0 auto; padding-left: var(--space-4);
  padding-right: var(--space-4); }
.sp-vh { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.sp-skip { position: absolute; left: var(--space-2); top: -48px; padding: var(--space-2);
  background: var(--bg); z-index: 10; }
.sp-skip:focus { top: var(--space-2); }

/* Header and footer */
.sp-header { border-bottom: 1px solid var(--border); background: var(--bg-subtle); }
.sp-header-inner { display: flex; flex-wrap: wrap; align-items: center;
  justify-content: space-between; gap: var(--space-2); padding-top: var(--space-3);
  padding-bottom: var(--space-3); }
.sp-brand { font-size: var(--text-20); font-weight: 600; color: var(--fg); text-decoration: none;
  min-height: 32px; display: inline-flex; align-items: center; }
.sp-nav { list-style: none; display: flex; flex-wrap: wrap; gap: var(--space-1) var(--space-4);
  margin: 0; padding: 0; font-size: var(--text-14); }
.sp-nav a { display: inline-flex; align-items: center; min-height: 32px; }
.sp-flash { margin: var(--space-3) 0; padding: var(--space-2) var(--space-3);
  border-radius: var(--radius); border: 1px solid; }
.sp-flash-notice { color: var(--ok); background: var(--ok-bg); border-color: var(--ok); }
.sp-flash-error { color: var(--critical); background: var(--critical-bg);
  border-color: var(--critical); }
main { display: block; padding-top: var(--space-6); padding-bottom: var(--space-6); }
main:focus { outline: none; }
.sp-footer { border-top: 1px solid var(--border); color: var(--fg-muted);
  font-size: var(--text-14); padding: var(--space-4) 0; }

/* Overall banner */
.sp-banner { border-radius: var(--radius); padding: var(--space-4); margin-bottom: var(--space-6);
  border: 1px solid; }
.sp-banner h1 { font-size: var(--text-20); margin: 0; }
.sp-updated { margin: var(--space-1) 0 0; font-size: var(--text-14); }
.sp-indicator-none { color: var(--ok); background: var(--ok-bg); }
.sp-indicator-minor { color: var(--minor); background: var(--minor-bg); }
.sp-indicator-major { color: var(--major); background: var(--major-bg); }
.sp-indicator-critical { color: var(--critical); background: var(--critical-bg); }
.sp-indicator-maintenance { color: var(--maintenance); background: var(--maintenance-bg); }
.sp-icon { display: inline-block; min-width: 1em; text-align: center; font-weight: 700; }

/* Sections, incidents, maintenance */
.sp-section { margin-bottom: var(--space-8); }
.sp-event { border: 1px solid var(--border); border-left-width: 4px; border-radius: var(--radius);
  padding: var(--space-3) var(--space-4); margin-bottom: var(--space-4); }
.sp-impact-none, .sp-impact-minor { border-left-color: var(--minor-fill); }
.sp-impact-major { border-left-color: var(--major-fill); }
.sp-impact-critical { border-left-color: var(--critical-fill); }
.sp-impact-maintenance { border-left-color: var(--maintenance-fill); }
.sp-event-title a { color: inherit; }
.sp-event-meta, .sp-window, .sp-affected { font-size: var(--text-14); color: var(--fg-muted); }
.sp-tag { display: inline-block; padding: 0 var(--space-2); border: 1px solid var(--border);
  border-radius: 999px; font-size: var(--text-12); line-height: 20px; color: var(--fg); }
.sp-timeline { list-style: none; margin: var(--space-3) 0 0; padding: 0; }
.sp-update { padding: var(--space-2) 0 var(--space-2) var(--space-3);
  border-left: 2px solid var(--border); }
.sp-update-head { margin-bottom: var(--space-1); }
.sp-update-head time { color: var(--fg-muted); font-size: var(--text-14); margin-left: var(--space-2); }
.sp-update-body p { overflow-wrap: anywhere; }
.sp-back { font-size: var(--text-14); }

/* Components and uptime bars */
.sp-hint { font-size: var(--text-14); color: var(--fg-muted); }
.sp-components, .sp-members { list-style: none; margin: 0; padding: 0; }
.sp-block { border: 1px solid var(--border); border-radius: var(--radius);
  padding: var(--space-3) var(--space-4); margin-bottom: var(--space-3); }
.sp-members { margin-top: var(--space-2); }
.sp-member { border-top: 1px solid var(--border); padding-top: var(--space-3);
  margin-top: var(--space-3); }
.sp-row { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: var(--space-2); }
.sp-name { margin: 0; overflow-wrap: anywhere; }
.sp-desc { font-size: var(--text-14); color: var(--fg-muted); margin-top: var(--space-1); }
.sp-status { font-size: var(--text-14); font-weight: 600; white-space: nowrap; }
.sp-status-operational { color: var(--ok); }
.sp-status-degraded_performance { color: var(--minor); }
.sp-status-partial_outage { color: var(--major); }
.sp-status-major_outage { color: var(--critical); }
.sp-status-under_maintenance { color: var(--maintenance); }
.sp-uptime { margin-top: var(--space-2); }
.sp-bars { list-style: none; display: flex; gap: 2px; height: 32px; margin: 0; padding: 0; }
.sp-bar { flex: 1 1 0; min-width: 1px; border-radius: 1px; background: var(--ok-fill); }
.sp-bar:hover { opacity: 0.7; }
.sp-bar-degraded_performance { background: var(--minor-fill); }
/* Outages are taller marks as well as other colours, so the bars read without colour. */
.sp-bar-partial_outage { background: var(--major-fill); }
.sp-bar-major_outage { background: var(--critical-fill); }
.sp-bar-under_maintenance { background: var(--maintenance-fill); }
.sp-bar-operational, .sp-bar-under_maintenance, .sp-bar-degraded_performance { margin-top: 6px; }
.sp-bar-nodata { background: var(--nodata-fill); margin-top: 14px; }
.sp-uptime-legend { display: flex; justify-content: space-between; gap: var(--space-2);
  font-size: var(--text-12); color: var(--fg-muted); margin: var(--space-1) 0 0; }
.sp-days-30 { display: none; }
.sp-uptime-total { font-weight: 600; color: var(--fg); }

/* History */
.sp-history { list-style: none; margin: 0; padding: 0; }
.sp-history-item { border-bottom: 1px solid var(--border); padding: var(--space-3) 0; }

/* Subscribe and forms */
.sp-subscribe { background: var(--bg-subtle); border-top: 1px solid var(--border);
  padding: var(--space-6) 0; }
.sp-form { display: grid; gap: var(--space-3); max-width: 560px; margin-bottom: var(--space-3); }
.sp-field { display: grid; gap: var(--space-1); }
.sp-field label, .sp-choices legend { font-weight: 600; font-size: var(--text-14); }
.sp-field input { font: inherit; min-height: 40px; padding: var(--space-2);
  border: 1px solid var(--fg-muted); border-radius: var(--radius); background: var(--bg);
  color: var(--fg); }
.sp-choices { border: 1px solid var(--border); border-radius: var(--radius); margin: 0;
  padding: var(--space-2) var(--space-3); }
.sp-check { display: flex; align-items: center; gap: var(--space-2); min-height: 32px; }
.sp-check input { width: 20px; height: 20px; margin: 0; }
.sp-button { font: inherit; font-weight: 600; min-height: 40px; padding: var(--space-2) var(--space-4);
  border: 1px solid var(--focus); border-radius: var(--radius); background: var(--focus);
  color: #ffffff; cursor: pointer; justify-self: start; }
.sp-button:hover { filter: brightness(1.1); }
.sp-feeds { font-size: var(--text-14); }

/* Staff pages: sign-in, the console frame, console forms. */
.sp-field select, .sp-field textarea { font: inherit; min-height: 40px; padding: var(--space-2);
  border: 1px solid var(--fg-muted); border-radius: var(--radius); background: var(--bg);
  color: var(--fg); }
.sp-field textarea { resize: vertical; min-height: 96px; }
.sp-field [aria-invalid="true"] { border-color: var(--critical); border-width: 2px; }
.cd-centred-body { background: var(--bg-subtle); min-height: 100vh; display: flex;
  align-items: center; justify-content: center; padding: var(--space-4); }
.cd-centred { width: 100%; max-width: 400px; background: var(--bg); border: 1px solid var(--border);
  border-radius: var(--radius); padding: var(--space-6); }
.cd-sign-in { max-width: none; margin: 0; }
.cd-sign-in .sp-button { justify-self: stretch; }
.cd-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: var(--space-2); padding: var(--space-2) var(--space-4);
  border-bottom: 1px solid var(--border); background: var(--bg-subtle); }
.cd-brand { font-weight: 600; color: var(--fg); text-decoration: none; min-height: 32px;
  display: inline-flex; align-items: center; }
.cd-user { display: flex; flex-wrap: wrap; align-items: center; gap: var(--space-3);
  font-size: var(--text-14); }
.cd-body { display: grid; grid-template-columns: 200px minmax(0, 1fr); }
.cd-nav { border-right: 1px solid var(--border); padding: var(--space-4) var(--space-2);
  min-height: calc(100vh - 49px); }
.cd-nav ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-1); }
.cd-nav a { display: flex; align-items: center; min-height: 32px; padding: 0 var(--space-3);
  border-radius: var(--radius); color: var(--fg); text-decoration: none;
  font-size: var(--text-14); }
.cd-nav a:hover { background: var(--bg-subtle); }
.cd-nav a[aria-current="page"] { background: var(--bg-subtle); font-weight: 600;
  box-shadow: inset 3px 0 0 var(--focus); }
.cd-main { padding: var(--space-6); max-width: 1280px; min-width: 0; }
.cd-lead { color: var(--fg-muted); }
.cd-banner-title { margin: 0; font-size: var(--text-20); }
.cd-grid { display: grid; gap: 0 var(--space-8); }
.cd-col { min-width: 0; }
.cd-panel { border: 1px solid var(--border); border-radius: var(--radius); padding: var(--space-4);
  max-width: none; background: var(--bg); }
.cd-list, .cd-members { list-style: none; margin: 0 0 var(--space-4); padding: 0; }
.cd-list > li { border-bottom: 1px solid var(--border); padding: var(--space-3) 0; }
.cd-members { margin: var(--space-2) 0 0 var(--space-4); }
.cd-members > li { padding: var(--space-2) 0; border-top: 1px solid var(--border); }
.cd-component { display: flex; flex-wrap: wrap; align-items: center;
  gap: var(--space-2) var(--space-4); }
.cd-component-name { margin: 0; flex: 1 1 12rem; overflow-wrap: anywhere; }
.cd-event { border-left-style: solid; border-left-width: 4px; padding-left: var(--space-3); }
.cd-event-name { font-weight: 600; overflow-wrap: anywhere; }
.cd-event-title { overflow-wrap: anywhere; }
.cd-case { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: var(--space-2); }
.cd-inline { display: inline-flex; flex-wrap: wrap; align-items: center; gap: var(--space-2);
  margin: 0; font-size: var(--text-14); }
.cd-inline select, .cd-inline input { font: inherit; min-height: 32px; padding: 0 var(--space-2);
  border: 1px solid var(--fg-muted); border-radius: var(--radius); background: var(--bg);
  color: var(--fg); }
.cd-inline [aria-invalid="true"] { border-color: var(--critical); border-width: 2px; }
.cd-button { font: inherit; font-size: var(--text-14); font-weight: 600; min-height: 32px;
  padding: 0 var(--space-3); border: 1px solid var(--fg-muted); border-radius: var(--radius);
  background: var(--bg); color: var(--fg); cursor: pointer; }
.cd-button:hover { background: var(--bg-subtle); }
.cd-form-error { color: var(--critical); background: var(--critical-bg);
  border: 1px solid var(--critical); border-radius: var(--radius); font-size: var(--text-14);
  font-weight: 600; padding: var(--space-2) var(--space-3); margin: var(--space-2) 0; }
.cd-note, .cd-optional, .cd-empty { color: var(--fg-muted); font-size: var(--text-14); }
.cd-optional { font-weight: 400; }
.cd-note { margin: 0; }
.cd-field-pair { display: grid; gap: var(--space-3);
  grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr)); }
.cd-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.cd-changes { font-size: var(--text-14); color: var(--fg-muted); margin: var(--space-1) 0 0;
  padding-left: var(--space-4); }
@media (min-width: 1100px) {
  .cd-grid { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
}
@media (max-width: 760px) {
  .cd-body { grid-template-columns: minmax(0, 1fr); }
  .cd-nav { min-height: 0; border-right: 0; border-bottom: 1px solid var(--border);
    padding: var(--space-2); }
  .cd-nav ul { display: flex; flex-wrap: wrap; }
  .cd-main { padding: var(--space-4) var(--space-3); }
}

/* Phones: one column, the last 30 days of bars. */
@media (max-width: 600px) {
  .sp-wrap { padding-left: var(--space-3); padding-right: var(--space-3); }
  .sp-bar:nth-child(-n+60) { display: none; }
  .sp-days-90 { display: none; }
  .sp-days-30 { display: inline; }
  .sp-block { padding: var(--space-3); }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
)css";
}

}  // namespace

std::string_view StatusStylesheet() {
  static const std::string* const sheet =
      new std::string(std::string(BaseStylesheet()) + std::string(CaseConsoleStylesheet()) +
                      std::string(PortalStylesheet()) + std::string(KbStylesheet()) +
                      std::string(HoursStylesheet()) + std::string(RemoteAccessStylesheet()) +
                      std::string(EngineeringStylesheet()));
  return *sheet;
}

}  // namespace casedesk::adapters::web

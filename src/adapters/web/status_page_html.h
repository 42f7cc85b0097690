// The public status page's HTML documents, its feeds and its static assets, rendered from a
// snapshot. Pages need no login and work without JavaScript; status.js localises times and
// keeps the page live. All user text is escaped.
// Thread-safe: pure functions; the assets are constants.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/status_page_view.h"
#include "core/status_page.h"

namespace casedesk::adapters::web {

struct StatusPageOptions {
  std::string notice;  // a one-line message shown at the top (e.g. after subscribing); escaped
  std::string error;   // a one-line error shown at the top; escaped
};

// GET /status: banner, active incidents, maintenance, components with 90-day uptime bars,
// history, the subscribe form and links to the feeds and the v2 API.
std::string RenderStatusPage(const app::StatusPageSnapshot& s, const StatusPageOptions& o);
// GET /status/incidents/{id}: one incident's (or maintenance's) whole timeline.
std::string RenderIncidentPage(const app::StatusPageSnapshot& s, const core::Incident& incident,
                               const StatusPageOptions& o);

// A small page with one message and, when form_action is set, a POST form of hidden fields and
// one button (subscribe confirmations, the unsubscribe confirmation).
struct StatusMessagePage {
  std::string title;
  std::string message;
  std::string form_action;
  std::string button_label;
  std::vector<std::pair<std::string, std::string>> hidden_fields;
};
std::string RenderStatusMessagePage(const app::StatusPageSnapshot& s, const StatusMessagePage& m);

// GET /status/history.atom and /status/history.rss: incidents and maintenance, most recently
// updated first, each with its latest update.
std::string RenderAtomFeed(const app::StatusPageSnapshot& s);
std::string RenderRssFeed(const app::StatusPageSnapshot& s);

// GET /static/casedesk.css: the design system's one stylesheet.
std::string_view StatusStylesheet();
// GET /static/status.js: local times and live updates of <main>.
std::string_view StatusScript();

}  // namespace casedesk::adapters::web

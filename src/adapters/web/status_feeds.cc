// The status page's Atom 1.0 and RSS 2.0 feeds (declared in status_page_html.h): incidents and
// maintenance, most recently updated first, each entry with its latest update's status and body.
// Thread-safe: pure functions.
#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/web/status_labels.h"
#include "adapters/web/status_page_html.h"
#include "adapters/web/status_time.h"
#include "adapters/web/statuspage_json.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

// Incidents and maintenance, most recently updated first.
std::vector<const core::Incident*> FeedEvents(const app::StatusPageSnapshot& s) {
  std::vector<const core::Incident*> events;
  for (const auto* list : {&s.incidents, &s.maintenances}) {
    for (const core::Incident& event : *list) events.push_back(&event);
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto* a, const auto* b) { return a->updated_at > b->updated_at; });
  return events;
}

// "Investigating: We are looking into it." from the latest update (updates are newest first).
std::string LatestText(const core::Incident& event) {
  if (event.updates.empty()) return std::string(IncidentStatusWord(event.status));
  const core::IncidentUpdate& latest = event.updates.front();
  return absl::StrCat(std::string(IncidentStatusWord(latest.status)), ": ", latest.body);
}

absl::Time FeedUpdated(const app::StatusPageSnapshot& s) {
  if (IsSet(s.updated_at)) return s.updated_at;
  if (IsSet(s.now)) return s.now;
  return absl::UnixEpoch();
}

absl::Time EventUpdated(const core::Incident& event) {
  if (IsSet(event.updated_at)) return event.updated_at;
  if (IsSet(event.created_at)) return event.created_at;
  return absl::UnixEpoch();
}

// RSS readers treat <description> as HTML: the text is made HTML (escaped, line breaks as <br>)
// and that HTML escaped again as XML, so a reader shows the text and never runs markup from it.
std::string TextAsHtml(std::string_view text) {
  std::string html;
  for (const char c : XmlEscape(text)) {
    if (c == '\n') {
      html += "<br>\n";
    } else if (c != '\r') {
      html += c;
    }
  }
  return html;
}

}  // namespace

std::string RenderAtomFeed(const app::StatusPageSnapshot& s) {
  const std::string base = XmlEscape(s.page.url);
  std::string out = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n", "<id>", base,
      "/status</id>\n", "<title>", XmlEscape(s.page.name), ": incident history</title>\n",
      "<link rel=\"alternate\" type=\"text/html\" href=\"", base, "/status\"/>\n",
      "<link rel=\"self\" type=\"application/atom+xml\" href=\"", base,
      "/status/history.atom\"/>\n", "<updated>", Rfc3339Utc(FeedUpdated(s)), "</updated>\n",
      "<author><name>", XmlEscape(s.page.name), "</name></author>\n");
  for (const core::Incident* event : FeedEvents(s)) {
    const std::string link = XmlEscape(IncidentUrl(s.page, event->id));
    const bool maintenance = event->kind == core::IncidentKind::kMaintenance;
    absl::StrAppend(&out, "<entry>\n<id>", link, "</id>\n<title>", XmlEscape(event->name),
                    "</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"", link, "\"/>\n");
    if (IsSet(event->created_at)) {
      absl::StrAppend(&out, "<published>", Rfc3339Utc(event->created_at), "</published>\n");
    }
    absl::StrAppend(&out, "<updated>", Rfc3339Utc(EventUpdated(*event)), "</updated>\n",
                    "<category term=\"", maintenance ? "maintenance" : "incident", "\"/>\n",
                    "<content type=\"text\">", XmlEscape(LatestText(*event)),
                    "</content>\n</entry>\n");
  }
  out += "</feed>\n";
  return out;
}

std::string RenderRssFeed(const app::StatusPageSnapshot& s) {
  const std::string base = XmlEscape(s.page.url);
  std::string out = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
      "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n", "<title>",
      XmlEscape(s.page.name), ": incident history</title>\n", "<link>", base, "/status</link>\n",
      "<description>Incidents and maintenance of ", XmlEscape(s.page.name), "</description>\n",
      "<language>en</language>\n", "<lastBuildDate>", Rfc822Time(FeedUpdated(s)),
      "</lastBuildDate>\n", "<atom:link href=\"", base,
      "/status/history.rss\" rel=\"self\" type=\"application/rss+xml\"/>\n");
  for (const core::Incident* event : FeedEvents(s)) {
    const std::string link = XmlEscape(IncidentUrl(s.page, event->id));
    const bool maintenance = event->kind == core::IncidentKind::kMaintenance;
    absl::StrAppend(&out, "<item>\n<title>", XmlEscape(event->name), "</title>\n<link>", link,
                    "</link>\n<guid isPermaLink=\"true\">", link, "</guid>\n<category>",
                    maintenance ? "maintenance" : "incident", "</category>\n<pubDate>",
                    Rfc822Time(EventUpdated(*event)), "</pubDate>\n<description>",
                    XmlEscape(TextAsHtml(LatestText(*event))), "</description>\n</item>\n");
  }
  out += "</channel>\n</rss>\n";
  return out;
}

}  // namespace casedesk::adapters::web

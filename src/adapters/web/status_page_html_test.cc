#include "adapters/web/status_page_html.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "adapters/web/status_test_snapshot.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using testing::MakeSnapshot;
using ::testing::Not;

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

std::string Between(const std::string& html, const std::string& from, const std::string& to) {
  const size_t start = html.find(from);
  const size_t end = html.find(to, start);
  if (start == std::string::npos || end == std::string::npos) return "";
  return html.substr(start, end - start);
}

// Every element closed in order (void elements excepted), headings without skipped levels
// starting at h1, unique ids, and a label for every visible input.
void ExpectSoundHtml(const std::string& html) {
  SCOPED_TRACE(html.substr(0, 200));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  static const std::set<std::string> kVoid = {"area",   "base",  "br",    "col",  "embed",
                                              "hr",     "img",   "input", "link", "meta",
                                              "source", "track", "wbr"};
  const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>)");
  std::vector<std::string> open;
  std::vector<int> headings;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[2];
    if ((*it)[1] == "/") {
      ASSERT_FALSE(open.empty()) << "stray </" << name << ">";
      ASSERT_EQ(open.back(), name) << "at " << it->position();
      open.pop_back();
    } else if (!kVoid.count(name)) {
      open.push_back(name);
      if (name.size() == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6') {
        headings.push_back(name[1] - '0');
      }
    }
  }
  EXPECT_TRUE(open.empty());
  ASSERT_FALSE(headings.empty());
  EXPECT_EQ(headings.front(), 1);
  for (size_t i = 1; i < headings.size(); ++i) {
    EXPECT_LE(headings[i], headings[i - 1] + 1) << "heading " << i;
  }
  EXPECT_EQ(Count(html, "<h1"), 1u);

  std::set<std::string> ids;
  const std::regex id(R"re( id="([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id); it != std::sregex_iterator();
       ++it) {
    EXPECT_TRUE(ids.insert((*it)[1]).second) << "duplicate id " << (*it)[1];
  }
  const std::regex input(R"(<input\b[^>]*>)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), input);
       it != std::sregex_iterator(); ++it) {
    const std::string element = it->str();
    if (element.find("type=\"hidden\"") != std::string::npos) continue;
    std::smatch input_id;
    ASSERT_TRUE(std::regex_search(element, input_id, id)) << element;
    EXPECT_THAT(html, HasSubstr("<label for=\"" + input_id[1].str() + "\">")) << element;
  }
  for (const char* landmark : {"<header", "<main", "<footer"}) {
    EXPECT_EQ(Count(html, landmark), 1u) << landmark;
  }
}

TEST(StatusPageHtmlTest, DocumentHeadAndLandmarks) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  ExpectSoundHtml(html);
  EXPECT_THAT(html, HasSubstr("<meta name=\"viewport\" content=\"width=device-width"));
  EXPECT_THAT(html, HasSubstr("<title>Example Cloud Status</title>"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"stylesheet\" href=\"/static/casedesk.css\">"));
  EXPECT_THAT(html, HasSubstr("<script src=\"/static/status.js\" defer></script>"));
  EXPECT_THAT(html, HasSubstr("<link rel=\"alternate\" type=\"application/atom+xml\""));
  EXPECT_THAT(html, HasSubstr("href=\"/status/history.atom\""));
  EXPECT_THAT(html, HasSubstr("<link rel=\"alternate\" type=\"application/rss+xml\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"/api/v2/summary.json\">"));
  EXPECT_THAT(html, HasSubstr("<main id=\"main\" class=\"sp-wrap\" tabindex=\"-1\" data-live>"));
  EXPECT_THAT(html, Not(HasSubstr("{{")));  // no tag left unrendered
}

TEST(StatusPageHtmlTest, BannerShowsTheIndicatorInWordsAndShape) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  EXPECT_THAT(html, HasSubstr("<section class=\"sp-banner sp-indicator-major\""));
  EXPECT_THAT(html, HasSubstr("<span class=\"sp-icon\" aria-hidden=\"true\">\u25C6</span> "
                              "Partial System Outage</h1>"));
  EXPECT_THAT(html, HasSubstr("Updated <time datetime=\"2026-11-22T21:00:00Z\">"
                              "Nov 22, 14:00 MST</time>"));
}

TEST(StatusPageHtmlTest, ComponentsByGroupWithStatusWords) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  const std::string components = Between(html, "id=\"sp-components\"", "id=\"sp-history\"");
  EXPECT_THAT(components, HasSubstr("<h3 class=\"sp-name\">API</h3>"));
  EXPECT_THAT(components, HasSubstr("<p class=\"sp-desc\">The public REST API</p>"));
  EXPECT_THAT(components, HasSubstr("<h3 class=\"sp-name\">Voice</h3><span class=\"sp-status "
                                    "sp-status-partial_outage\"><span class=\"sp-icon\" "
                                    "aria-hidden=\"true\">\u25C6</span> Partial outage</span>"));
  EXPECT_THAT(components, HasSubstr("<h4 class=\"sp-name\">EU West</h4>"));
  EXPECT_THAT(components, HasSubstr("<h4 class=\"sp-name\">US East</h4><span class=\"sp-status "
                                    "sp-status-operational\"><span class=\"sp-icon\" "
                                    "aria-hidden=\"true\">\u2713</span> Operational</span>"));
  // Members follow their group, in order.
  EXPECT_LT(components.find("Voice"), components.find("EU West"));
  EXPECT_LT(components.find("EU West"), components.find("US East"));
  // Shown only when degraded.
  EXPECT_THAT(components, Not(HasSubstr("Legacy Fax Gateway")));

  app::StatusPageSnapshot degraded = MakeSnapshot();
  degraded.components[4].status = core::ComponentStatus::kMajorOutage;
  const std::string shown = RenderStatusPage(degraded, {});
  EXPECT_THAT(Between(shown, "id=\"sp-components\"", "id=\"sp-history\""),
              HasSubstr("<h3 class=\"sp-name\">Legacy Fax Gateway</h3><span class=\"sp-status "
                        "sp-status-major_outage\"><span class=\"sp-icon\" aria-hidden=\"true\">"
                        "\u2715</span> Major outage</span>"));
}

TEST(StatusPageHtmlTest, NinetyUptimeBarsPerComponent) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  // API, EU West and US East are shown; the group has no bar of its own.
  EXPECT_EQ(Count(html, "<ol class=\"sp-bars\""), 3u);
  EXPECT_EQ(Count(html, "<li class=\"sp-bar "), 3u * 90);
  EXPECT_THAT(html, HasSubstr("<ol class=\"sp-bars\" aria-label=\"API: uptime per day over the "
                              "past 90 days\">"));
  EXPECT_THAT(html, HasSubstr("<li class=\"sp-bar sp-bar-partial_outage\" title=\"Nov 3, 2026: "
                              "99.12% uptime, partial outage\"><span class=\"sp-vh\">Nov 3, "
                              "2026: 99.12% uptime, partial outage</span></li>"));
  EXPECT_THAT(html, HasSubstr("title=\"Nov 22, 2026: 100.00% uptime, operational\""));
  EXPECT_THAT(html, HasSubstr("<li class=\"sp-bar sp-bar-nodata\" title=\"Aug 25, 2026: no "
                              "data\">"));
  // (79 full days + 0.99125) / 80, truncated.
  EXPECT_EQ(Count(html, "<span class=\"sp-uptime-total\">99.98% uptime</span>"), 3u);
  // Oldest first.
  EXPECT_LT(html.find("Aug 25, 2026"), html.find("Nov 22, 2026: 100.00%"));
}

TEST(StatusPageHtmlTest, ActiveIncidentWithTimeline) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  const std::string active = Between(html, "id=\"sp-active\"", "</section>");
  EXPECT_THAT(active, HasSubstr("<a href=\"/status/incidents/7\">Voice calls dropping in EU "
                                "West</a></h3>"));
  EXPECT_THAT(active, HasSubstr("<span class=\"sp-tag\">Impact: Major</span>"));
  EXPECT_THAT(active, HasSubstr("Affected components: EU West"));
  EXPECT_THAT(active, HasSubstr("<strong>Identified</strong> <time datetime=\"2026-11-22T21:00:"
                                "00Z\">Nov 22, 14:00 MST</time>"));
  EXPECT_THAT(active, HasSubstr("<p>A faulty router was found.<br>We are replacing it.</p>"));
  EXPECT_THAT(active, HasSubstr("<strong>Investigating</strong>"));
  EXPECT_LT(active.find("Identified</strong>"), active.find("Investigating</strong>"));
  EXPECT_THAT(active, Not(HasSubstr("Slow API responses")));  // closed
}

TEST(StatusPageHtmlTest, MaintenanceInProgressAndUpcomingWithWindows) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  const std::string now = Between(html, "id=\"sp-maintenance-now\"", "</section>");
  EXPECT_THAT(now, HasSubstr("Network work"));
  EXPECT_THAT(now, HasSubstr("<span class=\"sp-tag sp-tag-status\">In progress</span>"));
  EXPECT_THAT(now, Not(HasSubstr("Database upgrade")));
  const std::string upcoming = Between(html, "id=\"sp-maintenance-upcoming\"", "</section>");
  EXPECT_THAT(upcoming, HasSubstr("Database upgrade"));
  EXPECT_THAT(upcoming,
              HasSubstr("Scheduled for <time datetime=\"2026-11-25T06:00:00Z\">Nov 24, 23:00 "
                        "MST</time> until <time datetime=\"2026-11-25T08:00:00Z\">Nov 25, 01:00 "
                        "MST</time>"));

  app::StatusPageSnapshot quiet = MakeSnapshot();
  quiet.maintenances.clear();
  quiet.incidents.pop_back();
  quiet.incidents.front().status = core::IncidentStatus::kResolved;
  const std::string calm = RenderStatusPage(quiet, {});
  EXPECT_THAT(calm, Not(HasSubstr("id=\"sp-active\"")));
  EXPECT_THAT(calm, Not(HasSubstr("id=\"sp-maintenance-now\"")));
  EXPECT_THAT(calm, Not(HasSubstr("id=\"sp-maintenance-upcoming\"")));
  ExpectSoundHtml(calm);
}

TEST(StatusPageHtmlTest, HistoryListsClosedEventsNewestFirst) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  const std::string history = Between(html, "id=\"sp-history\"", "</section>");
  EXPECT_THAT(history, HasSubstr("<a href=\"/status/incidents/5\">Slow API responses</a>"));
  EXPECT_THAT(history, HasSubstr("<a href=\"/status/incidents/6\">Old upgrade</a>"));
  EXPECT_LT(history.find("Slow API responses"), history.find("Old upgrade"));
  EXPECT_THAT(history, Not(HasSubstr("Voice calls dropping")));
  EXPECT_THAT(history, HasSubstr("<span class=\"sp-tag\">Resolved</span> <time datetime=\"2026-"
                                 "11-03T11:00:00Z\">Nov 3, 04:00 MST</time>"));
  // October is still summer time in Denver.
  EXPECT_THAT(history, HasSubstr(">Oct 1, 02:00 MDT</time>"));
}

TEST(StatusPageHtmlTest, SubscribeFormWithLabels) {
  const std::string html = RenderStatusPage(MakeSnapshot(), {});
  const std::string form = Between(html, "<aside id=\"subscribe\"", "</aside>");
  EXPECT_THAT(form, HasSubstr("<form class=\"sp-form\" method=\"post\" "
                              "action=\"/status/subscribe\">"));
  EXPECT_THAT(form, HasSubstr("<label for=\"sp-email\">Email address</label>"));
  EXPECT_THAT(form, HasSubstr("<input id=\"sp-email\" name=\"email\" type=\"email\" required"));
  EXPECT_THAT(form, HasSubstr("<input type=\"checkbox\" id=\"sp-component-1\" "
                              "name=\"component_id\" value=\"1\"><label "
                              "for=\"sp-component-1\">API</label>"));
  EXPECT_THAT(form, HasSubstr("<label for=\"sp-component-3\">Voice \u2013 EU West</label>"));
  EXPECT_EQ(Count(form, "name=\"component_id\""), 4u);  // every component, no group
  EXPECT_THAT(form, HasSubstr("<a href=\"/status/history.rss\">"));
}

TEST(StatusPageHtmlTest, NoticeAndErrorAreEscaped) {
  const std::string html =
      RenderStatusPage(MakeSnapshot(), {"Check <b>your</b> inbox", "Bad \"email\" & <i>"});
  EXPECT_THAT(html, HasSubstr("role=\"status\"><span class=\"sp-icon\" aria-hidden=\"true\">"
                              "&#x2713;</span> Check &lt;b&gt;your&lt;/b&gt; inbox</p>"));
  EXPECT_THAT(html, HasSubstr("role=\"alert\"><span class=\"sp-icon\" aria-hidden=\"true\">!"
                              "</span> Bad &quot;email&quot; &amp; &lt;i&gt;</p>"));
  EXPECT_THAT(RenderStatusPage(MakeSnapshot(), {}), Not(HasSubstr("sp-flash")));
}

TEST(StatusPageHtmlTest, HostileTextIsEscapedEverywhere) {
  const std::string attack = "<script>alert(1)</script>\"'&";
  const std::string escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&apos;&amp;";
  app::StatusPageSnapshot s = MakeSnapshot();
  s.page.name = attack;
  s.components[0].name = attack;
  s.components[0].description = attack;
  s.components[1].name = attack;
  s.incidents[0].name = attack;
  s.incidents[0].updates[0].body = attack + "\n" + attack;
  s.incidents[1].name = attack;
  s.maintenances[0].name = attack;
  for (const std::string& html :
       {RenderStatusPage(s, {attack, attack}), RenderIncidentPage(s, s.incidents[0], {attack, ""}),
        RenderStatusMessagePage(
            s, {attack, attack, "/status/x?a=1&b=2", attack, {{attack, attack}}})}) {
    EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
    EXPECT_THAT(html, Not(HasSubstr("\"'&")));
    EXPECT_THAT(html, HasSubstr(escaped));
    ExpectSoundHtml(html);
  }
  const std::string page = RenderStatusPage(s, {});
  EXPECT_THAT(page, HasSubstr("<p>" + escaped + "<br>" + escaped + "</p>"));
  EXPECT_THAT(page, HasSubstr("aria-label=\"" + escaped + ": uptime per day"));
}

TEST(StatusPageHtmlTest, ControlCharactersAndBrokenUtf8AreCleaned) {
  app::StatusPageSnapshot s = MakeSnapshot();
  s.incidents[0].name = "Outage\x01\x1b in \xff zone";
  const std::string html = RenderStatusPage(s, {});
  EXPECT_THAT(html, HasSubstr(">Outage in \xEF\xBF\xBD zone</a>"));
}

TEST(StatusPageHtmlTest, IncidentPageShowsTheWholeTimeline) {
  const app::StatusPageSnapshot s = MakeSnapshot();
  const std::string html = RenderIncidentPage(s, s.incidents[1], {});
  ExpectSoundHtml(html);
  EXPECT_THAT(html, HasSubstr("<title>Slow API responses \u00B7 Example Cloud Status</title>"));
  EXPECT_THAT(html, HasSubstr("<h1 id=\"sp-event-title\">Slow API responses</h1>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"sp-tag sp-tag-status\">Resolved</span>"));
  EXPECT_THAT(html, HasSubstr("Affected components: API"));
  EXPECT_EQ(Count(html, "<li class=\"sp-update\">"), 2u);
  EXPECT_THAT(html, HasSubstr("<strong>Resolved</strong> <time datetime=\"2026-11-03T11:00:00Z"
                              "\">Nov 3, 04:00 MST</time>"));
  EXPECT_THAT(html, HasSubstr("<p>Looking.</p>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/status\">"));
  EXPECT_THAT(html, HasSubstr("data-live>"));
  EXPECT_THAT(html, HasSubstr("action=\"/status/subscribe\""));

  const std::string maintenance = RenderIncidentPage(s, s.maintenances[0], {});
  ExpectSoundHtml(maintenance);
  EXPECT_THAT(maintenance, HasSubstr("Scheduled for <time datetime=\"2026-11-25T06:00:00Z\">"));
  EXPECT_THAT(maintenance, Not(HasSubstr("Impact:")));
}

TEST(StatusPageHtmlTest, MessagePage) {
  const app::StatusPageSnapshot s = MakeSnapshot();
  const std::string html =
      RenderStatusMessagePage(s, {"Confirm your subscription",
                                  "Press the button to confirm alerts@example.com.",
                                  "/status/subscribe/confirm",
                                  "Confirm",
                                  {{"token", "abc\"def"}, {"id", "12"}}});
  ExpectSoundHtml(html);
  EXPECT_THAT(html, HasSubstr("<h1>Confirm your subscription</h1>"));
  EXPECT_THAT(html, HasSubstr("<form class=\"sp-form\" method=\"post\" "
                              "action=\"/status/subscribe/confirm\">"));
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"token\" value=\"abc&quot;def\">"));
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"id\" value=\"12\">"));
  EXPECT_THAT(html, HasSubstr("<button type=\"submit\" class=\"sp-button\">Confirm</button>"));
  // A message page is not refreshed in place and carries no subscribe form.
  EXPECT_THAT(html, Not(HasSubstr("data-live")));
  EXPECT_THAT(html, Not(HasSubstr("id=\"subscribe\"")));

  const std::string plain = RenderStatusMessagePage(s, {"Unsubscribed", "Done.", "", "", {}});
  ExpectSoundHtml(plain);
  EXPECT_THAT(plain, Not(HasSubstr("<form")));
}

TEST(StatusPageHtmlTest, EmptyPage) {
  app::StatusPageSnapshot s;
  s.page = {"p", "Empty", "https://x.example", ""};
  s.indicator = {"none", "All Systems Operational"};
  const std::string html = RenderStatusPage(s, {});
  ExpectSoundHtml(html);
  EXPECT_THAT(html, HasSubstr("sp-indicator-none"));
  EXPECT_THAT(html, HasSubstr("No components are listed yet."));
  EXPECT_THAT(html, HasSubstr("No incidents reported recently."));
  EXPECT_THAT(html, HasSubstr("Times are shown in UTC."));
  EXPECT_THAT(html, Not(HasSubstr("<fieldset")));
}

TEST(StatusPageHtmlTest, AssetsAreServedAsWritten) {
  const std::string_view css = StatusStylesheet();
  EXPECT_THAT(std::string(css), HasSubstr("prefers-color-scheme: dark"));
  EXPECT_THAT(std::string(css), HasSubstr(":focus-visible"));
  EXPECT_THAT(std::string(css), HasSubstr("@media (max-width: 600px)"));
  const std::string js(StatusScript());
  EXPECT_THAT(js, HasSubstr("Intl.DateTimeFormat"));
  EXPECT_THAT(js, HasSubstr("'If-None-Match'"));
  EXPECT_THAT(js, HasSubstr("setInterval(poll, POLL_MS)"));
  EXPECT_THAT(js, HasSubstr("var POLL_MS = 30000;"));
  EXPECT_THAT(js, HasSubstr("fetch(location.pathname"));
  EXPECT_THAT(js, HasSubstr(".catch("));
}

}  // namespace
}  // namespace casedesk::adapters::web

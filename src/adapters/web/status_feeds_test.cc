#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/web/status_page_html.h"
#include "adapters/web/status_test_snapshot.h"
#include "adapters/web/status_time.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeSnapshot;
using ::testing::Not;
using testing::Utc;

// Parses `xml` with Python's XML parser (a real, strict one) and returns what it read: the root
// element and, per Atom entry or RSS item, its title, link, date and text.
nlohmann::json ParseWithPython(const std::string& xml) {
  const std::string path = ::testing::TempDir() + "/status_feed.xml";
  std::ofstream(path, std::ios::binary) << xml;
  const std::string script = R"py(
import json, sys, xml.etree.ElementTree as ET
A = '{http://www.w3.org/2005/Atom}'
root = ET.parse(sys.argv[1]).getroot()
out = {'root': root.tag, 'entries': []}
if root.tag == A + 'feed':
    out['title'] = root.findtext(A + 'title')
    for e in root.findall(A + 'entry'):
        out['entries'].append({'title': e.findtext(A + 'title'), 'id': e.findtext(A + 'id'),
            'link': e.find(A + 'link').get('href'), 'updated': e.findtext(A + 'updated'),
            'text': e.findtext(A + 'content')})
else:
    channel = root.find('channel')
    out['title'] = channel.findtext('title')
    for e in channel.findall('item'):
        out['entries'].append({'title': e.findtext('title'), 'link': e.findtext('link'),
            'updated': e.findtext('pubDate'), 'text': e.findtext('description')})
sys.stdout.write(json.dumps(out))
)py";
  const std::string script_path = ::testing::TempDir() + "/status_feed_check.py";
  std::ofstream(script_path) << script;
  FILE* pipe = popen(("python3 " + script_path + " " + path + " 2>&1").c_str(), "r");
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  EXPECT_EQ(status, 0) << output << "\n" << xml;
  if (status != 0) return nullptr;
  return nlohmann::json::parse(output);
}

std::vector<std::string> Titles(const nlohmann::json& feed) {
  std::vector<std::string> titles;
  for (const auto& entry : feed["entries"]) titles.push_back(entry["title"]);
  return titles;
}

TEST(StatusFeedsTest, AtomListsIncidentsAndMaintenanceByLastUpdate) {
  const std::string xml = RenderAtomFeed(MakeSnapshot());
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", 0), 0u);
  const nlohmann::json feed = ParseWithPython(xml);
  ASSERT_FALSE(feed.is_null());
  EXPECT_EQ(feed["root"], "{http://www.w3.org/2005/Atom}feed");
  EXPECT_EQ(feed["title"], "Example Cloud Status: incident history");
  EXPECT_THAT(Titles(feed), ElementsAre("Voice calls dropping in EU West", "Database upgrade",
                                        "Network work", "Slow API responses", "Old upgrade"));
  const nlohmann::json& first = feed["entries"][0];
  EXPECT_EQ(first["link"], "https://status.example.com/status/incidents/7");
  EXPECT_EQ(first["id"], "https://status.example.com/status/incidents/7");
  EXPECT_EQ(first["updated"], "2026-11-22T21:00:00Z");
  EXPECT_EQ(first["text"], "Identified: A faulty router was found.\nWe are replacing it.");
  EXPECT_THAT(xml, HasSubstr("<link rel=\"self\" type=\"application/atom+xml\" "
                             "href=\"https://status.example.com/status/history.atom\"/>"));
  EXPECT_THAT(xml, HasSubstr("<updated>2026-11-22T21:00:00Z</updated>\n<author>"));
}

TEST(StatusFeedsTest, RssListsIncidentsAndMaintenanceByLastUpdate) {
  const std::string xml = RenderRssFeed(MakeSnapshot());
  const nlohmann::json feed = ParseWithPython(xml);
  ASSERT_FALSE(feed.is_null());
  EXPECT_EQ(feed["root"], "rss");
  EXPECT_THAT(Titles(feed), ElementsAre("Voice calls dropping in EU West", "Database upgrade",
                                        "Network work", "Slow API responses", "Old upgrade"));
  const nlohmann::json& first = feed["entries"][0];
  EXPECT_EQ(first["link"], "https://status.example.com/status/incidents/7");
  EXPECT_EQ(first["updated"], "Sun, 22 Nov 2026 21:00:00 +0000");
  // Readers take <description> as HTML: the text arrives as HTML that shows it.
  EXPECT_EQ(first["text"], "Identified: A faulty router was found.<br>\nWe are replacing it.");
  EXPECT_THAT(xml, HasSubstr("<lastBuildDate>Sun, 22 Nov 2026 21:00:00 +0000</lastBuildDate>"));
}

TEST(StatusFeedsTest, HostileTextIsEscapedAndForbiddenCharactersDropped) {
  app::StatusPageSnapshot s = MakeSnapshot();
  s.page.name = "Acme & <Sons> \"status\"";
  s.incidents[0].name = "<b>Bad</b> & \"quoted\" 'name'\x01\x0b\xff \xEF\xBF\xBE end";
  s.incidents[0].updates[0].body = "<script>alert(1)</script>\x1f\nnext & last";
  for (const std::string& xml : {RenderAtomFeed(s), RenderRssFeed(s)}) {
    EXPECT_THAT(xml, Not(HasSubstr("<script>")));
    EXPECT_THAT(xml, Not(HasSubstr("<b>")));
    const nlohmann::json feed = ParseWithPython(xml);
    ASSERT_FALSE(feed.is_null());
    EXPECT_EQ(feed["title"], "Acme & <Sons> \"status\": incident history");
    EXPECT_EQ(feed["entries"][0]["title"], "<b>Bad</b> & \"quoted\" 'name'\xEF\xBF\xBD  end");
  }
  EXPECT_EQ(ParseWithPython(RenderAtomFeed(s))["entries"][0]["text"],
            "Identified: <script>alert(1)</script>\nnext & last");
  // Escaped twice in RSS: a reader that renders the HTML shows the markup as text.
  EXPECT_EQ(ParseWithPython(RenderRssFeed(s))["entries"][0]["text"],
            "Identified: &lt;script&gt;alert(1)&lt;/script&gt;<br>\nnext &amp; last");
}

TEST(StatusFeedsTest, EmptyFeedsAreWellFormed) {
  app::StatusPageSnapshot s;
  s.page = {"p", "Empty", "https://x.example", "UTC"};
  for (const std::string& xml : {RenderAtomFeed(s), RenderRssFeed(s)}) {
    const nlohmann::json feed = ParseWithPython(xml);
    ASSERT_FALSE(feed.is_null());
    EXPECT_TRUE(feed["entries"].empty());
  }
  EXPECT_THAT(RenderAtomFeed(s), HasSubstr("<updated>1970-01-01T00:00:00Z</updated>"));
}

TEST(XmlTextTest, CleanText) {
  const struct {
    std::string in, out;
  } cases[] = {
      {"plain", "plain"},
      {"tab\tnew\nline\rok", "tab\tnew\nline\rok"},
      {std::string("nul\0x", 5), "nulx"},
      {"bell\x07 esc\x1b del\x7f", "bell esc del\x7f"},
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"},
      {"lone \xff byte", "lone \xEF\xBF\xBD byte"},
      {"cut \xE2\x82", "cut \xEF\xBF\xBD\xEF\xBF\xBD"},
      {"overlong \xC0\xAF", "overlong \xEF\xBF\xBD\xEF\xBF\xBD"},
      {"surrogate \xED\xA0\x80", "surrogate \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"nonchar \xEF\xBF\xBE\xEF\xBF\xBF", "nonchar "},
  };
  for (const auto& c : cases) EXPECT_EQ(CleanText(c.in), c.out) << c.in;
}

TEST(XmlTextTest, XmlEscape) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'\x02"), "a&lt;b&gt;&amp;&quot;c&apos;");
}

TEST(StatusTimeTest, Formats) {
  const absl::TimeZone denver = PageTimeZone("America/Denver");
  const absl::Time winter = Utc(2026, 11, 22, 21, 5, 14) + absl::Milliseconds(473);
  const absl::Time summer = Utc(2026, 7, 1, 3, 0);
  EXPECT_EQ(StatuspageTime(winter, denver), "2026-11-22T14:05:14.473-07:00");
  EXPECT_EQ(StatuspageTime(summer, denver), "2026-06-30T21:00:00.000-06:00");
  EXPECT_EQ(StatuspageTime(winter, PageTimeZone("UTC")), "2026-11-22T21:05:14.473+00:00");
  EXPECT_EQ(StatuspageTime(winter, PageTimeZone("Not/AZone")), "2026-11-22T21:05:14.473+00:00");
  EXPECT_EQ(StatuspageTime(winter, PageTimeZone("Asia/Kolkata")), "2026-11-23T02:35:14.473+05:30");
  EXPECT_EQ(LocalDate(summer, denver), "2026-06-30");
  EXPECT_EQ(Rfc3339Utc(winter), "2026-11-22T21:05:14Z");
  EXPECT_EQ(DisplayTime(winter, PageTimeZone("Europe/London")), "Nov 22, 21:05 GMT");
  EXPECT_EQ(DisplayTime(summer, PageTimeZone("Europe/London")), "Jul 1, 04:00 BST");
  EXPECT_EQ(DisplayTime(winter, denver), "Nov 22, 14:05 MST");
  EXPECT_EQ(DisplayDay(absl::CivilDay(2026, 11, 3)), "Nov 3, 2026");
  EXPECT_EQ(Rfc822Time(winter), "Sun, 22 Nov 2026 21:05:14 +0000");
  EXPECT_EQ(Rfc822Time(Utc(2026, 1, 5, 8, 0)), "Mon, 05 Jan 2026 08:00:00 +0000");
  EXPECT_FALSE(IsSet(absl::InfinitePast()));
  EXPECT_TRUE(IsSet(winter));
}

}  // namespace
}  // namespace casedesk::adapters::web

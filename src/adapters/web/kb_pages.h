// The knowledge base's server-rendered pages (issue 7): the help centre at /help (home with
// categories and sections, a section's articles, an article with its rendered body and the
// "was this helpful" form, search results), open to signed-out readers; and the staff
// console's authoring pages at /console/kb (the article list, the editor with its version
// history, and the article picker that answers a case with a link). Every text is escaped by
// the templates; the one exception is an article's body HTML, which the Markdown adapter
// rendered and sanitised on save. Forms work without JavaScript; kb.js adds suggestions while a new
// case's subject is typed. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/web/console_layout.h"

namespace casedesk::adapters::web {

// The help centre's frame: who gives support, and who reads (a signed-in person is offered
// the portal, a signed-out one the sign-in page).
struct HelpFrame {
  std::string brand_name;
  std::string user_name;   // "" when signed out
  std::string csrf_token;  // the session's, or the signed-out form token
  std::string title;
  std::string query;  // the search box's text
  std::string notice;
  std::string error;
};

struct HelpLink {
  std::string href;
  std::string label;
  std::string detail;  // a snippet or a description; may be ""
};

struct HelpSectionGroup {
  std::string name;
  std::string description;
  std::vector<HelpLink> sections;
};

struct HelpArticlePage {
  int64_t id = 0;
  std::string title;
  std::string body_html;  // sanitised on save
  std::string updated;    // "23 Nov 2026"
  std::string section_name;
  std::string section_href;
  int64_t helpful_yes = 0;
  int64_t helpful_no = 0;
  // Reached from a new case's suggestions: offers "this solved my problem".
  bool offer_solved = false;
};

std::string RenderHelpHome(const HelpFrame& frame, const std::vector<HelpSectionGroup>& categories,
                           const std::vector<HelpLink>& recent);
std::string RenderHelpList(const HelpFrame& frame, const std::string& lead,
                           const std::vector<HelpLink>& articles, const std::string& empty);
std::string RenderHelpArticle(const HelpFrame& frame, const HelpArticlePage& article);
std::string RenderHelpMessage(const HelpFrame& frame, const std::string& message);

// Console authoring.
struct KbListEntry {
  int64_t id = 0;
  std::string title;
  std::string status;      // "draft" / "published"
  std::string visibility;  // "public" / "customers" / "internal"
  std::string section;
  std::string updated;
  int64_t helpful_yes = 0;
  int64_t helpful_no = 0;
  int64_t deflections = 0;
};

struct KbOption {
  std::string value;
  std::string label;
  bool selected = false;
};

struct KbVersionEntry {
  int number = 0;
  std::string title;
  std::string author;
  std::string at;
  bool published = false;
};

struct KbEditorPage {
  int64_t id = 0;  // 0: a new article
  std::string title;
  std::string body;
  std::vector<KbOption> visibilities;
  std::vector<KbOption> statuses;
  std::vector<KbOption> sections;  // the first is "(no section)"
  std::string field_error_key;     // the field a refusal names, or ""
  std::string field_error;
  std::string preview_html;  // the latest version, sanitised; "" for a new article
  std::string source_case;   // "100001" or ""
  std::vector<KbVersionEntry> versions;
};

struct KbAnswerHit {
  std::string title;
  std::string snippet;
  std::string url;         // the help centre's absolute URL
  std::string reply_text;  // the reply the form proposes
};

std::string RenderKbConsoleList(const ConsoleFrame& frame, const std::vector<KbListEntry>& articles,
                                const std::vector<KbOption>& categories);
std::string RenderKbEditor(const ConsoleFrame& frame, const KbEditorPage& page);
std::string RenderKbAnswerPage(const ConsoleFrame& frame, const std::string& case_number,
                               const std::string& query, const std::vector<KbAnswerHit>& hits);

// kb.js: suggestions while a new case's subject is typed.
std::string_view KbScript();

}  // namespace casedesk::adapters::web

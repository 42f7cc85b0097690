// Test support for the staff pages' renderers: structural checks of a whole HTML document
// (elements closed in order, one h1 and no skipped heading levels, unique ids, a label for every
// field, the CSRF token in every POST form, nothing inline that the Content-Security-Policy
// would block). gtest assertions; header-only.
// Thread-safe: pure functions.
#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

namespace casedesk::adapters::web::testing {

inline size_t CountOf(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The value of attribute `name` in the start tag `element`, or "" when absent.
inline std::string Attribute(const std::string& element, const std::string& name) {
  const std::regex pattern(" " + name + "=\"([^\"]*)\"");
  std::smatch match;
  return std::regex_search(element, match, pattern) ? match[1].str() : "";
}

// Every start tag of `tag` in `html`, e.g. all "<input ...>".
inline std::vector<std::string> StartTags(const std::string& html, const std::string& tag) {
  std::vector<std::string> tags;
  const std::regex pattern("<" + tag + "\\b[^>]*>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    tags.push_back(it->str());
  }
  return tags;
}

// Each <form>...</form> of `html` (forms do not nest).
inline std::vector<std::string> Forms(const std::string& html) {
  std::vector<std::string> forms;
  for (size_t at = html.find("<form"); at != std::string::npos; at = html.find("<form", at + 1)) {
    const size_t end = html.find("</form>", at);
    if (end == std::string::npos) break;
    forms.push_back(html.substr(at, end - at));
  }
  return forms;
}

// The headings' levels in document order.
inline std::vector<int> HeadingLevels(const std::string& html) {
  std::vector<int> levels;
  const std::regex heading("<h([1-6])\\b");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), heading);
       it != std::sregex_iterator(); ++it) {
    levels.push_back((*it)[1].str()[0] - '0');
  }
  return levels;
}

inline void ExpectSoundDocument(const std::string& html) {
  SCOPED_TRACE(html.substr(0, 120));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  static const std::set<std::string> kVoid = {"area",   "base",  "br",    "col",  "embed",
                                              "hr",     "img",   "input", "link", "meta",
                                              "source", "track", "wbr"};
  const std::regex tag(R"(<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>)");
  std::vector<std::string> open;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::string name = (*it)[2];
    if ((*it)[1] == "/") {
      ASSERT_FALSE(open.empty()) << "stray </" << name << ">";
      ASSERT_EQ(open.back(), name) << "at " << it->position();
      open.pop_back();
    } else if (!kVoid.count(name)) {
      open.push_back(name);
    }
  }
  EXPECT_TRUE(open.empty());

  const std::vector<int> levels = HeadingLevels(html);
  ASSERT_FALSE(levels.empty());
  EXPECT_EQ(levels.front(), 1);
  EXPECT_EQ(CountOf(html, "<h1"), 1u);
  for (size_t i = 1; i < levels.size(); ++i) {
    EXPECT_LE(levels[i], levels[i - 1] + 1) << "heading " << i << " skips a level";
  }

  std::set<std::string> ids;
  const std::regex id(R"re( id="([^"]*)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), id); it != std::sregex_iterator();
       ++it) {
    EXPECT_TRUE(ids.insert((*it)[1]).second) << "duplicate id " << (*it)[1];
  }
  // Every field a person fills in has a <label for> naming its id.
  for (const char* kind : {"input", "select", "textarea"}) {
    for (const std::string& field : StartTags(html, kind)) {
      if (Attribute(field, "type") == "hidden") continue;
      const std::string field_id = Attribute(field, "id");
      ASSERT_FALSE(field_id.empty()) << "no id: " << field;
      EXPECT_EQ(CountOf(html, "<label for=\"" + field_id + "\""), 1u) << "no label: " << field;
    }
  }
  // aria-describedby names elements that exist.
  for (const char* kind : {"input", "select", "textarea", "fieldset", "form"}) {
    for (const std::string& element : StartTags(html, kind)) {
      std::string described = Attribute(element, "aria-describedby");
      for (size_t start = 0; start < described.size();) {
        size_t end = described.find(' ', start);
        if (end == std::string::npos) end = described.size();
        const std::string target = described.substr(start, end - start);
        EXPECT_TRUE(ids.count(target)) << element << " describes missing #" << target;
        start = end + 1;
      }
    }
  }
  // The Content-Security-Policy allows neither inline scripts nor inline styles.
  EXPECT_EQ(CountOf(html, "<script"), 0u);
  EXPECT_EQ(CountOf(html, "<style"), 0u);
  EXPECT_EQ(CountOf(html, " style="), 0u);
  EXPECT_FALSE(std::regex_search(html, std::regex(R"(<[^>]*\son[a-z]+=)")))
      << "an inline event handler";
}

// Every POST form carries the CSRF token in a hidden csrf_token field.
inline void ExpectCsrfInEveryForm(const std::string& html, const std::string& token) {
  const std::vector<std::string> forms = Forms(html);
  ASSERT_FALSE(forms.empty());
  for (const std::string& form : forms) {
    EXPECT_NE(form.find("<input type=\"hidden\" name=\"csrf_token\" value=\"" + token + "\">"),
              std::string::npos)
        << form.substr(0, 200);
  }
}

}  // namespace casedesk::adapters::web::testing

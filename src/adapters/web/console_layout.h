// The staff console's frame around every console page: the header (desk name, the signed-in
// person, a sign-out button), the left navigation, a skip link and the landmarks, and the
// one-line notice or error at the top of <main>. Also the plain "not found" page shown to
// whoever may not see the console. All text is escaped by the templates.
// Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace casedesk::adapters::web {

struct ConsoleFrame {
  std::string desk_name;   // the provider's name
  std::string user_name;   // who is signed in
  std::string csrf_token;  // carried by every form, the sign-out button's too
  std::string active;      // the navigation item shown as current ("status")
  std::string title;       // the page's title; the document's is "title · desk_name"
  std::string notice;      // a one-line confirmation at the top of <main>, or ""
  std::string error;       // a one-line error at the top of <main>, or ""
};

// The document: the frame, with `main_template` rendered as <main>'s content from `data`
// (which also receives the frame's keys, so forms can use {{csrf_token}} and {{> csrf}}).
std::string RenderConsoleDocument(const ConsoleFrame& frame, kainjow::mustache::data& data,
                                  std::string_view main_template);

// A console page with the frame's title as its heading and one paragraph.
std::string RenderConsoleMessagePage(const ConsoleFrame& frame, const std::string& message);

// A page with no console around it: "Page not found" and a link to the public status page.
std::string RenderNotFoundPage();

}  // namespace casedesk::adapters::web

// HTML from email made safe to show, and made readable as plain text. Both parse with gumbo (a
// full HTML5 parser), so what the browser would see is what gets filtered. Thread-safe: pure
// functions.
#pragma once

#include <string>
#include <string_view>

namespace casedesk::adapters::mail {

// An allowlist sanitiser: keeps p, br, div, span, b, strong, i, em, u, s, ul, ol, li,
// blockquote, pre, code, h1-h6, table, thead, tbody, tr, td, th, a, img and hr with only title,
// alt, colspan/rowspan (digits), href on a (http, https, mailto) and src on img (cid: and
// data:image/png|gif|jpeg; remote images are tracking beacons and are dropped with their img).
// script, style, iframe, object, embed, form and other active or invisible content are dropped
// with everything inside them; other elements are unwrapped (their content stays). Links get
// rel="noopener noreferrer nofollow". The result is re-serialised, every text and attribute
// escaped. Input must be UTF-8.
std::string SanitiseHtml(std::string_view html);

// A readable plain-text rendering: block elements become line breaks, list items start with
// "- ", blockquotes are prefixed "> ", links read "text <url>", entities are decoded,
// whitespace collapses and invisible content is dropped.
std::string HtmlToText(std::string_view html);

}  // namespace casedesk::adapters::mail

// Text made safe for XML 1.0 and HTML documents: invalid UTF-8 replaced, characters XML 1.0
// forbids (controls other than tab/newline/return, surrogates, U+FFFE/U+FFFF) dropped, and the
// markup characters escaped.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace casedesk::adapters::web {

// Valid UTF-8 holding only characters XML 1.0 allows; each invalid byte becomes U+FFFD.
std::string CleanText(std::string_view text);

// CleanText with &, <, >, " and ' escaped: usable in element content and attribute values.
std::string XmlEscape(std::string_view text);

}  // namespace casedesk::adapters::web

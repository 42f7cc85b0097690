// Turning the bytes of email text into valid UTF-8 whatever their declared charset says:
// conversion through iconv for declared charsets, UTF-8 mislabelled as Latin-1 or US-ASCII
// recognised, and any byte that is still not UTF-8 read as windows-1252. Thread-safe: pure
// functions (GMime's iconv cache is locked internally; g_mime_init must have run).
#pragma once

#include <string>
#include <string_view>

namespace casedesk::adapters::mail {

// Valid UTF-8 sequences are kept; every other byte is decoded as windows-1252.
std::string RepairUtf8(std::string_view bytes);

// Text in `charset` (as declared; may be empty, wrong or unknown) as valid UTF-8.
std::string DecodeText(std::string_view bytes, std::string_view charset);

}  // namespace casedesk::adapters::mail

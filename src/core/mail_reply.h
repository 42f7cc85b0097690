// The visible reply text of a plain-text email body: what the sender wrote in this message,
// without the quoted history below it and without the signature. Used for display only; the
// full text is always kept. Pure function, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace casedesk::core {

// Strips quoted lines ("> ..."), the quote header and everything after it ("On ... wrote:" and
// its German, French, Spanish, Dutch, Italian, Portuguese and Swedish forms, Outlook's
// "-----Original Message-----" and "From:/Sent:/To:/Subject:" blocks, "____" separators,
// forward markers) and signatures ("-- " delimiter, "Sent from my iPhone" style trailers).
// Line endings become "\n"; trailing spaces and leading and trailing blank lines are trimmed. When
// nothing would be left, returns the whole text trimmed, so a message never disappears from view.
std::string VisibleReply(std::string_view text);

}  // namespace casedesk::core

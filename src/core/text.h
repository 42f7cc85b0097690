// Small text helpers the mail code shares: ASCII case folding and prefixes (header names,
// keywords and addresses are ASCII), and cutting UTF-8 text without splitting a character.
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace casedesk::core {

// A copy with A-Z lowered; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

bool StartsWith(std::string_view text, std::string_view prefix);

// `text` cut to at most `max_bytes`, never inside a UTF-8 sequence.
std::string CutAtCharacter(std::string text, size_t max_bytes);

}  // namespace casedesk::core

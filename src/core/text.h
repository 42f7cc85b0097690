// Small text helpers the core shares: ASCII case folding and prefixes (header names, keywords
// and addresses are ASCII), blank and control-character checks of fields, and cutting UTF-8
// text without splitting a character; checking UTF-8 sequences.
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace casedesk::core {

// A copy with A-Z lowered; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view text);

bool StartsWith(std::string_view text, std::string_view prefix);

// Whether `text` is empty or only ASCII white space (space, tab, CR, LF, FF, VT).
bool IsBlank(std::string_view text);

// Whether `text` holds an ASCII control character or DEL; with `allow_line_breaks`, tab, CR and
// LF are allowed (multi-line fields).
bool HasControlCharacter(std::string_view text, bool allow_line_breaks);

// `text` cut to at most `max_bytes`, never inside a UTF-8 sequence.
std::string CutAtCharacter(std::string text, size_t max_bytes);

// Length of the well-formed UTF-8 sequence starting at bytes[at] (1 for ASCII), or 0 when there
// is none: a stray continuation byte, an overlong form, a surrogate, a code point past
// U+10FFFF, or a sequence cut off by the end of `bytes`.
size_t Utf8SequenceLength(std::string_view bytes, size_t at);

// How many bytes from `from` on are ASCII (checked eight at a time: most text is ASCII).
size_t AsciiRunLength(std::string_view bytes, size_t from);

// Whether `bytes` is well-formed UTF-8 throughout (Utf8SequenceLength's rules).
bool IsValidUtf8(std::string_view bytes);

// Appends `code_point` (at most U+10FFFF, not a surrogate) encoded as UTF-8.
void AppendUtf8(uint32_t code_point, std::string& out);

}  // namespace casedesk::core

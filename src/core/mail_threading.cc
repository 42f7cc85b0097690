#include "core/mail_threading.h"

#include <algorithm>
#include <array>
#include <vector>

#include "core/text.h"

namespace casedesk::core {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsDecimalDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHeaderSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsHex(char c) { return IsDecimalDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(text[i]) != Lower(prefix[i])) return false;
  }
  return true;
}

void SkipSpaces(std::string_view text, size_t& pos) {
  while (pos < text.size() && IsHeaderSpace(text[pos])) ++pos;
}

// 1..18 digits without a leading zero, as a positive number.
std::optional<CaseNumber> ParseNumber(std::string_view digits) {
  if (digits.empty() || digits.size() > 18 || digits.front() == '0') return std::nullopt;
  CaseNumber number = 0;
  for (char c : digits) {
    if (!IsDecimalDigit(c)) return std::nullopt;
    number = number * 10 + (c - '0');
  }
  return number;
}

// The number of the tag whose inside (between '[' and ']') is ours, or nullopt.
std::optional<CaseNumber> OurTagNumber(std::string_view inside, std::string_view prefix) {
  size_t pos = 0;
  SkipSpaces(inside, pos);
  if (prefix.empty() || !StartsWithIgnoringCase(inside.substr(pos), prefix)) return std::nullopt;
  pos += prefix.size();
  SkipSpaces(inside, pos);
  if (pos >= inside.size() || inside[pos] != '#') return std::nullopt;
  ++pos;
  SkipSpaces(inside, pos);
  const size_t start = pos;
  while (pos < inside.size() && IsDecimalDigit(inside[pos])) ++pos;
  const std::string_view digits = inside.substr(start, pos - start);
  SkipSpaces(inside, pos);
  if (pos != inside.size()) return std::nullopt;
  return ParseNumber(digits);
}

struct TagSpan {
  size_t begin = 0;  // the '['
  size_t end = 0;    // one past the ']'
  CaseNumber number = 0;
};

// Every tag of ours in the subject, in order.
std::vector<TagSpan> FindOurTags(std::string_view subject, std::string_view prefix) {
  std::vector<TagSpan> tags;
  size_t pos = 0;
  while ((pos = subject.find('[', pos)) != std::string_view::npos) {
    const size_t close = subject.find(']', pos + 1);
    if (close == std::string_view::npos) break;
    // A '[' inside the brackets starts a new candidate: "[x [Case #1]" still finds the tag.
    const size_t nested = subject.find('[', pos + 1);
    if (nested != std::string_view::npos && nested < close) {
      pos = nested;
      continue;
    }
    if (std::optional<CaseNumber> number =
            OurTagNumber(subject.substr(pos + 1, close - pos - 1), prefix)) {
      tags.push_back({pos, close + 1, *number});
    }
    pos = close + 1;
  }
  return tags;
}

// Reply and forward markers of common mail clients, in many languages, lower case.
constexpr std::array<std::string_view, 16> kMarkers{"re",  "aw",   "fwd", "fw", "wg",  "sv",
                                                    "vs",  "antw", "odp", "tr", "rif", "r",
                                                    "enc", "res",  "vb",  "ynt"};

// Length of a leading marker ("Re:", "RE[2]:", "Fwd :") at the start of text, or 0.
size_t LeadingMarkerLength(std::string_view text) {
  size_t word = 0;
  while (word < text.size() &&
         ((text[word] >= 'a' && text[word] <= 'z') || (text[word] >= 'A' && text[word] <= 'Z'))) {
    ++word;
  }
  if (word == 0) return 0;
  const std::string lower = AsciiLower(text.substr(0, word));
  if (std::find(kMarkers.begin(), kMarkers.end(), lower) == kMarkers.end()) return 0;
  size_t pos = word;
  // A counter: "Re[2]:" or "Re(2):".
  if (pos < text.size() && (text[pos] == '[' || text[pos] == '(')) {
    const char close = text[pos] == '[' ? ']' : ')';
    size_t digits = pos + 1;
    while (digits < text.size() && IsDecimalDigit(text[digits])) ++digits;
    if (digits == pos + 1 || digits >= text.size() || text[digits] != close) return 0;
    pos = digits + 1;
  }
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos < text.size() && (text[pos] == ':' || text.substr(pos).rfind("\xEF\xBC\x9A", 0) == 0)) {
    return pos + (text[pos] == ':' ? 1 : 3);  // ASCII colon or the full-width one
  }
  return 0;
}

std::string CollapseSpaces(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (IsHeaderSpace(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string FormatCaseTag(std::string_view prefix, CaseNumber number) {
  return "[" + std::string(prefix) + " #" + std::to_string(number) + "]";
}

std::string TagSubject(std::string_view subject, std::string_view prefix, CaseNumber number) {
  for (const TagSpan& tag : FindOurTags(subject, prefix)) {
    if (tag.number == number) return std::string(subject);
  }
  std::string out(subject);
  if (!out.empty()) out.push_back(' ');
  out += FormatCaseTag(prefix, number);
  return out;
}

std::optional<CaseNumber> FindCaseTag(std::string_view subject, std::string_view prefix) {
  const std::vector<TagSpan> tags = FindOurTags(subject, prefix);
  if (tags.empty()) return std::nullopt;
  return tags.front().number;
}

std::string CleanSubject(std::string_view subject, std::string_view prefix) {
  std::string without_tags;
  size_t copied = 0;
  for (const TagSpan& tag : FindOurTags(subject, prefix)) {
    without_tags.append(subject.substr(copied, tag.begin - copied));
    without_tags.push_back(' ');
    copied = tag.end;
  }
  without_tags.append(subject.substr(copied));
  std::string_view rest = without_tags;
  while (true) {
    size_t pos = 0;
    SkipSpaces(rest, pos);
    rest.remove_prefix(pos);
    const size_t marker = LeadingMarkerLength(rest);
    if (marker == 0) break;
    rest.remove_prefix(marker);
  }
  return CollapseSpaces(rest);
}

std::string FormatReplyAddress(std::string_view local, CaseNumber number, std::string_view token,
                               std::string_view domain) {
  return AsciiLower(local) + "+c" + std::to_string(number) + "-" + AsciiLower(token) + "@" +
         AsciiLower(domain);
}

std::optional<ReplyAddress> ParseReplyAddress(std::string_view address, std::string_view local,
                                              std::string_view domain) {
  if (local.empty() || domain.empty()) return std::nullopt;
  const std::string lower = AsciiLower(address);
  const std::string head = AsciiLower(local) + "+c";
  const std::string tail = "@" + AsciiLower(domain);
  if (lower.size() <= head.size() + tail.size() || lower.rfind(head, 0) != 0 ||
      lower.compare(lower.size() - tail.size(), tail.size(), tail) != 0) {
    return std::nullopt;
  }
  const std::string_view middle =
      std::string_view(lower).substr(head.size(), lower.size() - head.size() - tail.size());
  const size_t dash = middle.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::optional<CaseNumber> number = ParseNumber(middle.substr(0, dash));
  if (!number) return std::nullopt;
  const std::string_view token = middle.substr(dash + 1);
  if (token.size() < kMinReplyTokenLength || token.size() > 64 ||
      !std::all_of(token.begin(), token.end(), IsHex)) {
    return std::nullopt;
  }
  return ReplyAddress{*number, std::string(token)};
}

std::string ReplyTokenMessage(CaseNumber number) { return "reply:" + std::to_string(number); }

std::string HexLower(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0x0f]);
  }
  return out;
}

}  // namespace casedesk::core

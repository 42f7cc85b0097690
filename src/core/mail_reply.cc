#include "core/mail_reply.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace casedesk::core {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <size_t N>
bool StartsWithAny(std::string_view s, const std::array<std::string_view, N>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return StartsWith(s, p); });
}

// A line as the reader sees it: trimmed, lower case, without the "*...*" emphasis that
// HTML-to-text renderings put around header labels ("*From:* Jane").
std::string Normalised(std::string_view line) {
  std::string out;
  for (char c : TrimWhitespace(line)) {
    if (c != '*') out.push_back(c);
  }
  return AsciiLower(TrimWhitespace(out));
}

bool IsQuoted(std::string_view line) {
  std::string_view t = TrimWhitespace(line);
  return !t.empty() && t.front() == '>';
}

// "On <date>, <name> wrote:" and its translations, given the (possibly joined) lower-case line.
bool IsAttributionLine(std::string_view s) {
  struct Form {
    std::string_view prefix;  // how the line starts ("" for any)
    std::string_view verb;    // what it must contain
  };
  static constexpr std::array<Form, 9> kForms{{
      {"on ", "wrote:"},      // English
      {"am ", "schrieb"},     // German "Am 3. März 2024 um 10:00 schrieb Jan <j@x>:"
      {"le ", "a écrit"},     // French "Le 3 mars 2024 à 10:00, Jan <j@x> a écrit :"
      {"el ", "escribió"},    // Spanish
      {"op ", "schreef"},     // Dutch
      {"il ", "ha scritto"},  // Italian
      {"em ", "escreveu"},    // Portuguese
      {"den ", "skrev"},      // Swedish / Danish
      {"w dniu ", "pisze:"},  // Polish
  }};
  if (s.size() > 400 || !EndsWith(s, ":")) return false;
  for (const Form& form : kForms) {
    if (StartsWith(s, form.prefix) && s.find(form.verb) != std::string_view::npos) return true;
  }
  return false;
}

// "Jane Doe <jane@example.com> wrote:" with no date: only a quote header when quoted lines
// follow it.
bool IsBareAttribution(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kEndings{
      "wrote:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "schreef:", "ha scritto:"};
  return s.size() <= 200 && std::any_of(kEndings.begin(), kEndings.end(),
                                        [&](std::string_view e) { return EndsWith(s, e); });
}

bool IsAttributionAt(const std::vector<std::string_view>& lines, size_t i) {
  std::string joined;
  // Mail clients wrap long attribution lines, so look at up to three joined lines.
  for (size_t k = 0; k < 3 && i + k < lines.size(); ++k) {
    std::string part = Normalised(lines[i + k]);
    if (part.empty() || (k > 0 && IsQuoted(lines[i + k]))) break;
    if (!joined.empty()) joined.push_back(' ');
    joined += part;
    if (IsAttributionLine(joined)) return true;
  }
  std::string first = Normalised(lines[i]);
  if (!IsBareAttribution(first)) return false;
  for (size_t k = i + 1; k < lines.size(); ++k) {
    if (TrimWhitespace(lines[k]).empty()) continue;
    return IsQuoted(lines[k]);
  }
  return false;
}

// "-----Original Message-----", "---------- Forwarded message ---------" and friends.
bool IsDividerLine(std::string_view line) {
  std::string s = Normalised(line);
  if (s.size() >= 20 && std::all_of(s.begin(), s.end(), [](char c) { return c == '_'; })) {
    return true;
  }
  if (s == "begin forwarded message:" || s == "anfang der weitergeleiteten nachricht:") return true;
  if (!StartsWith(s, "--")) return false;
  static constexpr std::array<std::string_view, 10> kPhrases{
      "original message",          "forwarded message", "ursprüngliche nachricht",
      "weitergeleitete nachricht", "message d'origine", "message transféré",
      "mensaje original",          "mensaje reenviado", "oorspronkelijk bericht",
      "doorgestuurd bericht"};
  return std::any_of(kPhrases.begin(), kPhrases.end(),
                     [&](std::string_view p) { return s.find(p) != std::string::npos; });
}

// Outlook's quoted header block: "From: ..." followed closely by at least two of
// "Sent:"/"Date:", "To:" and "Subject:" (or their translations).
bool IsHeaderBlockAt(const std::vector<std::string_view>& lines, size_t i);

// Outlook's "------------------------------" line right above a quoted header block.
bool IsDashesAboveHeaderBlock(const std::vector<std::string_view>& lines, size_t i) {
  std::string s = Normalised(lines[i]);
  if (s.size() < 20 || !std::all_of(s.begin(), s.end(), [](char c) { return c == '-'; })) {
    return false;
  }
  for (size_t k = i + 1; k < lines.size() && k <= i + 2; ++k) {
    if (TrimWhitespace(lines[k]).empty()) continue;
    return IsHeaderBlockAt(lines, k);
  }
  return false;
}

bool IsHeaderBlockAt(const std::vector<std::string_view>& lines, size_t i) {
  static constexpr std::array<std::string_view, 6> kFrom{
      "from:", "von:", "de:", "de :", "van:", "da:"};
  static constexpr std::array<std::string_view, 11> kSent{
      "sent:",    "date:",  "gesendet:",  "datum:", "envoyé :", "envoyé:",
      "enviado:", "fecha:", "verzonden:", "data:",  "inviato:"};
  static constexpr std::array<std::string_view, 8> kTo{
      "to:", "an:", "à :", "à:", "para:", "aan:", "a:", "til:"};
  static constexpr std::array<std::string_view, 8> kSubject{
      "subject:", "betreff:", "objet :", "objet:", "asunto:", "onderwerp:", "oggetto:", "assunto:"};
  if (!StartsWithAny(Normalised(lines[i]), kFrom)) return false;
  bool sent = false, to = false, subject = false;
  for (size_t k = i + 1; k < lines.size() && k <= i + 6; ++k) {
    std::string s = Normalised(lines[k]);
    sent = sent || StartsWithAny(s, kSent);
    to = to || StartsWithAny(s, kTo);
    subject = subject || StartsWithAny(s, kSubject);
  }
  return static_cast<int>(sent) + static_cast<int>(to) + static_cast<int>(subject) >= 2;
}

bool IsSignatureDelimiter(std::string_view line) { return line == "-- " || line == "--"; }

// "Sent from my iPhone" and the other trailers mobile and web clients append.
bool IsClientTrailer(std::string_view line) {
  std::string s = Normalised(line);
  // Trailers are short and plain; "Sent from my desk, which is easier." is a sentence.
  if (s.empty() || s.size() > 45 || s.find(',') != std::string::npos) return false;
  static constexpr std::array<std::string_view, 14> kPrefixes{
      "sent from my ",         "sent from outlook", "sent from mail for windows",
      "sent from yahoo mail",  "sent from samsung", "sent with proton mail",
      "get outlook for ",      "von meinem ",       "gesendet von meinem ",
      "envoyé de mon ",        "enviado desde mi ", "enviado do meu ",
      "verzonden vanaf mijn ", "inviato da "};
  if (!StartsWithAny(s, kPrefixes)) return false;
  // "Von meinem iPhone gesendet": German puts the verb last.
  return !StartsWith(s, "von meinem ") || s.find("gesendet") != std::string::npos;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// Joins lines with "\n" without trailing spaces, dropping leading and trailing blank lines.
std::string JoinTrimmed(const std::vector<std::string_view>& lines) {
  std::string out;
  int pending_blanks = 0;
  for (std::string_view line : lines) {
    while (!line.empty() && IsSpace(line.back())) line.remove_suffix(1);
    if (line.empty()) {
      if (!out.empty()) ++pending_blanks;
      continue;
    }
    if (!out.empty()) out.append(pending_blanks + 1, '\n');
    pending_blanks = 0;
    out.append(line);
  }
  return out;
}

}  // namespace

std::string VisibleReply(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  size_t cut = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsSignatureDelimiter(lines[i]) || IsClientTrailer(lines[i]) || IsDividerLine(lines[i]) ||
        IsAttributionAt(lines, i) || IsHeaderBlockAt(lines, i) ||
        IsDashesAboveHeaderBlock(lines, i)) {
      cut = i;
      break;
    }
  }
  std::vector<std::string_view> kept;
  for (size_t i = 0; i < cut; ++i) {
    if (!IsQuoted(lines[i])) kept.push_back(lines[i]);
  }
  std::string reply = JoinTrimmed(kept);
  if (!reply.empty()) return reply;
  // Nothing of its own (a bare forward, or only quotes): show the whole text, untouched but
  // for line endings and surrounding blank lines.
  std::string whole;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) whole.push_back('\n');
    whole.append(lines[i]);
  }
  size_t begin = whole.find_first_not_of(" \t\r\n\f\v");
  if (begin == std::string::npos) return "";
  size_t end = whole.find_last_not_of(" \t\r\n\f\v");
  return whole.substr(begin, end - begin + 1);
}

}  // namespace casedesk::core

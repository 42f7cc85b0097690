#include "adapters/mail/mail_charset.h"

#include <gmime/gmime.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/text.h"

namespace casedesk::adapters::mail {
namespace {

// windows-1252 0x80..0x9F; the five unassigned bytes keep their Latin-1 (C1) meaning.
constexpr std::array<uint16_t, 32> kCp1252High{
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

bool IsAscii(std::string_view bytes) { return core::AsciiRunLength(bytes, 0) == bytes.size(); }

bool IsUtf8Or7Bit(std::string_view cs) {
  return cs.empty() || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || cs == "ascii" ||
         cs == "ansi_x3.4-1968" || cs == "x-unknown" || cs == "unknown-8bit" || cs == "default";
}

bool IsLatin1Family(std::string_view cs) {
  return cs == "iso-8859-1" || cs == "iso8859-1" || cs == "latin1" || cs == "iso-8859-15" ||
         cs == "windows-1252" || cs == "cp1252";
}

// Stateful 7-bit encodings whose ASCII-looking bytes still need converting.
bool IsSevenBitEncoding(std::string_view cs) {
  return cs.substr(0, 8) == "iso-2022" || cs == "utf-7" || cs == "hz-gb-2312";
}

}  // namespace

std::string RepairUtf8(std::string_view bytes) {
  if (core::IsValidUtf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (size_t i = 0; i < bytes.size();) {
    size_t n = core::AsciiRunLength(bytes, i);
    if (n == 0) n = core::Utf8SequenceLength(bytes, i);
    if (n > 0) {
      out.append(bytes.substr(i, n));
      i += n;
      continue;
    }
    uint8_t c = static_cast<uint8_t>(bytes[i++]);
    core::AppendUtf8(c >= 0x80 && c <= 0x9F ? kCp1252High[c - 0x80] : c, out);
  }
  return out;
}

std::string DecodeText(std::string_view bytes, std::string_view charset) {
  std::string cs = core::AsciiLower(charset);
  bool ascii = IsAscii(bytes);
  if (ascii && !IsSevenBitEncoding(cs)) return std::string(bytes);
  if (IsUtf8Or7Bit(cs)) return RepairUtf8(bytes);
  // Latin-1 labels on UTF-8 text are common; Latin-1 text that happens to be valid UTF-8 with
  // non-ASCII in it is vanishingly rare.
  if (IsLatin1Family(cs) && core::IsValidUtf8(bytes)) return std::string(bytes);
  const char* iconv_name = g_mime_charset_iconv_name(cs.c_str());
  if (iconv_name != nullptr) {
    gsize written = 0;
    gchar* converted = g_convert(bytes.data(), static_cast<gssize>(bytes.size()), "UTF-8",
                                 iconv_name, nullptr, &written, nullptr);
    if (converted != nullptr) {
      std::string out(converted, written);
      g_free(converted);
      if (core::IsValidUtf8(out)) return out;
    }
  }
  return RepairUtf8(bytes);
}

}  // namespace casedesk::adapters::mail

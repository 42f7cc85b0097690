// How mail finds its case without Message-IDs: the case tag in the subject ("[Case #123456]",
// with a configurable prefix) and signed reply addresses ("support+c123-<token>@domain"). This
// file only formats and parses; the token is a MAC the app computes (Crypto::Mac over
// ReplyTokenMessage(number), hex, first kReplyTokenLength characters) and compares in constant
// time. Other help desks' tags ("[Ticket#2024...]", "[#RT-1234]") are never taken for ours.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"

namespace casedesk::core {

// The number of hex characters of the MAC a signed reply address carries (64 bits).
inline constexpr size_t kReplyTokenLength = 16;
// Tokens shorter than this are never accepted by ParseReplyAddress.
inline constexpr size_t kMinReplyTokenLength = 8;

// "[<prefix> #<number>]", e.g. "[Case #123456]".
std::string FormatCaseTag(std::string_view prefix, CaseNumber number);

// The subject with our tag appended (" [Case #12]") unless the subject already carries a tag
// for this case; other desks' tags and "Re:" stay as they are.
std::string TagSubject(std::string_view subject, std::string_view prefix, CaseNumber number);

// The case number of the first tag of ours in the subject: "[<prefix> #<digits>]", prefix
// compared case-insensitively, spaces allowed around the parts ("[case#12]", "[ Case # 12 ]").
// Anything else in brackets is another desk's tag or plain text and is ignored.
std::optional<CaseNumber> FindCaseTag(std::string_view subject, std::string_view prefix);

// The subject without leading reply/forward markers ("Re:", "RE:", "AW:", "Fwd:", "FW:",
// "WG:", "SV:", "Antw:", "Odp:", "R:", "TR:", repeated, also "Re[2]:") and without our own tags;
// other desks' tags are preserved. Whitespace is collapsed at the edges. For the subject of a
// case opened by mail.
std::string CleanSubject(std::string_view subject, std::string_view prefix);

struct ReplyAddress {
  CaseNumber number = 0;
  std::string token;  // lower-case hex
};

// "<local>+c<number>-<token>@<domain>"; local and domain are lower-cased.
std::string FormatReplyAddress(std::string_view local, CaseNumber number, std::string_view token,
                               std::string_view domain);

// The case number and token of a signed reply address for this local part and domain
// (case-insensitive), or nullopt: another address, a malformed number (not 1..18 digits, leading
// zero), or a token that is not kMinReplyTokenLength..64 hex characters.
std::optional<ReplyAddress> ParseReplyAddress(std::string_view address, std::string_view local,
                                              std::string_view domain);

// The message the reply token is a MAC of: "reply:<number>".
std::string ReplyTokenMessage(CaseNumber number);

// Lower-case hex of raw bytes.
std::string HexLower(std::string_view bytes);

}  // namespace casedesk::core

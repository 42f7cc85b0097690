#include "app/account_passwords.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace casedesk::app {
namespace {

// Parts of the address and name shorter than this are too common to refuse ("al", "bob").
constexpr size_t kMinPersonalPart = 4;

absl::Status Refused(std::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("password: ", std::string(why)));
}

// The address, its local part, its words ("ana.lima" -> "ana", "lima") and the name's words,
// lower-cased, each at least kMinPersonalPart long.
std::vector<std::string> PersonalParts(std::string_view email, std::string_view name) {
  std::vector<std::string> parts;
  const std::string address = absl::AsciiStrToLower(std::string(email));
  const std::string local = address.substr(0, address.find('@'));
  for (const std::string& part : {address, local}) {
    if (part.size() >= kMinPersonalPart) parts.push_back(part);
  }
  const std::string words = absl::StrCat(local, " ", absl::AsciiStrToLower(std::string(name)));
  for (absl::string_view word : absl::StrSplit(words, absl::ByAnyChar(" ._-+'"))) {
    if (word.size() >= kMinPersonalPart) parts.emplace_back(word);
  }
  return parts;
}

}  // namespace

absl::Status CheckNewPassword(std::string_view password, std::string_view confirmation,
                              std::string_view email, std::string_view name) {
  if (password.size() < kMinPasswordLength) {
    return Refused(absl::StrCat("use at least ", kMinPasswordLength, " characters"));
  }
  if (password.size() > kMaxPasswordLength) {
    return Refused(absl::StrCat("use at most ", kMaxPasswordLength, " characters"));
  }
  const std::string lowered = absl::AsciiStrToLower(std::string(password));
  for (const std::string& part : PersonalParts(email, name)) {
    if (absl::StrContains(lowered, part)) {
      return Refused("must not contain your email address or name");
    }
  }
  if (password != confirmation) {
    return absl::InvalidArgumentError("password_confirmation: the two passwords differ");
  }
  return absl::OkStatus();
}

}  // namespace casedesk::app

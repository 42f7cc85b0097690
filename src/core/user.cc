#include "core/user.h"

#include <cctype>

namespace casedesk::core {

std::string NormaliseEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return "";
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    return "";
  }
  std::string normalised;
  normalised.reserve(email.size());
  for (char c : email) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= ' ' || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || byte == 0x7f) {
      return "";
    }
    normalised.push_back(static_cast<char>(std::tolower(byte)));
  }
  const std::string_view domain = std::string_view(normalised).substr(at + 1);
  if (domain.find('.') == std::string_view::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string_view::npos) {
    return "";
  }
  return normalised;
}

}  // namespace casedesk::core

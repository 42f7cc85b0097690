#include "core/conversation.h"

namespace casedesk::core {

absl::Status ValidateComment(const Comment& comment) {
  if (comment.body.empty()) return absl::InvalidArgumentError("body is required");
  if (comment.body.size() > kMaxCommentLength) {
    return absl::InvalidArgumentError("body is longer than 256 KiB");
  }
  return absl::OkStatus();
}

std::string SanitiseFilename(std::string_view filename) {
  const size_t slash = filename.find_last_of("/\\");
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  std::string safe;
  for (char c : filename) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '"' || c == ';') continue;
    safe.push_back(c);
  }
  while (!safe.empty() && (safe.front() == '.' || safe.front() == ' ')) safe.erase(0, 1);
  if (safe.size() > 200) {
    size_t cut = 200;
    // Do not split a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(safe[cut]) & 0xC0) == 0x80) --cut;
    safe.resize(cut);
  }
  return safe.empty() ? "attachment" : safe;
}

}  // namespace casedesk::core

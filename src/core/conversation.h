// What is written on a case: public replies and internal notes, and the files attached to them.
// Thread-safe: value types.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

enum class Visibility { kPublic, kInternal };

inline constexpr std::array<std::pair<Visibility, std::string_view>, 2> kVisibilityNames{{
    {Visibility::kPublic, "public"},
    {Visibility::kInternal, "internal"},
}};

inline constexpr size_t kMaxCommentLength = 256 * 1024;

struct Comment {
  CommentId id = 0;
  CaseNumber case_number = 0;
  UserId author_id = 0;
  std::string body;
  Visibility visibility = Visibility::kPublic;
  std::string channel = "api";  // api, portal, email
  std::vector<std::string> attachment_ids;
  absl::Time created_at = absl::InfinitePast();
};

// An attachment's content lives in the blob store under its SHA-256 digest; this is the record
// that ties it to a case. The client's filename is display metadata only.
struct Attachment {
  std::string id;  // random public id
  CaseNumber case_number = 0;
  std::optional<CommentId> comment_id;
  std::string blob_digest;  // hex SHA-256 of the content
  std::string filename;
  std::string content_type;
  int64_t size = 0;
  UserId uploaded_by = 0;
  Visibility visibility = Visibility::kPublic;
  absl::Time created_at = absl::InfinitePast();
};

absl::Status ValidateComment(const Comment& comment);

// A display name safe to put in a Content-Disposition header: path separators, control
// characters and quotes removed, at most 200 bytes, never empty.
std::string SanitiseFilename(std::string_view filename);

}  // namespace casedesk::core

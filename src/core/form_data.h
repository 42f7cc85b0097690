// multipart/form-data bodies (RFC 7578), as browsers send forms with file inputs: the boundary
// from the Content-Type, then each part's name, filename, type and bytes. Strict and bounded:
// CRLF line breaks only, Content-Disposition "form-data" with a name on every part, limits on
// the number of parts, header bytes per part and total body size (the caller's). Quoted
// parameters may hold backslash escapes and percent-encoded quotes as browsers send them.
// Pure: no I/O. Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace casedesk::core {

struct FormDataPart {
  std::string name;
  std::optional<std::string> filename;  // set for file inputs (empty when none was chosen)
  std::string content_type;             // as declared; "" when the part has none
  std::string value;                    // the bytes, unchanged
};

struct FormDataLimits {
  size_t max_parts = 64;
  size_t max_header_bytes = 8 * 1024;  // of one part's headers
  size_t max_name_bytes = 256;
};

// The boundary of a "multipart/form-data; boundary=..." media type; InvalidArgument when the
// type is another or the boundary is missing or not 1..70 characters.
absl::StatusOr<std::string> FormDataBoundary(std::string_view content_type);

// The parts of `body`, in order. InvalidArgument (naming what is wrong) for a malformed body,
// ResourceExhausted when a limit is exceeded.
absl::StatusOr<std::vector<FormDataPart>> ParseFormData(std::string_view content_type,
                                                        std::string_view body,
                                                        const FormDataLimits& limits = {});

}  // namespace casedesk::core

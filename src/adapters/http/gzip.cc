#include "adapters/http/gzip.h"

#include <zlib.h>

#include <cstring>
#include <stdexcept>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace casedesk::adapters::http {

std::string Gzip(std::string_view data) {
  z_stream stream;
  std::memset(&stream, 0, sizeof(stream));
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
  return out;
}

bool AcceptsGzip(const HttpRequest& request) {
  const std::optional<std::string_view> header = request.Header("accept-encoding");
  if (!header) return false;
  for (absl::string_view item :
       absl::StrSplit(absl::string_view(header->data(), header->size()), ',')) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const absl::string_view coding = absl::StripAsciiWhitespace(parts[0]);
    if (!absl::EqualsIgnoreCase(coding, "gzip") && coding != "*") continue;
    bool refused = false;
    for (size_t i = 1; i < parts.size(); ++i) {
      const std::string parameter = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[i]));
      if (parameter == "q=0" || parameter == "q=0.0" || parameter == "q=0.00" ||
          parameter == "q=0.000") {
        refused = true;
      }
    }
    if (!refused) return true;
  }
  return false;
}

}  // namespace casedesk::adapters::http

// The content of an Outlook TNEF stream (winmail.dat, application/ms-tnef): the files attached
// inside it and its plain body, read with libytnef. Thread-safe: calls into libytnef are
// serialised (it keeps no documented thread-safety promise).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casedesk::adapters::mail {

struct TnefFile {
  std::string filename;  // as stored (8-bit, in the stream's code page); may be empty
  std::string content;
};

struct TnefContent {
  std::string body;  // attBody / PR_BODY, when present (8-bit, in the stream's code page)
  std::vector<TnefFile> files;
};

// Nothing when the bytes are not a TNEF stream libytnef can read.
std::optional<TnefContent> ReadTnef(std::string_view data);

}  // namespace casedesk::adapters::mail

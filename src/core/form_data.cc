#include "core/form_data.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace casedesk::core {
namespace {

constexpr std::string_view kCrlf = "\r\n";

std::string Lower(std::string_view text) { return absl::AsciiStrToLower(std::string(text)); }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsBoundaryChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// The WHATWG form encoding writes '"', CR and LF in names and filenames as %22, %0D, %0A.
std::string DecodeBrowserEscapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const std::string_view code = text.substr(i + 1, 2);
      if (absl::EqualsIgnoreCase(std::string(code), "22")) {
        out += '"';
        i += 2;
        continue;
      }
      if (absl::EqualsIgnoreCase(std::string(code), "0D")) {
        out += '\r';
        i += 2;
        continue;
      }
      if (absl::EqualsIgnoreCase(std::string(code), "0A")) {
        out += '\n';
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

struct Parameter {
  std::string name;  // lower case
  std::string value;
};

// "form-data; name=\"a\"; filename=\"b\"": the first token and the parameters. A quoted value
// may contain ';' and backslash escapes of '"' and '\'.
absl::StatusOr<std::pair<std::string, std::vector<Parameter>>> SplitHeaderValue(
    std::string_view value, std::string_view header) {
  std::vector<Parameter> parameters;
  const size_t first = value.find(';');
  std::string token = Lower(Trim(value.substr(0, first)));
  size_t at = first == std::string_view::npos ? value.size() : first + 1;
  while (at < value.size()) {
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
    if (at >= value.size()) break;
    const size_t equals = value.find('=', at);
    if (equals == std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(header), ": a parameter without a value"));
    }
    Parameter parameter;
    parameter.name = Lower(Trim(value.substr(at, equals - at)));
    at = equals + 1;
    while (at < value.size() && (value[at] == ' ' || value[at] == '\t')) ++at;
    if (at < value.size() && value[at] == '"') {
      ++at;
      bool closed = false;
      while (at < value.size()) {
        const char c = value[at];
        if (c == '\\' && at + 1 < value.size() && (value[at + 1] == '"' || value[at + 1] == '\\')) {
          parameter.value += value[at + 1];
          at += 2;
        } else if (c == '"') {
          closed = true;
          ++at;
          break;
        } else {
          parameter.value += c;
          ++at;
        }
      }
      if (!closed) {
        return absl::InvalidArgumentError(
            absl::StrCat(std::string(header), ": an unterminated quoted value"));
      }
      while (at < value.size() && value[at] != ';') {
        if (value[at] != ' ' && value[at] != '\t') {
          return absl::InvalidArgumentError(
              absl::StrCat(std::string(header), ": text after a quoted value"));
        }
        ++at;
      }
    } else {
      const size_t end = value.find(';', at);
      parameter.value = std::string(Trim(
          value.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at)));
      at = end == std::string_view::npos ? value.size() : end;
    }
    if (at < value.size() && value[at] == ';') ++at;
    parameters.push_back(std::move(parameter));
  }
  return std::make_pair(std::move(token), std::move(parameters));
}

// Reads one part's header block into `part`.
absl::Status ParseHeaders(std::string_view block, const FormDataLimits& limits,
                          FormDataPart& part) {
  bool disposition = false;
  size_t at = 0;
  while (at < block.size()) {
    size_t end = block.find(kCrlf, at);
    if (end == std::string_view::npos) end = block.size();
    const std::string_view line = block.substr(at, end - at);
    at = end + kCrlf.size();
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') {
      return absl::InvalidArgumentError("part headers: folded header lines are not allowed");
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return absl::InvalidArgumentError("part headers: a line without 'Name: value'");
    }
    const std::string name = Lower(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      auto split = SplitHeaderValue(value, "Content-Disposition");
      if (!split.ok()) return split.status();
      if (split->first != "form-data") {
        return absl::InvalidArgumentError("Content-Disposition: must be form-data");
      }
      bool named = false;
      for (const Parameter& parameter : split->second) {
        if (parameter.name == "name") {
          part.name = DecodeBrowserEscapes(parameter.value);
          named = true;
        } else if (parameter.name == "filename") {
          part.filename = DecodeBrowserEscapes(parameter.value);
        }
      }
      if (!named) return absl::InvalidArgumentError("Content-Disposition: a part without a name");
      if (part.name.size() > limits.max_name_bytes) {
        return absl::ResourceExhaustedError(
            absl::StrCat("a part's name is longer than ", limits.max_name_bytes, " bytes"));
      }
      disposition = true;
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!disposition) {
    return absl::InvalidArgumentError("part headers: Content-Disposition is missing");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> FormDataBoundary(std::string_view content_type) {
  auto split = SplitHeaderValue(content_type, "Content-Type");
  if (!split.ok()) return split.status();
  if (split->first != "multipart/form-data") {
    return absl::InvalidArgumentError("Content-Type: must be multipart/form-data");
  }
  for (const Parameter& parameter : split->second) {
    if (parameter.name != "boundary") continue;
    const std::string& boundary = parameter.value;
    bool valid = !boundary.empty() && boundary.size() <= 70 && boundary.back() != ' ';
    for (const char c : boundary) valid = valid && IsBoundaryChar(c);
    if (!valid) return absl::InvalidArgumentError("Content-Type: the boundary is malformed");
    return boundary;
  }
  return absl::InvalidArgumentError("Content-Type: the boundary is missing");
}

absl::StatusOr<std::vector<FormDataPart>> ParseFormData(std::string_view content_type,
                                                        std::string_view body,
                                                        const FormDataLimits& limits) {
  absl::StatusOr<std::string> boundary = FormDataBoundary(content_type);
  if (!boundary.ok()) return boundary.status();
  const std::string delimiter = absl::StrCat("--", *boundary);
  const std::string separator = absl::StrCat(std::string(kCrlf), delimiter);
  // The first delimiter opens the body, or ends a preamble that is ignored.
  size_t at = 0;
  if (!body.starts_with(delimiter)) {
    const size_t found = body.find(separator);
    if (found == std::string_view::npos) {
      return absl::InvalidArgumentError("body: no part starts with the boundary");
    }
    at = found + kCrlf.size();
  }
  at += delimiter.size();
  std::vector<FormDataPart> parts;
  while (true) {
    if (body.substr(at).starts_with("--")) return parts;  // the closing delimiter
    // Transport padding, then the line break that ends the delimiter line.
    while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
    if (!body.substr(at).starts_with(kCrlf)) {
      return absl::InvalidArgumentError("body: a boundary line does not end with CRLF");
    }
    at += kCrlf.size();
    if (parts.size() >= limits.max_parts) {
      return absl::ResourceExhaustedError(
          absl::StrCat("more than ", limits.max_parts, " parts in one form"));
    }
    // Headers end with an empty line (immediately, when a part has none).
    size_t headers_end;
    if (body.substr(at).starts_with(kCrlf)) {
      headers_end = at;
    } else {
      headers_end = body.find("\r\n\r\n", at);
      if (headers_end == std::string_view::npos) {
        return absl::InvalidArgumentError("body: a part's headers do not end");
      }
      headers_end += kCrlf.size();
    }
    if (headers_end - at > limits.max_header_bytes) {
      return absl::ResourceExhaustedError(
          absl::StrCat("a part's headers are longer than ", limits.max_header_bytes, " bytes"));
    }
    FormDataPart part;
    if (absl::Status headers = ParseHeaders(body.substr(at, headers_end - at), limits, part);
        !headers.ok()) {
      return headers;
    }
    const size_t content = headers_end + kCrlf.size();
    const size_t next = body.find(separator, content);
    if (next == std::string_view::npos) {
      return absl::InvalidArgumentError("body: the last part is not closed by the boundary");
    }
    part.value = std::string(body.substr(content, next - content));
    parts.push_back(std::move(part));
    at = next + separator.size();
  }
}

}  // namespace casedesk::core

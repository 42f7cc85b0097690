// The Markdown port: turns an article's Markdown source into HTML that is safe to put in a page
// as it is (no raw HTML, no script, no unsafe link schemes), and into plain text for search and
// snippets. Implementation: adapters/markdown (cmark-gfm with the GFM extensions).
// Thread-safety: implementations are safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace casedesk::ports {

struct RenderedMarkdown {
  std::string html;  // sanitised; every text and attribute escaped
  std::string text;  // plain text, whitespace collapsed
};

class MarkdownRenderer {
 public:
  virtual ~MarkdownRenderer() = default;
  // InvalidArgument for input that is not UTF-8.
  virtual absl::StatusOr<RenderedMarkdown> Render(std::string_view markdown) const = 0;
};

}  // namespace casedesk::ports

// MarkdownRenderer on cmark-gfm with the GitHub extensions (tables, strikethrough, autolinks,
// task lists). cmark's safe default drops raw HTML and empties links and images whose scheme is
// javascript:, vbscript:, file: or data: (other than images); the HTML then goes through the
// gumbo allowlist sanitiser (adapters/mail/html_sanitiser), so what leaves here holds only the
// allowlisted elements and attributes whatever cmark produced. Two GFM constructs the allowlist
// has no element for are mapped first: strikethrough to <s>, task-list checkboxes to the
// characters ☐ and ☑. Remote images are dropped by the sanitiser (as in mail: they would be
// tracking beacons); images must be data: URLs.
// Thread-safety: Render is safe to call from any thread (each call has its own parser).
#pragma once

#include <string_view>

#include "ports/markdown_renderer.h"

namespace casedesk::adapters::markdown {

class CmarkMarkdownRenderer : public ports::MarkdownRenderer {
 public:
  CmarkMarkdownRenderer();
  absl::StatusOr<ports::RenderedMarkdown> Render(std::string_view markdown) const override;
};

// One renderer for the whole process (the wiring's).
const ports::MarkdownRenderer& SharedMarkdownRenderer();

}  // namespace casedesk::adapters::markdown

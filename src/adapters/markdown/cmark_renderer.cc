#include "adapters/markdown/cmark_renderer.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_replace.h"
#include "adapters/mail/html_sanitiser.h"
#include "core/text.h"

namespace casedesk::adapters::markdown {
namespace {

// Safe is cmark's default (raw HTML omitted, unsafe URLs emptied); invalid UTF-8 is replaced.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART;
constexpr const char* kExtensions[] = {"table", "strikethrough", "autolink", "tasklist"};

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};

std::string TakeString(char* text) {
  std::string copy = text == nullptr ? "" : text;
  std::free(text);
  return copy;
}

std::string CollapseWhitespace(std::string_view text) {
  std::string collapsed;
  bool space = false;
  for (const char ch : text) {
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
      space = !collapsed.empty();
      continue;
    }
    if (space) collapsed += ' ';
    space = false;
    collapsed += ch;
  }
  return collapsed;
}

}  // namespace

CmarkMarkdownRenderer::CmarkMarkdownRenderer() { cmark_gfm_core_extensions_ensure_registered(); }

absl::StatusOr<ports::RenderedMarkdown> CmarkMarkdownRenderer::Render(
    std::string_view markdown) const {
  if (!core::IsValidUtf8(markdown)) return absl::InvalidArgumentError("body: must be UTF-8 text");
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  if (parser == nullptr) return absl::ResourceExhaustedError("markdown: out of memory");
  for (const char* name : kExtensions) {
    cmark_syntax_extension* extension = cmark_find_syntax_extension(name);
    if (extension == nullptr) {
      return absl::InternalError(std::string("markdown: extension '") + name + "' is missing");
    }
    cmark_parser_attach_syntax_extension(parser.get(), extension);
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, NodeDeleter> document(cmark_parser_finish(parser.get()));
  if (document == nullptr) return absl::ResourceExhaustedError("markdown: out of memory");

  std::string html = TakeString(cmark_render_html(
      document.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get())));
  // With raw HTML omitted, these tags can only be cmark's own (text "<del>" is escaped).
  html = absl::StrReplaceAll(
      html, {{"<del>", "<s>"},
             {"</del>", "</s>"},
             {"<input type=\"checkbox\" checked=\"\" disabled=\"\" /> ", "\u2611 "},
             {"<input type=\"checkbox\" disabled=\"\" /> ", "\u2610 "}});
  ports::RenderedMarkdown rendered;
  rendered.html = mail::SanitiseHtml(html);
  rendered.text =
      CollapseWhitespace(TakeString(cmark_render_plaintext(document.get(), kOptions, 0)));
  return rendered;
}

const ports::MarkdownRenderer& SharedMarkdownRenderer() {
  static const CmarkMarkdownRenderer* const renderer = new CmarkMarkdownRenderer();
  return *renderer;
}

}  // namespace casedesk::adapters::markdown

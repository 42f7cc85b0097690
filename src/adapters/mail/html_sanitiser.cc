#include "adapters/mail/html_sanitiser.h"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace casedesk::adapters::mail {
namespace {

struct OutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};
using OutputPtr = std::unique_ptr<GumboOutput, OutputDeleter>;

// Gumbo's tree building is quadratic in nesting depth (every start tag searches the stack of
// open elements), so hostile markup like 100,000 nested <div>s would take minutes. This finds
// where an estimate of the depth (start tags minus end tags, ignoring void and implicitly closed
// elements) first passes kMaxNesting and cuts the document there; the parser closes what is open.
constexpr int kMaxNesting = 512;

bool IsUncounted(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "br",   "img",  "hr",    "meta",   "link",   "input", "wbr", "col",
      "area", "base", "embed", "param",  "source", "track", "p",   "li",
      "td",   "th",   "tr",    "option", "dt",     "dd",    "!",   "?"};
  for (std::string_view n : kNames) {
    if (name == n) return true;
  }
  return false;
}

std::string_view BoundNesting(std::string_view html) {
  int depth = 0;
  for (size_t i = html.find('<'); i != std::string_view::npos && i + 1 < html.size();
       i = html.find('<', i + 1)) {
    bool closing = html[i + 1] == '/';
    size_t start = i + (closing ? 2 : 1);
    size_t end = start;
    while (end < html.size() && end - start < 16 &&
           ((html[end] >= 'a' && html[end] <= 'z') || (html[end] >= 'A' && html[end] <= 'Z') ||
            (html[end] >= '0' && html[end] <= '9') ||
            (end == start && (html[end] == '!' || html[end] == '?')))) {
      ++end;
    }
    if (end == start) continue;
    std::string name(html.substr(start, end - start));
    for (char& c : name) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (name[0] == '!' || name[0] == '?') name.resize(1);
    if (IsUncounted(name)) continue;
    depth += closing ? -1 : 1;
    if (depth < 0) depth = 0;
    if (depth > kMaxNesting) return html.substr(0, i);
  }
  return html;
}

OutputPtr Parse(std::string_view html) {
  html = BoundNesting(html);
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // we never read the error list; recording it costs time
  return OutputPtr(gumbo_parse_with_options(&options, html.data(), html.size()));
}

// Depth-first traversal without recursion, so hostile nesting cannot exhaust the stack.
// `enter` returns whether to visit the children; `leave` runs after them.
template <typename Enter, typename Leave>
void Walk(const GumboNode* root, Enter enter, Leave leave) {
  struct Frame {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Frame> stack;
  if (enter(root)) {
    stack.push_back({root, 0});
  } else {
    leave(root, false);
    return;
  }
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* children =
        (top.node->type == GUMBO_NODE_ELEMENT || top.node->type == GUMBO_NODE_TEMPLATE)
            ? &top.node->v.element.children
        : top.node->type == GUMBO_NODE_DOCUMENT ? &top.node->v.document.children
                                                : nullptr;
    if (children == nullptr || top.next >= children->length) {
      const GumboNode* done = top.node;
      stack.pop_back();
      leave(done, true);
      continue;
    }
    const GumboNode* child = static_cast<const GumboNode*>(children->data[top.next++]);
    if (enter(child)) {
      stack.push_back({child, 0});
    } else {
      leave(child, false);
    }
  }
}

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

// Elements whose content is never shown or is active: dropped with everything inside.
bool IsDroppedWithContent(const GumboNode* node) {
  if (node->v.element.tag_namespace != GUMBO_NAMESPACE_HTML) return true;  // svg, math
  switch (node->v.element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_META:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
      return true;
    default:
      return false;
  }
}

bool IsAllowed(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_B:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_I:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_U:
    case GUMBO_TAG_S:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_A:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_HR:
      return true;
    default:
      return false;
  }
}

bool IsVoid(GumboTag tag) {
  return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_HR;
}

void AppendEscaped(std::string_view text, bool attribute, std::string* out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out->append("&amp;");
        break;
      case '<':
        out->append("&lt;");
        break;
      case '>':
        out->append("&gt;");
        break;
      case '"':
        if (attribute) {
          out->append("&quot;");
        } else {
          out->push_back(c);
        }
        break;
      default:
        out->push_back(c);
    }
  }
}

// A URL as a browser reads it: tab, CR and LF are removed anywhere, and leading and trailing
// spaces and control characters are ignored ("java\tscript:" is "javascript:").
std::string CleanUrl(std::string_view value) {
  std::string url;
  for (char c : value) {
    if (c != '\t' && c != '\n' && c != '\r') url.push_back(c);
  }
  auto is_edge = [](char c) { return static_cast<unsigned char>(c) <= 0x20; };
  size_t begin = 0;
  while (begin < url.size() && is_edge(url[begin])) ++begin;
  size_t end = url.size();
  while (end > begin && is_edge(url[end - 1])) --end;
  return url.substr(begin, end - begin);
}

bool IsSafeLink(std::string_view url) {
  std::string lower = core::AsciiLower(url);
  return core::StartsWith(lower, "http://") || core::StartsWith(lower, "https://") ||
         core::StartsWith(lower, "mailto:");
}

bool IsSafeImage(std::string_view url) {
  std::string lower = core::AsciiLower(url);
  if (core::StartsWith(lower, "cid:")) return lower.size() > 4;
  for (std::string_view type : {"data:image/png", "data:image/gif", "data:image/jpeg"}) {
    if (core::StartsWith(lower, type) && lower.size() > type.size() &&
        (lower[type.size()] == ';' || lower[type.size()] == ',')) {
      return true;
    }
  }
  return false;
}

const GumboAttribute* FindAttribute(const GumboNode* node, const char* name) {
  return gumbo_get_attribute(&node->v.element.attributes, name);
}

bool IsDigits(std::string_view s) {
  return !s.empty() && s.size() <= 4 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void AppendAttribute(std::string_view name, std::string_view value, std::string* out) {
  out->push_back(' ');
  out->append(name);
  out->append("=\"");
  AppendEscaped(value, true, out);
  out->push_back('"');
}

// Writes the start tag with its allowed attributes; false when the element must go (an img
// without a safe source).
bool AppendStartTag(const GumboNode* node, std::string* out) {
  GumboTag tag = node->v.element.tag;
  std::string start = "<";
  start.append(gumbo_normalized_tagname(tag));
  if (tag == GUMBO_TAG_IMG) {
    const GumboAttribute* src = FindAttribute(node, "src");
    if (src == nullptr) return false;
    std::string url = CleanUrl(src->value);
    if (!IsSafeImage(url)) return false;
    AppendAttribute("src", url, &start);
  }
  if (tag == GUMBO_TAG_A) {
    if (const GumboAttribute* href = FindAttribute(node, "href")) {
      std::string url = CleanUrl(href->value);
      if (IsSafeLink(url)) AppendAttribute("href", url, &start);
    }
  }
  if (tag == GUMBO_TAG_IMG) {
    if (const GumboAttribute* alt = FindAttribute(node, "alt")) {
      AppendAttribute("alt", alt->value, &start);
    }
  }
  if (const GumboAttribute* title = FindAttribute(node, "title")) {
    AppendAttribute("title", title->value, &start);
  }
  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
    for (const char* name : {"colspan", "rowspan"}) {
      const GumboAttribute* span = FindAttribute(node, name);
      if (span != nullptr && IsDigits(span->value)) AppendAttribute(name, span->value, &start);
    }
  }
  if (tag == GUMBO_TAG_A) AppendAttribute("rel", "noopener noreferrer nofollow", &start);
  start.push_back('>');
  out->append(start);
  return true;
}

const GumboNode* Body(const GumboOutput& output) {
  const GumboVector& children = output.root->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto* child = static_cast<const GumboNode*>(children.data[i]);
    if (child->type == GUMBO_NODE_ELEMENT && child->v.element.tag == GUMBO_TAG_BODY) return child;
  }
  return output.root;
}

// Plain-text writer: collapses whitespace, owes line breaks until the next text, and starts
// each line with the blockquote prefix and the pending list marker.
class TextWriter {
 public:
  void Break(int lines) {
    if (lines == 0) return;
    if (pending_breaks_ == 0) break_depth_ = quote_depth_;
    pending_breaks_ = std::max(pending_breaks_, lines);
    pending_space_ = false;
  }
  void LineBreak() {  // <br>: breaks add up, to at most one blank line
    if (pending_breaks_ == 0) break_depth_ = quote_depth_;
    pending_breaks_ = std::min(2, pending_breaks_ + 1);
    pending_space_ = false;
  }
  void Space() { pending_space_ = true; }
  void SetBullet(std::string bullet) { bullet_ = std::move(bullet); }
  void Quote(int delta) { quote_depth_ += delta; }

  void Word(std::string_view word) {
    Flush();
    out_.append(word);
  }
  // Preformatted text: kept as is, newlines start new (prefixed) lines.
  void Preformatted(std::string_view text) {
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      if (!line.empty()) {
        Flush();
        out_.append(line);
      }
      if (nl == std::string_view::npos) break;
      LineBreak();
      if (pending_breaks_ == 2 && !out_.empty() && out_.back() == '\n') pending_breaks_ = 1;
      text.remove_prefix(nl + 1);
    }
  }
  size_t size() const { return out_.size(); }
  std::string_view Since(size_t pos) const { return std::string_view(out_).substr(pos); }

  std::string Finish() {
    while (!out_.empty() && (out_.back() == ' ' || out_.back() == '\n')) out_.pop_back();
    return std::move(out_);
  }

 private:
  std::string Prefix(int depth) const {
    std::string prefix;
    for (int i = 0; i < depth; ++i) prefix.append("> ");
    return prefix;
  }
  void Flush() {
    if (out_.empty()) {
      pending_breaks_ = 0;
      pending_space_ = false;
    }
    if (pending_breaks_ > 0) {
      while (!out_.empty() && out_.back() == ' ') out_.pop_back();
      if (pending_breaks_ >= 2) {
        out_.push_back('\n');
        // The blank line between a quote and its surroundings belongs to the outer level.
        std::string prefix = Prefix(std::min(break_depth_, quote_depth_));
        while (!prefix.empty() && prefix.back() == ' ') prefix.pop_back();
        out_.append(prefix);
      }
      out_.push_back('\n');
      at_line_start_ = true;
      pending_breaks_ = 0;
    }
    if (at_line_start_) {
      out_.append(Prefix(quote_depth_));
      out_.append(bullet_);
      bullet_.clear();
      at_line_start_ = false;
    } else if (pending_space_ && !out_.empty()) {
      out_.push_back(' ');
    }
    pending_space_ = false;
  }

  std::string out_;
  int pending_breaks_ = 0;
  bool pending_space_ = false;
  bool at_line_start_ = true;
  int quote_depth_ = 0;
  int break_depth_ = 0;  // quote depth when the pending breaks were first asked for
  std::string bullet_;
};

bool IsAsciiSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// Splits text into words at whitespace (including U+00A0), telling the writer about spaces.
void WriteCollapsed(std::string_view text, TextWriter& writer) {
  size_t i = 0;
  std::string word;
  auto flush_word = [&] {
    if (!word.empty()) writer.Word(word);
    word.clear();
  };
  while (i < text.size()) {
    if (IsAsciiSpace(text[i])) {
      flush_word();
      writer.Space();
      ++i;
    } else if (text.compare(i, 2, "\xC2\xA0") == 0) {
      flush_word();
      writer.Space();
      i += 2;
    } else {
      word.push_back(text[i++]);
    }
  }
  flush_word();
}

// Lines before and after a block element: 2 for paragraphs, 1 for lines, 0 for inline.
int BlockBreaks(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
      return 2;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

std::string SanitiseHtml(std::string_view html) {
  OutputPtr output = Parse(html);
  std::string out;
  out.reserve(html.size());
  const GumboNode* body = Body(*output);
  Walk(
      body,
      [&](const GumboNode* node) {
        switch (node->type) {
          case GUMBO_NODE_TEXT:
          case GUMBO_NODE_WHITESPACE:
            AppendEscaped(node->v.text.text, false, &out);
            return false;
          case GUMBO_NODE_CDATA:
          case GUMBO_NODE_COMMENT:
          case GUMBO_NODE_DOCUMENT:
            return false;
          default:
            break;
        }
        if (node == body) return true;
        if (IsDroppedWithContent(node)) return false;
        GumboTag tag = node->v.element.tag;
        if (!IsAllowed(tag)) return true;  // unwrapped: children only
        if (!AppendStartTag(node, &out)) return false;
        return !IsVoid(tag);
      },
      [&](const GumboNode* node, bool descended) {
        if (!descended || node == body || !IsElement(node)) return;
        GumboTag tag = node->v.element.tag;
        if (IsAllowed(tag) && !IsVoid(tag)) {
          out.append("</");
          out.append(gumbo_normalized_tagname(tag));
          out.push_back('>');
        }
      });
  return out;
}

std::string HtmlToText(std::string_view html) {
  OutputPtr output = Parse(html);
  TextWriter writer;
  int pre_depth = 0;
  std::vector<size_t> link_starts;  // output offset where each open <a> began
  int list_depth = 0;
  const GumboNode* body = Body(*output);
  Walk(
      body,
      [&](const GumboNode* node) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
            node->type == GUMBO_NODE_CDATA) {
          if (pre_depth > 0) {
            writer.Preformatted(node->v.text.text);
          } else {
            WriteCollapsed(node->v.text.text, writer);
          }
          return false;
        }
        if (!IsElement(node)) return false;
        if (node == body) return true;
        if (IsDroppedWithContent(node)) return false;
        GumboTag tag = node->v.element.tag;
        bool nested_list = (tag == GUMBO_TAG_UL || tag == GUMBO_TAG_OL) && list_depth > 0;
        writer.Break(nested_list ? 1 : BlockBreaks(tag));
        switch (tag) {
          case GUMBO_TAG_BR:
            writer.LineBreak();
            return false;
          case GUMBO_TAG_PRE:
            ++pre_depth;
            break;
          case GUMBO_TAG_BLOCKQUOTE:
            writer.Quote(1);
            break;
          case GUMBO_TAG_UL:
          case GUMBO_TAG_OL:
            ++list_depth;
            break;
          case GUMBO_TAG_LI:
            writer.SetBullet(std::string(2 * std::max(0, list_depth - 1), ' ') + "- ");
            break;
          case GUMBO_TAG_TD:
          case GUMBO_TAG_TH:
            writer.Space();
            break;
          case GUMBO_TAG_A:
            link_starts.push_back(writer.size());
            break;
          default:
            break;
        }
        return true;
      },
      [&](const GumboNode* node, bool descended) {
        if (!descended || node == body || !IsElement(node)) return;
        GumboTag tag = node->v.element.tag;
        switch (tag) {
          case GUMBO_TAG_PRE:
            --pre_depth;
            break;
          case GUMBO_TAG_BLOCKQUOTE:
            writer.Break(2);
            writer.Quote(-1);
            break;
          case GUMBO_TAG_UL:
          case GUMBO_TAG_OL:
            --list_depth;
            if (list_depth > 0) {
              writer.Break(1);
              return;
            }
            break;
          case GUMBO_TAG_TD:
          case GUMBO_TAG_TH:
            writer.Space();
            break;
          case GUMBO_TAG_A: {
            size_t start = link_starts.back();
            link_starts.pop_back();
            const GumboAttribute* href = FindAttribute(node, "href");
            if (href == nullptr) break;
            std::string url = CleanUrl(href->value);
            if (!IsSafeLink(url)) break;
            std::string_view text = writer.Since(start);
            while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
            std::string_view bare = url;
            if (core::StartsWith(core::AsciiLower(bare), "mailto:")) bare.remove_prefix(7);
            if (text == url || text == bare) break;
            if (!text.empty()) writer.Space();
            writer.Word("<" + url + ">");
            break;
          }
          default:
            break;
        }
        writer.Break(BlockBreaks(tag));
      });
  return writer.Finish();
}

}  // namespace casedesk::adapters::mail

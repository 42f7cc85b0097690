#include "adapters/markdown/cmark_renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace casedesk::adapters::markdown {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Html(std::string_view markdown) {
  absl::StatusOr<ports::RenderedMarkdown> rendered = SharedMarkdownRenderer().Render(markdown);
  EXPECT_TRUE(rendered.ok()) << rendered.status();
  return rendered.ok() ? rendered->html : "";
}

TEST(CmarkRendererTest, RendersCommonMarkAndGfm) {
  const std::string html = Html(
      "# Reset\n\nSome **bold** and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
      "~~old~~ new\n\n- [ ] todo\n- [x] done\n\nSee https://example.com/docs\n");
  EXPECT_THAT(html, HasSubstr("<h1>Reset</h1>"));
  EXPECT_THAT(html, HasSubstr("<strong>bold</strong>"));
  EXPECT_THAT(html, HasSubstr("<code>code</code>"));
  EXPECT_THAT(html, HasSubstr("<table>"));
  EXPECT_THAT(html, HasSubstr("<td>1</td>"));
  EXPECT_THAT(html, HasSubstr("<s>old</s>"));
  EXPECT_THAT(html, HasSubstr("\u2610 todo"));
  EXPECT_THAT(html, HasSubstr("\u2611 done"));
  EXPECT_THAT(html, HasSubstr("href=\"https://example.com/docs\""));
  EXPECT_THAT(html, HasSubstr("rel=\"noopener noreferrer nofollow\""));
}

TEST(CmarkRendererTest, PlainTextForSearch) {
  absl::StatusOr<ports::RenderedMarkdown> rendered = SharedMarkdownRenderer().Render(
      "# Reset the *VPN*\n\n1. Open   settings\n2. Click [renew](https://x.test)\n");
  ASSERT_TRUE(rendered.ok());
  EXPECT_THAT(rendered->text, HasSubstr("Reset the VPN"));
  EXPECT_THAT(rendered->text, HasSubstr("Open settings"));
  EXPECT_THAT(rendered->text, HasSubstr("renew"));
  EXPECT_THAT(rendered->text, Not(HasSubstr("*")));
  EXPECT_THAT(rendered->text, Not(HasSubstr("\n")));
}

TEST(CmarkRendererTest, XssVectorsAreNeutralised) {
  struct Case {
    std::string markdown;
    std::string forbidden;
  };
  const std::vector<Case> cases = {
      {"<script>alert(1)</script>", "<script"},
      {"inline <script>alert(1)</script> text", "<script"},
      {"<img src=x onerror=alert(1)>", "onerror"},
      // Not a valid image: shown as text, with no attribute made of it.
      {"![x](https://evil.test/a.png \"t\" onerror=alert(1))", "onerror=\""},
      {"![x](https://evil.test/a.png)", "<img"},
      {"![x](data:image/svg+xml;base64,PHN2Zz4=)", "svg"},
      {"![pic](javascript:alert(1))", "javascript:"},
      {"[click](javascript:alert(1))", "javascript:"},
      {"[click](JaVaScRiPt:alert(1))", "avascript"},
      {"[click](vbscript:msgbox(1))", "vbscript:"},
      {"[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "data:text"},
      {"<a href=\"javascript:alert(1)\">x</a>", "javascript:"},
      {"<iframe src=\"https://evil.test\"></iframe>", "<iframe"},
      {"<div onclick=\"alert(1)\">x</div>", "onclick"},
      {"[x](https://ok.test \"a\\\" onmouseover=\\\"alert(1)\")", "onmouseover=\""},
      {"<style>body{display:none}</style>", "<style"},
      {"<svg><script>alert(1)</script></svg>", "<svg"},
      {"`<script>`", "<script"},
  };
  for (const Case& c : cases) {
    const std::string html = Html(c.markdown);
    EXPECT_THAT(html, Not(HasSubstr(c.forbidden))) << c.markdown << "\n=> " << html;
  }
  // Text that looks like a tag is shown, escaped.
  EXPECT_THAT(Html("`<script>`"), HasSubstr("&lt;script&gt;"));
}

TEST(CmarkRendererTest, RefusesInvalidUtf8) {
  absl::StatusOr<ports::RenderedMarkdown> rendered =
      SharedMarkdownRenderer().Render(std::string("bad \xC3\x28 byte"));
  EXPECT_EQ(rendered.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rendered.status().message(), HasSubstr("body"));
}

}  // namespace
}  // namespace casedesk::adapters::markdown

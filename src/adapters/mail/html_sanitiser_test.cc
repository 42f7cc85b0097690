#include "adapters/mail/html_sanitiser.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace casedesk::adapters::mail {
namespace {

constexpr std::string_view kRel = " rel=\"noopener noreferrer nofollow\"";

std::string Link(std::string_view href, std::string_view text) {
  return "<a href=\"" + std::string(href) + "\"" + std::string(kRel) + ">" + std::string(text) +
         "</a>";
}

TEST(SanitiseHtmlTest, KeepsSafeMarkupAndDropsTheRest) {
  const struct {
    std::string_view name;
    std::string_view html;
    std::string expected;
  } kTable[] = {
      {"plain formatting kept", "<p>Hello <b>bold</b> <i>it</i> <u>u</u> <s>s</s></p>",
       "<p>Hello <b>bold</b> <i>it</i> <u>u</u> <s>s</s></p>"},
      {"full document unwrapped, head dropped",
       "<html><head><title>T</title><style>p{color:red}</style></head><body><p>x</p></body>"
       "</html>",
       "<p>x</p>"},
      {"script dropped with content", "<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"},
      {"style attribute and handlers dropped",
       "<div style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\" "
       "onmouseover=x>t</div>",
       "<div>t</div>"},
      {"http link kept with rel", "<a href=\"https://example.com/a?b=1&amp;c=2\">l</a>",
       Link("https://example.com/a?b=1&amp;c=2", "l")},
      {"mailto kept", "<a href=\"mailto:jan@x.example\">Jan</a>",
       Link("mailto:jan@x.example", "Jan")},
      {"target and other attributes dropped",
       "<a href=\"http://x.example\" target=\"_blank\" class=\"c\" id=\"i\">l</a>",
       Link("http://x.example", "l")},
      {"javascript url dropped", "<a href=\"javascript:alert(1)\">x</a>",
       "<a" + std::string(kRel) + ">x</a>"},
      {"upper case javascript", "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
       "<a" + std::string(kRel) + ">x</a>"},
      {"entity-encoded javascript", "<a href=\"&#106;avascript&#58;alert(1)\">x</a>",
       "<a" + std::string(kRel) + ">x</a>"},
      {"hex entities and tab inside scheme", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
       "<a" + std::string(kRel) + ">x</a>"},
      {"leading control characters", "<a href=\"\x01 javascript:alert(1)\">x</a>",
       "<a" + std::string(kRel) + ">x</a>"},
      {"newline inside scheme", "<a href=\"java\nscript:alert(1)\">x</a>",
       "<a" + std::string(kRel) + ">x</a>"},
      {"vbscript and data links dropped",
       "<a href=\"vbscript:msgbox\">x</a><a href=\"data:text/html;base64,PHNjcmlwdD4=\">y</a>",
       "<a" + std::string(kRel) + ">x</a><a" + std::string(kRel) + ">y</a>"},
      {"relative link dropped", "<a href=\"/admin\">x</a>", "<a" + std::string(kRel) + ">x</a>"},
      {"svg onload dropped entirely", "<p>a<svg onload=alert(1)><circle r=1></circle></svg>b</p>",
       "<p>ab</p>"},
      {"img onerror: remote image dropped", "<img src=x onerror=alert(1)>", ""},
      {"remote image (beacon) dropped", "<p><img src=\"https://t.example/p.gif\" alt=\"\"></p>",
       "<p></p>"},
      {"cid image kept", "<img src=\"cid:logo@x\" alt=\"Logo\" width=\"10\" onerror=\"x\">",
       "<img src=\"cid:logo@x\" alt=\"Logo\">"},
      {"data png kept", "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
       "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"},
      {"data svg dropped", "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\">", ""},
      {"iframe object embed form dropped",
       "<iframe src=\"https://e.example\">f</iframe><object data=x>o</object><embed src=x>"
       "<form action=\"https://e.example\"><p>Password:</p><input name=p></form>ok",
       "ok"},
      {"comments dropped", "a<!-- <script>alert(1)</script> -->b", "ab"},
      {"conditional comment dropped", "a<!--[if gte mso 9]><xml>o</xml><![endif]-->b", "ab"},
      {"cdata in html is a bogus comment up to the first >",
       "a<![CDATA[<script>alert(1)</script>]]>b", "aalert(1)]]&gt;b"},
      {"unclosed tags closed", "<p><b>bold<i>both", "<p><b>bold<i>both</i></b></p>"},
      {"unclosed script swallows the rest", "safe<script>alert(1)", "safe"},
      {"text escaped", "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;q&quot;</p>",
       "<p>1 &lt; 2 &amp;&amp; 3 &gt; 2 \"q\"</p>"},
      {"attribute breakout escaped", "<a title='\"><script>x</script>' href=\"http://x\">t</a>",
       "<a href=\"http://x\" title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\"" +
           std::string(kRel) + ">t</a>"},
      {"unknown elements unwrapped", "<font color=red><center>hi</center></font>", "hi"},
      {"nested tables keep structure and spans",
       "<table><tr><td colspan=\"2\" rowspan=x>a<table><tr><td>b</td></tr></table></td></tr>"
       "</table>",
       "<table><tbody><tr><td colspan=\"2\">a<table><tbody><tr><td>b</td></tr></tbody></table>"
       "</td></tr></tbody></table>"},
      {"headings lists quotes pre code",
       "<h1>T</h1><ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote>"
       "<pre><code>x &lt; y</code></pre><hr>",
       "<h1>T</h1><ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote>"
       "<pre><code>x &lt; y</code></pre><hr>"},
      {"math namespace dropped", "a<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>b",
       "ab"},
      {"meta refresh dropped", "<meta http-equiv=refresh content=\"0;url=javascript:x\">hi", "hi"},
      {"base href dropped", "<base href=\"javascript:/\"><a href=\"http://x\">t</a>",
       Link("http://x", "t")},
      {"utf-8 text kept", "<p>Grüße – 日本語</p>", "<p>Grüße – 日本語</p>"},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(SanitiseHtml(row.html), row.expected) << row.name;
  }
}

TEST(SanitiseHtmlTest, HostileNestingIsCutNotSlowOrFatal) {
  std::string html = "<p>start</p>";
  for (int i = 0; i < 200000; ++i) html += "<div>";
  html += "deep";
  std::string out = SanitiseHtml(html);  // seconds and a deep recursion without the bound
  EXPECT_EQ(out.substr(0, 17), "<p>start</p><div>");
  EXPECT_EQ(out.find("deep"), std::string::npos);
  EXPECT_EQ(HtmlToText(html), "start");
}

TEST(SanitiseHtmlTest, ModerateNestingAndManyUnclosedCellsAreKept) {
  std::string html;
  for (int i = 0; i < 100; ++i) html += "<div>";
  html += "deep";
  EXPECT_NE(SanitiseHtml(html).find("deep"), std::string::npos);
  std::string table = "<table>";
  for (int i = 0; i < 2000; ++i) table += "<tr><td>cell";
  table += "<td>last</table>";
  EXPECT_NE(SanitiseHtml(table).find("last"), std::string::npos);
}

TEST(HtmlToTextTest, RendersReadableText) {
  const struct {
    std::string_view name;
    std::string_view html;
    std::string_view expected;
  } kTable[] = {
      {"paragraphs", "<p>Hello</p><p>World</p>", "Hello\n\nWorld"},
      {"divs and br", "<div>one</div><div>two<br>three</div>", "one\ntwo\nthree"},
      {"double br is a blank line", "a<br><br>b", "a\n\nb"},
      {"gmail empty div", "<div>Hi</div><div><br></div><div>Bye</div>", "Hi\n\nBye"},
      {"whitespace collapses", "<p>  many \n\t spaces&nbsp;here </p>", "many spaces here"},
      {"entities decoded", "Tom &amp; Jerry &lt;3 &eacute;t&eacute; &#x2603;",
       "Tom & Jerry <3 été ☃"},
      {"lists", "<ul><li>one</li><li>two</li></ul>", "- one\n- two"},
      {"nested lists", "<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"},
      {"link with text", "See <a href=\"https://x.example/doc\">the docs</a>.",
       "See the docs <https://x.example/doc>."},
      {"link that is its own text", "<a href=\"https://x.example\">https://x.example</a>",
       "https://x.example"},
      {"mailto link with address text", "<a href=\"mailto:a@x.example\">a@x.example</a>",
       "a@x.example"},
      {"javascript link shows text only", "<a href=\"javascript:x()\">click</a>", "click"},
      {"script and style dropped",
       "<style>p{}</style><p>a</p><script>var x = '<p>';</script><p>b</p>", "a\n\nb"},
      {"head and title dropped", "<html><head><title>Title</title></head><body>x</body></html>",
       "x"},
      {"blockquote prefixed",
       "<div>Thanks</div><div class=\"gmail_quote\"><blockquote><div>old</div><div>text</div>"
       "</blockquote></div>",
       "Thanks\n\n> old\n> text"},
      {"preformatted kept", "<pre>a  b\n  c</pre>", "a  b\n  c"},
      {"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
       "a b\nc d"},
      {"headings", "<h1>Title</h1>Body", "Title\n\nBody"},
      {"comments dropped", "a<!-- hidden -->b", "ab"},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(HtmlToText(row.html), row.expected) << row.name;
  }
}

}  // namespace
}  // namespace casedesk::adapters::mail

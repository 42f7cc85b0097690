#include "adapters/http/route_matcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace casedesk::adapters::http {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

Router TestRouter() {
  Router router;
  const auto noop = [](const HttpRequest&, Respond) {};
  router.Add("GET", "/", noop);                                       // 0
  router.Add("GET", "/api/v1/cases", noop);                           // 1
  router.Add("POST", "/api/v1/cases", noop);                          // 2
  router.Add("GET", "/api/v1/cases/{number}", noop);                  // 3
  router.Add("PATCH", "/api/v1/cases/{number}", noop);                // 4
  router.Add("GET", "/api/v1/cases/search", noop);                    // 5
  router.Add("GET", "/api/v1/cases/{number}/comments", noop);         // 6
  router.Add("POST", "/api/v1/cases/{number}/comments", noop);        // 7
  router.Add("GET", "/api/v1/cases/{number}/attachments/{id}", noop); // 8
  router.Add("DELETE", "/api/v1/cases/search/saved", noop);           // 9
  router.Add("GET", "/api/v1/cases/{number}/saved", noop);            // 10
  return router;
}

RouteMatcher TestMatcher() {
  auto matcher = RouteMatcher::Create(TestRouter().routes());
  EXPECT_TRUE(matcher.ok()) << matcher.status();
  return *std::move(matcher);
}

struct MatchCase {
  std::string method;
  std::string path;
  RouteOutcome outcome;
  size_t route_index;          // when kMatched
  std::string allowed;         // when kMethodNotAllowed
};

TEST(RouteMatcherTest, MatchesTable) {
  const RouteMatcher matcher = TestMatcher();
  const std::vector<MatchCase> cases = {
      {"GET", "/", RouteOutcome::kMatched, 0, ""},
      {"GET", "/api/v1/cases", RouteOutcome::kMatched, 1, ""},
      {"POST", "/api/v1/cases", RouteOutcome::kMatched, 2, ""},
      {"GET", "/api/v1/cases/", RouteOutcome::kMatched, 1, ""},  // trailing slash tolerated
      {"GET", "/api/v1/cases/100001", RouteOutcome::kMatched, 3, ""},
      {"PATCH", "/api/v1/cases/100001/", RouteOutcome::kMatched, 4, ""},
      {"GET", "/api/v1/cases/search", RouteOutcome::kMatched, 5, ""},  // literal beats parameter
      {"GET", "/api/v1/cases/7/comments", RouteOutcome::kMatched, 6, ""},
      {"POST", "/api/v1/cases/7/comments", RouteOutcome::kMatched, 7, ""},
      {"GET", "/api/v1/cases/7/attachments/3", RouteOutcome::kMatched, 8, ""},
      // The literal branch "search" has no GET .../saved, so the parameter branch is used.
      {"GET", "/api/v1/cases/search/saved", RouteOutcome::kMatched, 10, ""},
      {"DELETE", "/api/v1/cases/search/saved", RouteOutcome::kMatched, 9, ""},
      // The literal branch has no PATCH, but the parameter branch does.
      {"PATCH", "/api/v1/cases/search", RouteOutcome::kMatched, 4, ""},
      {"GET", "/api/v1/nothing", RouteOutcome::kNotFound, 0, ""},
      {"GET", "/api/v1/cases/7/comments/extra", RouteOutcome::kNotFound, 0, ""},
      {"GET", "/api/v1//cases", RouteOutcome::kNotFound, 0, ""},      // empty segment
      {"GET", "/api/v1/cases//comments", RouteOutcome::kNotFound, 0, ""},  // empty parameter
      {"GET", "api/v1/cases", RouteOutcome::kNotFound, 0, ""},        // not origin-form
      {"GET", "", RouteOutcome::kNotFound, 0, ""},
      {"get", "/api/v1/cases", RouteOutcome::kMethodNotAllowed, 0, "GET, POST"},  // exact case
      {"DELETE", "/api/v1/cases", RouteOutcome::kMethodNotAllowed, 0, "GET, POST"},
      {"DELETE", "/api/v1/cases/7", RouteOutcome::kMethodNotAllowed, 0, "GET, PATCH"},
      // Union of the literal and the parameter branch: both match the path.
      {"POST", "/api/v1/cases/search", RouteOutcome::kMethodNotAllowed, 0, "GET, PATCH"},
      {"PUT", "/api/v1/cases/search/saved", RouteOutcome::kMethodNotAllowed, 0, "DELETE, GET"},
      {"GET", "/api/v1/cases/%zz", RouteOutcome::kBadRequest, 0, ""},
      {"GET", "/api/v1/cases/%4", RouteOutcome::kBadRequest, 0, ""},
  };
  for (const MatchCase& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    const RouteMatch match = matcher.Match(c.method, c.path);
    EXPECT_EQ(match.outcome, c.outcome);
    if (c.outcome == RouteOutcome::kMatched) {
      EXPECT_EQ(match.route_index, c.route_index);
    }
    if (c.outcome == RouteOutcome::kMethodNotAllowed) {
      EXPECT_EQ(match.allowed_methods, c.allowed);
    }
  }
}

TEST(RouteMatcherTest, ExtractsAndDecodesParameters) {
  const RouteMatcher matcher = TestMatcher();
  RouteMatch match = matcher.Match("GET", "/api/v1/cases/100001/attachments/a%20b%2Fc");
  ASSERT_EQ(match.outcome, RouteOutcome::kMatched);
  EXPECT_THAT(match.path_params, ElementsAre(Pair("number", "100001"), Pair("id", "a b/c")));

  // '+' is literal in a path; a percent-encoded literal segment still matches the literal.
  match = matcher.Match("GET", "/api/v1/cases/1+2");
  ASSERT_EQ(match.outcome, RouteOutcome::kMatched);
  EXPECT_THAT(match.path_params, ElementsAre(Pair("number", "1+2")));
  match = matcher.Match("GET", "/api/v1/cases/sear%63h");
  ASSERT_EQ(match.outcome, RouteOutcome::kMatched);
  EXPECT_EQ(match.route_index, 5u);
  EXPECT_TRUE(match.path_params.empty());
}

TEST(RouteMatcherTest, BacktrackingDropsParametersOfTheFailedBranch) {
  Router router;
  const auto noop = [](const HttpRequest&, Respond) {};
  router.Add("GET", "/a/{first}/x", noop);
  router.Add("GET", "/a/{second}/{third}", noop);
  router.Add("GET", "/a/{fourth}/x/y", noop);
  auto matcher = RouteMatcher::Create(router.routes());
  ASSERT_TRUE(matcher.ok()) << matcher.status();
  RouteMatch match = matcher->Match("GET", "/a/1/x");
  ASSERT_EQ(match.outcome, RouteOutcome::kMatched);
  EXPECT_EQ(match.route_index, 0u);
  EXPECT_THAT(match.path_params, ElementsAre(Pair("first", "1")));
  match = matcher->Match("GET", "/a/1/z");
  ASSERT_EQ(match.outcome, RouteOutcome::kMatched);
  EXPECT_EQ(match.route_index, 1u);
  EXPECT_THAT(match.path_params, ElementsAre(Pair("second", "1"), Pair("third", "z")));
  match = matcher->Match("GET", "/a/1/x/y");
  ASSERT_EQ(match.outcome, RouteOutcome::kMatched);
  EXPECT_THAT(match.path_params, ElementsAre(Pair("fourth", "1")));
}

TEST(RouteMatcherTest, RejectsBadRouteTables) {
  const auto noop = [](const HttpRequest&, Respond) {};
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"GET", "no-slash"}, {"GET", "/a//b"},       {"GET", "/a/{}"},   {"GET", "/a/x{id}"},
      {"GET", "/a/{id}/{id}"}, {"", "/a"},
  };
  for (const auto& [method, pattern] : bad) {
    Router router;
    router.Add(method, pattern, noop);
    EXPECT_FALSE(RouteMatcher::Create(router.routes()).ok()) << method << " " << pattern;
  }
  Router duplicate;
  duplicate.Add("GET", "/cases/{number}", noop);
  duplicate.Add("GET", "/cases/{id}/", noop);
  const auto status = RouteMatcher::Create(duplicate.routes()).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("duplicates"), std::string::npos);
}

TEST(PercentDecodeTest, DecodesStrictly) {
  EXPECT_EQ(PercentDecode("a%20b%2fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%E2%9C%93", false), "\xE2\x9C\x93");
  EXPECT_EQ(PercentDecode("100%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%g0", false), std::nullopt);
  EXPECT_EQ(PercentDecode("", false), "");
}

TEST(DecodeQueryTest, SplitsAndDecodes) {
  const auto query = DecodeQuery("a=1&b=x%20y&&c=d+e&flag&=v&a=2");
  ASSERT_TRUE(query.has_value());
  EXPECT_THAT(*query, ElementsAre(Pair("a", "1"), Pair("b", "x y"), Pair("c", "d e"),
                                  Pair("flag", ""), Pair("", "v"), Pair("a", "2")));
  EXPECT_THAT(*DecodeQuery("q=a%3Db%26c"), ElementsAre(Pair("q", "a=b&c")));
  EXPECT_TRUE(DecodeQuery("")->empty());
  EXPECT_EQ(DecodeQuery("a=%zz"), std::nullopt);
}

}  // namespace
}  // namespace casedesk::adapters::http

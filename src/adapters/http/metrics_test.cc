#include "adapters/http/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using std::chrono::microseconds;
using std::chrono::milliseconds;

// The value of the exposition line that starts with `series` (name and labels), or -1.
double ValueOf(const std::string& text, const std::string& series) {
  const std::string needle = "\n" + series + " ";
  const size_t at = ("\n" + text).find(needle);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 1));
}

TEST(MetricsTest, CountsByRouteMethodAndStatus) {
  Metrics metrics;
  Metrics::Series* get_case = metrics.SeriesFor("/api/v1/cases/{number}", "GET");
  EXPECT_EQ(metrics.SeriesFor("/api/v1/cases/{number}", "GET"), get_case);  // stable
  metrics.Record(get_case, 200, microseconds(300));
  metrics.Record(get_case, 200, microseconds(700));
  metrics.Record(get_case, 404, milliseconds(3));
  metrics.Record("/api/v1/cases", "POST", 201, milliseconds(20));
  metrics.Record(Metrics::kUnmatchedRoute, "GET", 404, microseconds(10));

  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("# HELP casedesk_http_requests_total "));
  EXPECT_THAT(text, HasSubstr("# TYPE casedesk_http_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE casedesk_http_request_duration_seconds histogram\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE casedesk_http_requests_in_flight gauge\n"));
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_total{route=\"/api/v1/cases/{number}\","
                          "method=\"GET\",status=\"200\"}"),
            2);
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_total{route=\"/api/v1/cases/{number}\","
                          "method=\"GET\",status=\"404\"}"),
            1);
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_total{route=\"/api/v1/cases\","
                          "method=\"POST\",status=\"201\"}"),
            1);
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_total{route=\"unmatched\","
                          "method=\"GET\",status=\"404\"}"),
            1);
  // Status codes never seen are not rendered.
  EXPECT_THAT(text, Not(HasSubstr("status=\"500\"")));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics metrics;
  Metrics::Series* series = metrics.SeriesFor("/r", "GET");
  metrics.Record(series, 200, microseconds(500));   // le 0.0005 (bounds are inclusive)
  metrics.Record(series, 200, microseconds(501));   // le 0.001
  metrics.Record(series, 200, milliseconds(7));     // le 0.01
  metrics.Record(series, 200, milliseconds(2000));  // le 2.5
  metrics.Record(series, 200, std::chrono::seconds(30));  // only +Inf
  const std::string text = metrics.RenderPrometheus();
  const std::string prefix = "casedesk_http_request_duration_seconds";
  const std::string labels = "route=\"/r\",method=\"GET\"";
  const std::vector<std::pair<std::string, double>> expected = {
      {"0.0005", 1}, {"0.001", 2}, {"0.0025", 2}, {"0.005", 2}, {"0.01", 3}, {"0.025", 3},
      {"0.05", 3},   {"0.1", 3},   {"0.25", 3},   {"0.5", 3},   {"1", 3},    {"2.5", 4},
      {"5", 4},      {"10", 4},    {"+Inf", 5}};
  for (const auto& [le, count] : expected) {
    EXPECT_EQ(ValueOf(text, prefix + "_bucket{" + labels + ",le=\"" + le + "\"}"), count) << le;
  }
  EXPECT_EQ(ValueOf(text, prefix + "_count{" + labels + "}"), 5);
  EXPECT_NEAR(ValueOf(text, prefix + "_sum{" + labels + "}"), 32.008001, 1e-9);
}

TEST(MetricsTest, InFlightGaugeAndOutOfRangeStatus) {
  Metrics metrics;
  metrics.RequestStarted();
  metrics.RequestStarted();
  metrics.RequestFinished();
  metrics.Record("/r", "GET", 42, microseconds(1));
  const std::string text = metrics.RenderPrometheus();
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_in_flight"), 1);
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_total{route=\"/r\",method=\"GET\",status=\"599\"}"),
            1);
}

TEST(MetricsTest, EscapesLabelValues) {
  Metrics metrics;
  metrics.Record("/a\"b\\c\nd", "GET", 200, microseconds(1));
  EXPECT_THAT(metrics.RenderPrometheus(),
              HasSubstr("casedesk_http_requests_total{route=\"/a\\\"b\\\\c\\nd\",method=\"GET\","
                        "status=\"200\"} 1\n"));
}

TEST(MetricsTest, AppendsSourcesWithTrailingNewline) {
  Metrics metrics;
  metrics.AddSource([] { return std::string("# TYPE casedesk_store_up gauge\ncasedesk_store_up 1"); });
  metrics.AddSource([] { return std::string(); });
  const std::string text = metrics.RenderPrometheus();
  EXPECT_THAT(text, HasSubstr("\n# TYPE casedesk_store_up gauge\ncasedesk_store_up 1\n"));
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsTest, CountsExactlyUnderConcurrency) {
  Metrics metrics;
  Metrics::Series* series = metrics.SeriesFor("/r", "GET");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) metrics.Record(series, 200, microseconds(100));
    });
  }
  // Rendering while recording must be safe.
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(metrics.RenderPrometheus().empty());
  for (auto& thread : threads) thread.join();
  const std::string text = metrics.RenderPrometheus();
  EXPECT_EQ(ValueOf(text, "casedesk_http_requests_total{route=\"/r\",method=\"GET\",status=\"200\"}"),
            kThreads * kPerThread);
  EXPECT_EQ(ValueOf(text, "casedesk_http_request_duration_seconds_count{route=\"/r\",method=\"GET\"}"),
            kThreads * kPerThread);
}

}  // namespace
}  // namespace casedesk::adapters::http

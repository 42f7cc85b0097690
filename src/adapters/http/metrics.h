// Metrics: HTTP request counters, latency histograms and the in-flight gauge, rendered in the
// Prometheus text exposition format (version 0.0.4) together with lines from other sources
// (e.g. the store's latencies).
//
// A series is one (route pattern, method) pair. Look it up once with SeriesFor() (takes a mutex;
// the pointer stays valid for the Metrics' lifetime) and then Record() into it on the hot path:
// relaxed atomic increments only, no lock. Requests that matched no route are recorded under
// route="unmatched", never under their raw path, so label cardinality stays bounded.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casedesk::adapters::http {

class Metrics {
 public:
  class Series;

  // Upper bounds of the latency histogram buckets, in seconds (+Inf is implicit).
  static constexpr double kLatencyBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,    0.25,  0.5,    1,     2.5,  5,    10};
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // The series for a route pattern and method, created on first use.
  Series* SeriesFor(std::string_view route, std::string_view method);

  // Counts one answered request. Status codes outside 100..599 are counted as 599.
  void Record(Series* series, int status, std::chrono::nanoseconds latency);
  // Convenience for cold paths: SeriesFor + Record.
  void Record(std::string_view route, std::string_view method, int status,
              std::chrono::nanoseconds latency);

  // The in-flight gauge: requests received and not yet answered.
  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  void RequestFinished() { in_flight_.fetch_sub(1, std::memory_order_relaxed); }

  // Adds a producer of extra exposition lines (with their own HELP/TYPE), called on every
  // render. It must be thread-safe and must not call back into this Metrics.
  void AddSource(std::function<std::string()> source);

  std::string RenderPrometheus() const;

 private:
  mutable std::mutex mutex_;  // guards the map and sources_, never the counters
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Series>> series_;
  std::vector<std::function<std::string()>> sources_;
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace casedesk::adapters::http

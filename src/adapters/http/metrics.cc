#include "adapters/http/metrics.h"

#include <algorithm>
#include <array>
#include <iterator>

#include <fmt/format.h>

namespace casedesk::adapters::http {

namespace {

constexpr int kMinStatus = 100;
constexpr int kMaxStatus = 599;
constexpr size_t kBucketCount = std::size(Metrics::kLatencyBuckets);

// Bucket upper bounds in nanoseconds, so Record() compares integers.
constexpr std::array<int64_t, kBucketCount> BucketBoundsNanoseconds() {
  std::array<int64_t, kBucketCount> bounds{};
  for (size_t i = 0; i < kBucketCount; ++i) {
    bounds[i] = static_cast<int64_t>(Metrics::kLatencyBuckets[i] * 1e9 + 0.5);
  }
  return bounds;
}
constexpr std::array<int64_t, kBucketCount> kBucketBounds = BucketBoundsNanoseconds();

// Label values escaped per the exposition format: backslash, double quote and newline.
std::string EscapeLabel(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

}  // namespace

class Metrics::Series {
 public:
  // Per-status counters (index status - 100) and non-cumulative bucket counts; the last bucket
  // is +Inf. Relaxed atomics: a render may see a request in one counter and not yet in another,
  // which Prometheus tolerates.
  std::array<std::atomic<uint64_t>, kMaxStatus - kMinStatus + 1> status_counts{};
  std::array<std::atomic<uint64_t>, kBucketCount + 1> bucket_counts{};
  std::atomic<uint64_t> latency_sum_nanoseconds{0};
  std::atomic<uint64_t> count{0};
};

Metrics::Metrics() = default;
Metrics::~Metrics() = default;

Metrics::Series* Metrics::SeriesFor(std::string_view route, std::string_view method) {
  std::lock_guard lock(mutex_);
  auto& slot = series_[{std::string(route), std::string(method)}];
  if (!slot) slot = std::make_unique<Series>();
  return slot.get();
}

void Metrics::Record(Series* series, int status, std::chrono::nanoseconds latency) {
  if (status < kMinStatus || status > kMaxStatus) status = kMaxStatus;
  series->status_counts[status - kMinStatus].fetch_add(1, std::memory_order_relaxed);
  const int64_t nanoseconds = std::max<int64_t>(0, latency.count());
  size_t bucket = 0;
  while (bucket < kBucketCount && nanoseconds > kBucketBounds[bucket]) ++bucket;
  series->bucket_counts[bucket].fetch_add(1, std::memory_order_relaxed);
  series->latency_sum_nanoseconds.fetch_add(static_cast<uint64_t>(nanoseconds),
                                            std::memory_order_relaxed);
  series->count.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::Record(std::string_view route, std::string_view method, int status,
                     std::chrono::nanoseconds latency) {
  Record(SeriesFor(route, method), status, latency);
}

void Metrics::AddSource(std::function<std::string()> source) {
  std::lock_guard lock(mutex_);
  sources_.push_back(std::move(source));
}

std::string Metrics::RenderPrometheus() const {
  std::string counters =
      "# HELP casedesk_http_requests_total HTTP requests answered, by route pattern, method and "
      "status code.\n"
      "# TYPE casedesk_http_requests_total counter\n";
  std::string histograms =
      "# HELP casedesk_http_request_duration_seconds Time from a fully received request to its "
      "response, by route pattern and method.\n"
      "# TYPE casedesk_http_request_duration_seconds histogram\n";
  std::vector<std::function<std::string()>> sources;
  {
    std::lock_guard lock(mutex_);
    sources = sources_;
    for (const auto& [key, series] : series_) {
      const std::string labels =
          fmt::format("route=\"{}\",method=\"{}\"", EscapeLabel(key.first), EscapeLabel(key.second));
      for (size_t i = 0; i < series->status_counts.size(); ++i) {
        const uint64_t value = series->status_counts[i].load(std::memory_order_relaxed);
        if (value == 0) continue;
        fmt::format_to(std::back_inserter(counters),
                       "casedesk_http_requests_total{{{},status=\"{}\"}} {}\n", labels,
                       i + kMinStatus, value);
      }
      uint64_t cumulative = 0;
      for (size_t i = 0; i < kBucketCount; ++i) {
        cumulative += series->bucket_counts[i].load(std::memory_order_relaxed);
        fmt::format_to(std::back_inserter(histograms),
                       "casedesk_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n",
                       labels, kLatencyBuckets[i], cumulative);
      }
      cumulative += series->bucket_counts[kBucketCount].load(std::memory_order_relaxed);
      // _count equals the +Inf bucket, as the format requires, even while requests are recorded.
      fmt::format_to(std::back_inserter(histograms),
                     "casedesk_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n"
                     "casedesk_http_request_duration_seconds_sum{{{}}} {}\n"
                     "casedesk_http_request_duration_seconds_count{{{}}} {}\n",
                     labels, cumulative, labels,
                     static_cast<double>(
                         series->latency_sum_nanoseconds.load(std::memory_order_relaxed)) /
                         1e9,
                     labels, cumulative);
    }
  }
  std::string text = std::move(counters);
  text += histograms;
  fmt::format_to(std::back_inserter(text),
                 "# HELP casedesk_http_requests_in_flight HTTP requests received and not yet "
                 "answered.\n"
                 "# TYPE casedesk_http_requests_in_flight gauge\n"
                 "casedesk_http_requests_in_flight {}\n",
                 in_flight_.load(std::memory_order_relaxed));
  for (const auto& source : sources) {
    std::string extra = source();
    if (extra.empty()) continue;
    text += extra;
    if (text.back() != '\n') text += '\n';
  }
  return text;
}

}  // namespace casedesk::adapters::http

// Latency and batching figures of a store (SQLite or PostgreSQL, under the same names), rendered
// as Prometheus text: commit time and batch size histograms, counters of batches, units and
// failures, read time, and (SQLite) background checkpoints.
// Thread-safety: thread-safe; observations are lock-free atomic increments.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace casedesk::adapters {

// A Prometheus histogram with fixed bucket bounds.
class Histogram {
 public:
  static constexpr size_t kMaxBuckets = 16;

  explicit Histogram(std::span<const double> bounds);
  void Observe(double value);
  // Appends the _bucket, _sum and _count lines of metric `name`.
  void AppendText(std::string_view name, std::string_view help, std::string& out) const;

 private:
  std::span<const double> bounds_;
  std::array<std::atomic<uint64_t>, kMaxBuckets + 1> counts_{};
  std::atomic<uint64_t> count_{0};
  // Sum in nanounits (seconds * 1e9, or batch sizes * 1e9) to stay integral and atomic.
  std::atomic<uint64_t> sum_nanos_{0};
};

class StoreMetrics {
 public:
  StoreMetrics();

  void RecordBatch(size_t units, size_t failed_units, double commit_seconds, bool committed);
  void RecordRead(double seconds);
  void RecordCheckpoint();
  std::string Text() const;

 private:
  Histogram commit_seconds_;
  Histogram batch_size_;
  Histogram read_seconds_;
  std::atomic<uint64_t> batches_{0};
  std::atomic<uint64_t> units_{0};
  std::atomic<uint64_t> failed_units_{0};
  std::atomic<uint64_t> failed_commits_{0};
  std::atomic<uint64_t> checkpoints_{0};
};

}  // namespace casedesk::adapters

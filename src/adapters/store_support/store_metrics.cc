#include "adapters/store_support/store_metrics.h"

#include <cmath>

#include "absl/strings/str_format.h"

namespace casedesk::adapters {
namespace {

constexpr double kLatencyBounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
constexpr double kBatchSizeBounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};

std::string FormatNumber(double value) { return absl::StrFormat("%g", value); }

void AppendCounter(std::string_view name, std::string_view help, uint64_t value,
                   std::string& out) {
  out += absl::StrFormat("# HELP %s %s\n# TYPE %s counter\n%s %d\n",
                         absl::string_view(name.data(), name.size()),
                         absl::string_view(help.data(), help.size()),
                         absl::string_view(name.data(), name.size()),
                         absl::string_view(name.data(), name.size()), value);
}

}  // namespace

Histogram::Histogram(std::span<const double> bounds) : bounds_(bounds) {}

void Histogram::Observe(double value) {
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<uint64_t>(std::llround(value * 1e9)),
                       std::memory_order_relaxed);
}

void Histogram::AppendText(std::string_view name, std::string_view help,
                           std::string& out) const {
  const std::string metric(name);
  out += "# HELP " + metric + " " + std::string(help) + "\n# TYPE " + metric + " histogram\n";
  uint64_t cumulative = 0;
  for (size_t bucket = 0; bucket < bounds_.size(); ++bucket) {
    cumulative += counts_[bucket].load(std::memory_order_relaxed);
    out += metric + "_bucket{le=\"" + FormatNumber(bounds_[bucket]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += counts_[bounds_.size()].load(std::memory_order_relaxed);
  out += metric + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += metric + "_sum " +
         FormatNumber(static_cast<double>(sum_nanos_.load(std::memory_order_relaxed)) / 1e9) +
         "\n";
  out += metric + "_count " + std::to_string(count_.load(std::memory_order_relaxed)) + "\n";
}

StoreMetrics::StoreMetrics()
    : commit_seconds_(kLatencyBounds),
      batch_size_(kBatchSizeBounds),
      read_seconds_(kLatencyBounds) {}

void StoreMetrics::RecordBatch(size_t units, size_t failed_units, double commit_seconds,
                               bool committed) {
  batches_.fetch_add(1, std::memory_order_relaxed);
  units_.fetch_add(units, std::memory_order_relaxed);
  failed_units_.fetch_add(failed_units, std::memory_order_relaxed);
  if (!committed) failed_commits_.fetch_add(1, std::memory_order_relaxed);
  commit_seconds_.Observe(commit_seconds);
  batch_size_.Observe(static_cast<double>(units));
}

void StoreMetrics::RecordRead(double seconds) { read_seconds_.Observe(seconds); }

void StoreMetrics::RecordCheckpoint() { checkpoints_.fetch_add(1, std::memory_order_relaxed); }

std::string StoreMetrics::Text() const {
  std::string out;
  commit_seconds_.AppendText("casedesk_store_commit_seconds",
                             "Time from BEGIN to durable COMMIT of one write batch.", out);
  batch_size_.AppendText("casedesk_store_batch_size", "Units of work per committed batch.", out);
  read_seconds_.AppendText("casedesk_store_read_seconds", "Time of one read unit of work.", out);
  AppendCounter("casedesk_store_batches_total", "Write batches run.",
                batches_.load(std::memory_order_relaxed), out);
  AppendCounter("casedesk_store_units_total", "Write units of work run.",
                units_.load(std::memory_order_relaxed), out);
  AppendCounter("casedesk_store_failed_units_total",
                "Write units of work that returned an error or failed to commit.",
                failed_units_.load(std::memory_order_relaxed), out);
  AppendCounter("casedesk_store_failed_commits_total", "Write batches whose commit failed.",
                failed_commits_.load(std::memory_order_relaxed), out);
  AppendCounter("casedesk_store_checkpoints_total",
                "WAL checkpoints run by the background checkpoint thread.",
                checkpoints_.load(std::memory_order_relaxed), out);
  return out;
}

}  // namespace casedesk::adapters

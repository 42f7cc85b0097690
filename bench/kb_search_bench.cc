// Knowledge-base search benchmarks (Google Benchmark) against SqliteStore in a scratch
// directory holding CASEDESK_BENCH_KB_ARTICLES articles (default 100,000; loaded once, about a
// minute). Articles are synthetic English-like text: a 20,000-word vocabulary drawn with a Zipf
// distribution (s = 1), titles of 4-9 words, bodies of 80-220 words; 60 % public, 30 %
// customers-only, 10 % internal; 90 % published. Every query runs through the store port
// (SearchKbArticles: FTS5 MATCH joined to kb_articles with the reader's visibilities, bm25
// order, top 10 with snippets) on a read snapshot, as the API does. Each benchmark times every
// query and reports p50 and p99 in milliseconds:
//  - BM_KbSearch/typical: 1-3 words drawn from the vocabulary's ranks 50..5,000 (content words),
//    as a signed-in customer (public + customers).
// Counters: p50_ms/p99_ms (wall clock) and cpu_p50_ms/cpu_p99_ms (the thread's CPU time).
//  - BM_KbSearch/common: one of the 20 most frequent words (each in most articles): the worst
//    case, every match ranked.
//  - BM_KbSuggest: a title prefix as typed (2-3 words, the last cut to 3-5 letters).
// Run: cmake --build BUILD --target kb_search_bench && BUILD/kb_search_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "adapters/sqlite/sqlite_store.h"

namespace casedesk {
namespace {

constexpr int kVocabulary = 20000;
constexpr int kBatch = 1000;

// "w" + a pronounceable base-20 spelling of the rank, so words are distinct and tokenise as one.
std::string Word(int rank) {
  static const char* const kSyllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti",
                                           "vo", "be", "da", "fu", "gi", "ho", "ja",
                                           "ke", "lu", "po", "ri", "se", "to"};
  std::string word;
  int value = rank + 20;
  while (value > 0) {
    word += kSyllables[value % 20];
    value /= 20;
  }
  return word;
}

// Zipf(s = 1) over ranks 0..n-1 by inverse CDF on a precomputed table.
class Zipf {
 public:
  explicit Zipf(int n) : cumulative_(n) {
    double sum = 0;
    for (int i = 0; i < n; ++i) cumulative_[i] = (sum += 1.0 / (i + 1));
    for (double& value : cumulative_) value /= sum;
  }
  int operator()(std::mt19937_64& random) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(random);
    return static_cast<int>(std::lower_bound(cumulative_.begin(), cumulative_.end(), u) -
                            cumulative_.begin());
  }

 private:
  std::vector<double> cumulative_;
};

std::string Words(int count, const Zipf& zipf, std::mt19937_64& random) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    if (i > 0) text += ' ';
    text += Word(zipf(random));
  }
  return text;
}

class KbDesk {
 public:
  static KbDesk& Get() {
    static KbDesk* desk = new KbDesk();
    return *desk;
  }
  ports::Store& store() { return *store_; }

 private:
  KbDesk() {
    const char* configured = std::getenv("CASEDESK_BENCH_KB_ARTICLES");
    const int articles = configured ? std::atoi(configured) : 100000;
    directory_ = std::filesystem::temp_directory_path() / "casedesk-kb-bench";
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    auto store = adapters::sqlite::SqliteStore::Open((directory_ / "casedesk.db").string());
    if (!store.ok()) std::abort();
    store_ = std::move(*store);
    core::UserId author = 0;
    if (!store_
             ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
               core::Organisation provider;
               provider.name = "Provider";
               provider.kind = core::OrgKind::kProvider;
               auto org = tx.InsertOrganisation(provider);
               if (!org.ok()) return org.status();
               core::User user;
               user.email = "writer@provider.example";
               user.name = "Writer";
               user.role = core::Role::kAgent;
               user.org_id = *org;
               auto id = tx.InsertUser(user);
               if (!id.ok()) return id.status();
               author = *id;
               return absl::OkStatus();
             })
             .ok()) {
      std::abort();
    }
    const Zipf zipf(kVocabulary);
    std::mt19937_64 random(42);
    const auto started = std::chrono::steady_clock::now();
    for (int first = 0; first < articles; first += kBatch) {
      std::vector<std::pair<core::KbArticle, core::KbVersion>> batch;
      for (int i = first; i < std::min(articles, first + kBatch); ++i) {
        core::KbArticle article;
        article.title = Words(4 + static_cast<int>(random() % 6), zipf, random);
        const std::string body = Words(80 + static_cast<int>(random() % 141), zipf, random);
        const int visibility = static_cast<int>(random() % 10);
        article.visibility = visibility < 6   ? core::KbVisibility::kPublic
                             : visibility < 9 ? core::KbVisibility::kCustomers
                                              : core::KbVisibility::kInternal;
        article.latest_version = 1;
        article.created_by = author;
        article.created_at = absl::Now();
        article.updated_at = article.created_at;
        if (random() % 10 != 0) {
          article.status = core::KbStatus::kPublished;
          article.published_version = 1;
          article.published_title = article.title;
          article.published_text = body;
          article.published_at = article.created_at;
        }
        core::KbVersion version;
        version.number = 1;
        version.title = article.title;
        version.body = body;
        version.body_html = "<p>" + body + "</p>\n";
        version.body_text = body;
        version.author_id = author;
        version.created_at = article.created_at;
        batch.emplace_back(std::move(article), std::move(version));
      }
      const absl::Status written = store_->WriteAndWait([&](ports::StoreTransaction& tx) {
        for (auto& [article, version] : batch) {
          auto id = tx.InsertKbArticle(article);
          if (!id.ok()) return id.status();
          version.article_id = *id;
          if (auto status = tx.InsertKbVersion(version); !status.ok()) return status;
        }
        return absl::OkStatus();
      });
      if (!written.ok()) std::abort();
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "loaded %d articles in %.1f s\n", articles, seconds);
  }

  std::filesystem::path directory_;
  std::unique_ptr<ports::Store> store_;
};

double Quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(q * values.size()))];
}

double ThreadCpuMillis() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

enum class QueryKind { kTypical, kCommon, kSuggest };

std::string MakeQuery(QueryKind kind, std::mt19937_64& random) {
  switch (kind) {
    case QueryKind::kTypical: {
      const int words = 1 + static_cast<int>(random() % 3);
      std::string query;
      for (int i = 0; i < words; ++i) {
        query += (i ? " " : "") + Word(50 + static_cast<int>(random() % 4950));
      }
      return query;
    }
    case QueryKind::kCommon:
      return Word(static_cast<int>(random() % 20));
    case QueryKind::kSuggest: {
      const int words = 2 + static_cast<int>(random() % 2);
      std::string query;
      for (int i = 0; i < words; ++i) {
        std::string word = Word(static_cast<int>(random() % 2000));
        if (i + 1 == words) word = word.substr(0, std::min<size_t>(word.size(), 3 + random() % 3));
        query += (i ? " " : "") + word;
      }
      return query;
    }
  }
  return "";
}

void BM_KbSearch(benchmark::State& state, QueryKind kind) {
  ports::Store& store = KbDesk::Get().store();
  std::mt19937_64 random(7);
  std::vector<double> millis;
  std::vector<double> cpu_millis;
  int64_t hits = 0;
  for (auto _ : state) {
    ports::KbSearchQuery query;
    query.text = MakeQuery(kind, random);
    query.visibilities = {core::KbVisibility::kPublic, core::KbVisibility::kCustomers};
    query.titles_only = kind == QueryKind::kSuggest;
    query.limit = kind == QueryKind::kSuggest ? 5 : 10;
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = ThreadCpuMillis();
    const absl::Status status = store.Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto found = tx.SearchKbArticles(query);
      if (!found.ok()) return found.status();
      hits += static_cast<int64_t>(found->size());
      return absl::OkStatus();
    });
    millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    cpu_millis.push_back(ThreadCpuMillis() - cpu_started);
    if (!status.ok()) state.SkipWithError(std::string(status.message()).c_str());
  }
  state.counters["p50_ms"] = Quantile(millis, 0.5);
  state.counters["p99_ms"] = Quantile(millis, 0.99);
  // On a shared machine the wall clock includes waiting for a core; the thread's CPU time is
  // the query's own cost.
  state.counters["cpu_p50_ms"] = Quantile(cpu_millis, 0.5);
  state.counters["cpu_p99_ms"] = Quantile(cpu_millis, 0.99);
  state.counters["hits_per_query"] = static_cast<double>(hits) / millis.size();
}

BENCHMARK_CAPTURE(BM_KbSearch, typical, QueryKind::kTypical)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2000);
BENCHMARK_CAPTURE(BM_KbSearch, common, QueryKind::kCommon)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(200);
BENCHMARK_CAPTURE(BM_KbSearch, suggest, QueryKind::kSuggest)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2000);

}  // namespace
}  // namespace casedesk

BENCHMARK_MAIN();

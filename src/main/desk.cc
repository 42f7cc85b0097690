#include "main/desk.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>

#include "adapters/http/http_server.h"
#include "adapters/postgres/postgres_store.h"
#include "adapters/sqlite/sqlite_store.h"

namespace casedesk {

namespace fs = std::filesystem;

int Fail(std::string_view message) {
  std::cerr << "casedesk: " << message << "\n";
  return 1;
}

int Fail(const absl::Status& status) { return Fail(std::string(status.message())); }

bool IsPostgresUrl(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string SqlitePath(std::string_view url, const std::string& data_dir) {
  constexpr std::string_view kPrefix = "sqlite:";
  if (url.rfind(kPrefix, 0) != 0) return (fs::path(data_dir) / kDatabaseFile).string();
  url.remove_prefix(kPrefix.size());
  if (url.rfind("//", 0) == 0) url.remove_prefix(2);
  return std::string(url);
}

size_t ServerThreads(const adapters::system::Config& config) {
  if (config.server.threads > 0) return static_cast<size_t>(config.server.threads);
  const size_t per_core = adapters::http::HttpServerOptions::DefaultThreads();
  return IsPostgresUrl(config.store.url) ? 2 * per_core : per_core;
}

namespace {

// SQLite in the data directory unless store.url (CASEDESK_STORE_URL) names PostgreSQL.
absl::StatusOr<std::unique_ptr<ports::Store>> OpenStore(const adapters::system::Config& config,
                                                        const std::string& sqlite_path,
                                                        DeskUse use) {
  if (IsPostgresUrl(config.store.url)) {
    adapters::postgres::PostgresStoreOptions options;
    // Every server thread reads, and so do the timers, the outbox and the mail pollers: keep
    // a connection for each, or busy reads would open and close connections all the time.
    options.max_idle_readers = std::max(options.max_idle_readers, ServerThreads(config) + 4);
    // One writer more than there are cores: while a writer's node thread runs its units, or
    // its commit waits for the disk, another writer's batch keeps the server busy
    // (docs/PERFORMANCE.md, session 17).
    options.writer_connections = config.store.pg_writers > 0
                                     ? static_cast<size_t>(config.store.pg_writers)
                                     : std::max<size_t>(3, std::thread::hardware_concurrency() + 1);
    options.max_batch_units = static_cast<size_t>(config.store.pg_batch_units);
    options.case_cache_bytes =
        use == DeskUse::kServer ? static_cast<size_t>(config.store.pg_case_cache_mib) << 20 : 0;
    auto store = adapters::postgres::PostgresStore::Open(config.store.url, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<ports::Store>(*std::move(store));
  }
  adapters::sqlite::SqliteStoreOptions options;
  options.mmap_bytes = int64_t{config.store.sqlite_mmap_mib} * 1024 * 1024;
  options.ask_for_write_turns = use == DeskUse::kCommand;
  auto store = adapters::sqlite::SqliteStore::Open(sqlite_path, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<ports::Store>(*std::move(store));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Desk>> OpenDesk(const std::string& data_dir,
                                               const std::optional<std::string>& config_file,
                                               CreateMissing create, DeskUse use) {
  auto desk = std::make_unique<Desk>();
  auto config =
      adapters::system::LoadConfig(config_file, adapters::system::EnvironmentFromProcess());
  if (!config.ok()) return config.status();
  desk->config = *std::move(config);

  const fs::path data(data_dir);
  const std::string& url = desk->config.store.url;
  const bool postgres = IsPostgresUrl(url);
  const fs::path database = SqlitePath(url, data_dir);
  std::error_code error;
  if (create == CreateMissing::kYes) {
    fs::create_directories(data, error);
    if (error) return absl::UnavailableError("cannot create " + data_dir + ": " + error.message());
    ::chmod(data.c_str(), 0700);
  } else if (postgres ? !fs::exists(data) : !fs::exists(database)) {
    return absl::NotFoundError("no desk in " + data_dir + " (run `casedesk init` first)");
  }

  auto key =
      adapters::crypto::LoadOrCreateKeyFile(adapters::system::KeyFilePath(desk->config, data_dir));
  if (!key.ok()) return key.status();
  auto crypto = adapters::crypto::SodiumCrypto::Create(*std::move(key));
  if (!crypto.ok()) return crypto.status();
  desk->crypto = *std::move(crypto);

  auto store = OpenStore(desk->config, database.string(), use);
  if (!store.ok()) return store.status();
  desk->store = *std::move(store);

  if (const fs::path files = data / "attachments"; fs::is_directory(files)) {
    auto legacy = adapters::crypto::FileBlobStore::Create(files.string());
    if (!legacy.ok()) return legacy.status();
    desk->legacy_blobs = *std::move(legacy);
  }
  desk->blobs =
      std::make_unique<adapters::crypto::StoreBlobStore>(*desk->store, desk->legacy_blobs.get());

  app::Limits limits;
  limits.max_attachment_bytes = desk->config.limits.max_attachment_bytes;
  limits.max_json_body_bytes = desk->config.limits.max_json_body_bytes;
  desk->context = std::make_unique<app::AppContext>(
      app::AppContext{*desk->store, desk->clock, *desk->crypto, *desk->blobs, limits});
  // smtp.from may be "Name <address>"; the context wants the address.
  std::string from = desk->config.smtp.from;
  if (size_t open = from.rfind('<'), close = from.rfind('>');
      open != std::string::npos && close != std::string::npos && open < close) {
    from = from.substr(open + 1, close - open - 1);
  }
  desk->context->mail_from = from;
  return desk;
}

}  // namespace casedesk

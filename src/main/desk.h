// Opening a desk for a command: configuration, key, store, blob store, clock and the AppContext
// every use case takes, wired once from the data directory. Used by every `casedesk` command.
// Thread-safe after construction: the members are thread-safe ports.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/crypto/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/crypto/store_blob_store.h"
#include "adapters/system/config.h"
#include "adapters/system/real_clock.h"
#include "app/app_context.h"
#include "ports/store.h"

namespace casedesk {

inline constexpr char kDatabaseFile[] = "casedesk.db";

struct Desk {
  adapters::system::Config config;
  std::unique_ptr<ports::Store> store;
  std::unique_ptr<adapters::crypto::SodiumCrypto> crypto;
  // Attachments written as files by versions before the store kept them; null when the data
  // directory has none.
  std::unique_ptr<adapters::crypto::FileBlobStore> legacy_blobs;
  std::unique_ptr<adapters::crypto::StoreBlobStore> blobs;
  adapters::system::RealClock clock;
  std::unique_ptr<app::AppContext> context;
};

enum class CreateMissing { kNo, kYes };
// How the process uses the store. A server keeps a PostgreSQL store's node caches, and the
// thread that listens for other nodes' commits to keep them right; a one-shot command (one
// `mail ingest` per message from an MTA, say) reads too little to gain from them and would pay
// a connection and the listener's shutdown on every run. On SQLite a command asks the server
// for its turn at the write lock (SqliteStoreOptions::ask_for_write_turns).
enum class DeskUse { kCommand, kServer };

// Prints "casedesk: MESSAGE" on stderr and returns exit status 1.
int Fail(std::string_view message);
int Fail(const absl::Status& status);

bool IsPostgresUrl(std::string_view url);

// The HTTP server's threads: server.threads, or by default one per core (at least 2) on SQLite,
// whose reads never wait, and two per core on PostgreSQL, where a handler's read waits on
// round trips to the server (bench/node_reads.py: 2 -> 4 threads on 2 cores, +35 % reads/s).
size_t ServerThreads(const adapters::system::Config& config);

// The SQLite file: DATA/casedesk.db, or the path of a "sqlite:PATH" store.url.
std::string SqlitePath(std::string_view url, const std::string& data_dir);

// Loads the configuration (file, then CASEDESK_* environment), the key, the store (SQLite in
// the data directory unless store.url names PostgreSQL) and the attachments directory.
// NotFound when there is no desk in `data_dir` and `create` is kNo.
absl::StatusOr<std::unique_ptr<Desk>> OpenDesk(const std::string& data_dir,
                                               const std::optional<std::string>& config_file,
                                               CreateMissing create,
                                               DeskUse use = DeskUse::kCommand);

}  // namespace casedesk

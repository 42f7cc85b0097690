// The desk's configuration: built-in defaults, then an optional TOML file, then environment
// variables CASEDESK_SECTION_KEY (e.g. CASEDESK_SMTP_URL), each later source overriding the
// earlier. The defaults run a desk with no file at all. Unknown sections and keys, and values
// of the wrong type, are errors that name the key. Thread-safe: Config is a value; the functions
// keep no state (EnvironmentFromProcess reads environ, which nothing may change meanwhile).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"

namespace casedesk::adapters::system {

struct ServerConfig {
  std::string listen = "127.0.0.1:8080";  // HOST:PORT or [IPV6]:PORT; port 0 picks a free one
  int threads = 0;                        // request threads; 0 = one per core
  int drain_timeout_seconds = 10;         // how long SIGTERM waits for in-flight requests
  // The desk's public base URL for links in mail and on the status page, e.g.
  // "https://support.example.com"; empty: http:// and the listen address.
  std::string public_url;
};

struct StoreConfig {
  // Empty: the embedded SQLite store in the data directory. Otherwise "sqlite:PATH" or a
  // "postgres://" / "postgresql://" URL. May hold a password: never logged as is.
  std::string url;
  // SQLite only: MiB of the database file each connection memory-maps (0: none). Mapped pages
  // count towards the process's resident memory; the default is SqliteStoreOptions'.
  int sqlite_mmap_mib = 64;
  // PostgreSQL only: writer connections (0: one per core, at least 2) and units of work per
  // commit. A few connections committing batches beat many committing one unit each
  // (bench/node_reads.py on 2 cores: 2 x 32 made 2.1-2.4 times the creations of 32 x 1).
  int pg_writers = 0;
  int pg_batch_units = 32;
  // Memory for the cases each node keeps from its reads on PostgreSQL (0: none, and no
  // organisations or groups kept either). A case changed on another node may be read as it
  // was until that node's NOTIFY arrives.
  int pg_case_cache_mib = 64;
};

struct LimitsConfig {
  int64_t max_attachment_bytes = 25 * 1024 * 1024;
  int64_t max_json_body_bytes = 1024 * 1024;
};

struct SmtpConfig {
  std::string url;  // smtp://HOST:PORT or smtps://HOST:PORT; empty = no outgoing mail
  std::string username;
  std::string password;  // secret: never logged
  std::string from;
  // STARTTLS on smtp:// URLs: "try" (use it when offered), "require" or "off". smtps:// is TLS
  // from the first byte.
  std::string starttls = "try";
  // A message the relay did not take is retried after this, doubling up to an hour, for 48 h.
  int first_retry_seconds = 60;
};

// Inbound mail besides `casedesk mail ingest` (the MTA pipe): an LMTP listener and one IMAP
// mailbox polled by each node.
struct MailConfig {
  std::string lmtp_listen;  // HOST:PORT; empty = no LMTP listener
  std::string imap_url;     // imap://HOST:PORT/MAILBOX or imaps://...; empty = no polling
  std::string imap_username;
  std::string imap_password;  // secret: never logged
  // What happens to a message once it is stored: "seen" (flag it), "delete", or
  // "move:FOLDER".
  std::string imap_after = "seen";
  int imap_interval_seconds = 30;
  int64_t max_message_bytes = 40 * 1024 * 1024;
};

struct SecretsConfig {
  // The 32-byte key that seals secret case fields. Empty: DATA_DIR/secret.key (KeyFilePath).
  std::string key_file;
};

struct LogConfig {
  std::string level = "info";  // trace, debug, info, warn, error, critical or off
};

struct Config {
  ServerConfig server;
  StoreConfig store;
  LimitsConfig limits;
  SmtpConfig smtp;
  MailConfig mail;
  SecretsConfig secrets;
  LogConfig log;
};

// Defaults, overridden by the TOML file at `toml_path` (when given; a missing file is NotFound),
// overridden by the CASEDESK_SECTION_KEY entries of `environment`. Other CASEDESK_ variables
// (CASEDESK_ADMIN_PASSWORD, ...) are not settings and are ignored. The result is validated:
// errors are InvalidArgument naming the file and line or the variable.
absl::StatusOr<Config> LoadConfig(std::optional<std::string> toml_path,
                                  const std::map<std::string, std::string>& environment);

// The process environment's CASEDESK_* variables.
std::map<std::string, std::string> EnvironmentFromProcess();

// One line "server.listen=... store.url=... smtp.password=(set) ..." for the start-up log.
// Passwords are "(set)" or "(not set)"; a password inside a URL's user part is replaced by
// "(redacted)".
std::string DescribeConfigForLog(const Config& config);

// "127.0.0.1:8080" -> {"127.0.0.1", 8080}; "[::1]:0" -> {"::1", 0}; "localhost:80" works too.
// The host is an IPv4 address or host name, or an IPv6 address in brackets; the port 0-65535.
absl::StatusOr<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view address);

// Where the secret key lives: secrets.key_file, or DATA_DIR/secret.key when that is empty.
std::string KeyFilePath(const Config& config, const std::string& data_directory);

}  // namespace casedesk::adapters::system

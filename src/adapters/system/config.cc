#include "adapters/system/config.h"

#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>
#include <variant>
#include <vector>

#include "absl/strings/numbers.h"

namespace casedesk::adapters::system {
namespace {

constexpr std::string_view kEnvironmentPrefix = "CASEDESK_";

// Where a setting is kept in Config. Every setting is a string or an integer.
using Target = std::variant<std::string*, int*, int64_t*>;

struct Setting {
  std::string_view section;
  std::string_view key;
  Target target;
  bool secret = false;  // shown only as "(set)" / "(not set)"
};

// The one list of settings: the file's keys, the environment's names and the log line all
// come from here, so they cannot drift apart.
std::vector<Setting> SettingsOf(Config& config) {
  return {
      {"server", "listen", &config.server.listen},
      {"server", "threads", &config.server.threads},
      {"server", "drain_timeout_seconds", &config.server.drain_timeout_seconds},
      {"server", "public_url", &config.server.public_url},
      {"store", "url", &config.store.url},
      {"store", "sqlite_mmap_mib", &config.store.sqlite_mmap_mib},
      {"store", "pg_writers", &config.store.pg_writers},
      {"store", "pg_batch_units", &config.store.pg_batch_units},
      {"store", "pg_case_cache_mib", &config.store.pg_case_cache_mib},
      {"limits", "max_attachment_bytes", &config.limits.max_attachment_bytes},
      {"limits", "max_json_body_bytes", &config.limits.max_json_body_bytes},
      {"smtp", "url", &config.smtp.url},
      {"smtp", "username", &config.smtp.username},
      {"smtp", "password", &config.smtp.password, /*secret=*/true},
      {"smtp", "from", &config.smtp.from},
      {"smtp", "starttls", &config.smtp.starttls},
      {"smtp", "first_retry_seconds", &config.smtp.first_retry_seconds},
      {"mail", "lmtp_listen", &config.mail.lmtp_listen},
      {"mail", "imap_url", &config.mail.imap_url},
      {"mail", "imap_username", &config.mail.imap_username},
      {"mail", "imap_password", &config.mail.imap_password, /*secret=*/true},
      {"mail", "imap_after", &config.mail.imap_after},
      {"mail", "imap_interval_seconds", &config.mail.imap_interval_seconds},
      {"mail", "max_message_bytes", &config.mail.max_message_bytes},
      {"secrets", "key_file", &config.secrets.key_file},
      {"log", "level", &config.log.level},
  };
}

constexpr std::array<std::string_view, 7> kSections = {"server", "store",   "limits", "smtp",
                                                       "mail",   "secrets", "log"};

constexpr std::array<std::string_view, 7> kLogLevels = {"trace", "debug",    "info", "warn",
                                                        "error", "critical", "off"};

std::string DottedName(const Setting& setting) {
  return std::string(setting.section) + "." + std::string(setting.key);
}

std::string EnvironmentName(const Setting& setting) {
  std::string name(kEnvironmentPrefix);
  for (char c : DottedName(setting)) {
    name.push_back(c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return name;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

std::string KeysOfSection(Config& scratch, std::string_view section) {
  std::vector<std::string> keys;
  for (const Setting& setting : SettingsOf(scratch)) {
    if (setting.section == section) keys.emplace_back(setting.key);
  }
  return Joined(keys);
}

// Stores an integer in an int or int64_t target; false when it does not fit.
bool AssignInteger(const Target& target, int64_t value) {
  if (int* const* narrow = std::get_if<int*>(&target)) {
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      return false;
    }
    **narrow = static_cast<int>(value);
    return true;
  }
  **std::get_if<int64_t*>(&target) = value;
  return true;
}

std::string Where(const std::string& path, const toml::source_region& source) {
  return path + ":" + std::to_string(source.begin.line);
}

absl::Status ApplyFile(const std::string& path, Config& config) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError("cannot read configuration file " + path);
  std::stringstream content;
  content << file.rdbuf();

  toml::table table;
  try {
    table = toml::parse(content.str(), path);
  } catch (const toml::parse_error& error) {
    return absl::InvalidArgumentError(Where(path, error.source()) + ":" +
                                      std::to_string(error.source().begin.column) + ": " +
                                      std::string(error.description()));
  }

  std::vector<Setting> settings = SettingsOf(config);
  for (auto&& [section_key, section_node] : table) {
    const std::string section(section_key.str());
    if (std::find(kSections.begin(), kSections.end(), section) == kSections.end()) {
      std::vector<std::string> known(kSections.begin(), kSections.end());
      return absl::InvalidArgumentError(Where(path, section_key.source()) + ": unknown section '" +
                                        section + "' (known: " + Joined(known) + ")");
    }
    const toml::table* entries = section_node.as_table();
    if (entries == nullptr) {
      return absl::InvalidArgumentError(Where(path, section_key.source()) + ": '" + section +
                                        "' must be a table ([" + section + "])");
    }
    for (auto&& [key, node] : *entries) {
      const std::string name = section + "." + std::string(key.str());
      auto setting = std::find_if(settings.begin(), settings.end(), [&](const Setting& s) {
        return s.section == section && s.key == key.str();
      });
      if (setting == settings.end()) {
        return absl::InvalidArgumentError(Where(path, key.source()) + ": unknown key '" + name +
                                          "' (known in [" + section +
                                          "]: " + KeysOfSection(config, section) + ")");
      }
      if (std::string** text = std::get_if<std::string*>(&setting->target)) {
        const toml::value<std::string>* value = node.as_string();
        if (value == nullptr) {
          return absl::InvalidArgumentError(Where(path, key.source()) + ": " + name +
                                            " must be a string");
        }
        **text = value->get();
        continue;
      }
      const toml::value<int64_t>* value = node.as_integer();
      if (value == nullptr) {
        return absl::InvalidArgumentError(Where(path, key.source()) + ": " + name +
                                          " must be an integer");
      }
      if (!AssignInteger(setting->target, value->get())) {
        return absl::InvalidArgumentError(Where(path, key.source()) + ": " + name +
                                          " is out of range");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(const std::map<std::string, std::string>& environment,
                              Config& config) {
  for (const Setting& setting : SettingsOf(config)) {
    const std::string name = EnvironmentName(setting);
    auto found = environment.find(name);
    if (found == environment.end()) continue;
    if (std::string* const* text = std::get_if<std::string*>(&setting.target)) {
      **text = found->second;
      continue;
    }
    int64_t value = 0;
    const std::string& raw = found->second;
    if (!absl::SimpleAtoi(absl::string_view(raw.data(), raw.size()), &value)) {
      return absl::InvalidArgumentError(name + " must be an integer");
    }
    if (!AssignInteger(setting.target, value)) {
      return absl::InvalidArgumentError(name + " is out of range");
    }
  }
  return absl::OkStatus();
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

absl::Status Invalid(std::string_view section_key, std::string_view environment_name,
                     const std::string& problem) {
  return absl::InvalidArgumentError(std::string(section_key) + " (" +
                                    std::string(environment_name) + ") " + problem);
}

absl::Status Validate(const Config& config) {
  if (absl::StatusOr<std::pair<std::string, uint16_t>> listen =
          ParseListenAddress(config.server.listen);
      !listen.ok()) {
    return Invalid("server.listen", "CASEDESK_SERVER_LISTEN",
                   std::string(listen.status().message()));
  }
  if (!config.server.public_url.empty() && ((!config.server.public_url.starts_with("http://") &&
                                             !config.server.public_url.starts_with("https://")) ||
                                            config.server.public_url.ends_with('/'))) {
    return Invalid("server.public_url", "CASEDESK_SERVER_PUBLIC_URL",
                   "must be an http(s) URL without a trailing slash");
  }
  if (config.server.threads < 0 || config.server.threads > 1024) {
    return Invalid("server.threads", "CASEDESK_SERVER_THREADS", "must be 0 (one per core) to 1024");
  }
  if (config.server.drain_timeout_seconds < 0 || config.server.drain_timeout_seconds > 3600) {
    return Invalid("server.drain_timeout_seconds", "CASEDESK_SERVER_DRAIN_TIMEOUT_SECONDS",
                   "must be 0 to 3600");
  }
  const std::string& store = config.store.url;
  if (!store.empty() && !StartsWith(store, "sqlite:") && !StartsWith(store, "postgres://") &&
      !StartsWith(store, "postgresql://")) {
    return Invalid("store.url", "CASEDESK_STORE_URL",
                   "must be empty (SQLite in the data directory), sqlite:PATH or a "
                   "postgresql:// URL");
  }
  if (config.store.sqlite_mmap_mib < 0 || config.store.sqlite_mmap_mib > 65536) {
    return Invalid("store.sqlite_mmap_mib", "CASEDESK_STORE_SQLITE_MMAP_MIB",
                   "must be 0 (no memory map) to 65536");
  }
  if (config.store.pg_writers < 0 || config.store.pg_writers > 128) {
    return Invalid("store.pg_writers", "CASEDESK_STORE_PG_WRITERS",
                   "must be 0 (one per core) to 128");
  }
  // Each unit in a batch is a subtransaction; PostgreSQL tracks 64 per transaction cheaply.
  if (config.store.pg_batch_units < 1 || config.store.pg_batch_units > 64) {
    return Invalid("store.pg_batch_units", "CASEDESK_STORE_PG_BATCH_UNITS", "must be 1 to 64");
  }
  if (config.store.pg_case_cache_mib < 0 || config.store.pg_case_cache_mib > 65536) {
    return Invalid("store.pg_case_cache_mib", "CASEDESK_STORE_PG_CASE_CACHE_MIB",
                   "must be 0 to 65536");
  }
  // Attachments and bodies are held in memory while handled, so the limits are bounded.
  constexpr int64_t kGibibyte = int64_t{1} << 30;
  if (config.limits.max_attachment_bytes < 1 || config.limits.max_attachment_bytes > kGibibyte) {
    return Invalid("limits.max_attachment_bytes", "CASEDESK_LIMITS_MAX_ATTACHMENT_BYTES",
                   "must be 1 to 1073741824");
  }
  if (config.limits.max_json_body_bytes < 1024 ||
      config.limits.max_json_body_bytes > 256 * 1024 * 1024) {
    return Invalid("limits.max_json_body_bytes", "CASEDESK_LIMITS_MAX_JSON_BODY_BYTES",
                   "must be 1024 to 268435456");
  }
  const std::string& smtp = config.smtp.url;
  if (!smtp.empty()) {
    if (!StartsWith(smtp, "smtp://") && !StartsWith(smtp, "smtps://")) {
      return Invalid("smtp.url", "CASEDESK_SMTP_URL", "must start with smtp:// or smtps://");
    }
    if (config.smtp.from.empty()) {
      return Invalid("smtp.from", "CASEDESK_SMTP_FROM", "is required when smtp.url is set");
    }
  }
  if (config.smtp.starttls != "try" && config.smtp.starttls != "require" &&
      config.smtp.starttls != "off") {
    return Invalid("smtp.starttls", "CASEDESK_SMTP_STARTTLS", "must be try, require or off");
  }
  if (config.smtp.first_retry_seconds < 1 || config.smtp.first_retry_seconds > 3600) {
    return Invalid("smtp.first_retry_seconds", "CASEDESK_SMTP_FIRST_RETRY_SECONDS",
                   "must be 1 to 3600");
  }
  if (!config.mail.lmtp_listen.empty()) {
    if (auto lmtp = ParseListenAddress(config.mail.lmtp_listen); !lmtp.ok()) {
      return Invalid("mail.lmtp_listen", "CASEDESK_MAIL_LMTP_LISTEN",
                     std::string(lmtp.status().message()));
    }
  }
  const std::string& imap = config.mail.imap_url;
  if (!imap.empty() && !StartsWith(imap, "imap://") && !StartsWith(imap, "imaps://")) {
    return Invalid("mail.imap_url", "CASEDESK_MAIL_IMAP_URL",
                   "must start with imap:// or imaps://");
  }
  const std::string& after = config.mail.imap_after;
  if (after != "seen" && after != "delete" && !(StartsWith(after, "move:") && after.size() > 5)) {
    return Invalid("mail.imap_after", "CASEDESK_MAIL_IMAP_AFTER",
                   "must be seen, delete or move:FOLDER");
  }
  if (config.mail.imap_interval_seconds < 1 || config.mail.imap_interval_seconds > 86400) {
    return Invalid("mail.imap_interval_seconds", "CASEDESK_MAIL_IMAP_INTERVAL_SECONDS",
                   "must be 1 to 86400");
  }
  if (config.mail.max_message_bytes < 64 * 1024 ||
      config.mail.max_message_bytes > 1024 * 1024 * 1024) {
    return Invalid("mail.max_message_bytes", "CASEDESK_MAIL_MAX_MESSAGE_BYTES",
                   "must be 65536 to 1073741824");
  }
  if (std::find(kLogLevels.begin(), kLogLevels.end(), config.log.level) == kLogLevels.end()) {
    return Invalid("log.level", "CASEDESK_LOG_LEVEL",
                   "must be one of trace, debug, info, warn, error, critical, off");
  }
  return absl::OkStatus();
}

// "postgresql://user:secret@host/db" -> "postgresql://user:(redacted)@host/db".
std::string RedactUrlPassword(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const size_t authority_start = scheme_end + 3;
  const size_t authority_end = url.find_first_of("/?#", authority_start);
  const size_t at =
      url.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
  if (at == std::string::npos || at < authority_start) return url;
  const size_t colon = url.find(':', authority_start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "(redacted)" + url.substr(at);
}

bool IsHostNameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

bool IsIpv6Character(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
}

}  // namespace

absl::StatusOr<Config> LoadConfig(std::optional<std::string> toml_path,
                                  const std::map<std::string, std::string>& environment) {
  Config config;
  if (toml_path.has_value()) {
    if (absl::Status loaded = ApplyFile(*toml_path, config); !loaded.ok()) return loaded;
  }
  if (absl::Status applied = ApplyEnvironment(environment, config); !applied.ok()) return applied;
  if (absl::Status valid = Validate(config); !valid.ok()) return valid;
  return config;
}

std::map<std::string, std::string> EnvironmentFromProcess() {
  std::map<std::string, std::string> variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (!StartsWith(text, kEnvironmentPrefix)) continue;
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    variables.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return variables;
}

std::string DescribeConfigForLog(const Config& config) {
  Config copy = config;
  std::string line;
  for (const Setting& setting : SettingsOf(copy)) {
    if (!line.empty()) line += ' ';
    line += DottedName(setting) + "=";
    if (std::string* const* text = std::get_if<std::string*>(&setting.target)) {
      if (setting.secret) {
        line += (*text)->empty() ? "(not set)" : "(set)";
      } else {
        line += "\"" + RedactUrlPassword(**text) + "\"";
      }
    } else if (int* const* narrow = std::get_if<int*>(&setting.target)) {
      line += std::to_string(**narrow);
    } else {
      line += std::to_string(**std::get_if<int64_t*>(&setting.target));
    }
  }
  return line;
}

absl::StatusOr<std::pair<std::string, uint16_t>> ParseListenAddress(std::string_view address) {
  std::string_view host;
  std::string_view port;
  if (StartsWith(address, "[")) {
    const size_t close = address.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError("an IPv6 address needs its closing ']'");
    }
    host = address.substr(1, close - 1);
    if (host.empty() || host.find(':') == std::string_view::npos ||
        !std::all_of(host.begin(), host.end(), IsIpv6Character)) {
      return absl::InvalidArgumentError("'" + std::string(host) + "' is not an IPv6 address");
    }
    if (close + 1 >= address.size() || address[close + 1] != ':') {
      return absl::InvalidArgumentError("expected HOST:PORT, e.g. [::1]:8080");
    }
    port = address.substr(close + 2);
  } else {
    const size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) {
      return absl::InvalidArgumentError("expected HOST:PORT, e.g. 127.0.0.1:8080");
    }
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      return absl::InvalidArgumentError("put an IPv6 address in brackets, e.g. [::1]:8080");
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostNameCharacter)) {
      return absl::InvalidArgumentError("'" + std::string(host) +
                                        "' is not a host name or IPv4 address");
    }
  }
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return absl::InvalidArgumentError("the port must be a number from 0 to 65535");
  }
  const int number = std::stoi(std::string(port));
  if (number > 65535) {
    return absl::InvalidArgumentError("the port must be a number from 0 to 65535");
  }
  return std::make_pair(std::string(host), static_cast<uint16_t>(number));
}

std::string KeyFilePath(const Config& config, const std::string& data_directory) {
  if (!config.secrets.key_file.empty()) return config.secrets.key_file;
  return data_directory + "/secret.key";
}

}  // namespace casedesk::adapters::system

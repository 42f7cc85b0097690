// A throwaway PostgreSQL 15 server for tests and benchmarks: initdb into a temporary directory,
// listening on 127.0.0.1 and a free port only (its Unix socket stays inside that directory),
// fsync on, run as the `postgres` user when run as root. Stop() is pg_ctl stop -m fast (the
// restart tests use it); the destructor stops with -m immediate (the data is thrown away) and
// removes the directory; a watchdog process does the same if this process dies first (crash,
// kill -9). postgres_server_environment.h shares one server per test executable.
//
// When the PostgreSQL binaries are missing, Start returns FailedPrecondition naming the package
// to install, so PostgreSQL tests fail loudly instead of skipping.
//
// Thread-safety: a server object is driven by one thread at a time (CreateDatabase may be
// called from several).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casedesk::test_support {

class PostgresTestServer {
 public:
  static constexpr char kDefaultBinDirectory[] = "/usr/lib/postgresql/15/bin";

  // initdb and start; FailedPrecondition when the binaries are missing.
  static absl::StatusOr<std::unique_ptr<PostgresTestServer>> Start() {
    const char* override_directory = std::getenv("CASEDESK_POSTGRES_BIN");
    const std::string bin = override_directory != nullptr ? override_directory : kDefaultBinDirectory;
    for (const char* tool : {"initdb", "pg_ctl", "postgres"}) {
      if (::access((bin + "/" + tool).c_str(), X_OK) != 0) {
        return absl::FailedPreconditionError(
            "PostgreSQL 15 server binaries not found in " + bin + " (missing " + tool +
            "): install the Debian package `postgresql` (scripts/install-deps does)");
      }
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "casedesk-pg-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return absl::UnavailableError("cannot create a directory for PostgreSQL");
    }
    std::unique_ptr<PostgresTestServer> server(new PostgresTestServer(bin, pattern));
    absl::Status status = server->Initialise();
    if (!status.ok()) return status;
    status = server->StartServer();
    if (!status.ok()) return status;
    server->StartWatchdog();
    return server;
  }

  ~PostgresTestServer() {
    // Immediate: the cluster is deleted next, and a fast shutdown's checkpoint would fsync every
    // file of every test database first (tens of seconds on a busy disk).
    if (running_) {
      running_ = false;
      Run({bin_ + "/pg_ctl", "-D", data_, "-w", "-t", "60", "-m", "immediate", "stop"})
          .IgnoreError();
    }
    if (watchdog_ > 0) {
      ::kill(watchdog_, SIGKILL);
      ::waitpid(watchdog_, nullptr, 0);
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  int port() const { return port_; }
  std::string Url(const std::string& database) const {
    return "postgresql://casedesk@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // A fresh, empty database named `prefix_N`; returns its URL.
  absl::StatusOr<std::string> CreateDatabase(const std::string& prefix) {
    for (char ch : prefix) {
      if (!(std::islower(static_cast<unsigned char>(ch)) || ch == '_')) {
        return absl::InvalidArgumentError("database prefix must be lower-case letters");
      }
    }
    const std::string name = prefix + "_" + std::to_string(next_database_.fetch_add(1));
    PGconn* connection = PQconnectdb(("host=127.0.0.1 port=" + std::to_string(port_) +
                                      " user=casedesk dbname=postgres connect_timeout=5")
                                         .c_str());
    absl::Status status;
    if (PQstatus(connection) != CONNECTION_OK) {
      status = absl::UnavailableError(std::string("cannot reach the test server: ") +
                                      PQerrorMessage(connection));
    } else {
      // CREATE DATABASE takes no parameters; the name is ours and checked above.
      PGresult* result = PQexec(connection, ("CREATE DATABASE " + name).c_str());
      if (PQresultStatus(result) != PGRES_COMMAND_OK) {
        status = absl::UnavailableError(std::string("CREATE DATABASE failed: ") +
                                        PQresultErrorMessage(result));
      }
      PQclear(result);
    }
    PQfinish(connection);
    if (!status.ok()) return status;
    return Url(name);
  }

  // pg_ctl stop -m fast: sessions are cut, transactions in flight roll back, the data stays.
  absl::Status Stop() {
    if (!running_) return absl::OkStatus();
    running_ = false;
    return Run({bin_ + "/pg_ctl", "-D", data_, "-w", "-t", "120", "-m", "fast", "stop"});
  }

  // Starts the stopped server again on the same port.
  absl::Status Restart() { return StartServer(/*keep_port=*/true); }

 private:
  PostgresTestServer(std::string bin, std::string directory)
      : bin_(std::move(bin)), directory_(std::move(directory)), data_(directory_ + "/data") {}

  static bool IsRoot() { return ::geteuid() == 0; }

  // Runs a PostgreSQL tool, as the postgres user when we are root; output goes to the log.
  absl::Status Run(std::vector<std::string> arguments) {
    if (IsRoot()) arguments.insert(arguments.begin(), {"runuser", "-u", "postgres", "--"});
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    const std::string log = directory_ + "/tools.log";
    const int log_descriptor = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    const pid_t child = ::fork();
    if (child == 0) {
      if (log_descriptor >= 0) {
        ::dup2(log_descriptor, 1);
        ::dup2(log_descriptor, 2);
      }
      ::execvp(argv[0], argv.data());
      ::_exit(127);
    }
    if (log_descriptor >= 0) ::close(log_descriptor);
    if (child < 0) return absl::UnavailableError("fork failed");
    int status = 0;
    ::waitpid(child, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    std::string tail = text.str();
    if (tail.size() > 2000) tail = tail.substr(tail.size() - 2000);
    return absl::UnavailableError(arguments[IsRoot() ? 4 : 0] + " failed: " + tail);
  }

  absl::Status Initialise() {
    if (IsRoot()) {
      const passwd* user = ::getpwnam("postgres");
      if (user == nullptr) {
        return absl::FailedPreconditionError("running as root needs the `postgres` system user");
      }
      if (::chown(directory_.c_str(), user->pw_uid, user->pw_gid) != 0) {
        return absl::UnavailableError("cannot hand " + directory_ + " to the postgres user");
      }
      // The log written by Run lives here too; the postgres user must reach its own files.
      ::chmod(directory_.c_str(), 0755);
    }
    // -N: the cluster is thrown away with the test; the server itself runs with fsync on.
    return Run({bin_ + "/initdb", "-D", data_, "-U", "casedesk", "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8", "-N"});
  }

  static int FreePort() {
    const int descriptor = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof(address);
    int port = 0;
    if (::bind(descriptor, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
        ::getsockname(descriptor, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port = ntohs(address.sin_port);
    }
    ::close(descriptor);
    return port;
  }

  absl::Status StartServer(bool keep_port = false) {
    absl::Status status;
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (!keep_port) port_ = FreePort();
      const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                                  " -k " + directory_ +
                                  " -c shared_buffers=64MB -c max_connections=100 -c fsync=on"
                                  " -c synchronous_commit=on";
      status = Run({bin_ + "/pg_ctl", "-D", data_, "-l", directory_ + "/server.log", "-w", "-t",
                    "30", "-o", options, "start"});
      if (status.ok()) {
        running_ = true;
        return status;
      }
      if (keep_port) break;
    }
    return status;
  }

  // A child that outlives nothing: when this process is gone it stops the server and removes
  // the directory.
  void StartWatchdog() {
    std::string command = (IsRoot() ? "runuser -u postgres -- " : "") + bin_ + "/pg_ctl -D " +
                          data_ + " -m immediate stop >/dev/null 2>&1; rm -rf " + directory_;
    std::vector<char*> argv = {const_cast<char*>("/bin/sh"), const_cast<char*>("-c"),
                               command.data(), nullptr};
    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child == 0) {
      ::setpgid(0, 0);  // not killed with the test's process group by a runner's Ctrl-C
      while (::getppid() == parent) ::sleep(1);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    watchdog_ = child;
  }

  const std::string bin_;
  const std::string directory_;
  const std::string data_;
  int port_ = 0;
  bool running_ = false;
  pid_t watchdog_ = -1;
  std::atomic<int> next_database_{1};
};

}  // namespace casedesk::test_support

// Runs test/support/smtp_sink.py (a real aiosmtpd SMTP server on 127.0.0.1) as a child process
// for C++ tests and benchmarks: starts it on a free port in a fresh directory, reads what it
// stored, toggles its failure modes, and stops it. The child exits by itself when this process
// dies (it watches its stdin pipe). The script is found through CASEDESK_SMTP_SINK, else next to
// this header relative to the source path compiled in. Test-only; not thread-safe.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace casedesk::test {

class SmtpSinkProcess {
 public:
  struct Received {
    std::string data;         // the message as received
    nlohmann::json envelope;  // {"mail_from", "rcpt_tos", "peer", "received_at", "auth_user"}
  };

  ~SmtpSinkProcess() {
    Stop();
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
  }

  // Starts the sink; false (with `error` set) when it does not come up within 10 s.
  bool Start(const std::vector<std::string>& extra_args = {}) {
    std::string pattern = (std::filesystem::temp_directory_path() / "casedesk-smtp-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) return Fail("mkdtemp failed");
    directory_ = pattern;
    int out[2], in[2];
    if (pipe(out) != 0 || pipe(in) != 0) return Fail("pipe failed");
    const std::string script = ScriptPath();
    std::vector<std::string> args = {Python(), script, directory_ + "/mail", "--exit-on-stdin-eof"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = fork();
    if (pid_ < 0) return Fail("fork failed");
    if (pid_ == 0) {
      dup2(in[0], STDIN_FILENO);
      dup2(out[1], STDOUT_FILENO);
      close(in[0]);
      close(in[1]);
      close(out[0]);
      close(out[1]);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    fcntl(stdin_, F_SETFD, FD_CLOEXEC);
    stdout_ = out[0];
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{stdout_, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char c;
      if (read(stdout_, &c, 1) != 1) return Fail("the sink exited: " + script);
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      if (line.rfind("listening ", 0) == 0) {
        port_ = std::stoi(line.substr(10));
        return true;
      }
      line.clear();
    }
    return Fail("the sink did not start in time");
  }

  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
    if (stdin_ >= 0) close(stdin_);
    if (stdout_ >= 0) close(stdout_);
    stdin_ = stdout_ = -1;
  }

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  const std::string& error() const { return error_; }
  std::string mail_directory() const { return directory_ + "/mail"; }

  // Switches the runtime failure modes (451 to everything / 550 to everything).
  void SetTempfail(bool on) { Toggle("tempfail", on); }
  void SetReject(bool on) { Toggle("reject", on); }

  // Messages stored so far, in arrival order.
  std::vector<Received> Messages() const {
    std::vector<Received> messages;
    std::vector<std::filesystem::path> files;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(mail_directory(), ignored)) {
      if (entry.path().extension() == ".eml") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const std::filesystem::path& file : files) {
      Received received;
      received.data = ReadFile(file);
      std::filesystem::path meta = file;
      meta.replace_extension(".json");
      received.envelope = nlohmann::json::parse(ReadFile(meta), nullptr, false);
      messages.push_back(std::move(received));
    }
    return messages;
  }

  // Waits up to `timeout` for at least `count` messages.
  std::vector<Received> WaitForMessages(
      size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<Received> messages = Messages();
    while (messages.size() < count && std::chrono::steady_clock::now() < deadline) {
      usleep(20'000);
      messages = Messages();
    }
    return messages;
  }

 private:
  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // aiosmtpd is a Debian package: it lives in the system interpreter, not in a pyenv one.
  static std::string Python() {
    if (const char* configured = std::getenv("CASEDESK_PYTHON")) return configured;
    return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  }

  static std::string ScriptPath() {
    if (const char* configured = std::getenv("CASEDESK_SMTP_SINK")) return configured;
    std::filesystem::path here = std::filesystem::path(__FILE__).parent_path() / "smtp_sink.py";
    if (here.is_absolute()) return here.string();
    // ccache may compile with paths relative to the build directory, where the binary lives.
    std::error_code ignored;
    const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", ignored);
    return (binary.parent_path() / here).lexically_normal().string();
  }

  void Toggle(const char* name, bool on) {
    const std::string path = mail_directory() + "/" + name;
    if (on) {
      std::ofstream(path).put('\n');
    } else {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  }

  bool Fail(std::string message) {
    error_ = std::move(message);
    Stop();
    return false;
  }

  std::string directory_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
  std::string error_;
};

}  // namespace casedesk::test

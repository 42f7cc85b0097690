// The LMTP listener: sockets and threads; the protocol is in lmtp_connection.cc.
#include "adapters/mailin/lmtp_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "absl/strings/str_cat.h"

namespace casedesk::adapters::mailin {
namespace {

constexpr int kAcceptSliceMs = 100;  // how often the acceptor looks at the stop flag

std::string ErrnoText() { return std::strerror(errno); }

// "host:port" or "[v6]:port".
bool SplitHostPort(const std::string& listen, std::string* host, std::string* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) return false;
  *host = listen.substr(0, colon);
  *port = listen.substr(colon + 1);
  if (host->size() >= 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return !host->empty() && port->find_first_not_of("0123456789") == std::string::npos &&
         port->size() <= 5;
}

}  // namespace

absl::Status LmtpServer::ValidateOptions(const Options& options) {
  if (options.listen.starts_with("unix:")) {
    const std::string path = options.listen.substr(5);
    if (path.empty() || path.front() != '/' || path.size() >= sizeof(sockaddr_un{}.sun_path)) {
      return absl::InvalidArgumentError(
          "LMTP listen: unix: needs an absolute socket path of fewer than 108 bytes");
    }
  } else {
    std::string host, port;
    if (!SplitHostPort(options.listen, &host, &port)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "LMTP listen: expected HOST:PORT or unix:/path, got \"", options.listen, "\""));
    }
  }
  if (options.max_message_bytes == 0) {
    return absl::InvalidArgumentError("LMTP max_message_bytes: must be positive");
  }
  if (options.threads < 1) return absl::InvalidArgumentError("LMTP threads: must be at least 1");
  if (options.idle_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("LMTP idle_timeout: must be positive");
  }
  if (options.max_recipients < 1) {
    return absl::InvalidArgumentError("LMTP max_recipients: must be at least 1");
  }
  if (options.hostname.empty() || options.hostname.find_first_of(" \r\n\t") != std::string::npos) {
    return absl::InvalidArgumentError("LMTP hostname: must be one word");
  }
  return absl::OkStatus();
}

LmtpServer::LmtpServer(Options options, DeliverFn deliver)
    : options_(std::move(options)), deliver_(std::move(deliver)) {
  settings_.max_message_bytes = options_.max_message_bytes;
  settings_.idle_timeout = options_.idle_timeout;
  settings_.max_recipients = options_.max_recipients;
  settings_.hostname = options_.hostname;
  settings_.log = options_.log;
}

LmtpServer::~LmtpServer() { Stop(); }

void LmtpServer::Log(std::string_view message) const {
  if (options_.log) {
    options_.log(message);
  } else {
    std::cerr << "casedesk mail: " << message << std::endl;
  }
}

absl::StatusOr<int> LmtpServer::Start() {
  if (listener_ >= 0) return absl::FailedPreconditionError("LMTP server already started");
  if (absl::Status status = ValidateOptions(options_); !status.ok()) return status;
  const std::string where = absl::StrCat("LMTP listen ", options_.listen, ": ");
  int port = 0;
  if (options_.listen.starts_with("unix:")) {
    const std::string path = options_.listen.substr(5);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.data(), path.size());
    listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener_ < 0) return absl::InternalError(where + ErrnoText());
    ::unlink(path.c_str());  // a socket left by an earlier run
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      const std::string error = ErrnoText();
      ::close(listener_);
      listener_ = -1;
      return absl::UnavailableError(where + "cannot bind: " + error);
    }
    unix_path_ = path;
  } else {
    std::string host, service;
    SplitHostPort(options_.listen, &host, &service);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (const int error = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
        error != 0) {
      return absl::InvalidArgumentError(where + ::gai_strerror(error));
    }
    std::string error = "no address";
    for (addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
      const int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC,
                              candidate->ai_protocol);
      if (fd < 0) continue;
      const int on = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
      if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0) {
        listener_ = fd;
        break;
      }
      error = ErrnoText();
      ::close(fd);
    }
    ::freeaddrinfo(found);
    if (listener_ < 0) return absl::UnavailableError(where + "cannot bind: " + error);
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &length);
    port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                       : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  }
  if (::listen(listener_, 128) != 0) {
    const std::string error = ErrnoText();
    ::close(listener_);
    listener_ = -1;
    return absl::UnavailableError(where + "cannot listen: " + error);
  }
  stopping_ = false;
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return port;
}

void LmtpServer::Stop() {
  if (listener_ < 0) return;
  stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  ::close(listener_);
  listener_ = -1;
  if (!unix_path_.empty()) {
    ::unlink(unix_path_.c_str());
    unix_path_.clear();
  }
  absl::MutexLock lock(&mutex_);
  // Wakes every connection blocked in poll/recv; one inside the DeliverFn finishes it first.
  for (int client : clients_) ::shutdown(client, SHUT_RDWR);
  mutex_.Await(absl::Condition(
      +[](int* running) { return *running == 0; }, &running_));
}

void LmtpServer::AcceptLoop() {
  while (!stopping_.load()) {
    pollfd descriptor{listener_, POLLIN, 0};
    if (::poll(&descriptor, 1, kAcceptSliceMs) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        Log(absl::StrCat("LMTP accept failed: ", ErrnoText()));
        ::usleep(100 * 1000);  // out of descriptors: let connections finish
      }
      continue;
    }
    const int on = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);  // fails harmlessly on unix
    {
      absl::MutexLock lock(&mutex_);
      if (running_ < options_.threads && !stopping_.load()) {
        ++running_;
        clients_.insert(client);
        std::thread([this, client] { Serve(client); }).detach();
        continue;
      }
    }
    static constexpr char kBusy[] = "421 4.3.2 Too many connections, try again later\r\n";
    ::send(client, kBusy, sizeof kBusy - 1, MSG_NOSIGNAL);
    ::close(client);
  }
}

void LmtpServer::Serve(int client) {
  LmtpConnection(client, settings_, deliver_).Run();
  // Stop waits for running_ to reach 0, so `this` outlives this thread's last use of it.
  absl::MutexLock lock(&mutex_);
  clients_.erase(client);
  ::close(client);
  --running_;
}

}  // namespace casedesk::adapters::mailin

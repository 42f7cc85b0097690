#include "adapters/webhook/curl_webhook_sender.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace casedesk::adapters::webhook {
namespace {

constexpr char kUserAgent[] = "Casedesk-Webhook/1";

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct CurlString {
  char* text = nullptr;
  ~CurlString() { curl_free(text); }
};

// One part of a parsed URL; empty when the URL has none.
std::string UrlPart(CURLU* url, CURLUPart part) {
  CurlString value;
  if (curl_url_get(url, part, &value.text, 0) != CURLUE_OK || value.text == nullptr) return "";
  return value.text;
}

bool IsLoopbackHost(std::string host) {
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr address{};
    return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &address) == 1 &&
           IN6_IS_ADDR_LOOPBACK(&address);
  }
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

// RFC 9110 token characters.
bool IsHeaderName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

// Headers this sender writes itself (or that would change how the body is framed).
bool IsReservedHeader(const std::string& name) {
  for (const char* reserved :
       {"Content-Type", "Content-Length", "Transfer-Encoding", "Host", "User-Agent", "Expect"}) {
    if (absl::EqualsIgnoreCase(name, reserved)) return true;
  }
  return false;
}

// The answer's body is counted and dropped; past the cap the transfer stops (curl then reports
// a write error, and the status line already received decides).
struct Discard {
  size_t received = 0;
  size_t cap = 0;
};

size_t DiscardChunk(char* /*data*/, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Discard*>(user);
  const size_t n = size * count;
  if (sink->received + n > sink->cap) return 0;
  sink->received += n;
  return n;
}

absl::Status MapAnswer(long code, const std::string& where) {
  if (code >= 200 && code < 300) return absl::OkStatus();
  const std::string what = absl::StrCat(where, ": answered ", code);
  if (code == 429 || (code >= 500 && code < 600)) return absl::UnavailableError(what);
  if (code >= 300 && code < 400) {
    return absl::InvalidArgumentError(absl::StrCat(what, " (redirects are not followed)"));
  }
  return absl::InvalidArgumentError(what);
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlWebhookSender>> CurlWebhookSender::Create(
    CurlWebhookOptions options) {
  if (options.connect_timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("webhook connect_timeout: must be positive");
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("webhook timeout: must be positive");
  }
  InitCurlOnce();
  return std::unique_ptr<CurlWebhookSender>(new CurlWebhookSender(options));
}

absl::Status CurlWebhookSender::Post(const ports::WebhookRequest& request) {
  std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
  if (!url) return absl::UnavailableError("webhook: could not create a curl URL handle");
  // Flags 0: no guessed scheme, no spaces or control characters.
  if (curl_url_set(url.get(), CURLUPART_URL, request.url.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError("url: not a usable absolute URL");
  }
  const std::string scheme = absl::AsciiStrToLower(UrlPart(url.get(), CURLUPART_SCHEME));
  const std::string host = UrlPart(url.get(), CURLUPART_HOST);
  if (host.empty()) return absl::InvalidArgumentError("url: has no host");
  if (scheme != "https" && !(scheme == "http" && IsLoopbackHost(host))) {
    return absl::InvalidArgumentError("url: must be https://, or http:// to a loopback address");
  }
  const std::string port = UrlPart(url.get(), CURLUPART_PORT);
  const std::string where = absl::StrCat("webhook to ", host, port.empty() ? "" : ":", port);

  std::unique_ptr<curl_slist, ListDeleter> headers;
  auto append = [&headers](const std::string& line) {
    curl_slist* appended = curl_slist_append(headers.get(), line.c_str());
    if (appended == nullptr) return false;
    headers.release();
    headers.reset(appended);
    return true;
  };
  // "Expect:" turns off curl's 100-continue round trip for larger bodies.
  if (!append("Content-Type: application/json") || !append("Expect:")) {
    return absl::ResourceExhaustedError("webhook: out of memory");
  }
  for (size_t i = 0; i < request.headers.size(); ++i) {
    const auto& [name, value] = request.headers[i];
    if (!IsHeaderName(name) || IsReservedHeader(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("headers[", i, "]: not a header name a webhook may set"));
    }
    if (value.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("headers[", i, "]: the value must not contain line breaks"));
    }
    if (!append(absl::StrCat(name, ": ", value))) {
      return absl::ResourceExhaustedError("webhook: out of memory");
    }
  }

  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return absl::UnavailableError("webhook: could not create a curl handle");
  Discard discard;
  discard.cap = options_.max_response_bytes;
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_CURLU, url.get());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.connect_timeout)));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(absl::ToInt64Milliseconds(options_.timeout)));
  curl_easy_setopt(handle, CURLOPT_USERAGENT, kUserAgent);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, DiscardChunk);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &discard);

  const CURLcode code = curl_easy_perform(handle);
  long answer = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &answer);
  // Once a final status line has arrived it is the receiver's decision, whatever became of the
  // rest of the answer (cut at the cap, or slow): posting again would deliver twice.
  if (answer >= 200) return MapAnswer(answer, where);
  if (code == CURLE_OK) return absl::UnavailableError(absl::StrCat(where, ": no HTTP answer"));
  const std::string what = absl::StrCat(where, ": ", curl_easy_strerror(code));
  if (code == CURLE_URL_MALFORMAT || code == CURLE_UNSUPPORTED_PROTOCOL) {
    return absl::InvalidArgumentError(what);
  }
  return absl::UnavailableError(what);
}

}  // namespace casedesk::adapters::webhook

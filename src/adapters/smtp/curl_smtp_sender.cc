#include "adapters/smtp/curl_smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace casedesk::adapters::smtp {
namespace {

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Envelope addresses go into SMTP commands: anything that could end or extend a command line is
// refused before curl sees it.
bool IsEnvelopeAddress(const std::string& address) {
  if (address.empty() || address.size() > 254 || address.find('@') == std::string::npos) {
    return false;
  }
  return std::all_of(address.begin(), address.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte != 0x7F && c != '<' && c != '>';
  });
}

struct Upload {
  const std::string* data;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t room = size * count;
  const size_t left = upload->data->size() - upload->offset;
  const size_t n = std::min(room, left);
  std::memcpy(buffer, upload->data->data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// What a failed transfer means for the outbox. The relay's last reply code decides when there
// is one; otherwise curl's code (connection and TLS problems are all worth a retry).
absl::Status MapFailure(CURLcode code, long reply) {
  const std::string what = absl::StrCat("smtp: ", curl_easy_strerror(code));
  if (reply >= 500 && reply < 600 && code != CURLE_LOGIN_DENIED) {
    return absl::FailedPreconditionError(absl::StrCat(what, " (relay replied ", reply, ")"));
  }
  if (reply >= 400 && reply < 500) {
    return absl::UnavailableError(absl::StrCat(what, " (relay replied ", reply, ")"));
  }
  switch (code) {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return absl::UnavailableError(absl::StrCat(what, " (check smtp.url)"));
    case CURLE_LOGIN_DENIED:
      return absl::UnavailableError(absl::StrCat(what, " (check the SMTP credentials)"));
    default:
      return absl::UnavailableError(reply > 0 ? absl::StrCat(what, " (relay replied ", reply, ")")
                                              : what);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlSmtpSender>> CurlSmtpSender::Create(CurlSmtpOptions options) {
  const bool plain = absl::StartsWith(options.url, "smtp://");
  const bool implicit_tls = absl::StartsWith(options.url, "smtps://");
  if (!plain && !implicit_tls) {
    return absl::InvalidArgumentError("smtp.url: must start with smtp:// or smtps://");
  }
  if (options.url.find_first_of("\r\n\t ") != std::string::npos) {
    return absl::InvalidArgumentError("smtp.url: must not contain spaces or line breaks");
  }
  if (options.starttls != "try" && options.starttls != "require" && options.starttls != "off") {
    return absl::InvalidArgumentError("smtp.starttls: must be \"try\", \"require\" or \"off\"");
  }
  if (options.timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("smtp.timeout: must be positive");
  }
  if (options.username.find_first_of("\r\n") != std::string::npos ||
      options.password.find_first_of("\r\n") != std::string::npos) {
    return absl::InvalidArgumentError("smtp credentials: must not contain line breaks");
  }
  InitCurlOnce();
  return std::unique_ptr<CurlSmtpSender>(new CurlSmtpSender(std::move(options)));
}

absl::Status CurlSmtpSender::Send(const ports::OutgoingMail& mail) {
  if (mail.recipients.empty()) {
    return absl::InvalidArgumentError("recipients: at least one is required");
  }
  for (size_t i = 0; i < mail.recipients.size(); ++i) {
    if (!IsEnvelopeAddress(mail.recipients[i])) {
      return absl::InvalidArgumentError(absl::StrCat("recipients[", i, "]: not a usable address"));
    }
  }
  if (!mail.envelope_from.empty() && !IsEnvelopeAddress(mail.envelope_from)) {
    return absl::InvalidArgumentError("envelope_from: not a usable address");
  }
  if (mail.data.empty()) return absl::InvalidArgumentError("data: the message is empty");

  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return absl::UnavailableError("smtp: could not create a curl handle");
  std::unique_ptr<curl_slist, ListDeleter> recipients;
  for (const std::string& recipient : mail.recipients) {
    curl_slist* appended =
        curl_slist_append(recipients.get(), absl::StrCat("<", recipient, ">").c_str());
    if (appended == nullptr) return absl::ResourceExhaustedError("smtp: out of memory");
    recipients.release();
    recipients.reset(appended);
  }
  const std::string from = absl::StrCat("<", mail.envelope_from, ">");
  Upload upload{&mail.data};
  const long timeout_ms = static_cast<long>(absl::ToInt64Milliseconds(options_.timeout));

  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, options_.url.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadChunk);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(mail.data.size()));
  if (absl::StartsWith(options_.url, "smtp://")) {
    const long use_ssl = options_.starttls == "require" ? CURLUSESSL_ALL
                         : options_.starttls == "try"   ? CURLUSESSL_TRY
                                                        : CURLUSESSL_NONE;
    curl_easy_setopt(handle, CURLOPT_USE_SSL, use_ssl);
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, options_.password.c_str());
  }

  const CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) return absl::OkStatus();
  long reply = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  return MapFailure(code, reply);
}

}  // namespace casedesk::adapters::smtp

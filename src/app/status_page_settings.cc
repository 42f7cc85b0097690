#include "app/status_page_settings.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace casedesk::app {
namespace {

using json = nlohmann::json;

constexpr char kPageId[] = "casedesk";

absl::Status InvalidPageSetting(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(what)));
}

}  // namespace

absl::StatusOr<StatusPageInfo> LoadStatusPageInfo(ports::StoreTransaction& txn,
                                                  const std::string& default_url) {
  StatusPageInfo info;
  info.id = kPageId;
  info.url = default_url;
  info.time_zone = "UTC";
  absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
  if (!provider.ok()) return provider.status();
  info.name = *provider ? absl::StrCat((*provider)->name, " Status") : "Status";
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(kStatusPageSetting);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return info;
  const json document = json::parse(**stored, nullptr, false);
  if (!document.is_object()) return absl::DataLossError("status/page setting is not an object");
  const auto read = [&](const char* key, std::string& out) {
    auto it = document.find(key);
    if (it != document.end() && it->is_string() && !it->get<std::string>().empty()) {
      out = it->get<std::string>();
    }
  };
  read("name", info.name);
  read("url", info.url);
  read("time_zone", info.time_zone);
  return info;
}

absl::Status SaveStatusPageInfo(ports::StoreTransaction& txn, const StatusPageInfo& info) {
  if (info.name.empty() || info.name.size() > 100) {
    return InvalidPageSetting("name", "must be 1 to 100 characters");
  }
  if (info.name.find_first_of("\r\n") != std::string::npos) {
    return InvalidPageSetting("name", "must not contain line breaks");
  }
  const bool http = info.url.starts_with("http://") || info.url.starts_with("https://");
  if (!http || info.url.ends_with('/') ||
      info.url.find_first_of(" \r\n<>\"") != std::string::npos) {
    return InvalidPageSetting("url", "must be an http(s) URL without a trailing slash");
  }
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(info.time_zone, &zone)) {
    return InvalidPageSetting("time_zone", "unknown time zone");
  }
  const json document = {{"name", info.name}, {"url", info.url}, {"time_zone", info.time_zone}};
  return txn.PutSetting(kStatusPageSetting, document.dump());
}

absl::StatusOr<std::string> ReadStatusVersion(ports::StoreTransaction& txn) {
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(kStatusVersionSetting);
  if (!stored.ok()) return stored.status();
  return stored->value_or("");
}

absl::Status BumpStatusVersion(ports::StoreTransaction& txn, std::string_view random_marker) {
  return txn.PutSetting(kStatusVersionSetting, random_marker);
}

}  // namespace casedesk::app

// The status page's identity (setting "status/page": name, public URL, time zone) and the
// change marker ("status/version") that every status write bumps in its own unit of work, so
// each node's page cache notices changes made on any node.
// Thread-safe: stateless functions.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "app/status_page_view.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kStatusPageSetting = "status/page";
inline constexpr std::string_view kStatusVersionSetting = "status/version";

// The stored page settings, with defaults for what is not set: the provider's name + " Status",
// `default_url` (the desk's public URL from configuration) and UTC. The id is fixed per desk.
absl::StatusOr<StatusPageInfo> LoadStatusPageInfo(ports::StoreTransaction& txn,
                                                  const std::string& default_url);

// Validates (name 1..100 characters, url http(s) without a trailing slash, a known IANA zone;
// InvalidArgument naming the field) and stores the page settings.
absl::Status SaveStatusPageInfo(ports::StoreTransaction& txn, const StatusPageInfo& info);

// The change marker: a random value replaced by every change (a counter could be bumped to the
// same value by two nodes at once); empty before the first change.
absl::StatusOr<std::string> ReadStatusVersion(ports::StoreTransaction& txn);
absl::Status BumpStatusVersion(ports::StoreTransaction& txn, std::string_view random_marker);

}  // namespace casedesk::app

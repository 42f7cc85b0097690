// Instants written the way the API, the pages and the audit texts show them: RFC 3339 in UTC
// with whole seconds ("2026-03-09T13:00:00Z"). Thread-safe: pure functions.
#pragma once

#include <string>

#include "absl/time/time.h"

namespace casedesk::core {

// `time` as "YYYY-MM-DDTHH:MM:SSZ", its seconds rounded down (what absl::FormatTime with
// "%Y-%m-%dT%H:%M:%SZ" writes, and the same text for every instant, including the infinite
// ones; years outside 1000-9999 go through absl). Written by hand because a case read formats
// dozens of instants and absl's general formatter was 3.5 % of it.
std::string FormatUtcSeconds(absl::Time time);

}  // namespace casedesk::core

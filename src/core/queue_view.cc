#include "core/queue_view.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/enum_names.h"

namespace casedesk::core {
namespace {

absl::StatusOr<int64_t> PositiveId(std::string_view key, std::string_view value) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(absl::string_view(value.data(), value.size()), &id) || id <= 0) {
    return absl::InvalidArgumentError(std::string(key) + ": must be a positive id");
  }
  return id;
}

// Characters, not bytes: UTF-8 continuation bytes do not start one.
int CharacterCount(std::string_view text) {
  int count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

}  // namespace

std::string EncodeQueueViewFilter(const QueueViewFilter& filter) {
  std::string query = "queue=" + std::string(NameOf<CaseQueue>(kCaseQueueNames, filter.queue));
  if (filter.severity_level > 0) absl::StrAppend(&query, "&severity=", filter.severity_level);
  if (filter.group_id) absl::StrAppend(&query, "&group=", *filter.group_id);
  if (filter.org_id) absl::StrAppend(&query, "&org=", *filter.org_id);
  return query;
}

absl::StatusOr<QueueViewFilter> DecodeQueueViewFilter(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (absl::string_view pair :
       absl::StrSplit(absl::string_view(query.data(), query.size()), '&', absl::SkipEmpty())) {
    const std::vector<absl::string_view> parts = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    pairs.emplace_back(std::string(parts[0]), parts.size() > 1 ? std::string(parts[1]) : "");
  }
  return QueueViewFilterFromPairs(pairs);
}

absl::StatusOr<QueueViewFilter> QueueViewFilterFromPairs(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  QueueViewFilter filter;
  for (const auto& [key, value] : pairs) {
    if (key == "queue") {
      if (value.empty()) continue;
      const std::optional<CaseQueue> queue = EnumFromName<CaseQueue>(kCaseQueueNames, value);
      if (!queue) return absl::InvalidArgumentError("queue: unknown queue \"" + value + "\"");
      filter.queue = *queue;
    } else if (key == "severity") {
      if (value.empty()) continue;
      int level = 0;
      if (!absl::SimpleAtoi(value, &level) || level < 1 || level > 4) {
        return absl::InvalidArgumentError("severity: must be 1, 2, 3 or 4");
      }
      filter.severity_level = level;
    } else if (key == "group" || key == "org") {
      if (value.empty()) continue;
      absl::StatusOr<int64_t> id = PositiveId(key, value);
      if (!id.ok()) return id.status();
      (key == "group" ? filter.group_id : filter.org_id) = *id;
    }
  }
  if (filter.queue == CaseQueue::kBySeverity && filter.severity_level == 0) {
    filter.severity_level = 1;
  }
  return filter;
}

absl::StatusOr<std::string> CheckViewName(std::string_view name) {
  const std::string trimmed(
      absl::StripAsciiWhitespace(absl::string_view(name.data(), name.size())));
  if (trimmed.empty()) return absl::InvalidArgumentError("name: required");
  if (CharacterCount(trimmed) > kMaxViewNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: at most ", kMaxViewNameLength, " characters"));
  }
  for (unsigned char c : trimmed) {
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("name: must not hold control characters");
    }
  }
  return trimmed;
}

}  // namespace casedesk::core

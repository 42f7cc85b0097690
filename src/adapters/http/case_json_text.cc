#include "adapters/http/case_json_text.h"

#include <algorithm>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/api_support.h"
#include "core/enum_names.h"
#include "core/sla_clocks.h"
#include "core/text.h"

namespace casedesk::adapters::http {
namespace {

using core::NameOf;

// A JSON string as nlohmann's dump writes it (UTF-8 kept, control characters escaped, invalid
// UTF-8 replaced: that rare case is left to nlohmann itself, so it comes out the same).
std::string JsonString(std::string_view text) {
  if (!core::IsValidUtf8(text)) {
    return nlohmann::json(std::string(text))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  // Runs of characters that need no escape are copied whole.
  const auto plain = [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  };
  for (size_t at = 0; at < text.size();) {
    size_t run = at;
    while (run < text.size() && plain(text[run])) ++run;
    out.append(text.data() + at, run - at);
    if (run == text.size()) break;
    const char c = text[run];
    at = run + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out.push_back(kHex[(c >> 4) & 0xF]);
        out.push_back(kHex[c & 0xF]);
      }
    }
  }
  out.push_back('"');
  return out;
}

std::string Int(int64_t value) { return std::to_string(value); }
std::string Bool(bool value) { return value ? "true" : "false"; }
std::string Time(absl::Time time) { return JsonString(http::FormatTime(time)); }
std::string OptionalTime(const std::optional<absl::Time>& time) {
  return time ? Time(*time) : "null";
}
template <typename T>
std::string OptionalId(const std::optional<T>& id) {
  return id ? Int(*id) : "null";
}

// An object's members, written in the order nlohmann writes them: sorted by key. Callers add
// them in that order where they can, which spares the sort.
class Members {
 public:
  Members& Add(std::string key, std::string value_json) {
    members_.emplace_back(std::move(key), std::move(value_json));
    return *this;
  }
  std::string Text() {
    const auto by_key = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(members_.begin(), members_.end(), by_key)) {
      std::sort(members_.begin(), members_.end(), by_key);
    }
    std::string out = "{";
    for (const auto& [key, value] : members_) {
      if (out.size() > 1) out.push_back(',');
      out += JsonString(key);
      out.push_back(':');
      out += value;
    }
    out.push_back('}');
    return out;
  }

 private:
  std::vector<std::pair<std::string, std::string>> members_;
};

std::string StringMap(const std::map<std::string, std::string>& map) {
  Members members;
  for (const auto& [key, value] : map) members.Add(key, JsonString(value));
  return members.Text();
}

std::string ClockText(const core::SlaClock& clock) {
  std::string explanation = "[";
  for (const std::string& line : core::ExplainSlaClock(clock)) {
    if (explanation.size() > 1) explanation.push_back(',');
    explanation += JsonString(line);
  }
  explanation.push_back(']');
  return Members()
      .Add("achieved_at", OptionalTime(clock.achieved_at))
      .Add("breached_at", OptionalTime(clock.breached_at))
      .Add("calendar", JsonString(clock.target.calendar))
      .Add("cycle", Int(clock.cycle))
      .Add("due_at", OptionalTime(clock.due_at))
      .Add("elapsed_minutes", Int(absl::ToInt64Minutes(clock.elapsed)))
      .Add("explanation", std::move(explanation))
      .Add("paused", Bool(clock.paused()))
      .Add("remaining_minutes",
           clock.remaining ? Int(absl::ToInt64Minutes(*clock.remaining)) : "null")
      .Add("started_at", OptionalTime(clock.started_at))
      .Add("state", JsonString(NameOf<core::SlaClockState>(core::kSlaClockStateNames, clock.state)))
      .Add("target",
           clock.target.is_named() ? JsonString(clock.target.name) : Int(clock.target.minutes))
      .Add("warning_at", OptionalTime(clock.warning_at))
      .Text();
}

std::string SlaText(const app::CaseSla& sla) {
  Members members;
  if (sla.clocks.estimate) members.Add("estimate", ClockText(*sla.clocks.estimate));
  members.Add("first_response", ClockText(sla.clocks.first_response))
      .Add("next_update", ClockText(sla.clocks.next_update))
      .Add("plan", JsonString(sla.plan))
      .Add("resolution", ClockText(sla.clocks.resolution))
      .Add("severity", Int(core::SeverityLevel(sla.clocks.severity)));
  if (sla.clocks.status_notification) {
    members.Add("status_notification", ClockText(*sla.clocks.status_notification));
  }
  if (sla.clocks.triage) members.Add("triage", ClockText(*sla.clocks.triage));
  return members.Text();
}

}  // namespace

std::string CaseViewJsonText(const app::CaseView& view) {
  const core::Case& record = view.record;
  std::string followers = "[";
  for (core::UserId id : record.followers) {
    if (followers.size() > 1) followers.push_back(',');
    followers += Int(id);
  }
  followers.push_back(']');
  Members members;
  members.Add("assignee_id", OptionalId(record.assignee_id))
      .Add("category", JsonString(NameOf<core::Category>(core::kCategoryNames, record.category)))
      .Add("closed_at", OptionalTime(record.closed_at))
      .Add("component", JsonString(record.component))
      .Add("created_at", Time(record.created_at))
      .Add("description", JsonString(record.description))
      .Add("escalation_tier",
           JsonString(NameOf<core::Tier>(core::kTierNames, record.escalation_tier)))
      .Add("fields", StringMap(record.fields))
      .Add("first_public_reply_at", OptionalTime(record.first_public_reply_at))
      .Add("followers", std::move(followers))
      .Add("group_id", OptionalId(record.group_id))
      .Add("number", Int(record.number))
      .Add("org_id", Int(record.org_id))
      .Add("partner_reference", JsonString(record.partner_reference))
      .Add("product", JsonString(record.product))
      .Add("proposed_severity", Int(core::SeverityLevel(record.proposed_severity)))
      .Add("requester_id", Int(record.requester_id));
  if (view.secret_fields) members.Add("secret_fields", StringMap(*view.secret_fields));
  members.Add("security_incident", Bool(record.security_incident))
      .Add("severity", Int(core::SeverityLevel(record.severity)))
      .Add("severity_confirmed", Bool(record.severity_confirmed))
      .Add("severity_name",
           JsonString(NameOf<core::Severity>(core::kSeverityNames, record.severity)));
  if (view.sla) members.Add("sla", SlaText(*view.sla));
  members.Add("solved_at", OptionalTime(record.solved_at))
      .Add("status", JsonString(NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)))
      .Add("subject", JsonString(record.subject))
      .Add("updated_at", Time(record.updated_at));
  return members.Text();
}

}  // namespace casedesk::adapters::http

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
  for (const char c : text) {
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
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xF]);
          out.push_back(kHex[c & 0xF]);
        } else {
          out.push_back(c);
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

// An object's members, written in the order nlohmann writes them: sorted by key.
class Members {
 public:
  Members& Add(std::string key, std::string value_json) {
    members_.emplace_back(std::move(key), std::move(value_json));
    return *this;
  }
  std::string Text() {
    std::sort(members_.begin(), members_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
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
      .Add("target",
           clock.target.is_named() ? JsonString(clock.target.name) : Int(clock.target.minutes))
      .Add("calendar", JsonString(clock.target.calendar))
      .Add("state", JsonString(NameOf<core::SlaClockState>(core::kSlaClockStateNames, clock.state)))
      .Add("paused", Bool(clock.paused()))
      .Add("cycle", Int(clock.cycle))
      .Add("started_at", OptionalTime(clock.started_at))
      .Add("due_at", OptionalTime(clock.due_at))
      .Add("warning_at", OptionalTime(clock.warning_at))
      .Add("achieved_at", OptionalTime(clock.achieved_at))
      .Add("breached_at", OptionalTime(clock.breached_at))
      .Add("elapsed_minutes", Int(absl::ToInt64Minutes(clock.elapsed)))
      .Add("remaining_minutes",
           clock.remaining ? Int(absl::ToInt64Minutes(*clock.remaining)) : "null")
      .Add("explanation", std::move(explanation))
      .Text();
}

std::string SlaText(const app::CaseSla& sla) {
  Members members;
  members.Add("plan", JsonString(sla.plan))
      .Add("severity", Int(core::SeverityLevel(sla.clocks.severity)))
      .Add("first_response", ClockText(sla.clocks.first_response))
      .Add("next_update", ClockText(sla.clocks.next_update))
      .Add("resolution", ClockText(sla.clocks.resolution));
  if (sla.clocks.triage) members.Add("triage", ClockText(*sla.clocks.triage));
  if (sla.clocks.status_notification) {
    members.Add("status_notification", ClockText(*sla.clocks.status_notification));
  }
  if (sla.clocks.estimate) members.Add("estimate", ClockText(*sla.clocks.estimate));
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
  members.Add("number", Int(record.number))
      .Add("subject", JsonString(record.subject))
      .Add("description", JsonString(record.description))
      .Add("status", JsonString(NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)))
      .Add("severity", Int(core::SeverityLevel(record.severity)))
      .Add("severity_name",
           JsonString(NameOf<core::Severity>(core::kSeverityNames, record.severity)))
      .Add("proposed_severity", Int(core::SeverityLevel(record.proposed_severity)))
      .Add("severity_confirmed", Bool(record.severity_confirmed))
      .Add("category", JsonString(NameOf<core::Category>(core::kCategoryNames, record.category)))
      .Add("product", JsonString(record.product))
      .Add("component", JsonString(record.component))
      .Add("org_id", Int(record.org_id))
      .Add("requester_id", Int(record.requester_id))
      .Add("assignee_id", OptionalId(record.assignee_id))
      .Add("group_id", OptionalId(record.group_id))
      .Add("partner_reference", JsonString(record.partner_reference))
      .Add("followers", std::move(followers))
      .Add("fields", StringMap(record.fields))
      .Add("created_at", Time(record.created_at))
      .Add("updated_at", Time(record.updated_at))
      .Add("first_public_reply_at", OptionalTime(record.first_public_reply_at))
      .Add("solved_at", OptionalTime(record.solved_at))
      .Add("closed_at", OptionalTime(record.closed_at))
      .Add("security_incident", Bool(record.security_incident))
      .Add("escalation_tier",
           JsonString(NameOf<core::Tier>(core::kTierNames, record.escalation_tier)));
  if (view.secret_fields) members.Add("secret_fields", StringMap(*view.secret_fields));
  if (view.sla) members.Add("sla", SlaText(*view.sla));
  return members.Text();
}

}  // namespace casedesk::adapters::http

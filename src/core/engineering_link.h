// Engineering links (issue 7, seed 004): a case escalated to engineering is linked to an issue in
// a tracker ("jira" PROJ-123, its URL, the tracker's state and title). Links are provider-staff
// knowledge only: the customer hears of the fix through the case itself. A change of the
// tracker's state posts an internal note on every linked case and, per the desk's policy for
// that state, also suggests (prompt) or sends (send) a templated public update. This file holds
// the values, their validation, the policy and the webhook signature header's parsing.
// Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

using EngineeringLinkId = int64_t;

struct EngineeringLink {
  EngineeringLinkId id = 0;
  CaseNumber case_number = 0;
  std::string tracker;    // "jira": lower case letters, digits, '-', '_'
  std::string issue_key;  // "PROJ-123", as the tracker names it
  std::string url;        // "" or an http(s) URL
  std::string state;      // the tracker's state, normalised: "open", "in_progress", "released"
  std::string title;
  // The public text suggested by the last state change whose policy is "prompt", waiting for an
  // agent to send it with one click; "" when none.
  std::string pending_update;
  UserId created_by = 0;
  absl::Time created_at = absl::InfinitePast();
  UserId updated_by = 0;  // 0: the tracker's webhook
  absl::Time updated_at = absl::InfinitePast();
};

inline constexpr size_t kMaxTrackerBytes = 32;
inline constexpr size_t kMaxIssueKeyBytes = 100;
inline constexpr size_t kMaxLinkUrlBytes = 2000;
inline constexpr size_t kMaxTrackerStateBytes = 40;
inline constexpr size_t kMaxLinkTitleBytes = 300;
inline constexpr size_t kMaxUpdateTemplateBytes = 4000;

// "In Progress" -> "in_progress": lower case, spaces and '-' become '_', trimmed.
std::string NormaliseTrackerState(std::string_view state);
// "JIRA " -> "jira".
std::string NormaliseTrackerName(std::string_view tracker);

// InvalidArgument naming the field: tracker (1..32 of [a-z0-9_-]), issue_key (1..100 printable
// characters without spaces), url (empty or http:// or https://, at most 2000 bytes, no spaces
// or control characters), state (1..40 of [a-z0-9_]), title (at most 300 bytes, no control
// characters). Expects normalised tracker and state.
absl::Status ValidateEngineeringLink(const EngineeringLink& link);
absl::Status ValidateTrackerState(std::string_view state);

// What a state change does beyond the internal note every linked case gets.
enum class StateAction { kNote, kPrompt, kSend };

inline constexpr std::array<std::pair<StateAction, std::string_view>, 3> kStateActionNames{{
    {StateAction::kNote, "note"},
    {StateAction::kPrompt, "prompt"},
    {StateAction::kSend, "send"},
}};

// The desk's policy: an action and a public text per state. States without an entry only get
// the internal note. Defaults: "released" and "resolved" prompt, with the texts below.
struct EngineeringPolicy {
  std::map<std::string, StateAction> actions;
  std::map<std::string, std::string> templates;
};

EngineeringPolicy DefaultEngineeringPolicy();

// InvalidArgument naming the state: states must be valid, a template 1..4000 bytes without
// control characters other than line breaks and tabs, and a state that prompts or sends needs
// a template.
absl::Status ValidateEngineeringPolicy(const EngineeringPolicy& policy);

StateAction ActionForState(const EngineeringPolicy& policy, std::string_view state);

// The public text for a state with "{case_number}" replaced; nullopt when the state has no
// template. The text never names the tracker, the key or the URL (the link stays internal).
std::optional<std::string> PublicUpdateText(const EngineeringPolicy& policy, std::string_view state,
                                            CaseNumber number);

// The internal note a state change posts on each linked case.
std::string StateChangeNote(const EngineeringLink& link, std::string_view before,
                            StateAction action, const std::optional<std::string>& suggestion);

// "sha256=<64 hex digits>" -> the 32 raw bytes; nullopt for anything else (case-insensitive hex).
std::optional<std::string> ParseSignatureHeader(std::string_view header);

}  // namespace casedesk::core

#include "core/engineering_link.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/text.h"

namespace casedesk::core {
namespace {

bool IsStateChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

std::string Trimmed(std::string_view text) {
  return std::string(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string NormaliseTrackerState(std::string_view state) {
  std::string out = absl::AsciiStrToLower(Trimmed(state));
  for (char& c : out) {
    if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

std::string NormaliseTrackerName(std::string_view tracker) {
  return absl::AsciiStrToLower(Trimmed(tracker));
}

absl::Status ValidateTrackerState(std::string_view state) {
  if (state.empty() || state.size() > kMaxTrackerStateBytes) {
    return absl::InvalidArgumentError("state: 1 to 40 characters");
  }
  for (char c : state) {
    if (!IsStateChar(c)) {
      return absl::InvalidArgumentError("state: letters, digits and '_' only (e.g. in_progress)");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateEngineeringLink(const EngineeringLink& link) {
  if (link.tracker.empty() || link.tracker.size() > kMaxTrackerBytes) {
    return absl::InvalidArgumentError("tracker: 1 to 32 characters (e.g. jira)");
  }
  for (char c : link.tracker) {
    if (!IsStateChar(c) && c != '-') {
      return absl::InvalidArgumentError("tracker: lower-case letters, digits, '-' and '_' only");
    }
  }
  if (link.issue_key.empty() || link.issue_key.size() > kMaxIssueKeyBytes) {
    return absl::InvalidArgumentError("key: 1 to 100 characters (e.g. PROJ-123)");
  }
  for (unsigned char c : link.issue_key) {
    if (c <= 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("key: no spaces or control characters");
    }
  }
  if (!link.url.empty()) {
    if (link.url.size() > kMaxLinkUrlBytes) {
      return absl::InvalidArgumentError("url: at most 2000 bytes");
    }
    const bool web = link.url.starts_with("https://") || link.url.starts_with("http://");
    if (!web) return absl::InvalidArgumentError("url: must start with https:// or http://");
    for (unsigned char c : link.url) {
      if (c <= 0x20 || c == 0x7f) {
        return absl::InvalidArgumentError("url: no spaces or control characters");
      }
    }
  }
  if (absl::Status state = ValidateTrackerState(link.state); !state.ok()) return state;
  if (link.title.size() > kMaxLinkTitleBytes) {
    return absl::InvalidArgumentError("title: at most 300 bytes");
  }
  if (HasControlCharacter(link.title, false)) {
    return absl::InvalidArgumentError("title: must not hold control characters");
  }
  if (link.case_number <= 0) return absl::InvalidArgumentError("case_number: required");
  return absl::OkStatus();
}

EngineeringPolicy DefaultEngineeringPolicy() {
  EngineeringPolicy policy;
  policy.actions["released"] = StateAction::kPrompt;
  policy.actions["resolved"] = StateAction::kPrompt;
  policy.templates["released"] =
      "Good news: the fix for the problem reported in case {case_number} has been released. "
      "Please check that everything works as expected on your side and let us know if anything "
      "is still wrong.";
  policy.templates["resolved"] =
      "An update on case {case_number}: our engineering team has fixed the underlying problem. "
      "The fix is being tested now and we will tell you as soon as it is released.";
  return policy;
}

absl::Status ValidateEngineeringPolicy(const EngineeringPolicy& policy) {
  for (const auto& [state, text] : policy.templates) {
    if (!ValidateTrackerState(state).ok()) {
      return absl::InvalidArgumentError(absl::StrCat("templates: \"", state, "\" is not a state"));
    }
    if (text.empty() || text.size() > kMaxUpdateTemplateBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("templates.", state, ": 1 to 4000 bytes of text"));
    }
    if (HasControlCharacter(text, true)) {
      return absl::InvalidArgumentError(
          absl::StrCat("templates.", state, ": must not hold control characters"));
    }
  }
  for (const auto& [state, action] : policy.actions) {
    if (!ValidateTrackerState(state).ok()) {
      return absl::InvalidArgumentError(absl::StrCat("policies: \"", state, "\" is not a state"));
    }
    if (action != StateAction::kNote && !policy.templates.contains(state)) {
      return absl::InvalidArgumentError(
          absl::StrCat("policies.", state, ": a state that prompts or sends needs a template"));
    }
  }
  return absl::OkStatus();
}

StateAction ActionForState(const EngineeringPolicy& policy, std::string_view state) {
  const auto found = policy.actions.find(std::string(state));
  return found == policy.actions.end() ? StateAction::kNote : found->second;
}

std::optional<std::string> PublicUpdateText(const EngineeringPolicy& policy, std::string_view state,
                                            CaseNumber number) {
  const auto found = policy.templates.find(std::string(state));
  if (found == policy.templates.end()) return std::nullopt;
  return absl::StrReplaceAll(found->second, {{"{case_number}", absl::StrCat(number)}});
}

std::string StateChangeNote(const EngineeringLink& link, std::string_view before,
                            StateAction action, const std::optional<std::string>& suggestion) {
  std::string note =
      absl::StrCat("Engineering: ", link.tracker, " ", link.issue_key, " moved from ",
                   before.empty() ? "(none)" : std::string(before), " to ", link.state, ".");
  if (!link.title.empty()) absl::StrAppend(&note, "\nTitle: ", link.title);
  if (suggestion && action == StateAction::kPrompt) {
    absl::StrAppend(&note,
                    "\n\nSuggested public update (send it with one click in the Engineering "
                    "section):\n",
                    *suggestion);
  } else if (suggestion && action == StateAction::kSend) {
    absl::StrAppend(&note, "\n\nThis public update was sent to the customer:\n", *suggestion);
  }
  return note;
}

std::optional<std::string> ParseSignatureHeader(std::string_view header) {
  header = std::string_view(header.data(), header.size());
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) {
    header.remove_prefix(1);
  }
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) {
    header.remove_suffix(1);
  }
  constexpr std::string_view kPrefix = "sha256=";
  if (!header.starts_with(kPrefix)) return std::nullopt;
  header.remove_prefix(kPrefix.size());
  if (header.size() != 64) return std::nullopt;
  std::string raw;
  raw.reserve(32);
  for (size_t i = 0; i < header.size(); i += 2) {
    const int high = HexValue(header[i]);
    const int low = HexValue(header[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    raw.push_back(static_cast<char>(high * 16 + low));
  }
  return raw;
}

}  // namespace casedesk::core

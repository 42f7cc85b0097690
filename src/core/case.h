// A support case: one customer problem, tracked under a never-reused case number, with its
// severity, status lifecycle, environment facts and (sealed) secret fields.
// Thread-safe: value types.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"
#include "core/severity.h"
#include "core/user.h"

namespace casedesk::core {

enum class CaseStatus { kNew, kOpen, kPending, kOnHold, kSolved, kClosed };

inline constexpr std::array<std::pair<CaseStatus, std::string_view>, 6> kCaseStatusNames{{
    {CaseStatus::kNew, "new"},
    {CaseStatus::kOpen, "open"},
    {CaseStatus::kPending, "pending"},
    {CaseStatus::kOnHold, "on_hold"},
    {CaseStatus::kSolved, "solved"},
    {CaseStatus::kClosed, "closed"},
}};

enum class Category { kIncident, kServiceRequest, kQuestion, kProblem };

inline constexpr std::array<std::pair<Category, std::string_view>, 4> kCategoryNames{{
    {Category::kIncident, "incident"},
    {Category::kServiceRequest, "service_request"},
    {Category::kQuestion, "question"},
    {Category::kProblem, "problem"},
}};

// Structured environment facts support asks for; free-form extra keys are kept too.
inline constexpr std::array<std::string_view, 6> kKnownCaseFields{
    "server_name", "external_ip", "stack", "error_text", "steps_tried", "customer_alias"};

inline constexpr size_t kMaxSubjectLength = 250;
inline constexpr size_t kMaxDescriptionLength = 64 * 1024;
inline constexpr size_t kMaxFieldCount = 32;
inline constexpr size_t kMaxFieldValueLength = 4096;

struct Case {
  CaseNumber number = 0;
  OrgId org_id = 0;
  UserId requester_id = 0;
  std::string subject;
  std::string description;
  Severity severity = Severity::kMinor;
  Severity proposed_severity = Severity::kMinor;  // what the requester chose
  bool severity_confirmed = false;                // triage confirmed or changed it
  CaseStatus status = CaseStatus::kNew;
  Category category = Category::kIncident;
  std::string product;
  std::string component;
  std::optional<UserId> assignee_id;
  std::optional<GroupId> group_id;
  std::string partner_reference;  // the partner's own ticket number
  std::vector<UserId> followers;  // CCs
  std::map<std::string, std::string> fields;
  std::string sealed_secrets;  // encrypted JSON of secret fields; empty when none
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
  std::optional<absl::Time> first_public_reply_at;
  std::optional<absl::Time> solved_at;
  std::optional<absl::Time> closed_at;
  // Flagged as a security incident: from then on, on the provider side only security experts
  // and the managers above them see it (see access.h).
  bool security_incident = false;
  // The tier the case has been raised to by escalation (kNone: not escalated).
  Tier escalation_tier = Tier::kNone;
};

// The lifecycle: new -> open/pending/on_hold/solved; open, pending and on_hold move among each
// other and to solved; solved reopens or closes; closed is final.
bool IsValidTransition(CaseStatus from, CaseStatus to);
absl::Status CheckTransition(CaseStatus from, CaseStatus to);

// Validates subject, description and fields of a case about to be created or edited.
absl::Status ValidateCaseContent(const Case& c);

// The status a case moves to when someone writes a public comment on it (unchanged if none).
// A customer's reply re-opens a solved or pending case; the first staff reply opens a new one.
CaseStatus StatusAfterPublicComment(CaseStatus current, bool author_is_provider_staff);

}  // namespace casedesk::core

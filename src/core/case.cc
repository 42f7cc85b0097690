#include "core/case.h"

#include <string>

namespace casedesk::core {

bool IsValidTransition(CaseStatus from, CaseStatus to) {
  if (from == to) return false;
  switch (from) {
    case CaseStatus::kNew:
    case CaseStatus::kOpen:
    case CaseStatus::kPending:
    case CaseStatus::kOnHold:
      return to == CaseStatus::kOpen || to == CaseStatus::kPending ||
             to == CaseStatus::kOnHold || to == CaseStatus::kSolved;
    case CaseStatus::kSolved:
      return to == CaseStatus::kOpen || to == CaseStatus::kClosed;
    case CaseStatus::kClosed:
      return false;
  }
  return false;
}

absl::Status CheckTransition(CaseStatus from, CaseStatus to) {
  if (IsValidTransition(from, to)) return absl::OkStatus();
  if (from == CaseStatus::kClosed) {
    return absl::FailedPreconditionError("a closed case is final; open a new case instead");
  }
  return absl::FailedPreconditionError(
      "a case cannot move from " + std::string(NameOf<CaseStatus>(kCaseStatusNames, from)) +
      " to " + std::string(NameOf<CaseStatus>(kCaseStatusNames, to)));
}

absl::Status ValidateCaseContent(const Case& c) {
  if (c.subject.empty()) return absl::InvalidArgumentError("subject is required");
  if (c.subject.size() > kMaxSubjectLength) {
    return absl::InvalidArgumentError("subject is longer than 250 characters");
  }
  bool blank = true;
  for (char ch : c.subject) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) {
      return absl::InvalidArgumentError("subject must be a single line without control characters");
    }
    blank = blank && ch == ' ';
  }
  if (blank) return absl::InvalidArgumentError("subject is required");
  if (c.description.size() > kMaxDescriptionLength) {
    return absl::InvalidArgumentError("description is longer than 64 KiB");
  }
  if (c.fields.size() > kMaxFieldCount) {
    return absl::InvalidArgumentError("at most 32 fields");
  }
  for (const auto& [key, value] : c.fields) {
    if (key.empty() || key.size() > 64) {
      return absl::InvalidArgumentError("field names must be 1 to 64 characters");
    }
    if (value.size() > kMaxFieldValueLength) {
      return absl::InvalidArgumentError("field '" + key + "' is longer than 4096 characters");
    }
  }
  return absl::OkStatus();
}

CaseStatus StatusAfterPublicComment(CaseStatus current, bool author_is_provider_staff) {
  if (author_is_provider_staff) {
    return current == CaseStatus::kNew ? CaseStatus::kOpen : current;
  }
  if (current == CaseStatus::kSolved || current == CaseStatus::kPending) return CaseStatus::kOpen;
  return current;
}

}  // namespace casedesk::core

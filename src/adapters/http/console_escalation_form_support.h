// What the console's escalation and on-call forms share: the posted fields, where each element
// of the document they build came from on the form, and the small readers of fields, minutes
// and row-naming messages. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casedesk::adapters::http {

using EscalationFormFields = std::vector<std::pair<std::string, std::string>>;

// Rows and slots beyond these are not read (the pages show far fewer).
inline constexpr int kEscalationFormMaxRows = 60;
inline constexpr int kEscalationFormMaxSlots = 40;

// Where each element of a document came from on the form: rows[k] is the form row (0-based)
// of the document's k-th step or layer, slots[k][j] the slot of its j-th target or
// participant; override_rows likewise for a schedule's overrides.
struct EscalationFormRows {
  std::vector<int> rows;
  std::vector<std::vector<int>> slots;
  std::vector<int> override_rows;
};

// The first value of a field, or "".
std::string EscalationField(const EscalationFormFields& fields, const std::string& name);
// Whether the field was sent at all.
bool EscalationFieldSent(const EscalationFormFields& fields, const std::string& name);
// Every value of the field (checkboxes), in order.
std::vector<std::string> EscalationFieldValues(const EscalationFormFields& fields,
                                               const std::string& name);
std::string EscalationTrimmed(std::string_view text);
// InvalidArgument "<where>: <what>".
absl::Status EscalationRowError(std::string_view where, std::string_view what);
// Whole minutes from a form field; "" is `otherwise`.
absl::StatusOr<int64_t> EscalationMinutes(const std::string& text, int64_t otherwise,
                                          std::string_view where);
// Replaces the first "<list>[k]" of `message` (at its start or after "." or " ") by
// "<label> <rows[k]+1>", a "." before or after it by a space; returns whether it did and,
// through `index` when given, which k it replaced.
bool EscalationRelabel(std::string& message, std::string_view list, std::string_view label,
                       const std::vector<int>& rows, int* index);

}  // namespace casedesk::adapters::http

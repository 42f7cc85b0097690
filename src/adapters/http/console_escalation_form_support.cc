// The escalation forms' shared readers (see console_escalation_form_support.h).
#include "adapters/http/console_escalation_form_support.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace casedesk::adapters::http {

std::string EscalationField(const EscalationFormFields& fields, const std::string& name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return value;
  }
  return "";
}

bool EscalationFieldSent(const EscalationFormFields& fields, const std::string& name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return true;
  }
  return false;
}

std::vector<std::string> EscalationFieldValues(const EscalationFormFields& fields,
                                               const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [key, value] : fields) {
    if (key == name) values.push_back(value);
  }
  return values;
}

std::string EscalationTrimmed(std::string_view text) {
  return std::string(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
}

absl::Status EscalationRowError(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(where), ": ", std::string(what)));
}

absl::StatusOr<int64_t> EscalationMinutes(const std::string& text, int64_t otherwise,
                                          std::string_view where) {
  const std::string trimmed = EscalationTrimmed(text);
  if (trimmed.empty()) return otherwise;
  int64_t minutes = 0;
  if (!absl::SimpleAtoi(trimmed, &minutes)) {
    return EscalationRowError(where, "give a whole number of minutes");
  }
  return minutes;
}

bool EscalationRelabel(std::string& message, std::string_view list, std::string_view label,
                       const std::vector<int>& rows, int* index) {
  const std::string needle = absl::StrCat(std::string(list), "[");
  const size_t at = message.find(needle);
  if (at == std::string::npos) return false;
  if (at > 0 && message[at - 1] != '.' && message[at - 1] != ' ') return false;
  const size_t close = message.find(']', at);
  int k = 0;
  if (close == std::string::npos ||
      !absl::SimpleAtoi(message.substr(at + needle.size(), close - at - needle.size()), &k) ||
      k < 0 || k >= static_cast<int>(rows.size())) {
    return false;
  }
  size_t start = at;
  if (at > 0 && message[at - 1] == '.') start = at - 1;  // "levels[0].targets[1]"
  std::string text = absl::StrCat(start == at ? "" : " ", std::string(label), " ", rows[k] + 1);
  size_t end = close + 1;
  if (end < message.size() && message[end] == '.') {  // "levels[0].clocks[1]"
    ++end;
    text += " ";
  }
  message.replace(start, end - start, text);
  if (index) *index = k;
  return true;
}

}  // namespace casedesk::adapters::http

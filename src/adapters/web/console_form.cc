#include "adapters/web/console_form.h"

#include <algorithm>

namespace casedesk::adapters::web {

std::string PostedForm::Value(std::string_view field) const {
  for (const auto& [key, value] : fields) {
    if (key == field) return value;
  }
  return "";
}

bool PostedForm::Has(std::string_view field, std::string_view value) const {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const auto& pair) { return pair.first == field && pair.second == value; });
}

bool PostedForm::Sent(std::string_view field) const {
  return std::any_of(fields.begin(), fields.end(),
                     [&](const auto& pair) { return pair.first == field; });
}

std::string PostedForm::ErrorField() const {
  const size_t colon = error.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  const std::string field = error.substr(0, colon);
  const bool plain = std::all_of(field.begin(), field.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  return plain ? field : "";
}

}  // namespace casedesk::adapters::web

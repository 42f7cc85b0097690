// What a console form sent, kept to re-render it after a refusal: which form it was, the fields
// as typed, and the error to show next to it (an absl::Status message such as "name: required").
// Thread-safe: a value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace casedesk::adapters::web {

struct PostedForm {
  // Which form on the page was posted (e.g. "add-component", "component-12", "incident",
  // "maintenance", "update", "link-case"); empty when the page is shown fresh.
  std::string name;
  std::vector<std::pair<std::string, std::string>> fields;  // as posted, in order
  std::string error;                                        // shown next to the form; escaped

  bool Is(std::string_view form) const { return !name.empty() && name == form; }
  // The first value of `field`, or "".
  std::string Value(std::string_view field) const;
  // Whether `field` was sent with `value` (checkboxes, several of the same name).
  bool Has(std::string_view field, std::string_view value) const;
  // Whether `field` was sent at all.
  bool Sent(std::string_view field) const;
  // The field the error is about: the part before ": " when it is a plain field name
  // ("status" of "status: unknown"), else "".
  std::string ErrorField() const;
};

}  // namespace casedesk::adapters::web

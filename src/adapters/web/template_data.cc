// Builders of template data (see template_data.h).
#include "adapters/web/template_data.h"

#include <string>

#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {

TemplateData EmptyList() { return TemplateData{TemplateData::type::list}; }

TemplateData EmptyObject() { return TemplateData{TemplateData::type::object}; }

TemplateData CleanTextOrFalse(std::string_view text) {
  return text.empty() ? TemplateData{false} : TemplateData{CleanText(text)};
}

TemplateData PartialData(std::string_view text) {
  return TemplateData{kainjow::mustache::partial([text] { return std::string(text); })};
}

}  // namespace casedesk::adapters::web

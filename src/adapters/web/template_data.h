// Small builders of the mustache data the page templates render, shared by every page so that
// each file does not keep its own copy. Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string_view>

namespace casedesk::adapters::web {

using TemplateData = kainjow::mustache::data;

TemplateData EmptyList();
TemplateData EmptyObject();

// CleanText(text), or false when `text` is empty, so "{{#x}}...{{/x}}" shows nothing for it.
TemplateData CleanTextOrFalse(std::string_view text);

// A partial whose template is `text`; `text` must outlive the rendering (templates are
// string constants).
TemplateData PartialData(std::string_view text);

}  // namespace casedesk::adapters::web

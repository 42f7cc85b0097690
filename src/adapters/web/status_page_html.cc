#include "adapters/web/status_page_html.h"

#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "adapters/web/status_page_model.h"
#include "adapters/web/status_page_templates.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = StatusPageModel::Data;

std::string Render(Data& data, std::string_view main_partial) {
  data.set("main", Data{mustache::partial([main_partial] { return std::string(main_partial); })});
  mustache::mustache layout{std::string(LayoutTemplate())};
  return layout.render(data);
}

}  // namespace

std::string RenderStatusPage(const app::StatusPageSnapshot& s, const StatusPageOptions& o) {
  const StatusPageModel model(s);
  Data data = model.Layout(s.page.name, o.notice, o.error, /*live=*/true,
                           /*show_subscribe=*/true);
  model.AddStatusMain(data);
  return Render(data, StatusMainPartial());
}

std::string RenderIncidentPage(const app::StatusPageSnapshot& s, const core::Incident& incident,
                               const StatusPageOptions& o) {
  const StatusPageModel model(s);
  Data data = model.Layout(absl::StrCat(incident.name, " \u00B7 ", s.page.name), o.notice, o.error,
                           /*live=*/true, /*show_subscribe=*/true);
  model.AddEvent(incident, data);
  return Render(data, IncidentMainPartial());
}

std::string RenderStatusMessagePage(const app::StatusPageSnapshot& s, const StatusMessagePage& m) {
  const StatusPageModel model(s);
  Data data = model.Layout(absl::StrCat(m.title, " \u00B7 ", s.page.name), "", "",
                           /*live=*/false, /*show_subscribe=*/false);
  data.set("message_title", Data{m.title});
  data.set("message_text", Data{m.message});
  data.set("has_form", !m.form_action.empty());
  data.set("form_action", Data{m.form_action});
  data.set("button_label", Data{m.button_label.empty() ? std::string("Continue") : m.button_label});
  Data hidden{Data::type::list};
  for (const auto& [name, value] : m.hidden_fields) {
    Data field{Data::type::object};
    field.set("hidden_name", name);
    field.set("hidden_value", value);
    hidden.push_back(field);
  }
  data.set("hidden_fields", hidden);
  return Render(data, MessageMainPartial());
}

}  // namespace casedesk::adapters::web

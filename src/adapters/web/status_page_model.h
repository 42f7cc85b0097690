// Turns a status page snapshot into the mustache data the status page templates render: every
// user text cleaned (CleanText) and left to the templates to escape, times as <time> values,
// statuses with their words and icons.
// Thread-safe: a value built and used by one render.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>

#include "absl/time/time.h"
#include "app/status_page_view.h"
#include "core/status_page.h"

namespace casedesk::adapters::web {

class StatusPageModel {
 public:
  using Data = kainjow::mustache::data;

  explicit StatusPageModel(const app::StatusPageSnapshot& snapshot);

  // The layout's keys and every partial. `notice`/`error` may be empty.
  Data Layout(const std::string& doc_title, const std::string& notice, const std::string& error,
              bool live, bool show_subscribe) const;
  // Adds the keys of GET /status's main part to `data`.
  void AddStatusMain(Data& data) const;
  // Adds one incident's or maintenance's keys (name, status, window, timeline...) to `data`.
  void AddEvent(const core::Incident& event, Data& data) const;
  // Adds the subscribe form's component choices.
  void AddSubscribeChoices(Data& data) const;

  const app::StatusPageSnapshot& snapshot() const { return snapshot_; }

 private:
  Data Event(const core::Incident& event) const;
  Data Component(const core::StatusComponent& component, bool top_level) const;
  Data Body(const std::string& text) const;
  Data Bars(const std::vector<core::UptimeDay>& days) const;
  void AddTime(Data& data, const std::string& prefix, absl::Time time) const;

  const app::StatusPageSnapshot& snapshot_;
  absl::TimeZone zone_;
};

}  // namespace casedesk::adapters::web

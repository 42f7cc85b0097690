#include "adapters/web/console_notices.h"

#include <array>
#include <utility>

namespace casedesk::adapters::web {

std::string ConsoleNoticeText(std::string_view code) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kTexts = {{
      {kNoticeComponentAdded, "Component added."},
      {kNoticeComponentSaved, "Component status saved."},
      {kNoticeIncidentOpened, "Incident opened."},
      {kNoticeMaintenanceScheduled, "Maintenance scheduled."},
      {kNoticeUpdatePosted, "Update posted."},
      {kNoticeCaseLinked, "Case linked."},
      {kNoticeCaseUnlinked, "Case unlinked."},
  }};
  for (const auto& [known, text] : kTexts) {
    if (known == code) return std::string(text);
  }
  return "";
}

}  // namespace casedesk::adapters::web

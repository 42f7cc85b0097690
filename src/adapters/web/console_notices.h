// The one-line confirmations console pages show after a successful POST: the redirect names a
// code in its query (?notice=update-posted) and the page maps it to a fixed text, so nothing a
// link carries is ever echoed. Thread-safe: a pure function over a constant table.
#pragma once

#include <string>
#include <string_view>

namespace casedesk::adapters::web {

inline constexpr std::string_view kNoticeComponentAdded = "component-added";
inline constexpr std::string_view kNoticeComponentSaved = "component-saved";
inline constexpr std::string_view kNoticeIncidentOpened = "incident-opened";
inline constexpr std::string_view kNoticeMaintenanceScheduled = "maintenance-scheduled";
inline constexpr std::string_view kNoticeUpdatePosted = "update-posted";
inline constexpr std::string_view kNoticeCaseLinked = "case-linked";
inline constexpr std::string_view kNoticeCaseUnlinked = "case-unlinked";

// The text for a notice code; "" for an unknown one.
std::string ConsoleNoticeText(std::string_view code);

}  // namespace casedesk::adapters::web

#include "ports/mail_records.h"

#include <array>
#include <utility>

namespace casedesk::ports {
namespace {

constexpr std::array<std::pair<InboundMailStatus, std::string_view>, 9> kNames{{
    {InboundMailStatus::kCaseOpened, "case_opened"},
    {InboundMailStatus::kReplyAdded, "reply_added"},
    {InboundMailStatus::kEscalated, "escalated"},
    {InboundMailStatus::kQuarantined, "quarantined"},
    {InboundMailStatus::kRejected, "rejected"},
    {InboundMailStatus::kAutomatic, "automatic"},
    {InboundMailStatus::kBounce, "bounce"},
    {InboundMailStatus::kDuplicate, "duplicate"},
    {InboundMailStatus::kFailed, "failed"},
}};

}  // namespace

std::string_view InboundMailStatusName(InboundMailStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "failed";
}

std::optional<InboundMailStatus> InboundMailStatusFromName(std::string_view name) {
  for (const auto& [value, text] : kNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

}  // namespace casedesk::ports

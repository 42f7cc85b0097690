// The directory pages' words (see console_directory_labels.h).
#include "adapters/web/console_directory_labels.h"

#include <array>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

template <typename Enum, size_t N>
TemplateData DirectoryEnumOptions(const std::array<std::pair<Enum, std::string_view>, N>& names,
                                  std::type_identity_t<std::string_view (*)(Enum)> text,
                                  std::string_view selected, std::string_view any_label,
                                  std::type_identity_t<bool (*)(Enum)> shown) {
  TemplateData options = EmptyList();
  if (!any_label.empty()) {
    TemplateData any = EmptyObject();
    any.set("value", std::string());
    any.set("label", std::string(any_label));
    any.set("selected", selected.empty());
    options.push_back(any);
  }
  for (const auto& [value, name] : names) {
    if (shown && !shown(value)) continue;
    TemplateData option = EmptyObject();
    option.set("value", std::string(name));
    option.set("label", std::string(text(value)));
    option.set("selected", name == selected);
    options.push_back(option);
  }
  return options;
}

// "Added", "Changed", ... for the directory's own event kinds; others as the case pages say.
std::string DirectoryEventKindText(std::string_view kind) {
  static const std::pair<std::string_view, std::string_view> kKinds[] = {
      {"user.created", "Added"},
      {"user.updated", "Changed"},
      {"user.pin_rotated", "Support PIN rotated"},
      {"group.created", "Group created"},
      {"group.updated", "Group changed"},
      {"organisation.created", "Organisation added"},
      {"organisation.updated", "Organisation changed"},
  };
  for (const auto& [name, text] : kKinds) {
    if (name == kind) return std::string(text);
  }
  return EventKindText(kind);
}

}  // namespace

std::string_view RoleText(core::Role role) {
  switch (role) {
    case core::Role::kCustomer:
      return "Customer contact";
    case core::Role::kPartnerAgent:
      return "Partner agent";
    case core::Role::kAgent:
      return "Agent";
    case core::Role::kSuccessManager:
      return "Success manager";
    case core::Role::kAdmin:
      return "Admin";
  }
  return "Unknown";
}

std::string_view TierText(core::Tier tier) {
  switch (tier) {
    case core::Tier::kNone:
      return "None";
    case core::Tier::kShiftEngineer:
      return "Shift engineer";
    case core::Tier::kShiftLead:
      return "Shift lead";
    case core::Tier::kSme:
      return "Subject-matter expert";
    case core::Tier::kSupportManager:
      return "Support manager";
    case core::Tier::kExecutive:
      return "Executive";
  }
  return "Unknown";
}

std::string_view OrgKindText(core::OrgKind kind) {
  switch (kind) {
    case core::OrgKind::kProvider:
      return "Provider";
    case core::OrgKind::kPartner:
      return "Partner";
    case core::OrgKind::kCustomer:
      return "Customer";
  }
  return "Unknown";
}

TemplateData RoleOptions(std::string_view selected, std::string_view any_label) {
  return DirectoryEnumOptions(core::kRoleNames, &RoleText, selected, any_label, nullptr);
}

TemplateData TierOptions(std::string_view selected) {
  return DirectoryEnumOptions(core::kTierNames, &TierText, selected, "", nullptr);
}

TemplateData OrgKindOptions(std::string_view selected, std::string_view any_label) {
  return DirectoryEnumOptions(
      core::kOrgKindNames, &OrgKindText, selected, any_label,
      +[](core::OrgKind kind) { return kind != core::OrgKind::kProvider; });
}

TemplateData DirectoryEventData(const core::AuditEvent& event,
                                const std::map<core::UserId, std::string>& names) {
  std::vector<std::string> changes;
  for (const core::FieldChange& change : event.changes) {
    changes.push_back(change.before.empty() ? absl::StrCat(change.field, ": ", change.after)
                                            : absl::StrCat(change.field, ": ", change.before,
                                                           " \xE2\x86\x92 ", change.after));
  }
  TemplateData data = EmptyObject();
  data.set("event_kind", CleanText(DirectoryEventKindText(event.kind)));
  data.set("event_changes", CleanText(absl::StrJoin(changes, "; ")));
  data.set("event_actor", CleanText(PersonName(names, event.actor_id)));
  data.set("event_iso", IsoTime(event.at));
  data.set("event_time", ShortTime(event.at));
  return data;
}

}  // namespace casedesk::adapters::web

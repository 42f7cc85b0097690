#include "app/portal_intake.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

using Json = nlohmann::json;

constexpr size_t kMaxPlans = 100;

absl::StatusOr<std::vector<std::string>> FieldList(const Json& json, const std::string& path) {
  if (!json.is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": must be an array of field names"));
  }
  std::vector<std::string> fields;
  for (size_t i = 0; i < json.size(); ++i) {
    const std::string at = absl::StrCat(path, "[", i, "]");
    if (!json[i].is_string()) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": must be a string"));
    }
    const std::string key = json[i].get<std::string>();
    if (!IsIntakeField(key)) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": unknown intake field '", key, "'"));
    }
    if (std::find(fields.begin(), fields.end(), key) != fields.end()) {
      return absl::InvalidArgumentError(absl::StrCat(at, ": '", key, "' is listed twice"));
    }
    fields.push_back(key);
  }
  return fields;
}

std::string ListText(const std::vector<std::string>& fields) { return absl::StrJoin(fields, ","); }

std::vector<core::FieldChange> Changes(const PortalIntakeSettings& before,
                                       const PortalIntakeSettings& after) {
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "required", ListText(before.required), ListText(after.required));
  for (const auto& [category, name] : core::kCategoryNames) {
    const auto list = [category](const PortalIntakeSettings& settings) {
      const auto it = settings.categories.find(category);
      return it == settings.categories.end() ? std::string() : ListText(it->second);
    };
    core::RecordChange(changes, absl::StrCat("categories.", std::string(name)), list(before),
                       list(after));
  }
  std::set<std::string> plans;
  for (const auto& [plan, fields] : before.plans) plans.insert(plan);
  for (const auto& [plan, fields] : after.plans) plans.insert(plan);
  for (const std::string& plan : plans) {
    const auto list = [&plan](const PortalIntakeSettings& settings) {
      const auto it = settings.plans.find(plan);
      return it == settings.plans.end() ? std::string() : ListText(it->second);
    };
    core::RecordChange(changes, absl::StrCat("plans.", plan), list(before), list(after));
  }
  return changes;
}

}  // namespace

bool IsIntakeField(std::string_view key) {
  return std::find(kIntakeCaseFields.begin(), kIntakeCaseFields.end(), key) !=
             kIntakeCaseFields.end() ||
         key == kIntakePartnerReference || key == kIntakeCc || key == kIntakeAttachments ||
         key == kIntakeCredentials;
}

PortalIntakeSettings DefaultPortalIntakeSettings() {
  PortalIntakeSettings settings;
  settings.categories[core::Category::kIncident] = {"server_name", "error_text", "steps_tried"};
  settings.categories[core::Category::kProblem] = {"error_text", "steps_tried"};
  settings.categories[core::Category::kServiceRequest] = {"server_name"};
  settings.categories[core::Category::kQuestion] = {};
  return settings;
}

absl::StatusOr<PortalIntakeSettings> PortalIntakeSettingsFromJson(const Json& json) {
  if (!json.is_object()) return absl::InvalidArgumentError("intake settings: must be an object");
  PortalIntakeSettings settings;
  for (const auto& [key, value] : json.items()) {
    if (key == "required") {
      absl::StatusOr<std::vector<std::string>> fields = FieldList(value, "required");
      if (!fields.ok()) return fields.status();
      settings.required = *std::move(fields);
    } else if (key == "categories") {
      if (!value.is_object()) return absl::InvalidArgumentError("categories: must be an object");
      for (const auto& [name, list] : value.items()) {
        const std::optional<core::Category> category =
            core::EnumFromName<core::Category>(core::kCategoryNames, name);
        if (!category) {
          return absl::InvalidArgumentError(
              absl::StrCat("categories: unknown category '", name,
                           "' (incident, service_request, question, problem)"));
        }
        absl::StatusOr<std::vector<std::string>> fields =
            FieldList(list, absl::StrCat("categories.", name));
        if (!fields.ok()) return fields.status();
        settings.categories[*category] = *std::move(fields);
      }
    } else if (key == "plans") {
      if (!value.is_object()) return absl::InvalidArgumentError("plans: must be an object");
      if (value.size() > kMaxPlans) {
        return absl::InvalidArgumentError(absl::StrCat("plans: at most ", kMaxPlans, " plans"));
      }
      for (const auto& [plan, list] : value.items()) {
        if (plan.empty() || plan.size() > 64) {
          return absl::InvalidArgumentError("plans: plan names are 1..64 characters");
        }
        absl::StatusOr<std::vector<std::string>> fields =
            FieldList(list, absl::StrCat("plans.", plan));
        if (!fields.ok()) return fields.status();
        settings.plans[plan] = *std::move(fields);
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown field '", key, "'"));
    }
  }
  return settings;
}

Json PortalIntakeSettingsToJson(const PortalIntakeSettings& settings) {
  Json categories = Json::object();
  for (const auto& [category, fields] : settings.categories) {
    categories[std::string(core::NameOf<core::Category>(core::kCategoryNames, category))] = fields;
  }
  Json plans = Json::object();
  for (const auto& [plan, fields] : settings.plans) plans[plan] = fields;
  return Json{{"required", settings.required}, {"categories", categories}, {"plans", plans}};
}

std::set<std::string> RequiredIntakeFields(const PortalIntakeSettings& settings,
                                           std::string_view plan, core::Category category) {
  std::set<std::string> required(settings.required.begin(), settings.required.end());
  if (const auto it = settings.categories.find(category); it != settings.categories.end()) {
    required.insert(it->second.begin(), it->second.end());
  }
  if (const auto it = settings.plans.find(std::string(plan)); it != settings.plans.end()) {
    required.insert(it->second.begin(), it->second.end());
  }
  return required;
}

absl::StatusOr<PortalIntakeSettings> LoadPortalIntakeSettings(ports::StoreTransaction& txn) {
  absl::StatusOr<std::optional<std::string>> text = txn.GetSetting(kPortalIntakeSetting);
  if (!text.ok()) return text.status();
  if (!*text) return DefaultPortalIntakeSettings();
  const Json json = Json::parse(**text, nullptr, /*allow_exceptions=*/false);
  absl::StatusOr<PortalIntakeSettings> settings = PortalIntakeSettingsFromJson(json);
  if (!settings.ok()) {
    return absl::DataLossError(
        absl::StrCat("stored portal intake settings are damaged: ", settings.status().message()));
  }
  return settings;
}

absl::StatusOr<PortalIntakeSettings> GetPortalIntakeSettings(AppContext& context) {
  return ReadValue<PortalIntakeSettings>(context.store, LoadPortalIntakeSettings);
}

void ReplacePortalIntakeSettings(AppContext& context, const core::Viewer& viewer,
                                 PortalIntakeSettings settings, Done<PortalIntakeSettings> done) {
  if (!core::IsAdmin(viewer)) {
    done(absl::PermissionDeniedError("only an admin may change the portal's intake settings"));
    return;
  }
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<PortalIntakeSettings>(
      context.store,
      [settings = std::move(settings), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<PortalIntakeSettings> {
        absl::StatusOr<PortalIntakeSettings> before = LoadPortalIntakeSettings(txn);
        // A damaged document is replaced; the event then records every list as new.
        const PortalIntakeSettings previous = before.ok() ? *before : PortalIntakeSettings{};
        if (absl::Status put =
                txn.PutSetting(kPortalIntakeSetting, PortalIntakeSettingsToJson(settings).dump());
            !put.ok()) {
          return put;
        }
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("setting", std::string(kPortalIntakeSetting), actor, now,
                                           "portal.intake_changed", Changes(previous, settings)));
        if (!event.ok()) return event.status();
        return settings;
      },
      std::move(done));
}

}  // namespace casedesk::app

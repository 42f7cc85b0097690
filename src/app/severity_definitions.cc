#include "app/severity_definitions.h"

#include <algorithm>
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxSeverityNameLength = 40;
constexpr size_t kMaxSummaryLength = 300;
constexpr size_t kMaxSeverityDescriptionLength = 4000;
constexpr size_t kMaxExamples = 20;
constexpr size_t kMaxExampleLength = 300;

void SortByLevel(std::vector<core::SeverityDefinition>& definitions) {
  std::sort(definitions.begin(), definitions.end(), [](const auto& a, const auto& b) {
    return core::SeverityLevel(a.level) < core::SeverityLevel(b.level);
  });
}

}  // namespace

std::vector<core::SeverityDefinition> DefaultSeverityDefinitions() {
  return {
      {.level = core::Severity::kCritical,
       .name = "Critical",
       .summary = "Production is down, or so impaired that it cannot be used.",
       .description =
           "A production service has stopped, or fails for most of its users, and neither a "
           "restart nor a workaround brings it back. The business cannot carry on as normal. "
           "Data being lost or corrupted always counts as critical.",
       .examples = {"The service does not respond, or every request fails",
                    "Data is lost or corrupted",
                    "Throughput or response times are at least halved, so production cannot "
                    "rely on the service"}},
      {.level = core::Severity::kMajor,
       .name = "Major",
       .summary = "Production runs, but an important function fails or is badly degraded.",
       .description =
           "The service keeps working in production but is interrupted again and again, or an "
           "important function cannot be used, and no restart or workaround removes the "
           "problem. Work goes on, with real difficulty.",
       .examples = {"Repeated interruptions, or intermittent errors that hamper daily use",
                    "Performance poor enough to slow the customer's work down markedly",
                    "A fault that does not stop work today but will hurt it if left alone"}},
      {.level = core::Severity::kMinor,
       .name = "Minor",
       .summary = "A fault with limited effect on production, or any fault outside production.",
       .description =
           "Errors that barely affect production, errors a restart or a workaround gets around, "
           "and problems in test, development or staging systems. A critical or major case is "
           "lowered to this level once a workaround has removed its effect on production.",
       .examples = {"Occasional errors with little or no effect on operations",
                    "A small loss of performance",
                    "A fault in a test or development environment"}},
      {.level = core::Severity::kOther,
       .name = "Other",
       .summary = "Anything that does not affect the use of the service.",
       .description =
           "Questions, requests for new features, cosmetic defects and mistakes in the "
           "documentation: nothing that stops or slows the customer's work.",
       .examples = {"A mistake in the documentation", "A request for a new feature",
                    "A cosmetic problem in the portal", "A how-to question"}},
  };
}

absl::Status ValidateSeverityDefinitions(
    const std::vector<core::SeverityDefinition>& definitions) {
  std::array<bool, 5> seen{};
  for (const core::SeverityDefinition& definition : definitions) {
    const int level = core::SeverityLevel(definition.level);
    if (level < 1 || level > 4) return absl::InvalidArgumentError("level must be 1 to 4");
    if (seen[level]) {
      return absl::InvalidArgumentError(absl::StrCat("level ", level, " is defined twice"));
    }
    seen[level] = true;
    if (definition.name.empty() || definition.name.size() > kMaxSeverityNameLength) {
      return absl::InvalidArgumentError(absl::StrCat("level ", level, ": name must be 1 to ",
                                                     kMaxSeverityNameLength, " characters"));
    }
    if (definition.summary.empty() || definition.summary.size() > kMaxSummaryLength) {
      return absl::InvalidArgumentError(absl::StrCat(
          "level ", level, ": summary must be 1 to ", kMaxSummaryLength, " characters"));
    }
    if (definition.description.size() > kMaxSeverityDescriptionLength) {
      return absl::InvalidArgumentError(absl::StrCat("level ", level,
                                                     ": description must be at most ",
                                                     kMaxSeverityDescriptionLength, " characters"));
    }
    if (definition.examples.size() > kMaxExamples) {
      return absl::InvalidArgumentError(
          absl::StrCat("level ", level, ": at most ", kMaxExamples, " examples"));
    }
    for (const std::string& example : definition.examples) {
      if (example.empty() || example.size() > kMaxExampleLength) {
        return absl::InvalidArgumentError(absl::StrCat(
            "level ", level, ": each example must be 1 to ", kMaxExampleLength, " characters"));
      }
    }
  }
  if (definitions.size() != 4) {
    return absl::InvalidArgumentError("define each of the levels 1 to 4 exactly once");
  }
  return absl::OkStatus();
}

std::string SeverityDefinitionsToSetting(
    const std::vector<core::SeverityDefinition>& definitions) {
  nlohmann::json levels = nlohmann::json::array();
  for (const core::SeverityDefinition& definition : definitions) {
    levels.push_back({{"level", core::SeverityLevel(definition.level)},
                      {"name", definition.name},
                      {"summary", definition.summary},
                      {"description", definition.description},
                      {"examples", definition.examples}});
  }
  return nlohmann::json{{"levels", std::move(levels)}}.dump();
}

absl::StatusOr<std::vector<core::SeverityDefinition>> SeverityDefinitionsFromSetting(
    std::string_view text) {
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
  const auto malformed = [] {
    return absl::DataLossError("the stored severity definitions are malformed");
  };
  if (document.is_discarded() || !document.is_object() || !document.contains("levels") ||
      !document["levels"].is_array()) {
    return malformed();
  }
  std::vector<core::SeverityDefinition> definitions;
  for (const nlohmann::json& level : document["levels"]) {
    if (!level.is_object() || !level.value("level", nlohmann::json()).is_number_integer() ||
        !level.value("name", nlohmann::json()).is_string() ||
        !level.value("summary", nlohmann::json()).is_string() ||
        !level.value("description", nlohmann::json()).is_string() ||
        !level.value("examples", nlohmann::json()).is_array()) {
      return malformed();
    }
    core::SeverityDefinition definition;
    if (!core::SeverityFromLevel(level["level"].get<int>(), &definition.level)) return malformed();
    definition.name = level["name"].get<std::string>();
    definition.summary = level["summary"].get<std::string>();
    definition.description = level["description"].get<std::string>();
    for (const nlohmann::json& example : level["examples"]) {
      if (!example.is_string()) return malformed();
      definition.examples.push_back(example.get<std::string>());
    }
    definitions.push_back(std::move(definition));
  }
  SortByLevel(definitions);
  return definitions;
}

absl::StatusOr<std::vector<core::SeverityDefinition>> LoadSeverityDefinitions(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::optional<std::string>> stored =
      txn.GetSetting(kSeverityDefinitionsSetting);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return DefaultSeverityDefinitions();
  return SeverityDefinitionsFromSetting(**stored);
}

absl::StatusOr<std::vector<core::SeverityDefinition>> GetSeverityDefinitions(
    AppContext& context) {
  return ReadValue<std::vector<core::SeverityDefinition>>(
      context.store, [](ports::StoreTransaction& txn) { return LoadSeverityDefinitions(txn); });
}

void ReplaceSeverityDefinitions(
    AppContext& context, const core::Viewer& viewer,
    std::vector<core::SeverityDefinition> definitions,
    std::function<void(absl::StatusOr<std::vector<core::SeverityDefinition>>)> done) {
  if (!core::IsAdmin(viewer)) {
    done(absl::PermissionDeniedError("only an admin may change the severity definitions"));
    return;
  }
  if (absl::Status valid = ValidateSeverityDefinitions(definitions); !valid.ok()) {
    done(valid);
    return;
  }
  SortByLevel(definitions);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<std::vector<core::SeverityDefinition>>(
      context.store,
      [definitions = std::move(definitions), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::SeverityDefinition>> {
        absl::StatusOr<std::vector<core::SeverityDefinition>> before =
            LoadSeverityDefinitions(txn);
        // A damaged document is replaced; the event then records every field as new.
        std::vector<core::SeverityDefinition> previous =
            before.ok() ? *std::move(before) : std::vector<core::SeverityDefinition>{};
        std::vector<core::FieldChange> changes;
        for (const core::SeverityDefinition& after : definitions) {
          core::SeverityDefinition old;
          for (const core::SeverityDefinition& candidate : previous) {
            if (candidate.level == after.level) old = candidate;
          }
          const std::string prefix = absl::StrCat(core::SeverityLevel(after.level), ".");
          core::RecordChange(changes, prefix + "name", old.name, after.name);
          core::RecordChange(changes, prefix + "summary", old.summary, after.summary);
          core::RecordChange(changes, prefix + "description", old.description,
                             after.description);
          core::RecordChange(changes, prefix + "examples", absl::StrJoin(old.examples, "\n"),
                             absl::StrJoin(after.examples, "\n"));
        }
        if (absl::Status put =
                txn.PutSetting(kSeverityDefinitionsSetting, SeverityDefinitionsToSetting(definitions));
            !put.ok()) {
          return put;
        }
        absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
            "setting", std::string(kSeverityDefinitionsSetting), actor, now,
            "severity_definitions.updated", std::move(changes)));
        if (!event.ok()) return event.status();
        return definitions;
      },
      std::move(done));
}

}  // namespace casedesk::app

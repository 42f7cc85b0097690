#include "adapters/http/api_kb_json.h"

#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json OptionalTime(const std::optional<absl::Time>& time) {
  return time ? json(http::FormatTime(*time)) : json(nullptr);
}

template <typename T>
json OptionalValue(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

std::string VisibilityName(core::KbVisibility visibility) {
  return std::string(core::NameOf<core::KbVisibility>(core::kKbVisibilityNames, visibility));
}

}  // namespace

std::string KbArticlePath(core::KbArticleId id) { return absl::StrCat("/help/articles/", id); }

json KbArticleSummaryToJson(const core::KbArticle& article, bool staff) {
  json out = {
      {"id", article.id},
      {"title", staff ? article.title : article.published_title},
      {"visibility", VisibilityName(article.visibility)},
      {"status", std::string(core::NameOf<core::KbStatus>(core::kKbStatusNames, article.status))},
      {"section_id", OptionalValue(article.section_id)},
      {"published_version", OptionalValue(article.published_version)},
      {"published_at", OptionalTime(article.published_at)},
      {"updated_at", http::FormatTime(article.updated_at)},
      {"helpful", {{"yes", article.helpful_yes}, {"no", article.helpful_no}}},
      {"url", KbArticlePath(article.id)},
  };
  if (staff) {
    out["latest_version"] = article.latest_version;
    out["source_case"] = OptionalValue(article.source_case);
    out["created_by"] = article.created_by;
    out["created_at"] = http::FormatTime(article.created_at);
    out["deflections"] = article.deflections;
  }
  return out;
}

json KbVersionToJson(const core::KbVersion& version) {
  return {{"number", version.number},       {"title", version.title},
          {"body", version.body},           {"body_html", version.body_html},
          {"author_id", version.author_id}, {"created_at", http::FormatTime(version.created_at)}};
}

json KbArticleToJson(const app::KbArticleView& view, bool staff) {
  json out = KbArticleSummaryToJson(view.article, staff);
  json version = {{"number", view.shown.number},
                  {"title", view.shown.title},
                  {"body", view.shown.body},
                  {"body_html", view.shown.body_html},
                  {"created_at", http::FormatTime(view.shown.created_at)}};
  if (staff) version["author_id"] = view.shown.author_id;
  out["title"] = view.shown.title;
  out["body"] = view.shown.body;
  out["body_html"] = view.shown.body_html;
  out["version"] = std::move(version);
  return out;
}

json KbSearchHitToJson(const ports::KbSearchHit& hit) {
  return {{"id", hit.article_id},
          {"title", hit.title},
          {"snippet", hit.snippet},
          {"visibility", VisibilityName(hit.visibility)},
          {"section_id", OptionalValue(hit.section_id)},
          {"url", KbArticlePath(hit.article_id)}};
}

json KbCategoryToJson(const core::KbCategory& category) {
  return {{"id", category.id},
          {"name", category.name},
          {"description", category.description},
          {"position", category.position}};
}

json KbSectionToJson(const core::KbSection& section) {
  return {{"id", section.id},
          {"category_id", section.category_id},
          {"name", section.name},
          {"description", section.description},
          {"position", section.position}};
}

json KbTreeToJson(const app::KbTree& tree) {
  json categories = json::array();
  for (const core::KbCategory& category : tree.categories) {
    json entry = KbCategoryToJson(category);
    json sections = json::array();
    for (const core::KbSection& section : tree.sections) {
      if (section.category_id == category.id) sections.push_back(KbSectionToJson(section));
    }
    entry["sections"] = std::move(sections);
    categories.push_back(std::move(entry));
  }
  return {{"items", std::move(categories)}};
}

absl::StatusOr<core::KbArticleEdit> KbArticleEditFromJson(const json& body, bool creating) {
  core::KbArticleEdit edit;
  absl::StatusOr<std::optional<std::string>> title = OptionalString(body, "title");
  if (!title.ok()) return title.status();
  absl::StatusOr<std::optional<std::string>> text = OptionalString(body, "body");
  if (!text.ok()) return text.status();
  if (creating && !*title) return absl::InvalidArgumentError("title: required");
  if (creating && !*text) return absl::InvalidArgumentError("body: required");
  edit.title = *title;
  edit.body = *text;
  absl::StatusOr<std::optional<std::string>> visibility = OptionalString(body, "visibility");
  if (!visibility.ok()) return visibility.status();
  if (*visibility) {
    edit.visibility =
        core::EnumFromName<core::KbVisibility>(core::kKbVisibilityNames, **visibility);
    if (!edit.visibility) {
      return absl::InvalidArgumentError("visibility: must be one of public, customers, internal");
    }
  }
  absl::StatusOr<std::optional<std::string>> status = OptionalString(body, "status");
  if (!status.ok()) return status.status();
  if (*status) {
    edit.status = core::EnumFromName<core::KbStatus>(core::kKbStatusNames, **status);
    if (!edit.status) return absl::InvalidArgumentError("status: must be draft or published");
  }
  if (body.contains("section_id") && body["section_id"].is_null()) {
    edit.section_id = std::optional<core::KbSectionId>();
  } else {
    absl::StatusOr<std::optional<int64_t>> section = OptionalInteger(body, "section_id");
    if (!section.ok()) return section.status();
    if (*section) {
      if (**section <= 0) return absl::InvalidArgumentError("section_id: must be positive");
      edit.section_id = std::optional<core::KbSectionId>(**section);
    }
  }
  return edit;
}

}  // namespace casedesk::adapters::http

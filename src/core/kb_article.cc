#include "core/kb_article.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/text.h"
#include "core/user.h"

namespace casedesk::core {

std::string TrimKbText(std::string_view text) {
  const auto space = [](char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
  };
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && space(text[begin])) ++begin;
  while (end > begin && space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

absl::Status ValidateKbTitle(std::string_view title) {
  const std::string trimmed = TrimKbText(title);
  if (trimmed.empty()) return absl::InvalidArgumentError("title: required, and not blank");
  if (trimmed.size() > kMaxKbTitleBytes) {
    return absl::InvalidArgumentError(absl::StrCat("title: at most ", kMaxKbTitleBytes, " bytes"));
  }
  if (HasControlCharacter(trimmed, false)) {
    return absl::InvalidArgumentError("title: one line without control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateKbBody(std::string_view body) {
  if (IsBlank(body)) return absl::InvalidArgumentError("body: required, and not blank");
  if (body.size() > kMaxKbBodyBytes) {
    return absl::InvalidArgumentError(absl::StrCat("body: at most ", kMaxKbBodyBytes, " bytes"));
  }
  if (HasControlCharacter(body, true)) {
    return absl::InvalidArgumentError("body: control characters are not allowed");
  }
  return absl::OkStatus();
}

absl::Status ValidateKbName(std::string_view field, std::string_view name) {
  const std::string trimmed = TrimKbText(name);
  const std::string field_name(field);
  if (trimmed.empty()) return absl::InvalidArgumentError(field_name + ": required, and not blank");
  if (trimmed.size() > kMaxKbNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field_name, ": at most ", kMaxKbNameBytes, " bytes"));
  }
  if (HasControlCharacter(trimmed, false)) {
    return absl::InvalidArgumentError(field_name + ": one line without control characters");
  }
  return absl::OkStatus();
}

absl::Status ValidateKbDescription(std::string_view description) {
  if (description.size() > kMaxKbDescriptionBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("description: at most ", kMaxKbDescriptionBytes, " bytes"));
  }
  if (HasControlCharacter(description, true)) {
    return absl::InvalidArgumentError("description: control characters are not allowed");
  }
  return absl::OkStatus();
}

std::vector<KbVisibility> KbReadableVisibilities(const Viewer* viewer) {
  if (viewer == nullptr) return {KbVisibility::kPublic};
  if (IsProviderStaff(viewer->role)) {
    return {KbVisibility::kPublic, KbVisibility::kCustomers, KbVisibility::kInternal};
  }
  return {KbVisibility::kPublic, KbVisibility::kCustomers};
}

bool CanWriteKb(const Viewer& viewer) { return IsProviderStaff(viewer.role); }

bool CanWriteKb(const Viewer* viewer) { return viewer != nullptr && CanWriteKb(*viewer); }

bool CanReadKbArticle(const Viewer* viewer, const KbArticle& article) {
  if (CanWriteKb(viewer)) return true;
  if (article.status != KbStatus::kPublished || !article.published_version) return false;
  const std::vector<KbVisibility> readable = KbReadableVisibilities(viewer);
  return std::find(readable.begin(), readable.end(), article.visibility) != readable.end();
}

absl::StatusOr<KbRevision> NewKbArticle(const KbArticleEdit& edit, const KbRendered& rendered,
                                        UserId author, absl::Time at) {
  if (!edit.title) return absl::InvalidArgumentError("title: required");
  if (!edit.body) return absl::InvalidArgumentError("body: required");
  if (absl::Status status = ValidateKbTitle(*edit.title); !status.ok()) return status;
  if (absl::Status status = ValidateKbBody(*edit.body); !status.ok()) return status;

  KbVersion version;
  version.number = 1;
  version.title = TrimKbText(*edit.title);
  version.body = *edit.body;
  version.body_html = rendered.html;
  version.body_text = rendered.text;
  version.author_id = author;
  version.created_at = at;

  KbArticle article;
  article.section_id = edit.section_id.value_or(std::nullopt);
  article.title = version.title;
  article.visibility = edit.visibility.value_or(KbVisibility::kInternal);
  article.status = edit.status.value_or(KbStatus::kDraft);
  article.latest_version = 1;
  article.created_by = author;
  article.created_at = at;
  article.updated_at = at;
  if (article.status == KbStatus::kPublished) {
    article.published_version = 1;
    article.published_title = version.title;
    article.published_text = rendered.text;
    article.published_at = at;
  }
  return KbRevision{std::move(article), std::move(version)};
}

absl::StatusOr<KbRevision> ReviseKbArticle(const KbArticle& current, const KbVersion& latest,
                                           const KbArticleEdit& edit, const KbRendered& rendered,
                                           UserId author, absl::Time at) {
  if (edit.title) {
    if (absl::Status status = ValidateKbTitle(*edit.title); !status.ok()) return status;
  }
  if (edit.body) {
    if (absl::Status status = ValidateKbBody(*edit.body); !status.ok()) return status;
  }
  const std::string title = edit.title ? TrimKbText(*edit.title) : latest.title;
  const std::string& body = edit.body ? *edit.body : latest.body;
  const bool content_changed = title != latest.title || body != latest.body;

  KbRevision revision{current, std::nullopt};
  KbArticle& article = revision.article;
  article.updated_at = at;
  if (edit.visibility) article.visibility = *edit.visibility;
  if (edit.section_id) article.section_id = *edit.section_id;
  if (content_changed) {
    KbVersion version;
    version.article_id = current.id;
    version.number = latest.number + 1;
    version.title = title;
    version.body = body;
    version.body_html = rendered.html;
    version.body_text = rendered.text;
    version.author_id = author;
    version.created_at = at;
    article.title = title;
    article.latest_version = version.number;
    revision.version = std::move(version);
  }
  const KbStatus status = edit.status.value_or(current.status);
  article.status = status;
  if (status == KbStatus::kPublished) {
    // Publishing (or saving a published article) makes the latest version the published one.
    const bool newly_published = current.status != KbStatus::kPublished ||
                                 current.published_version != article.latest_version;
    article.published_version = article.latest_version;
    article.published_title = title;
    article.published_text = rendered.text;
    if (newly_published) article.published_at = at;
  } else {
    article.published_version.reset();
    article.published_title.clear();
    article.published_text.clear();
    article.published_at.reset();
  }
  return revision;
}

}  // namespace casedesk::core

#include "core/kb_article.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace casedesk::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kAt = absl::FromUnixSeconds(1'800'000'000);

Viewer ViewerWithRole(Role role) {
  Viewer viewer;
  viewer.user_id = 7;
  viewer.role = role;
  viewer.org_id = 3;
  return viewer;
}

KbRendered Rendered(std::string text) { return KbRendered{"<p>" + text + "</p>\n", text}; }

TEST(KbArticleTest, TitlesAreValidated) {
  struct Case {
    std::string title;
    std::string error;  // "" when valid
  };
  const std::vector<Case> cases = {
      {"Reset a password", ""},
      {"  padded  ", ""},
      {"", "title: required"},
      {"   ", "title: required"},
      {std::string(201, 'a'), "title: at most 200 bytes"},
      {"two\nlines", "title: one line"},
  };
  for (const Case& c : cases) {
    const absl::Status status = ValidateKbTitle(c.title);
    if (c.error.empty()) {
      EXPECT_TRUE(status.ok()) << c.title << ": " << status;
    } else {
      EXPECT_THAT(status.message(), HasSubstr(c.error)) << c.title;
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    }
  }
}

TEST(KbArticleTest, BodiesAreValidated) {
  EXPECT_TRUE(ValidateKbBody("# Steps\n\n1. Do it\n\tindented").ok());
  EXPECT_THAT(ValidateKbBody(" \n ").message(), HasSubstr("body: required"));
  EXPECT_THAT(ValidateKbBody(std::string(kMaxKbBodyBytes + 1, 'x')).message(),
              HasSubstr("body: at most"));
  EXPECT_THAT(ValidateKbBody(std::string("bell\x07")).message(), HasSubstr("body: control"));
  EXPECT_THAT(ValidateKbName("name", "").message(), HasSubstr("name: required"));
  EXPECT_TRUE(ValidateKbName("name", "Networking").ok());
  EXPECT_THAT(ValidateKbDescription(std::string(kMaxKbDescriptionBytes + 1, 'd')).message(),
              HasSubstr("description: at most"));
}

TEST(KbArticleTest, ReadableVisibilitiesByReader) {
  EXPECT_THAT(KbReadableVisibilities(nullptr), ElementsAre(KbVisibility::kPublic));
  const Viewer customer = ViewerWithRole(Role::kCustomer);
  EXPECT_THAT(KbReadableVisibilities(&customer),
              ElementsAre(KbVisibility::kPublic, KbVisibility::kCustomers));
  const Viewer partner = ViewerWithRole(Role::kPartnerAgent);
  EXPECT_THAT(KbReadableVisibilities(&partner),
              ElementsAre(KbVisibility::kPublic, KbVisibility::kCustomers));
  const Viewer agent = ViewerWithRole(Role::kAgent);
  EXPECT_EQ(KbReadableVisibilities(&agent).size(), 3u);
  EXPECT_TRUE(CanWriteKb(agent));
  EXPECT_TRUE(CanWriteKb(ViewerWithRole(Role::kAdmin)));
  EXPECT_TRUE(CanWriteKb(ViewerWithRole(Role::kSuccessManager)));
  EXPECT_FALSE(CanWriteKb(customer));
  EXPECT_FALSE(CanWriteKb(partner));
  EXPECT_FALSE(CanWriteKb(nullptr));
}

TEST(KbArticleTest, WhoReadsWhichArticle) {
  const Viewer customer = ViewerWithRole(Role::kCustomer);
  const Viewer partner = ViewerWithRole(Role::kPartnerAgent);
  const Viewer agent = ViewerWithRole(Role::kAgent);
  struct Case {
    KbVisibility visibility;
    KbStatus status;
    bool signed_out, customer, partner, agent;
  };
  const std::vector<Case> cases = {
      {KbVisibility::kPublic, KbStatus::kPublished, true, true, true, true},
      {KbVisibility::kCustomers, KbStatus::kPublished, false, true, true, true},
      {KbVisibility::kInternal, KbStatus::kPublished, false, false, false, true},
      {KbVisibility::kPublic, KbStatus::kDraft, false, false, false, true},
  };
  for (const Case& c : cases) {
    KbArticle article;
    article.visibility = c.visibility;
    article.status = c.status;
    if (c.status == KbStatus::kPublished) article.published_version = 1;
    EXPECT_EQ(CanReadKbArticle(nullptr, article), c.signed_out);
    EXPECT_EQ(CanReadKbArticle(&customer, article), c.customer);
    EXPECT_EQ(CanReadKbArticle(&partner, article), c.partner);
    EXPECT_EQ(CanReadKbArticle(&agent, article), c.agent);
  }
}

TEST(KbArticleTest, NewArticleDefaultsToInternalDraft) {
  KbArticleEdit edit;
  edit.title = "  VPN drops every hour ";
  edit.body = "Renew the lease.";
  absl::StatusOr<KbRevision> created = NewKbArticle(edit, Rendered("Renew the lease."), 9, kAt);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->article.title, "VPN drops every hour");
  EXPECT_EQ(created->article.visibility, KbVisibility::kInternal);
  EXPECT_EQ(created->article.status, KbStatus::kDraft);
  EXPECT_FALSE(created->article.published_version.has_value());
  EXPECT_EQ(created->article.latest_version, 1);
  ASSERT_TRUE(created->version.has_value());
  EXPECT_EQ(created->version->number, 1);
  EXPECT_EQ(created->version->author_id, 9);
  EXPECT_EQ(created->version->body_html, "<p>Renew the lease.</p>\n");

  KbArticleEdit missing;
  missing.title = "Only a title";
  EXPECT_THAT(NewKbArticle(missing, {}, 9, kAt).status().message(), HasSubstr("body"));
}

TEST(KbArticleTest, PublishedOnCreateCarriesThePublishedText) {
  KbArticleEdit edit;
  edit.title = "Reset";
  edit.body = "Body";
  edit.status = KbStatus::kPublished;
  edit.visibility = KbVisibility::kPublic;
  edit.section_id = std::optional<KbSectionId>(4);
  absl::StatusOr<KbRevision> created = NewKbArticle(edit, Rendered("Body"), 9, kAt);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->article.published_version, 1);
  EXPECT_EQ(created->article.published_title, "Reset");
  EXPECT_EQ(created->article.published_text, "Body");
  EXPECT_EQ(created->article.published_at, kAt);
  EXPECT_EQ(created->article.section_id, 4);
}

TEST(KbArticleTest, RevisionsVersionContentAndPublish) {
  KbArticleEdit first;
  first.title = "Reset";
  first.body = "Old body";
  KbRevision draft = *NewKbArticle(first, Rendered("Old body"), 9, kAt);
  draft.article.id = 5;
  draft.version->article_id = 5;

  // Publishing alone writes no version and publishes version 1.
  KbArticleEdit publish;
  publish.status = KbStatus::kPublished;
  absl::StatusOr<KbRevision> published = ReviseKbArticle(
      draft.article, *draft.version, publish, Rendered("Old body"), 10, kAt + absl::Hours(1));
  ASSERT_TRUE(published.ok());
  EXPECT_FALSE(published->version.has_value());
  EXPECT_EQ(published->article.published_version, 1);
  EXPECT_EQ(published->article.published_text, "Old body");
  EXPECT_EQ(published->article.published_at, kAt + absl::Hours(1));

  // New content on a published article is version 2, and published.
  KbArticleEdit change;
  change.body = "New body";
  absl::StatusOr<KbRevision> changed = ReviseKbArticle(
      published->article, *draft.version, change, Rendered("New body"), 11, kAt + absl::Hours(2));
  ASSERT_TRUE(changed.ok());
  ASSERT_TRUE(changed->version.has_value());
  EXPECT_EQ(changed->version->number, 2);
  EXPECT_EQ(changed->version->author_id, 11);
  EXPECT_EQ(changed->version->title, "Reset");
  EXPECT_EQ(changed->article.latest_version, 2);
  EXPECT_EQ(changed->article.published_version, 2);
  EXPECT_EQ(changed->article.published_text, "New body");

  // Withdrawing clears the published fields; an unchanged save writes nothing new.
  KbArticleEdit withdraw;
  withdraw.status = KbStatus::kDraft;
  withdraw.body = "New body";
  absl::StatusOr<KbRevision> withdrawn =
      ReviseKbArticle(changed->article, *changed->version, withdraw, Rendered("New body"), 11, kAt);
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_FALSE(withdrawn->version.has_value());
  EXPECT_EQ(withdrawn->article.status, KbStatus::kDraft);
  EXPECT_FALSE(withdrawn->article.published_version.has_value());
  EXPECT_TRUE(withdrawn->article.published_title.empty());

  KbArticleEdit bad;
  bad.title = "";
  EXPECT_THAT(
      ReviseKbArticle(changed->article, *changed->version, bad, {}, 1, kAt).status().message(),
      HasSubstr("title"));
}

}  // namespace
}  // namespace casedesk::core

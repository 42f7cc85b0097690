// The Store contract of the knowledge base (issue 7): categories and sections, articles and
// their versions, full-text search over published articles with the reader's visibilities
// applied in the query (drafts and withdrawn articles never match), title-prefix suggestions,
// votes (one per signed-in user, anonymous ones each counted) and deflections, against every
// implementation in store_factories.h.
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class KbContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kb-contract-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = GetParam().open(directory_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    core::Organisation provider;
    provider.name = "Provider";
    provider.kind = core::OrgKind::kProvider;
    provider.created_at = At(1700000000);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto org = tx.InsertOrganisation(provider);
                  if (!org.ok()) return org.status();
                  for (const char* email : {"ada@example.com", "bob@example.com"}) {
                    core::User user;
                    user.email = email;
                    user.name = email;
                    user.role = core::Role::kAgent;
                    user.org_id = *org;
                    user.created_at = At(1700000000);
                    auto id = tx.InsertUser(user);
                    if (!id.ok()) return id.status();
                    users_.push_back(*id);
                  }
                  return absl::OkStatus();
                }).ok());
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  absl::Status Write(const ports::UnitOfWork& work) { return store_->WriteAndWait(work); }
  absl::Status Read(const ports::UnitOfWork& work) { return store_->Read(work); }

  // An article with version 1, published when `published`.
  core::KbArticleId AddArticle(const std::string& title, const std::string& text,
                               core::KbVisibility visibility, bool published,
                               std::optional<core::KbSectionId> section = std::nullopt) {
    core::KbArticle article;
    article.title = title;
    article.visibility = visibility;
    article.status = published ? core::KbStatus::kPublished : core::KbStatus::kDraft;
    article.latest_version = 1;
    article.section_id = section;
    if (published) {
      article.published_version = 1;
      article.published_title = title;
      article.published_text = text;
      article.published_at = At(1800000000);
    }
    article.created_by = users_[0];
    article.created_at = At(1800000000);
    article.updated_at = article.created_at;
    core::KbArticleId id = 0;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertKbArticle(article);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      core::KbVersion version;
      version.article_id = id;
      version.number = 1;
      version.title = title;
      version.body = text;
      version.body_html = "<p>" + text + "</p>";
      version.body_text = text;
      version.author_id = users_[0];
      version.created_at = At(1800000000);
      return tx.InsertKbVersion(version);
    });
    EXPECT_TRUE(status.ok()) << status;
    return id;
  }

  std::vector<core::KbArticleId> Search(const std::string& text,
                                        std::vector<core::KbVisibility> visibilities,
                                        bool titles_only = false) {
    std::vector<core::KbArticleId> ids;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  ports::KbSearchQuery query;
                  query.text = text;
                  query.visibilities = std::move(visibilities);
                  query.titles_only = titles_only;
                  auto hits = tx.SearchKbArticles(query);
                  if (!hits.ok()) return hits.status();
                  for (const auto& hit : *hits) ids.push_back(hit.article_id);
                  return absl::OkStatus();
                }).ok());
    return ids;
  }

  core::KbArticle Get(core::KbArticleId id) {
    core::KbArticle article;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto found = tx.GetKbArticle(id);
                  if (!found.ok()) return found.status();
                  article = *found;
                  return absl::OkStatus();
                }).ok());
    return article;
  }

  static constexpr core::KbVisibility kPublic = core::KbVisibility::kPublic;
  static constexpr core::KbVisibility kCustomers = core::KbVisibility::kCustomers;
  static constexpr core::KbVisibility kInternal = core::KbVisibility::kInternal;

  std::string directory_;
  std::unique_ptr<ports::Store> store_;
  std::vector<core::UserId> users_;
};

TEST_P(KbContractTest, CategoriesAndSections) {
  core::KbCategoryId networking = 0;
  core::KbCategoryId billing = 0;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                core::KbCategory category;
                category.name = "Networking";
                category.position = 2;
                auto first = tx.InsertKbCategory(category);
                if (!first.ok()) return first.status();
                networking = *first;
                category.name = "Billing";
                category.description = "Invoices";
                category.position = 1;
                auto second = tx.InsertKbCategory(category);
                if (!second.ok()) return second.status();
                billing = *second;
                core::KbSection section;
                section.category_id = networking;
                section.name = "VPN";
                return tx.InsertKbSection(section).status();
              }).ok());
  absl::Status missing = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    core::KbSection section;
    section.category_id = 9999;
    section.name = "Nowhere";
    return tx.InsertKbSection(section).status();
  });
  EXPECT_EQ(missing.code(), absl::StatusCode::kInvalidArgument) << missing;
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto categories = tx.ListKbCategories();
                if (!categories.ok()) return categories.status();
                EXPECT_EQ(categories->size(), 2u);
                EXPECT_EQ((*categories)[0].id, billing);  // by position
                EXPECT_EQ((*categories)[0].description, "Invoices");
                auto sections = tx.ListKbSections();
                if (!sections.ok()) return sections.status();
                EXPECT_EQ(sections->size(), 1u);
                EXPECT_EQ((*sections)[0].category_id, networking);
                EXPECT_EQ((*sections)[0].name, "VPN");
                return absl::OkStatus();
              }).ok());
}

TEST_P(KbContractTest, ArticlesAndVersionsRoundTrip) {
  const core::KbArticleId id = AddArticle("Reset a password", "Open settings", kPublic, false);
  core::KbArticle article = Get(id);
  EXPECT_EQ(article.title, "Reset a password");
  EXPECT_EQ(article.status, core::KbStatus::kDraft);
  EXPECT_FALSE(article.published_version.has_value());
  EXPECT_EQ(article.created_by, users_[0]);

  article.title = "Reset your password";
  article.latest_version = 2;
  article.status = core::KbStatus::kPublished;
  article.published_version = 2;
  article.published_title = "Reset your password";
  article.published_text = "Open the account page";
  article.published_at = At(1800000500);
  article.source_case = std::nullopt;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                core::KbVersion version;
                version.article_id = id;
                version.number = 2;
                version.title = article.title;
                version.body = "Open the **account** page";
                version.body_html = "<p>Open the <strong>account</strong> page</p>";
                version.body_text = article.published_text;
                version.author_id = users_[1];
                version.created_at = At(1800000500);
                if (auto status = tx.InsertKbVersion(version); !status.ok()) return status;
                return tx.UpdateKbArticle(article);
              }).ok());
  const absl::Status duplicate = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    core::KbVersion version;
    version.article_id = id;
    version.number = 2;
    version.title = "again";
    version.author_id = users_[0];
    return tx.InsertKbVersion(version);
  });
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists);

  const core::KbArticle updated = Get(id);
  EXPECT_EQ(updated.published_version, 2);
  EXPECT_EQ(updated.published_at, At(1800000500));
  EXPECT_EQ(updated.status, core::KbStatus::kPublished);
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto versions = tx.ListKbVersions(id);
                if (!versions.ok()) return versions.status();
                EXPECT_EQ(versions->size(), 2u);
                EXPECT_EQ((*versions)[0].number, 2);  // newest first
                EXPECT_EQ((*versions)[0].author_id, users_[1]);
                EXPECT_EQ((*versions)[0].body_html,
                          "<p>Open the <strong>account</strong> page</p>");
                auto first = tx.GetKbVersion(id, 1);
                if (!first.ok()) return first.status();
                EXPECT_EQ(first->title, "Reset a password");
                EXPECT_EQ(tx.GetKbVersion(id, 7).status().code(), absl::StatusCode::kNotFound);
                EXPECT_EQ(tx.GetKbArticle(id + 100).status().code(), absl::StatusCode::kNotFound);
                return absl::OkStatus();
              }).ok());
  core::KbArticle unknown = updated;
  unknown.id = id + 100;
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.UpdateKbArticle(unknown); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(KbContractTest, SearchAppliesVisibilityAndIgnoresDrafts) {
  const core::KbArticleId open =
      AddArticle("VPN disconnects", "The tunnel drops hourly", kPublic, true);
  const core::KbArticleId customers =
      AddArticle("VPN licence renewal", "Renew the tunnel licence", kCustomers, true);
  const core::KbArticleId internal =
      AddArticle("VPN concentrator runbook", "Restart the tunnel daemon", kInternal, true);
  AddArticle("VPN draft", "An unpublished tunnel note", kPublic, false);

  EXPECT_THAT(Search("tunnel", {kPublic}), ElementsAre(open));
  EXPECT_THAT(Search("tunnel", {kPublic, kCustomers}), UnorderedElementsAre(open, customers));
  EXPECT_THAT(Search("tunnel", {kPublic, kCustomers, kInternal}),
              UnorderedElementsAre(open, customers, internal));
  EXPECT_THAT(Search("tunnel", {}), IsEmpty());
  // Every word must match; stemming finds "drops" for "dropping"; query syntax is inert.
  EXPECT_THAT(Search("tunnel dropping", {kPublic, kCustomers}), ElementsAre(open));
  EXPECT_THAT(Search("NEAR(tunnel renewal) \"missing", {kPublic, kCustomers}), IsEmpty());
  EXPECT_THAT(Search("  \"*( ", {kPublic}), IsEmpty());
  // A title match ranks above a body match.
  const core::KbArticleId title_match = AddArticle("Hourly reports", "Nothing else", kPublic, true);
  std::vector<core::KbArticleId> hourly = Search("hourly", {kPublic});
  ASSERT_EQ(hourly.size(), 2u);
  EXPECT_EQ(hourly[0], title_match);

  // Suggestions: titles only, the last word a prefix.
  EXPECT_THAT(Search("vpn disc", {kPublic}, true), ElementsAre(open));
  EXPECT_THAT(Search("VPN lic", {kPublic, kCustomers}, true), ElementsAre(customers));
  EXPECT_THAT(Search("tunnel", {kPublic, kCustomers}, true), IsEmpty());

  // Withdrawing an article takes it out of search; republishing new text indexes the new text.
  core::KbArticle article = Get(open);
  article.status = core::KbStatus::kDraft;
  article.published_version.reset();
  article.published_title.clear();
  article.published_text.clear();
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateKbArticle(article); }).ok());
  EXPECT_THAT(Search("tunnel", {kPublic}), IsEmpty());
  article.status = core::KbStatus::kPublished;
  article.published_version = 1;
  article.published_title = "VPN disconnects";
  article.published_text = "Reconnect with the new client";
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateKbArticle(article); }).ok());
  EXPECT_THAT(Search("tunnel", {kPublic}), IsEmpty());
  EXPECT_THAT(Search("reconnect client", {kPublic}), ElementsAre(open));
  // A visibility change applies at once.
  article.visibility = kInternal;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateKbArticle(article); }).ok());
  EXPECT_THAT(Search("reconnect", {kPublic, kCustomers}), IsEmpty());

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                ports::KbSearchQuery query;
                query.text = "licence";
                query.visibilities = {kPublic, kCustomers};
                auto hits = tx.SearchKbArticles(query);
                if (!hits.ok()) return hits.status();
                EXPECT_EQ(hits->size(), 1u);
                if (hits->empty()) return absl::OkStatus();
                EXPECT_EQ((*hits)[0].title, "VPN licence renewal");
                EXPECT_THAT((*hits)[0].snippet, HasSubstr("licence"));
                EXPECT_EQ((*hits)[0].visibility, kCustomers);
                return absl::OkStatus();
              }).ok());
}

TEST_P(KbContractTest, ListsFilterBySectionStatusAndVisibility) {
  core::KbSectionId section = 0;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                core::KbCategory category;
                category.name = "Networking";
                auto id = tx.InsertKbCategory(category);
                if (!id.ok()) return id.status();
                core::KbSection s;
                s.category_id = *id;
                s.name = "VPN";
                auto inserted = tx.InsertKbSection(s);
                if (!inserted.ok()) return inserted.status();
                section = *inserted;
                return absl::OkStatus();
              }).ok());
  const auto a = AddArticle("A", "a", kPublic, true, section);
  const auto b = AddArticle("B", "b", kCustomers, true);
  const auto c = AddArticle("C", "c", kPublic, false, section);
  const auto d = AddArticle("D", "d", kInternal, true, section);
  const auto list = [&](ports::KbArticleFilter filter) {
    std::vector<core::KbArticleId> ids;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto articles = tx.ListKbArticles(filter);
                  if (!articles.ok()) return articles.status();
                  for (const auto& article : *articles) ids.push_back(article.id);
                  return absl::OkStatus();
                }).ok());
    return ids;
  };
  EXPECT_THAT(list({}), ElementsAre(a, b, c, d));
  EXPECT_THAT(list({.section_id = section}), ElementsAre(a, c, d));
  EXPECT_THAT(list({.published_only = true, .visibilities = {kPublic, kCustomers}}),
              ElementsAre(a, b));
  EXPECT_THAT(list({.section_id = section, .published_only = true, .visibilities = {kPublic}}),
              ElementsAre(a));
  EXPECT_THAT(list({.limit = 2}), ElementsAre(a, b));
  EXPECT_THAT(list({.limit = 2, .after_id = b}), ElementsAre(c, d));
}

TEST_P(KbContractTest, VotesAndDeflections) {
  const core::KbArticleId id = AddArticle("Reset", "text", kPublic, true);
  const auto vote = [&](std::optional<core::UserId> user, bool helpful) {
    ports::KbVoteCounts counts;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto recorded = tx.RecordKbVote(id, user, helpful, At(1800000000));
      if (!recorded.ok()) return recorded.status();
      counts = *recorded;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return std::pair{counts.helpful_yes, counts.helpful_no};
  };
  EXPECT_EQ(vote(users_[0], true), std::pair(int64_t{1}, int64_t{0}));
  EXPECT_EQ(vote(users_[0], true), std::pair(int64_t{1}, int64_t{0}));   // once per user
  EXPECT_EQ(vote(users_[0], false), std::pair(int64_t{0}, int64_t{1}));  // changed mind
  EXPECT_EQ(vote(users_[1], true), std::pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(vote(std::nullopt, true), std::pair(int64_t{2}, int64_t{1}));
  EXPECT_EQ(vote(std::nullopt, true), std::pair(int64_t{3}, int64_t{1}));  // anonymous: each
  const absl::Status unknown = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    return tx.RecordKbVote(id + 50, users_[0], true, At(1800000000)).status();
  });
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);

  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.AddKbDeflection(id); }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.AddKbDeflection(id); }).ok());
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.AddKbDeflection(id + 50); }).code(),
            absl::StatusCode::kNotFound);
  const core::KbArticle article = Get(id);
  EXPECT_EQ(article.deflections, 2);
  EXPECT_EQ(article.helpful_yes, 3);
  EXPECT_EQ(article.helpful_no, 1);
  // Saving the article keeps its counters.
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateKbArticle(article); }).ok());
  EXPECT_EQ(Get(id).deflections, 2);
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, KbContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace casedesk::contract

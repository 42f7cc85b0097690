// The Store contract: every StoreTransaction method and the Store's transaction guarantees,
// run against every implementation listed in store_factories.h. Nothing here may depend on a
// particular implementation.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

absl::Time At(int64_t unix_seconds, int64_t micros = 0) {
  return absl::FromUnixSeconds(unix_seconds) + absl::Microseconds(micros);
}

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "store-contract-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = GetParam().open(directory_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  absl::Status Write(const ports::UnitOfWork& work) { return store_->WriteAndWait(work); }
  absl::Status Read(const ports::UnitOfWork& work) { return store_->Read(work); }

  // Fixtures shared by many tests: a provider, a customer organisation and people.
  core::OrgId AddOrganisation(std::string name, core::OrgKind kind,
                              std::optional<core::OrgId> parent = std::nullopt) {
    core::OrgId id = 0;
    core::Organisation org;
    org.name = std::move(name);
    org.kind = kind;
    org.parent_id = parent;
    org.plan = kind == core::OrgKind::kProvider ? "" : "enterprise";
    org.created_at = At(1700000000);
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto inserted = tx.InsertOrganisation(org);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  core::UserId AddUser(std::string email, core::OrgId org_id,
                       core::Role role = core::Role::kCustomer) {
    core::UserId id = 0;
    core::User user;
    user.email = std::move(email);
    user.name = "Person " + user.email;
    user.role = role;
    user.org_id = org_id;
    user.created_at = At(1700000000);
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertUser(user);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return id;
  }

  core::GroupId AddGroup(std::string name) {
    core::GroupId id = 0;
    core::Group group;
    group.name = std::move(name);
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto inserted = tx.InsertGroup(group);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  // Inserts `c` under a fresh number; returns the number.
  core::CaseNumber AddCase(core::Case c) {
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto number = tx.NextCaseNumber();
      if (!number.ok()) return number.status();
      c.number = *number;
      return tx.InsertCase(c);
    });
    EXPECT_TRUE(status.ok()) << status;
    return c.number;
  }

  // A case's timers as "key@seconds", " fired" added to fired ones, sorted.
  std::vector<std::string> TimerKeys(core::CaseNumber number) {
    std::vector<std::string> keys;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto timers = tx.ListCaseTimers(number);
                  if (!timers.ok()) return timers.status();
                  for (const ports::Timer& t : *timers) {
                    keys.push_back(absl::StrCat(t.key, "@", absl::ToUnixSeconds(t.due_at),
                                                t.fired_at ? " fired" : ""));
                  }
                  return absl::OkStatus();
                }).ok());
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  core::Case NewCase(core::OrgId org_id, core::UserId requester_id, std::string subject) {
    core::Case c;
    c.org_id = org_id;
    c.requester_id = requester_id;
    c.subject = std::move(subject);
    c.description = "Description of " + c.subject;
    c.created_at = At(1700000100);
    c.updated_at = c.created_at;
    return c;
  }

  core::CommentId AddComment(core::CaseNumber number, core::UserId author, std::string body,
                             core::Visibility visibility) {
    core::CommentId id = 0;
    core::Comment comment;
    comment.case_number = number;
    comment.author_id = author;
    comment.body = std::move(body);
    comment.visibility = visibility;
    comment.created_at = At(1700000200);
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertComment(comment);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return id;
  }

  absl::StatusOr<ports::Page<core::Case>> ListCases(const ports::CaseFilter& filter) {
    absl::StatusOr<ports::Page<core::Case>> page;
    absl::Status status = Read([&](ports::StoreTransaction& tx) {
      page = tx.ListCases(filter);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return page;
  }

  // Walks every page of a case list and returns the numbers in the order seen.
  std::vector<core::CaseNumber> WalkCases(ports::CaseFilter filter, int page_size) {
    std::vector<core::CaseNumber> numbers;
    filter.page.limit = page_size;
    filter.page.cursor.clear();
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = ListCases(filter);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->items.size()), page_size);
      for (const core::Case& c : page->items) numbers.push_back(c.number);
      if (page->next_cursor.empty()) break;
      filter.page.cursor = page->next_cursor;
    }
    return numbers;
  }

  int64_t Count(const ports::CaseFilter& filter) {
    int64_t count = -1;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto counted = tx.CountCases(filter);
                  if (!counted.ok()) return counted.status();
                  count = *counted;
                  return absl::OkStatus();
                }).ok());
    return count;
  }

  absl::StatusOr<ports::Page<ports::SearchHit>> Search(const ports::SearchQuery& query) {
    absl::StatusOr<ports::Page<ports::SearchHit>> page;
    absl::Status status = Read([&](ports::StoreTransaction& tx) {
      page = tx.Search(query);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return page;
  }

  std::vector<core::CaseNumber> SearchNumbers(std::string text, core::CaseScope scope,
                                              bool include_internal) {
    ports::SearchQuery query;
    query.text = std::move(text);
    query.scope = std::move(scope);
    query.include_internal = include_internal;
    query.page.limit = 200;
    auto page = Search(query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<core::CaseNumber> numbers;
    if (page.ok()) {
      for (const auto& hit : page->items) numbers.push_back(hit.case_number);
    }
    return numbers;
  }

  static core::CaseScope AllScope() {
    core::CaseScope scope;
    scope.all = true;
    return scope;
  }

  std::string directory_;
  std::unique_ptr<ports::Store> store_;
};

// ---- Organisations ----

TEST_P(StoreContractTest, OrganisationRoundTripsEveryField) {
  const core::OrgId provider = AddOrganisation("Provider", core::OrgKind::kProvider);
  core::Organisation partner;
  partner.name = "Reseller Ltd";
  partner.kind = core::OrgKind::kPartner;
  partner.parent_id = provider;
  partner.plan = "partner";
  partner.shares_cases = true;
  partner.time_zone = "Europe/Amsterdam";
  partner.created_at = At(1700000123, 456789);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto id = tx.InsertOrganisation(partner);
                if (!id.ok()) return id.status();
                partner.id = *id;
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto read = tx.GetOrganisation(partner.id);
                EXPECT_TRUE(read.ok()) << read.status();
                if (!read.ok()) return absl::OkStatus();
                EXPECT_EQ(read->id, partner.id);
                EXPECT_EQ(read->name, "Reseller Ltd");
                EXPECT_EQ(read->kind, core::OrgKind::kPartner);
                EXPECT_EQ(read->parent_id, std::optional<core::OrgId>(provider));
                EXPECT_EQ(read->plan, "partner");
                EXPECT_TRUE(read->shares_cases);
                EXPECT_EQ(read->time_zone, "Europe/Amsterdam");
                EXPECT_EQ(read->created_at, At(1700000123, 456789));
                auto provider_org = tx.GetOrganisation(provider);
                EXPECT_TRUE(provider_org.ok());
                if (provider_org.ok()) {
                  EXPECT_FALSE(provider_org->parent_id.has_value());
                }
                auto found = tx.FindProvider();
                EXPECT_TRUE(found.ok() && found->has_value());
                if (found.ok() && found->has_value()) {
                  EXPECT_EQ((*found)->id, provider);
                }
                return absl::OkStatus();
              }).ok());

  partner.name = "Reseller BV";
  partner.shares_cases = false;
  partner.time_zone = "UTC";
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateOrganisation(partner); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto read = tx.GetOrganisation(partner.id);
                EXPECT_TRUE(read.ok());
                if (read.ok()) {
                  EXPECT_EQ(read->name, "Reseller BV");
                  EXPECT_FALSE(read->shares_cases);
                  EXPECT_EQ(read->time_zone, "UTC");
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, UnknownOrganisationIsNotFound) {
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                EXPECT_EQ(tx.GetOrganisation(424242).status().code(), absl::StatusCode::kNotFound);
                auto provider = tx.FindProvider();
                EXPECT_TRUE(provider.ok());
                if (provider.ok()) {
                  EXPECT_FALSE(provider->has_value());
                }
                return absl::OkStatus();
              }).ok());
  core::Organisation ghost;
  ghost.id = 424242;
  ghost.name = "Ghost";
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.UpdateOrganisation(ghost); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, OrganisationListsFilterAndPage) {
  const core::OrgId provider = AddOrganisation("Provider", core::OrgKind::kProvider);
  const core::OrgId partner = AddOrganisation("Partner", core::OrgKind::kPartner, provider);
  std::vector<core::OrgId> direct_customers;
  std::vector<core::OrgId> partner_customers;
  for (int i = 0; i < 7; ++i) {
    direct_customers.push_back(
        AddOrganisation("Direct " + std::to_string(i), core::OrgKind::kCustomer, provider));
    partner_customers.push_back(
        AddOrganisation("Resold " + std::to_string(i), core::OrgKind::kCustomer, partner));
  }

  auto walk = [&](ports::OrgFilter filter) {
    std::vector<core::OrgId> ids;
    filter.page.limit = 3;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<ports::Page<core::Organisation>> page;
      EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) {
                    page = tx.ListOrganisations(filter);
                    return absl::OkStatus();
                  }).ok());
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& org : page->items) ids.push_back(org.id);
      if (page->next_cursor.empty()) break;
      filter.page.cursor = page->next_cursor;
    }
    return ids;
  };

  std::vector<core::OrgId> everything = walk(ports::OrgFilter());
  EXPECT_EQ(everything.size(), 16u);
  EXPECT_TRUE(std::is_sorted(everything.begin(), everything.end()));
  EXPECT_EQ(std::set<core::OrgId>(everything.begin(), everything.end()).size(), 16u);

  ports::OrgFilter by_parent;
  by_parent.parent_id = partner;
  EXPECT_EQ(walk(by_parent), partner_customers);

  ports::OrgFilter by_kind;
  by_kind.kind = core::OrgKind::kPartner;
  EXPECT_THAT(walk(by_kind), ElementsAre(partner));

  ports::OrgFilter only;
  only.only_ids = std::vector<core::OrgId>{partner_customers[2], direct_customers[4], 999999};
  EXPECT_THAT(walk(only), UnorderedElementsAreArray({partner_customers[2], direct_customers[4]}));

  ports::OrgFilter none;
  none.only_ids = std::vector<core::OrgId>{};
  EXPECT_THAT(walk(none), IsEmpty());

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto children = tx.ListChildOrganisationIds(partner);
                EXPECT_TRUE(children.ok());
                if (children.ok()) {
                  EXPECT_EQ(*children, partner_customers);
                }
                return absl::OkStatus();
              }).ok());
}

// ---- People ----

TEST_P(StoreContractTest, UserRoundTripsEveryField) {
  const core::OrgId provider = AddOrganisation("Provider", core::OrgKind::kProvider);
  core::User user;
  user.email = "Sam.Agent@Example.COM";
  user.name = "Sam Agent";
  user.role = core::Role::kAgent;
  user.org_id = provider;
  user.tier = core::Tier::kSme;
  user.skills = {"network", "storage"};
  user.verified = true;
  user.org_admin = true;
  user.active = false;
  user.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  user.pin_hash = "pin-digest";
  user.created_at = At(1700000000, 1);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto id = tx.InsertUser(user);
                if (!id.ok()) return id.status();
                user.id = *id;
                return absl::OkStatus();
              }).ok());

  ASSERT_TRUE(
      Read([&](ports::StoreTransaction& tx) -> absl::Status {
        for (auto read : {tx.GetUser(user.id), tx.FindUserByEmail("sam.agent@example.com")}) {
          EXPECT_TRUE(read.ok()) << read.status();
          if (!read.ok()) continue;
          EXPECT_EQ(read->id, user.id);
          EXPECT_EQ(read->email, "sam.agent@example.com");
          EXPECT_EQ(read->name, "Sam Agent");
          EXPECT_EQ(read->role, core::Role::kAgent);
          EXPECT_EQ(read->org_id, provider);
          EXPECT_EQ(read->tier, core::Tier::kSme);
          EXPECT_THAT(read->skills, ElementsAre("network", "storage"));
          EXPECT_TRUE(read->verified);
          EXPECT_TRUE(read->org_admin);
          EXPECT_FALSE(read->active);
          EXPECT_EQ(read->password_hash, user.password_hash);
          EXPECT_EQ(read->pin_hash, "pin-digest");
          EXPECT_EQ(read->created_at, At(1700000000, 1));
        }
        EXPECT_EQ(tx.GetUser(user.id + 1000).status().code(), absl::StatusCode::kNotFound);
        EXPECT_EQ(tx.FindUserByEmail("nobody@example.com").status().code(),
                  absl::StatusCode::kNotFound);
        return absl::OkStatus();
      }).ok());

  user.name = "Sam Lead";
  user.tier = core::Tier::kShiftLead;
  user.skills = {};
  user.active = true;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateUser(user); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto read = tx.GetUser(user.id);
                EXPECT_TRUE(read.ok());
                if (read.ok()) {
                  EXPECT_EQ(read->name, "Sam Lead");
                  EXPECT_EQ(read->tier, core::Tier::kShiftLead);
                  EXPECT_THAT(read->skills, IsEmpty());
                  EXPECT_TRUE(read->active);
                }
                return absl::OkStatus();
              }).ok());
  core::User ghost = user;
  ghost.id = user.id + 1000;
  ghost.email = "ghost@example.com";
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.UpdateUser(ghost); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, DuplicateEmailIsAlreadyExistsWhateverTheCase) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId first = AddUser("pat@example.com", org);
  core::User duplicate;
  duplicate.email = "PAT@example.com";
  duplicate.name = "Other Pat";
  duplicate.org_id = org;
  absl::Status status =
      Write([&](ports::StoreTransaction& tx) { return tx.InsertUser(duplicate).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;

  // Renaming another user onto a taken address fails the same way.
  const core::UserId second = AddUser("lee@example.com", org);
  status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    auto user = tx.GetUser(second);
    if (!user.ok()) return user.status();
    user->email = "pat@example.com";
    return tx.UpdateUser(*user);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto found = tx.FindUserByEmail("pat@example.com");
                EXPECT_TRUE(found.ok());
                if (found.ok()) {
                  EXPECT_EQ(found->id, first);
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, UserListsFilterAndPage) {
  const core::OrgId provider = AddOrganisation("Provider", core::OrgKind::kProvider);
  const core::OrgId customer = AddOrganisation("Customer", core::OrgKind::kCustomer, provider);
  std::vector<core::UserId> agents;
  std::vector<core::UserId> contacts;
  for (int i = 0; i < 5; ++i) {
    agents.push_back(
        AddUser("agent" + std::to_string(i) + "@p.example", provider, core::Role::kAgent));
    contacts.push_back(AddUser("contact" + std::to_string(i) + "@c.example", customer));
  }
  auto walk = [&](ports::UserFilter filter) {
    std::vector<core::UserId> ids;
    filter.page.limit = 2;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<ports::Page<core::User>> page;
      EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) {
                    page = tx.ListUsers(filter);
                    return absl::OkStatus();
                  }).ok());
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      for (const auto& user : page->items) ids.push_back(user.id);
      if (page->next_cursor.empty()) break;
      filter.page.cursor = page->next_cursor;
    }
    return ids;
  };
  EXPECT_EQ(walk(ports::UserFilter()).size(), 10u);
  ports::UserFilter by_org;
  by_org.org_id = customer;
  EXPECT_EQ(walk(by_org), contacts);
  ports::UserFilter by_role;
  by_role.role = core::Role::kAgent;
  EXPECT_EQ(walk(by_role), agents);
  ports::UserFilter only;
  only.only_org_ids = std::vector<core::OrgId>{customer};
  EXPECT_EQ(walk(only), contacts);
  only.role = core::Role::kAgent;
  EXPECT_THAT(walk(only), IsEmpty());
}

// ---- API tokens ----

TEST_P(StoreContractTest, ApiTokensAreFoundByBinaryDigest) {
  const core::OrgId org = AddOrganisation("Provider", core::OrgKind::kProvider);
  const core::UserId user = AddUser("admin@example.com", org, core::Role::kAdmin);
  core::ApiToken token;
  token.user_id = user;
  token.name = "ci";
  // 32 bytes with zero and high bytes inside, as a real SHA-256 digest may have.
  token.digest = std::string(32, 'd');
  token.digest[0] = '\x00';
  token.digest[1] = '\x01';
  token.digest[2] = '\xff';
  token.digest[3] = '\x80';
  token.digest[31] = '\x00';
  token.created_at = At(1700000000, 5);
  token.revoked_at = At(1700009999, 7);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto id = tx.InsertApiToken(token);
                if (!id.ok()) return id.status();
                token.id = *id;
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto found = tx.FindApiTokenByDigest(token.digest);
                EXPECT_TRUE(found.ok()) << found.status();
                if (found.ok()) {
                  EXPECT_EQ(found->id, token.id);
                  EXPECT_EQ(found->user_id, user);
                  EXPECT_EQ(found->name, "ci");
                  EXPECT_EQ(found->digest, token.digest);
                  EXPECT_EQ(found->created_at, At(1700000000, 5));
                  EXPECT_EQ(found->revoked_at, std::optional<absl::Time>(At(1700009999, 7)));
                }
                std::string other = token.digest;
                other[5] ^= 1;
                EXPECT_EQ(tx.FindApiTokenByDigest(other).status().code(),
                          absl::StatusCode::kNotFound);
                return absl::OkStatus();
              }).ok());
  core::ApiToken duplicate = token;
  duplicate.revoked_at.reset();
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.InsertApiToken(duplicate).status();
            }).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreContractTest, ApiTokensAreReadListedNewestFirstAndRevokedOnce) {
  const core::OrgId org = AddOrganisation("Provider", core::OrgKind::kProvider);
  const core::UserId owner = AddUser("owner@example.com", org, core::Role::kAdmin);
  const core::UserId other = AddUser("other@example.com", org, core::Role::kAgent);
  // Created out of id order, so "newest first" must follow created_at, not the id.
  const std::vector<std::pair<core::UserId, int64_t>> specs = {
      {owner, 1700000100}, {owner, 1700000300}, {other, 1700000200}, {owner, 1700000200}};
  std::vector<core::TokenId> ids;
  for (size_t i = 0; i < specs.size(); ++i) {
    core::ApiToken token;
    token.user_id = specs[i].first;
    token.name = "token " + std::to_string(i);
    token.digest = std::string(32, static_cast<char>('a' + i));
    token.created_at = At(specs[i].second, 3);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto id = tx.InsertApiToken(token);
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                  return absl::OkStatus();
                }).ok());
  }

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto token = tx.GetApiToken(ids[1]);
                EXPECT_TRUE(token.ok()) << token.status();
                if (token.ok()) {
                  EXPECT_EQ(token->id, ids[1]);
                  EXPECT_EQ(token->user_id, owner);
                  EXPECT_EQ(token->name, "token 1");
                  EXPECT_EQ(token->digest, std::string(32, 'b'));
                  EXPECT_EQ(token->created_at, At(1700000300, 3));
                  EXPECT_FALSE(token->revoked_at.has_value());
                }
                EXPECT_EQ(tx.GetApiToken(ids.back() + 1000).status().code(),
                          absl::StatusCode::kNotFound);
                auto listed = tx.ListApiTokens(owner);
                EXPECT_TRUE(listed.ok()) << listed.status();
                if (listed.ok()) {
                  std::vector<core::TokenId> order;
                  for (const auto& item : *listed) order.push_back(item.id);
                  EXPECT_THAT(order, ElementsAre(ids[1], ids[3], ids[0]));
                }
                auto none = tx.ListApiTokens(owner + other + 1000);
                EXPECT_TRUE(none.ok() && none->empty());
                return absl::OkStatus();
              }).ok());

  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.RevokeApiToken(ids[0], At(1700005000, 9));
              }).ok());
  // Revoking again keeps the first time.
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.RevokeApiToken(ids[0], At(1700009000));
              }).ok());
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.RevokeApiToken(ids.back() + 1000, At(1700005000));
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Read([&](ports::StoreTransaction& tx) {
              return tx.RevokeApiToken(ids[1], At(1700005000));
            }).code(),
            absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto revoked = tx.GetApiToken(ids[0]);
                EXPECT_TRUE(revoked.ok());
                if (revoked.ok()) {
                  EXPECT_EQ(revoked->revoked_at, std::optional<absl::Time>(At(1700005000, 9)));
                }
                // Revoked tokens stay listed and findable (the caller checks revoked_at).
                auto listed = tx.ListApiTokens(owner);
                EXPECT_TRUE(listed.ok() && listed->size() == 3u);
                if (listed.ok() && listed->size() == 3u) {
                  EXPECT_TRUE(listed->back().revoked_at.has_value());
                  EXPECT_FALSE(listed->front().revoked_at.has_value());
                }
                auto by_digest = tx.FindApiTokenByDigest(std::string(32, 'a'));
                EXPECT_TRUE(by_digest.ok() && by_digest->revoked_at.has_value());
                auto untouched = tx.GetApiToken(ids[1]);
                EXPECT_TRUE(untouched.ok() && !untouched->revoked_at.has_value());
                return absl::OkStatus();
              }).ok());
}

// ---- Groups and plans ----

TEST_P(StoreContractTest, GroupsKeepMembersInOrderAndPage) {
  const core::OrgId org = AddOrganisation("Provider", core::OrgKind::kProvider);
  const core::UserId a = AddUser("a@p.example", org, core::Role::kAgent);
  const core::UserId b = AddUser("b@p.example", org, core::Role::kAgent);
  const core::UserId c = AddUser("c@p.example", org, core::Role::kAgent);
  core::Group group;
  group.name = "Triage";
  group.description = "First look at every case";
  group.triage = true;
  group.members = {c, a, b};
  group.created_at = At(1700000000, 9);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto id = tx.InsertGroup(group);
                if (!id.ok()) return id.status();
                group.id = *id;
                return absl::OkStatus();
              }).ok());
  auto read_group = [&](core::GroupId id) {
    absl::StatusOr<core::Group> read;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) {
                  read = tx.GetGroup(id);
                  return absl::OkStatus();
                }).ok());
    return read;
  };
  auto read = read_group(group.id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->name, "Triage");
  EXPECT_EQ(read->description, "First look at every case");
  EXPECT_TRUE(read->triage);
  EXPECT_THAT(read->members, ElementsAre(c, a, b));
  EXPECT_EQ(read->created_at, At(1700000000, 9));

  group.members = {b};
  group.triage = false;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateGroup(group); }).ok());
  read = read_group(group.id);
  ASSERT_TRUE(read.ok());
  EXPECT_THAT(read->members, ElementsAre(b));
  EXPECT_FALSE(read->triage);
  EXPECT_EQ(read_group(group.id + 100).status().code(), absl::StatusCode::kNotFound);
  core::Group ghost = group;
  ghost.id = group.id + 100;
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.UpdateGroup(ghost); }).code(),
            absl::StatusCode::kNotFound);

  for (int i = 0; i < 4; ++i) AddGroup("Queue " + std::to_string(i));
  std::vector<std::string> names;
  ports::PageRequest page_request;
  page_request.limit = 2;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ports::Page<core::Group>> page;
    ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) {
                  page = tx.ListGroups(page_request);
                  return absl::OkStatus();
                }).ok());
    ASSERT_TRUE(page.ok());
    for (const auto& listed : page->items) {
      names.push_back(listed.name);
      if (listed.id == group.id) EXPECT_THAT(listed.members, ElementsAre(b));  // lists are whole
    }
    if (page->next_cursor.empty()) break;
    page_request.cursor = page->next_cursor;
  }
  EXPECT_THAT(names, ElementsAre("Triage", "Queue 0", "Queue 1", "Queue 2", "Queue 3"));
}

TEST_P(StoreContractTest, PlansUpsertByName) {
  core::SupportPlan plan;
  plan.name = "enterprise";
  plan.display_name = "Enterprise";
  plan.description = "Around the clock";
  plan.channels = {core::Channel::kPortal, core::Channel::kPhone};
  plan.partner_eligible = true;
  plan.after_hours_coverage = true;
  core::SupportPlan developer;
  developer.name = "developer";
  developer.display_name = "Developer";
  developer.channels = {core::Channel::kEmail};
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                absl::Status status = tx.UpsertPlan(plan);
                return status.ok() ? tx.UpsertPlan(developer) : status;
              }).ok());
  plan.display_name = "Enterprise+";
  plan.channels = {core::Channel::kApi};
  plan.after_hours_coverage = false;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpsertPlan(plan); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto read = tx.GetPlan("enterprise");
                EXPECT_TRUE(read.ok());
                if (read.ok()) {
                  EXPECT_EQ(read->display_name, "Enterprise+");
                  EXPECT_EQ(read->description, "Around the clock");
                  EXPECT_THAT(read->channels, ElementsAre(core::Channel::kApi));
                  EXPECT_TRUE(read->partner_eligible);
                  EXPECT_FALSE(read->after_hours_coverage);
                }
                EXPECT_EQ(tx.GetPlan("platinum").status().code(), absl::StatusCode::kNotFound);
                auto plans = tx.ListPlans();
                EXPECT_TRUE(plans.ok());
                if (plans.ok()) {
                  std::vector<std::string> names;
                  for (const auto& listed : *plans) names.push_back(listed.name);
                  EXPECT_THAT(names, UnorderedElementsAreArray({"enterprise", "developer"}));
                }
                return absl::OkStatus();
              }).ok());
}

// ---- Cases ----

TEST_P(StoreContractTest, CaseNumbersStartAt100001AndAreNeverReused) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber first = AddCase(NewCase(org, requester, "first"));
  EXPECT_EQ(first, 100001);
  // A number taken by a unit that then failed is not handed to a later case.
  absl::Status failed = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    auto number = tx.NextCaseNumber();
    if (!number.ok()) return number.status();
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  const core::CaseNumber second = AddCase(NewCase(org, requester, "second"));
  EXPECT_GT(second, first);
}

TEST_P(StoreContractTest, CaseRoundTripsEveryField) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::UserId follower = AddUser("f@example.com", org);
  const core::UserId agent = AddUser("agent@example.com", org, core::Role::kAgent);
  const core::GroupId group = AddGroup("Network");
  core::Case c = NewCase(org, requester, "Server unreachable — ünïcödé");
  c.description = "Since 10:00 the server answers no ping.\nSecond line.";
  c.severity = core::Severity::kCritical;
  c.proposed_severity = core::Severity::kMajor;
  c.severity_confirmed = true;
  c.status = core::CaseStatus::kOnHold;
  c.category = core::Category::kProblem;
  c.product = "compute";
  c.component = "network";
  c.assignee_id = agent;
  c.group_id = group;
  c.partner_reference = "PARTNER-77";
  c.followers = {follower, agent};
  c.fields = {{"server_name", "web-01"}, {"external_ip", "203.0.113.9"}, {"custom", "x"}};
  c.sealed_secrets = std::string("\x00sealed\xff\x01", 9);
  c.created_at = At(1700000100, 123456);
  c.updated_at = At(1700000200, 654321);
  c.first_public_reply_at = At(1700000300);
  c.solved_at = At(1700000400);
  c.closed_at = At(1700000500);
  c.security_incident = true;
  c.escalation_tier = core::Tier::kSupportManager;
  const core::CaseNumber number = AddCase(c);

  auto check = [&](const core::Case& expected) {
    ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto read = tx.GetCase(number);
                  EXPECT_TRUE(read.ok()) << read.status();
                  if (!read.ok()) return absl::OkStatus();
                  EXPECT_EQ(read->number, number);
                  EXPECT_EQ(read->org_id, expected.org_id);
                  EXPECT_EQ(read->requester_id, expected.requester_id);
                  EXPECT_EQ(read->subject, expected.subject);
                  EXPECT_EQ(read->description, expected.description);
                  EXPECT_EQ(read->severity, expected.severity);
                  EXPECT_EQ(read->proposed_severity, expected.proposed_severity);
                  EXPECT_EQ(read->severity_confirmed, expected.severity_confirmed);
                  EXPECT_EQ(read->status, expected.status);
                  EXPECT_EQ(read->category, expected.category);
                  EXPECT_EQ(read->product, expected.product);
                  EXPECT_EQ(read->component, expected.component);
                  EXPECT_EQ(read->assignee_id, expected.assignee_id);
                  EXPECT_EQ(read->group_id, expected.group_id);
                  EXPECT_EQ(read->partner_reference, expected.partner_reference);
                  EXPECT_EQ(read->followers, expected.followers);
                  EXPECT_EQ(read->fields, expected.fields);
                  EXPECT_EQ(read->sealed_secrets, expected.sealed_secrets);
                  EXPECT_EQ(read->created_at, expected.created_at);
                  EXPECT_EQ(read->updated_at, expected.updated_at);
                  EXPECT_EQ(read->first_public_reply_at, expected.first_public_reply_at);
                  EXPECT_EQ(read->solved_at, expected.solved_at);
                  EXPECT_EQ(read->closed_at, expected.closed_at);
                  EXPECT_EQ(read->security_incident, expected.security_incident);
                  EXPECT_EQ(read->escalation_tier, expected.escalation_tier);
                  return absl::OkStatus();
                }).ok());
  };
  c.number = number;
  check(c);

  // Clearing every optional field and changing the rest round-trips too.
  c.assignee_id.reset();
  c.group_id.reset();
  c.followers = {};
  c.fields = {};
  c.sealed_secrets.clear();
  c.first_public_reply_at.reset();
  c.solved_at.reset();
  c.closed_at.reset();
  c.status = core::CaseStatus::kOpen;
  c.severity = core::Severity::kOther;
  c.subject = "Renamed";
  c.security_incident = false;
  c.escalation_tier = core::Tier::kNone;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateCase(c); }).ok());
  check(c);
}

TEST_P(StoreContractTest, UnknownCaseIsNotFoundAndDuplicateNumberIsRejected) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  core::Case c = NewCase(org, requester, "existing");
  c.number = AddCase(c);
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                EXPECT_EQ(tx.GetCase(c.number + 1000).status().code(), absl::StatusCode::kNotFound);
                return absl::OkStatus();
              }).ok());
  core::Case ghost = c;
  ghost.number = c.number + 1000;
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.UpdateCase(ghost); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) { return tx.InsertCase(c); }).code(),
            absl::StatusCode::kAlreadyExists);
  core::Case dangling = NewCase(/*org_id=*/987654, requester, "no such org");
  absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    auto number = tx.NextCaseNumber();
    if (!number.ok()) return number.status();
    dangling.number = *number;
    return tx.InsertCase(dangling);
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
}

// A small desk with a known spread of cases for the list, scope and search tests.
class CaseListContractTest : public StoreContractTest {
 protected:
  void SetUp() override {
    StoreContractTest::SetUp();
    if (HasFatalFailure()) return;
    provider_ = AddOrganisation("Provider", core::OrgKind::kProvider);
    org_a_ = AddOrganisation("Org A", core::OrgKind::kCustomer, provider_);
    org_b_ = AddOrganisation("Org B", core::OrgKind::kCustomer, provider_);
    alice_ = AddUser("alice@a.example", org_a_);
    bob_ = AddUser("bob@b.example", org_b_);
    carol_ = AddUser("carol@b.example", org_b_);
    agent_ = AddUser("agent@p.example", provider_, core::Role::kAgent);
    group_ = AddGroup("Storage");
    const core::CaseStatus statuses[] = {core::CaseStatus::kNew, core::CaseStatus::kOpen,
                                         core::CaseStatus::kPending};
    for (int i = 0; i < 30; ++i) {
      const bool in_a = i % 2 == 0;
      core::Case c =
          NewCase(in_a ? org_a_ : org_b_, in_a ? alice_ : bob_, "Case " + std::to_string(i));
      c.status = statuses[i % 3];
      c.severity = i % 5 == 0 ? core::Severity::kCritical : core::Severity::kMinor;
      if (i % 4 == 0) c.assignee_id = agent_;
      if (i % 6 == 0) c.group_id = group_;
      if (i == 7 || i == 9) c.followers = {carol_};
      cases_.push_back(c);
      cases_.back().number = AddCase(c);
    }
  }

  // Expected numbers, newest first.
  template <typename Predicate>
  std::vector<core::CaseNumber> Expected(Predicate matches) const {
    std::vector<core::CaseNumber> numbers;
    for (auto it = cases_.rbegin(); it != cases_.rend(); ++it) {
      if (matches(*it)) numbers.push_back(it->number);
    }
    return numbers;
  }

  core::OrgId provider_ = 0, org_a_ = 0, org_b_ = 0;
  core::UserId alice_ = 0, bob_ = 0, carol_ = 0, agent_ = 0;
  core::GroupId group_ = 0;
  std::vector<core::Case> cases_;
};

TEST_P(CaseListContractTest, PagesWalkEveryCaseOnceNewestFirst) {
  ports::CaseFilter filter;
  filter.scope = AllScope();
  for (int page_size : {1, 7, 25, 30, 200}) {
    std::vector<core::CaseNumber> seen = WalkCases(filter, page_size);
    EXPECT_EQ(seen, Expected([](const core::Case&) { return true; })) << "page size " << page_size;
  }
  EXPECT_EQ(Count(filter), 30);
}

TEST_P(CaseListContractTest, EveryFilterSelectsAndCounts) {
  struct Scenario {
    std::string name;
    std::function<void(ports::CaseFilter&)> apply;
    std::function<bool(const core::Case&)> matches;
  };
  const std::vector<Scenario> scenarios = {
      {"status", [](auto& f) { f.status = core::CaseStatus::kOpen; },
       [](const core::Case& c) { return c.status == core::CaseStatus::kOpen; }},
      {"severity", [](auto& f) { f.severity = core::Severity::kCritical; },
       [](const core::Case& c) { return c.severity == core::Severity::kCritical; }},
      {"org", [this](auto& f) { f.org_id = org_b_; },
       [this](const core::Case& c) { return c.org_id == org_b_; }},
      {"assignee", [this](auto& f) { f.assignee_id = agent_; },
       [this](const core::Case& c) { return c.assignee_id == agent_; }},
      {"group", [this](auto& f) { f.group_id = group_; },
       [this](const core::Case& c) { return c.group_id == group_; }},
      {"org and status",
       [this](auto& f) {
         f.org_id = org_a_;
         f.status = core::CaseStatus::kPending;
       },
       [this](const core::Case& c) {
         return c.org_id == org_a_ && c.status == core::CaseStatus::kPending;
       }},
      {"status and severity",
       [](auto& f) {
         f.status = core::CaseStatus::kNew;
         f.severity = core::Severity::kCritical;
       },
       [](const core::Case& c) {
         return c.status == core::CaseStatus::kNew && c.severity == core::Severity::kCritical;
       }},
      {"nothing matches", [](auto& f) { f.status = core::CaseStatus::kClosed; },
       [](const core::Case&) { return false; }},
  };
  for (const Scenario& scenario : scenarios) {
    ports::CaseFilter filter;
    filter.scope = AllScope();
    scenario.apply(filter);
    const std::vector<core::CaseNumber> expected = Expected(scenario.matches);
    EXPECT_EQ(WalkCases(filter, 4), expected) << scenario.name;
    EXPECT_EQ(Count(filter), static_cast<int64_t>(expected.size())) << scenario.name;
  }
}

TEST_P(CaseListContractTest, ScopeLimitsListsAndCounts) {
  // Organisation scope.
  ports::CaseFilter by_org;
  by_org.scope.org_ids = {org_a_};
  auto in_a = Expected([this](const core::Case& c) { return c.org_id == org_a_; });
  EXPECT_EQ(WalkCases(by_org, 4), in_a);
  EXPECT_EQ(Count(by_org), static_cast<int64_t>(in_a.size()));

  // Participant scope: requested or followed, across organisations.
  ports::CaseFilter carol;
  carol.scope.participant = carol_;
  auto followed = Expected([](const core::Case& c) { return !c.followers.empty(); });
  ASSERT_EQ(followed.size(), 2u);
  EXPECT_EQ(WalkCases(carol, 1), followed);
  EXPECT_EQ(Count(carol), 2);

  // Organisations and participant together, with a filter, never listing a case twice.
  ports::CaseFilter mixed;
  mixed.scope.org_ids = {org_a_};
  mixed.scope.participant = carol_;
  mixed.status = core::CaseStatus::kOpen;
  auto expected = Expected([this](const core::Case& c) {
    return (c.org_id == org_a_ || !c.followers.empty()) && c.status == core::CaseStatus::kOpen;
  });
  EXPECT_EQ(WalkCases(mixed, 2), expected);
  EXPECT_EQ(Count(mixed), static_cast<int64_t>(expected.size()));

  // A requester who is also in an organisation scope appears once.
  ports::CaseFilter alice;
  alice.scope.org_ids = {org_a_};
  alice.scope.participant = alice_;
  EXPECT_EQ(WalkCases(alice, 3), in_a);

  // An empty scope sees nothing.
  ports::CaseFilter nobody;
  EXPECT_THAT(WalkCases(nobody, 5), IsEmpty());
  EXPECT_EQ(Count(nobody), 0);

  // Unfollowing removes a case from the follower's scope.
  core::Case unfollowed = cases_[7];
  unfollowed.followers = {};
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateCase(unfollowed); }).ok());
  EXPECT_THAT(WalkCases(carol, 5), ElementsAre(cases_[9].number));
}

TEST_P(CaseListContractTest, TextFilterMatchesPublicContentOnly) {
  AddComment(cases_[3].number, agent_, "The storage array reported zebrafish errors",
             core::Visibility::kPublic);
  AddComment(cases_[4].number, agent_, "internal: zebrafish suspected",
             core::Visibility::kInternal);
  core::Case described = cases_[10];
  described.description = "Our zebrafish cluster is down";
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateCase(described); }).ok());

  ports::CaseFilter filter;
  filter.scope = AllScope();
  filter.text = "Zebrafish";
  EXPECT_THAT(WalkCases(filter, 1), ElementsAre(cases_[10].number, cases_[3].number));
  EXPECT_EQ(Count(filter), 2);
  filter.status = cases_[3].status;
  EXPECT_EQ(Count(filter), cases_[10].status == cases_[3].status ? 2 : 1);
  filter.status.reset();
  filter.scope = core::CaseScope();
  filter.scope.org_ids = {org_b_};
  EXPECT_THAT(WalkCases(filter, 5), ElementsAre(cases_[3].number));
}

TEST_P(CaseListContractTest, MalformedCursorIsInvalidArgument) {
  ports::CaseFilter filter;
  filter.scope = AllScope();
  filter.page.cursor = "not a cursor!";
  EXPECT_EQ(ListCases(filter).status().code(), absl::StatusCode::kInvalidArgument);
}

// ---- Search ----

TEST_P(CaseListContractTest, SearchHonoursInternalNotesAndScope) {
  AddComment(cases_[1].number, agent_, "Customer sees the kangaroo message",
             core::Visibility::kPublic);
  AddComment(cases_[2].number, agent_, "Staff only: kangaroo bug in firmware",
             core::Visibility::kInternal);

  EXPECT_THAT(SearchNumbers("kangaroo", AllScope(), /*include_internal=*/false),
              ElementsAre(cases_[1].number));
  EXPECT_THAT(SearchNumbers("kangaroo", AllScope(), /*include_internal=*/true),
              ElementsAre(cases_[2].number, cases_[1].number));

  core::CaseScope only_a;
  only_a.org_ids = {org_a_};  // case 2 is in org A, case 1 in org B
  EXPECT_THAT(SearchNumbers("kangaroo", only_a, true), ElementsAre(cases_[2].number));
  core::CaseScope none;
  EXPECT_THAT(SearchNumbers("kangaroo", none, true), IsEmpty());

  ports::SearchQuery query;
  query.text = "kangaroo firmware";
  query.scope = AllScope();
  query.include_internal = true;
  auto page = Search(query);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].case_number, cases_[2].number);
  EXPECT_EQ(page->items[0].subject, "Case 2");
  EXPECT_EQ(page->items[0].matched_in, "internal_note");
  EXPECT_NE(page->items[0].snippet.find("kangaroo"), std::string::npos);
  EXPECT_EQ(page->items[0].snippet.find('<'), std::string::npos);
}

TEST_P(CaseListContractTest, SearchFindsSubjectsDescriptionsAndFollowsEdits) {
  core::Case edited = cases_[5];
  edited.subject = "Quokka outage in region west";
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateCase(edited); }).ok());
  ports::SearchQuery query;
  query.text = "quokka";
  query.scope = AllScope();
  auto page = Search(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].matched_in, "subject");
  EXPECT_EQ(page->items[0].subject, "Quokka outage in region west");
  // The old subject is gone from the index: "Case 5" now matches only the description.
  query.text = "Case 5";
  page = Search(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].case_number, cases_[5].number);
  EXPECT_EQ(page->items[0].matched_in, "description");
  query.text = "description of case 8";
  page = Search(query);
  ASSERT_TRUE(page.ok());
  ASSERT_FALSE(page->items.empty());
  EXPECT_EQ(page->items[0].case_number, cases_[8].number);
  EXPECT_EQ(page->items[0].matched_in, "description");
}

TEST_P(CaseListContractTest, SearchFollowsEditsMadeInTheUnitThatCreatedTheCase) {
  const core::OrgId org = cases_[0].org_id;
  const core::UserId requester = cases_[0].requester_id;
  core::CaseNumber number = 0;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto next = tx.NextCaseNumber();
                if (!next.ok()) return next.status();
                core::Case c = NewCase(org, requester, "Wombat cluster degraded");
                c.number = *next;
                c.description = "Platypus nodes drop packets";
                absl::Status status = tx.InsertCase(c);
                if (!status.ok()) return status;
                c.subject = "Echidna cluster degraded";
                status = tx.UpdateCase(c);
                if (!status.ok()) return status;
                number = c.number;
                return absl::OkStatus();
              }).ok());
  ports::SearchQuery query;
  query.scope = AllScope();
  query.text = "echidna";
  auto page = Search(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].case_number, number);
  EXPECT_EQ(page->items[0].matched_in, "subject");
  query.text = "wombat";
  page = Search(query);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->items.empty());
  query.text = "platypus";
  page = Search(query);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].matched_in, "description");
}

TEST_P(CaseListContractTest, SearchPagesByCursor) {
  ports::SearchQuery query;
  query.text = "description";  // every case
  query.scope = AllScope();
  query.page.limit = 7;
  std::vector<core::CaseNumber> seen;
  for (int pages = 0; pages < 20; ++pages) {
    auto page = Search(query);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& hit : page->items) seen.push_back(hit.case_number);
    if (page->next_cursor.empty()) break;
    query.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, Expected([](const core::Case&) { return true; }));
}

TEST_P(CaseListContractTest, HostileSearchTextNeverErrors) {
  for (std::string text : {"\"", "AND OR (", "NOT", "*", "a*", "NEAR(a b)", "public_text:x",
                           "internal_text : kangaroo", "{kind}: x", "^x", "'; DROP TABLE cases;--",
                           "\"unbalanced", "((((", "-x", "+", "", "   ", "x\"y\"z", "\\"}) {
    for (bool internal : {false, true}) {
      ports::SearchQuery query;
      query.text = text;
      query.scope = AllScope();
      query.include_internal = internal;
      auto page = Search(query);
      EXPECT_TRUE(page.ok()) << "query [" << text << "]: " << page.status();
    }
    ports::CaseFilter filter;
    filter.scope = AllScope();
    filter.text = text;
    EXPECT_TRUE(ListCases(filter).ok()) << "list text [" << text << "]";
  }
  // Words are still found when surrounded by would-be syntax.
  EXPECT_THAT(SearchNumbers("(\"Case\" 12)", AllScope(), false), ElementsAre(cases_[12].number));
}

// ---- Conversation, attachments, events, settings ----

TEST_P(CaseListContractTest, CommentsListOldestFirstAndHideInternalNotes) {
  const core::CaseNumber number = cases_[0].number;
  std::vector<core::CommentId> public_ids;
  std::vector<core::CommentId> all_ids;
  for (int i = 0; i < 5; ++i) {
    const bool internal = i % 2 == 1;
    all_ids.push_back(
        AddComment(number, agent_, "comment " + std::to_string(i),
                   internal ? core::Visibility::kInternal : core::Visibility::kPublic));
    if (!internal) public_ids.push_back(all_ids.back());
  }
  auto walk = [&](bool include_internal) {
    std::vector<core::CommentId> ids;
    ports::PageRequest request;
    request.limit = 2;
    for (int pages = 0; pages < 10; ++pages) {
      absl::StatusOr<ports::Page<core::Comment>> page;
      EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) {
                    page = tx.ListComments(number, include_internal, request);
                    return absl::OkStatus();
                  }).ok());
      EXPECT_TRUE(page.ok());
      if (!page.ok()) break;
      for (const auto& comment : page->items) {
        ids.push_back(comment.id);
        EXPECT_EQ(comment.case_number, number);
        EXPECT_EQ(comment.author_id, agent_);
        EXPECT_EQ(comment.created_at, At(1700000200));
      }
      if (page->next_cursor.empty()) break;
      request.cursor = page->next_cursor;
    }
    return ids;
  };
  EXPECT_EQ(walk(true), all_ids);
  EXPECT_EQ(walk(false), public_ids);
}

TEST_P(CaseListContractTest, AttachmentsRoundTripAndLinkToComments) {
  const core::CaseNumber number = cases_[0].number;
  core::Attachment attachment;
  attachment.id = "att_3f9a";
  attachment.case_number = number;
  attachment.blob_digest = std::string(64, 'a');
  attachment.filename = "trace.log";
  attachment.content_type = "text/plain";
  attachment.size = 1234;
  attachment.uploaded_by = alice_;
  attachment.visibility = core::Visibility::kInternal;
  attachment.created_at = At(1700000300, 42);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.InsertAttachment(attachment); }).ok());
  EXPECT_EQ(
      Write([&](ports::StoreTransaction& tx) { return tx.InsertAttachment(attachment); }).code(),
      absl::StatusCode::kAlreadyExists);
  const core::CommentId comment =
      AddComment(number, alice_, "see attached", core::Visibility::kPublic);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.AttachToComment(attachment.id, comment);
              }).ok());
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.AttachToComment("att_none", comment);
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.AttachToComment(attachment.id, comment + 99);
            }).code(),
            absl::StatusCode::kNotFound);

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto read = tx.GetAttachment(attachment.id);
                EXPECT_TRUE(read.ok());
                if (read.ok()) {
                  EXPECT_EQ(read->case_number, number);
                  EXPECT_EQ(read->comment_id, std::optional<core::CommentId>(comment));
                  EXPECT_EQ(read->blob_digest, attachment.blob_digest);
                  EXPECT_EQ(read->filename, "trace.log");
                  EXPECT_EQ(read->content_type, "text/plain");
                  EXPECT_EQ(read->size, 1234);
                  EXPECT_EQ(read->uploaded_by, alice_);
                  EXPECT_EQ(read->visibility, core::Visibility::kInternal);
                  EXPECT_EQ(read->created_at, At(1700000300, 42));
                }
                EXPECT_EQ(tx.GetAttachment("att_none").status().code(),
                          absl::StatusCode::kNotFound);
                auto listed = tx.ListAttachments(number);
                EXPECT_TRUE(listed.ok());
                if (listed.ok()) {
                  EXPECT_EQ(listed->size(), 1u);
                }
                auto other = tx.ListAttachments(cases_[1].number);
                EXPECT_TRUE(other.ok() && other->empty());
                auto comments = tx.ListComments(number, true, ports::PageRequest());
                EXPECT_TRUE(comments.ok());
                if (comments.ok() && !comments->items.empty()) {
                  EXPECT_THAT(comments->items.back().attachment_ids, ElementsAre("att_3f9a"));
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(CaseListContractTest, EventsAreListedOldestFirstInPages) {
  const core::CaseNumber number = cases_[0].number;
  std::vector<core::EventId> ids;
  for (int i = 0; i < 5; ++i) {
    core::AuditEvent event;
    event.entity = "case";
    event.entity_id = std::to_string(number);
    event.case_number = number;
    event.actor_id = agent_;
    event.at = At(1700001000 + i, 7);
    event.kind = "case.status_changed";
    event.changes = {{"status", "new", "open"}, {"note", "", "multi\nline \"quoted\""}};
    event.reason = "reason " + std::to_string(i);
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto id = tx.AppendEvent(event);
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                  return absl::OkStatus();
                }).ok());
  }
  core::AuditEvent unrelated;
  unrelated.entity = "user";
  unrelated.entity_id = "1";
  unrelated.kind = "user.created";
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.AppendEvent(unrelated).status(); }).ok());

  std::vector<core::AuditEvent> seen;
  ports::PageRequest request;
  request.limit = 2;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ports::Page<core::AuditEvent>> page;
    ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) {
                  page = tx.ListCaseEvents(number, request);
                  return absl::OkStatus();
                }).ok());
    ASSERT_TRUE(page.ok());
    for (auto& event : page->items) seen.push_back(event);
    if (page->next_cursor.empty()) break;
    request.cursor = page->next_cursor;
  }
  ASSERT_EQ(seen.size(), 5u);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].id, ids[i]);
    EXPECT_EQ(seen[i].entity, "case");
    EXPECT_EQ(seen[i].entity_id, std::to_string(number));
    EXPECT_EQ(seen[i].actor_id, agent_);
    EXPECT_EQ(seen[i].at, At(1700001000 + static_cast<int64_t>(i), 7));
    EXPECT_EQ(seen[i].kind, "case.status_changed");
    ASSERT_EQ(seen[i].changes.size(), 2u);
    EXPECT_EQ(seen[i].changes[0].field, "status");
    EXPECT_EQ(seen[i].changes[0].before, "new");
    EXPECT_EQ(seen[i].changes[0].after, "open");
    EXPECT_EQ(seen[i].changes[1].after, "multi\nline \"quoted\"");
    EXPECT_EQ(seen[i].reason, "reason " + std::to_string(i));
  }
}

// GetCaseWithHistory: the case, its organisation and every event of its history, oldest first
// (more than one page of them), in read and write transactions alike.
TEST_P(CaseListContractTest, CaseWithHistoryHasItsOrganisationAndEveryEvent) {
  const core::CaseNumber number = cases_[3].number;
  std::vector<core::EventId> ids;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 1205; ++i) {
                  core::AuditEvent event;
                  event.entity = "case";
                  event.entity_id = std::to_string(number);
                  event.case_number = number;
                  event.actor_id = agent_;
                  event.at = At(1700002000 + i, 0);
                  event.kind = i % 2 == 0 ? "case.commented" : "case.status_changed";
                  event.changes = {{"status", "new", "open"}};
                  auto id = tx.AppendEvent(event);
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                return absl::OkStatus();
              }).ok());
  const auto check = [&](ports::StoreTransaction& tx) -> absl::Status {
    absl::StatusOr<ports::CaseWithHistory> found = tx.GetCaseWithHistory(number);
    EXPECT_TRUE(found.ok()) << found.status();
    if (!found.ok()) return absl::OkStatus();
    EXPECT_EQ(found->record.number, number);
    EXPECT_EQ(found->record.subject, cases_[3].subject);
    EXPECT_EQ(found->org.id, org_b_);
    EXPECT_EQ(found->org.name, "Org B");
    std::vector<core::EventId> seen;
    for (const core::AuditEvent& event : found->events) {
      EXPECT_EQ(event.case_number, number);
      seen.push_back(event.id);
    }
    // The cases of the fixture were written with no events of their own.
    EXPECT_EQ(seen, ids);
    if (!found->events.empty()) {
      EXPECT_EQ(found->events[1].kind, "case.status_changed");
      EXPECT_EQ(found->events[1].at, At(1700002001, 0));
      EXPECT_EQ(found->events[1].changes.size(), 1u);
      if (!found->events[1].changes.empty()) {
        EXPECT_EQ(found->events[1].changes[0].after, "open");
      }
    }
    EXPECT_EQ(tx.GetCaseWithHistory(number + 100000).status().code(), absl::StatusCode::kNotFound);
    return absl::OkStatus();
  };
  ASSERT_TRUE(Read(check).ok());
  ASSERT_TRUE(Write(check).ok());
}

TEST_P(StoreContractTest, EntityEventsAreListedOldestFirstInPages) {
  auto append = [&](std::string entity, std::string entity_id, std::string kind,
                    core::CaseNumber case_number = 0) {
    core::AuditEvent event;
    event.entity = std::move(entity);
    event.entity_id = std::move(entity_id);
    event.case_number = case_number;
    event.actor_id = 7;
    event.at = At(1700002000, 11);
    event.kind = std::move(kind);
    event.changes = {{"name", "Old", "New \"name\""}};
    event.reason = "because";
    core::EventId id = 0;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto appended = tx.AppendEvent(event);
                  if (!appended.ok()) return appended.status();
                  id = *appended;
                  return absl::OkStatus();
                }).ok());
    return id;
  };
  std::vector<core::EventId> wanted;
  wanted.push_back(append("organisation", "12", "organisation.created"));
  append("organisation", "120", "organisation.created");  // same prefix, other entity id
  append("user", "12", "user.created");                   // same id, other entity
  wanted.push_back(append("organisation", "12", "organisation.updated"));
  append("case", "12", "case.created", 12);
  wanted.push_back(append("organisation", "12", "organisation.plan_changed"));

  std::vector<core::AuditEvent> seen;
  ports::PageRequest request;
  request.limit = 2;
  int pages = 0;
  for (; pages < 10; ++pages) {
    absl::StatusOr<ports::Page<core::AuditEvent>> page;
    ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) {
                  page = tx.ListEntityEvents("organisation", "12", request);
                  return absl::OkStatus();
                }).ok());
    ASSERT_TRUE(page.ok()) << page.status();
    for (auto& event : page->items) seen.push_back(event);
    if (page->next_cursor.empty()) break;
    request.cursor = page->next_cursor;
  }
  EXPECT_EQ(pages, 1);  // two pages: 2 + 1
  ASSERT_EQ(seen.size(), 3u);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].id, wanted[i]);
    EXPECT_EQ(seen[i].entity, "organisation");
    EXPECT_EQ(seen[i].entity_id, "12");
    EXPECT_EQ(seen[i].case_number, 0);
    EXPECT_EQ(seen[i].actor_id, 7);
    EXPECT_EQ(seen[i].at, At(1700002000, 11));
    ASSERT_EQ(seen[i].changes.size(), 1u);
    EXPECT_EQ(seen[i].changes[0].after, "New \"name\"");
    EXPECT_EQ(seen[i].reason, "because");
  }
  EXPECT_EQ(seen[0].kind, "organisation.created");
  EXPECT_EQ(seen[2].kind, "organisation.plan_changed");

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto case_events = tx.ListEntityEvents("case", "12", ports::PageRequest{});
                EXPECT_TRUE(case_events.ok());
                if (case_events.ok()) {
                  EXPECT_EQ(case_events->items.size(), 1u);
                  EXPECT_TRUE(case_events->next_cursor.empty());
                }
                auto none = tx.ListEntityEvents("group", "12", ports::PageRequest{});
                EXPECT_TRUE(none.ok() && none->items.empty() && none->next_cursor.empty());
                ports::PageRequest bad;
                bad.cursor = "not a cursor!";
                EXPECT_EQ(tx.ListEntityEvents("organisation", "12", bad).status().code(),
                          absl::StatusCode::kInvalidArgument);
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, SettingsAreStoredByKey) {
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.PutSetting("severity_definitions", R"({"v":1})");
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.PutSetting("severity_definitions", R"({"v":2})");
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto value = tx.GetSetting("severity_definitions");
                EXPECT_TRUE(value.ok());
                if (value.ok()) {
                  EXPECT_EQ(*value, std::optional<std::string>(R"({"v":2})"));
                }
                auto missing = tx.GetSetting("missing");
                EXPECT_TRUE(missing.ok());
                if (missing.ok()) {
                  EXPECT_FALSE(missing->has_value());
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(CaseListContractTest, SecurityIncidentsAreHiddenFromScopesThatMayNotSeeThem) {
  core::Case flagged = cases_[3];
  flagged.security_incident = true;
  flagged.subject = "Suspected intrusion zebrafinch";
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateCase(flagged); }).ok());
  cases_[3] = flagged;

  ports::CaseFilter filter;
  filter.scope = AllScope();
  filter.scope.hide_security_incidents = true;
  const auto visible = [](const core::Case& c) { return !c.security_incident; };
  EXPECT_EQ(WalkCases(filter, 7), Expected(visible));
  EXPECT_EQ(Count(filter), 29);
  filter.text = "zebrafinch";
  EXPECT_TRUE(WalkCases(filter, 7).empty());
  EXPECT_TRUE(SearchNumbers("zebrafinch", filter.scope, true).empty());

  filter.scope.hide_security_incidents = false;
  EXPECT_EQ(WalkCases(filter, 7), std::vector<core::CaseNumber>{flagged.number});
  EXPECT_EQ(SearchNumbers("zebrafinch", filter.scope, true),
            std::vector<core::CaseNumber>{flagged.number});
  filter.text.clear();
  EXPECT_EQ(Count(filter), 30);
}

TEST_P(StoreContractTest, SettingsAreListedByPrefixAndDeleted) {
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (const char* key : {"calendar/b", "calendar/a", "calendar_x", "calendars",
                                        "sla_policy/enterprise"}) {
                  if (absl::Status put = tx.PutSetting(key, std::string("v-") + key); !put.ok()) {
                    return put;
                  }
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto listed = tx.ListSettings("calendar/");
                EXPECT_TRUE(listed.ok()) << listed.status();
                if (listed.ok()) {
                  using Entry = std::pair<std::string, std::string>;
                  EXPECT_EQ(*listed, (std::vector<Entry>{{"calendar/a", "v-calendar/a"},
                                                         {"calendar/b", "v-calendar/b"}}));
                }
                // "_" and "%" in a prefix are plain characters.
                auto underscore = tx.ListSettings("calendar_");
                EXPECT_TRUE(underscore.ok());
                if (underscore.ok()) {
                  EXPECT_EQ(underscore->size(), 1u);
                }
                auto percent = tx.ListSettings("%");
                EXPECT_TRUE(percent.ok());
                if (percent.ok()) {
                  EXPECT_TRUE(percent->empty());
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.DeleteSetting("calendar/a"); }).ok());
  EXPECT_EQ(
      Write([&](ports::StoreTransaction& tx) { return tx.DeleteSetting("calendar/a"); }).code(),
      absl::StatusCode::kNotFound);
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto listed = tx.ListSettings("calendar/");
                EXPECT_TRUE(listed.ok());
                if (listed.ok()) {
                  EXPECT_EQ(listed->size(), 1u);
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, TimersFireOnceAndRearmOnlyWhileUnfired) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber first = AddCase(NewCase(org, requester, "one"));
  const core::CaseNumber second = AddCase(NewCase(org, requester, "two"));
  const auto arm = [&](core::CaseNumber number, std::string key, absl::Time due) {
    return Write([&](ports::StoreTransaction& tx) {
      return tx.ArmTimer({.case_number = number, .key = key, .due_at = due});
    });
  };
  ASSERT_TRUE(arm(first, "sla:first_response:breach:0", At(1000)).ok());
  ASSERT_TRUE(arm(first, "sla:first_response:warning:0", At(900)).ok());
  ASSERT_TRUE(arm(second, "sla:resolution:breach:0", At(950)).ok());
  ASSERT_TRUE(arm(second, "escalation:exec:0:created", At(5000)).ok());
  // Re-arming an unfired key moves it.
  ASSERT_TRUE(arm(first, "sla:first_response:breach:0", At(1100)).ok());

  const auto due = [&](absl::Time now) {
    std::vector<std::string> keys;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto timers = tx.ListDueTimers(now, 10);
                  EXPECT_TRUE(timers.ok()) << timers.status();
                  if (!timers.ok()) return absl::OkStatus();
                  for (const ports::Timer& timer : *timers) {
                    keys.push_back(std::to_string(timer.case_number == first ? 1 : 2) + " " +
                                   timer.key);
                  }
                  return absl::OkStatus();
                }).ok());
    return keys;
  };
  EXPECT_EQ(due(At(1100)),
            (std::vector<std::string>{"1 sla:first_response:warning:0", "2 sla:resolution:breach:0",
                                      "1 sla:first_response:breach:0"}));
  EXPECT_TRUE(due(At(899)).empty());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto next = tx.NextTimerDue();
                EXPECT_TRUE(next.ok());
                if (next.ok()) {
                  EXPECT_EQ(*next, std::optional<absl::Time>(At(900)));
                }
                auto count = tx.CountUnfiredTimers();
                EXPECT_TRUE(count.ok());
                if (count.ok()) {
                  EXPECT_EQ(*count, 4);
                }
                return absl::OkStatus();
              }).ok());

  // Exactly once: the second mark reports that someone else fired it.
  const auto mark = [&](core::CaseNumber number, std::string key) {
    bool marked = false;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto fired = tx.MarkTimerFired(number, key, At(1200));
                  if (!fired.ok()) return fired.status();
                  marked = *fired;
                  return absl::OkStatus();
                }).ok());
    return marked;
  };
  EXPECT_TRUE(mark(first, "sla:first_response:warning:0"));
  EXPECT_FALSE(mark(first, "sla:first_response:warning:0"));
  EXPECT_FALSE(mark(first, "no-such-key"));
  // A fired key is never re-armed, nor disarmed.
  ASSERT_TRUE(arm(first, "sla:first_response:warning:0", At(3000)).ok());
  EXPECT_EQ(due(At(1100)), (std::vector<std::string>{"2 sla:resolution:breach:0",
                                                     "1 sla:first_response:breach:0"}));
  // A timer inserted as fired never comes due (SQLite used to drop `fired_at`).
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.ArmTimer({.case_number = second,
                                    .key = "escalation:exec:0:at-once",
                                    .due_at = At(1000),
                                    .fired_at = At(1000)});
              }).ok());
  EXPECT_EQ(due(At(1100)), (std::vector<std::string>{"2 sla:resolution:breach:0",
                                                     "1 sla:first_response:breach:0"}));

  // Disarming keeps the listed keys, other prefixes, fired keys and other cases.
  ASSERT_TRUE(arm(first, "sla:next_update:breach:1", At(2000)).ok());
  ASSERT_TRUE(arm(first, "escalation:exec:0:created", At(2500)).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.DisarmTimersExcept(first, "sla:", {"sla:next_update:breach:1"});
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto timers = tx.ListCaseTimers(first);
                EXPECT_TRUE(timers.ok());
                if (!timers.ok()) return absl::OkStatus();
                std::vector<std::string> keys;
                for (const ports::Timer& timer : *timers) {
                  keys.push_back(timer.key + (timer.fired_at ? " fired" : ""));
                }
                EXPECT_EQ(keys, (std::vector<std::string>{"sla:first_response:warning:0 fired",
                                                          "sla:next_update:breach:1",
                                                          "escalation:exec:0:created"}));
                EXPECT_EQ((*timers)[0].due_at, At(900));
                EXPECT_EQ((*timers)[0].fired_at, std::optional<absl::Time>(At(1200)));
                auto others = tx.ListCaseTimers(second);
                EXPECT_TRUE(others.ok());
                if (others.ok()) {
                  EXPECT_EQ(others->size(), 3u);  // by due instant: 950, 1000, 5000
                  if (others->size() != 3) return absl::OkStatus();
                  EXPECT_EQ((*others)[1].key, "escalation:exec:0:at-once");
                  EXPECT_EQ((*others)[1].fired_at, std::optional<absl::Time>(At(1000)));
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ArmCaseTimersSetsTheCasesWholeSetUnderAPrefix) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber first = AddCase(NewCase(org, requester, "one"));
  const core::CaseNumber second = AddCase(NewCase(org, requester, "two"));
  const auto timer = [](core::CaseNumber number, std::string key, absl::Time at) {
    return ports::Timer{.case_number = number, .key = std::move(key), .due_at = at};
  };
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (const ports::Timer& t :
                     {timer(first, "sla:a", At(100)), timer(first, "sla:fired", At(200)),
                      timer(first, "sla:stale", At(300)), timer(first, "escalation:x", At(400)),
                      timer(second, "sla:a", At(500))}) {
                  if (absl::Status s = tx.ArmTimer(t); !s.ok()) return s;
                }
                return tx.MarkTimerFired(first, "sla:fired", At(250)).status();
              }).ok());
  // Moves sla:a, adds sla:b, cannot re-arm the fired key, drops sla:stale; leaves the other
  // prefix and the other case alone.
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.ArmCaseTimers(
                    first, "sla:",
                    {timer(first, "sla:a", At(110)), timer(first, "sla:b", At(120)),
                     timer(first, "sla:fired", At(900))});
              }).ok());
  EXPECT_EQ(TimerKeys(first),
            (std::vector<std::string>{absl::StrCat("escalation:x@", 400),
                                      absl::StrCat("sla:a@", 110), absl::StrCat("sla:b@", 120),
                                      absl::StrCat("sla:fired@", 200, " fired")}));
  EXPECT_EQ(TimerKeys(second), (std::vector<std::string>{absl::StrCat("sla:a@", 500)}));
  // None at all disarms every unfired timer under the prefix.
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.ArmCaseTimers(first, "sla:", {}); }).ok());
  EXPECT_EQ(TimerKeys(first),
            (std::vector<std::string>{absl::StrCat("escalation:x@", 400),
                                      absl::StrCat("sla:fired@", 200, " fired")}));
  // A timer of another case is refused.
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.ArmCaseTimers(first, "sla:", {timer(second, "sla:z", At(1))});
            }).code(),
            absl::StatusCode::kInvalidArgument);
}

// ArmNewCaseTimers, for a case just opened, arms the set as ArmCaseTimers would (the last of
// a key given twice wins), and still never re-arms a fired key.
TEST_P(StoreContractTest, ArmNewCaseTimersArmsAFreshCasesSet) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber fresh = AddCase(NewCase(org, requester, "fresh"));
  const core::CaseNumber fired = AddCase(NewCase(org, requester, "fired"));
  const auto timer = [](core::CaseNumber number, std::string key, absl::Time at) {
    return ports::Timer{.case_number = number, .key = std::move(key), .due_at = at};
  };
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) -> absl::Status {
        if (absl::Status s = tx.ArmTimer(timer(fired, "sla:done", At(50))); !s.ok()) {
          return s;
        }
        if (absl::Status s = tx.MarkTimerFired(fired, "sla:done", At(60)).status(); !s.ok()) {
          return s;
        }
        if (absl::Status s =
                tx.ArmNewCaseTimers(fresh, "sla:",
                                    {timer(fresh, "sla:a", At(100)), timer(fresh, "sla:b", At(200)),
                                     timer(fresh, "sla:a", At(150))});
            !s.ok()) {
          return s;
        }
        return tx.ArmNewCaseTimers(
            fired, "sla:", {timer(fired, "sla:done", At(900)), timer(fired, "sla:next", At(950))});
      }).ok());
  EXPECT_EQ(TimerKeys(fresh),
            (std::vector<std::string>{absl::StrCat("sla:a@", 150), absl::StrCat("sla:b@", 200)}));
  EXPECT_EQ(TimerKeys(fired), (std::vector<std::string>{absl::StrCat("sla:done@", 50, " fired"),
                                                        absl::StrCat("sla:next@", 950)}));
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.ArmNewCaseTimers(fresh, "sla:", {timer(fired, "sla:z", At(1))});
            }).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(StoreContractTest, NotificationsWaitInTheOutboxUntilSent) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber number = AddCase(NewCase(org, requester, "one"));
  std::vector<int64_t> ids;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 3; ++i) {
                  ports::Notification notification;
                  notification.case_number = i == 2 ? 0 : number;
                  notification.kind = "sla.breached";
                  notification.recipient_id = requester;
                  notification.recipient_email = "r@example.com";
                  notification.subject = "Subject " + std::to_string(i);
                  notification.body = "Body ünï " + std::to_string(i);
                  notification.created_at = At(1000 + i);
                  auto id = tx.InsertNotification(notification);
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                if (absl::Status failed =
                        tx.RecordNotificationAttempt(ids[0], At(2000), "451 later", At(2060));
                    !failed.ok()) {
                  return failed;
                }
                return tx.RecordNotificationAttempt(ids[1], At(2001), "", std::nullopt);
              }).ok());
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.RecordNotificationAttempt(ids[2] + 100, At(2001), "", std::nullopt);
            }).code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto of_case = tx.ListCaseNotifications(number);
                EXPECT_TRUE(of_case.ok());
                if (!of_case.ok()) return absl::OkStatus();
                EXPECT_EQ(of_case->size(), 2u);
                const ports::Notification& retried = (*of_case)[0];
                EXPECT_EQ(retried.subject, "Subject 0");
                EXPECT_EQ(retried.body, "Body ünï 0");
                EXPECT_EQ(retried.kind, "sla.breached");
                EXPECT_EQ(retried.recipient_id, requester);
                EXPECT_EQ(retried.created_at, At(1000));
                EXPECT_EQ(retried.attempts, 1);
                EXPECT_EQ(retried.last_error, "451 later");
                EXPECT_FALSE(retried.sent_at.has_value());
                EXPECT_EQ(retried.next_attempt_at, std::optional<absl::Time>(At(2060)));
                EXPECT_FALSE(retried.failed_at.has_value());
                EXPECT_EQ((*of_case)[1].sent_at, std::optional<absl::Time>(At(2001)));
                auto unsent = tx.ListUnsentNotifications(10);
                EXPECT_TRUE(unsent.ok());
                if (unsent.ok()) {
                  if (unsent->size() != 2u) return absl::InternalError("expected 2 unsent");
                  EXPECT_EQ((*unsent)[0].id, ids[0]);
                  EXPECT_EQ((*unsent)[1].id, ids[2]);
                }
                return absl::OkStatus();
              }).ok());
}

ports::Notification OutboxRow(core::CaseNumber number, core::UserId recipient, int i) {
  ports::Notification notification;
  notification.case_number = number;
  notification.kind = "case.reply";
  notification.recipient_id = recipient;
  notification.recipient_email = "r@example.com";
  notification.subject = "[Case #" + std::to_string(number) + "] Reply " + std::to_string(i);
  notification.body = "Body " + std::to_string(i);
  notification.created_at = At(1000 + i);
  notification.message_id = "m" + std::to_string(i) + ".x@desk.example";
  notification.in_reply_to = "root@desk.example";
  notification.references = "root@desk.example other@desk.example";
  notification.from_address = "help@partner.example";
  notification.from_name = "Partner Hélp";
  notification.automatic = i % 2 == 0;
  return notification;
}

TEST_P(StoreContractTest, NotificationsAreClaimedOnceRetriedLaterAndGivenUp) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber number = AddCase(NewCase(org, requester, "one"));
  std::vector<int64_t> ids;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 4; ++i) {
                  auto id = tx.InsertNotification(OutboxRow(number, requester, i));
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                // The same Message-ID twice is refused and leaves the transaction usable.
                auto duplicate = tx.InsertNotification(OutboxRow(number, requester, 0));
                EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
                return absl::OkStatus();
              }).ok());
  // Every header field survives the round trip.
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto row = tx.GetNotification(ids[1]);
                EXPECT_TRUE(row.ok()) << row.status();
                if (!row.ok()) return absl::OkStatus();
                EXPECT_EQ(row->message_id, "m1.x@desk.example");
                EXPECT_EQ(row->in_reply_to, "root@desk.example");
                EXPECT_EQ(row->references, "root@desk.example other@desk.example");
                EXPECT_EQ(row->from_address, "help@partner.example");
                EXPECT_EQ(row->from_name, "Partner Hélp");
                EXPECT_FALSE(row->automatic);
                EXPECT_EQ(tx.GetNotification(ids[3] + 100).status().code(),
                          absl::StatusCode::kNotFound);
                return absl::OkStatus();
              }).ok());
  const auto claim = [&](absl::Time now, int limit) {
    std::vector<int64_t> claimed;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto rows = tx.ClaimNotifications(now, now + absl::Seconds(120), limit);
                  if (!rows.ok()) return rows.status();
                  for (const auto& row : *rows) {
                    EXPECT_EQ(row.claimed_until,
                              std::optional<absl::Time>(now + absl::Seconds(120)));
                    claimed.push_back(row.id);
                  }
                  return absl::OkStatus();
                }).ok());
    return claimed;
  };
  EXPECT_EQ(claim(At(2000), 3), (std::vector<int64_t>{ids[0], ids[1], ids[2]}));
  // Leased rows are not handed out again until the lease runs out.
  EXPECT_EQ(claim(At(2010), 10), (std::vector<int64_t>{ids[3]}));
  EXPECT_EQ(claim(At(2020), 10), (std::vector<int64_t>{}));
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) -> absl::Status {
        if (absl::Status s = tx.RecordNotificationAttempt(ids[0], At(2030), "", std::nullopt);
            !s.ok()) {
          return s;
        }
        if (absl::Status s = tx.RecordNotificationAttempt(ids[1], At(2030), "451 busy", At(2300));
            !s.ok()) {
          return s;
        }
        return tx.RecordNotificationAttempt(ids[2], At(2030), "550 no such user", std::nullopt);
      }).ok());
  // ids[3]'s lease expired at 2130; ids[1] waits for its retry at 2300.
  EXPECT_EQ(claim(At(2200), 10), (std::vector<int64_t>{ids[3]}));
  EXPECT_EQ(claim(At(2400), 10), (std::vector<int64_t>{ids[1], ids[3]}));
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto given_up = tx.GetNotification(ids[2]);
                EXPECT_TRUE(given_up.ok());
                if (!given_up.ok()) return absl::OkStatus();
                EXPECT_EQ(given_up->failed_at, std::optional<absl::Time>(At(2030)));
                EXPECT_EQ(given_up->last_error, "550 no such user");
                EXPECT_EQ(given_up->attempts, 1);
                EXPECT_FALSE(given_up->claimed_until.has_value());
                auto counts = tx.CountPendingAndFailedNotifications();
                EXPECT_TRUE(counts.ok());
                if (counts.ok()) {
                  EXPECT_EQ(counts->first, 2);   // ids[1] and ids[3]
                  EXPECT_EQ(counts->second, 1);  // ids[2]
                }
                auto unsent = tx.ListUnsentNotifications(10);
                EXPECT_TRUE(unsent.ok());
                if (unsent.ok()) {
                  EXPECT_EQ(unsent->size(), 2u);
                }
                return absl::OkStatus();
              }).ok());
}

std::vector<int64_t> IdsOf(const absl::StatusOr<std::vector<ports::Notification>>& rows) {
  EXPECT_TRUE(rows.ok()) << rows.status();
  std::vector<int64_t> ids;
  if (rows.ok()) {
    for (const auto& row : *rows) ids.push_back(row.id);
  }
  return ids;
}

// Claims take the notifications that are due earliest: a new one from its creation, a retried
// one from its next attempt. Retries waiting on their backoff are passed over without being
// handed out, and a limit leaves the later ones for the next claim.
TEST_P(StoreContractTest, NotificationsAreClaimedEarliestDueFirst) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber number = AddCase(NewCase(org, requester, "one"));
  std::vector<int64_t> ids;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 6; ++i) {
                  auto id = tx.InsertNotification(OutboxRow(number, requester, i));
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                return absl::OkStatus();
              }).ok());
  const auto claim = [&](absl::Time now, int limit) {
    std::vector<int64_t> claimed;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto rows = tx.ClaimNotifications(now, now + absl::Seconds(60), limit);
                  if (!rows.ok()) return rows.status();
                  for (const auto& row : *rows) claimed.push_back(row.id);
                  return absl::OkStatus();
                }).ok());
    return claimed;
  };
  // The first four fail: two retry at 2500, two at 2300.
  ASSERT_EQ(claim(At(2000), 4), (std::vector<int64_t>{ids[0], ids[1], ids[2], ids[3]}));
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 4; ++i) {
                  absl::Status s = tx.RecordNotificationAttempt(ids[i], At(2010), "451 busy",
                                                                At(i < 2 ? 2500 : 2300));
                  if (!s.ok()) return s;
                }
                return absl::OkStatus();
              }).ok());
  // At 2100 only the two never tried are due; the backlog is passed over.
  EXPECT_EQ(claim(At(2100), 10), (std::vector<int64_t>{ids[4], ids[5]}));
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                absl::Status s = tx.RecordNotificationAttempt(ids[4], At(2110), "", std::nullopt);
                if (!s.ok()) return s;
                return tx.RecordNotificationAttempt(ids[5], At(2110), "", std::nullopt);
              }).ok());
  // At 2600 all four retries are due; the limit takes the two due at 2300 first.
  EXPECT_EQ(claim(At(2600), 2), (std::vector<int64_t>{ids[2], ids[3]}));
  EXPECT_EQ(claim(At(2600), 10), (std::vector<int64_t>{ids[0], ids[1]}));
}

TEST_P(StoreContractTest, GivenUpNotificationsAreListedNewestFirstAndRequeued) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber number = AddCase(NewCase(org, requester, "one"));
  std::vector<int64_t> ids;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 5; ++i) {
                  ports::Notification row = OutboxRow(number, requester, i);
                  if (i == 3) {
                    // Given up while a lease was still recorded (a crashed sender's).
                    row.attempts = 3;
                    row.last_error = "timeout";
                    row.failed_at = At(1500);
                    row.claimed_until = At(9999);
                  }
                  auto id = tx.InsertNotification(row);
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                for (int i : {0, 2, 4}) {
                  if (absl::Status s = tx.RecordNotificationAttempt(
                          ids[i], At(2000 + i), "550 no such user", std::nullopt);
                      !s.ok()) {
                    return s;
                  }
                }
                // ids[4] turns out sent after all (a late acknowledgement): not given up.
                if (absl::Status s =
                        tx.RecordNotificationAttempt(ids[4], At(2100), "", std::nullopt);
                    !s.ok()) {
                  return s;
                }
                return tx.RecordNotificationAttempt(ids[1], At(2001), "451 busy", At(5000));
              }).ok());

  // Newest first, in keyset pages.
  ASSERT_TRUE(
      Read([&](ports::StoreTransaction& tx) -> absl::Status {
        EXPECT_EQ(IdsOf(tx.ListFailedNotifications(0, 10)),
                  (std::vector<int64_t>{ids[3], ids[2], ids[0]}));
        EXPECT_EQ(IdsOf(tx.ListFailedNotifications(0, 2)), (std::vector<int64_t>{ids[3], ids[2]}));
        EXPECT_EQ(IdsOf(tx.ListFailedNotifications(ids[2], 2)), (std::vector<int64_t>{ids[0]}));
        EXPECT_EQ(IdsOf(tx.ListFailedNotifications(ids[0], 10)), (std::vector<int64_t>{}));
        EXPECT_EQ(IdsOf(tx.ListPendingNotifications(0, 10)), (std::vector<int64_t>{ids[1]}));
        auto failed = tx.ListFailedNotifications(0, 1);
        EXPECT_TRUE(failed.ok() && failed->size() == 1u);
        if (failed.ok() && failed->size() == 1u) {
          EXPECT_EQ(failed->front().last_error, "timeout");
          EXPECT_EQ(failed->front().failed_at, std::optional<absl::Time>(At(1500)));
          EXPECT_EQ(failed->front().message_id, "m3.x@desk.example");
        }
        return absl::OkStatus();
      }).ok());

  // Refusals leave the transaction usable (PostgreSQL aborts on a failed statement).
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                EXPECT_EQ(tx.RequeueNotification(ids[4] + 100, At(3000)).code(),
                          absl::StatusCode::kNotFound);
                EXPECT_EQ(tx.RequeueNotification(ids[1], At(3000)).code(),
                          absl::StatusCode::kFailedPrecondition)
                    << "waiting for a retry";
                EXPECT_EQ(tx.RequeueNotification(ids[4], At(3000)).code(),
                          absl::StatusCode::kFailedPrecondition)
                    << "sent";
                if (absl::Status s = tx.RequeueNotification(ids[2], At(3000)); !s.ok()) return s;
                EXPECT_EQ(tx.RequeueNotification(ids[2], At(3000)).code(),
                          absl::StatusCode::kFailedPrecondition)
                    << "already requeued";
                return tx.RequeueNotification(ids[3], At(3100));
              }).ok());

  ASSERT_TRUE(
      Read([&](ports::StoreTransaction& tx) -> absl::Status {
        auto requeued = tx.GetNotification(ids[3]);
        EXPECT_TRUE(requeued.ok()) << requeued.status();
        if (requeued.ok()) {
          EXPECT_FALSE(requeued->failed_at.has_value());
          EXPECT_FALSE(requeued->claimed_until.has_value());
          EXPECT_FALSE(requeued->sent_at.has_value());
          EXPECT_EQ(requeued->next_attempt_at, std::optional<absl::Time>(At(3100)));
          EXPECT_EQ(requeued->attempts, 3);
          EXPECT_EQ(requeued->last_error, "timeout");
        }
        auto other = tx.GetNotification(ids[2]);
        EXPECT_TRUE(other.ok());
        if (other.ok()) {
          EXPECT_EQ(other->attempts, 1);
          EXPECT_EQ(other->last_error, "550 no such user");
          EXPECT_EQ(other->next_attempt_at, std::optional<absl::Time>(At(3000)));
        }
        EXPECT_EQ(IdsOf(tx.ListFailedNotifications(0, 10)), (std::vector<int64_t>{ids[0]}));
        // Pending again, oldest first, in keyset pages.
        EXPECT_EQ(IdsOf(tx.ListPendingNotifications(0, 10)),
                  (std::vector<int64_t>{ids[1], ids[2], ids[3]}));
        EXPECT_EQ(IdsOf(tx.ListPendingNotifications(0, 2)), (std::vector<int64_t>{ids[1], ids[2]}));
        EXPECT_EQ(IdsOf(tx.ListPendingNotifications(ids[2], 2)), (std::vector<int64_t>{ids[3]}));
        EXPECT_EQ(IdsOf(tx.ListPendingNotifications(ids[3], 2)), (std::vector<int64_t>{}));
        return absl::OkStatus();
      }).ok());

  // A requeued row is claimed once it is due again, like any other.
  const auto claim = [&](absl::Time now) {
    std::vector<int64_t> claimed;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto rows = tx.ClaimNotifications(now, now + absl::Seconds(600), 10);
                  if (!rows.ok()) return rows.status();
                  for (const auto& row : *rows) claimed.push_back(row.id);
                  return absl::OkStatus();
                }).ok());
    return claimed;
  };
  EXPECT_EQ(claim(At(2999)), (std::vector<int64_t>{}));
  EXPECT_EQ(claim(At(3000)), (std::vector<int64_t>{ids[2]}));
  EXPECT_EQ(claim(At(3100)), (std::vector<int64_t>{ids[3]}));
}

ports::InboundMail InboundRow(std::string message_id, ports::InboundMailStatus status) {
  ports::InboundMail mail;
  mail.received_at = At(5000);
  mail.channel = "lmtp";
  mail.envelope_from = "bounce@sender.example";
  mail.envelope_to = "critical@desk.example";
  mail.raw_digest = std::string(64, 'a');
  mail.raw_size = 20480;
  mail.message_id = std::move(message_id);
  mail.from_address = "r@example.com";
  mail.subject = "Ärger mit dem Server";
  mail.status = status;
  mail.reason = "";
  return mail;
}

TEST_P(StoreContractTest, InboundMailIsKeptListedByStatusAndFoundByMessageId) {
  using Status = ports::InboundMailStatus;
  std::vector<int64_t> ids;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (auto [message_id, status] :
                     {std::pair{"a@x", Status::kFailed}, std::pair{"a@x", Status::kCaseOpened},
                      std::pair{"a@x", Status::kDuplicate}, std::pair{"", Status::kQuarantined},
                      std::pair{"b@x", Status::kQuarantined}}) {
                  auto id = tx.InsertInboundMail(InboundRow(message_id, status));
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto mail = tx.GetInboundMail(ids[4]);
                if (!mail.ok()) return mail.status();
                mail->status = Status::kReplyAdded;
                mail->case_number = 42;
                mail->comment_id = 7;
                mail->reason = "accepted by an agent";
                mail->decided_at = At(6000);
                mail->decided_by = 3;
                return tx.UpdateInboundMail(*mail);
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto found = tx.FindInboundMailByMessageId("a@x");
                EXPECT_TRUE(found.ok());
                if (found.ok()) {
                  EXPECT_TRUE(found->has_value());
                  if (found->has_value()) {
                    EXPECT_EQ((*found)->id, ids[1]);
                  }
                }
                auto none = tx.FindInboundMailByMessageId("");
                EXPECT_TRUE(none.ok() && !none->has_value());
                auto decided = tx.GetInboundMail(ids[4]);
                EXPECT_TRUE(decided.ok());
                if (decided.ok()) {
                  EXPECT_EQ(decided->status, Status::kReplyAdded);
                  EXPECT_EQ(decided->subject, "Ärger mit dem Server");
                  EXPECT_EQ(decided->raw_size, 20480);
                  EXPECT_EQ(decided->envelope_to, "critical@desk.example");
                  EXPECT_EQ(decided->case_number, 42);
                  EXPECT_EQ(decided->comment_id, 7);
                  EXPECT_EQ(decided->decided_at, std::optional<absl::Time>(At(6000)));
                  EXPECT_EQ(decided->decided_by, 3);
                }
                EXPECT_EQ(tx.GetInboundMail(ids[4] + 100).status().code(),
                          absl::StatusCode::kNotFound);
                ports::InboundMailFilter quarantined;
                quarantined.status = Status::kQuarantined;
                auto listed = tx.ListInboundMail(quarantined);
                EXPECT_TRUE(listed.ok());
                if (listed.ok()) {
                  EXPECT_EQ(listed->size(), 1u);
                  if (!listed->empty()) {
                    EXPECT_EQ(listed->front().id, ids[3]);
                  }
                }
                ports::InboundMailFilter page;
                page.limit = 2;
                auto first = tx.ListInboundMail(page);
                EXPECT_TRUE(first.ok());
                if (!first.ok() || first->size() != 2u) return absl::InternalError("page");
                EXPECT_EQ((*first)[0].id, ids[4]);
                EXPECT_EQ((*first)[1].id, ids[3]);
                page.before_id = (*first)[1].id;
                page.limit = 10;
                auto rest = tx.ListInboundMail(page);
                EXPECT_TRUE(rest.ok());
                if (rest.ok()) {
                  EXPECT_EQ(rest->size(), 3u);
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, MailThreadsKeepTheFirstCaseAndMatchInTheOrderAsked) {
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                if (absl::Status s = tx.RecordMailThread("root-1@desk", 1); !s.ok()) return s;
                if (absl::Status s = tx.RecordMailThread("reply@customer", 2); !s.ok()) return s;
                // Recording an id again keeps the first case.
                if (absl::Status s = tx.RecordMailThread("root-1@desk", 9); !s.ok()) return s;
                EXPECT_EQ(tx.RecordMailThread("", 3).code(), absl::StatusCode::kInvalidArgument);
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(
      Read([&](ports::StoreTransaction& tx) -> absl::Status {
        const auto find = [&](std::vector<std::string> ids) {
          auto found = tx.FindCaseByMessageIds(ids);
          EXPECT_TRUE(found.ok());
          return found.ok() ? *found : std::nullopt;
        };
        EXPECT_EQ(find({"unknown@x", "reply@customer", "root-1@desk"}),
                  std::optional<core::CaseNumber>(2));
        EXPECT_EQ(find({"root-1@desk", "reply@customer"}), std::optional<core::CaseNumber>(1));
        EXPECT_EQ(find({"", "ROOT-1@desk"}), std::nullopt);  // ids are case-sensitive
        EXPECT_EQ(find({}), std::nullopt);
        return absl::OkStatus();
      }).ok());
}

TEST_P(StoreContractTest, MailAddressStateIsReplaced) {
  ports::MailAddressState state;
  state.address = "noreply@customer.example";
  state.last_notice_at = At(100);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.PutMailAddressState(state); }).ok());
  state.bounced_at = At(200);
  state.bounce_reason = "550 5.1.1 user unknown";
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.PutMailAddressState(state); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto got = tx.GetMailAddressState("noreply@customer.example");
                EXPECT_TRUE(got.ok());
                if (!got.ok() || !got->has_value()) return absl::InternalError("missing");
                EXPECT_EQ((*got)->last_notice_at, std::optional<absl::Time>(At(100)));
                EXPECT_EQ((*got)->bounced_at, std::optional<absl::Time>(At(200)));
                EXPECT_EQ((*got)->bounce_reason, "550 5.1.1 user unknown");
                auto missing = tx.GetMailAddressState("other@customer.example");
                EXPECT_TRUE(missing.ok() && !missing->has_value());
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, CaseSlaSummariesAreReplacedAndListedByPeriod) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  std::vector<core::CaseNumber> numbers;
  for (int i = 0; i < 4; ++i) numbers.push_back(AddCase(NewCase(org, requester, "c")));
  const auto record = [&](int i) {
    ports::CaseSlaRecord r;
    r.case_number = numbers[i];
    r.org_id = org;
    r.plan = i == 3 ? "developer" : "enterprise";
    r.severity = i == 0 ? core::Severity::kCritical : core::Severity::kMajor;
    r.created_at = At(1000 * (i + 1));
    r.first_response = {.due_at = At(5000), .achieved_at = At(4000), .target = "60"};
    r.resolution = {.due_at = At(9000), .breached_at = At(9000), .target = "next_release"};
    r.update_breaches = i;
    if (i > 0) r.first_update_breach_at = At(7000);
    return r;
  };
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 4; ++i) {
                  if (absl::Status put = tx.UpsertCaseSla(record(i)); !put.ok()) return put;
                }
                ports::CaseSlaRecord replaced = record(0);
                replaced.resolution.breached_at.reset();
                replaced.resolution.achieved_at = At(8000);
                return tx.UpsertCaseSla(replaced);
              }).ok());
  const auto list = [&](ports::CaseSlaFilter filter) {
    std::vector<ports::CaseSlaRecord> records;
    EXPECT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto listed = tx.ListCaseSla(filter);
                  EXPECT_TRUE(listed.ok()) << listed.status();
                  if (listed.ok()) records = *listed;
                  return absl::OkStatus();
                }).ok());
    return records;
  };
  std::vector<ports::CaseSlaRecord> all = list({});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].case_number, numbers[0]);
  EXPECT_EQ(all[0].resolution.achieved_at, std::optional<absl::Time>(At(8000)));
  EXPECT_FALSE(all[0].resolution.breached_at.has_value());
  EXPECT_EQ(all[0].first_response.target, "60");
  EXPECT_EQ(all[0].first_response.due_at, std::optional<absl::Time>(At(5000)));
  EXPECT_EQ(all[0].severity, core::Severity::kCritical);
  EXPECT_EQ(all[2].update_breaches, 2);
  EXPECT_EQ(all[2].first_update_breach_at, std::optional<absl::Time>(At(7000)));
  EXPECT_EQ(all[2].resolution.target, "next_release");
  EXPECT_EQ(all[3].plan, "developer");
  EXPECT_EQ(list({.created_from = At(2000), .created_to = At(4000)}).size(), 2u);
  EXPECT_EQ(list({.plan = "developer"}).size(), 1u);
  EXPECT_EQ(list({.severity = core::Severity::kCritical}).size(), 1u);
  std::vector<ports::CaseSlaRecord> after = list({.after_case = numbers[1], .limit = 1});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].case_number, numbers[2]);

  // A summary whose creation, plan and severity change moves in the filtered lists; one whose
  // clocks alone change keeps its place; InsertNewCaseSla writes a case's first summary.
  const core::CaseNumber fifth = AddCase(NewCase(org, requester, "c"));
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                ports::CaseSlaRecord moved = record(1);
                moved.created_at = At(9500);
                moved.plan = "developer";
                moved.severity = core::Severity::kCritical;
                if (absl::Status put = tx.UpsertCaseSla(moved); !put.ok()) return put;
                ports::CaseSlaRecord clocks = record(2);
                clocks.first_response.target = "90";
                clocks.first_response.due_at = At(6000);
                if (absl::Status put = tx.UpsertCaseSla(clocks); !put.ok()) return put;
                ports::CaseSlaRecord first = record(3);
                first.case_number = fifth;
                return tx.InsertNewCaseSla(first);
              }).ok());
  ASSERT_EQ(list({}).size(), 5u);
  std::vector<ports::CaseSlaRecord> late = list({.created_from = At(9000)});
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].case_number, numbers[1]);
  EXPECT_EQ(list({.created_from = At(2000), .created_to = At(4000)}).size(), 1u);
  EXPECT_EQ(list({.plan = "developer"}).size(), 3u);
  EXPECT_EQ(list({.severity = core::Severity::kCritical}).size(), 2u);
  std::vector<ports::CaseSlaRecord> third = list({.after_case = numbers[1], .limit = 1});
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].first_response.target, "90");
  EXPECT_EQ(third[0].first_response.due_at, std::optional<absl::Time>(At(6000)));
  EXPECT_EQ(third[0].created_at, At(3000));
}

TEST_P(StoreContractTest, SeverityFlagsAreListedPerCaseAndCountedPerContact) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId alice = AddUser("alice@example.com", org);
  const core::UserId bob = AddUser("bob@example.com", org);
  const core::UserId agent = AddUser("agent@example.com", org, core::Role::kAgent);
  const core::CaseNumber one = AddCase(NewCase(org, alice, "one"));
  const core::CaseNumber two = AddCase(NewCase(org, bob, "two"));
  const core::OrgId other_org = AddOrganisation("Other customer", core::OrgKind::kCustomer);
  const core::UserId carol = AddUser("carol@example.com", other_org);
  const core::CaseNumber three = AddCase(NewCase(other_org, carol, "three"));
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                const std::vector<std::pair<core::CaseNumber, int>> flags = {
                    {one, 100}, {one, 200}, {two, 300}, {three, 400}, {one, 5000}};
                for (const auto& [number, at] : flags) {
                  ports::SeverityFlag flag;
                  flag.case_number = number;
                  flag.org_id = number == three ? other_org : org;
                  flag.requester_id = number == one ? alice : number == two ? bob : carol;
                  flag.flagged_by = agent;
                  flag.reason = "not production";
                  flag.at = At(at);
                  auto id = tx.InsertSeverityFlag(flag);
                  if (!id.ok()) return id.status();
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto flags = tx.ListCaseSeverityFlags(one);
                EXPECT_TRUE(flags.ok());
                if (flags.ok()) {
                  if (flags->size() != 3u) return absl::InternalError("expected 3 flags");
                  EXPECT_EQ((*flags)[0].reason, "not production");
                  EXPECT_EQ((*flags)[0].flagged_by, agent);
                  EXPECT_EQ((*flags)[0].flagged_severity, core::Severity::kCritical);
                  EXPECT_EQ((*flags)[0].at, At(100));
                }
                auto counts = tx.CountSeverityFlags(At(0), At(1000), std::nullopt);
                EXPECT_TRUE(counts.ok());
                if (counts.ok()) {
                  if (counts->size() != 3u) return absl::InternalError("expected 3 counts");
                  EXPECT_EQ((*counts)[0].requester_id, alice);
                  EXPECT_EQ((*counts)[0].flags, 2);
                  EXPECT_EQ((*counts)[1].requester_id, bob);
                  EXPECT_EQ((*counts)[1].org_id, org);
                  EXPECT_EQ((*counts)[2].requester_id, carol);
                }
                // One organisation's only.
                auto own = tx.CountSeverityFlags(At(0), At(1000), org);
                EXPECT_TRUE(own.ok() && own->size() == 2u);
                auto others = tx.CountSeverityFlags(At(0), At(1000), other_org);
                EXPECT_TRUE(others.ok() && others->size() == 1u && (*others)[0].flags == 1 &&
                            (*others)[0].requester_id == carol);
                return absl::OkStatus();
              }).ok());
}

// ---- Transactions ----

TEST_P(StoreContractTest, WritesThroughAReadTransactionFail) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  ASSERT_TRUE(
      Read([&](ports::StoreTransaction& tx) -> absl::Status {
        EXPECT_EQ(tx.PutSetting("k", "v").code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(tx.NextCaseNumber().status().code(), absl::StatusCode::kFailedPrecondition);
        core::Organisation org_copy;
        org_copy.name = "sneaky";
        EXPECT_EQ(tx.InsertOrganisation(org_copy).status().code(),
                  absl::StatusCode::kFailedPrecondition);
        core::AuditEvent event;
        event.kind = "x";
        EXPECT_EQ(tx.AppendEvent(event).status().code(), absl::StatusCode::kFailedPrecondition);
        return absl::OkStatus();
      }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto value = tx.GetSetting("k");
                EXPECT_TRUE(value.ok() && !value->has_value());
                auto orgs = tx.ListOrganisations(ports::OrgFilter());
                EXPECT_TRUE(orgs.ok());
                if (orgs.ok()) {
                  EXPECT_EQ(orgs->items.size(), 1u);
                }
                EXPECT_TRUE(tx.GetOrganisation(org).ok());
                return absl::OkStatus();
              }).ok());
}

// A unit reads the organisations, users and settings it has just written (PostgreSQL keeps what
// a unit read, so this checks that its own writes replace what it kept), while other writes in
// between (a case, an event) leave what it read as it was.
TEST_P(StoreContractTest, AUnitReadsItsOwnChangesToOrganisationsUsersAndSettings) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId user = AddUser("r@example.com", org);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                EXPECT_TRUE(tx.PutSetting("k", "before").ok());
                auto read_org = tx.GetOrganisation(org);
                auto read_user = tx.GetUser(user);
                auto read_setting = tx.GetSetting("k");
                EXPECT_TRUE(read_org.ok() && read_user.ok() && read_setting.ok());
                if (!read_org.ok() || !read_user.ok() || !read_setting.ok()) {
                  return absl::OkStatus();
                }
                EXPECT_EQ(*read_setting, std::optional<std::string>("before"));
                core::AuditEvent event;
                event.entity = "organisation";
                event.entity_id = std::to_string(org);
                event.kind = "noted";
                event.at = absl::FromUnixSeconds(1700000000);
                EXPECT_TRUE(tx.AppendEvent(event).ok());
                EXPECT_EQ(tx.GetOrganisation(org)->name, "Customer");

                core::Organisation renamed = *read_org;
                renamed.name = "Renamed";
                EXPECT_TRUE(tx.UpdateOrganisation(renamed).ok());
                core::User changed = *read_user;
                changed.name = "Changed Name";
                EXPECT_TRUE(tx.UpdateUser(changed).ok());
                EXPECT_TRUE(tx.PutSetting("k", "after").ok());
                EXPECT_EQ(tx.GetOrganisation(org)->name, "Renamed");
                EXPECT_EQ(tx.GetUser(user)->name, "Changed Name");
                EXPECT_EQ(*tx.GetSetting("k"), std::optional<std::string>("after"));
                EXPECT_TRUE(tx.DeleteSetting("k").ok());
                EXPECT_EQ(*tx.GetSetting("k"), std::nullopt);
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                EXPECT_EQ(tx.GetOrganisation(org)->name, "Renamed");
                EXPECT_EQ(tx.GetUser(user)->name, "Changed Name");
                EXPECT_EQ(*tx.GetSetting("k"), std::nullopt);
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, AFailingUnitLeavesNothingAndSparesItsBatch) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  constexpr int kUnits = 64;
  std::vector<std::promise<absl::Status>> outcomes(kUnits);
  // Queue every unit without waiting, so implementations that group commits group these.
  for (int i = 0; i < kUnits; ++i) {
    store_->Write(
        [&, i](ports::StoreTransaction& tx) -> absl::Status {
          auto number = tx.NextCaseNumber();
          if (!number.ok()) return number.status();
          core::Case c = NewCase(org, requester, "unit " + std::to_string(i));
          c.number = *number;
          absl::Status status = tx.InsertCase(c);
          if (!status.ok()) return status;
          status = tx.PutSetting("unit." + std::to_string(i), "written");
          if (!status.ok()) return status;
          if (i % 3 == 1)
            return absl::FailedPreconditionError("unit " + std::to_string(i) + " fails");
          if (i % 3 == 2) {
            // A store-level failure inside the unit (duplicate email) also fails it alone.
            core::User duplicate;
            duplicate.email = "r@example.com";
            duplicate.name = "dup";
            duplicate.org_id = org;
            return tx.InsertUser(duplicate).status();
          }
          return absl::OkStatus();
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(std::move(status)); });
  }
  for (int i = 0; i < kUnits; ++i) {
    absl::Status status = outcomes[i].get_future().get();
    if (i % 3 == 0) {
      EXPECT_TRUE(status.ok()) << i << ": " << status;
    } else if (i % 3 == 1) {
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << i;
    } else {
      EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << i;
    }
  }
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                std::set<std::string> expected_subjects;
                for (int i = 0; i < kUnits; ++i) {
                  const bool kept = i % 3 == 0;
                  if (kept) expected_subjects.insert("unit " + std::to_string(i));
                  auto setting = tx.GetSetting("unit." + std::to_string(i));
                  EXPECT_TRUE(setting.ok());
                  if (setting.ok()) {
                    EXPECT_EQ(setting->has_value(), kept) << i;
                  }
                }
                // Numbers a failed unit drew may be drawn again, so compare what is stored.
                ports::CaseFilter all_cases;
                all_cases.scope.all = true;
                all_cases.page.limit = 200;
                auto listed = tx.ListCases(all_cases);
                EXPECT_TRUE(listed.ok());
                std::set<std::string> subjects;
                if (listed.ok()) {
                  for (const auto& c : listed->items) subjects.insert(c.subject);
                }
                EXPECT_EQ(subjects, expected_subjects);
                ports::CaseFilter filter;
                filter.scope.all = true;
                auto count = tx.CountCases(filter);
                EXPECT_TRUE(count.ok());
                if (count.ok()) {
                  EXPECT_EQ(*count, (kUnits + 2) / 3);
                }
                ports::SearchQuery query;
                query.text = "unit";
                query.scope.all = true;
                query.page.limit = 200;
                auto hits = tx.Search(query);
                EXPECT_TRUE(hits.ok());
                if (hits.ok()) {
                  EXPECT_EQ(static_cast<int>(hits->items.size()), (kUnits + 2) / 3);
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, CaseNumbersStayUniqueAndMonotonicUnderConcurrentWriters) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 200;
  std::vector<std::vector<core::CaseNumber>> numbers(kThreads);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        core::CaseNumber number = 0;
        absl::Status status =
            store_->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
              auto next = tx.NextCaseNumber();
              if (!next.ok()) return next.status();
              core::Case c = NewCase(org, requester, "thread " + std::to_string(t));
              c.number = *next;
              absl::Status inserted = tx.InsertCase(c);
              if (inserted.ok()) number = *next;
              return inserted;
            });
        if (!status.ok()) {
          failures.fetch_add(1);
          continue;
        }
        numbers[t].push_back(number);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<core::CaseNumber> all;
  for (const auto& per_thread : numbers) {
    // Each thread's acknowledged writes got increasing numbers.
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(per_thread.begin(), per_thread.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kWritesPerThread));
  ports::CaseFilter filter;
  filter.scope.all = true;
  EXPECT_EQ(Count(filter), kThreads * kWritesPerThread);
}

TEST_P(StoreContractTest, ReadsNeverSeeUncommittedWrites) {
  std::mutex mutex;
  std::condition_variable changed;
  bool written = false;
  bool checked = false;
  std::promise<absl::Status> outcome;
  store_->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        absl::Status status = tx.PutSetting("pending", "yes");
        std::unique_lock<std::mutex> lock(mutex);
        written = true;
        changed.notify_all();
        changed.wait(lock, [&] { return checked; });  // hold the transaction open
        return status;
      },
      [&](absl::Status status) { outcome.set_value(std::move(status)); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return written; });
  }
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto value = tx.GetSetting("pending");
                EXPECT_TRUE(value.ok());
                if (value.ok()) {
                  EXPECT_FALSE(value->has_value());
                }
                return absl::OkStatus();
              }).ok());
  {
    std::lock_guard<std::mutex> lock(mutex);
    checked = true;
  }
  changed.notify_all();
  ASSERT_TRUE(outcome.get_future().get().ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto value = tx.GetSetting("pending");
                EXPECT_TRUE(value.ok());
                if (value.ok()) {
                  EXPECT_EQ(*value, std::optional<std::string>("yes"));
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, ReadTransactionsSeeOneSnapshot) {
  ASSERT_TRUE(Write([](ports::StoreTransaction& tx) { return tx.PutSetting("k", "before"); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto first = tx.GetSetting("k");
                // A write commits in the middle of this read transaction.
                EXPECT_TRUE(Write([](ports::StoreTransaction& write) {
                              return write.PutSetting("k", "after");
                            }).ok());
                auto second = tx.GetSetting("k");
                EXPECT_TRUE(first.ok() && second.ok());
                if (first.ok() && second.ok()) {
                  EXPECT_EQ(*first, *second);
                }
                return absl::OkStatus();
              }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto value = tx.GetSetting("k");
                EXPECT_TRUE(value.ok());
                if (value.ok()) {
                  EXPECT_EQ(*value, std::optional<std::string>("after"));
                }
                return absl::OkStatus();
              }).ok());
}

TEST_P(StoreContractTest, PingAndMigrateSucceedOnAnOpenStore) {
  EXPECT_TRUE(store_->Ping().ok());
  EXPECT_TRUE(store_->Migrate().ok());
  EXPECT_TRUE(store_->Ping().ok());
}

// ---- The public status page ----

class StatusPageContractTest : public StoreContractTest {
 protected:
  // Runs `fn` in a unit of work that fails (and rolls back) when `fn` does; its value.
  template <typename Fn>
  auto WriteValue(Fn fn) -> decltype(fn(std::declval<ports::StoreTransaction&>())) {
    using Result = decltype(fn(std::declval<ports::StoreTransaction&>()));
    std::optional<Result> result;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      result.emplace(fn(tx));
      return result->status();
    });
    if (!status.ok()) return Result(status);
    return std::move(*result);
  }

  // Runs `fn` in a read transaction; its value.
  template <typename Fn>
  auto ReadValue(Fn fn) -> decltype(fn(std::declval<ports::StoreTransaction&>())) {
    using Result = decltype(fn(std::declval<ports::StoreTransaction&>()));
    std::optional<Result> result;
    absl::Status status = Read([&](ports::StoreTransaction& tx) -> absl::Status {
      result.emplace(fn(tx));
      return absl::OkStatus();
    });
    if (!status.ok()) return Result(status);
    return std::move(*result);
  }

  core::ComponentId AddComponent(std::string name, core::ComponentId group_id = 0,
                                 bool is_group = false, int position = 0) {
    core::StatusComponent component;
    component.name = std::move(name);
    component.group_id = group_id;
    component.is_group = is_group;
    component.position = position;
    component.created_at = At(1700000000);
    component.updated_at = At(1700000000);
    auto id = WriteValue(
        [&](ports::StoreTransaction& tx) { return tx.InsertStatusComponent(component); });
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  core::IncidentId AddIncident(core::Incident incident) {
    auto id = WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertIncident(incident); });
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  int64_t AddUpdate(core::IncidentId incident, core::IncidentStatus status, absl::Time display_at,
                    std::string body) {
    core::IncidentUpdate update;
    update.incident_id = incident;
    update.status = status;
    update.body = std::move(body);
    update.created_at = display_at;
    update.display_at = display_at;
    auto id =
        WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertIncidentUpdate(update); });
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or(0);
  }

  // A maintenance window [from, until) in the given state.
  static core::Incident Maintenance(std::string name, core::IncidentStatus status, absl::Time from,
                                    absl::Time until, bool automatic = true) {
    core::Incident maintenance;
    maintenance.kind = core::IncidentKind::kMaintenance;
    maintenance.name = std::move(name);
    maintenance.status = status;
    maintenance.impact = core::IncidentImpact::kMaintenance;
    maintenance.created_at = At(1000);
    maintenance.updated_at = At(1000);
    maintenance.started_at = At(1000);
    maintenance.scheduled_for = from;
    maintenance.scheduled_until = until;
    maintenance.auto_transition = automatic;
    return maintenance;
  }

  static core::Incident IncidentNamed(std::string name, core::IncidentStatus status) {
    core::Incident incident;
    incident.name = std::move(name);
    incident.status = status;
    incident.impact = core::IncidentImpact::kMajor;
    incident.created_at = At(1000);
    incident.updated_at = At(1000);
    incident.started_at = At(1000);
    return incident;
  }
};

std::vector<std::string> Names(const std::vector<core::StatusComponent>& components) {
  std::vector<std::string> names;
  for (const core::StatusComponent& component : components) names.push_back(component.name);
  return names;
}

std::vector<core::IncidentId> Ids(const std::vector<core::Incident>& incidents) {
  std::vector<core::IncidentId> ids;
  for (const core::Incident& incident : incidents) ids.push_back(incident.id);
  return ids;
}

TEST_P(StatusPageContractTest, ComponentsRoundTripAndAreListedByPosition) {
  core::StatusComponent component;
  component.name = "API — Europe";
  component.description = "REST and webhooks";
  component.group_id = 0;
  component.is_group = false;
  component.position = 2;
  component.status = core::ComponentStatus::kPartialOutage;
  component.only_show_if_degraded = true;
  component.created_at = At(1700000000, 123);
  component.updated_at = At(1700000100, 456);
  auto id =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertStatusComponent(component); });
  ASSERT_TRUE(id.ok()) << id.status();
  const core::ComponentId group = AddComponent("Platform", 0, /*is_group=*/true, /*position=*/1);
  const core::ComponentId member = AddComponent("Database", group, false, /*position=*/2);
  const core::ComponentId first = AddComponent("Website", 0, false, /*position=*/0);

  auto stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusComponent(*id); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->id, *id);
  EXPECT_EQ(stored->name, component.name);
  EXPECT_EQ(stored->description, component.description);
  EXPECT_EQ(stored->group_id, 0);
  EXPECT_FALSE(stored->is_group);
  EXPECT_EQ(stored->position, 2);
  EXPECT_EQ(stored->status, core::ComponentStatus::kPartialOutage);
  EXPECT_TRUE(stored->only_show_if_degraded);
  EXPECT_EQ(stored->created_at, component.created_at);
  EXPECT_EQ(stored->updated_at, component.updated_at);
  auto stored_group =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusComponent(group); });
  ASSERT_TRUE(stored_group.ok());
  EXPECT_TRUE(stored_group->is_group);
  auto stored_member =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusComponent(member); });
  ASSERT_TRUE(stored_member.ok());
  EXPECT_EQ(stored_member->group_id, group);

  // By (position, id): Website (0), Platform (1), then the two at position 2 by id.
  auto listed = ReadValue([&](ports::StoreTransaction& tx) { return tx.ListStatusComponents(); });
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(Names(*listed), ElementsAre("Website", "Platform", "API — Europe", "Database"));
  EXPECT_EQ((*listed)[0].id, first);

  // Every field is written back.
  core::StatusComponent changed = *stored_member;
  changed.name = "Primary database";
  changed.description = "PostgreSQL";
  changed.group_id = 0;
  changed.position = 9;
  changed.status = core::ComponentStatus::kUnderMaintenance;
  changed.only_show_if_degraded = true;
  changed.updated_at = At(1700000500);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusComponent(changed); }).ok());
  auto reread =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusComponent(member); });
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->name, "Primary database");
  EXPECT_EQ(reread->description, "PostgreSQL");
  EXPECT_EQ(reread->group_id, 0);
  EXPECT_EQ(reread->position, 9);
  EXPECT_EQ(reread->status, core::ComponentStatus::kUnderMaintenance);
  EXPECT_TRUE(reread->only_show_if_degraded);
  EXPECT_EQ(reread->created_at, At(1700000000));
  EXPECT_EQ(reread->updated_at, At(1700000500));

  EXPECT_EQ(ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusComponent(999); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  core::StatusComponent unknown = changed;
  unknown.id = 999;
  unknown.name = "Nowhere";
  EXPECT_EQ(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusComponent(unknown); }).code(),
      absl::StatusCode::kNotFound);
}

TEST_P(StatusPageContractTest, ComponentNamesAreUniqueAmongGroupsAndWithinAGroup) {
  const core::ComponentId platform = AddComponent("Platform", 0, /*is_group=*/true);
  const core::ComponentId apps = AddComponent("Apps", 0, /*is_group=*/true);
  const core::ComponentId api = AddComponent("API", platform);
  // The same name in another group, at the top level, or as a component named like a group.
  EXPECT_NE(AddComponent("API", apps), 0);
  EXPECT_NE(AddComponent("API", 0), 0);
  EXPECT_NE(AddComponent("Platform", 0), 0);

  struct Clash {
    std::string name;
    core::ComponentId group_id;
    bool is_group;
  };
  for (const Clash& clash :
       {Clash{"Platform", 0, true}, Clash{"API", platform, false}, Clash{"API", 0, false}}) {
    SCOPED_TRACE(clash.name);
    core::StatusComponent component;
    component.name = clash.name;
    component.group_id = clash.group_id;
    component.is_group = clash.is_group;
    // The unit goes on after the refusal (PostgreSQL would abort a failed statement's
    // transaction): its next write still commits.
    absl::StatusCode code = absl::StatusCode::kOk;
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  code = tx.InsertStatusComponent(component).status().code();
                  return tx.PutSetting("after", clash.name);
                }).ok());
    EXPECT_EQ(code, absl::StatusCode::kAlreadyExists);
    auto after = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetSetting("after"); });
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, std::optional<std::string>(clash.name));
  }

  // Renaming into a name taken in the same group is refused, and the unit goes on.
  auto stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusComponent(api); });
  ASSERT_TRUE(stored.ok());
  core::StatusComponent moved = *stored;
  moved.group_id = apps;
  absl::StatusCode code = absl::StatusCode::kOk;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                code = tx.UpdateStatusComponent(moved).code();
                return tx.PutSetting("after", "update");
              }).ok());
  EXPECT_EQ(code, absl::StatusCode::kAlreadyExists);
  core::StatusComponent renamed_group;
  renamed_group.id = apps;
  renamed_group.name = "Platform";
  renamed_group.is_group = true;
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.UpdateStatusComponent(renamed_group);
            }).code(),
            absl::StatusCode::kAlreadyExists);
  // Keeping one's own name is no clash.
  stored->status = core::ComponentStatus::kMajorOutage;
  EXPECT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusComponent(*stored); }).ok());
}

TEST_P(StatusPageContractTest, StatusHistoryKeepsTheChangeInForceAndEveryLaterOne) {
  using S = core::ComponentStatus;
  const std::vector<core::ComponentStatusChange> changes = {
      {1, At(10), S::kOperational}, {1, At(20), S::kDegradedPerformance},
      {1, At(30), S::kMajorOutage}, {1, At(30), S::kPartialOutage},
      {2, At(5), S::kOperational},  {3, At(40), S::kUnderMaintenance},
      {1, At(25), S::kMajorOutage},
  };
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (const core::ComponentStatusChange& change : changes) {
                  if (absl::Status appended = tx.AppendComponentStatusChange(change);
                      !appended.ok()) {
                    return appended;
                  }
                }
                return absl::OkStatus();
              }).ok());
  struct Row {
    core::ComponentId component_id;
    absl::Time at;
    S status;
  };
  struct Case {
    std::string name;
    absl::Time since;
    std::vector<Row> expected;
  };
  const std::vector<Case> cases = {
      {"everything",
       absl::InfinitePast(),
       {{1, At(10), S::kOperational},
        {1, At(20), S::kDegradedPerformance},
        {1, At(25), S::kMajorOutage},
        {1, At(30), S::kMajorOutage},
        {1, At(30), S::kPartialOutage},
        {2, At(5), S::kOperational},
        {3, At(40), S::kUnderMaintenance}}},
      {"from 25: the change at 20 was in force before",
       At(26),
       {{1, At(25), S::kMajorOutage},
        {1, At(30), S::kMajorOutage},
        {1, At(30), S::kPartialOutage},
        {2, At(5), S::kOperational},
        {3, At(40), S::kUnderMaintenance}}},
      {"exactly at a change",
       At(30),
       {{1, At(25), S::kMajorOutage},
        {1, At(30), S::kMajorOutage},
        {1, At(30), S::kPartialOutage},
        {2, At(5), S::kOperational},
        {3, At(40), S::kUnderMaintenance}}},
      {"after everything",
       At(100),
       {{1, At(30), S::kPartialOutage},
        {2, At(5), S::kOperational},
        {3, At(40), S::kUnderMaintenance}}},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);
    auto listed = ReadValue(
        [&](ports::StoreTransaction& tx) { return tx.ListComponentStatusChanges(test.since); });
    ASSERT_TRUE(listed.ok()) << listed.status();
    ASSERT_EQ(listed->size(), test.expected.size());
    for (size_t i = 0; i < test.expected.size(); ++i) {
      EXPECT_EQ((*listed)[i].component_id, test.expected[i].component_id) << i;
      EXPECT_EQ((*listed)[i].at, test.expected[i].at) << i;
      EXPECT_EQ((*listed)[i].status, test.expected[i].status) << i;
    }
  }
}

TEST_P(StatusPageContractTest, IncidentsRoundTripWithTheirUpdatesNewestFirst) {
  core::Incident incident = IncidentNamed("Elevated API errors", core::IncidentStatus::kMonitoring);
  incident.impact = core::IncidentImpact::kCritical;
  incident.component_ids = {30, 10, 20};
  incident.created_at = At(1000, 1);
  incident.updated_at = At(1100, 2);
  incident.started_at = At(900, 3);
  incident.monitoring_at = At(1050, 4);
  incident.auto_transition = false;
  incident.updates = {core::IncidentUpdate{}};  // ignored by the insert
  const core::IncidentId id = AddIncident(incident);
  ASSERT_NE(id, 0);

  core::IncidentUpdate first;
  first.incident_id = id;
  first.status = core::IncidentStatus::kInvestigating;
  first.body = "We are looking into it.\nMore soon — ünïcode.";
  first.created_at = At(1001);
  first.display_at = At(1000);
  first.affected_components = {
      {10, "API", core::ComponentStatus::kOperational, core::ComponentStatus::kMajorOutage},
      {20, "Web \"app\"", core::ComponentStatus::kDegradedPerformance,
       core::ComponentStatus::kPartialOutage}};
  first.author_id = 7;
  first.notify = false;
  auto first_id =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertIncidentUpdate(first); });
  ASSERT_TRUE(first_id.ok()) << first_id.status();
  // A later update backdated before the first, and two shown at the same instant.
  const int64_t backdated = AddUpdate(id, core::IncidentStatus::kIdentified, At(900), "backdated");
  const int64_t same_a = AddUpdate(id, core::IncidentStatus::kIdentified, At(1050), "a");
  const int64_t same_b = AddUpdate(id, core::IncidentStatus::kMonitoring, At(1050), "b");
  // Another incident's update stays with it.
  const core::IncidentId other =
      AddIncident(IncidentNamed("Other", core::IncidentStatus::kResolved));
  const int64_t other_update = AddUpdate(other, core::IncidentStatus::kResolved, At(5000), "x");

  auto stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetIncident(id); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->id, id);
  EXPECT_EQ(stored->kind, core::IncidentKind::kIncident);
  EXPECT_EQ(stored->name, "Elevated API errors");
  EXPECT_EQ(stored->status, core::IncidentStatus::kMonitoring);
  EXPECT_EQ(stored->impact, core::IncidentImpact::kCritical);
  EXPECT_THAT(stored->component_ids, ElementsAre(30, 10, 20));
  EXPECT_EQ(stored->created_at, incident.created_at);
  EXPECT_EQ(stored->updated_at, incident.updated_at);
  EXPECT_EQ(stored->started_at, incident.started_at);
  EXPECT_EQ(stored->monitoring_at, incident.monitoring_at);
  EXPECT_FALSE(stored->resolved_at.has_value());
  EXPECT_FALSE(stored->scheduled_for.has_value());
  EXPECT_FALSE(stored->scheduled_until.has_value());
  EXPECT_FALSE(stored->auto_transition);
  std::vector<int64_t> update_ids;
  for (const core::IncidentUpdate& update : stored->updates) update_ids.push_back(update.id);
  EXPECT_THAT(update_ids, ElementsAre(same_b, same_a, *first_id, backdated));
  ASSERT_EQ(stored->updates.size(), 4u);
  const core::IncidentUpdate& read_first = stored->updates[2];
  EXPECT_EQ(read_first.incident_id, id);
  EXPECT_EQ(read_first.status, core::IncidentStatus::kInvestigating);
  EXPECT_EQ(read_first.body, first.body);
  EXPECT_EQ(read_first.created_at, At(1001));
  EXPECT_EQ(read_first.display_at, At(1000));
  EXPECT_EQ(read_first.author_id, 7);
  EXPECT_FALSE(read_first.notify);
  ASSERT_EQ(read_first.affected_components.size(), 2u);
  EXPECT_EQ(read_first.affected_components[0].component_id, 10);
  EXPECT_EQ(read_first.affected_components[0].name, "API");
  EXPECT_EQ(read_first.affected_components[0].old_status, core::ComponentStatus::kOperational);
  EXPECT_EQ(read_first.affected_components[0].new_status, core::ComponentStatus::kMajorOutage);
  EXPECT_EQ(read_first.affected_components[1].name, "Web \"app\"");
  EXPECT_EQ(read_first.affected_components[1].old_status,
            core::ComponentStatus::kDegradedPerformance);
  EXPECT_EQ(read_first.affected_components[1].new_status, core::ComponentStatus::kPartialOutage);
  EXPECT_TRUE(stored->updates[0].notify);

  auto other_stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetIncident(other); });
  ASSERT_TRUE(other_stored.ok());
  ASSERT_EQ(other_stored->updates.size(), 1u);
  EXPECT_EQ(other_stored->updates[0].id, other_update);

  EXPECT_EQ(ReadValue([&](ports::StoreTransaction& tx) { return tx.GetIncident(id + 100); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  core::IncidentUpdate orphan = first;
  orphan.incident_id = id + 100;
  EXPECT_EQ(WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertIncidentUpdate(orphan); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StatusPageContractTest, IncidentUpdatesApplyOnlyAtTheExpectedVersion) {
  core::Incident maintenance =
      Maintenance("Upgrade", core::IncidentStatus::kScheduled, At(2000), At(3000));
  maintenance.component_ids = {1};
  const core::IncidentId id = AddIncident(maintenance);
  auto stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetIncident(id); });
  ASSERT_TRUE(stored.ok());

  core::Incident moved = *stored;
  moved.name = "Database upgrade";
  moved.status = core::IncidentStatus::kInProgress;
  moved.component_ids = {2, 1};
  moved.updated_at = At(2000, 5);
  moved.started_at = At(2000);
  moved.monitoring_at = At(2100);
  moved.resolved_at = At(2200);
  moved.scheduled_for = At(1999);
  moved.scheduled_until = At(3100);
  moved.auto_transition = false;
  auto applied =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.UpdateIncident(moved, At(1000)); });
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(*applied);

  // A second node still holding the old version loses.
  core::Incident stale = *stored;
  stale.status = core::IncidentStatus::kCompleted;
  stale.updated_at = At(2000, 9);
  auto lost =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.UpdateIncident(stale, At(1000)); });
  ASSERT_TRUE(lost.ok()) << lost.status();
  EXPECT_FALSE(*lost);

  auto reread = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetIncident(id); });
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->name, "Database upgrade");
  EXPECT_EQ(reread->status, core::IncidentStatus::kInProgress);
  EXPECT_THAT(reread->component_ids, ElementsAre(2, 1));
  EXPECT_EQ(reread->updated_at, At(2000, 5));
  EXPECT_EQ(reread->started_at, At(2000));
  EXPECT_EQ(reread->monitoring_at, std::optional<absl::Time>(At(2100)));
  EXPECT_EQ(reread->resolved_at, std::optional<absl::Time>(At(2200)));
  EXPECT_EQ(reread->scheduled_for, std::optional<absl::Time>(At(1999)));
  EXPECT_EQ(reread->scheduled_until, std::optional<absl::Time>(At(3100)));
  EXPECT_FALSE(reread->auto_transition);
  EXPECT_EQ(reread->impact, core::IncidentImpact::kMaintenance);

  core::Incident unknown = moved;
  unknown.id = id + 100;
  EXPECT_EQ(WriteValue([&](ports::StoreTransaction& tx) {
              return tx.UpdateIncident(unknown, At(2000, 5));
            })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StatusPageContractTest, IncidentsAreListedNewestFirstByKindStateAndPage) {
  using St = core::IncidentStatus;
  const core::IncidentId resolved = AddIncident(IncidentNamed("resolved", St::kResolved));
  const core::IncidentId open = AddIncident(IncidentNamed("open", St::kIdentified));
  const core::IncidentId done =
      AddIncident(Maintenance("done", St::kCompleted, At(100), At(200), /*automatic=*/true));
  const core::IncidentId postmortem = AddIncident(IncidentNamed("postmortem", St::kPostmortem));
  const core::IncidentId planned =
      AddIncident(Maintenance("planned", St::kScheduled, At(5000), At(6000)));
  const int64_t open_update = AddUpdate(open, St::kInvestigating, At(1000), "open 1");
  const int64_t open_later = AddUpdate(open, St::kIdentified, At(1100), "open 2");
  const int64_t planned_update = AddUpdate(planned, St::kScheduled, At(1000), "planned");

  struct Case {
    std::string name;
    ports::IncidentFilter filter;
    std::vector<core::IncidentId> expected;
  };
  auto filter = [](std::optional<core::IncidentKind> kind, bool open_only, core::IncidentId before,
                   int limit) {
    ports::IncidentFilter f;
    f.kind = kind;
    f.open_only = open_only;
    f.before_id = before;
    f.limit = limit;
    return f;
  };
  const auto kIncident = core::IncidentKind::kIncident;
  const auto kMaintenance = core::IncidentKind::kMaintenance;
  const std::vector<Case> cases = {
      {"all", filter(std::nullopt, false, 0, 50), {planned, postmortem, done, open, resolved}},
      {"incidents", filter(kIncident, false, 0, 50), {postmortem, open, resolved}},
      {"maintenance", filter(kMaintenance, false, 0, 50), {planned, done}},
      {"open", filter(std::nullopt, true, 0, 50), {planned, open}},
      {"open incidents", filter(kIncident, true, 0, 50), {open}},
      {"first page", filter(std::nullopt, false, 0, 2), {planned, postmortem}},
      {"next page", filter(std::nullopt, false, postmortem, 2), {done, open}},
      {"last page", filter(std::nullopt, false, open, 2), {resolved}},
      {"paged incidents", filter(kIncident, false, postmortem, 1), {open}},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(test.name);
    auto listed =
        ReadValue([&](ports::StoreTransaction& tx) { return tx.ListIncidents(test.filter); });
    ASSERT_TRUE(listed.ok()) << listed.status();
    EXPECT_EQ(Ids(*listed), test.expected);
  }

  auto listed = ReadValue([&](ports::StoreTransaction& tx) {
    return tx.ListIncidents(filter(std::nullopt, true, 0, 50));
  });
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  ASSERT_EQ((*listed)[0].updates.size(), 1u);
  EXPECT_EQ((*listed)[0].updates[0].id, planned_update);
  EXPECT_EQ((*listed)[0].scheduled_for, std::optional<absl::Time>(At(5000)));
  ASSERT_EQ((*listed)[1].updates.size(), 2u);
  EXPECT_EQ((*listed)[1].updates[0].id, open_later);
  EXPECT_EQ((*listed)[1].updates[1].id, open_update);
  EXPECT_EQ((*listed)[1].updates[1].body, "open 1");
}

TEST_P(StatusPageContractTest, DueMaintenanceAndTheNextEdgeFollowTheWindows) {
  using St = core::IncidentStatus;
  auto none = ReadValue([&](ports::StoreTransaction& tx) { return tx.NextMaintenanceEdge(); });
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  // Edges: starts at 100; ends at 150; ends at 120. The rest never move by themselves.
  const core::IncidentId starting =
      AddIncident(Maintenance("starting", St::kScheduled, At(100), At(200)));
  const core::IncidentId running =
      AddIncident(Maintenance("running", St::kInProgress, At(50), At(150)));
  const core::IncidentId verifying =
      AddIncident(Maintenance("verifying", St::kVerifying, At(60), At(120)));
  AddIncident(Maintenance("manual", St::kScheduled, At(10), At(20), /*automatic=*/false));
  AddIncident(Maintenance("completed", St::kCompleted, At(10), At(20)));
  core::Incident incident = IncidentNamed("an incident", St::kInvestigating);
  incident.scheduled_for = At(10);
  incident.scheduled_until = At(20);
  AddIncident(incident);

  auto next = ReadValue([&](ports::StoreTransaction& tx) { return tx.NextMaintenanceEdge(); });
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(*next, std::optional<absl::Time>(At(100)));

  struct Case {
    absl::Time now;
    int limit;
    std::vector<core::IncidentId> expected;
  };
  const std::vector<Case> cases = {
      {At(99), 10, {}},
      {At(100), 10, {starting}},
      {At(130), 10, {starting, verifying}},
      {At(150), 10, {starting, verifying, running}},
      {At(10000), 2, {starting, verifying}},
  };
  for (const Case& test : cases) {
    SCOPED_TRACE(absl::FormatTime(test.now));
    auto due = ReadValue(
        [&](ports::StoreTransaction& tx) { return tx.ListDueMaintenance(test.now, test.limit); });
    ASSERT_TRUE(due.ok()) << due.status();
    EXPECT_EQ(Ids(*due), test.expected);
  }

  // Once started, the maintenance's next edge is its end.
  auto stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetIncident(starting); });
  ASSERT_TRUE(stored.ok());
  core::Incident started = *stored;
  started.status = St::kInProgress;
  started.updated_at = At(100);
  ASSERT_TRUE(WriteValue([&](ports::StoreTransaction& tx) {
                return tx.UpdateIncident(started, stored->updated_at);
              }).value_or(false));
  next = ReadValue([&](ports::StoreTransaction& tx) { return tx.NextMaintenanceEdge(); });
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, std::optional<absl::Time>(At(120)));
  auto due =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.ListDueMaintenance(At(160), 10); });
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(Ids(*due), (std::vector<core::IncidentId>{verifying, running}));
}

TEST_P(StatusPageContractTest, CasesAreLinkedToIncidentsOnce) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  const core::UserId requester = AddUser("r@example.com", org);
  const core::CaseNumber first = AddCase(NewCase(org, requester, "one"));
  const core::CaseNumber second = AddCase(NewCase(org, requester, "two"));
  const core::IncidentId outage =
      AddIncident(IncidentNamed("outage", core::IncidentStatus::kInvestigating));
  const core::IncidentId earlier =
      AddIncident(IncidentNamed("earlier", core::IncidentStatus::kResolved));

  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) -> absl::Status {
        for (auto [incident, number] : {std::pair{outage, second}, std::pair{outage, first},
                                        std::pair{outage, first}, std::pair{earlier, first}}) {
          if (absl::Status linked = tx.LinkCaseToIncident(incident, number, At(10)); !linked.ok()) {
            return linked;
          }
        }
        return absl::OkStatus();
      }).ok());
  // Linking again in a later unit is harmless too.
  EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.LinkCaseToIncident(earlier, first, At(20));
              }).ok());
  auto cases = ReadValue([&](ports::StoreTransaction& tx) { return tx.ListIncidentCases(outage); });
  ASSERT_TRUE(cases.ok());
  EXPECT_THAT(*cases, ElementsAre(first, second));
  auto incidents =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.ListCaseIncidents(first); });
  ASSERT_TRUE(incidents.ok());
  EXPECT_THAT(*incidents, ElementsAre(outage, earlier));

  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.UnlinkCaseFromIncident(outage, first);
              }).ok());
  cases = ReadValue([&](ports::StoreTransaction& tx) { return tx.ListIncidentCases(outage); });
  ASSERT_TRUE(cases.ok());
  EXPECT_THAT(*cases, ElementsAre(second));
  incidents = ReadValue([&](ports::StoreTransaction& tx) { return tx.ListCaseIncidents(first); });
  ASSERT_TRUE(incidents.ok());
  EXPECT_THAT(*incidents, ElementsAre(earlier));
  auto none = ReadValue([&](ports::StoreTransaction& tx) { return tx.ListCaseIncidents(999999); });
  ASSERT_TRUE(none.ok());
  EXPECT_THAT(*none, IsEmpty());

  using Link = std::pair<core::IncidentId, core::CaseNumber>;
  for (auto [incident, number] : {Link{outage + 100, first}, Link{outage, 999999}}) {
    EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
                return tx.LinkCaseToIncident(incident, number, At(30));
              }).code(),
              absl::StatusCode::kNotFound);
    EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
                return tx.UnlinkCaseFromIncident(incident, number);
              }).code(),
              absl::StatusCode::kNotFound);
  }
}

ports::StatusSubscriber Subscriber(ports::SubscriberKind kind, std::string address,
                                   core::UserId user_id = 0) {
  ports::StatusSubscriber subscriber;
  subscriber.kind = kind;
  subscriber.address = std::move(address);
  subscriber.user_id = user_id;
  subscriber.created_at = At(1000);
  return subscriber;
}

TEST_P(StatusPageContractTest, SubscribersRoundTripAndAreUniquePerAddressOrUser) {
  using K = ports::SubscriberKind;
  ports::StatusSubscriber visitor = Subscriber(K::kEmail, "visitor@example.com");
  visitor.component_ids = {3, 1};
  visitor.confirmed_at = At(1100, 7);
  auto visitor_id =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertStatusSubscriber(visitor); });
  ASSERT_TRUE(visitor_id.ok()) << visitor_id.status();
  // The same address as a webhook kind, and a user's row with that address, are different rows.
  auto hook_id = WriteValue([&](ports::StoreTransaction& tx) {
    return tx.InsertStatusSubscriber(Subscriber(K::kWebhook, "visitor@example.com"));
  });
  ASSERT_TRUE(hook_id.ok()) << hook_id.status();
  ports::StatusSubscriber preferences = Subscriber(K::kEmail, "visitor@example.com", 42);
  preferences.opted_out = true;
  preferences.unsubscribed_at = At(1200);
  auto user_row_id = WriteValue(
      [&](ports::StoreTransaction& tx) { return tx.InsertStatusSubscriber(preferences); });
  ASSERT_TRUE(user_row_id.ok()) << user_row_id.status();

  for (const ports::StatusSubscriber& duplicate :
       {Subscriber(K::kEmail, "visitor@example.com"),
        Subscriber(K::kEmail, "other@example.com", 42)}) {
    SCOPED_TRACE(duplicate.address);
    absl::StatusCode code = absl::StatusCode::kOk;
    ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  code = tx.InsertStatusSubscriber(duplicate).status().code();
                  return tx.PutSetting("after", duplicate.address);
                }).ok());
    EXPECT_EQ(code, absl::StatusCode::kAlreadyExists);
  }

  auto stored =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusSubscriber(*visitor_id); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->id, *visitor_id);
  EXPECT_EQ(stored->kind, K::kEmail);
  EXPECT_EQ(stored->address, "visitor@example.com");
  EXPECT_EQ(stored->user_id, 0);
  EXPECT_THAT(stored->component_ids, ElementsAre(3, 1));
  EXPECT_FALSE(stored->opted_out);
  EXPECT_EQ(stored->confirmed_at, std::optional<absl::Time>(At(1100, 7)));
  EXPECT_FALSE(stored->unsubscribed_at.has_value());
  EXPECT_EQ(stored->created_at, At(1000));

  auto by_address = ReadValue([&](ports::StoreTransaction& tx) {
    return tx.FindStatusSubscriberByAddress(K::kEmail, "visitor@example.com");
  });
  ASSERT_TRUE(by_address.ok());
  ASSERT_TRUE(by_address->has_value());
  EXPECT_EQ((*by_address)->id, *visitor_id);
  auto hook = ReadValue([&](ports::StoreTransaction& tx) {
    return tx.FindStatusSubscriberByAddress(K::kWebhook, "visitor@example.com");
  });
  ASSERT_TRUE(hook.ok() && hook->has_value());
  EXPECT_EQ((*hook)->id, *hook_id);
  EXPECT_EQ((*hook)->kind, K::kWebhook);
  auto unknown_address = ReadValue([&](ports::StoreTransaction& tx) {
    return tx.FindStatusSubscriberByAddress(K::kEmail, "nobody@example.com");
  });
  ASSERT_TRUE(unknown_address.ok());
  EXPECT_FALSE(unknown_address->has_value());

  auto of_user =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.FindUserStatusSubscription(42); });
  ASSERT_TRUE(of_user.ok() && of_user->has_value());
  EXPECT_EQ((*of_user)->id, *user_row_id);
  EXPECT_TRUE((*of_user)->opted_out);
  EXPECT_EQ((*of_user)->unsubscribed_at, std::optional<absl::Time>(At(1200)));
  auto of_nobody =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.FindUserStatusSubscription(43); });
  ASSERT_TRUE(of_nobody.ok());
  EXPECT_FALSE(of_nobody->has_value());
  // A visitor's row is nobody's preferences.
  auto of_zero =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.FindUserStatusSubscription(0); });
  ASSERT_TRUE(of_zero.ok());
  EXPECT_FALSE(of_zero->has_value());

  // Updates write every field; taking another row's address is refused and the unit goes on.
  ports::StatusSubscriber changed = *stored;
  changed.address = "renamed@example.com";
  changed.component_ids = {};
  changed.confirmed_at.reset();
  changed.unsubscribed_at = At(2000);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusSubscriber(changed); }).ok());
  auto reread =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusSubscriber(*visitor_id); });
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(reread->address, "renamed@example.com");
  EXPECT_THAT(reread->component_ids, IsEmpty());
  EXPECT_FALSE(reread->confirmed_at.has_value());
  EXPECT_EQ(reread->unsubscribed_at, std::optional<absl::Time>(At(2000)));
  ports::StatusSubscriber clash = *reread;
  clash.kind = K::kWebhook;
  clash.address = "visitor@example.com";
  absl::StatusCode code = absl::StatusCode::kOk;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                code = tx.UpdateStatusSubscriber(clash).code();
                return tx.PutSetting("after", "update");
              }).ok());
  EXPECT_EQ(code, absl::StatusCode::kAlreadyExists);
  ports::StatusSubscriber other_user = *reread;
  other_user.user_id = 42;
  EXPECT_EQ(Write([&](ports::StoreTransaction& tx) {
              return tx.UpdateStatusSubscriber(other_user);
            }).code(),
            absl::StatusCode::kAlreadyExists);

  ports::StatusSubscriber missing = changed;
  missing.id = 999;
  missing.address = "missing@example.com";
  EXPECT_EQ(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusSubscriber(missing); }).code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadValue([&](ports::StoreTransaction& tx) { return tx.GetStatusSubscriber(999); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StatusPageContractTest, SubscribersAreListedInPagesOfUsersOrOthers) {
  using K = ports::SubscriberKind;
  std::vector<int64_t> visitors;
  std::vector<int64_t> users;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                for (int i = 0; i < 7; ++i) {
                  const bool user = i % 3 == 1;
                  auto id = tx.InsertStatusSubscriber(
                      Subscriber(i % 2 == 0 ? K::kEmail : K::kWebhook,
                                 "s" + std::to_string(i) + "@example.com", user ? 100 + i : 0));
                  if (!id.ok()) return id.status();
                  (user ? users : visitors).push_back(*id);
                }
                return absl::OkStatus();
              }).ok());
  auto list = [&](bool of_users, int64_t after, int limit) {
    std::vector<int64_t> ids;
    auto listed = ReadValue([&](ports::StoreTransaction& tx) {
      return tx.ListStatusSubscribers(of_users, after, limit);
    });
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (listed.ok()) {
      for (const ports::StatusSubscriber& subscriber : *listed) ids.push_back(subscriber.id);
    }
    return ids;
  };
  EXPECT_EQ(list(false, 0, 100), visitors);
  EXPECT_EQ(list(true, 0, 100), users);
  EXPECT_EQ(list(false, 0, 2), (std::vector<int64_t>{visitors[0], visitors[1]}));
  EXPECT_EQ(list(false, visitors[1], 2), (std::vector<int64_t>{visitors[2], visitors[3]}));
  EXPECT_EQ(list(false, visitors[3], 2), (std::vector<int64_t>{visitors[4]}));
  EXPECT_EQ(list(true, users[0], 10), (std::vector<int64_t>{users[1]}));
  EXPECT_THAT(list(true, users[1], 10), IsEmpty());
}

TEST_P(StatusPageContractTest, VerifiedUsersAreActiveOnesWithAVerifiedAddress) {
  const core::OrgId org = AddOrganisation("Customer", core::OrgKind::kCustomer);
  struct Person {
    std::string email;
    bool verified;
    bool active;
  };
  std::vector<core::UserId> expected;
  for (const Person& person :
       {Person{"a@example.com", true, true}, Person{"b@example.com", false, true},
        Person{"c@example.com", true, false}, Person{"d@example.com", true, true},
        Person{"e@example.com", true, true}}) {
    core::User user;
    user.email = person.email;
    user.name = "Name " + person.email;
    user.org_id = org;
    user.role = core::Role::kAgent;
    user.tier = core::Tier::kShiftLead;
    user.skills = {"network"};
    user.verified = person.verified;
    user.active = person.active;
    user.password_hash = "hash";
    user.created_at = At(1700000000, 3);
    auto id = WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertUser(user); });
    ASSERT_TRUE(id.ok()) << id.status();
    if (person.verified && person.active) expected.push_back(*id);
  }
  auto all = ReadValue([&](ports::StoreTransaction& tx) { return tx.ListVerifiedUsers(0, 100); });
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<core::UserId> ids;
  for (const core::User& user : *all) ids.push_back(user.id);
  EXPECT_EQ(ids, expected);
  auto full = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetUser(expected[0]); });
  ASSERT_TRUE(full.ok());
  const core::User& listed = (*all)[0];
  EXPECT_EQ(listed.email, full->email);
  EXPECT_EQ(listed.name, full->name);
  EXPECT_EQ(listed.role, core::Role::kAgent);
  EXPECT_EQ(listed.org_id, org);
  EXPECT_EQ(listed.tier, core::Tier::kShiftLead);
  EXPECT_THAT(listed.skills, ElementsAre("network"));
  EXPECT_TRUE(listed.verified);
  EXPECT_TRUE(listed.active);
  EXPECT_EQ(listed.password_hash, "hash");
  EXPECT_EQ(listed.created_at, At(1700000000, 3));

  auto page =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.ListVerifiedUsers(expected[0], 1); });
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, expected[1]);
  auto rest =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.ListVerifiedUsers(expected[2], 10); });
  ASSERT_TRUE(rest.ok());
  EXPECT_THAT(*rest, IsEmpty());
}

TEST_P(StatusPageContractTest, NoticesAreClaimedOldestFirstUnderALeaseUntilDone) {
  const core::IncidentId incident =
      AddIncident(IncidentNamed("outage", core::IncidentStatus::kInvestigating));
  std::vector<int64_t> ids;
  for (int i = 0; i < 2; ++i) {
    ports::StatusNotice notice;
    notice.incident_id = incident;
    notice.update_id = 10 + i;
    notice.created_at = At(100 + i, 1);
    auto id =
        WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertStatusNotice(notice); });
    ASSERT_TRUE(id.ok()) << id.status();
    ids.push_back(*id);
  }
  auto claim = [&](absl::Time now, absl::Time lease_until) {
    return WriteValue(
        [&](ports::StoreTransaction& tx) { return tx.ClaimStatusNotice(now, lease_until); });
  };
  auto first = claim(At(200), At(260));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->id, ids[0]);
  EXPECT_EQ((*first)->incident_id, incident);
  EXPECT_EQ((*first)->update_id, 10);
  EXPECT_EQ((*first)->created_at, At(100, 1));
  EXPECT_EQ((*first)->user_cursor, 0);
  EXPECT_EQ((*first)->subscriber_cursor, 0);
  EXPECT_FALSE((*first)->done_at.has_value());
  EXPECT_EQ((*first)->claimed_until, std::optional<absl::Time>(At(260)));
  // The first is leased: the next claim takes the second, then there is nothing.
  auto second = claim(At(200), At(260));
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->id, ids[1]);
  auto nothing = claim(At(259), At(300));
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());

  // The worker moves its cursors and keeps its lease; when the lease runs out, another takes
  // the notice where it stopped.
  ports::StatusNotice progressed = **first;
  progressed.user_cursor = 17;
  progressed.subscriber_cursor = 23;
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusNotice(progressed); }).ok());
  auto resumed = claim(At(260), At(320));
  ASSERT_TRUE(resumed.ok() && resumed->has_value());
  EXPECT_EQ((*resumed)->id, ids[0]);
  EXPECT_EQ((*resumed)->user_cursor, 17);
  EXPECT_EQ((*resumed)->subscriber_cursor, 23);
  EXPECT_EQ((*resumed)->claimed_until, std::optional<absl::Time>(At(320)));

  // Done notices are never claimed again, whatever their lease.
  for (int64_t id : ids) {
    ports::StatusNotice done;
    done.id = id;
    done.user_cursor = 99;
    done.subscriber_cursor = 98;
    done.done_at = At(400);
    ASSERT_TRUE(
        Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusNotice(done); }).ok());
  }
  nothing = claim(At(100000), At(100060));
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());

  ports::StatusNotice unknown;
  unknown.id = ids[1] + 100;
  EXPECT_EQ(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateStatusNotice(unknown); }).code(),
      absl::StatusCode::kNotFound);
}

TEST_P(StatusPageContractTest, NotificationsKeepTheirExtraHeaders) {
  const std::string headers =
      "List-Unsubscribe: <https://status.example/unsubscribe?t=abc>\n"
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click";
  ports::Notification notification;
  notification.kind = "status.incident";
  notification.recipient_email = "visitor@example.com";
  notification.subject = "[Status] Outage";
  notification.body = "Body";
  notification.created_at = At(1000);
  notification.message_id = "status-1@desk.example";
  notification.extra_headers = headers;
  auto id =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertNotification(notification); });
  ASSERT_TRUE(id.ok()) << id.status();
  ports::Notification plain = notification;
  plain.message_id = "status-2@desk.example";
  plain.extra_headers = "";
  ASSERT_TRUE(
      WriteValue([&](ports::StoreTransaction& tx) { return tx.InsertNotification(plain); }).ok());

  auto stored = ReadValue([&](ports::StoreTransaction& tx) { return tx.GetNotification(*id); });
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->extra_headers, headers);
  auto pending =
      ReadValue([&](ports::StoreTransaction& tx) { return tx.ListPendingNotifications(0, 10); });
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].extra_headers, headers);
  EXPECT_EQ((*pending)[1].extra_headers, "");
  auto claimed = WriteValue(
      [&](ports::StoreTransaction& tx) { return tx.ClaimNotifications(At(2000), At(2060), 10); });
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].extra_headers, headers);
}

// ---- Web sessions ----

class WebSessionContractTest : public StatusPageContractTest {
 protected:
  void SetUp() override {
    StatusPageContractTest::SetUp();
    const core::OrgId org = AddOrganisation("Provider", core::OrgKind::kProvider);
    alice_ = AddUser("alice@example.com", org, core::Role::kAgent);
    bob_ = AddUser("bob@example.com", org, core::Role::kAgent);
  }

  // A session of `user` whose digest is 32 copies of `fill`, created at t, expiring at t+1h.
  static core::WebSession Session(core::UserId user, char fill, int64_t t = 1700000000) {
    core::WebSession session;
    session.digest = std::string(32, fill);
    session.user_id = user;
    session.created_at = At(t, 1);
    session.last_seen_at = At(t, 2);
    session.expires_at = At(t + 3600, 3);
    return session;
  }

  absl::Status Insert(const core::WebSession& session) {
    return Write([&](ports::StoreTransaction& tx) { return tx.InsertWebSession(session); });
  }

  std::optional<core::WebSession> Find(std::string_view digest) {
    auto found = ReadValue([&](ports::StoreTransaction& tx) { return tx.FindWebSession(digest); });
    EXPECT_TRUE(found.ok()) << found.status();
    return found.ok() ? *found : std::nullopt;
  }

  core::UserId alice_ = 0;
  core::UserId bob_ = 0;
};

TEST_P(WebSessionContractTest, SessionsRoundTripByBinaryDigest) {
  core::WebSession session = Session(alice_, 'x');
  session.digest = std::string("\x00\x01\xff\x80 a session digest, zero byte\x00", 32);
  ASSERT_TRUE(Insert(session).ok());

  const std::optional<core::WebSession> found = Find(session.digest);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->digest, session.digest);
  EXPECT_EQ(found->user_id, alice_);
  EXPECT_EQ(found->created_at, At(1700000000, 1));
  EXPECT_EQ(found->last_seen_at, At(1700000000, 2));
  EXPECT_EQ(found->expires_at, At(1700003600, 3));

  std::string other = session.digest;
  other[5] ^= 1;
  EXPECT_FALSE(Find(other).has_value());
  EXPECT_FALSE(Find(session.digest.substr(0, 31)).has_value());
  EXPECT_FALSE(Find("").has_value());
}

TEST_P(WebSessionContractTest, ADuplicateDigestIsAlreadyExistsAndLeavesTheUnitUsable) {
  const core::WebSession first = Session(alice_, 'a');
  ASSERT_TRUE(Insert(first).ok());
  core::WebSession duplicate = Session(bob_, 'a', 1700050000);
  EXPECT_EQ(Insert(duplicate).code(), absl::StatusCode::kAlreadyExists);

  // The unit that met the duplicate goes on writing (PostgreSQL: no failed statement).
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                EXPECT_EQ(tx.InsertWebSession(duplicate).code(), absl::StatusCode::kAlreadyExists);
                return tx.InsertWebSession(Session(bob_, 'b'));
              }).ok());
  const std::optional<core::WebSession> kept = Find(first.digest);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->user_id, alice_);
  EXPECT_EQ(kept->created_at, first.created_at);
  EXPECT_TRUE(Find(std::string(32, 'b')).has_value());
}

TEST_P(WebSessionContractTest, InsertRejectsIncompleteSessionsAndUnknownUsers) {
  struct Case {
    std::string name;
    std::function<void(core::WebSession&)> change;
  };
  const std::vector<Case> cases = {
      {"empty digest", [](core::WebSession& s) { s.digest.clear(); }},
      {"no expiry", [](core::WebSession& s) { s.expires_at = absl::InfinitePast(); }},
      {"unknown user", [this](core::WebSession& s) { s.user_id = bob_ + 1000; }},
  };
  for (const Case& c : cases) {
    core::WebSession session = Session(alice_, 'q');
    c.change(session);
    EXPECT_EQ(Insert(session).code(), absl::StatusCode::kInvalidArgument) << c.name;
  }
  EXPECT_FALSE(Find(std::string(32, 'q')).has_value());
}

TEST_P(WebSessionContractTest, TouchRecordsUseOfThatSessionOnly) {
  ASSERT_TRUE(Insert(Session(alice_, 'a')).ok());
  ASSERT_TRUE(Insert(Session(alice_, 'b')).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                if (auto s = tx.TouchWebSession(std::string(32, 'a'), At(1700000500, 7)); !s.ok()) {
                  return s;
                }
                // An unknown session is harmless and creates nothing.
                return tx.TouchWebSession(std::string(32, 'z'), At(1700000500));
              }).ok());
  const std::optional<core::WebSession> touched = Find(std::string(32, 'a'));
  ASSERT_TRUE(touched.has_value());
  EXPECT_EQ(touched->last_seen_at, At(1700000500, 7));
  EXPECT_EQ(touched->created_at, At(1700000000, 1));
  EXPECT_EQ(touched->expires_at, At(1700003600, 3));
  const std::optional<core::WebSession> untouched = Find(std::string(32, 'b'));
  ASSERT_TRUE(untouched.has_value());
  EXPECT_EQ(untouched->last_seen_at, At(1700000000, 2));
  EXPECT_FALSE(Find(std::string(32, 'z')).has_value());
}

TEST_P(WebSessionContractTest, SessionsAreDeletedOneByOneOrPerUser) {
  for (char fill : {'a', 'b', 'c'}) ASSERT_TRUE(Insert(Session(alice_, fill)).ok());
  for (char fill : {'x', 'y'}) ASSERT_TRUE(Insert(Session(bob_, fill)).ok());

  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                if (auto s = tx.DeleteWebSession(std::string(32, 'x')); !s.ok()) return s;
                return tx.DeleteWebSession(std::string(32, 'x'));  // again: harmless
              }).ok());
  EXPECT_FALSE(Find(std::string(32, 'x')).has_value());
  EXPECT_TRUE(Find(std::string(32, 'y')).has_value());

  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.DeleteUserWebSessions(alice_); }).ok());
  for (char fill : {'a', 'b', 'c'}) EXPECT_FALSE(Find(std::string(32, fill)).has_value()) << fill;
  EXPECT_TRUE(Find(std::string(32, 'y')).has_value());
  // A user without sessions.
  EXPECT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.DeleteUserWebSessions(alice_); }).ok());
}

TEST_P(WebSessionContractTest, ExpiredSessionsAreThoseEndingAtOrBeforeNow) {
  const absl::Time now = At(1700010000, 500);
  const std::vector<std::pair<char, absl::Time>> sessions = {
      {'a', now - absl::Hours(1)},        {'b', now - absl::Microseconds(1)}, {'c', now},
      {'d', now + absl::Microseconds(1)}, {'e', now + absl::Hours(1)},
  };
  for (const auto& [fill, expires_at] : sessions) {
    core::WebSession session = Session(fill < 'c' ? alice_ : bob_, fill);
    session.expires_at = expires_at;
    ASSERT_TRUE(Insert(session).ok()) << fill;
  }
  auto deleted =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.DeleteExpiredWebSessions(now); });
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 3);
  for (const auto& [fill, expires_at] : sessions) {
    EXPECT_EQ(Find(std::string(32, fill)).has_value(), expires_at > now) << fill;
  }
  auto again =
      WriteValue([&](ports::StoreTransaction& tx) { return tx.DeleteExpiredWebSessions(now); });
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 0);
}

TEST_P(WebSessionContractTest, ReadTransactionsFindButDoNotChangeSessions) {
  ASSERT_TRUE(Insert(Session(alice_, 'a')).ok());
  const std::string digest(32, 'a');
  ASSERT_TRUE(
      Read([&](ports::StoreTransaction& tx) -> absl::Status {
        auto found = tx.FindWebSession(digest);
        EXPECT_TRUE(found.ok() && found->has_value());
        EXPECT_EQ(tx.InsertWebSession(Session(alice_, 'n')).code(),
                  absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(tx.TouchWebSession(digest, At(1700000900)).code(),
                  absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(tx.DeleteWebSession(digest).code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(tx.DeleteUserWebSessions(alice_).code(), absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(tx.DeleteExpiredWebSessions(At(1800000000)).status().code(),
                  absl::StatusCode::kFailedPrecondition);
        return absl::OkStatus();
      }).ok());
  const std::optional<core::WebSession> kept = Find(digest);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->last_seen_at, At(1700000000, 2));
}

TEST_P(WebSessionContractTest, AFailedUnitKeepsNoSessionChange) {
  ASSERT_TRUE(Insert(Session(alice_, 'a')).ok());
  const absl::Status failed = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    if (auto s = tx.InsertWebSession(Session(bob_, 'b')); !s.ok()) return s;
    if (auto s = tx.DeleteWebSession(std::string(32, 'a')); !s.ok()) return s;
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(failed.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(Find(std::string(32, 'a')).has_value());
  EXPECT_FALSE(Find(std::string(32, 'b')).has_value());
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, StoreContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);
INSTANTIATE_TEST_SUITE_P(AllStores, CaseListContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);
INSTANTIATE_TEST_SUITE_P(AllStores, StatusPageContractTest,
                         ::testing::ValuesIn(AllStoreFactories()), FactoryName);
INSTANTIATE_TEST_SUITE_P(AllStores, WebSessionContractTest,
                         ::testing::ValuesIn(AllStoreFactories()), FactoryName);

}  // namespace
}  // namespace casedesk::contract

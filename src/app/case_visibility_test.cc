// Who sees which case, through every read and write path: get, list, update, comments, events,
// attachments and search. A case the caller may not see is NotFound everywhere.
#include <gtest/gtest.h>

#include "app/attachments.h"
#include "app/case_events.h"
#include "app/case_test_fixture.h"
#include "app/get_case.h"
#include "app/list_cases.h"
#include "app/list_comments.h"
#include "app/search.h"

namespace casedesk::app {
namespace {

class CaseVisibilityTest : public CaseTestFixture {
 protected:
  void SetUp() override {
    CaseTestFixture::SetUp();
    acme_case_ = MustOpen(acme_alice_, Request("zebra acme private")).number;
    OpenCaseRequest followed = Request("zebra acme followed");
    followed.followers = {acme_bob_.user.id};
    acme_followed_ = MustOpen(acme_alice_, followed).number;
    globex_case_ = MustOpen(globex_gina_, Request("zebra globex shared")).number;
    partner_case_ = MustOpen(partner_customer_carl_, Request("zebra partner customer")).number;
  }

  bool ListContains(const Caller& caller, core::CaseNumber number) {
    ListCasesRequest request;
    request.page.limit = 200;
    absl::StatusOr<ports::Page<core::Case>> page = ListCases(context(), caller, request);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return false;
    for (const core::Case& c : page->items) {
      if (c.number == number) return true;
    }
    return false;
  }

  bool SearchFinds(const Caller& caller, core::CaseNumber number) {
    SearchRequest request;
    request.text = "zebra";
    request.page.limit = 200;
    absl::StatusOr<ports::Page<ports::SearchHit>> hits = SearchCases(context(), caller, request);
    EXPECT_TRUE(hits.ok()) << hits.status();
    if (!hits.ok()) return false;
    for (const ports::SearchHit& hit : hits->items) {
      if (hit.case_number == number) return true;
    }
    return false;
  }

  core::CaseNumber acme_case_ = 0, acme_followed_ = 0, globex_case_ = 0, partner_case_ = 0;
};

TEST_F(CaseVisibilityTest, EachRoleSeesExactlyItsCases) {
  struct Row {
    const char* name;
    Caller* caller;
    core::CaseNumber* number;
    bool visible;
  };
  const Row rows[] = {
      {"agent sees a customer's case", &agent_, &acme_case_, true},
      {"admin sees a partner customer's case", &admin_, &partner_case_, true},
      {"requester sees own case", &acme_alice_, &acme_case_, true},
      {"colleague without shared cases", &acme_bob_, &acme_case_, false},
      {"colleague who follows the case", &acme_bob_, &acme_followed_, true},
      {"org admin sees the org's cases", &acme_admin_, &acme_case_, true},
      {"colleague in an org that shares cases", &globex_gus_, &globex_case_, true},
      {"other tenant", &globex_gina_, &acme_case_, false},
      {"other tenant, reversed", &acme_alice_, &globex_case_, false},
      {"partner agent sees its customer's case", &partner_agent_, &partner_case_, true},
      {"partner agent and a provider customer", &partner_agent_, &acme_case_, false},
      {"partner's customer and another tenant", &partner_customer_carl_, &acme_case_, false},
  };
  for (const Row& row : rows) {
    const Caller& caller = *row.caller;
    const core::CaseNumber number = *row.number;
    const absl::StatusCode expected =
        row.visible ? absl::StatusCode::kOk : absl::StatusCode::kNotFound;
    EXPECT_EQ(GetCase(context(), caller, number).status().code(), expected) << row.name;
    EXPECT_EQ(ListContains(caller, number), row.visible) << row.name;
    EXPECT_EQ(SearchFinds(caller, number), row.visible) << row.name;
    EXPECT_EQ(ListComments(context(), caller, number, {}).status().code(), expected) << row.name;
    EXPECT_EQ(ListCaseEvents(context(), caller, number, {}).status().code(), expected) << row.name;
    EXPECT_EQ(ListAttachments(context(), caller, number).status().code(), expected) << row.name;
  }
}

TEST_F(CaseVisibilityTest, WritesToAnInvisibleCaseAreNotFoundAndChangeNothing) {
  const core::Case before = Stored(acme_case_);
  UpdateCaseRequest update;
  update.subject = "hijacked";
  EXPECT_EQ(Update(globex_gina_, acme_case_, update).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Comment(globex_gina_, acme_case_, "hello").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Upload(globex_gina_, acme_case_, "data").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Update(partner_agent_, acme_case_, update).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Stored(acme_case_).subject, before.subject);
  EXPECT_EQ(StoredEvents(acme_case_).size(), 1u);  // only case.created
}

TEST_F(CaseVisibilityTest, MissingAndInvisibleCasesLookAlike) {
  absl::StatusOr<CaseView> missing = GetCase(context(), globex_gina_, 987654);
  absl::StatusOr<CaseView> hidden = GetCase(context(), globex_gina_, acme_case_);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(hidden.status().message()),
            "case " + std::to_string(acme_case_) + " not found");
}

TEST_F(CaseVisibilityTest, ListFiltersNarrowWithinTheScope) {
  ListCasesRequest request;
  request.org_id = acme_;
  absl::StatusOr<ports::Page<core::Case>> acme = ListCases(context(), agent_, request);
  ASSERT_TRUE(acme.ok()) << acme.status();
  ASSERT_EQ(acme->items.size(), 2u);
  EXPECT_EQ(acme->items[0].number, acme_followed_);  // newest first
  EXPECT_EQ(acme->items[1].number, acme_case_);

  // A filter cannot widen the scope: another tenant's org simply yields nothing.
  absl::StatusOr<ports::Page<core::Case>> foreign = ListCases(context(), globex_gina_, request);
  ASSERT_TRUE(foreign.ok()) << foreign.status();
  EXPECT_TRUE(foreign->items.empty());

  ListCasesRequest paged;
  paged.page.limit = 3;
  absl::StatusOr<ports::Page<core::Case>> first = ListCases(context(), agent_, paged);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->items.size(), 3u);
  ASSERT_FALSE(first->next_cursor.empty());
  paged.page.cursor = first->next_cursor;
  absl::StatusOr<ports::Page<core::Case>> second = ListCases(context(), agent_, paged);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].number, acme_case_);
  EXPECT_TRUE(second->next_cursor.empty());

  ListCasesRequest by_status;
  by_status.status = core::CaseStatus::kOpen;
  absl::StatusOr<ports::Page<core::Case>> open = ListCases(context(), agent_, by_status);
  ASSERT_TRUE(open.ok()) << open.status();
  EXPECT_TRUE(open->items.empty());
}

TEST_F(CaseVisibilityTest, ListsNeverCarrySecrets) {
  OpenCaseRequest request = Request("secretive");
  request.secret_fields = {{"root_password", "s3cret"}};
  MustOpen(acme_alice_, request);
  absl::StatusOr<ports::Page<core::Case>> page = ListCases(context(), agent_, {});
  ASSERT_TRUE(page.ok()) << page.status();
  for (const core::Case& c : page->items) EXPECT_TRUE(c.sealed_secrets.empty());
}

}  // namespace
}  // namespace casedesk::app

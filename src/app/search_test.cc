#include "app/search.h"

#include <gtest/gtest.h>

#include "app/case_test_fixture.h"

namespace casedesk::app {
namespace {

class SearchTest : public CaseTestFixture {
 protected:
  std::vector<std::pair<core::CaseNumber, std::string>> Hits(const Caller& caller,
                                                             std::string text) {
    SearchRequest request;
    request.text = std::move(text);
    absl::StatusOr<ports::Page<ports::SearchHit>> page = SearchCases(context(), caller, request);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::pair<core::CaseNumber, std::string>> hits;
    if (page.ok()) {
      for (const ports::SearchHit& hit : page->items) {
        hits.emplace_back(hit.case_number, hit.matched_in);
      }
    }
    return hits;
  }
};

TEST_F(SearchTest, FindsSubjectsDescriptionsAndPublicReplies) {
  OpenCaseRequest request = Request("Kernel panic on boot");
  request.description = "The hypervisor logs mention ext4 corruption";
  const core::CaseNumber number = MustOpen(acme_alice_, request).number;
  ASSERT_TRUE(Comment(agent_, number, "Please run fsck on the volume").ok());

  EXPECT_EQ(Hits(acme_alice_, "panic"),
            (std::vector<std::pair<core::CaseNumber, std::string>>{{number, "subject"}}));
  EXPECT_EQ(Hits(acme_alice_, "hypervisor"),
            (std::vector<std::pair<core::CaseNumber, std::string>>{{number, "description"}}));
  EXPECT_EQ(Hits(acme_alice_, "fsck"),
            (std::vector<std::pair<core::CaseNumber, std::string>>{{number, "comment"}}));
}

TEST_F(SearchTest, InternalNotesOnlyForStaff) {
  const core::CaseNumber number = MustOpen(partner_customer_carl_, Request("Slow storage")).number;
  ASSERT_TRUE(
      Comment(agent_, number, "Suspect the flaky controller", core::Visibility::kInternal).ok());
  EXPECT_EQ(Hits(agent_, "controller"),
            (std::vector<std::pair<core::CaseNumber, std::string>>{{number, "internal_note"}}));
  EXPECT_TRUE(Hits(partner_customer_carl_, "controller").empty());
  EXPECT_TRUE(Hits(partner_agent_, "controller").empty());
}

TEST_F(SearchTest, RespectsScope) {
  const core::CaseNumber acme = MustOpen(acme_alice_, Request("Quokka outage")).number;
  const core::CaseNumber globex = MustOpen(globex_gina_, Request("Quokka outage too")).number;
  using Hit = std::pair<core::CaseNumber, std::string>;
  EXPECT_EQ(Hits(acme_alice_, "quokka"), (std::vector<Hit>{{acme, "subject"}}));
  EXPECT_EQ(Hits(globex_gus_, "quokka"), (std::vector<Hit>{{globex, "subject"}}));
  EXPECT_TRUE(Hits(acme_bob_, "quokka").empty());
  EXPECT_TRUE(Hits(partner_agent_, "quokka").empty());
  EXPECT_EQ(Hits(agent_, "quokka").size(), 2u);
}

TEST_F(SearchTest, QueryIsRequiredAndBounded) {
  SearchRequest empty;
  empty.text = "   ";
  EXPECT_EQ(SearchCases(context(), agent_, empty).status().code(),
            absl::StatusCode::kInvalidArgument);
  SearchRequest huge;
  huge.text = std::string(501, 'a');
  EXPECT_EQ(SearchCases(context(), agent_, huge).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Query syntax is not exposed: operators are plain words.
  SearchRequest operators;
  operators.text = "\"unbalanced OR NEAR( *";
  EXPECT_TRUE(SearchCases(context(), agent_, operators).ok());
}

}  // namespace
}  // namespace casedesk::app

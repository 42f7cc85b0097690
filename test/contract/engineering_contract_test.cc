// The Store contract of engineering links and problems (issue 7): links kept per case and
// found by tracker key across cases, duplicates refused without aborting the unit of work,
// updates, problems with their case counts, linking and unlinking cases (idempotently), and the
// incident trend counts by problem, component and organisation over a half-open period, against
// every implementation in store_factories.h.
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "contract_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class EngineeringContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("engineering-contract"));
    provider_ = AddOrganisation("Provider", core::OrgKind::kProvider, std::nullopt);
    acme_ = AddOrganisation("Acme", core::OrgKind::kCustomer, provider_);
    globex_ = AddOrganisation("Globex", core::OrgKind::kCustomer, provider_);
    requester_ = AddUser("carol@example.com", acme_, core::Role::kCustomer);
    other_requester_ = AddUser("gil@example.com", globex_, core::Role::kCustomer);
    agent_ = AddUser("ada@example.com", provider_, core::Role::kAgent);
  }

  core::CaseNumber AddCase(core::OrgId org, core::UserId requester, std::string component,
                           int64_t opened_at) {
    core::Case c;
    c.org_id = org;
    c.requester_id = requester;
    c.subject = "Case in " + component;
    c.description = "Description";
    c.component = std::move(component);
    c.created_at = At(opened_at);
    c.updated_at = c.created_at;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto number = tx.NextCaseNumber();
                  if (!number.ok()) return number.status();
                  c.number = *number;
                  return tx.InsertCase(c);
                }).ok());
    return c.number;
  }

  core::EngineeringLink Link(core::CaseNumber number, std::string key) {
    core::EngineeringLink link;
    link.case_number = number;
    link.tracker = "jira";
    link.issue_key = std::move(key);
    link.url = "https://jira.example.com/browse/" + link.issue_key;
    link.state = "open";
    link.title = "Export \"fails\" \u00e9";
    link.created_by = agent_;
    link.created_at = At(1772000000);
    link.updated_by = agent_;
    link.updated_at = At(1772000000);
    return link;
  }

  absl::StatusOr<core::EngineeringLinkId> InsertLink(const core::EngineeringLink& link) {
    core::EngineeringLinkId id = 0;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto inserted = tx.InsertEngineeringLink(link);
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return id;
  }

  core::ProblemId InsertProblem(std::string title, std::string component) {
    core::Problem problem;
    problem.title = std::move(title);
    problem.component = std::move(component);
    problem.root_cause = "Line one\nline two";
    problem.created_by = agent_;
    problem.created_at = At(1772000000);
    problem.updated_at = At(1772000000);
    core::ProblemId id = 0;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto inserted = tx.InsertProblem(problem);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  absl::StatusOr<bool> LinkCase(core::ProblemId problem, core::CaseNumber number) {
    bool changed = false;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto linked = tx.LinkProblemCase(problem, number, agent_, At(1772000100));
      if (!linked.ok()) return linked.status();
      changed = *linked;
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return changed;
  }

  // The outcome of a link or unlink that must have succeeded.
  static std::optional<bool> Changed(const absl::StatusOr<bool>& outcome) {
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.ok() ? std::optional<bool>(*outcome) : std::nullopt;
  }

  core::OrgId provider_ = 0, acme_ = 0, globex_ = 0;
  core::UserId requester_ = 0, other_requester_ = 0, agent_ = 0;
};

TEST_P(EngineeringContractTest, LinksAreKeptPerCaseAndFoundByKeyAcrossCases) {
  const core::CaseNumber first = AddCase(acme_, requester_, "export", 1772000000);
  const core::CaseNumber second = AddCase(globex_, other_requester_, "export", 1772000000);
  ASSERT_TRUE(InsertLink(Link(second, "PROJ-7")).ok());
  absl::StatusOr<core::EngineeringLinkId> id = InsertLink(Link(first, "PROJ-7"));
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(InsertLink(Link(first, "PROJ-8")).ok());

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto link = tx.GetEngineeringLink(*id);
                EXPECT_TRUE(link.ok()) << link.status();
                if (!link.ok()) return link.status();
                EXPECT_EQ(link->case_number, first);
                EXPECT_EQ(link->tracker, "jira");
                EXPECT_EQ(link->issue_key, "PROJ-7");
                EXPECT_EQ(link->url, "https://jira.example.com/browse/PROJ-7");
                EXPECT_EQ(link->state, "open");
                EXPECT_EQ(link->title, "Export \"fails\" \u00e9");
                EXPECT_EQ(link->pending_update, "");
                EXPECT_EQ(link->created_by, agent_);
                EXPECT_EQ(link->created_at, At(1772000000));
                auto of_case = tx.ListCaseEngineeringLinks(first);
                EXPECT_TRUE(of_case.ok());
                EXPECT_EQ(of_case->size(), 2u);
                auto by_key = tx.ListEngineeringLinksByKey("jira", "PROJ-7", 100);
                EXPECT_TRUE(by_key.ok());
                std::vector<core::CaseNumber> numbers;
                for (const auto& found : *by_key) numbers.push_back(found.case_number);
                EXPECT_THAT(numbers, ElementsAre(first, second));
                auto other_tracker = tx.ListEngineeringLinksByKey("github", "PROJ-7", 100);
                EXPECT_TRUE(other_tracker.ok());
                EXPECT_THAT(*other_tracker, IsEmpty());
                EXPECT_TRUE(absl::IsNotFound(tx.GetEngineeringLink(*id + 100).status()));
                return absl::OkStatus();
              }).ok());
}

TEST_P(EngineeringContractTest, DuplicateLinkIsAlreadyExistsAndTheUnitCarriesOn) {
  const core::CaseNumber number = AddCase(acme_, requester_, "export", 1772000000);
  ASSERT_TRUE(InsertLink(Link(number, "PROJ-7")).ok());
  // The refusal must not abort the rest of the unit of work (PostgreSQL aborts a transaction
  // on a failed statement).
  absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
    auto duplicate = tx.InsertEngineeringLink(Link(number, "PROJ-7"));
    EXPECT_TRUE(absl::IsAlreadyExists(duplicate.status())) << duplicate.status();
    return tx.InsertEngineeringLink(Link(number, "PROJ-9")).status();
  });
  EXPECT_TRUE(status.ok()) << status;
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto links = tx.ListCaseEngineeringLinks(number);
                EXPECT_EQ(links->size(), 2u);
                return absl::OkStatus();
              }).ok());
}

TEST_P(EngineeringContractTest, UpdateWritesStateTitleUrlAndPendingUpdate) {
  const core::CaseNumber number = AddCase(acme_, requester_, "export", 1772000000);
  absl::StatusOr<core::EngineeringLinkId> id = InsertLink(Link(number, "PROJ-7"));
  ASSERT_TRUE(id.ok());
  core::EngineeringLink changed = Link(number, "PROJ-7");
  changed.id = *id;
  changed.state = "released";
  changed.title = "Export fixed";
  changed.url = "https://jira.example.com/PROJ-7";
  changed.pending_update = "The fix is released.";
  changed.updated_by = 0;
  changed.updated_at = At(1772003600);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateEngineeringLink(changed); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto link = tx.GetEngineeringLink(*id);
                EXPECT_EQ(link->state, "released");
                EXPECT_EQ(link->title, "Export fixed");
                EXPECT_EQ(link->url, "https://jira.example.com/PROJ-7");
                EXPECT_EQ(link->pending_update, "The fix is released.");
                EXPECT_EQ(link->updated_by, 0);
                EXPECT_EQ(link->updated_at, At(1772003600));
                EXPECT_EQ(link->created_by, agent_);
                return absl::OkStatus();
              }).ok());
  changed.id = *id + 100;
  EXPECT_TRUE(absl::IsNotFound(
      Write([&](ports::StoreTransaction& tx) { return tx.UpdateEngineeringLink(changed); })));
}

TEST_P(EngineeringContractTest, ProblemsCountTheirCasesAndLinkIdempotently) {
  const core::CaseNumber first = AddCase(acme_, requester_, "export", 1772000000);
  const core::CaseNumber second = AddCase(globex_, other_requester_, "export", 1772000000);
  const core::ProblemId older = InsertProblem("Exports time out", "export");
  const core::ProblemId newer = InsertProblem("Login loops", "auth");
  EXPECT_EQ(Changed(LinkCase(older, first)), true);
  EXPECT_EQ(Changed(LinkCase(older, first)), false);  // linked already
  EXPECT_EQ(Changed(LinkCase(older, second)), true);
  EXPECT_EQ(Changed(LinkCase(newer, first)), true);
  // Unknown problems and cases are refused without a failed statement.
  absl::StatusOr<bool> unknown_case = LinkCase(older, second + 1000);
  EXPECT_TRUE(absl::IsInvalidArgument(unknown_case.status())) << unknown_case.status();
  absl::StatusOr<bool> unknown_problem = LinkCase(newer + 1000, first);
  EXPECT_TRUE(absl::IsInvalidArgument(unknown_problem.status())) << unknown_problem.status();

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto problem = tx.GetProblem(older);
                EXPECT_TRUE(problem.ok()) << problem.status();
                EXPECT_EQ(problem->title, "Exports time out");
                EXPECT_EQ(problem->status, core::ProblemStatus::kInvestigating);
                EXPECT_EQ(problem->component, "export");
                EXPECT_EQ(problem->root_cause, "Line one\nline two");
                EXPECT_EQ(problem->case_count, 2);
                EXPECT_EQ(problem->resolved_at, absl::InfinitePast());
                auto listed = tx.ListProblems(ports::ProblemFilter{});
                std::vector<core::ProblemId> ids;
                for (const auto& p : *listed) ids.push_back(p.id);
                EXPECT_THAT(ids, ElementsAre(newer, older));
                ports::ProblemFilter page;
                page.before_id = newer;
                EXPECT_EQ(tx.ListProblems(page)->size(), 1u);
                auto cases = tx.ListProblemCases(older, 10);
                std::vector<core::CaseNumber> numbers;
                for (const auto& linked : *cases) numbers.push_back(linked.case_number);
                EXPECT_THAT(numbers, ElementsAre(second, first));
                EXPECT_EQ(cases->front().org_id, globex_);
                EXPECT_EQ(cases->front().subject, "Case in export");
                EXPECT_EQ(cases->front().linked_by, agent_);
                auto of_case = tx.ListCaseProblems(first);
                EXPECT_EQ(of_case->size(), 2u);
                EXPECT_TRUE(absl::IsNotFound(tx.GetProblem(newer + 1000).status()));
                return absl::OkStatus();
              }).ok());

  bool removed = false;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                auto first_time = tx.UnlinkProblemCase(older, first);
                if (!first_time.ok()) return first_time.status();
                removed = *first_time;
                auto again = tx.UnlinkProblemCase(older, first);
                EXPECT_EQ(Changed(again), false);
                return absl::OkStatus();
              }).ok());
  EXPECT_TRUE(removed);

  core::Problem resolved;
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                resolved = *tx.GetProblem(older);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(resolved.case_count, 1);
  resolved.status = core::ProblemStatus::kResolved;
  resolved.resolved_at = At(1772009999);
  resolved.updated_at = At(1772009999);
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) { return tx.UpdateProblem(resolved); }).ok());
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto problem = tx.GetProblem(older);
                EXPECT_EQ(problem->status, core::ProblemStatus::kResolved);
                EXPECT_EQ(problem->resolved_at, At(1772009999));
                ports::ProblemFilter only_resolved;
                only_resolved.status = core::ProblemStatus::kResolved;
                EXPECT_EQ(tx.ListProblems(only_resolved)->size(), 1u);
                return absl::OkStatus();
              }).ok());
}

TEST_P(EngineeringContractTest, IncidentTrendsCountCasesOpenedInTheHalfOpenPeriod) {
  const int64_t from = 1772000000;
  const int64_t to = from + 7 * 86400;
  const core::CaseNumber a1 = AddCase(acme_, requester_, "export", from);  // first instant
  const core::CaseNumber a2 = AddCase(acme_, requester_, "export", from + 3600);
  const core::CaseNumber g1 = AddCase(globex_, other_requester_, "auth", from + 7200);
  AddCase(globex_, other_requester_, "", from + 86400);
  AddCase(acme_, requester_, "export", to);        // the end is excluded
  AddCase(acme_, requester_, "export", from - 1);  // before the start
  const core::ProblemId exports = InsertProblem("Exports time out", "export");
  const core::ProblemId logins = InsertProblem("Login loops", "auth");
  ASSERT_TRUE(LinkCase(exports, a1).ok());
  ASSERT_TRUE(LinkCase(exports, a2).ok());
  ASSERT_TRUE(LinkCase(logins, g1).ok());
  ASSERT_TRUE(LinkCase(logins, a1).ok());

  ports::IncidentTrend trend;
  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto counted = tx.CountIncidents(At(from), At(to));
                if (!counted.ok()) return counted.status();
                trend = *counted;
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(trend.total, 4);
  EXPECT_THAT(trend.by_problem, ElementsAre(Pair(exports, 2), Pair(logins, 2)));
  EXPECT_THAT(trend.by_component, ElementsAre(Pair("export", 2), Pair("", 1), Pair("auth", 1)));
  EXPECT_THAT(trend.by_org, ElementsAre(Pair(acme_, 2), Pair(globex_, 2)));

  ASSERT_TRUE(Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto empty = tx.CountIncidents(At(to + 86400), At(to + 2 * 86400));
                EXPECT_EQ(empty->total, 0);
                EXPECT_THAT(empty->by_problem, IsEmpty());
                EXPECT_THAT(empty->by_component, IsEmpty());
                return absl::OkStatus();
              }).ok());
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, EngineeringContractTest,
                         ::testing::ValuesIn(AllStoreFactories()), FactoryName);

}  // namespace
}  // namespace casedesk::contract

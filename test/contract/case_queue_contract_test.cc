// The Store contract of the staff console's queues (issue 5): each case's next SLA deadline
// (SetCaseNextDeadline / GetCaseNextDeadline), ListCases in CaseOrder::kNextDeadline with
// its queue filters and keyset paging, and each person's saved views, against every
// implementation in store_factories.h.
#include <algorithm>
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
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

absl::Time At(int64_t unix_seconds) { return absl::FromUnixSeconds(unix_seconds); }

class CaseQueueContractTest : public ContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenStore("queue-contract"));
    provider_ = AddOrganisation("Provider", core::OrgKind::kProvider, std::nullopt);
    customer_ = AddOrganisation("Customer", core::OrgKind::kCustomer, provider_);
    other_ = AddOrganisation("Other", core::OrgKind::kCustomer, provider_);
    requester_ = AddUser("carol@example.com", customer_, core::Role::kCustomer);
    other_requester_ = AddUser("olga@example.com", other_, core::Role::kCustomer);
    agent_ = AddUser("ada@example.com", provider_, core::Role::kAgent);
    group_a_ = AddGroup("Network");
    group_b_ = AddGroup("Storage");
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

  struct Spec {
    std::optional<int64_t> due;  // unix seconds of the next deadline; nullopt: none
    core::CaseStatus status = core::CaseStatus::kOpen;
    std::optional<core::UserId> assignee;
    std::optional<core::GroupId> group;
    core::Severity severity = core::Severity::kMinor;
    bool other_org = false;
    bool security_incident = false;
  };

  core::CaseNumber AddCase(const Spec& spec) {
    core::Case c;
    c.org_id = spec.other_org ? other_ : customer_;
    c.requester_id = spec.other_org ? other_requester_ : requester_;
    c.subject = "Queue case";
    c.description = "Description";
    c.status = spec.status;
    c.severity = spec.severity;
    c.assignee_id = spec.assignee;
    c.group_id = spec.group;
    c.security_incident = spec.security_incident;
    c.created_at = At(1700000100);
    c.updated_at = c.created_at;
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      auto number = tx.NextCaseNumber();
      if (!number.ok()) return number.status();
      c.number = *number;
      // As a case is opened: its deadline written with its row.
      return tx.InsertCaseWithDeadline(
          c, spec.due ? std::optional<absl::Time>(At(*spec.due)) : std::nullopt);
    });
    EXPECT_TRUE(status.ok()) << status;
    return c.number;
  }

  static ports::CaseFilter Queue() {
    ports::CaseFilter filter;
    filter.scope.all = true;
    filter.order = ports::CaseOrder::kNextDeadline;
    filter.active_only = true;
    return filter;
  }

  absl::StatusOr<ports::Page<core::Case>> List(const ports::CaseFilter& filter) {
    absl::StatusOr<ports::Page<core::Case>> page = absl::InternalError("not read");
    absl::Status status = Read([&](ports::StoreTransaction& tx) {
      page = tx.ListCases(filter);
      return page.status();
    });
    if (!status.ok()) return status;
    return page;
  }

  // Every page of `filter` walked with `page_size`, in order.
  std::vector<core::CaseNumber> Walk(ports::CaseFilter filter, int page_size) {
    std::vector<core::CaseNumber> numbers;
    filter.page.limit = page_size;
    for (int pages = 0; pages < 100; ++pages) {
      absl::StatusOr<ports::Page<core::Case>> page = List(filter);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      EXPECT_LE(static_cast<int>(page->items.size()), page_size);
      for (const core::Case& c : page->items) numbers.push_back(c.number);
      if (page->next_cursor.empty()) break;
      filter.page.cursor = page->next_cursor;
    }
    return numbers;
  }

  absl::StatusOr<core::SavedViewId> SaveView(core::UserId user, std::string name,
                                             core::QueueViewFilter filter) {
    absl::StatusOr<core::SavedViewId> id = absl::InternalError("not written");
    absl::Status status = Write([&](ports::StoreTransaction& tx) -> absl::Status {
      id = tx.InsertSavedView({.user_id = user,
                               .name = std::move(name),
                               .filter = filter,
                               .created_at = At(1800000000)});
      return id.status();
    });
    if (!status.ok()) return status;
    return id;
  }

  std::vector<core::SavedView> Views(core::UserId user) {
    std::vector<core::SavedView> views;
    absl::Status status = Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto listed = tx.ListSavedViews(user);
      if (!listed.ok()) return listed.status();
      views = *std::move(listed);
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return views;
  }

  absl::Status DeleteView(core::UserId user, core::SavedViewId id) {
    return Write([&](ports::StoreTransaction& tx) { return tx.DeleteSavedView(user, id); });
  }

  std::optional<absl::Time> StoredDeadline(core::CaseNumber number) {
    std::optional<absl::Time> due;
    absl::Status status = Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto stored = tx.GetCaseNextDeadline(number);
      if (!stored.ok()) return stored.status();
      due = *stored;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return due;
  }

  core::OrgId provider_ = 0, customer_ = 0, other_ = 0;
  core::UserId requester_ = 0, other_requester_ = 0, agent_ = 0;
  core::GroupId group_a_ = 0, group_b_ = 0;
};

TEST_P(CaseQueueContractTest, NextDeadlineRoundTripsAndDefaultsToNone) {
  const core::CaseNumber number = AddCase({.due = std::nullopt});
  EXPECT_EQ(StoredDeadline(number), std::nullopt);
  const absl::Time due = At(1800000000) + absl::Microseconds(123);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.SetCaseNextDeadline(number, due); }).ok());
  EXPECT_EQ(StoredDeadline(number), due);
  // Writing the same value again is fine; clearing it is too.
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.SetCaseNextDeadline(number, due); }).ok());
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) {
                return tx.SetCaseNextDeadline(number, std::nullopt);
              }).ok());
  EXPECT_EQ(StoredDeadline(number), std::nullopt);
}

TEST_P(CaseQueueContractTest, ADeadlineWrittenWithTheRowIsStoredAndAPlainInsertHasNone) {
  const absl::Time due = At(1800000000) + absl::Microseconds(7);
  const core::CaseNumber with_deadline = AddCase({.due = 1800000000});
  EXPECT_EQ(StoredDeadline(with_deadline), At(1800000000));
  core::CaseNumber plain = 0;
  ASSERT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                core::Case c;
                c.org_id = customer_;
                c.requester_id = requester_;
                c.subject = "Plain";
                c.created_at = At(1700000100);
                c.updated_at = c.created_at;
                auto number = tx.NextCaseNumber();
                if (!number.ok()) return number.status();
                c.number = plain = *number;
                return tx.InsertCase(c);
              }).ok());
  EXPECT_EQ(StoredDeadline(plain), std::nullopt);
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& tx) { return tx.SetCaseNextDeadline(plain, due); }).ok());
  EXPECT_EQ(StoredDeadline(plain), due);
}

TEST_P(CaseQueueContractTest, UnknownCaseIsNotFound) {
  absl::Status set = Write(
      [](ports::StoreTransaction& tx) { return tx.SetCaseNextDeadline(999999, At(1800000000)); });
  EXPECT_TRUE(absl::IsNotFound(set)) << set;
  absl::Status get =
      Read([](ports::StoreTransaction& tx) { return tx.GetCaseNextDeadline(999999).status(); });
  EXPECT_TRUE(absl::IsNotFound(get)) << get;
}

TEST_P(CaseQueueContractTest, OrdersByNextDeadlineThenNumberWithNoneLast) {
  const core::CaseNumber none = AddCase({.due = std::nullopt});
  const core::CaseNumber late = AddCase({.due = 1800003000});
  const core::CaseNumber tie_a = AddCase({.due = 1800002000});
  const core::CaseNumber tie_b = AddCase({.due = 1800002000});
  const core::CaseNumber overdue = AddCase({.due = 1600000000});
  const core::CaseNumber none_2 = AddCase({.due = std::nullopt});
  const std::vector<core::CaseNumber> expected = {overdue, tie_a, tie_b, late, none, none_2};
  for (int page_size : {1, 2, 4, 50}) {
    EXPECT_THAT(Walk(Queue(), page_size), ElementsAreArray(expected)) << page_size;
  }
}

TEST_P(CaseQueueContractTest, ActiveOnlyLeavesOutSolvedAndClosed) {
  const core::CaseNumber fresh = AddCase({.due = 1800000300, .status = core::CaseStatus::kNew});
  AddCase({.due = 1800000100, .status = core::CaseStatus::kSolved});
  AddCase({.due = 1800000200, .status = core::CaseStatus::kClosed});
  const core::CaseNumber held = AddCase({.due = std::nullopt, .status = core::CaseStatus::kOnHold});
  const core::CaseNumber pending =
      AddCase({.due = 1800000400, .status = core::CaseStatus::kPending});
  EXPECT_THAT(Walk(Queue(), 10), ElementsAre(fresh, pending, held));
}

TEST_P(CaseQueueContractTest, QueueFilters) {
  const core::CaseNumber untriaged = AddCase({.due = 1800000100, .group = group_a_});
  const core::CaseNumber mine = AddCase({.due = 1800000200, .assignee = agent_, .group = group_b_});
  const core::CaseNumber critical =
      AddCase({.due = 1800000300, .assignee = agent_, .severity = core::Severity::kCritical});
  const core::CaseNumber held =
      AddCase({.due = std::nullopt, .status = core::CaseStatus::kPending, .group = group_a_});
  const core::CaseNumber other_org = AddCase({.due = 1900000000, .other_org = true});

  ports::CaseFilter unassigned = Queue();
  unassigned.unassigned_only = true;
  EXPECT_THAT(Walk(unassigned, 10), ElementsAre(untriaged, other_org, held));

  ports::CaseFilter assigned = Queue();
  assigned.assignee_id = agent_;
  EXPECT_THAT(Walk(assigned, 1), ElementsAre(mine, critical));

  ports::CaseFilter groups = Queue();
  groups.group_ids = {group_a_, group_b_};
  EXPECT_THAT(Walk(groups, 1), ElementsAre(untriaged, mine, held));
  groups.group_ids = {group_b_};
  EXPECT_THAT(Walk(groups, 10), ElementsAre(mine));

  ports::CaseFilter soon = Queue();
  soon.due_before = At(1800000250);
  EXPECT_THAT(Walk(soon, 1), ElementsAre(untriaged, mine));

  ports::CaseFilter on_hold = Queue();
  on_hold.statuses = {core::CaseStatus::kPending, core::CaseStatus::kOnHold};
  EXPECT_THAT(Walk(on_hold, 10), ElementsAre(held));
  ports::CaseFilter open = Queue();
  open.statuses = {core::CaseStatus::kOpen};
  EXPECT_THAT(Walk(open, 2), ElementsAre(untriaged, mine, critical, other_org));
  ports::CaseFilter held_anywhere = on_hold;
  held_anywhere.active_only = false;
  EXPECT_THAT(Walk(held_anywhere, 10), ElementsAre(held));

  ports::CaseFilter severity = Queue();
  severity.severity = core::Severity::kCritical;
  EXPECT_THAT(Walk(severity, 10), ElementsAre(critical));

  ports::CaseFilter org = Queue();
  org.org_id = other_;
  EXPECT_THAT(Walk(org, 10), ElementsAre(other_org));
  // A saved view narrows a queue by organisation, with the queue's own conditions kept.
  ports::CaseFilter org_mine = Queue();
  org_mine.org_id = customer_;
  org_mine.assignee_id = agent_;
  EXPECT_THAT(Walk(org_mine, 1), ElementsAre(mine, critical));
  org_mine.severity = core::Severity::kCritical;
  EXPECT_THAT(Walk(org_mine, 1), ElementsAre(critical));
  ports::CaseFilter org_untriaged = Queue();
  org_untriaged.org_id = customer_;
  org_untriaged.unassigned_only = true;
  EXPECT_THAT(Walk(org_untriaged, 1), ElementsAre(untriaged, held));
  ports::CaseFilter org_held = on_hold;
  org_held.org_id = other_;
  EXPECT_THAT(Walk(org_held, 10), IsEmpty());
}

TEST_P(CaseQueueContractTest, SavedViewsArePerPersonByNameAndRoundTrip) {
  const core::UserId bea = AddUser("bea@example.com", provider_, core::Role::kAgent);
  const core::QueueViewFilter storage{
      .queue = core::CaseQueue::kMyGroups, .severity_level = 2, .group_id = group_b_};
  const core::QueueViewFilter globex{.queue = core::CaseQueue::kOnHold, .org_id = other_};
  absl::StatusOr<core::SavedViewId> first = SaveView(agent_, "Storage, major", storage);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(SaveView(agent_, "Globex held", globex).ok());
  // Another person may use the same name; the same person may not.
  ASSERT_TRUE(SaveView(bea, "Storage, major", {}).ok());
  EXPECT_EQ(SaveView(agent_, "Storage, major", globex).status().code(),
            absl::StatusCode::kAlreadyExists);

  std::vector<core::SavedView> views = Views(agent_);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].name, "Globex held");
  EXPECT_EQ(views[0].filter, globex);
  EXPECT_EQ(views[1].id, *first);
  EXPECT_EQ(views[1].name, "Storage, major");
  EXPECT_EQ(views[1].filter, storage);
  EXPECT_EQ(views[1].user_id, agent_);
  EXPECT_EQ(views[1].created_at, At(1800000000));
  ASSERT_EQ(Views(bea).size(), 1u);
  EXPECT_EQ(Views(bea)[0].filter, core::QueueViewFilter{});

  // A person deletes only their own views.
  EXPECT_EQ(DeleteView(bea, *first).code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(DeleteView(agent_, *first).ok());
  EXPECT_EQ(DeleteView(agent_, *first).code(), absl::StatusCode::kNotFound);
  ASSERT_EQ(Views(agent_).size(), 1u);
  EXPECT_EQ(Views(agent_)[0].name, "Globex held");
  // The name is free again.
  EXPECT_TRUE(SaveView(agent_, "Storage, major", storage).ok());
}

TEST_P(CaseQueueContractTest, ASavedViewNeedsAKnownPerson) {
  EXPECT_FALSE(SaveView(987654, "Nobody's", {}).ok());
  EXPECT_TRUE(Views(987654).empty());
}

TEST_P(CaseQueueContractTest, ScopeIsAlwaysApplied) {
  const core::CaseNumber visible = AddCase({.due = 1800000100});
  AddCase({.due = 1800000000, .other_org = true});
  const core::CaseNumber secret = AddCase({.due = 1700000000, .security_incident = true});
  ports::CaseFilter customer = Queue();
  customer.scope = core::CaseScope{.all = false, .org_ids = {customer_}};
  EXPECT_THAT(Walk(customer, 10), ElementsAre(secret, visible));
  ports::CaseFilter uncleared = Queue();
  uncleared.scope.hide_security_incidents = true;
  const std::vector<core::CaseNumber> seen = Walk(uncleared, 10);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), secret), 0);
  ports::CaseFilter participant = Queue();
  participant.scope = core::CaseScope{.all = false, .participant = other_requester_};
  EXPECT_EQ(Walk(participant, 10).size(), 1u);
  ports::CaseFilter nobody = Queue();
  nobody.scope = core::CaseScope{.all = false};
  EXPECT_THAT(Walk(nobody, 10), IsEmpty());
}

TEST_P(CaseQueueContractTest, RefusesMalformedCursorsAndText) {
  AddCase({.due = 1800000100});
  ports::CaseFilter bad_cursor = Queue();
  bad_cursor.page.cursor = "not-a-cursor";
  EXPECT_TRUE(absl::IsInvalidArgument(List(bad_cursor).status()));
  ports::CaseFilter text = Queue();
  text.text = "printer";
  EXPECT_TRUE(absl::IsInvalidArgument(List(text).status()));
}

TEST_P(CaseQueueContractTest, TheNewestOrderIsUnchanged) {
  const core::CaseNumber first = AddCase({.due = 1600000000});
  const core::CaseNumber second = AddCase({.due = 1900000000});
  ports::CaseFilter newest;
  newest.scope.all = true;
  newest.page.limit = 10;
  absl::StatusOr<ports::Page<core::Case>> page = List(newest);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].number, second);
  EXPECT_EQ(page->items[1].number, first);
}

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(AllStores, CaseQueueContractTest, ::testing::ValuesIn(AllStoreFactories()),
                         FactoryName);

}  // namespace
}  // namespace casedesk::contract

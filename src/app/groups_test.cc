#include "app/groups.h"

#include "app/directory_test_fixture.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using ::testing::ElementsAre;

class GroupsTest : public DirectoryTest {
 protected:
  void SetUp() override {
    DirectoryTest::SetUp();
    globex_ = MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
    agent_ = MakeUser("agent@acme.test", core::Role::kAgent, desk_.provider.id);
    second_agent_ = MakeUser("second@acme.test", core::Role::kAgent, desk_.provider.id);
    contact_ = MakeUser("jo@globex.test", core::Role::kCustomer, globex_.id);
  }

  absl::StatusOr<core::Group> Create(const core::Viewer& viewer, NewGroup group) {
    return Wait<core::Group>(
        [&](auto done) { CreateGroup(context(), viewer, group, std::move(done)); });
  }

  absl::StatusOr<core::Group> Update(const core::Viewer& viewer, core::GroupId id,
                                     GroupPatch patch) {
    return Wait<core::Group>(
        [&](auto done) { UpdateGroup(context(), viewer, id, patch, std::move(done)); });
  }

  core::Organisation globex_;
  core::User agent_, second_agent_, contact_;
};

TEST_F(GroupsTest, AdminCreatesAGroupOfStaff) {
  absl::StatusOr<core::Group> group =
      Create(admin_, {.name = "Network", .description = "Routers and links",
                      .members = {agent_.id, agent_.id, second_agent_.id}});
  ASSERT_TRUE(group.ok()) << group.status();
  EXPECT_GT(group->id, 0);
  EXPECT_FALSE(group->triage);
  EXPECT_THAT(group->members, ElementsAre(agent_.id, second_agent_.id));

  absl::StatusOr<core::Group> fetched = GetGroup(context(), ViewerOf(agent_), group->id);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->name, "Network");
  EXPECT_THAT(fetched->members, ElementsAre(agent_.id, second_agent_.id));

  const std::vector<EventRow> events = EventsOfKind("group.created");
  ASSERT_EQ(events.size(), 2u);  // Triage at init, then Network
  EXPECT_EQ(events[1].entity, "group");
  EXPECT_EQ(events[1].entity_id, std::to_string(group->id));
  EXPECT_EQ(events[1].actor_id, desk_.admin.id);
}

TEST_F(GroupsTest, RejectsNonStaffMembersDuplicatesAndASecondTriageQueue) {
  EXPECT_EQ(Create(admin_, {.name = "Mixed", .members = {agent_.id, contact_.id}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(admin_, {.name = "Ghosts", .members = {99999}}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(admin_, {.name = "Triage"}).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Create(admin_, {.name = "Intake", .triage = true}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Create(admin_, {.name = ""}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EventsOfKind("group.created").size(), 1u);
}

TEST_F(GroupsTest, AccessRules) {
  const core::Viewer agent = ViewerOf(agent_);
  const core::Viewer contact = ViewerOf(contact_);
  EXPECT_EQ(Create(agent, {.name = "Mine"}).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ListGroups(context(), agent, {.limit = 10}).ok());
  EXPECT_EQ(ListGroups(context(), contact, {.limit = 10}).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<ports::Page<core::Group>> groups = ListGroups(context(), admin_, {.limit = 10});
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->items.size(), 1u);
  const core::GroupId triage = groups->items[0].id;
  EXPECT_EQ(GetGroup(context(), contact, triage).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetGroup(context(), agent, 4242).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Update(agent, triage, {.name = "Renamed"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(contact, triage, {.name = "Renamed"}).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(GroupsTest, UpdateReplacesMembersAndIsAudited) {
  absl::StatusOr<core::Group> storage =
      Create(admin_, {.name = "Storage", .members = {agent_.id}});
  ASSERT_TRUE(storage.ok());
  absl::StatusOr<core::Group> updated =
      Update(admin_, storage->id,
             {.description = "Disks", .members = std::vector<core::UserId>{second_agent_.id}});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->members, ElementsAre(second_agent_.id));
  EXPECT_THAT(GetGroup(context(), admin_, storage->id)->members, ElementsAre(second_agent_.id));
  EXPECT_EQ(Update(admin_, storage->id, {.triage = true}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Update(admin_, storage->id, {.name = "Triage"}).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Update(admin_, storage->id,
                   {.members = std::vector<core::UserId>{contact_.id}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  const std::vector<EventRow> events = EventsOfKind("group.updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].changes.find("Disks"), std::string::npos);
}

}  // namespace
}  // namespace casedesk::app

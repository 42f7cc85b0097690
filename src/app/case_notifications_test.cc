// Who hears about a case change by mail: customer side for public events, the assignee for a
// customer's reply, never the actor, never someone who may not see the case, never a bouncing
// address, each person once, and a partner's customers from the partner.
#include "app/case_notifications.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "app/mail_templates.h"
#include "app/mail_test_fixture.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class CaseNotificationsTest : public MailTestFixture {
 protected:
  void SetUp() override {
    MailTestFixture::SetUp();
    SetDeskSender("support@help.example.com");
  }

  absl::Status Notify(CaseChangeKind kind, const core::Case& record, core::UserId actor,
                      std::string comment = "", std::string in_reply_to = "") {
    return Write([&](ports::StoreTransaction& txn) {
      CaseChange change{.kind = kind,
                        .record = record,
                        .comment = comment,
                        .actor = actor,
                        .in_reply_to = in_reply_to,
                        .previous_status = core::CaseStatus::kOpen,
                        .previous_severity = core::Severity::kMinor};
      return NotifyCaseChange(context(), txn, change);
    });
  }

  std::vector<core::UserId> Recipients(core::CaseNumber number) {
    std::vector<core::UserId> ids;
    for (const ports::Notification& row : Notifications(number)) ids.push_back(row.recipient_id);
    return ids;
  }

  void MarkBounced(const std::string& address, absl::Time at) {
    ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                  ports::MailAddressState state;
                  state.address = address;
                  state.bounced_at = at;
                  state.bounce_reason = "550 no such user";
                  return txn.PutMailAddressState(state);
                }).ok());
  }

  void UpdateUser(core::UserId id, const std::function<void(core::User&)>& change) {
    ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                  absl::StatusOr<core::User> user = txn.GetUser(id);
                  if (!user.ok()) return user.status();
                  change(*user);
                  return txn.UpdateUser(*user);
                }).ok());
  }
};

TEST_F(CaseNotificationsTest, AStaffReplyReachesRequesterAndFollowersButNotTheActor) {
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full",
                                       {acme_bob_.user.id, agent_.user.id}, agent_.user.id);
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, agent_.user.id, "Freed space.",
                     "in-1@acme.example")
                  .ok());
  const std::vector<ports::Notification> rows = Notifications(record.number);
  EXPECT_THAT(Recipients(record.number),
              UnorderedElementsAre(acme_alice_.user.id, acme_bob_.user.id));
  for (const ports::Notification& row : rows) {
    EXPECT_EQ(row.kind, kMailCaseReply);
    EXPECT_THAT(row.body, HasSubstr("Freed space."));
    EXPECT_THAT(row.body, HasSubstr("agent replied"));
    EXPECT_EQ(row.in_reply_to, "in-1@acme.example");
    EXPECT_EQ(row.from_address, "support@help.example.com");
  }
}

TEST_F(CaseNotificationsTest, ACustomerReplyReachesTheAssigneeOnly) {
  const core::Case assigned =
      InsertCase(acme_, acme_alice_.user.id, "Disk full", {acme_bob_.user.id}, agent_.user.id);
  ASSERT_TRUE(
      Notify(CaseChangeKind::kPublicReply, assigned, acme_alice_.user.id, "Still full").ok());
  EXPECT_THAT(Recipients(assigned.number), UnorderedElementsAre(agent_.user.id));

  const core::Case unassigned = InsertCase(acme_, acme_alice_.user.id, "Printer");
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, unassigned, acme_alice_.user.id, "Hello?").ok());
  EXPECT_TRUE(Recipients(unassigned.number).empty());

  // The assignee replying to their own case hears nothing of it.
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, assigned, agent_.user.id, "On it").ok());
  EXPECT_THAT(Recipients(assigned.number),
              UnorderedElementsAre(agent_.user.id, acme_alice_.user.id, acme_bob_.user.id));
}

TEST_F(CaseNotificationsTest, InternalNotesNotifyNobody) {
  const core::Case record =
      InsertCase(acme_, acme_alice_.user.id, "Disk full", {acme_bob_.user.id}, agent_.user.id);
  ASSERT_TRUE(Notify(CaseChangeKind::kInternalNote, record, admin_.user.id, "secret").ok());
  EXPECT_TRUE(Notifications(record.number).empty());
}

TEST_F(CaseNotificationsTest, OpeningConfirmsToTheRequesterWithTheNumber) {
  const core::Case record =
      InsertCase(acme_, acme_alice_.user.id, "Disk full", {acme_bob_.user.id});
  ASSERT_TRUE(Notify(CaseChangeKind::kOpened, record, acme_alice_.user.id).ok());
  const std::vector<ports::Notification> rows = Notifications(record.number);
  EXPECT_THAT(Recipients(record.number),
              UnorderedElementsAre(acme_alice_.user.id, acme_bob_.user.id));
  for (const ports::Notification& row : rows) {
    EXPECT_EQ(row.kind, kMailCaseOpened);
    EXPECT_THAT(row.body, HasSubstr("#" + std::to_string(record.number)));
    EXPECT_THAT(row.subject, HasSubstr("[Case #" + std::to_string(record.number) + "]"));
  }
}

TEST_F(CaseNotificationsTest, StatusAndSeverityChangesReachTheCustomerSide) {
  core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full", {acme_bob_.user.id});
  record.status = core::CaseStatus::kSolved;
  record.severity = core::Severity::kMajor;
  ASSERT_TRUE(Notify(CaseChangeKind::kStatusChanged, record, agent_.user.id, "Done.").ok());
  ASSERT_TRUE(Notify(CaseChangeKind::kSeverityChanged, record, acme_bob_.user.id).ok());
  std::multiset<std::string> kinds;
  for (const ports::Notification& row : Notifications(record.number)) {
    kinds.insert(row.kind);
    if (row.kind == kMailCaseStatus) {
      EXPECT_THAT(row.body, HasSubstr("from open to solved"));
      EXPECT_THAT(row.body, HasSubstr("Done."));
    } else {
      EXPECT_THAT(row.body, HasSubstr("from 3 to 2"));
      EXPECT_EQ(row.recipient_id, acme_alice_.user.id) << "bob changed it himself";
    }
  }
  EXPECT_EQ(kinds.count(std::string(kMailCaseStatus)), 2u);
  EXPECT_EQ(kinds.count(std::string(kMailCaseSeverity)), 1u);
}

TEST_F(CaseNotificationsTest, NobodyWhoMayNotSeeTheCaseIsNotified) {
  // A security incident is hidden from provider staff without clearance, its assignee included.
  core::Case record = InsertCase(acme_, acme_alice_.user.id, "Breach", {}, agent_.user.id);
  record.security_incident = true;
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, acme_alice_.user.id, "x").ok());
  EXPECT_TRUE(Recipients(record.number).empty());

  UpdateUser(agent_.user.id, [](core::User& user) { user.skills = {"security"}; });
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, acme_alice_.user.id, "x").ok());
  EXPECT_THAT(Recipients(record.number), UnorderedElementsAre(agent_.user.id));
}

TEST_F(CaseNotificationsTest, InactiveAndBouncingAddressesAreSkippedUnverifiedOnesAreNot) {
  const core::Case record =
      InsertCase(acme_, acme_alice_.user.id, "Disk full", {acme_bob_.user.id, acme_admin_.user.id});
  UpdateUser(acme_bob_.user.id, [](core::User& user) { user.active = false; });
  // Verification decides who may open cases by mail; people on a case hear about it either way
  // (a contact created from mail by the domain rule is unverified and must get the replies).
  UpdateUser(acme_admin_.user.id, [](core::User& user) { user.verified = false; });
  MarkBounced(acme_alice_.user.email, clock_.Now() - absl::Hours(24));
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, agent_.user.id, "x").ok());
  EXPECT_THAT(Recipients(record.number), UnorderedElementsAre(acme_admin_.user.id));

  // A bounce older than a week no longer counts.
  MarkBounced(acme_alice_.user.email, clock_.Now() - absl::Hours(24 * 8));
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, agent_.user.id, "x").ok());
  EXPECT_THAT(Recipients(record.number),
              UnorderedElementsAre(acme_admin_.user.id, acme_admin_.user.id, acme_alice_.user.id));
}

TEST_F(CaseNotificationsTest, EachPersonHearsOnce) {
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full",
                                       {acme_alice_.user.id, acme_bob_.user.id, acme_bob_.user.id});
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, agent_.user.id, "x").ok());
  EXPECT_THAT(Recipients(record.number),
              UnorderedElementsAre(acme_alice_.user.id, acme_bob_.user.id));
}

TEST_F(CaseNotificationsTest, APartnersCustomersHearFromThePartnerAndStaffFromTheDesk) {
  SetPartnerSender(partner_, "help@partner.example", "Partner Help", "Partner Ltd");
  const core::Case record =
      InsertCase(partner_customer_, partner_customer_carl_.user.id, "VPN down", {}, agent_.user.id);
  ASSERT_TRUE(Notify(CaseChangeKind::kPublicReply, record, agent_.user.id, "Try again").ok());
  ASSERT_TRUE(
      Notify(CaseChangeKind::kPublicReply, record, partner_customer_carl_.user.id, "No luck").ok());
  const std::vector<ports::Notification> rows = Notifications(record.number);
  ASSERT_EQ(rows.size(), 2u);
  for (const ports::Notification& row : rows) {
    if (row.recipient_id == partner_customer_carl_.user.id) {
      EXPECT_EQ(row.from_address, "help@partner.example");
      EXPECT_THAT(row.body, HasSubstr("Partner Ltd"));
    } else {
      EXPECT_EQ(row.recipient_id, agent_.user.id);
      EXPECT_EQ(row.from_address, "support@help.example.com");
    }
  }
}

}  // namespace
}  // namespace casedesk::app

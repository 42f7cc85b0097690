// The remote access use cases against a real SqliteStore: who may ask, decide and read; the
// credentials kept in the case's sealed secret fields only while the grant is active; the
// expiry sweep that stores each expiry once; closing the case erases the credentials; the mail
// each move queues; no credential value in events or mail. (Named apart from
// core/remote_access_test.cc: test executables are named by file.)
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/mail_templates.h"
#include "app/remote_access.h"
#include "gmock/gmock.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "hunter2-remote";

class RemoteAccessTest : public CaseTestFixture {
 protected:
  absl::StatusOr<RemoteAccessView> Ask(const Caller& caller, core::CaseNumber number,
                                       absl::Duration length = absl::Hours(2)) {
    RemoteAccessInput input;
    input.method = core::RemoteAccessMethod::kSsh;
    input.purpose = "Check the logs";
    input.window_start = clock_.Now();
    input.window_end = clock_.Now() + length;
    return Await<RemoteAccessView>([&](Done<RemoteAccessView> done) {
      RequestRemoteAccess(context(), caller, number, input, std::move(done));
    });
  }
  absl::StatusOr<RemoteAccessView> Grant(const Caller& caller, core::CaseNumber number,
                                         core::RemoteAccessId id,
                                         std::map<std::string, std::string> credentials) {
    return Await<RemoteAccessView>([&](Done<RemoteAccessView> done) {
      GrantRemoteAccess(context(), caller, number, id, credentials, std::move(done));
    });
  }
  absl::StatusOr<RemoteAccessView> Revoke(const Caller& caller, core::CaseNumber number,
                                          core::RemoteAccessId id) {
    return Await<RemoteAccessView>([&](Done<RemoteAccessView> done) {
      RevokeRemoteAccess(context(), caller, number, id, std::move(done));
    });
  }
  std::vector<ports::Notification> Mails(std::string_view kind) {
    std::vector<ports::Notification> mails;
    EXPECT_TRUE(context()
                    .store
                    .Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      auto unsent = txn.ListUnsentNotifications(1000);
                      if (!unsent.ok()) return unsent.status();
                      for (const auto& mail : *unsent) {
                        if (mail.kind == kind) mails.push_back(mail);
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return mails;
  }
  std::vector<std::string> SecretNames(core::CaseNumber number) {
    absl::StatusOr<SecretFields> secrets =
        UnsealSecretFields(context().crypto, Stored(number).sealed_secrets);
    EXPECT_TRUE(secrets.ok());
    std::vector<std::string> names;
    for (const auto& [name, value] : *secrets) names.push_back(name);
    return names;
  }
  std::string EventText(core::CaseNumber number) {
    std::string text;
    for (const core::AuditEvent& event : StoredEvents(number)) {
      text += event.kind + " " + event.reason;
      for (const auto& change : event.changes) {
        text += " " + change.field + "=" + change.before + ">" + change.after;
      }
      text += "\n";
    }
    return text;
  }
};

TEST_F(RemoteAccessTest, StaffAskTheCustomerSideDecidesAndStaffReadWhileActive) {
  const core::Case c = MustOpen(acme_alice_, Request("Recogniser down"));
  EXPECT_EQ(Ask(acme_alice_, c.number).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Ask(globex_gina_, c.number).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<RemoteAccessView> asked = Ask(agent_, c.number);
  ASSERT_TRUE(asked.ok()) << asked.status();
  const core::RemoteAccessId id = asked->record.id;
  EXPECT_EQ(asked->status, core::RemoteAccessStatus::kRequested);
  // The requester and the organisation's admin are asked, by mail.
  EXPECT_EQ(Mails(kMailRemoteAccessRequested).size(), 2u);

  // A colleague outside the case cannot see it; the agent may not grant.
  EXPECT_EQ(Grant(acme_bob_, c.number, id, {}).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Grant(agent_, c.number, id, {}).status().code(), absl::StatusCode::kPermissionDenied);
  absl::StatusOr<RemoteAccessView> granted =
      Grant(acme_alice_, c.number, id, {{"host", "db1"}, {"password", kPassword}});
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_EQ(granted->status, core::RemoteAccessStatus::kGranted);
  EXPECT_TRUE(granted->active);
  EXPECT_THAT(SecretNames(c.number),
              ::testing::ElementsAre(core::RemoteAccessSecretName(id, "host"),
                                     core::RemoteAccessSecretName(id, "password")));

  absl::StatusOr<RemoteAccessCredentials> read =
      ReadRemoteAccessCredentials(context(), agent_, c.number, id);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->values.at("password"), kPassword);
  EXPECT_TRUE(ReadRemoteAccessCredentials(context(), acme_alice_, c.number, id).ok());
  EXPECT_EQ(ReadRemoteAccessCredentials(context(), acme_admin_, c.number, id).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReadRemoteAccessCredentials(context(), globex_gina_, c.number, id).status().code(),
            absl::StatusCode::kNotFound);

  absl::StatusOr<RemoteAccessView> revoked = Revoke(acme_admin_, c.number, id);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_EQ(revoked->status, core::RemoteAccessStatus::kRevoked);
  EXPECT_TRUE(SecretNames(c.number).empty());
  EXPECT_EQ(ReadRemoteAccessCredentials(context(), agent_, c.number, id).status().code(),
            absl::StatusCode::kFailedPrecondition);
  const std::string events = EventText(c.number);
  EXPECT_THAT(events, HasSubstr("remote_access.granted"));
  EXPECT_THAT(events, HasSubstr("credential_fields=>host,password"));
  EXPECT_THAT(events, HasSubstr("case.secrets_erased remote access revoked"));
  EXPECT_THAT(events, Not(HasSubstr(kPassword)));
}

TEST_F(RemoteAccessTest, PartnerAgentsDecideForTheirCustomers) {
  const core::Case c = MustOpen(partner_customer_carl_, Request("Partner case"));
  absl::StatusOr<RemoteAccessView> asked = Ask(agent_, c.number);
  ASSERT_TRUE(asked.ok()) << asked.status();
  absl::StatusOr<RemoteAccessView> granted = Grant(partner_agent_, c.number, asked->record.id, {});
  ASSERT_TRUE(granted.ok()) << granted.status();
  EXPECT_TRUE(granted->record.credential_fields.empty());
  EXPECT_EQ(
      ReadRemoteAccessCredentials(context(), agent_, c.number, asked->record.id).status().code(),
      absl::StatusCode::kNotFound);
}

TEST_F(RemoteAccessTest, TheSweepExpiresAGrantOnceAndErasesItsCredentials) {
  const core::Case c = MustOpen(acme_alice_, Request("Short window"));
  absl::StatusOr<RemoteAccessView> asked = Ask(agent_, c.number, absl::Minutes(30));
  ASSERT_TRUE(asked.ok());
  const core::RemoteAccessId id = asked->record.id;
  ASSERT_TRUE(Grant(acme_alice_, c.number, id, {{"password", kPassword}}).ok());
  EXPECT_EQ(*ExpireEndedRemoteAccess(context(), clock_.Now()), 0);

  clock_.Advance(absl::Minutes(31));
  // Readers see the end before the sweep stores it.
  absl::StatusOr<RemoteAccessView> seen = GetRemoteAccess(context(), acme_alice_, c.number, id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->status, core::RemoteAccessStatus::kExpired);
  EXPECT_FALSE(seen->can_revoke);
  EXPECT_EQ(ReadRemoteAccessCredentials(context(), agent_, c.number, id).status().code(),
            absl::StatusCode::kFailedPrecondition);

  EXPECT_EQ(*ExpireEndedRemoteAccess(context(), clock_.Now()), 1);
  EXPECT_EQ(*ExpireEndedRemoteAccess(context(), clock_.Now()), 0);
  EXPECT_TRUE(SecretNames(c.number).empty());
  int expired_events = 0;
  int erased_events = 0;
  for (const core::AuditEvent& event : StoredEvents(c.number)) {
    if (event.kind == kRemoteAccessExpired) {
      ++expired_events;
      EXPECT_EQ(event.at, asked->record.window_end);  // dated at the window's end
    }
    if (event.kind == kCaseSecretsErased) ++erased_events;
  }
  EXPECT_EQ(expired_events, 1);
  EXPECT_EQ(erased_events, 1);
}

TEST_F(RemoteAccessTest, AnUndecidedRequestLapsesAtTheWindowsEnd) {
  const core::Case c = MustOpen(acme_alice_, Request("Nobody answered"));
  absl::StatusOr<RemoteAccessView> asked = Ask(agent_, c.number, absl::Minutes(10));
  ASSERT_TRUE(asked.ok());
  clock_.Advance(absl::Minutes(11));
  EXPECT_EQ(Grant(acme_alice_, c.number, asked->record.id, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(*ExpireEndedRemoteAccess(context(), clock_.Now()), 1);
}

TEST_F(RemoteAccessTest, ClosingTheCaseErasesTheCredentials) {
  const core::Case c = MustOpen(acme_alice_, Request("Closing"));
  absl::StatusOr<RemoteAccessView> asked = Ask(agent_, c.number);
  ASSERT_TRUE(asked.ok());
  ASSERT_TRUE(Grant(acme_alice_, c.number, asked->record.id, {{"password", kPassword}}).ok());
  for (core::CaseStatus status : {core::CaseStatus::kSolved, core::CaseStatus::kClosed}) {
    UpdateCaseRequest move;
    move.status = status;
    ASSERT_TRUE(Await<CaseView>([&](Done<CaseView> done) {
                  UpdateCase(context(), agent_, c.number, move, std::move(done));
                }).ok());
  }
  EXPECT_TRUE(SecretNames(c.number).empty());
  EXPECT_EQ(
      ReadRemoteAccessCredentials(context(), agent_, c.number, asked->record.id).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Ask(agent_, c.number).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(RemoteAccessTest, DecisionsMailTheAssigneeWithoutCredentials) {
  const core::Case c = MustOpen(acme_alice_, Request("Mail"));
  UpdateCaseRequest assign;
  assign.assignee_id = std::optional<core::UserId>(admin_.viewer.user_id);
  ASSERT_TRUE(Await<CaseView>([&](Done<CaseView> done) {
                UpdateCase(context(), agent_, c.number, assign, std::move(done));
              }).ok());
  absl::StatusOr<RemoteAccessView> asked = Ask(agent_, c.number);
  ASSERT_TRUE(asked.ok());
  ASSERT_TRUE(Grant(acme_alice_, c.number, asked->record.id, {{"password", kPassword}}).ok());
  const std::vector<ports::Notification> decisions = Mails(kMailRemoteAccessDecision);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].recipient_id, admin_.viewer.user_id);
  EXPECT_THAT(decisions[0].subject, HasSubstr("Remote access granted"));
  EXPECT_THAT(decisions[0].body, Not(HasSubstr(kPassword)));
}

}  // namespace
}  // namespace casedesk::app

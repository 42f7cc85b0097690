// FanOutStatusNotices against a real SqliteStore: one mail per recipient who wants the event
// (verified users unless opted out or narrowed to other components, confirmed visitors), each
// with its own one-click unsubscribe headers, a signed delivery per webhook, and a fan-out cut
// short mid-way that resumes where it stopped without mailing anybody twice.
#include "app/status_notices.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "absl/strings/escaping.h"
#include "app/mail_templates.h"
#include "app/status_test_fixture.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAreArray;

class StatusNoticesTest : public StatusTestFixture {
 protected:
  void SetUp() override {
    StatusTestFixture::SetUp();
    api_ = MustComponent("API");
    db_ = MustComponent("Database");
  }

  // A visitor subscribed to `components`; confirmed unless told otherwise.
  int64_t AddVisitor(const std::string& address, std::vector<core::ComponentId> components,
                     bool confirmed = true, bool unsubscribed = false) {
    ports::StatusSubscriber visitor;
    visitor.address = address;
    visitor.component_ids = std::move(components);
    visitor.created_at = clock_.Now();
    if (confirmed) visitor.confirmed_at = clock_.Now();
    if (unsubscribed) visitor.unsubscribed_at = clock_.Now();
    int64_t id = 0;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                  absl::StatusOr<int64_t> inserted = txn.InsertStatusSubscriber(visitor);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  void SetPreference(const Caller& caller, bool subscribed,
                     std::vector<core::ComponentId> components) {
    absl::StatusOr<MyStatusSubscription> set =
        Await<MyStatusSubscription>([&](Done<MyStatusSubscription> done) {
          SetMyStatusSubscription(context(), caller, subscribed, std::move(components),
                                  std::move(done));
        });
    ASSERT_TRUE(set.ok()) << set.status();
  }

  // Every verified, active user of the seeded desk.
  std::vector<const Caller*> SeededUsers() {
    return {&agent_,      &admin_,         &acme_alice_,
            &acme_bob_,   &acme_admin_,    &globex_gina_,
            &globex_gus_, &partner_agent_, &partner_customer_carl_};
  }

  std::vector<std::string> Recipients() {
    std::vector<std::string> addresses;
    for (const ports::Notification& mail : Outbox(kMailStatusNotice)) {
      addresses.push_back(mail.recipient_email);
    }
    return addresses;
  }

  core::StatusComponent api_, db_;
};

TEST_F(StatusNoticesTest, EveryoneWhoWantsTheEventGetsOneMail) {
  const Caller unverified = AddUser("unverified", /*verified=*/false);
  const Caller inactive = AddUser("inactive", /*verified=*/true, /*active=*/false);
  SetPreference(acme_bob_, /*subscribed=*/false, {});          // opted out
  SetPreference(globex_gina_, /*subscribed=*/true, {db_.id});  // other component
  SetPreference(globex_gus_, /*subscribed=*/true, {api_.id});  // this component
  AddVisitor("confirmed@visitor.example", {});
  AddVisitor("api-fan@visitor.example", {api_.id, db_.id});
  AddVisitor("db-fan@visitor.example", {db_.id});
  AddVisitor("unconfirmed@visitor.example", {}, /*confirmed=*/false);
  AddVisitor("gone@visitor.example", {}, /*confirmed=*/true, /*unsubscribed=*/true);

  const IncidentView incident =
      MustOpenEvent(Incident("API errors", {api_.id}, core::ComponentStatus::kPartialOutage));
  EXPECT_THAT(Outbox(kMailStatusNotice), IsEmpty());  // the worker sends, not the update

  absl::StatusOr<StatusNoticeReport> report = FanOut();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->notices, 1);

  std::vector<std::string> expected;
  for (const Caller* user : SeededUsers()) {
    if (user != &acme_bob_ && user != &globex_gina_) expected.push_back(user->user.email);
  }
  expected.push_back("confirmed@visitor.example");
  expected.push_back("api-fan@visitor.example");
  EXPECT_THAT(Recipients(), UnorderedElementsAreArray(expected));
  EXPECT_EQ(report->queued, static_cast<int64_t>(expected.size()));
  (void)unverified;
  (void)inactive;

  // Each mail is about the update and carries its recipient's own unsubscribe link.
  std::set<std::string> links;
  for (const ports::Notification& mail : Outbox(kMailStatusNotice)) {
    EXPECT_THAT(mail.subject, HasSubstr("API errors"));
    EXPECT_THAT(mail.body, HasSubstr("We are looking into it."));
    EXPECT_THAT(mail.body, HasSubstr("/status/incidents/" + std::to_string(incident.incident.id)));
    EXPECT_THAT(mail.extra_headers, HasSubstr("List-Unsubscribe: <"));
    EXPECT_THAT(mail.extra_headers,
                HasSubstr("List-Unsubscribe-Post: List-Unsubscribe=One-Click\n"));
    const size_t start = mail.extra_headers.find("token=");
    const size_t end = mail.extra_headers.find('>', start);
    ASSERT_NE(start, std::string::npos);
    ASSERT_NE(end, std::string::npos);
    const std::string token = mail.extra_headers.substr(start + 6, end - start - 6);
    absl::StatusOr<StatusTokenSubject> subject =
        CheckStatusToken(*crypto_, StatusTokenPurpose::kUnsubscribe, token);
    ASSERT_TRUE(subject.ok()) << mail.extra_headers;
    if (mail.recipient_id != 0) {
      EXPECT_TRUE(subject->user);
      EXPECT_EQ(subject->id, mail.recipient_id);
    } else {
      EXPECT_FALSE(subject->user);
    }
    links.insert(token);
  }
  EXPECT_EQ(links.size(), expected.size());

  // Nothing is left to do.
  report = FanOut();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->notices, 0);
  EXPECT_EQ(Recipients().size(), expected.size());
}

TEST_F(StatusNoticesTest, AnUpdateWithoutNotifyMailsNobody) {
  NewIncident request = Incident("Quiet fix", {api_.id});
  request.notify = false;
  const IncidentView incident = MustOpenEvent(request);
  IncidentUpdateRequest update = Update(core::IncidentStatus::kResolved, "Fixed.", std::nullopt);
  update.notify = false;
  ASSERT_TRUE(Post(agent_, incident.incident.id, update).ok());
  absl::StatusOr<StatusNoticeReport> report = FanOut();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->notices, 0);
  EXPECT_THAT(Outbox(kMailStatusNotice), IsEmpty());
}

TEST_F(StatusNoticesTest, WebhooksGetASignedDelivery) {
  NewStatusWebhook hook;
  hook.url = "https://hooks.example.net/status";
  absl::StatusOr<StatusWebhookCreated> created =
      Await<StatusWebhookCreated>([&](Done<StatusWebhookCreated> done) {
        AddStatusWebhook(context(), admin_.viewer, hook, std::move(done));
      });
  ASSERT_TRUE(created.ok()) << created.status();
  NewStatusWebhook narrow;
  narrow.url = "https://hooks.example.net/db-only";
  narrow.component_ids = {db_.id};
  ASSERT_TRUE(Await<StatusWebhookCreated>([&](Done<StatusWebhookCreated> done) {
                AddStatusWebhook(context(), admin_.viewer, narrow, std::move(done));
              }).ok());

  MustOpenEvent(Incident("API errors", {api_.id}));
  ASSERT_TRUE(FanOut().ok());
  const std::vector<ports::Notification> deliveries = Outbox(kStatusWebhookKind);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].recipient_email, "https://hooks.example.net/status");
  const nlohmann::json payload = nlohmann::json::parse(deliveries[0].body);
  EXPECT_EQ(payload["incident"]["name"], "API errors");
  EXPECT_EQ(payload["incident"]["update"]["body"], "We are looking into it.");
  const std::string signature =
      absl::BytesToHexString(crypto_->HmacSha256(created->secret, deliveries[0].body));
  EXPECT_EQ(deliveries[0].extra_headers, "X-Casedesk-Signature: sha256=" + signature + "\n");
}

TEST_F(StatusNoticesTest, AFanOutCutShortResumesWithoutMailingAnybodyTwice) {
  AddVisitor("one@visitor.example", {});
  AddVisitor("two@visitor.example", {});
  AddVisitor("three@visitor.example", {});
  MustOpenEvent(Incident("API errors", {api_.id}));

  // The node stops after its first chunk of two (as a crash after that commit would).
  std::atomic<bool> stopping{false};
  context().outbox_changed = [&stopping] { stopping = true; };
  absl::StatusOr<StatusNoticeReport> first = FanOut(/*chunk=*/2, &stopping);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->notices, 0);
  EXPECT_EQ(first->queued, 2);
  EXPECT_EQ(Recipients().size(), 2u);

  // Its lease still holds: another node finds nothing to take.
  stopping = false;
  context().outbox_changed = nullptr;
  absl::StatusOr<StatusNoticeReport> blocked = FanOut(2);
  ASSERT_TRUE(blocked.ok()) << blocked.status();
  EXPECT_EQ(blocked->queued, 0);

  // Once the lease ran out, the rest is done from where it stopped.
  clock_.Advance(StatusNoticeOptions{}.lease + absl::Seconds(1));
  absl::StatusOr<StatusNoticeReport> second = FanOut(2);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->notices, 1);

  std::vector<std::string> expected;
  for (const Caller* user : SeededUsers()) expected.push_back(user->user.email);
  expected.insert(expected.end(),
                  {"one@visitor.example", "two@visitor.example", "three@visitor.example"});
  EXPECT_THAT(Recipients(), UnorderedElementsAreArray(expected));
  EXPECT_EQ(first->queued + second->queued, static_cast<int64_t>(expected.size()));
}

// A user who also subscribed on the public page with the same address gets one mail.
TEST_F(StatusNoticesTest, AUserWhoAlsoSubscribedAsAVisitorIsMailedOnce) {
  // Alice uses the public form with her own address and confirms it.
  ASSERT_TRUE(Await<bool>([&](Done<bool> done) {
                SubscribeVisitor(context(), acme_alice_.user.email, {}, std::move(done));
              }).ok());
  const std::optional<ports::StatusSubscriber> row =
      FromStore<std::optional<ports::StatusSubscriber>>([&](ports::StoreTransaction& txn) {
        return txn.FindStatusSubscriberByAddress(ports::SubscriberKind::kEmail,
                                                 acme_alice_.user.email);
      });
  ASSERT_TRUE(row.has_value());
  ASSERT_TRUE(Await<ports::StatusSubscriber>([&](Done<ports::StatusSubscriber> done) {
                ConfirmVisitor(
                    context(),
                    MakeStatusToken(*crypto_, StatusTokenPurpose::kConfirm, {false, row->id}),
                    std::move(done));
              }).ok());
  MustOpenEvent(Incident("API errors", {api_.id}));
  ASSERT_TRUE(FanOut().ok());
  int to_alice = 0;
  for (const std::string& address : Recipients()) to_alice += address == acme_alice_.user.email;
  EXPECT_EQ(to_alice, 1);
}

TEST_F(StatusNoticesTest, EachUpdateIsItsOwnNotice) {
  const IncidentView incident = MustOpenEvent(Incident("API errors", {api_.id}));
  clock_.Advance(absl::Minutes(5));
  ASSERT_TRUE(
      Post(agent_, incident.incident.id, Update(core::IncidentStatus::kResolved, "Fixed.")).ok());
  absl::StatusOr<StatusNoticeReport> report = FanOut();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->notices, 2);
  std::map<std::string, int> per_recipient;
  for (const ports::Notification& mail : Outbox(kMailStatusNotice)) {
    ++per_recipient[mail.recipient_email];
  }
  EXPECT_EQ(per_recipient.size(), SeededUsers().size());
  for (const auto& [address, count] : per_recipient) EXPECT_EQ(count, 2) << address;
}

}  // namespace
}  // namespace casedesk::app

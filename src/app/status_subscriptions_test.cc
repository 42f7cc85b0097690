// Who hears about incidents: the signed link tokens, a visitor's double opt-in and unsubscribe,
// a user's own preferences, and admins' webhooks, through the use cases against a real
// SqliteStore and the real crypto.
#include "app/status_subscriptions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/mail_templates.h"
#include "app/status_test_fixture.h"

namespace casedesk::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class StatusSubscriptionsTest : public StatusTestFixture {
 protected:
  absl::StatusOr<bool> Subscribe(std::string email, std::vector<core::ComponentId> ids = {}) {
    return Await<bool>([&](Done<bool> done) {
      SubscribeVisitor(context(), std::move(email), std::move(ids), std::move(done));
    });
  }
  absl::StatusOr<ports::StatusSubscriber> Confirm(std::string token) {
    return Await<ports::StatusSubscriber>([&](Done<ports::StatusSubscriber> done) {
      ConfirmVisitor(context(), std::move(token), std::move(done));
    });
  }
  absl::StatusOr<bool> Unsubscribe(std::string token) {
    return Await<bool>(
        [&](Done<bool> done) { UnsubscribeByToken(context(), std::move(token), std::move(done)); });
  }
  std::optional<ports::StatusSubscriber> Visitor(const std::string& address) {
    return FromStore<std::optional<ports::StatusSubscriber>>([&](ports::StoreTransaction& txn) {
      return txn.FindStatusSubscriberByAddress(ports::SubscriberKind::kEmail, address);
    });
  }
  std::string Token(StatusTokenPurpose purpose, bool user, int64_t id) {
    return MakeStatusToken(*crypto_, purpose, {user, id});
  }
};

TEST_F(StatusSubscriptionsTest, TokensRoundTripForTheirPurposeOnly) {
  for (const bool user : {true, false}) {
    for (const StatusTokenPurpose purpose :
         {StatusTokenPurpose::kConfirm, StatusTokenPurpose::kUnsubscribe}) {
      const std::string token = Token(purpose, user, 42);
      absl::StatusOr<StatusTokenSubject> subject = CheckStatusToken(*crypto_, purpose, token);
      ASSERT_TRUE(subject.ok()) << token << ": " << subject.status();
      EXPECT_EQ(subject->user, user);
      EXPECT_EQ(subject->id, 42);
      const StatusTokenPurpose other = purpose == StatusTokenPurpose::kConfirm
                                           ? StatusTokenPurpose::kUnsubscribe
                                           : StatusTokenPurpose::kConfirm;
      EXPECT_TRUE(absl::IsInvalidArgument(CheckStatusToken(*crypto_, other, token).status()))
          << "a " << token << " token must not serve the other purpose";
    }
  }
}

TEST_F(StatusSubscriptionsTest, ForgedAndMalformedTokensAreRefused) {
  const std::string good = Token(StatusTokenPurpose::kUnsubscribe, true, 7);
  const std::string mac = good.substr(good.find('.') + 1);
  std::string flipped = good;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  auto other_key = adapters::crypto::SodiumCrypto::Create(std::string(32, 'z'));
  ASSERT_TRUE(other_key.ok());
  const std::vector<std::pair<std::string, std::string>> forged = {
      {"empty", ""},
      {"no mac", "u7"},
      {"empty mac", "u7."},
      {"mac of another subject", "u8." + mac},
      {"user mac on a subscriber", "s7." + mac},
      {"changed mac", flipped},
      {"short mac", good.substr(0, good.size() - 2)},
      {"unknown kind", "x7." + mac},
      {"id zero", "u0." + mac},
      {"negative id", "u-7." + mac},
      {"not a number", "uabc." + mac},
      {"another desk's key",
       MakeStatusToken(**other_key, StatusTokenPurpose::kUnsubscribe, {true, 7})},
  };
  for (const auto& [name, token] : forged) {
    EXPECT_TRUE(absl::IsInvalidArgument(
        CheckStatusToken(*crypto_, StatusTokenPurpose::kUnsubscribe, token).status()))
        << name << ": " << token;
  }
  EXPECT_TRUE(CheckStatusToken(*crypto_, StatusTokenPurpose::kUnsubscribe, good).ok());
}

TEST_F(StatusSubscriptionsTest, AVisitorConfirmsThenUnsubscribes) {
  const core::StatusComponent api = MustComponent("API");
  absl::StatusOr<bool> subscribed = Subscribe("Visitor@Example.org", {api.id, api.id});
  ASSERT_TRUE(subscribed.ok()) << subscribed.status();

  std::optional<ports::StatusSubscriber> row = Visitor("visitor@example.org");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->kind, ports::SubscriberKind::kEmail);
  EXPECT_EQ(row->user_id, 0);
  EXPECT_THAT(row->component_ids, ElementsAre(api.id));  // without repeats
  EXPECT_FALSE(row->confirmed_at.has_value());

  // The confirmation mail carries the signed link.
  const std::vector<ports::Notification> mails = Outbox(kMailStatusConfirm);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].recipient_email, "visitor@example.org");
  EXPECT_EQ(mails[0].recipient_id, 0);
  const std::string token = Token(StatusTokenPurpose::kConfirm, false, row->id);
  EXPECT_THAT(mails[0].body, HasSubstr(context().public_url + "/status/confirm?token=" + token));

  clock_.Advance(absl::Minutes(3));
  absl::StatusOr<ports::StatusSubscriber> confirmed = Confirm(token);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->confirmed_at, clock_.Now());
  const absl::Time confirmed_at = clock_.Now();
  clock_.Advance(absl::Minutes(1));
  confirmed = Confirm(token);  // again is harmless
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(confirmed->confirmed_at, confirmed_at);

  // Subscribing again while confirmed only takes the new choice: no second mail.
  ASSERT_TRUE(Subscribe("visitor@example.org").ok());
  EXPECT_EQ(Outbox(kMailStatusConfirm).size(), 1u);
  row = Visitor("visitor@example.org");
  ASSERT_TRUE(row.has_value());
  EXPECT_THAT(row->component_ids, IsEmpty());
  EXPECT_EQ(row->confirmed_at, confirmed_at);

  // A confirmation token is no unsubscribe token.
  EXPECT_TRUE(absl::IsInvalidArgument(Unsubscribe(token).status()));
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(Unsubscribe(Token(StatusTokenPurpose::kUnsubscribe, false, row->id)).ok());
  row = Visitor("visitor@example.org");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->unsubscribed_at, clock_.Now());
  EXPECT_TRUE(Unsubscribe(Token(StatusTokenPurpose::kUnsubscribe, false, row->id)).ok());

  // Subscribing after unsubscribing starts the double opt-in again.
  ASSERT_TRUE(Subscribe("visitor@example.org").ok());
  row = Visitor("visitor@example.org");
  ASSERT_TRUE(row.has_value());
  EXPECT_FALSE(row->confirmed_at.has_value());
  EXPECT_FALSE(row->unsubscribed_at.has_value());
  EXPECT_EQ(Outbox(kMailStatusConfirm).size(), 2u);
}

TEST_F(StatusSubscriptionsTest, BadSubscriptionsAndLinksAreRefused) {
  EXPECT_TRUE(absl::IsInvalidArgument(Subscribe("not an address").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(Subscribe("someone@example.org", {999}).status()));
  EXPECT_FALSE(Visitor("someone@example.org").has_value());
  EXPECT_THAT(Outbox(kMailStatusConfirm), IsEmpty());

  // A user's token confirms nothing; a subscriber that does not exist is not found.
  EXPECT_TRUE(absl::IsInvalidArgument(
      Confirm(Token(StatusTokenPurpose::kConfirm, true, acme_alice_.user.id)).status()));
  EXPECT_TRUE(absl::IsNotFound(Confirm(Token(StatusTokenPurpose::kConfirm, false, 999)).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(Confirm("s1.0000").status()));
}

TEST_F(StatusSubscriptionsTest, AUsersUnsubscribeLinkOptsThemOut) {
  absl::StatusOr<MyStatusSubscription> mine = GetMyStatusSubscription(context(), acme_alice_);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_TRUE(mine->eligible);
  EXPECT_TRUE(mine->subscribed);

  ASSERT_TRUE(Unsubscribe(Token(StatusTokenPurpose::kUnsubscribe, true, acme_alice_.user.id)).ok());
  mine = GetMyStatusSubscription(context(), acme_alice_);
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE(mine->subscribed);
  // Again is harmless.
  EXPECT_TRUE(Unsubscribe(Token(StatusTokenPurpose::kUnsubscribe, true, acme_alice_.user.id)).ok());

  // The user subscribes again, narrowed to one component.
  const core::StatusComponent api = MustComponent("API");
  mine = Await<MyStatusSubscription>([&](Done<MyStatusSubscription> done) {
    SetMyStatusSubscription(context(), acme_alice_, true, {api.id}, std::move(done));
  });
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_TRUE(mine->subscribed);
  EXPECT_THAT(mine->component_ids, ElementsAre(api.id));
  mine = Await<MyStatusSubscription>([&](Done<MyStatusSubscription> done) {
    SetMyStatusSubscription(context(), acme_alice_, true, {999}, std::move(done));
  });
  EXPECT_TRUE(absl::IsInvalidArgument(mine.status())) << mine.status();

  // Users' preferences are not visitors: admins do not list them.
  absl::StatusOr<std::vector<ports::StatusSubscriber>> listed =
      ListStatusSubscribers(context(), admin_.viewer, 0, 50);
  ASSERT_TRUE(listed.ok());
  EXPECT_THAT(*listed, IsEmpty());
}

TEST_F(StatusSubscriptionsTest, AdminsManageWebhooksAndVisitors) {
  NewStatusWebhook webhook;
  webhook.url = "https://hooks.example.net/status";
  auto add = [&](const Caller& caller, NewStatusWebhook request) {
    return Await<StatusWebhookCreated>([&](Done<StatusWebhookCreated> done) {
      AddStatusWebhook(context(), caller.viewer, std::move(request), std::move(done));
    });
  };
  absl::StatusOr<StatusWebhookCreated> created = add(admin_, webhook);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->subscriber.kind, ports::SubscriberKind::kWebhook);
  EXPECT_TRUE(created->subscriber.confirmed_at.has_value());
  EXPECT_EQ(created->secret, StatusWebhookSecret(*crypto_, created->subscriber.id));
  EXPECT_NE(created->secret, StatusWebhookSecret(*crypto_, created->subscriber.id + 1));
  EXPECT_TRUE(absl::IsAlreadyExists(add(admin_, webhook).status()));
  EXPECT_TRUE(absl::IsNotFound(add(agent_, webhook).status()));
  for (const char* url :
       {"http://hooks.example.net/status", "ftp://x", "https://", "https://a b"}) {
    NewStatusWebhook bad;
    bad.url = url;
    EXPECT_TRUE(absl::IsInvalidArgument(add(admin_, bad).status())) << url;
  }
  NewStatusWebhook local;
  local.url = "http://127.0.0.1:9000/hook";
  EXPECT_TRUE(add(admin_, local).ok());

  ASSERT_TRUE(Subscribe("visitor@example.org").ok());
  absl::StatusOr<std::vector<ports::StatusSubscriber>> listed =
      ListStatusSubscribers(context(), admin_.viewer, 0, 50);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 3u);
  EXPECT_TRUE(absl::IsNotFound(ListStatusSubscribers(context(), agent_.viewer, 0, 50).status()));
  // Keyset paging.
  absl::StatusOr<std::vector<ports::StatusSubscriber>> rest =
      ListStatusSubscribers(context(), admin_.viewer, (*listed)[0].id, 50);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->size(), 2u);

  auto remove = [&](const Caller& caller, int64_t id) {
    return Await<bool>([&](Done<bool> done) {
      RemoveStatusSubscriber(context(), caller.viewer, id, std::move(done));
    });
  };
  EXPECT_TRUE(absl::IsNotFound(remove(agent_, created->subscriber.id).status()));
  ASSERT_TRUE(remove(admin_, created->subscriber.id).ok());
  EXPECT_TRUE(remove(admin_, created->subscriber.id).ok());  // again is harmless
  EXPECT_TRUE(absl::IsNotFound(remove(admin_, 999).status()));
  const ports::StatusSubscriber removed =
      FromStore<ports::StatusSubscriber>([&](ports::StoreTransaction& txn) {
        return txn.GetStatusSubscriber(created->subscriber.id);
      });
  EXPECT_TRUE(removed.unsubscribed_at.has_value());
}

TEST(StatusWantsEventTest, EmptyListsMeanEverything) {
  struct Case {
    std::vector<core::ComponentId> wanted, affected;
    bool wants;
  };
  const std::vector<Case> cases = {
      {{}, {}, true},      {{}, {1}, true},        {{1}, {}, true},
      {{1}, {1, 2}, true}, {{3, 2}, {1, 2}, true}, {{3}, {1, 2}, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(WantsEvent(c.wanted, c.affected), c.wants)
        << ::testing::PrintToString(c.wanted) << " vs " << ::testing::PrintToString(c.affected);
  }
}

}  // namespace
}  // namespace casedesk::app

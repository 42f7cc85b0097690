// OutboxDelivery and OutboxWorker against a real SqliteStore with a scripted MailSender and
// WebhookSender (the real SMTP and HTTP paths are tested in adapters/smtp, adapters/webhook and
// end to end): what is sent, retries with backoff, giving up, webhook rows beside mail, missing
// senders, leases between two deliverers, and the worker thread.
#include "app/outbox_delivery.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <mutex>

#include "absl/strings/str_replace.h"
#include "app/mail_templates.h"
#include "app/mail_test_fixture.h"
#include "app/outbox.h"
#include "app/status_notices.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Records every message; answers with scripted results (OK once the script runs out). A hook
// runs inside Send, before it answers.
class ScriptedSender : public ports::MailSender {
 public:
  absl::Status Send(const ports::OutgoingMail& mail) override {
    std::function<void()> hook;
    absl::Status result;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sent_.push_back(mail);
      if (!script_.empty()) {
        result = script_.front();
        script_.pop_front();
      }
      hook = hook_;
    }
    if (hook) hook();
    return result;
  }

  void Script(std::vector<absl::Status> results) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.assign(results.begin(), results.end());
  }
  void SetHook(std::function<void()> hook) {
    std::lock_guard<std::mutex> lock(mutex_);
    hook_ = std::move(hook);
  }
  std::vector<ports::OutgoingMail> sent() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sent_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<absl::Status> script_;
  std::vector<ports::OutgoingMail> sent_;
  std::function<void()> hook_;
};

// Records every request; answers with scripted results (OK once the script runs out).
class ScriptedWebhookSender : public ports::WebhookSender {
 public:
  absl::Status Post(const ports::WebhookRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    posted_.push_back(request);
    if (script_.empty()) return absl::OkStatus();
    absl::Status result = script_.front();
    script_.pop_front();
    return result;
  }

  void Script(std::vector<absl::Status> results) {
    std::lock_guard<std::mutex> lock(mutex_);
    script_.assign(results.begin(), results.end());
  }
  std::vector<ports::WebhookRequest> posted() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return posted_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<absl::Status> script_;
  std::vector<ports::WebhookRequest> posted_;
};

class OutboxDeliveryTest : public MailTestFixture {
 protected:
  void SetUp() override {
    MailTestFixture::SetUp();
    SetDeskSender("support@help.example.com", "Example Support", "reply.example.com");
    record_ = InsertCase(acme_, acme_alice_.user.id, "Disk full");
  }

  int64_t QueueOne(const Caller& to, std::string comment = "Fixed.") {
    int64_t id = 0;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                  MailRequest request;
                  request.kind = std::string(kMailCaseReply);
                  request.recipient_id = to.user.id;
                  request.recipient_email = to.user.email;
                  request.case_number = record_.number;
                  request.values = {{"author_name", "Agent"}, {"comment", comment}};
                  absl::StatusOr<int64_t> queued = QueueMail(context(), txn, request);
                  if (!queued.ok()) return queued.status();
                  id = *queued;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  // A status-page webhook delivery as status_notices.cc queues it.
  int64_t QueueWebhook(const std::string& url, const std::string& body) {
    int64_t id = 0;
    EXPECT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                  ports::Notification row;
                  row.kind = std::string(kStatusWebhookKind);
                  row.recipient_email = url;
                  row.subject = "Database outage";
                  row.body = body;
                  row.created_at = clock_.Now();
                  row.message_id = "webhook-" + std::to_string(++webhooks_queued_);
                  row.extra_headers = "X-Casedesk-Signature: sha256=0a1b2c\nX-Second:  two  \n";
                  absl::StatusOr<int64_t> inserted = txn.InsertNotification(row);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  ports::Notification Row(int64_t id) {
    ports::Notification row;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<ports::Notification> loaded = txn.GetNotification(id);
                      if (!loaded.ok()) return loaded.status();
                      row = *std::move(loaded);
                      return absl::OkStatus();
                    })
                    .ok());
    return row;
  }

  DeliveryReport Deliver(OutboxDelivery& delivery, absl::Time now) {
    absl::StatusOr<DeliveryReport> report = delivery.DeliverDue(now);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : DeliveryReport{};
  }

  core::Case record_;
  ScriptedSender sender_;
  ScriptedWebhookSender hooks_;
  int webhooks_queued_ = 0;
};

TEST_F(OutboxDeliveryTest, DeliversEachDueNotificationOnceAsComposedMail) {
  const int64_t first = QueueOne(acme_alice_);
  const int64_t second = QueueOne(acme_bob_);
  OutboxDelivery delivery(context(), sender_);
  const DeliveryReport report = Deliver(delivery, clock_.Now());
  EXPECT_EQ(report.claimed, 2);
  EXPECT_EQ(report.sent, 2);
  EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0);
  ASSERT_EQ(sender_.sent().size(), 2u);

  const ports::Notification row = Row(first);
  EXPECT_EQ(row.sent_at, clock_.Now());
  EXPECT_TRUE(row.last_error.empty());
  EXPECT_TRUE(Row(second).sent_at.has_value());

  const ports::OutgoingMail mail = sender_.sent()[0];
  EXPECT_EQ(mail.envelope_from, "support@help.example.com");
  EXPECT_EQ(mail.recipients, std::vector<std::string>{"alice@example.com"});
  EXPECT_THAT(mail.data, HasSubstr("From: \"Example Support\" <support@help.example.com>\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("To: alice@example.com\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("Message-ID: <" + row.message_id + ">\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("In-Reply-To: <" + row.in_reply_to + ">\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("References: <case-" + std::to_string(record_.number) +
                                   "@help.example.com>\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("Auto-Submitted: auto-generated\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("X-Casedesk-Case: " + std::to_string(record_.number)));
  EXPECT_THAT(mail.data, HasSubstr("X-Casedesk-Loop: help.example.com\r\n"));
  // Replies go to the signed reply address of the case.
  const std::string unfolded = absl::StrReplaceAll(mail.data, {{"\r\n ", " "}});
  EXPECT_THAT(unfolded, HasSubstr("\r\nReply-To: \"Example Support\" <support+c" +
                                  std::to_string(record_.number) + "-"));
  EXPECT_THAT(unfolded, HasSubstr("@reply.example.com>\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("Subject: " + row.subject + "\r\n"));
  EXPECT_THAT(mail.data, HasSubstr("\r\n\r\nAgent replied to case #"));
}

TEST_F(OutboxDeliveryTest, TransientFailuresAreRetriedWithBackoffAndDeliveredOnce) {
  const int64_t id = QueueOne(acme_alice_);
  const absl::Time created = clock_.Now();
  sender_.Script({absl::UnavailableError("smtp: 451"), absl::UnavailableError("smtp: 451"),
                  absl::UnavailableError("smtp: 451")});
  OutboxDelivery delivery(context(), sender_);

  const absl::Duration expected_delays[] = {absl::Minutes(1), absl::Minutes(2), absl::Minutes(4)};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    const DeliveryReport report = Deliver(delivery, clock_.Now());
    EXPECT_EQ(report.retrying, 1) << attempt;
    const ports::Notification row = Row(id);
    EXPECT_EQ(row.attempts, attempt);
    EXPECT_THAT(row.last_error, HasSubstr("451"));
    EXPECT_FALSE(row.sent_at.has_value());
    EXPECT_FALSE(row.failed_at.has_value());
    ASSERT_TRUE(row.next_attempt_at.has_value());
    EXPECT_EQ(*row.next_attempt_at, clock_.Now() + expected_delays[attempt - 1]);
    // Not due before then.
    clock_.Set(*row.next_attempt_at - absl::Seconds(1));
    EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0);
    clock_.Set(*row.next_attempt_at);
  }
  const DeliveryReport report = Deliver(delivery, clock_.Now());
  EXPECT_EQ(report.sent, 1);
  EXPECT_TRUE(Row(id).sent_at.has_value());
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0);

  // Four attempts of one identical message: a retry is recognisable by its Message-ID.
  const std::vector<ports::OutgoingMail> sent = sender_.sent();
  ASSERT_EQ(sent.size(), 4u);
  for (const ports::OutgoingMail& mail : sent) EXPECT_EQ(mail.data, sent[0].data);
  EXPECT_EQ(Row(id).created_at, created);
}

TEST_F(OutboxDeliveryTest, PermanentFailuresGiveUpAtOnce) {
  const int64_t refused = QueueOne(acme_alice_);
  const int64_t fine = QueueOne(acme_bob_);
  sender_.Script({absl::FailedPreconditionError("smtp: 550 no such user")});
  OutboxDelivery delivery(context(), sender_);
  const DeliveryReport report = Deliver(delivery, clock_.Now());
  EXPECT_EQ(report.failed, 1);
  EXPECT_EQ(report.sent, 1);
  const ports::Notification row = Row(refused);
  EXPECT_EQ(row.failed_at, clock_.Now());
  EXPECT_EQ(row.attempts, 1);
  EXPECT_THAT(row.last_error, HasSubstr("550"));
  EXPECT_TRUE(Row(fine).sent_at.has_value());
  clock_.Advance(absl::Hours(3));
  EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0);
  EXPECT_EQ(sender_.sent().size(), 2u);
}

TEST_F(OutboxDeliveryTest, TransientFailuresGiveUpTwoDaysAfterCreation) {
  const int64_t id = QueueOne(acme_alice_);
  const absl::Time created = clock_.Now();
  std::vector<absl::Status> outage(100, absl::UnavailableError("smtp: connection refused"));
  sender_.Script(outage);
  OutboxDelivery delivery(context(), sender_);
  int attempts = 0;
  while (attempts < 100) {
    const DeliveryReport report = Deliver(delivery, clock_.Now());
    if (report.claimed == 0) break;
    ++attempts;
    const ports::Notification row = Row(id);
    if (row.failed_at) break;
    ASSERT_TRUE(row.next_attempt_at);
    EXPECT_LE(*row.next_attempt_at - clock_.Now(), absl::Hours(1)) << "capped at an hour";
    EXPECT_LE(*row.next_attempt_at, created + absl::Hours(48));
    clock_.Set(*row.next_attempt_at);
  }
  const ports::Notification row = Row(id);
  ASSERT_TRUE(row.failed_at.has_value());
  EXPECT_EQ(*row.failed_at, created + absl::Hours(48));
  // 1+2+4+...+32 minutes, then hourly until the 48th hour.
  EXPECT_EQ(row.attempts, attempts);
  EXPECT_GT(attempts, 45);
  EXPECT_LT(attempts, 55);
  EXPECT_FALSE(row.sent_at.has_value());
}

TEST(OutboxBackoffTest, DoublesFromAMinuteUpToAnHourAndStopsAtTheDeadline) {
  const OutboxDeliveryOptions options;
  const absl::Time created = absl::FromUnixSeconds(1'700'000'000);
  struct Row {
    int attempts;
    absl::Duration since_created;
    std::optional<absl::Duration> delay;
  };
  const Row rows[] = {
      {1, absl::ZeroDuration(), absl::Minutes(1)},
      {2, absl::Minutes(1), absl::Minutes(2)},
      {3, absl::Minutes(3), absl::Minutes(4)},
      {7, absl::Hours(2), absl::Hours(1)},
      {40, absl::Hours(20), absl::Hours(1)},
      {50, absl::Hours(47) + absl::Minutes(30), absl::Minutes(30)},  // up to the deadline
      {51, absl::Hours(48), std::nullopt},
  };
  for (const Row& row : rows) {
    const absl::Time now = created + row.since_created;
    const std::optional<absl::Time> next = NextDeliveryAttempt(options, created, row.attempts, now);
    ASSERT_EQ(next.has_value(), row.delay.has_value()) << row.attempts;
    if (next) {
      EXPECT_EQ(*next - now, *row.delay) << row.attempts;
    }
  }
}

TEST_F(OutboxDeliveryTest, ASecondDelivererNeverSendsAClaimedRow) {
  for (int i = 0; i < 5; ++i) QueueOne(acme_alice_, "message " + std::to_string(i));
  ScriptedSender other_sender;
  OutboxDelivery first(context(), sender_);
  OutboxDelivery second(context(), other_sender);
  std::vector<int> claimed_by_second;
  // While the first is sending its batch, the second looks for work.
  sender_.SetHook([&] {
    absl::StatusOr<DeliveryReport> report = second.DeliverDue(clock_.Now());
    ASSERT_TRUE(report.ok()) << report.status();
    claimed_by_second.push_back(report->claimed);
  });
  const DeliveryReport report = Deliver(first, clock_.Now());
  EXPECT_EQ(report.sent, 5);
  EXPECT_EQ(claimed_by_second, std::vector<int>(5, 0));
  EXPECT_TRUE(other_sender.sent().empty());
  EXPECT_EQ(sender_.sent().size(), 5u);
}

TEST_F(OutboxDeliveryTest, RowsOfADeadDelivererAreSentWhenItsLeaseExpires) {
  const int64_t id = QueueOne(acme_alice_);
  // A deliverer claims the row and dies before sending.
  ASSERT_TRUE(
      Write([&](ports::StoreTransaction& txn) -> absl::Status {
        return txn.ClaimNotifications(clock_.Now(), clock_.Now() + absl::Minutes(2), 50).status();
      }).ok());
  OutboxDelivery delivery(context(), sender_);
  EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0);
  clock_.Advance(absl::Minutes(2) + absl::Seconds(1));
  EXPECT_EQ(Deliver(delivery, clock_.Now()).sent, 1);
  EXPECT_TRUE(Row(id).sent_at.has_value());
}

TEST_F(OutboxDeliveryTest, WithoutAnySenderAddressTheRowWaits) {
  SetDeskSender("", "Support");  // and no smtp.from in the context
  const int64_t id = QueueOne(acme_alice_);
  OutboxDelivery delivery(context(), sender_);
  EXPECT_EQ(Deliver(delivery, clock_.Now()).retrying, 1);
  EXPECT_THAT(Row(id).last_error, HasSubstr("no sender address"));
  EXPECT_TRUE(sender_.sent().empty());

  // Configured later (smtp.from): the row leaves with it.
  context().mail_from = "desk@config.example";
  clock_.Advance(absl::Minutes(1));
  EXPECT_EQ(Deliver(delivery, clock_.Now()).sent, 1);
  ASSERT_EQ(sender_.sent().size(), 1u);
  EXPECT_THAT(sender_.sent()[0].data, HasSubstr("From: \"Support\" <desk@config.example>"));
}

TEST_F(OutboxDeliveryTest, PartnerMailNeverCarriesTheDesksReplyAddress) {
  SetPartnerSender(partner_, "help@partner.example", "Partner Help", "Partner Ltd");
  const core::Case partner_case =
      InsertCase(partner_customer_, partner_customer_carl_.user.id, "VPN down");
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) -> absl::Status {
                MailRequest request;
                request.kind = std::string(kMailCaseReply);
                request.recipient_email = partner_customer_carl_.user.email;
                request.case_number = partner_case.number;
                request.sender_org = partner_;
                return QueueMail(context(), txn, request).status();
              }).ok());
  OutboxDelivery delivery(context(), sender_);
  EXPECT_EQ(Deliver(delivery, clock_.Now()).sent, 1);
  ASSERT_EQ(sender_.sent().size(), 1u);
  const std::string data = sender_.sent()[0].data;
  EXPECT_THAT(data, HasSubstr("From: \"Partner Help\" <help@partner.example>"));
  EXPECT_THAT(data, Not(HasSubstr("\r\nReply-To:")));
  EXPECT_THAT(data, Not(HasSubstr("help.example.com")));
  EXPECT_THAT(data, Not(HasSubstr("reply.example.com")));
  EXPECT_EQ(sender_.sent()[0].envelope_from, "help@partner.example");
}

TEST_F(OutboxDeliveryTest, WebhookRowsArePostedAsQueuedBesideMail) {
  const int64_t mail = QueueOne(acme_alice_);
  const int64_t hook = QueueWebhook("https://hooks.example.com/casedesk?k=1", R"({"incident":{}})");
  OutboxDelivery delivery(context(), &sender_, &hooks_);
  const DeliveryReport report = Deliver(delivery, clock_.Now());
  EXPECT_EQ(report.claimed, 2);
  EXPECT_EQ(report.sent, 2);

  ASSERT_EQ(hooks_.posted().size(), 1u);
  const ports::WebhookRequest request = hooks_.posted()[0];
  EXPECT_EQ(request.url, "https://hooks.example.com/casedesk?k=1");
  EXPECT_EQ(request.body, R"({"incident":{}})");
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"X-Casedesk-Signature", "sha256=0a1b2c"}, {"X-Second", "two"}};
  EXPECT_EQ(request.headers, headers);
  EXPECT_EQ(Row(hook).sent_at, clock_.Now());
  EXPECT_TRUE(Row(hook).last_error.empty());

  // The mail row went out as mail, and only it.
  ASSERT_EQ(sender_.sent().size(), 1u);
  EXPECT_EQ(sender_.sent()[0].recipients, std::vector<std::string>{"alice@example.com"});
  EXPECT_TRUE(Row(mail).sent_at.has_value());
  EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0);
}

TEST_F(OutboxDeliveryTest, WebhookOutcomesAreRecordedLikeMail) {
  struct Case {
    std::string name;
    absl::Status answer;
    bool sent;
    std::optional<absl::Duration> retry_in;  // unset and not sent: given up
    std::string error;
  };
  const Case cases[] = {
      {"2xx", absl::OkStatus(), true, std::nullopt, ""},
      {"5xx", absl::UnavailableError("webhook to hooks.example.com: answered 503"), false,
       absl::Minutes(1), "UNAVAILABLE: webhook to hooks.example.com: answered 503"},
      {"429", absl::UnavailableError("webhook to hooks.example.com: answered 429"), false,
       absl::Minutes(1), "answered 429"},
      {"4xx", absl::InvalidArgumentError("webhook to hooks.example.com: answered 404"), false,
       std::nullopt, "INVALID_ARGUMENT: webhook to hooks.example.com: answered 404"},
  };
  OutboxDelivery delivery(context(), &sender_, &hooks_);
  for (const Case& c : cases) {
    const int64_t id = QueueWebhook("https://hooks.example.com/" + c.name, "{}");
    hooks_.Script({c.answer});
    const DeliveryReport report = Deliver(delivery, clock_.Now());
    EXPECT_EQ(report.claimed, 1) << c.name;
    const ports::Notification row = Row(id);
    EXPECT_EQ(row.sent_at.has_value(), c.sent) << c.name;
    EXPECT_THAT(row.last_error, HasSubstr(c.error)) << c.name;
    if (c.sent) {
      EXPECT_EQ(report.sent, 1) << c.name;
    } else if (c.retry_in) {
      EXPECT_EQ(report.retrying, 1) << c.name;
      EXPECT_EQ(row.attempts, 1) << c.name;
      EXPECT_FALSE(row.failed_at.has_value()) << c.name;
      EXPECT_EQ(row.next_attempt_at, clock_.Now() + *c.retry_in) << c.name;
    } else {
      EXPECT_EQ(report.failed, 1) << c.name;
      EXPECT_EQ(row.failed_at, clock_.Now()) << c.name;
    }
  }
  EXPECT_TRUE(sender_.sent().empty()) << "webhooks never go out as mail";
}

TEST_F(OutboxDeliveryTest, AWebhookRetriedAfterAnOutageIsPostedOnceMoreIdentically) {
  const int64_t id = QueueWebhook("https://hooks.example.com/x", R"({"n":1})");
  hooks_.Script({absl::UnavailableError("webhook to hooks.example.com: connection refused")});
  OutboxDelivery delivery(context(), &sender_, &hooks_);
  EXPECT_EQ(Deliver(delivery, clock_.Now()).retrying, 1);
  clock_.Advance(absl::Seconds(59));
  EXPECT_EQ(Deliver(delivery, clock_.Now()).claimed, 0) << "not before the backoff";
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Deliver(delivery, clock_.Now()).sent, 1);
  EXPECT_TRUE(Row(id).sent_at.has_value());
  const std::vector<ports::WebhookRequest> posted = hooks_.posted();
  ASSERT_EQ(posted.size(), 2u);
  EXPECT_EQ(posted[1].body, posted[0].body);
  EXPECT_EQ(posted[1].headers, posted[0].headers);
}

TEST_F(OutboxDeliveryTest, RowsWithoutTheirSenderWaitNamingWhatIsMissing) {
  const int64_t mail = QueueOne(acme_alice_);
  const int64_t hook = QueueWebhook("https://hooks.example.com/x", "{}");
  {
    // Mail only (no webhook sender): the webhook row waits, never sent as mail.
    OutboxDelivery delivery(context(), sender_);
    const DeliveryReport report = Deliver(delivery, clock_.Now());
    EXPECT_EQ(report.sent, 1);
    EXPECT_EQ(report.retrying, 1);
    EXPECT_THAT(Row(hook).last_error, HasSubstr("no webhook sender"));
    EXPECT_FALSE(Row(hook).failed_at.has_value());
    ASSERT_EQ(sender_.sent().size(), 1u);
    EXPECT_TRUE(Row(mail).sent_at.has_value());
  }
  const int64_t later_mail = QueueOne(acme_bob_);
  clock_.Advance(absl::Minutes(1));
  {
    // Webhooks only (no SMTP relay): mail waits, the webhook goes out.
    OutboxDelivery delivery(context(), nullptr, &hooks_);
    const DeliveryReport report = Deliver(delivery, clock_.Now());
    EXPECT_EQ(report.sent, 1);
    EXPECT_EQ(report.retrying, 1);
    EXPECT_TRUE(Row(hook).sent_at.has_value());
    const ports::Notification waiting = Row(later_mail);
    EXPECT_THAT(waiting.last_error, HasSubstr("no mail sender: set smtp.url"));
    // Not the recipient's failure: looked at again after the longest interval.
    EXPECT_EQ(waiting.next_attempt_at, clock_.Now() + absl::Hours(1));
    EXPECT_EQ(hooks_.posted().size(), 1u);
    EXPECT_EQ(sender_.sent().size(), 1u);
  }
  {
    // Mail waiting for SMTP is never given up, however long it waits.
    clock_.Advance(absl::Hours(72));
    OutboxDelivery delivery(context(), nullptr, &hooks_);
    const DeliveryReport report = Deliver(delivery, clock_.Now());
    EXPECT_EQ(report.retrying, 1);
    EXPECT_EQ(report.failed, 0);
    EXPECT_FALSE(Row(later_mail).failed_at.has_value());
  }
}

TEST_F(OutboxDeliveryTest, TheWorkerDeliversWhenWokenAndStopsCleanly) {
  OutboxDelivery delivery(context(), sender_);
  OutboxWorker worker(delivery, clock_, absl::Seconds(30));
  worker.Start();
  QueueOne(acme_alice_);
  worker.Wake();
  for (int i = 0; i < 200 && worker.sent_total() < 1; ++i) absl::SleepFor(absl::Milliseconds(10));
  EXPECT_EQ(worker.sent_total(), 1);
  // More than a batch: the worker keeps going until nothing is due.
  for (int i = 0; i < 120; ++i) QueueOne(acme_bob_);
  worker.Wake();
  for (int i = 0; i < 500 && worker.sent_total() < 121; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(worker.sent_total(), 121);
  EXPECT_TRUE(worker.last_error().ok());
  worker.Stop();
  worker.Stop();  // idempotent
  EXPECT_EQ(sender_.sent().size(), 121u);
}

}  // namespace
}  // namespace casedesk::app

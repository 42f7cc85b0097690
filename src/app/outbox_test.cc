// QueueMail: the notification row it writes (template, sender, Message-ID, threading headers,
// case tag) and the thread ids it records, against a real SqliteStore.
#include "app/outbox.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/mail_templates.h"
#include "app/mail_test_fixture.h"

namespace casedesk::app {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class OutboxTest : public MailTestFixture {
 protected:
  absl::StatusOr<ports::Notification> Queue(const MailRequest& request) {
    ports::Notification row;
    absl::Status status = Write([&](ports::StoreTransaction& txn) -> absl::Status {
      absl::StatusOr<int64_t> id = QueueMail(context(), txn, request);
      if (!id.ok()) return id.status();
      absl::StatusOr<ports::Notification> stored = txn.GetNotification(*id);
      if (!stored.ok()) return stored.status();
      row = *std::move(stored);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return row;
  }

  MailRequest ReplyTo(const core::Case& record, const Caller& recipient) {
    MailRequest request;
    request.kind = std::string(kMailCaseReply);
    request.recipient_id = recipient.user.id;
    request.recipient_email = recipient.user.email;
    request.recipient_name = recipient.user.name;
    request.case_number = record.number;
    request.values = {{"author_name", "Agent"}, {"comment", "Fixed."}};
    return request;
  }

  std::optional<core::CaseNumber> ThreadOf(const std::string& message_id) {
    std::optional<core::CaseNumber> found;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<std::optional<core::CaseNumber>> number =
                          txn.FindCaseByMessageIds({message_id});
                      if (!number.ok()) return number.status();
                      found = *number;
                      return absl::OkStatus();
                    })
                    .ok());
    return found;
  }
};

TEST_F(OutboxTest, AMailAboutACaseIsRenderedTaggedAndThreaded) {
  SetDeskSender("support@help.example.com");
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full");
  absl::StatusOr<ports::Notification> row = Queue(ReplyTo(record, acme_alice_));
  ASSERT_TRUE(row.ok()) << row.status();
  const std::string tag = "[Case #" + std::to_string(record.number) + "]";
  const std::string root = "case-" + std::to_string(record.number) + "@help.example.com";
  EXPECT_GT(row->id, 0);
  EXPECT_EQ(row->kind, kMailCaseReply);
  EXPECT_EQ(row->case_number, record.number);
  EXPECT_EQ(row->recipient_id, acme_alice_.user.id);
  EXPECT_EQ(row->recipient_email, "alice@example.com");
  EXPECT_THAT(row->subject, HasSubstr("Disk full"));
  EXPECT_THAT(row->subject, HasSubstr(tag));
  EXPECT_THAT(row->body, HasSubstr("Agent replied to case #" + std::to_string(record.number)));
  EXPECT_THAT(row->body, HasSubstr("Fixed."));
  EXPECT_THAT(row->body, HasSubstr("Example Support"));
  EXPECT_THAT(row->message_id, EndsWith("@help.example.com"));
  EXPECT_EQ(row->in_reply_to, root);
  EXPECT_EQ(row->references, root);
  EXPECT_EQ(row->from_address, "support@help.example.com");
  EXPECT_EQ(row->from_name, "Example Support");
  EXPECT_TRUE(row->automatic);
  EXPECT_EQ(row->created_at, clock_.Now());
  EXPECT_FALSE(row->sent_at.has_value());
  EXPECT_EQ(ThreadOf(row->message_id), record.number);
  EXPECT_EQ(ThreadOf(root), record.number);

  // A second mail: another Message-ID, the same root.
  absl::StatusOr<ports::Notification> second = Queue(ReplyTo(record, acme_alice_));
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->message_id, row->message_id);
  EXPECT_EQ(second->references, root);
}

TEST_F(OutboxTest, AnAnswerToInboundMailRepliesToItAndKeepsTheRoot) {
  SetDeskSender("support@help.example.com");
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full");
  MailRequest request = ReplyTo(record, acme_alice_);
  request.in_reply_to = "CAF1234@mail.acme.example";
  absl::StatusOr<ports::Notification> row = Queue(request);
  ASSERT_TRUE(row.ok());
  const std::string root = "case-" + std::to_string(record.number) + "@help.example.com";
  EXPECT_EQ(row->in_reply_to, "CAF1234@mail.acme.example");
  EXPECT_EQ(row->references, root + " CAF1234@mail.acme.example");

  // An inbound id that could not be written into a header is not answered.
  request.in_reply_to = "evil\r\nBcc: x@y";
  row = Queue(request);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->in_reply_to, root);
  EXPECT_EQ(row->references, root);
}

TEST_F(OutboxTest, TheSenderIsTheDesksSettingElseTheConfiguredOne) {
  context().mail_from = "desk@config.example";
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full");
  absl::StatusOr<ports::Notification> row = Queue(ReplyTo(record, acme_alice_));
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->from_address, "desk@config.example");
  EXPECT_EQ(row->from_name, "Support");
  EXPECT_THAT(row->message_id, EndsWith("@config.example"));

  SetDeskSender("help@settings.example", "Settings Desk");
  row = Queue(ReplyTo(record, acme_alice_));
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->from_address, "help@settings.example");
  EXPECT_EQ(row->from_name, "Settings Desk");
}

TEST_F(OutboxTest, APartnersCustomersHearFromThePartnerOnly) {
  SetDeskSender("support@provider.example", "Provider Support");
  SetPartnerSender(partner_, "help@partner.example", "Partner Help", "Partner Ltd\n+1 555 0100");
  const core::Case record =
      InsertCase(partner_customer_, partner_customer_carl_.user.id, "VPN down");
  MailRequest request = ReplyTo(record, partner_customer_carl_);
  request.sender_org = partner_;
  absl::StatusOr<ports::Notification> row = Queue(request);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->from_address, "help@partner.example");
  EXPECT_EQ(row->from_name, "Partner Help");
  EXPECT_THAT(row->body, EndsWith("\n-- \nPartner Ltd\n+1 555 0100\n"));
  EXPECT_THAT(row->body, HasSubstr("Partner Help"));
  for (const std::string* field : {&row->subject, &row->body, &row->message_id, &row->references,
                                   &row->in_reply_to, &row->from_name}) {
    EXPECT_THAT(*field, Not(HasSubstr("provider"))) << *field;
    EXPECT_THAT(*field, Not(HasSubstr("Provider"))) << *field;
  }

  // A partner without its own sender: the desk's.
  request.sender_org = acme_;
  row = Queue(request);
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->from_address, "support@provider.example");
}

TEST_F(OutboxTest, OperatorTemplatesAndUniqueKeysApply) {
  SetDeskSender("support@help.example.com");
  ASSERT_TRUE(Write([&](ports::StoreTransaction& txn) {
                return SaveMailTemplate(txn, kMailCaseReply,
                                        {"Reply on {{case_subject}}", "New: {{comment}}"});
              }).ok());
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk\r\nBcc: evil@x");
  MailRequest request = ReplyTo(record, acme_alice_);
  request.unique_key = std::to_string(record.number) + ":sla:first_response:warning:0";
  absl::StatusOr<ports::Notification> row = Queue(request);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->body, "New: Fixed.");
  EXPECT_THAT(row->subject, StartsWith("Reply on Disk Bcc: evil@x"));
  EXPECT_EQ(row->subject.find_first_of("\r\n"), std::string::npos);
  EXPECT_EQ(row->message_id, "k." + std::to_string(record.number) +
                                 "=3Asla=3Afirst_response=3Awarning=3A0@help.example.com");
}

TEST_F(OutboxTest, MailNotAboutACaseHasNoTagAndNoThread) {
  SetDeskSender("support@help.example.com");
  MailRequest request;
  request.kind = std::string(kMailUnknownSender);
  request.recipient_email = "Stranger@Elsewhere.example";
  request.values = {{"sender_address", "stranger@elsewhere.example"}, {"original_subject", "Help"}};
  request.in_reply_to = "abc@elsewhere.example";
  absl::StatusOr<ports::Notification> row = Queue(request);
  ASSERT_TRUE(row.ok()) << row.status();
  EXPECT_EQ(row->case_number, 0);
  EXPECT_EQ(row->recipient_id, 0);
  EXPECT_EQ(row->recipient_email, "stranger@elsewhere.example");
  EXPECT_EQ(row->subject, "Your message was not accepted");
  EXPECT_EQ(row->in_reply_to, "abc@elsewhere.example");
  EXPECT_EQ(row->references, "abc@elsewhere.example");
}

TEST_F(OutboxTest, UnusableRequestsAreRefused) {
  const core::Case record = InsertCase(acme_, acme_alice_.user.id, "Disk full");
  MailRequest request = ReplyTo(record, acme_alice_);
  request.recipient_email = "alice@example.com\r\nBcc: evil@x";
  EXPECT_EQ(Queue(request).status().code(), absl::StatusCode::kInvalidArgument);
  request = ReplyTo(record, acme_alice_);
  request.kind = "case.deleted";
  EXPECT_EQ(Queue(request).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Notifications(record.number).empty());
}

}  // namespace
}  // namespace casedesk::app

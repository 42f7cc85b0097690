#include "app/mail_ingest.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/mail_inbound_support.h"
#include "app/mail_settings.h"
#include "core/mail_threading.h"

namespace casedesk::app {
namespace {

using ports::InboundMailStatus;

// Returns prepared ParsedMail values for raw keys; anything else does not parse. The real GMime
// parser is exercised end to end by the e2e tests.
class FakeParser final : public ports::MailParser {
 public:
  absl::StatusOr<core::ParsedMail> Parse(std::string_view raw,
                                         const core::MailLimits&) const override {
    auto it = messages_.find(std::string(raw));
    if (it == messages_.end()) return absl::InvalidArgumentError("not a MIME message");
    return it->second;
  }
  void Add(std::string raw, core::ParsedMail mail) { messages_[std::move(raw)] = std::move(mail); }

 private:
  std::map<std::string, core::ParsedMail> messages_;
};

// A store that is down.
class DownStore final : public ports::Store {
 public:
  void Write(ports::UnitOfWork, std::function<void(absl::Status)> done) override {
    done(absl::UnavailableError("database is locked"));
  }
  absl::Status Read(const ports::UnitOfWork&) override {
    return absl::UnavailableError("database is locked");
  }
  absl::Status Backup(const std::string&) override { return absl::UnavailableError("down"); }
  absl::Status Migrate() override { return absl::UnavailableError("down"); }
  absl::Status Ping() override { return absl::UnavailableError("down"); }
};

class MailIngestTest : public CaseTestFixture {
 protected:
  static core::ParsedMail Mail(const std::string& from, const std::string& subject,
                               const std::string& message_id, const std::string& text) {
    core::ParsedMail mail;
    mail.from = core::MailAddress{from, ""};
    mail.to = {core::MailAddress{"support@help.example", "Support"}};
    mail.subject = subject;
    mail.message_id = message_id;
    mail.text = text + "\n\n> quoted history\n";
    mail.reply = text;
    return mail;
  }

  // Registers the message under a fresh raw key and ingests it.
  IngestResult Ingest(const core::ParsedMail& mail, std::string rcpt = "support@help.example") {
    const std::string raw = "raw-" + std::to_string(++counter_) + "-" + mail.message_id;
    parser_.Add(raw, mail);
    absl::StatusOr<IngestResult> result =
        IngestMail(context(), parser_, raw, {"pipe", "bounce@sender.example", rcpt});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.value_or(IngestResult{});
  }

  void SaveDesk(const MailDeskSettings& settings) {
    ASSERT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) {
                      return SaveMailDeskSettings(txn, settings);
                    })
                    .ok());
  }

  ports::InboundMail Row(int64_t id) {
    ports::InboundMail row;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<ports::InboundMail> loaded = txn.GetInboundMail(id);
                      if (!loaded.ok()) return loaded.status();
                      row = *std::move(loaded);
                      return absl::OkStatus();
                    })
                    .ok());
    return row;
  }

  std::vector<ports::Notification> Notices(const std::string& kind) {
    std::vector<ports::Notification> out;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<std::vector<ports::Notification>> all =
                          txn.ListUnsentNotifications(1000);
                      if (!all.ok()) return all.status();
                      for (ports::Notification& n : *all) {
                        if (n.kind == kind) out.push_back(std::move(n));
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  std::vector<core::Comment> Comments(core::CaseNumber number) {
    std::vector<core::Comment> out;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<ports::Page<core::Comment>> page =
                          txn.ListComments(number, true, ports::PageRequest{200, ""});
                      if (!page.ok()) return page.status();
                      out = std::move(page->items);
                      return absl::OkStatus();
                    })
                    .ok());
    return out;
  }

  absl::StatusOr<core::User> UserByEmail(const std::string& email) {
    return ReadValue<core::User>(
        *store_, [&](ports::StoreTransaction& txn) { return txn.FindUserByEmail(email); });
  }

  FakeParser parser_;
  int counter_ = 0;
};

TEST_F(MailIngestTest, VerifiedContactOpensACaseAtTheDefaultSeverity) {
  core::ParsedMail mail = Mail("Alice@Example.com", "Re: [#RT-1234] Disk full", "m1@acme", "Help");
  const IngestResult result = Ingest(mail);
  EXPECT_EQ(result.status, InboundMailStatus::kCaseOpened) << result.reason;
  ASSERT_GT(result.case_number, 0);
  const core::Case opened = Stored(result.case_number);
  EXPECT_EQ(opened.requester_id, acme_alice_.user.id);
  EXPECT_EQ(opened.org_id, acme_);
  EXPECT_EQ(opened.severity, core::Severity::kMinor);
  EXPECT_FALSE(opened.severity_confirmed);
  EXPECT_EQ(opened.subject, "[#RT-1234] Disk full");  // the other desk's tag is preserved
  EXPECT_EQ(opened.description, "Help");              // the visible text, not the quote

  const ports::InboundMail row = Row(result.inbound_id);
  EXPECT_EQ(row.status, InboundMailStatus::kCaseOpened);
  EXPECT_EQ(row.from_address, "alice@example.com");
  EXPECT_EQ(row.envelope_to, "support@help.example");
  EXPECT_EQ(row.case_number, result.case_number);
  absl::StatusOr<std::string> raw = blobs_->Get(row.raw_digest);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, "raw-1-m1@acme");
  const std::vector<core::AuditEvent> events = StoredEvents(result.case_number);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].kind, "case.created");
}

TEST_F(MailIngestTest, CriticalRouteOpensAtSeverityOne) {
  MailDeskSettings settings;
  settings.routes = {{"critical", MailRouteAction::kOpenCase, core::Severity::kCritical}};
  SaveDesk(settings);
  const IngestResult result =
      Ingest(Mail("alice@example.com", "Down", "m2@acme", "All down"), "critical@help.example");
  ASSERT_EQ(result.status, InboundMailStatus::kCaseOpened) << result.reason;
  EXPECT_EQ(Stored(result.case_number).severity, core::Severity::kCritical);
  EXPECT_EQ(Stored(result.case_number).proposed_severity, core::Severity::kCritical);
}

TEST_F(MailIngestTest, UnknownSenderGetsOneNoticePerIntervalAndMachinesNone) {
  IngestResult result = Ingest(Mail("stranger@nowhere.example", "Hi", "s1@x", "Hello"));
  EXPECT_EQ(result.status, InboundMailStatus::kRejected);
  EXPECT_FALSE(result.reason.empty());
  std::vector<ports::Notification> notices = Notices("mail.unknown_sender");
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_EQ(notices[0].recipient_email, "stranger@nowhere.example");
  EXPECT_EQ(notices[0].in_reply_to, "s1@x");

  clock_.Advance(absl::Minutes(30));
  result = Ingest(Mail("stranger@nowhere.example", "Hi again", "s2@x", "Hello?"));
  EXPECT_EQ(result.status, InboundMailStatus::kRejected);
  EXPECT_EQ(Notices("mail.unknown_sender").size(), 1u);

  core::ParsedMail vacation = Mail("other@nowhere.example", "Out of office", "s3@x", "Away");
  vacation.auto_kind = core::AutoKind::kAutoReplied;
  result = Ingest(vacation);
  EXPECT_EQ(result.status, InboundMailStatus::kAutomatic);
  EXPECT_EQ(Notices("mail.unknown_sender").size(), 1u);

  core::ParsedMail null_path = Mail("third@nowhere.example", "x", "s4@x", "x");
  null_path.null_return_path = true;
  null_path.auto_kind = core::AutoKind::kNone;
  result = Ingest(null_path);
  EXPECT_EQ(result.status, InboundMailStatus::kRejected);
  EXPECT_EQ(Notices("mail.unknown_sender").size(), 1u);

  clock_.Advance(absl::Minutes(31));
  result = Ingest(Mail("stranger@nowhere.example", "Third", "s5@x", "Hello!"));
  EXPECT_EQ(Notices("mail.unknown_sender").size(), 2u);
}

TEST_F(MailIngestTest, ReplyThreadsByInReplyTo) {
  const IngestResult opened = Ingest(Mail("alice@example.com", "Disk full", "m1@acme", "Help"));
  ASSERT_EQ(opened.status, InboundMailStatus::kCaseOpened);
  core::ParsedMail reply = Mail("alice@example.com", "Re: Disk full", "m2@acme", "More info");
  reply.in_reply_to = "m1@acme";
  const IngestResult result = Ingest(reply);
  EXPECT_EQ(result.status, InboundMailStatus::kReplyAdded) << result.reason;
  EXPECT_EQ(result.case_number, opened.case_number);
  const std::vector<core::Comment> comments = Comments(opened.case_number);
  ASSERT_EQ(comments.size(), 1u);
  EXPECT_EQ(comments[0].body, "More info");
  EXPECT_EQ(comments[0].channel, "email");
  EXPECT_EQ(comments[0].author_id, acme_alice_.user.id);
  EXPECT_EQ(Row(result.inbound_id).comment_id, comments[0].id);

  // References (newest first) thread too, even when In-Reply-To is unknown.
  core::ParsedMail later = Mail("alice@example.com", "Re: Disk full", "m3@acme", "Still");
  later.in_reply_to = "unknown@elsewhere";
  later.references = {"m1@acme", "m2@acme"};
  EXPECT_EQ(Ingest(later).case_number, opened.case_number);
}

TEST_F(MailIngestTest, ReplyThreadsByTagOnlyForPeopleWhoMaySeeTheCase) {
  const IngestResult opened = Ingest(Mail("alice@example.com", "Disk full", "m1@acme", "Help"));
  const std::string tag = core::FormatCaseTag("Case", opened.case_number);
  IngestResult result =
      Ingest(Mail("alice@example.com", "RE: Disk full " + tag, "m2@acme", "Tagged reply"));
  EXPECT_EQ(result.status, InboundMailStatus::kReplyAdded);
  EXPECT_EQ(result.case_number, opened.case_number);

  // Gina (Globex) may not see Acme's case: the tag is just text and she gets her own case.
  result = Ingest(Mail("gina@example.com", "Re: " + tag + " me too", "g1@globex", "Same"));
  EXPECT_EQ(result.status, InboundMailStatus::kCaseOpened);
  EXPECT_NE(result.case_number, opened.case_number);
  EXPECT_EQ(Stored(result.case_number).org_id, globex_);
  EXPECT_EQ(Comments(opened.case_number).size(), 1u);
}

TEST_F(MailIngestTest, SignedReplyAddressThreadsAndAForgedTokenIsRefused) {
  MailDeskSettings settings;
  settings.reply_domain = "help.example";
  SaveDesk(settings);
  const IngestResult opened = Ingest(Mail("alice@example.com", "Disk full", "m1@acme", "Help"));
  const std::string good =
      core::FormatReplyAddress("support", opened.case_number,
                               ExpectedReplyToken(*crypto_, opened.case_number), "help.example");
  IngestResult result = Ingest(Mail("alice@example.com", "Re: Disk full", "m2@acme", "Ok"), good);
  EXPECT_EQ(result.status, InboundMailStatus::kReplyAdded) << result.reason;
  EXPECT_EQ(result.case_number, opened.case_number);

  const std::string forged =
      core::FormatReplyAddress("support", opened.case_number, "0123456789abcdef", "help.example");
  result = Ingest(Mail("alice@example.com", "Re: Disk full", "m3@acme", "Forged"), forged);
  EXPECT_EQ(result.status, InboundMailStatus::kCaseOpened);
  EXPECT_NE(result.case_number, opened.case_number);
  EXPECT_NE(result.reason.find("does not verify"), std::string::npos);
  EXPECT_EQ(Comments(opened.case_number).size(), 1u);

  // A stranger with a valid address still may not write on the case.
  result = Ingest(Mail("stranger@nowhere.example", "Re: Disk full", "m4@x", "Hi"), good);
  EXPECT_EQ(result.status, InboundMailStatus::kRejected);
  EXPECT_EQ(Comments(opened.case_number).size(), 1u);
}

TEST_F(MailIngestTest, DuplicateMessageIdIsRecognised) {
  const IngestResult first = Ingest(Mail("alice@example.com", "Disk full", "dup@acme", "Help"));
  const IngestResult second = Ingest(Mail("alice@example.com", "Disk full", "dup@acme", "Help"));
  EXPECT_EQ(second.status, InboundMailStatus::kDuplicate);
  EXPECT_EQ(second.case_number, 0);
  EXPECT_NE(second.inbound_id, first.inbound_id);
  EXPECT_EQ(Row(second.inbound_id).status, InboundMailStatus::kDuplicate);
}

TEST_F(MailIngestTest, BounceMarksTheAddress) {
  core::ParsedMail bounce = Mail("mailer-daemon@mx.example", "Undelivered", "b1@mx", "failed");
  bounce.auto_kind = core::AutoKind::kBounce;
  bounce.null_return_path = true;
  bounce.bounced_recipients = {"bob@example.com"};
  const IngestResult result = Ingest(bounce);
  EXPECT_EQ(result.status, InboundMailStatus::kBounce);
  absl::StatusOr<std::optional<ports::MailAddressState>> state =
      ReadValue<std::optional<ports::MailAddressState>>(*store_, [](ports::StoreTransaction& txn) {
        return txn.GetMailAddressState("bob@example.com");
      });
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_TRUE(state->has_value());
  EXPECT_EQ((*state)->bounced_at, clock_.Now());
}

TEST_F(MailIngestTest, OurOwnMailComingBackIsAutomatic) {
  MailDeskSettings settings;
  settings.from_address = "support@help.example";
  SaveDesk(settings);
  EXPECT_EQ(Ingest(Mail("support@help.example", "Case opened", "o1@help", "x")).status,
            InboundMailStatus::kAutomatic);

  core::ParsedMail looped = Mail("alice@example.com", "Fwd", "o2@help", "x");
  looped.headers = {{"x-casedesk-loop", "help.example"}};
  EXPECT_EQ(Ingest(looped).status, InboundMailStatus::kAutomatic);

  const IngestResult opened = Ingest(Mail("alice@example.com", "Disk full", "m1@acme", "Help"));
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) {
                    return txn.RecordMailThread("sent-by-us@help.example", opened.case_number);
                  })
                  .ok());
  EXPECT_EQ(Ingest(Mail("alice@example.com", "Re", "sent-by-us@help.example", "x")).status,
            InboundMailStatus::kAutomatic);
  EXPECT_TRUE(Notices("mail.unknown_sender").empty());
}

TEST_F(MailIngestTest, CcdPeopleFollowOnlyWhenAllowed) {
  core::ParsedMail mail = Mail("alice@example.com", "Disk full", "m1@acme", "Help");
  mail.cc = {{"Bob@Example.com", "Bob"}, {"gina@example.com", "Gina"}, {"x@nowhere.example", ""}};
  const IngestResult opened = Ingest(mail);
  ASSERT_EQ(opened.status, InboundMailStatus::kCaseOpened) << opened.reason;
  EXPECT_EQ(Stored(opened.case_number).followers, std::vector<core::UserId>{acme_bob_.user.id});

  // Bob, now following, may reply; copying the org admin on it makes them follow too.
  core::ParsedMail reply = Mail("bob@example.com", "Re: Disk full", "m2@acme", "Me too");
  reply.in_reply_to = "m1@acme";
  reply.cc = {{"acme-admin@example.com", ""}};
  const IngestResult replied = Ingest(reply);
  EXPECT_EQ(replied.status, InboundMailStatus::kReplyAdded) << replied.reason;
  EXPECT_EQ(Stored(opened.case_number).followers,
            (std::vector<core::UserId>{acme_bob_.user.id, acme_admin_.user.id}));
}

TEST_F(MailIngestTest, OrganisationDomainCreatesAnUnverifiedContact) {
  OrganisationMailSettings globex;
  globex.org_id = globex_;
  globex.domains = {"globex.example"};
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) {
                    return SaveOrganisationMailSettings(txn, globex);
                  })
                  .ok());
  core::ParsedMail mail = Mail("new.person@globex.example", "Printer", "d1@globex", "Broken");
  mail.from->name = "New Person";
  const IngestResult result = Ingest(mail);
  ASSERT_EQ(result.status, InboundMailStatus::kCaseOpened) << result.reason;
  absl::StatusOr<core::User> contact = UserByEmail("new.person@globex.example");
  ASSERT_TRUE(contact.ok()) << contact.status();
  EXPECT_FALSE(contact->verified);
  EXPECT_EQ(contact->role, core::Role::kCustomer);
  EXPECT_EQ(contact->org_id, globex_);
  EXPECT_EQ(contact->name, "New Person");
  EXPECT_EQ(Stored(result.case_number).requester_id, contact->id);
}

TEST_F(MailIngestTest, QuarantineAcceptAndReject) {
  MailDeskSettings settings;
  settings.unknown_senders = UnknownSenderTreatment::kQuarantine;
  SaveDesk(settings);
  const IngestResult held = Ingest(Mail("stranger@nowhere.example", "Help me", "q1@x", "Pls"));
  ASSERT_EQ(held.status, InboundMailStatus::kQuarantined);
  EXPECT_EQ(Notices("mail.quarantined").size(), 1u);
  EXPECT_TRUE(Notices("mail.unknown_sender").empty());
  const IngestResult other = Ingest(Mail("spam@nowhere.example", "Buy", "q2@x", "Now"));
  ASSERT_EQ(other.status, InboundMailStatus::kQuarantined);

  EXPECT_EQ(AcceptQuarantinedMail(context(), parser_, acme_alice_, held.inbound_id, acme_)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(AcceptQuarantinedMail(context(), parser_, agent_, held.inbound_id, std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);  // nobody has the address: name an org

  absl::StatusOr<IngestResult> accepted =
      AcceptQuarantinedMail(context(), parser_, agent_, held.inbound_id, acme_);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->status, InboundMailStatus::kCaseOpened);
  const core::Case opened = Stored(accepted->case_number);
  absl::StatusOr<core::User> contact = UserByEmail("stranger@nowhere.example");
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(opened.requester_id, contact->id);
  EXPECT_EQ(opened.org_id, acme_);
  EXPECT_FALSE(contact->verified);
  const ports::InboundMail row = Row(held.inbound_id);
  EXPECT_EQ(row.decided_by, agent_.user.id);
  EXPECT_EQ(row.decided_at, clock_.Now());
  EXPECT_EQ(
      AcceptQuarantinedMail(context(), parser_, agent_, held.inbound_id, acme_).status().code(),
      absl::StatusCode::kFailedPrecondition);

  absl::StatusOr<IngestResult> rejected =
      RejectQuarantinedMail(context(), agent_, other.inbound_id, "spam");
  ASSERT_TRUE(rejected.ok()) << rejected.status();
  EXPECT_EQ(rejected->status, InboundMailStatus::kRejected);
  EXPECT_EQ(Row(other.inbound_id).reason, "spam");
  EXPECT_EQ(Row(other.inbound_id).decided_by, agent_.user.id);
  EXPECT_EQ(RejectQuarantinedMail(context(), agent_, 999999, "").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(MailIngestTest, UnparseableMessageIsKeptAsFailed) {
  absl::StatusOr<IngestResult> result =
      IngestMail(context(), parser_, "garbage", {"lmtp", "", "support@help.example"});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->status, InboundMailStatus::kFailed);
  EXPECT_NE(result->reason.find("not a MIME message"), std::string::npos);
  const ports::InboundMail row = Row(result->inbound_id);
  EXPECT_EQ(row.channel, "lmtp");
  EXPECT_EQ(*blobs_->Get(row.raw_digest), "garbage");
}

TEST_F(MailIngestTest, AttachmentsGoToTheCase) {
  core::ParsedMail mail = Mail("alice@example.com", "Logs", "a1@acme", "See attached");
  mail.attachments = {{"../../syslog.txt", "text/plain; charset=utf-8", "line", "", false}};
  const IngestResult result = Ingest(mail);
  ASSERT_EQ(result.status, InboundMailStatus::kCaseOpened) << result.reason;
  absl::StatusOr<std::vector<core::Attachment>> attachments =
      ListAttachments(context(), acme_alice_, result.case_number);
  ASSERT_TRUE(attachments.ok());
  ASSERT_EQ(attachments->size(), 1u);
  EXPECT_EQ((*attachments)[0].filename, "syslog.txt");
  EXPECT_EQ((*attachments)[0].content_type, "text/plain");
  EXPECT_EQ((*attachments)[0].size, 4);
}

TEST_F(MailIngestTest, StoreDownIsUnavailable) {
  DownStore down;
  AppContext broken{down, clock_, *crypto_, *blobs_, {}};
  parser_.Add("raw", Mail("alice@example.com", "x", "u1@acme", "x"));
  absl::StatusOr<IngestResult> result =
      IngestMail(broken, parser_, "raw", {"pipe", "", "support@help.example"});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  result = IngestMail(broken, parser_, "unparseable", {"pipe", "", ""});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace casedesk::app

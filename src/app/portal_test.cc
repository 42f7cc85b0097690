// The portal's use cases: intake configuration (JSON, validation, required fields, admin-only
// replacement), opening a case through the intake (required fields, CC by address, files,
// sealed secret), replying with files, the case list's filters, the case page's conversation
// (never internal notes), the SLA promise, and the identity (a partner's customers never see the
// provider's name).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/mail_settings.h"
#include "app/portal_case_view.h"
#include "app/portal_cases.h"
#include "app/portal_identity.h"
#include "app/portal_intake.h"
#include "app/portal_promise.h"
#include "app/portal_submissions.h"

namespace casedesk::app {
namespace {

using Json = nlohmann::json;

TEST(PortalIntakeTest, JsonRoundTripAndRequiredFields) {
  const Json json = {{"required", {"error_text"}},
                     {"categories", {{"question", {"stack"}}, {"incident", {"server_name"}}}},
                     {"plans", {{"enterprise", {"external_ip", "credentials"}}}}};
  absl::StatusOr<PortalIntakeSettings> settings = PortalIntakeSettingsFromJson(json);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(PortalIntakeSettingsToJson(*settings), json);

  struct Case {
    std::string plan;
    core::Category category;
    std::set<std::string> required;
  };
  const std::vector<Case> cases = {
      {"enterprise",
       core::Category::kIncident,
       {"error_text", "server_name", "external_ip", "credentials"}},
      {"professional", core::Category::kIncident, {"error_text", "server_name"}},
      {"professional", core::Category::kQuestion, {"error_text", "stack"}},
      {"", core::Category::kProblem, {"error_text"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RequiredIntakeFields(*settings, c.plan, c.category), c.required) << c.plan;
  }
}

TEST(PortalIntakeTest, DefaultsFollowSeed001) {
  const PortalIntakeSettings defaults = DefaultPortalIntakeSettings();
  EXPECT_EQ(RequiredIntakeFields(defaults, "any", core::Category::kIncident),
            (std::set<std::string>{"server_name", "error_text", "steps_tried"}));
  EXPECT_TRUE(RequiredIntakeFields(defaults, "any", core::Category::kQuestion).empty());
}

TEST(PortalIntakeTest, RefusesMalformedDocumentsNamingTheField) {
  struct Case {
    Json json;
    std::string message;
  };
  const std::vector<Case> cases = {
      {Json::array(), "intake settings: must be an object"},
      {{{"required", "error_text"}}, "required: must be an array of field names"},
      {{{"required", {"password"}}}, "required[0]: unknown intake field 'password'"},
      {{{"required", {"stack", "stack"}}}, "required[1]: 'stack' is listed twice"},
      {{{"required", {1}}}, "required[0]: must be a string"},
      {{{"categories", {{"outage", Json::array()}}}}, "categories: unknown category 'outage'"},
      {{{"categories", {{"incident", {"nope"}}}}},
       "categories.incident[0]: unknown intake field 'nope'"},
      {{{"plans", {{"gold", {"cc", "x"}}}}}, "plans.gold[1]: unknown intake field 'x'"},
      {{{"plans", {{"", Json::array()}}}}, "plans: plan names are 1..64 characters"},
      {{{"extra", 1}}, "unknown field 'extra'"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PortalIntakeSettings> settings = PortalIntakeSettingsFromJson(c.json);
    ASSERT_TRUE(absl::IsInvalidArgument(settings.status())) << c.json.dump();
    EXPECT_TRUE(std::string(settings.status().message()).starts_with(c.message))
        << settings.status();
  }
}

TEST(PortalPromiseTest, FromClocks) {
  const absl::Time now = absl::FromUnixSeconds(1773046800);
  core::Case open;
  open.status = core::CaseStatus::kOpen;
  CaseSla sla;
  sla.clocks.first_response.state = core::SlaClockState::kRunning;
  sla.clocks.first_response.due_at = now + absl::Hours(1);
  EXPECT_EQ(PromiseFor(open, sla, now).kind, PromiseKind::kFirstReply);
  EXPECT_EQ(PromiseFor(open, sla, now).due, now + absl::Hours(1));
  EXPECT_FALSE(PromiseFor(open, sla, now).late);
  EXPECT_TRUE(PromiseFor(open, sla, now + absl::Hours(2)).late);

  sla.clocks.first_response.state = core::SlaClockState::kAchieved;
  sla.clocks.next_update.state = core::SlaClockState::kRunning;
  sla.clocks.next_update.due_at = now + absl::Hours(4);
  EXPECT_EQ(PromiseFor(open, sla, now).kind, PromiseKind::kNextUpdate);

  sla.clocks.next_update.state = core::SlaClockState::kPaused;
  EXPECT_EQ(PromiseFor(open, sla, now).kind, PromiseKind::kWaitingOnYou);

  sla.clocks.next_update.state = core::SlaClockState::kRunning;
  sla.clocks.next_update.due_at.reset();  // a named target: no instant to promise
  EXPECT_EQ(PromiseFor(open, sla, now).kind, PromiseKind::kNone);
  EXPECT_EQ(PromiseFor(open, std::nullopt, now).kind, PromiseKind::kNone);

  core::Case solved = open;
  solved.status = core::CaseStatus::kSolved;
  EXPECT_EQ(PromiseFor(solved, sla, now).kind, PromiseKind::kSolved);
}

class PortalUseCaseTest : public CaseTestFixture {
 protected:
  absl::StatusOr<PortalOpenedCase> OpenPortal(const Caller& caller,
                                              PortalCaseSubmission submission) {
    return Await<PortalOpenedCase>([&](Done<PortalOpenedCase> done) {
      OpenPortalCase(context(), caller, std::move(submission), std::move(done));
    });
  }

  static PortalCaseSubmission Complete(std::string subject) {
    PortalCaseSubmission submission;
    submission.request.subject = std::move(subject);
    submission.request.description = "The web server answers 502.";
    submission.request.severity = 2;
    submission.request.category = core::Category::kIncident;
    submission.request.fields = {{"server_name", "WA1WEB01"},
                                 {"error_text", "502 Bad Gateway"},
                                 {"steps_tried", "Restarted nginx"}};
    return submission;
  }

  absl::StatusOr<PortalIntakeSettings> Replace(const Caller& caller,
                                               PortalIntakeSettings settings) {
    return Await<PortalIntakeSettings>([&](Done<PortalIntakeSettings> done) {
      ReplacePortalIntakeSettings(context(), caller.viewer, std::move(settings), std::move(done));
    });
  }
};

TEST_F(PortalUseCaseTest, OnlyAdminsReplaceTheIntakeSettings) {
  PortalIntakeSettings settings;
  settings.required = {"attachments"};
  EXPECT_TRUE(absl::IsPermissionDenied(Replace(agent_, settings).status()));
  EXPECT_TRUE(absl::IsPermissionDenied(Replace(acme_admin_, settings).status()));
  ASSERT_TRUE(Replace(admin_, settings).ok());
  absl::StatusOr<PortalIntakeSettings> stored = GetPortalIntakeSettings(context());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->required, std::vector<std::string>{"attachments"});
}

TEST_F(PortalUseCaseTest, RequiredFieldsAreCheckedBeforeAnythingIsWritten) {
  struct Case {
    std::string drop;      // a field key to leave empty
    std::string expected;  // the field the refusal names
  };
  const std::vector<Case> cases = {
      {"server_name", "server_name: "}, {"error_text", "error_text: "},
      {"steps_tried", "steps_tried: "}, {"subject", "subject: "},
      {"description", "description: "}, {"severity", "severity: "},
  };
  for (const Case& c : cases) {
    PortalCaseSubmission submission = Complete("Web down");
    submission.request.fields.erase(c.drop);
    if (c.drop == "subject") submission.request.subject = "  ";
    if (c.drop == "description") submission.request.description.clear();
    if (c.drop == "severity") submission.request.severity = 0;
    absl::StatusOr<PortalOpenedCase> opened = OpenPortal(acme_alice_, std::move(submission));
    ASSERT_TRUE(absl::IsInvalidArgument(opened.status())) << c.drop;
    EXPECT_TRUE(std::string(opened.status().message()).starts_with(c.expected)) << opened.status();
  }
  // A question needs none of the incident's fields.
  PortalCaseSubmission question = Complete("How do I resize?");
  question.request.category = core::Category::kQuestion;
  question.request.fields.clear();
  EXPECT_TRUE(OpenPortal(acme_alice_, std::move(question)).ok());
}

TEST_F(PortalUseCaseTest, PlanRequirementsCcFilesAndTheSecret) {
  PortalIntakeSettings settings = DefaultPortalIntakeSettings();
  settings.plans["enterprise"] = {"cc", "attachments", "credentials"};
  ASSERT_TRUE(Replace(admin_, settings).ok());

  PortalCaseSubmission submission = Complete("Web down");
  absl::StatusOr<PortalOpenedCase> refused = OpenPortal(acme_alice_, submission);
  EXPECT_TRUE(std::string(refused.status().message()).starts_with("cc: ")) << refused.status();

  submission.cc_emails = {"gina@example.com"};  // another organisation's person
  submission.files = {{"screen.png", "image/png", "PNG"}};
  submission.request.secret_fields = {{"credentials", "root / hunter2"}};
  refused = OpenPortal(acme_alice_, submission);
  EXPECT_EQ(refused.status().message(), "cc: 'gina@example.com' is not a contact of Acme");

  submission.cc_emails = {"Bob@Example.com"};
  submission.files.clear();
  refused = OpenPortal(acme_alice_, submission);
  EXPECT_TRUE(std::string(refused.status().message()).starts_with("attachments: "));

  submission.files = {{"screen.png", "image/png", "PNG"}, {"app.log", "text/plain", "boom"}};
  submission.request.secret_fields.clear();
  refused = OpenPortal(acme_alice_, submission);
  EXPECT_TRUE(std::string(refused.status().message()).starts_with("credentials: "));

  submission.request.secret_fields = {{"credentials", "root / hunter2"}};
  absl::StatusOr<PortalOpenedCase> opened = OpenPortal(acme_alice_, submission);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_TRUE(opened->files_not_attached.empty());
  EXPECT_FALSE(opened->view.secret_fields.has_value());  // never shown back to a customer
  const core::Case stored = Stored(opened->view.record.number);
  EXPECT_EQ(stored.followers, std::vector<core::UserId>{acme_bob_.user.id});
  EXPECT_FALSE(stored.sealed_secrets.empty());
  EXPECT_EQ(stored.sealed_secrets.find("hunter2"), std::string::npos);

  absl::StatusOr<PortalCase> page =
      LoadPortalCase(context(), acme_alice_, opened->view.record.number);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->files.size(), 2u);
  EXPECT_FALSE(page->view.secret_fields.has_value());
}

TEST_F(PortalUseCaseTest, ConversationLeavesInternalNotesOutAndNamesSides) {
  const core::Case record = MustOpen(acme_alice_, Request("Disk full"));
  ASSERT_TRUE(Comment(agent_, record.number, "We are looking").ok());
  ASSERT_TRUE(
      Comment(agent_, record.number, "customer is on old kernel", core::Visibility::kInternal)
          .ok());
  ASSERT_TRUE(
      Upload(agent_, record.number, "secret", "internal.txt", core::Visibility::kInternal).ok());
  absl::StatusOr<AddCommentResult> reply = Await<AddCommentResult>([&](auto done) {
    ReplyFromPortal(context(), acme_alice_, record.number, "Thanks",
                    {{"more.log", "text/plain", "lines"}}, std::move(done));
  });
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->comment.comment.channel, "portal");

  absl::StatusOr<PortalCase> page = LoadPortalCase(context(), acme_alice_, record.number);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->comments.size(), 2u);
  EXPECT_EQ(page->comments[0].view.comment.body, "We are looking");
  EXPECT_EQ(page->comments[0].side, AuthorSide::kProvider);
  EXPECT_EQ(page->comments[1].side, AuthorSide::kYou);
  ASSERT_EQ(page->comments[1].view.attachments.size(), 1u);
  EXPECT_EQ(page->comments[1].view.attachments[0].filename, "more.log");
  EXPECT_TRUE(page->files.empty());  // the internal file is not shown

  // Another organisation's case does not exist for them.
  EXPECT_TRUE(absl::IsNotFound(LoadPortalCase(context(), globex_gina_, record.number).status()));
  // Staff use the console.
  EXPECT_TRUE(absl::IsPermissionDenied(LoadPortalCase(context(), agent_, record.number).status()));
  // A reply needs words or files.
  absl::StatusOr<AddCommentResult> empty = Await<AddCommentResult>([&](auto done) {
    ReplyFromPortal(context(), acme_alice_, record.number, " \n", {}, std::move(done));
  });
  EXPECT_TRUE(absl::IsInvalidArgument(empty.status()));
}

TEST_F(PortalUseCaseTest, ListFiltersByStateAndWhose) {
  const core::Case gina_open = MustOpen(globex_gina_, Request("Gina's open case"));
  const core::Case gus_open = MustOpen(globex_gus_, Request("Gus's open case"));
  const core::Case gina_solved = MustOpen(globex_gina_, Request("Gina's solved case"));
  UpdateCaseRequest solve;
  solve.status = core::CaseStatus::kSolved;
  ASSERT_TRUE(Update(globex_gina_, gina_solved.number, solve).ok());
  MustOpen(acme_alice_, Request("Acme's case"));

  const auto numbers = [&](PortalCaseState state, bool mine) {
    PortalCaseQuery query;
    query.state = state;
    query.mine_only = mine;
    absl::StatusOr<ports::Page<PortalCaseRow>> page =
        ListPortalCases(context(), globex_gina_, query);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<core::CaseNumber> found;
    if (page.ok()) {
      for (const PortalCaseRow& row : page->items) found.push_back(row.record.number);
    }
    return found;
  };
  // Globex shares cases: the organisation's open cases, newest first.
  EXPECT_EQ(numbers(PortalCaseState::kOpen, false),
            (std::vector<core::CaseNumber>{gus_open.number, gina_open.number}));
  EXPECT_EQ(numbers(PortalCaseState::kOpen, true),
            (std::vector<core::CaseNumber>{gina_open.number}));
  EXPECT_EQ(numbers(PortalCaseState::kSolved, false),
            (std::vector<core::CaseNumber>{gina_solved.number}));
  EXPECT_EQ(numbers(PortalCaseState::kAll, true),
            (std::vector<core::CaseNumber>{gina_solved.number, gina_open.number}));
}

TEST_F(PortalUseCaseTest, ListPagesKeepEveryMatch) {
  std::vector<core::CaseNumber> open;
  for (int i = 0; i < 7; ++i) {
    const core::Case record = MustOpen(acme_alice_, Request("Case " + std::to_string(i)));
    if (i % 2 == 0) {
      UpdateCaseRequest solve;
      solve.status = core::CaseStatus::kSolved;
      ASSERT_TRUE(Update(acme_alice_, record.number, solve).ok());
    } else {
      open.insert(open.begin(), record.number);
    }
  }
  PortalCaseQuery query;
  query.page.limit = 2;
  std::vector<core::CaseNumber> seen;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ports::Page<PortalCaseRow>> page =
        ListPortalCases(context(), acme_alice_, query);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const PortalCaseRow& row : page->items) seen.push_back(row.record.number);
    if (page->next_cursor.empty()) break;
    query.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(seen, open);
}

TEST_F(PortalUseCaseTest, PartnerCustomersSeeThePartnersIdentity) {
  absl::StatusOr<PortalIdentity> carl = LoadPortalIdentity(context(), partner_customer_carl_);
  ASSERT_TRUE(carl.ok()) << carl.status();
  EXPECT_EQ(carl->brand_name, "Partner");
  EXPECT_TRUE(carl->hides_provider);

  OrganisationMailSettings mail;
  mail.org_id = partner_;
  mail.sender_name = "Partner Support Desk";
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) {
                    return SaveOrganisationMailSettings(txn, mail);
                  })
                  .ok());
  carl = LoadPortalIdentity(context(), partner_customer_carl_);
  ASSERT_TRUE(carl.ok());
  EXPECT_EQ(carl->brand_name, "Partner Support Desk");

  absl::StatusOr<PortalIdentity> alice = LoadPortalIdentity(context(), acme_alice_);
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice->brand_name, "Provider");
  EXPECT_FALSE(alice->hides_provider);

  absl::StatusOr<PortalIdentity> pat = LoadPortalIdentity(context(), partner_agent_);
  ASSERT_TRUE(pat.ok());
  EXPECT_EQ(pat->brand_name, "Provider");
  ASSERT_EQ(pat->customers.size(), 1u);
  EXPECT_EQ(PortalOrganisationName(*pat, partner_customer_), "Partner Customer");

  EXPECT_TRUE(absl::IsPermissionDenied(LoadPortalIdentity(context(), agent_).status()));
}

TEST_F(PortalUseCaseTest, PartnerAgentsOpenForTheirCustomersWithTheirReference) {
  PortalCaseSubmission submission = Complete("Customer VM down");
  submission.request.org_id = partner_customer_;
  submission.request.partner_reference = "PT-42";
  submission.cc_emails = {"carl@example.com"};
  absl::StatusOr<PortalOpenedCase> opened = OpenPortal(partner_agent_, submission);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->view.record.org_id, partner_customer_);
  EXPECT_EQ(opened->view.record.partner_reference, "PT-42");
  EXPECT_EQ(opened->view.record.followers,
            std::vector<core::UserId>{partner_customer_carl_.user.id});

  // A customer's "partner reference" is not theirs to give.
  PortalCaseSubmission by_customer = Complete("Mine");
  by_customer.request.partner_reference = "X";
  opened = OpenPortal(acme_alice_, by_customer);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->view.record.partner_reference, "");
}

}  // namespace
}  // namespace casedesk::app

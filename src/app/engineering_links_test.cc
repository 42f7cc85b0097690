// Engineering links and problems through the use cases on a real SqliteStore: who may see and
// change links (customers get NotFound), the webhook signature, state changes posting notes and
// suggesting or sending public updates on every linked case, replays changing nothing, the
// one-click send, and problems writing their events into the cases' trails (staff only).
#include "app/engineering_links.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "app/case_events.h"
#include "app/case_test_fixture.h"
#include "app/list_comments.h"
#include "app/problems.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

constexpr char kSecret[] = "a-tracker-secret-of-some-length";

class EngineeringLinksTest : public CaseTestFixture {
 protected:
  absl::StatusOr<core::EngineeringLink> Link(const Caller& caller, core::CaseNumber number,
                                             std::string key) {
    EngineeringLinkInput input;
    input.tracker = "JIRA";
    input.key = std::move(key);
    input.url = "https://jira.example.com/browse/PROJ-1";
    input.title = "Export bug";
    return Await<core::EngineeringLink>([&](Done<core::EngineeringLink> done) {
      LinkEngineeringIssue(context(), caller, number, input, std::move(done));
    });
  }

  absl::StatusOr<TrackerUpdateResult> MoveKey(std::string key, std::string state) {
    return Await<TrackerUpdateResult>([&](Done<TrackerUpdateResult> done) {
      UpdateTrackerIssue(context(), agent_, "jira", key, TrackerStateUpdate{state, {}, {}},
                         std::move(done));
    });
  }

  absl::StatusOr<EngineeringSettings> Configure(EngineeringSettingsInput input,
                                                const Caller* caller = nullptr) {
    return Await<EngineeringSettings>([&](Done<EngineeringSettings> done) {
      SetEngineeringSettings(context(), caller ? *caller : admin_, input, std::move(done));
    });
  }

  std::vector<CommentView> Comments(const Caller& caller, core::CaseNumber number) {
    ports::PageRequest page;
    page.limit = 100;
    absl::StatusOr<ports::Page<CommentView>> listed = ListComments(context(), caller, number, page);
    EXPECT_TRUE(listed.ok()) << listed.status();
    return listed.ok() ? listed->items : std::vector<CommentView>{};
  }

  std::string Signed(std::string_view body, std::string_view secret = kSecret) {
    const std::string mac = context().crypto.HmacSha256(secret, body);
    return "sha256=" + absl::BytesToHexString(absl::string_view(mac.data(), mac.size()));
  }
};

TEST_F(EngineeringLinksTest, OnlyProviderStaffSeeOrMakeLinks) {
  const core::Case c = MustOpen(acme_alice_, Request("Export fails"));
  EXPECT_TRUE(absl::IsNotFound(Link(acme_alice_, c.number, "PROJ-1").status()));
  EXPECT_TRUE(absl::IsNotFound(Link(partner_agent_, c.number, "PROJ-1").status()));
  absl::StatusOr<core::EngineeringLink> link = Link(agent_, c.number, "PROJ-1");
  ASSERT_TRUE(link.ok()) << link.status();
  EXPECT_EQ(link->tracker, "jira");
  EXPECT_EQ(link->state, "open");
  EXPECT_TRUE(absl::IsAlreadyExists(Link(agent_, c.number, "PROJ-1").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(Link(agent_, c.number, "PROJ 1").status()));
  EXPECT_TRUE(absl::IsNotFound(ListEngineeringLinks(context(), acme_alice_, c.number).status()));
  EXPECT_EQ(ListEngineeringLinks(context(), agent_, c.number)->size(), 1u);
  EXPECT_TRUE(LoadCaseEngineering(context(), acme_alice_, c.number).links.empty());
  EXPECT_EQ(LoadCaseEngineering(context(), agent_, c.number).links.size(), 1u);
  // The trail records the link for staff; customers do not see the event.
  ports::PageRequest page;
  page.limit = 100;
  bool staff_saw = false;
  absl::StatusOr<ports::Page<core::AuditEvent>> staff_events =
      ListCaseEvents(context(), agent_, c.number, page);
  ASSERT_TRUE(staff_events.ok());
  for (const core::AuditEvent& event : staff_events->items) {
    staff_saw |= event.kind == kEngineeringLinked;
  }
  EXPECT_TRUE(staff_saw);
  absl::StatusOr<ports::Page<core::AuditEvent>> customer_events =
      ListCaseEvents(context(), acme_alice_, c.number, page);
  ASSERT_TRUE(customer_events.ok());
  for (const core::AuditEvent& event : customer_events->items) {
    EXPECT_FALSE(event.kind.starts_with("engineering.")) << event.kind;
  }
}

TEST_F(EngineeringLinksTest, WebhookSignatureIsCheckedInConstantTimeAgainstTheSecret) {
  const std::string body = R"({"tracker":"jira","key":"PROJ-1","state":"released"})";
  // No secret configured: every delivery is refused.
  EXPECT_TRUE(absl::IsUnauthenticated(VerifyTrackerSignature(context(), body, Signed(body))));
  EngineeringSettingsInput input;
  input.secret = "short";
  EXPECT_TRUE(absl::IsInvalidArgument(Configure(input).status()));
  input.secret = kSecret;
  EXPECT_TRUE(absl::IsPermissionDenied(Configure(input, &agent_).status()));
  EXPECT_TRUE(absl::IsNotFound(Configure(input, &acme_alice_).status()));
  absl::StatusOr<EngineeringSettings> settings = Configure(input);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_TRUE(settings->secret_configured);
  EXPECT_TRUE(VerifyTrackerSignature(context(), body, Signed(body)).ok());
  EXPECT_TRUE(absl::IsUnauthenticated(VerifyTrackerSignature(context(), body + " ", Signed(body))));
  EXPECT_TRUE(absl::IsUnauthenticated(
      VerifyTrackerSignature(context(), body, Signed(body, "another-secret-entirely"))));
  EXPECT_TRUE(absl::IsUnauthenticated(VerifyTrackerSignature(context(), body, "")));
  EXPECT_TRUE(absl::IsUnauthenticated(VerifyTrackerSignature(context(), body, "sha256=zz")));
}

TEST_F(EngineeringLinksTest, PromptedUpdateIsSuggestedThenSentWithOneCall) {
  const core::Case first = MustOpen(acme_alice_, Request("Export fails"));
  const core::Case second = MustOpen(globex_gina_, Request("Export fails too"));
  ASSERT_TRUE(Link(agent_, first.number, "PROJ-1").ok());
  ASSERT_TRUE(Link(admin_, second.number, "PROJ-1").ok());
  absl::StatusOr<TrackerUpdateResult> moved = MoveKey("PROJ-1", "Released");
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_EQ(moved->links.size(), 2u);
  for (const LinkStateChange& change : moved->links) {
    EXPECT_TRUE(change.changed);
    EXPECT_EQ(change.action, core::StateAction::kPrompt);
    EXPECT_FALSE(change.public_update_sent);
    EXPECT_EQ(change.link.state, "released");
    EXPECT_NE(change.link.pending_update.find("has been released"), std::string::npos);
  }
  // Each case got one internal note; the customer sees none of it.
  for (const core::Case& c : {first, second}) {
    std::vector<CommentView> staff = Comments(agent_, c.number);
    ASSERT_EQ(staff.size(), 1u);
    EXPECT_EQ(staff[0].comment.visibility, core::Visibility::kInternal);
    EXPECT_NE(staff[0].comment.body.find("Suggested public update"), std::string::npos);
  }
  EXPECT_TRUE(Comments(acme_alice_, first.number).empty());
  // The same state again changes nothing.
  absl::StatusOr<TrackerUpdateResult> replay = MoveKey("PROJ-1", "released");
  ASSERT_TRUE(replay.ok());
  EXPECT_FALSE(replay->links[0].changed);
  EXPECT_EQ(Comments(agent_, first.number).size(), 1u);

  const core::EngineeringLinkId id = moved->links[0].link.id;
  auto send = [&](const Caller& caller) {
    return Await<core::EngineeringLink>([&](Done<core::EngineeringLink> done) {
      SendPendingUpdate(context(), caller, first.number, id, std::move(done));
    });
  };
  EXPECT_TRUE(absl::IsNotFound(send(acme_alice_).status()));
  absl::StatusOr<core::EngineeringLink> sent = send(agent_);
  ASSERT_TRUE(sent.ok()) << sent.status();
  EXPECT_TRUE(sent->pending_update.empty());
  std::vector<CommentView> visible = Comments(acme_alice_, first.number);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_NE(visible[0].comment.body.find("has been released"), std::string::npos);
  EXPECT_EQ(visible[0].comment.body.find("PROJ-1"), std::string::npos);
  EXPECT_TRUE(absl::IsFailedPrecondition(send(agent_).status()));
  EXPECT_TRUE(absl::IsNotFound(MoveKey("NOPE-1", "open").status()));
}

TEST_F(EngineeringLinksTest, SendPolicyPostsThePublicUpdateAndClosedCasesOnlyRecord) {
  EngineeringSettingsInput input;
  input.policies = std::map<std::string, core::StateAction>{{"released", core::StateAction::kSend}};
  input.templates = std::map<std::string, std::string>{{"released", "Fixed in #{case_number}."}};
  ASSERT_TRUE(Configure(input).ok());
  const core::Case open = MustOpen(acme_alice_, Request("Export fails"));
  const core::Case closed = MustOpen(acme_alice_, Request("Old export issue"));
  ASSERT_TRUE(Link(agent_, open.number, "PROJ-2").ok());
  ASSERT_TRUE(Link(agent_, closed.number, "PROJ-2").ok());
  for (core::CaseStatus status : {core::CaseStatus::kSolved, core::CaseStatus::kClosed}) {
    UpdateCaseRequest change;
    change.status = status;
    ASSERT_TRUE(Update(agent_, closed.number, change).ok());
  }
  absl::StatusOr<TrackerUpdateResult> moved = MoveKey("PROJ-2", "released");
  ASSERT_TRUE(moved.ok()) << moved.status();
  for (const LinkStateChange& change : moved->links) {
    EXPECT_EQ(change.link.state, "released");
    EXPECT_EQ(change.public_update_sent, change.link.case_number == open.number);
  }
  std::vector<CommentView> visible = Comments(acme_alice_, open.number);
  ASSERT_EQ(visible.size(), 1u);
  EXPECT_EQ(visible[0].comment.body, "Fixed in #" + std::to_string(open.number) + ".");
  EXPECT_TRUE(Comments(agent_, closed.number).empty());
}

TEST_F(EngineeringLinksTest, ProblemsWriteTheirEventsIntoTheCasesTrails) {
  const core::Case c = MustOpen(acme_alice_, Request("Export fails"));
  ProblemInput input;
  input.title = "Exports time out";
  input.component = "export";
  EXPECT_TRUE(absl::IsNotFound(Await<core::Problem>([&](Done<core::Problem> done) {
                                 CreateProblem(context(), acme_alice_, input, std::move(done));
                               }).status()));
  absl::StatusOr<core::Problem> problem = Await<core::Problem>(
      [&](Done<core::Problem> done) { CreateProblem(context(), agent_, input, std::move(done)); });
  ASSERT_TRUE(problem.ok()) << problem.status();
  absl::StatusOr<core::Problem> linked = Await<core::Problem>([&](Done<core::Problem> done) {
    LinkProblemCase(context(), agent_, problem->id, c.number, std::move(done));
  });
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->case_count, 1);
  EXPECT_TRUE(absl::IsInvalidArgument(Await<core::Problem>([&](Done<core::Problem> done) {
                                        LinkProblemCase(context(), agent_, problem->id,
                                                        c.number + 100, std::move(done));
                                      }).status()));
  ProblemInput resolve;
  resolve.status = core::ProblemStatus::kResolved;
  absl::StatusOr<core::Problem> resolved = Await<core::Problem>([&](Done<core::Problem> done) {
    UpdateProblem(context(), agent_, problem->id, resolve, std::move(done));
  });
  ASSERT_TRUE(resolved.ok());
  EXPECT_NE(resolved->resolved_at, absl::InfinitePast());
  std::vector<std::string> kinds;
  for (const core::AuditEvent& event : StoredEvents(c.number)) kinds.push_back(event.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), std::string(kCaseProblemLinked)), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), std::string(kProblemUpdated)), kinds.end());
  absl::StatusOr<ProblemDetail> detail = GetProblemDetail(context(), agent_, problem->id);
  ASSERT_TRUE(detail.ok());
  ASSERT_EQ(detail->events.size(), 3u);
  EXPECT_EQ(detail->events[0].kind, kProblemCreated);
  EXPECT_EQ(detail->cases.size(), 1u);
  EXPECT_TRUE(absl::IsNotFound(GetProblemDetail(context(), acme_alice_, problem->id).status()));
  absl::StatusOr<IncidentTrendReport> trend = GetIncidentTrends(
      context(), agent_, clock_.Now() - absl::Hours(1), clock_.Now() + absl::Hours(1));
  ASSERT_TRUE(trend.ok()) << trend.status();
  EXPECT_EQ(trend->total, 1);
  ASSERT_EQ(trend->by_problem.size(), 1u);
  EXPECT_EQ(trend->by_problem[0].name, "Exports time out");
  EXPECT_EQ(trend->by_problem[0].status, "resolved");
  EXPECT_TRUE(absl::IsInvalidArgument(
      GetIncidentTrends(context(), agent_, clock_.Now(), clock_.Now()).status()));
}

}  // namespace
}  // namespace casedesk::app

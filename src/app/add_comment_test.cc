#include "app/add_comment.h"

#include <gtest/gtest.h>

#include "app/case_events.h"
#include "app/case_test_fixture.h"
#include "app/list_comments.h"

namespace casedesk::app {
namespace {

using core::CaseStatus;
using core::Visibility;

class AddCommentTest : public CaseTestFixture {
 protected:
  void SetStatus(core::CaseNumber number, CaseStatus status) {
    UpdateCaseRequest request;
    request.status = status;
    ASSERT_TRUE(Update(agent_, number, request).ok());
  }

  std::vector<std::string> Bodies(const Caller& caller, core::CaseNumber number) {
    absl::StatusOr<ports::Page<CommentView>> page = ListComments(context(), caller, number, {});
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> bodies;
    if (page.ok()) {
      for (const CommentView& view : page->items) bodies.push_back(view.comment.body);
    }
    return bodies;
  }

  std::vector<std::string> EventKinds(const Caller& caller, core::CaseNumber number) {
    absl::StatusOr<ports::Page<core::AuditEvent>> page =
        ListCaseEvents(context(), caller, number, {});
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<std::string> kinds;
    if (page.ok()) {
      for (const core::AuditEvent& event : page->items) kinds.push_back(event.kind);
    }
    return kinds;
  }
};

TEST_F(AddCommentTest, StatusFollowsPublicReplies) {
  struct Row {
    const char* name;
    CaseStatus before;
    Caller* author;
    CaseStatus after;
  };
  const Row rows[] = {
      {"first staff reply opens a new case", CaseStatus::kNew, &agent_, CaseStatus::kOpen},
      {"customer reply leaves a new case new", CaseStatus::kNew, &acme_alice_, CaseStatus::kNew},
      {"customer reply re-opens solved", CaseStatus::kSolved, &acme_alice_, CaseStatus::kOpen},
      {"customer reply re-opens pending", CaseStatus::kPending, &acme_alice_, CaseStatus::kOpen},
      {"customer reply leaves on hold", CaseStatus::kOnHold, &acme_alice_, CaseStatus::kOnHold},
      {"staff reply leaves pending", CaseStatus::kPending, &agent_, CaseStatus::kPending},
      {"partner agent reply re-opens solved", CaseStatus::kSolved, &partner_agent_,
       CaseStatus::kOpen},
  };
  for (const Row& row : rows) {
    const Caller& requester = row.author == &partner_agent_ ? partner_customer_carl_ : acme_alice_;
    const core::CaseNumber number = MustOpen(requester, Request(row.name)).number;
    if (row.before != CaseStatus::kNew) SetStatus(number, row.before);
    absl::StatusOr<AddCommentResult> result = Comment(*row.author, number, "a reply");
    ASSERT_TRUE(result.ok()) << row.name << ": " << result.status();
    EXPECT_EQ(result->case_status, row.after) << row.name;
    EXPECT_EQ(Stored(number).status, row.after) << row.name;
    if (row.before == CaseStatus::kSolved && row.after == CaseStatus::kOpen) {
      EXPECT_FALSE(Stored(number).solved_at.has_value()) << row.name;
    }
  }
}

TEST_F(AddCommentTest, FirstStaffReplyIsStampedOnce) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("stamp")).number;
  ASSERT_TRUE(Comment(acme_alice_, number, "more detail").ok());
  EXPECT_FALSE(Stored(number).first_public_reply_at.has_value());
  ASSERT_TRUE(Comment(agent_, number, "looking", Visibility::kInternal).ok());
  EXPECT_FALSE(Stored(number).first_public_reply_at.has_value());  // notes do not count
  clock_.Advance(absl::Minutes(7));
  const absl::Time first = clock_.Now();
  ASSERT_TRUE(Comment(agent_, number, "we are on it").ok());
  clock_.Advance(absl::Minutes(7));
  ASSERT_TRUE(Comment(admin_, number, "update").ok());
  EXPECT_EQ(Stored(number).first_public_reply_at, first);
}

TEST_F(AddCommentTest, ClosedCaseTakesNoComments) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("done")).number;
  SetStatus(number, CaseStatus::kSolved);
  SetStatus(number, CaseStatus::kClosed);
  EXPECT_EQ(Comment(acme_alice_, number, "one more thing").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Comment(agent_, number, "note", Visibility::kInternal).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Bodies(agent_, number).empty());
}

TEST_F(AddCommentTest, InternalNotesAreForStaffOnly) {
  const core::CaseNumber number = MustOpen(partner_customer_carl_, Request("partner case")).number;
  ASSERT_TRUE(Comment(partner_customer_carl_, number, "public question").ok());
  ASSERT_TRUE(Comment(agent_, number, "internal: check the SAN", Visibility::kInternal).ok());
  ASSERT_TRUE(Comment(agent_, number, "public answer").ok());
  EXPECT_EQ(Comment(partner_agent_, number, "partner note", Visibility::kInternal).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Comment(partner_customer_carl_, number, "sneaky", Visibility::kInternal).status().code(),
      absl::StatusCode::kPermissionDenied);

  const std::vector<std::string> everything = {"public question", "internal: check the SAN",
                                               "public answer"};
  const std::vector<std::string> public_only = {"public question", "public answer"};
  EXPECT_EQ(Bodies(agent_, number), everything);
  EXPECT_EQ(Bodies(partner_customer_carl_, number), public_only);
  EXPECT_EQ(Bodies(partner_agent_, number), public_only);

  // The note's audit event is hidden from non-staff too.
  const std::vector<std::string> staff_kinds = EventKinds(agent_, number);
  EXPECT_NE(std::find(staff_kinds.begin(), staff_kinds.end(), "note.added"), staff_kinds.end());
  for (const Caller* caller : {&partner_agent_, &partner_customer_carl_}) {
    const std::vector<std::string> kinds = EventKinds(*caller, number);
    EXPECT_EQ(std::find(kinds.begin(), kinds.end(), "note.added"), kinds.end());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "comment.added"), kinds.end());
  }
  // An internal note leaves the case's customer-visible state alone.
  EXPECT_EQ(Stored(number).status, CaseStatus::kOpen);
}

TEST_F(AddCommentTest, CommentsCarryAuthorAndAttachments) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("with files")).number;
  absl::StatusOr<core::Attachment> log = Upload(acme_alice_, number, "error log");
  ASSERT_TRUE(log.ok()) << log.status();
  absl::StatusOr<AddCommentResult> posted =
      Comment(acme_alice_, number, "see attached", Visibility::kPublic, {log->id});
  ASSERT_TRUE(posted.ok()) << posted.status();
  ASSERT_EQ(posted->comment.attachments.size(), 1u);

  absl::StatusOr<ports::Page<CommentView>> page = ListComments(context(), agent_, number, {});
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 1u);
  const CommentView& view = page->items[0];
  EXPECT_EQ(view.author_name, "alice");
  EXPECT_EQ(view.comment.author_id, acme_alice_.user.id);
  EXPECT_EQ(view.comment.created_at, clock_.Now());
  ASSERT_EQ(view.attachments.size(), 1u);
  EXPECT_EQ(view.attachments[0].id, log->id);

  // An attachment rides on one comment only.
  EXPECT_EQ(Comment(acme_alice_, number, "again", Visibility::kPublic, {log->id}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(AddCommentTest, AttachmentRulesAreCheckedAndNothingIsWrittenOnFailure) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("files")).number;
  const core::CaseNumber other = MustOpen(acme_alice_, Request("other")).number;
  absl::StatusOr<core::Attachment> elsewhere = Upload(acme_alice_, other, "other data");
  absl::StatusOr<core::Attachment> internal =
      Upload(agent_, number, "trace", "trace.txt", Visibility::kInternal);
  absl::StatusOr<core::Attachment> public_file = Upload(agent_, number, "guide", "guide.txt");
  ASSERT_TRUE(elsewhere.ok() && internal.ok() && public_file.ok());

  struct Row {
    const char* name;
    Visibility visibility;
    std::vector<std::string> ids;
  };
  const Row rows[] = {
      {"attachment of another case", Visibility::kPublic, {elsewhere->id}},
      {"unknown attachment", Visibility::kPublic, {"no-such-id"}},
      {"internal file on a public reply", Visibility::kPublic, {internal->id}},
      {"public file on an internal note", Visibility::kInternal, {public_file->id}},
      {"listed twice", Visibility::kPublic, {public_file->id, public_file->id}},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Comment(agent_, number, row.name, row.visibility, row.ids).status().code(),
              absl::StatusCode::kInvalidArgument)
        << row.name;
  }
  EXPECT_TRUE(Bodies(agent_, number).empty());
  EXPECT_EQ(Stored(number).status, CaseStatus::kNew);  // no reply landed, so still new
}

TEST_F(AddCommentTest, BodyIsValidated) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("empty")).number;
  EXPECT_EQ(Comment(acme_alice_, number, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Comment(acme_alice_, number, std::string(core::kMaxCommentLength + 1, 'x')).status().code(),
      absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace casedesk::app

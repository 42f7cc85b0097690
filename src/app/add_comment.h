// Use case: write on a case, either a public reply or (provider staff only) an internal note,
// optionally carrying attachments uploaded to the case beforehand. A public reply moves the
// status (core::StatusAfterPublicComment): a customer's reply re-opens a solved or pending
// case, the first staff reply opens a new one and stamps first_public_reply_at. A closed case
// takes no comments. The comment, its attachment links, the case change and one audit event
// are written in one unit of work. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "core/conversation.h"

namespace casedesk::app {

struct AddCommentRequest {
  std::string body;
  core::Visibility visibility = core::Visibility::kPublic;
  std::vector<std::string> attachment_ids;  // uploaded to this case, not yet on a comment
  std::string channel = "api";
};

// A comment with what a reader needs to show it.
struct CommentView {
  core::Comment comment;
  std::string author_name;
  std::vector<core::Attachment> attachments;
};

struct AddCommentResult {
  CommentView comment;
  core::CaseStatus case_status = core::CaseStatus::kNew;
};

// The write half of adding a comment, for units of work that add one (AddComment, mail
// ingest): loads the case as `author` may see it (NotFound otherwise, FailedPrecondition when it
// is closed), inserts `draft`, and for a public comment moves the status and first-reply
// instant, updates the case and refreshes its SLA clocks; records the event with
// `extra_changes`; queues the mail the reply causes (threaded to `in_reply_to`, the Message-ID
// of the mail that carried it, if any). Internal notes change nothing a customer sees.
struct CommentWriteOptions {
  std::vector<core::FieldChange> extra_changes;
  std::string in_reply_to;
};
struct CommentWrite {
  core::Case record;  // the case after the comment
  core::Comment comment;
};
absl::StatusOr<CommentWrite> InsertCommentOnCase(ports::StoreTransaction& txn, AppContext& context,
                                                 const core::Viewer& author, core::Comment draft,
                                                 const CommentWriteOptions& options);

void AddComment(AppContext& context, const Caller& caller, core::CaseNumber number,
                AddCommentRequest request, Done<AddCommentResult> done);

}  // namespace casedesk::app

#include "app/add_comment.h"

#include <set>
#include <utility>

#include "app/case_notifications.h"
#include "app/outbox.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using core::NameOf;

// The attachments must have been uploaded to this case, not yet belong to a comment, and
// share the comment's visibility (an internal file on a public reply would be invisible to
// its readers; a public file on an internal note would leak it).
absl::StatusOr<std::vector<core::Attachment>> LoadAttachments(ports::StoreTransaction& txn,
                                                              core::CaseNumber number,
                                                              const AddCommentRequest& request) {
  std::vector<core::Attachment> attachments;
  std::set<std::string> seen;
  for (const std::string& id : request.attachment_ids) {
    if (!seen.insert(id).second) {
      return absl::InvalidArgumentError("attachment " + id + " is listed twice");
    }
    absl::StatusOr<core::Attachment> attachment = txn.GetAttachment(id);
    if (!attachment.ok() && !absl::IsNotFound(attachment.status())) return attachment.status();
    if (!attachment.ok() || attachment->case_number != number) {
      return absl::InvalidArgumentError("attachment " + id + " was not uploaded to this case");
    }
    if (attachment->comment_id) {
      return absl::InvalidArgumentError("attachment " + id + " already belongs to a comment");
    }
    if (attachment->visibility != request.visibility) {
      return absl::InvalidArgumentError(
          "attachment " + id + " is " +
          std::string(NameOf<core::Visibility>(core::kVisibilityNames, attachment->visibility)) +
          " but the comment is " +
          std::string(NameOf<core::Visibility>(core::kVisibilityNames, request.visibility)));
    }
    attachments.push_back(*std::move(attachment));
  }
  return attachments;
}

}  // namespace

absl::StatusOr<CommentWrite> InsertCommentOnCase(ports::StoreTransaction& txn, AppContext& context,
                                                 const core::Viewer& author, core::Comment draft,
                                                 const CommentWriteOptions& options) {
  const core::CaseNumber number = draft.case_number;
  const bool staff = core::IsProviderStaff(author.role);
  absl::StatusOr<core::Case> loaded = LoadVisibleCase(txn, author, number);
  if (!loaded.ok()) return loaded.status();
  core::Case record = *std::move(loaded);
  if (record.status == core::CaseStatus::kClosed) {
    return absl::FailedPreconditionError("a closed case takes no comments; open a new case");
  }
  core::Comment comment = std::move(draft);
  absl::StatusOr<core::CommentId> id = txn.InsertComment(comment);
  if (!id.ok()) return id.status();
  comment.id = *id;

  const bool internal = comment.visibility == core::Visibility::kInternal;
  core::AuditEvent event = CaseEvent(number, author.user_id, comment.created_at,
                                     internal ? kInternalNoteAdded : kCommentAdded);
  core::RecordChange(event.changes, "comment", "", std::to_string(comment.id));
  // Which side wrote it: the SLA clocks tell staff replies from customer replies by this.
  core::RecordChange(event.changes, "author_side", "", staff ? kProviderSide : kCustomerSide);
  // Internal notes change nothing a customer sees, not even updated_at.
  if (!internal) {
    const core::CaseStatus before = record.status;
    record.status = core::StatusAfterPublicComment(before, staff);
    core::RecordChange(
        event.changes, "status",
        std::string(NameOf<core::CaseStatus>(core::kCaseStatusNames, before)),
        std::string(NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)));
    if (before == core::CaseStatus::kSolved && record.status != before) record.solved_at.reset();
    if (staff && !record.first_public_reply_at) {
      record.first_public_reply_at = comment.created_at;
      core::RecordChange(
          event.changes, "first_public_reply_at", "",
          absl::FormatTime(absl::RFC3339_sec, comment.created_at, absl::UTCTimeZone()));
    }
    record.updated_at = comment.created_at;
    if (absl::Status updated = txn.UpdateCase(record); !updated.ok()) return updated;
  }
  event.changes.insert(event.changes.end(), options.extra_changes.begin(),
                       options.extra_changes.end());
  if (absl::StatusOr<core::EventId> appended = txn.AppendEvent(event); !appended.ok()) {
    return appended.status();
  }
  // A public reply moves the clocks (first response, next update, pauses); a note does not.
  if (!internal) {
    if (absl::Status refreshed = context.sla->Refresh(txn, record, comment.created_at);
        !refreshed.ok()) {
      return refreshed;
    }
  }
  CaseChange change{.kind = internal ? CaseChangeKind::kInternalNote : CaseChangeKind::kPublicReply,
                    .record = record,
                    .comment = comment.body,
                    .actor = author.user_id,
                    .in_reply_to = options.in_reply_to};
  if (absl::Status notified = NotifyCaseChange(context, txn, change); !notified.ok()) {
    return notified;
  }
  return CommentWrite{std::move(record), std::move(comment)};
}

void AddComment(AppContext& context, const Caller& caller, core::CaseNumber number,
                AddCommentRequest request, Done<AddCommentResult> done) {
  if (request.visibility == core::Visibility::kInternal &&
      !core::IsProviderStaff(caller.viewer.role)) {
    done(absl::PermissionDeniedError("only provider staff may write internal notes"));
    return;
  }
  core::Comment draft;
  draft.case_number = number;
  draft.author_id = caller.viewer.user_id;
  draft.body = std::move(request.body);
  draft.visibility = request.visibility;
  draft.channel = request.channel;
  draft.attachment_ids = request.attachment_ids;
  draft.created_at = context.clock.Now();
  if (absl::Status valid = core::ValidateComment(draft); !valid.ok()) {
    done(valid);
    return;
  }
  if (request.attachment_ids.size() > 50) {
    done(absl::InvalidArgumentError("at most 50 attachments per comment"));
    return;
  }
  auto work = [caller, number, draft = std::move(draft), request = std::move(request),
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<AddCommentResult> {
    absl::StatusOr<std::vector<core::Attachment>> attachments =
        LoadAttachments(txn, number, request);
    if (!attachments.ok()) return attachments.status();
    absl::StatusOr<CommentWrite> written =
        InsertCommentOnCase(txn, context, caller.viewer, draft, CommentWriteOptions{});
    if (!written.ok()) return written.status();
    for (core::Attachment& attachment : *attachments) {
      if (absl::Status linked = txn.AttachToComment(attachment.id, written->comment.id);
          !linked.ok()) {
        return linked;
      }
      attachment.comment_id = written->comment.id;
    }
    AddCommentResult result;
    result.comment.comment = std::move(written->comment);
    result.comment.author_name = caller.user.name;
    result.comment.attachments = *std::move(attachments);
    result.case_status = written->record.status;
    return result;
  };
  WriteValue<AddCommentResult>(context.store, std::move(work),
                               WakingOutbox(context, std::move(done)));
}

}  // namespace casedesk::app

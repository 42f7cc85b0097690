#include "app/list_comments.h"

#include <map>
#include <utility>

#include "core/access.h"

namespace casedesk::app {

absl::StatusOr<ports::Page<CommentView>> ListComments(AppContext& context, const Caller& caller,
                                                      core::CaseNumber number,
                                                      const ports::PageRequest& page) {
  const core::Viewer& viewer = caller.viewer;
  const bool include_internal = core::CanSeeInternal(viewer);
  ports::Page<CommentView> result;
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
    if (!record.ok()) return record.status();
    absl::StatusOr<ports::Page<core::Comment>> comments =
        txn.ListComments(number, include_internal, BoundedPage(context.limits, page));
    if (!comments.ok()) return comments.status();
    absl::StatusOr<std::vector<core::Attachment>> attachments = txn.ListAttachments(number);
    if (!attachments.ok()) return attachments.status();
    std::multimap<core::CommentId, core::Attachment> by_comment;
    for (core::Attachment& attachment : *attachments) {
      if (attachment.comment_id && core::CanSeeComment(viewer, attachment.visibility)) {
        by_comment.emplace(*attachment.comment_id, std::move(attachment));
      }
    }
    std::map<core::UserId, std::string> author_names;
    result.next_cursor = comments->next_cursor;
    for (core::Comment& comment : comments->items) {
      // The store filtered already; the rule is applied once more on each row.
      if (!core::CanSeeComment(viewer, comment.visibility)) continue;
      CommentView view;
      auto name = author_names.find(comment.author_id);
      if (name == author_names.end()) {
        absl::StatusOr<core::User> author = txn.GetUser(comment.author_id);
        if (!author.ok() && !absl::IsNotFound(author.status())) return author.status();
        name = author_names.emplace(comment.author_id, author.ok() ? author->name : "").first;
      }
      view.author_name = name->second;
      const auto [first, last] = by_comment.equal_range(comment.id);
      for (auto it = first; it != last; ++it) view.attachments.push_back(it->second);
      view.comment = std::move(comment);
      result.items.push_back(std::move(view));
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return result;
}

}  // namespace casedesk::app

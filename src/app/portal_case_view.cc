#include "app/portal_case_view.h"

#include <map>
#include <utility>

#include "app/attachments.h"
#include "app/get_case.h"
#include "app/list_comments.h"
#include "app/portal_identity.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr int kCommentPageSize = 100;
constexpr int kMaxCommentPages = 5;

}  // namespace

absl::StatusOr<PortalCase> LoadPortalCase(AppContext& context, const Caller& caller,
                                          core::CaseNumber number) {
  if (!MayUsePortal(caller.viewer)) {
    return absl::PermissionDeniedError("the portal is for customers and partner agents");
  }
  PortalCase page;
  absl::StatusOr<CaseView> view = GetCase(context, caller, number);
  if (!view.ok()) return view.status();
  page.view = *std::move(view);
  page.view.secret_fields.reset();
  page.promise = PromiseFor(page.view.record, page.view.sla, context.clock.Now());

  ports::PageRequest request;
  request.limit = kCommentPageSize;
  std::vector<CommentView> comments;
  for (int pages = 0; pages < kMaxCommentPages; ++pages) {
    absl::StatusOr<ports::Page<CommentView>> batch = ListComments(context, caller, number, request);
    if (!batch.ok()) return batch.status();
    for (CommentView& comment : batch->items) {
      // ListComments already leaves internal notes out for this reader; checked again here.
      if (!core::CanSeeComment(caller.viewer, comment.comment.visibility)) continue;
      comments.push_back(std::move(comment));
    }
    if (batch->next_cursor.empty()) break;
    request.cursor = batch->next_cursor;
  }

  // Which side each author is on: one lookup per distinct author.
  std::map<core::UserId, AuthorSide> sides;
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    for (const CommentView& comment : comments) {
      const core::UserId author = comment.comment.author_id;
      if (sides.count(author)) continue;
      AuthorSide side = AuthorSide::kCustomer;
      if (author == caller.viewer.user_id) {
        side = AuthorSide::kYou;
      } else {
        absl::StatusOr<core::User> user = txn.GetUser(author);
        if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
        if (user.ok() && core::IsProviderStaff(user->role)) side = AuthorSide::kProvider;
        if (user.ok() && user->role == core::Role::kPartnerAgent) side = AuthorSide::kPartner;
      }
      sides[author] = side;
    }
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  for (CommentView& comment : comments) {
    const AuthorSide side = sides[comment.comment.author_id];
    page.comments.push_back({std::move(comment), side});
  }

  absl::StatusOr<std::vector<core::Attachment>> files = ListAttachments(context, caller, number);
  if (!files.ok()) return files.status();
  for (core::Attachment& file : *files) {
    if (file.visibility != core::Visibility::kPublic) continue;
    if (!file.comment_id) page.files.push_back(std::move(file));
  }
  return page;
}

}  // namespace casedesk::app

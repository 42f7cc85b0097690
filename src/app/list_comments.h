// Use case: the conversation on a case, oldest first, as the caller may see it: internal notes
// and internal attachments only for provider staff. A page costs two queries, the comments
// and the case's attachments, plus one lookup per distinct author. Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "app/add_comment.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "ports/store.h"

namespace casedesk::app {

absl::StatusOr<ports::Page<CommentView>> ListComments(AppContext& context, const Caller& caller,
                                                      core::CaseNumber number,
                                                      const ports::PageRequest& page);

}  // namespace casedesk::app

// Use case: everything the portal's case page shows, read for one person: the case (GetCase:
// NotFound for a case they may not see, exactly like one that does not exist), its public
// conversation (ListComments: internal notes and internal files never reach a customer or
// partner), its files, which side wrote each comment, and the SLA promise.
// Thread-safe: a free function over the thread-safe context.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "app/add_comment.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/case_support.h"
#include "app/portal_promise.h"
#include "core/conversation.h"

namespace casedesk::app {

// Who wrote a comment, from the reader's point of view.
enum class AuthorSide {
  kYou,       // the reader
  kCustomer,  // someone of the case's (customer) organisation
  kPartner,   // a partner agent
  kProvider,  // provider staff
};

struct PortalComment {
  CommentView view;
  AuthorSide side = AuthorSide::kCustomer;
};

struct PortalCase {
  CaseView view;  // no secret fields: the portal is never provider staff
  PortalPromise promise;
  std::vector<PortalComment> comments;  // public only, oldest first (at most 500)
  std::vector<core::Attachment> files;  // public files not carried by a comment
};

// PermissionDenied for provider staff; NotFound for a case the person may not see.
absl::StatusOr<PortalCase> LoadPortalCase(AppContext& context, const Caller& caller,
                                          core::CaseNumber number);

}  // namespace casedesk::app

// Use cases: what the portal's forms submit. Opening a case checks the intake configuration's
// required fields for the organisation's plan and the category (portal_intake.h), resolves the
// people to CC by address, opens the case (app::OpenCase: the secret is sealed there) and then
// uploads the files to it; replying uploads the files and adds the public reply carrying them
// (app::AddComment). Files are checked (count, size) before anything is written.
// Errors about one form field are InvalidArgument whose message starts with the field's key and
// ": " (e.g. "server_name: required for incidents"), so a form can show it beside the field.
// Thread-safe: free functions over the thread-safe context.
#pragma once

#include <string>
#include <vector>

#include "app/add_comment.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/case_support.h"
#include "app/open_case.h"
#include "app/store_calls.h"

namespace casedesk::app {

// At most this many files per form.
inline constexpr size_t kMaxPortalFiles = 10;

struct PortalFile {
  std::string filename;
  std::string content_type;
  std::string content;
};

struct PortalCaseSubmission {
  // Subject, description, severity, category, org_id (partner agents: a customer), fields,
  // partner_reference (partner agents only) and the secret ("credentials").
  OpenCaseRequest request;
  std::vector<std::string> cc_emails;  // people of the case's organisation to CC
  std::vector<PortalFile> files;       // screenshots and logs
};

struct PortalOpenedCase {
  CaseView view;
  // Files that could not be stored once the case existed (the case stands; they can be added
  // with a reply).
  std::vector<std::string> files_not_attached;
};

// Waits on the calling thread for the case and then for each file (storing a file's bytes is
// a unit of work of its own), so it must not be called from a store's completion callback.
void OpenPortalCase(AppContext& context, const Caller& caller, PortalCaseSubmission submission,
                    Done<PortalOpenedCase> done);

// A public reply with files (either may be empty, not both); waits for the files as
// OpenPortalCase does, then adds the reply.
void ReplyFromPortal(AppContext& context, const Caller& caller, core::CaseNumber number,
                     std::string body, std::vector<PortalFile> files, Done<AddCommentResult> done);

}  // namespace casedesk::app

#include "app/portal_submissions.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "app/attachments.h"
#include "app/portal_identity.h"
#include "app/portal_intake.h"
#include "core/access.h"
#include "core/enum_names.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

absl::Status CheckFiles(const AppContext& context, const std::vector<PortalFile>& files) {
  if (files.size() > kMaxPortalFiles) {
    return absl::InvalidArgumentError(
        absl::StrCat("attachments: at most ", kMaxPortalFiles, " files at once"));
  }
  for (const PortalFile& file : files) {
    if (static_cast<int64_t>(file.content.size()) > context.limits.max_attachment_bytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("attachments: '", file.filename, "' is larger than ",
                       context.limits.max_attachment_bytes / (1024 * 1024), " MB"));
    }
  }
  return absl::OkStatus();
}

std::string CategoryWords(core::Category category) {
  switch (category) {
    case core::Category::kIncident:
      return "incidents";
    case core::Category::kServiceRequest:
      return "service requests";
    case core::Category::kQuestion:
      return "questions";
    case core::Category::kProblem:
      return "problems";
  }
  return "this category";
}

// What every portal case needs, as field errors (OpenCase checks the same with API wording).
absl::Status CheckBasics(const OpenCaseRequest& request) {
  if (Blank(request.subject)) {
    return absl::InvalidArgumentError("subject: give the case a short subject");
  }
  if (request.subject.size() > core::kMaxSubjectLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("subject: at most ", core::kMaxSubjectLength, " characters"));
  }
  if (Blank(request.description)) {
    return absl::InvalidArgumentError("description: describe what happens and what you expected");
  }
  if (request.severity < 1 || request.severity > 4) {
    return absl::InvalidArgumentError("severity: choose the severity that matches the impact");
  }
  return absl::OkStatus();
}

// The first required field the submission leaves empty, as a field error.
absl::Status CheckRequired(const std::set<std::string>& required, const Caller& caller,
                           const PortalCaseSubmission& submission, core::Category category) {
  const OpenCaseRequest& request = submission.request;
  for (const std::string_view key : kIntakeCaseFields) {
    if (!required.count(std::string(key))) continue;
    const auto it = request.fields.find(std::string(key));
    if (it == request.fields.end() || Blank(it->second)) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(key), ": required for ", CategoryWords(category)));
    }
  }
  // Only partner agents have a reference of their own to give.
  if (required.count(std::string(kIntakePartnerReference)) &&
      caller.viewer.role == core::Role::kPartnerAgent && Blank(request.partner_reference)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(kIntakePartnerReference), ": your reference number is required"));
  }
  if (required.count(std::string(kIntakeCc)) && submission.cc_emails.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(kIntakeCc), ": name at least one person"));
  }
  if (required.count(std::string(kIntakeAttachments)) && submission.files.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(kIntakeAttachments), ": attach at least one screenshot or log"));
  }
  if (required.count(std::string(kIntakeCredentials))) {
    bool given = false;
    for (const auto& [name, value] : request.secret_fields) given = given || !Blank(value);
    if (!given) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(kIntakeCredentials),
                                                     ": required for ", CategoryWords(category)));
    }
  }
  return absl::OkStatus();
}

// Reads the intake settings and the organisation, checks the required fields and resolves the
// CC addresses into request.followers.
absl::Status Prepare(AppContext& context, const Caller& caller, PortalCaseSubmission& submission) {
  OpenCaseRequest& request = submission.request;
  const core::OrgId org_id = request.org_id.value_or(caller.viewer.org_id);
  return context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
    // An organisation the person may not open cases for is OpenCase's refusal to give.
    if (!org.ok() && !absl::IsNotFound(org.status())) return org.status();
    if (!org.ok() || !core::CanOpenCaseFor(caller.viewer, *org)) return absl::OkStatus();
    absl::StatusOr<PortalIntakeSettings> settings = LoadPortalIntakeSettings(txn);
    if (!settings.ok()) return settings.status();
    const std::set<std::string> required =
        RequiredIntakeFields(*settings, org->plan, request.category);
    if (absl::Status complete = CheckRequired(required, caller, submission, request.category);
        !complete.ok()) {
      return complete;
    }
    for (const std::string& address : submission.cc_emails) {
      const std::string email = core::NormaliseEmail(address);
      absl::StatusOr<core::User> user =
          email.empty() ? absl::StatusOr<core::User>(absl::NotFoundError("malformed"))
                        : txn.FindUserByEmail(email);
      if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
      // One answer for unknown addresses and other organisations' people: nothing leaks.
      if (!user.ok() || user->org_id != org->id || !user->active) {
        return absl::InvalidArgumentError(absl::StrCat(std::string(kIntakeCc), ": '", address,
                                                       "' is not a contact of ", org->name));
      }
      if (user->id == caller.viewer.user_id) continue;  // the requester hears anyway
      if (std::find(request.followers.begin(), request.followers.end(), user->id) ==
          request.followers.end()) {
        request.followers.push_back(user->id);
      }
    }
    return absl::OkStatus();
  });
}

// What uploading a submission's files gave: the names of those that could not be stored and
// the ids of those that were.
struct Uploaded {
  std::vector<std::string> failed;
  std::vector<std::string> stored_ids;
  absl::Status first_error;
};

// Uploads the files to the case one after another, waiting for each: on the calling thread,
// never on a store's completion thread, because storing bytes is itself a unit of work.
Uploaded UploadAll(AppContext& context, const Caller& caller, core::CaseNumber number,
                   std::vector<PortalFile> files) {
  Uploaded uploaded;
  for (PortalFile& file : files) {
    UploadAttachmentRequest upload;
    upload.filename = file.filename;
    upload.content_type = file.content_type;
    upload.content = std::move(file.content);
    absl::StatusOr<core::Attachment> stored =
        Await<core::Attachment>([&](Done<core::Attachment> stored_done) {
          UploadAttachment(context, caller, number, std::move(upload), std::move(stored_done));
        });
    if (stored.ok()) {
      uploaded.stored_ids.push_back(stored->id);
    } else {
      uploaded.failed.push_back(file.filename);
      if (uploaded.first_error.ok()) uploaded.first_error = stored.status();
    }
  }
  return uploaded;
}

}  // namespace

void OpenPortalCase(AppContext& context, const Caller& caller, PortalCaseSubmission submission,
                    Done<PortalOpenedCase> done) {
  if (!MayUsePortal(caller.viewer)) {
    done(absl::PermissionDeniedError("the portal is for customers and partner agents"));
    return;
  }
  if (caller.viewer.role != core::Role::kPartnerAgent) submission.request.partner_reference.clear();
  if (absl::Status basics = CheckBasics(submission.request); !basics.ok()) {
    done(basics);
    return;
  }
  if (absl::Status files = CheckFiles(context, submission.files); !files.ok()) {
    done(files);
    return;
  }
  if (absl::Status prepared = Prepare(context, caller, submission); !prepared.ok()) {
    done(prepared);
    return;
  }
  absl::StatusOr<CaseView> view = Await<CaseView>([&](Done<CaseView> opened) {
    OpenCase(context, caller, std::move(submission.request), std::move(opened));
  });
  if (!view.ok()) return done(view.status());
  Uploaded uploaded = UploadAll(context, caller, view->record.number, std::move(submission.files));
  done(PortalOpenedCase{*std::move(view), std::move(uploaded.failed)});
}

void ReplyFromPortal(AppContext& context, const Caller& caller, core::CaseNumber number,
                     std::string body, std::vector<PortalFile> files, Done<AddCommentResult> done) {
  if (!MayUsePortal(caller.viewer)) {
    done(absl::PermissionDeniedError("the portal is for customers and partner agents"));
    return;
  }
  if (Blank(body) && files.empty()) {
    done(absl::InvalidArgumentError("body: write a reply or attach a file"));
    return;
  }
  if (absl::Status checked = CheckFiles(context, files); !checked.ok()) {
    done(checked);
    return;
  }
  if (Blank(body)) body = "(files attached)";
  Uploaded uploaded = UploadAll(context, caller, number, std::move(files));
  // A file that could not be stored stops the reply: the person sends it again.
  if (!uploaded.first_error.ok()) return done(uploaded.first_error);
  AddCommentRequest request;
  request.body = std::move(body);
  request.visibility = core::Visibility::kPublic;
  request.attachment_ids = std::move(uploaded.stored_ids);
  request.channel = "portal";
  AddComment(context, caller, number, std::move(request), std::move(done));
}

}  // namespace casedesk::app

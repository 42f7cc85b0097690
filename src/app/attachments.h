// Use cases: upload a file to a case, list a case's files, and fetch one file's bytes. Content
// goes to the content-addressed blob store (durable before the record that points at it is
// written); the record carries a random public id, the sanitised display name and the type.
// A file on a case the caller may not see, or an internal file for a non-staff caller, is
// NotFound. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "core/conversation.h"

namespace casedesk::app {

struct UploadAttachmentRequest {
  std::string filename;      // the client's name: display metadata only
  std::string content_type;  // as the client declared it; normalised before it is stored
  std::string content;
  core::Visibility visibility = core::Visibility::kPublic;  // internal: provider staff only
};

// ResourceExhausted when the content is larger than limits.max_attachment_bytes;
// FailedPrecondition on a closed case.
void UploadAttachment(AppContext& context, const Caller& caller, core::CaseNumber number,
                      UploadAttachmentRequest request, Done<core::Attachment> done);

absl::StatusOr<std::vector<core::Attachment>> ListAttachments(AppContext& context,
                                                              const Caller& caller,
                                                              core::CaseNumber number);

struct AttachmentContent {
  core::Attachment attachment;
  std::string content;
};

absl::StatusOr<AttachmentContent> GetAttachmentContent(AppContext& context, const Caller& caller,
                                                       std::string_view attachment_id);

// A declared media type reduced to a lower-case "type/subtype" without parameters, or
// "application/octet-stream" when it is missing or malformed.
std::string NormaliseContentType(std::string_view declared);

// The type to serve a stored file with: anything a browser could run as a document or script
// (HTML, SVG, XML, JavaScript, ...) is served as application/octet-stream.
std::string ServedContentType(std::string_view stored);

}  // namespace casedesk::app

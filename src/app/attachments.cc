#include "app/attachments.h"

#include <array>
#include <utility>

#include "core/access.h"

namespace casedesk::app {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";

bool IsTokenCharacter(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$&-^_.+").find(c) != std::string_view::npos;
}

absl::StatusOr<core::Case> LoadWritableCase(ports::StoreTransaction& txn,
                                            const core::Viewer& viewer, core::CaseNumber number) {
  absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
  if (!record.ok()) return record;
  if (record->status == core::CaseStatus::kClosed) {
    return absl::FailedPreconditionError("a closed case takes no attachments; open a new case");
  }
  return record;
}

}  // namespace

std::string NormaliseContentType(std::string_view declared) {
  const size_t semicolon = declared.find(';');
  if (semicolon != std::string_view::npos) declared = declared.substr(0, semicolon);
  while (!declared.empty() && (declared.front() == ' ' || declared.front() == '\t')) {
    declared.remove_prefix(1);
  }
  while (!declared.empty() && (declared.back() == ' ' || declared.back() == '\t')) {
    declared.remove_suffix(1);
  }
  if (declared.empty() || declared.size() > 127) return std::string(kOctetStream);
  std::string type;
  int slashes = 0;
  for (char c : declared) {
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower == '/') {
      ++slashes;
    } else if (!IsTokenCharacter(lower)) {
      return std::string(kOctetStream);
    }
    type.push_back(lower);
  }
  const size_t slash = type.find('/');
  if (slashes != 1 || slash == 0 || slash + 1 == type.size()) return std::string(kOctetStream);
  return type;
}

std::string ServedContentType(std::string_view stored) {
  const std::string type = NormaliseContentType(stored);
  static constexpr std::array<std::string_view, 7> kActiveMarkers{
      "html", "svg", "xml", "javascript", "ecmascript", "xsl", "multipart/"};
  for (std::string_view marker : kActiveMarkers) {
    if (type.find(marker) != std::string::npos) return std::string(kOctetStream);
  }
  // Other types a browser may execute or interpret as a document.
  if (type == "text/vnd.wap.wml" || type == "application/x-shockwave-flash" ||
      type == "text/cache-manifest" || type.rfind("text/x-", 0) == 0 || type == "text/jscript" ||
      type == "text/vbscript") {
    return std::string(kOctetStream);
  }
  return type;
}

void UploadAttachment(AppContext& context, const Caller& caller, core::CaseNumber number,
                      UploadAttachmentRequest request, Done<core::Attachment> done) {
  if (static_cast<int64_t>(request.content.size()) > context.limits.max_attachment_bytes) {
    done(absl::ResourceExhaustedError("attachments may be at most " +
                                      std::to_string(context.limits.max_attachment_bytes) +
                                      " bytes"));
    return;
  }
  if (request.filename.empty()) {
    done(absl::InvalidArgumentError("a filename is required"));
    return;
  }
  if (request.visibility == core::Visibility::kInternal && !core::CanSeeInternal(caller.viewer)) {
    done(absl::PermissionDeniedError("only provider staff may upload internal attachments"));
    return;
  }
  // Fail fast before storing bytes for a case the caller cannot write to.
  absl::Status writable = context.store.Read([&](ports::StoreTransaction& txn) {
    return LoadWritableCase(txn, caller.viewer, number).status();
  });
  if (!writable.ok()) {
    done(writable);
    return;
  }
  absl::StatusOr<std::string> digest = context.blobs.Put(request.content);
  if (!digest.ok()) {
    done(digest.status());
    return;
  }
  core::Attachment attachment;
  attachment.id = context.crypto.RandomId();
  attachment.case_number = number;
  attachment.blob_digest = *std::move(digest);
  attachment.filename = core::SanitiseFilename(request.filename);
  attachment.content_type = NormaliseContentType(request.content_type);
  attachment.size = static_cast<int64_t>(request.content.size());
  attachment.uploaded_by = caller.viewer.user_id;
  attachment.visibility = request.visibility;
  attachment.created_at = context.clock.Now();

  auto work = [caller, attachment = std::move(attachment)](
                  ports::StoreTransaction& txn) -> absl::StatusOr<core::Attachment> {
    absl::StatusOr<core::Case> record =
        LoadWritableCase(txn, caller.viewer, attachment.case_number);
    if (!record.ok()) return record.status();
    if (absl::Status inserted = txn.InsertAttachment(attachment); !inserted.ok()) return inserted;
    const bool internal = attachment.visibility == core::Visibility::kInternal;
    core::AuditEvent event =
        CaseEvent(attachment.case_number, caller.viewer.user_id, attachment.created_at,
                  internal ? kInternalAttachmentAdded : kAttachmentAdded);
    core::RecordChange(event.changes, "attachment", "", attachment.id);
    core::RecordChange(event.changes, "filename", "", attachment.filename);
    if (absl::StatusOr<core::EventId> id = txn.AppendEvent(event); !id.ok()) return id.status();
    return attachment;
  };
  WriteValue<core::Attachment>(context.store, std::move(work), std::move(done));
}

absl::StatusOr<std::vector<core::Attachment>> ListAttachments(AppContext& context,
                                                              const Caller& caller,
                                                              core::CaseNumber number) {
  absl::StatusOr<std::vector<core::Attachment>> attachments =
      absl::InternalError("attachments not read");
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
    if (!record.ok()) return record.status();
    attachments = txn.ListAttachments(number);
    return attachments.status();
  });
  if (!read.ok()) return read;
  std::erase_if(*attachments, [&](const core::Attachment& attachment) {
    return !core::CanSeeComment(caller.viewer, attachment.visibility);
  });
  return attachments;
}

absl::StatusOr<AttachmentContent> GetAttachmentContent(AppContext& context, const Caller& caller,
                                                       std::string_view attachment_id) {
  const absl::Status not_found =
      absl::NotFoundError("attachment " + std::string(attachment_id) + " not found");
  AttachmentContent result;
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<core::Attachment> attachment = txn.GetAttachment(attachment_id);
    if (!attachment.ok())
      return absl::IsNotFound(attachment.status()) ? not_found : attachment.status();
    absl::StatusOr<core::Case> record =
        LoadVisibleCase(txn, caller.viewer, attachment->case_number);
    if (!record.ok()) return absl::IsNotFound(record.status()) ? not_found : record.status();
    if (!core::CanSeeComment(caller.viewer, attachment->visibility)) return not_found;
    result.attachment = *std::move(attachment);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  absl::StatusOr<std::string> content = context.blobs.Get(result.attachment.blob_digest);
  if (!content.ok()) return content.status();
  result.content = *std::move(content);
  return result;
}

}  // namespace casedesk::app

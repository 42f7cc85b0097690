#include "app/mail_case_writer.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/add_comment.h"
#include "app/case_support.h"
#include "app/open_case.h"
#include "app/store_calls.h"
#include "core/mail_threading.h"
#include "core/text.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using core::NameOf;

constexpr char kTruncatedNote[] = "\n\n[shortened; the full message is kept with the case's mail]";

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

// People named in To/Cc who may follow the case: active, of the case's organisation, not the
// requester and not following already.
absl::StatusOr<std::vector<core::UserId>> NewFollowers(ports::StoreTransaction& txn,
                                                       const core::Case& record,
                                                       const std::vector<std::string>& addresses) {
  std::vector<core::UserId> added;
  for (const std::string& raw : addresses) {
    const std::string address = core::NormaliseEmail(raw);
    if (address.empty()) continue;
    absl::StatusOr<core::User> user = txn.FindUserByEmail(address);
    if (absl::IsNotFound(user.status())) continue;
    if (!user.ok()) return user.status();
    if (!user->active || user->org_id != record.org_id || user->id == record.requester_id) {
      continue;
    }
    const auto known = [&](core::UserId id) {
      return std::find(record.followers.begin(), record.followers.end(), id) !=
                 record.followers.end() ||
             std::find(added.begin(), added.end(), id) != added.end();
    };
    if (!known(user->id)) added.push_back(user->id);
  }
  return added;
}

// Inserts the attachment records (and their events) for a case, on a comment when given.
absl::Status InsertAttachments(ports::StoreTransaction& txn, AppContext& context,
                               core::CaseNumber number, std::optional<core::CommentId> comment,
                               core::UserId uploader, const MailCaseContent& content,
                               absl::Time now) {
  for (const StoredMailAttachment& stored : content.attachments) {
    core::Attachment attachment;
    attachment.id = context.crypto.RandomId();
    attachment.case_number = number;
    attachment.blob_digest = stored.blob_digest;
    attachment.filename = stored.filename;
    attachment.content_type = stored.content_type;
    attachment.size = stored.size;
    attachment.uploaded_by = uploader;
    attachment.visibility = core::Visibility::kPublic;
    attachment.created_at = now;
    if (absl::Status inserted = txn.InsertAttachment(attachment); !inserted.ok()) return inserted;
    if (comment) {
      if (absl::Status linked = txn.AttachToComment(attachment.id, *comment); !linked.ok()) {
        return linked;
      }
    }
    core::AuditEvent event = CaseEvent(number, uploader, now, kAttachmentAdded);
    core::RecordChange(event.changes, "attachment", "", attachment.id);
    core::RecordChange(event.changes, "filename", "", attachment.filename);
    if (absl::StatusOr<core::EventId> id = txn.AppendEvent(event); !id.ok()) return id.status();
  }
  return absl::OkStatus();
}

// What every event about a message records beside its own changes.
std::vector<core::FieldChange> MailChanges(int64_t inbound_id) {
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "channel", "", "email");
  core::RecordChange(changes, "inbound_mail", "", std::to_string(inbound_id));
  return changes;
}

}  // namespace

std::string MailCaseSubject(std::string_view subject, std::string_view tag_prefix) {
  std::string clean = core::CleanSubject(subject, tag_prefix);
  for (char& c : clean) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) c = ' ';
  }
  clean = core::CutAtCharacter(std::move(clean), core::kMaxSubjectLength);
  if (IsBlank(clean)) return "(no subject)";
  return clean;
}

std::string MailVisibleText(const core::ParsedMail& mail, size_t max_bytes) {
  std::string text = IsBlank(mail.reply) ? mail.text : mail.reply;
  if (IsBlank(text)) return "";
  if (text.size() <= max_bytes) return text;
  const std::string note = kTruncatedNote;
  return core::CutAtCharacter(std::move(text), max_bytes - note.size()) + note;
}

absl::StatusOr<core::Case> OpenCaseFromMail(ports::StoreTransaction& txn, AppContext& context,
                                            const core::Viewer& requester, core::UserId actor,
                                            const MailCaseContent& content, absl::Time now) {
  core::Case record;
  record.org_id = requester.org_id;
  record.requester_id = requester.user_id;
  record.subject = content.subject;
  record.description = content.description;
  record.severity = content.severity;
  record.proposed_severity = content.severity;  // the route's proposal; triage confirms it
  record.severity_confirmed = false;
  record.status = core::CaseStatus::kNew;
  record.created_at = now;
  record.updated_at = now;
  if (absl::Status valid = core::ValidateCaseContent(record); !valid.ok()) return valid;
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record.org_id);
  if (!org.ok()) return org.status();
  if (!core::CanOpenCaseFor(requester, *org)) {
    return absl::PermissionDeniedError(absl::StrCat(
        "user ", requester.user_id, " may not open cases for organisation ", record.org_id));
  }
  absl::StatusOr<std::vector<core::UserId>> followers =
      NewFollowers(txn, record, content.cc_addresses);
  if (!followers.ok()) return followers.status();
  record.followers = *std::move(followers);
  if (absl::Status checked = CheckFollowers(txn, record.org_id, record.followers); !checked.ok()) {
    return checked;
  }
  absl::StatusOr<std::optional<core::GroupId>> triage = FindTriageGroup(txn);
  if (!triage.ok()) return triage.status();
  record.group_id = *triage;

  OpenedCaseWrite write;
  write.actor = actor;
  write.opened_by_staff = false;  // on the customer's behalf: a critical proposal awaits triage
  write.extra_changes = MailChanges(content.inbound_id);
  core::RecordChange(write.extra_changes, "followers", "", IdListText(record.followers));
  write.in_reply_to = content.message_id;
  absl::StatusOr<core::Case> opened = InsertOpenedCase(txn, context, std::move(record), write, now);
  if (!opened.ok()) return opened.status();
  if (absl::Status attached = InsertAttachments(txn, context, opened->number, std::nullopt,
                                                requester.user_id, content, now);
      !attached.ok()) {
    return attached;
  }
  return opened;
}

absl::StatusOr<MailReply> AddReplyFromMail(ports::StoreTransaction& txn, AppContext& context,
                                           const core::Viewer& author, core::CaseNumber number,
                                           std::string body, const MailCaseContent& content,
                                           absl::Time now) {
  core::Comment comment;
  comment.case_number = number;
  comment.author_id = author.user_id;
  comment.body = std::move(body);
  comment.visibility = core::Visibility::kPublic;
  comment.channel = "email";
  comment.created_at = now;
  if (absl::Status valid = core::ValidateComment(comment); !valid.ok()) return valid;

  CommentWriteOptions options;
  options.extra_changes = MailChanges(content.inbound_id);
  options.in_reply_to = content.message_id;
  absl::StatusOr<CommentWrite> written =
      InsertCommentOnCase(txn, context, author, std::move(comment), options);
  if (!written.ok()) return written.status();
  core::Case record = std::move(written->record);
  const core::CommentId comment_id = written->comment.id;
  if (absl::Status attached =
          InsertAttachments(txn, context, number, comment_id, author.user_id, content, now);
      !attached.ok()) {
    return attached;
  }

  absl::StatusOr<std::vector<core::UserId>> followers =
      NewFollowers(txn, record, content.cc_addresses);
  if (!followers.ok()) return followers.status();
  if (!followers->empty()) {
    std::vector<core::UserId> all = record.followers;
    all.insert(all.end(), followers->begin(), followers->end());
    if (absl::Status checked = CheckFollowers(txn, record.org_id, all); !checked.ok()) {
      return checked;
    }
    core::AuditEvent followed = CaseEvent(number, author.user_id, now, kCaseUpdated);
    core::RecordChange(followed.changes, "followers", IdListText(record.followers),
                       IdListText(all));
    core::RecordChange(followed.changes, "inbound_mail", "", std::to_string(content.inbound_id));
    record.followers = std::move(all);
    if (absl::Status updated = txn.UpdateCase(record); !updated.ok()) return updated;
    if (absl::StatusOr<core::EventId> appended = txn.AppendEvent(followed); !appended.ok()) {
      return appended.status();
    }
  }
  return MailReply{std::move(record), comment_id};
}

absl::StatusOr<core::User> CreateMailContact(ports::StoreTransaction& txn, std::string address,
                                             std::string display_name, core::OrgId org_id,
                                             core::UserId actor, absl::Time now) {
  core::User user;
  user.email = core::NormaliseEmail(address);
  if (user.email.empty()) {
    return absl::InvalidArgumentError("'" + address + "' is not an email address");
  }
  for (char& c : display_name) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  user.name = IsBlank(display_name) ? user.email.substr(0, user.email.find('@'))
                                    : core::CutAtCharacter(std::move(display_name), 200);
  user.role = core::Role::kCustomer;
  user.org_id = org_id;
  user.verified = false;  // the organisation's domain let them write; nobody verified them
  user.active = true;
  user.created_at = now;
  absl::StatusOr<core::UserId> id = txn.InsertUser(user);
  if (!id.ok()) return id.status();
  user.id = *id;
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "email", "", user.email);
  core::RecordChange(changes, "role", "", "customer");
  core::RecordChange(changes, "org_id", "", std::to_string(org_id));
  core::RecordChange(changes, "verified", "", BoolText(false));
  core::RecordChange(changes, "channel", "", "email");
  if (absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
          "user", absl::StrCat(user.id), actor, now, "user.created", std::move(changes)));
      !event.ok()) {
    return event.status();
  }
  return user;
}

}  // namespace casedesk::app

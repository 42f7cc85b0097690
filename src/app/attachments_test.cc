#include "app/attachments.h"

#include <gtest/gtest.h>

#include "app/case_test_fixture.h"

namespace casedesk::app {
namespace {

using core::Visibility;

class AttachmentsTest : public CaseTestFixture {};

TEST_F(AttachmentsTest, UploadStoresContentByDigestAndRecordsAnEvent) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("logs")).number;
  absl::StatusOr<core::Attachment> uploaded =
      Upload(acme_alice_, number, "hello", "../../etc/passwd", Visibility::kPublic,
             "Text/Plain; charset=utf-8");
  ASSERT_TRUE(uploaded.ok()) << uploaded.status();
  // SHA-256("hello").
  EXPECT_EQ(uploaded->blob_digest,
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(uploaded->filename, "passwd");
  EXPECT_EQ(uploaded->content_type, "text/plain");
  EXPECT_EQ(uploaded->size, 5);
  EXPECT_EQ(uploaded->uploaded_by, acme_alice_.user.id);
  EXPECT_FALSE(uploaded->id.empty());

  absl::StatusOr<AttachmentContent> fetched = GetAttachmentContent(context(), agent_, uploaded->id);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->content, "hello");
  EXPECT_EQ(fetched->attachment.filename, "passwd");
  EXPECT_EQ(StoredEvents(number).back().kind, "attachment.added");
}

TEST_F(AttachmentsTest, SizeLimitIsEnforcedBeforeAnythingIsStored) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("big")).number;
  context().limits.max_attachment_bytes = 8;
  EXPECT_TRUE(Upload(acme_alice_, number, std::string(8, 'a')).ok());
  absl::StatusOr<core::Attachment> too_big = Upload(acme_alice_, number, std::string(9, 'b'));
  EXPECT_EQ(too_big.status().code(), absl::StatusCode::kResourceExhausted);
  absl::StatusOr<std::vector<core::Attachment>> listed =
      ListAttachments(context(), acme_alice_, number);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 1u);
  // The oversized content never reached the blob store: SHA-256("bbbbbbbbb") is not there.
  EXPECT_EQ(blobs_->Get("a08d116c20341f0aadbacaedfae937da31006e7eb7bd4c6e723449776a1c13ba")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(AttachmentsTest, OtherTenantsAndInternalFilesAreNotFound) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("private files")).number;
  absl::StatusOr<core::Attachment> shared = Upload(acme_alice_, number, "customer data");
  absl::StatusOr<core::Attachment> internal =
      Upload(agent_, number, "engineering trace", "trace.txt", Visibility::kInternal);
  ASSERT_TRUE(shared.ok() && internal.ok());

  struct Row {
    const char* name;
    Caller* caller;
    const core::Attachment* attachment;
    absl::StatusCode expected;
  };
  const Row rows[] = {
      {"requester reads a public file", &acme_alice_, &*shared, absl::StatusCode::kOk},
      {"agent reads an internal file", &agent_, &*internal, absl::StatusCode::kOk},
      {"requester and an internal file", &acme_alice_, &*internal, absl::StatusCode::kNotFound},
      {"other tenant and a public file", &globex_gina_, &*shared, absl::StatusCode::kNotFound},
      {"partner agent and a provider customer's file", &partner_agent_, &*shared,
       absl::StatusCode::kNotFound},
      {"colleague without shared cases", &acme_bob_, &*shared, absl::StatusCode::kNotFound},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(GetAttachmentContent(context(), *row.caller, row.attachment->id).status().code(),
              row.expected)
        << row.name;
  }
  EXPECT_EQ(GetAttachmentContent(context(), agent_, "no-such-attachment").status().code(),
            absl::StatusCode::kNotFound);

  absl::StatusOr<std::vector<core::Attachment>> customer_list =
      ListAttachments(context(), acme_alice_, number);
  ASSERT_TRUE(customer_list.ok());
  ASSERT_EQ(customer_list->size(), 1u);
  EXPECT_EQ((*customer_list)[0].id, shared->id);
  absl::StatusOr<std::vector<core::Attachment>> staff_list =
      ListAttachments(context(), agent_, number);
  ASSERT_TRUE(staff_list.ok());
  EXPECT_EQ(staff_list->size(), 2u);
}

TEST_F(AttachmentsTest, UploadRules) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("rules")).number;
  EXPECT_EQ(Upload(acme_alice_, number, "x", "x.txt", Visibility::kInternal).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Upload(acme_alice_, number, "x", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Upload(globex_gina_, number, "x").status().code(), absl::StatusCode::kNotFound);

  UpdateCaseRequest solve;
  solve.status = core::CaseStatus::kSolved;
  ASSERT_TRUE(Update(agent_, number, solve).ok());
  UpdateCaseRequest close;
  close.status = core::CaseStatus::kClosed;
  ASSERT_TRUE(Update(agent_, number, close).ok());
  EXPECT_EQ(Upload(acme_alice_, number, "late").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(StoredEvents(number).back().kind, "case.updated");
}

TEST(ContentTypeTest, NormalisesDeclaredTypes) {
  struct Row {
    const char* declared;
    const char* stored;
  };
  const Row rows[] = {
      {"text/plain", "text/plain"},
      {"Image/PNG", "image/png"},
      {"application/json; charset=utf-8", "application/json"},
      {"", "application/octet-stream"},
      {"nonsense", "application/octet-stream"},
      {"text/plain\r\nSet-Cookie: a=b", "application/octet-stream"},
      {"a/b/c", "application/octet-stream"},
      {"/png", "application/octet-stream"},
  };
  for (const Row& row : rows)
    EXPECT_EQ(NormaliseContentType(row.declared), row.stored) << row.declared;
}

TEST(ContentTypeTest, ActiveContentIsServedAsOctetStream) {
  struct Row {
    const char* stored;
    const char* served;
  };
  const Row rows[] = {
      {"text/plain", "text/plain"},
      {"image/png", "image/png"},
      {"application/pdf", "application/pdf"},
      {"text/html", "application/octet-stream"},
      {"application/xhtml+xml", "application/octet-stream"},
      {"image/svg+xml", "application/octet-stream"},
      {"text/javascript", "application/octet-stream"},
      {"application/javascript", "application/octet-stream"},
      {"application/xml", "application/octet-stream"},
      {"text/xsl", "application/octet-stream"},
      {"multipart/x-mixed-replace", "application/octet-stream"},
  };
  for (const Row& row : rows) EXPECT_EQ(ServedContentType(row.stored), row.served) << row.stored;
}

}  // namespace
}  // namespace casedesk::app

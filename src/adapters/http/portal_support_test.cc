// The portal's refusal handling: which form field a use case's refusal names, its text without
// the key, the texts of failures on our side, and the notices after a form.
#include "adapters/http/portal_support.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace casedesk::adapters::http {
namespace {

TEST(PortalSupportTest, RefusalsNameTheirField) {
  struct Case {
    absl::Status status;
    std::string field;
    std::string text;
  };
  const std::vector<Case> cases = {
      {absl::InvalidArgumentError("server_name: required for incidents"), "server_name",
       "Required for incidents"},
      {absl::InvalidArgumentError("cc: 'x@y' is not a contact of Acme"), "cc",
       "'x@y' is not a contact of Acme"},
      {absl::InvalidArgumentError("subject is required"), "", "subject is required"},
      {absl::InvalidArgumentError("field 'severity' must be 1 to 4"), "",
       "field 'severity' must be 1 to 4"},
      {absl::InvalidArgumentError("Server Name: x"), "", "Server Name: x"},
      {absl::FailedPreconditionError("body: closed"), "", "body: closed"},
      {absl::InternalError("disk: on fire"), "",
       "Something went wrong on our side and nothing was changed. Try again in a moment."},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(RefusedField(c.status), c.field) << c.status;
    EXPECT_EQ(RefusalWithoutField(c.status), c.text) << c.status;
  }
}

TEST(PortalSupportTest, NoticesAndPaths) {
  EXPECT_EQ(PortalCasePath(100001), "/portal/cases/100001");
  EXPECT_EQ(PortalNoticeText("replied"), "Your reply was added.");
  EXPECT_EQ(PortalNoticeText("<script>"), "");
  EXPECT_EQ(PortalNotFound().status, 404);
  EXPECT_EQ(PortalLoadFailure(absl::NotFoundError("case"), "GET").status, 404);
  const HttpResponse staff = PortalLoadFailure(absl::PermissionDeniedError("staff"), "GET");
  EXPECT_EQ(staff.status, 303);
  EXPECT_EQ(PortalLoadFailure(absl::PermissionDeniedError("staff"), "POST").status, 404);
  EXPECT_EQ(PortalLoadFailure(absl::UnavailableError("store"), "GET").status, 503);
}

TEST(PortalSupportTest, PostValues) {
  PortalPost post;
  post.fields = {{"a", "1"}, {"a", "2"}, {"b", ""}};
  EXPECT_EQ(post.Value("a"), "1");
  EXPECT_EQ(post.Value("b"), "");
  EXPECT_EQ(post.Value("missing"), "");
}

}  // namespace
}  // namespace casedesk::adapters::http

#include "core/form_data.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace casedesk::core {
namespace {

constexpr char kType[] = "multipart/form-data; boundary=----XYZ";

TEST(FormDataBoundaryTest, Table) {
  struct Case {
    std::string content_type;
    std::string boundary;  // "" : an error
  };
  const std::vector<Case> cases = {
      {"multipart/form-data; boundary=abc", "abc"},
      {"Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\"", "a b:c"},
      {"multipart/form-data;boundary=----WebKitFormBoundary7MA4YWxk",
       "----WebKitFormBoundary7MA4YWxk"},
      {"multipart/form-data", ""},
      {"multipart/mixed; boundary=abc", ""},
      {"application/x-www-form-urlencoded", ""},
      {"multipart/form-data; boundary=", ""},
      {"multipart/form-data; boundary=\"ab<c\"", ""},
      {"multipart/form-data; boundary=" + std::string(71, 'a'), ""},
      {"multipart/form-data; boundary=\"unterminated", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.content_type);
    absl::StatusOr<std::string> boundary = FormDataBoundary(c.content_type);
    if (c.boundary.empty()) {
      EXPECT_TRUE(absl::IsInvalidArgument(boundary.status())) << boundary.status();
    } else {
      ASSERT_TRUE(boundary.ok()) << boundary.status();
      EXPECT_EQ(*boundary, c.boundary);
    }
  }
}

TEST(FormDataTest, ParsesFieldsAndFilesAsBrowsersSendThem) {
  const std::string body =
      std::string("------XYZ\r\n") +
      "Content-Disposition: form-data; name=\"subject\"\r\n"
      "\r\n"
      "Server down\r\n"
      "------XYZ\r\n"
      "Content-Disposition: form-data; name=\"description\"\r\n"
      "\r\n"
      "line one\r\nline two\r\n--not the boundary\r\n"
      "------XYZ\r\n"
      "Content-Disposition: form-data; name=\"files\"; filename=\"a%22b;c.log\"\r\n"
      "Content-Type: text/plain\r\n"
      "\r\n" +
      std::string("\0\1", 2) +
      "binary\r\n"
      "------XYZ\r\n"
      "Content-Disposition: form-data; name=\"files\"; filename=\"\"\r\n"
      "Content-Type: application/octet-stream\r\n"
      "\r\n"
      "\r\n"
      "------XYZ--\r\n";
  absl::StatusOr<std::vector<FormDataPart>> parts = ParseFormData(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 4u);
  EXPECT_EQ((*parts)[0].name, "subject");
  EXPECT_EQ((*parts)[0].value, "Server down");
  EXPECT_FALSE((*parts)[0].filename.has_value());
  EXPECT_EQ((*parts)[1].value, "line one\r\nline two\r\n--not the boundary");
  EXPECT_EQ((*parts)[2].name, "files");
  EXPECT_EQ((*parts)[2].filename, "a\"b;c.log");
  EXPECT_EQ((*parts)[2].content_type, "text/plain");
  EXPECT_EQ((*parts)[2].value, std::string("\0\1", 2) + "binary");
  EXPECT_EQ((*parts)[3].filename, "");
  EXPECT_EQ((*parts)[3].value, "");
}

TEST(FormDataTest, EscapesAndPreambleAndPadding) {
  const std::string body =
      "preamble to ignore\r\n"
      "------XYZ  \r\n"
      "content-disposition: form-data; filename=\"a\\\"b\\\\c\"; name=plain\r\n"
      "X-Other: ignored\r\n"
      "\r\n"
      "v\r\n"
      "------XYZ--";
  absl::StatusOr<std::vector<FormDataPart>> parts = ParseFormData(kType, body);
  ASSERT_TRUE(parts.ok()) << parts.status();
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "plain");
  EXPECT_EQ((*parts)[0].filename, "a\"b\\c");
  EXPECT_EQ((*parts)[0].value, "v");
}

TEST(FormDataTest, EmptyFormHasNoParts) {
  absl::StatusOr<std::vector<FormDataPart>> parts = ParseFormData(kType, "------XYZ--\r\n");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_TRUE(parts->empty());
}

TEST(FormDataTest, RefusesMalformedBodies) {
  struct Case {
    std::string label;
    std::string body;
    absl::StatusCode code;
  };
  const std::string disposition = "Content-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n";
  const std::vector<Case> cases = {
      {"no boundary at all", "hello", absl::StatusCode::kInvalidArgument},
      {"not closed", "------XYZ\r\n" + disposition, absl::StatusCode::kInvalidArgument},
      {"no CRLF after boundary", "------XYZx\r\n" + disposition + "------XYZ--",
       absl::StatusCode::kInvalidArgument},
      {"bare LF", "------XYZ\nContent-Disposition: form-data; name=a\n\nv\n------XYZ--",
       absl::StatusCode::kInvalidArgument},
      {"headers never end", "------XYZ\r\nContent-Disposition: form-data; name=a\r\n",
       absl::StatusCode::kInvalidArgument},
      {"no disposition", "------XYZ\r\nContent-Type: text/plain\r\n\r\nv\r\n------XYZ--",
       absl::StatusCode::kInvalidArgument},
      {"no headers", "------XYZ\r\n\r\nv\r\n------XYZ--", absl::StatusCode::kInvalidArgument},
      {"not form-data",
       "------XYZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n------XYZ--",
       absl::StatusCode::kInvalidArgument},
      {"no name", "------XYZ\r\nContent-Disposition: form-data; filename=a\r\n\r\nv\r\n------XYZ--",
       absl::StatusCode::kInvalidArgument},
      {"folded header",
       "------XYZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nv\r\n------XYZ--",
       absl::StatusCode::kInvalidArgument},
      {"unterminated quote",
       "------XYZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n------XYZ--",
       absl::StatusCode::kInvalidArgument},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(ParseFormData(kType, c.body).status().code(), c.code);
  }
}

TEST(FormDataTest, EnforcesLimits) {
  std::string body;
  for (int i = 0; i < 3; ++i) {
    body += "------XYZ\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n";
  }
  body += "------XYZ--";
  FormDataLimits limits;
  limits.max_parts = 2;
  EXPECT_TRUE(absl::IsResourceExhausted(ParseFormData(kType, body, limits).status()));
  limits.max_parts = 3;
  EXPECT_TRUE(ParseFormData(kType, body, limits).ok());

  limits.max_header_bytes = 20;
  EXPECT_TRUE(absl::IsResourceExhausted(ParseFormData(kType, body, limits).status()));

  FormDataLimits names;
  names.max_name_bytes = 4;
  const std::string long_name =
      "------XYZ\r\nContent-Disposition: form-data; name=\"abcdef\"\r\n\r\nv\r\n------XYZ--";
  EXPECT_TRUE(absl::IsResourceExhausted(ParseFormData(kType, long_name, names).status()));
}

}  // namespace
}  // namespace casedesk::core

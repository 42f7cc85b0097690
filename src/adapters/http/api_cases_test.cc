// The case routes over the HTTP vocabulary: status codes, problem+json errors, JSON shapes and
// the download headers, against the real store and bearer-token authentication.
#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/http/api_routes.h"
#include "app/case_test_fixture.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

class ApiCasesTest : public app::CaseTestFixture {
 protected:
  void SetUp() override {
    app::CaseTestFixture::SetUp();
    RegisterCaseRoutes(router_, context());
    agent_token_ = IssueToken(agent_);
    alice_token_ = IssueToken(acme_alice_);
    gina_token_ = IssueToken(globex_gina_);
  }

  std::string IssueToken(const app::Caller& caller) {
    const std::string token = crypto_->RandomToken();
    core::ApiToken record;
    record.user_id = caller.user.id;
    record.name = "test";
    record.digest = crypto_->Digest(token);
    record.created_at = clock_.Now();
    EXPECT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) {
                      return txn.InsertApiToken(record).status();
                    })
                    .ok());
    return token;
  }

  // Sends a request to the route registered for `method` and `pattern` and waits for the answer.
  HttpResponse Send(std::string method, std::string pattern, std::string token,
                    std::map<std::string, std::string> path_params = {}, std::string body = "",
                    std::vector<std::pair<std::string, std::string>> query = {},
                    std::string content_type = "application/json") {
    HttpRequest request;
    request.method = method;
    request.route = pattern;
    request.path_params = std::move(path_params);
    request.query = std::move(query);
    request.body = std::move(body);
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    if (!content_type.empty()) request.headers.emplace_back("content-type", content_type);
    for (const Route& route : router_.routes()) {
      if (route.method == method && route.pattern == pattern) {
        std::promise<HttpResponse> answer;
        route.handler(request,
                      [&answer](HttpResponse response) { answer.set_value(std::move(response)); });
        return answer.get_future().get();
      }
    }
    ADD_FAILURE() << "no route " << method << " " << pattern;
    return {};
  }

  static json Body(const HttpResponse& response) {
    return json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  }

  static std::string Header(const HttpResponse& response, std::string_view name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }

  // Opens a case as `token` and returns its number as text.
  std::string OpenCaseOverHttp(const std::string& token, json body) {
    const HttpResponse response = Send("POST", "/api/v1/cases", token, {}, body.dump());
    EXPECT_EQ(response.status, 201) << response.body;
    return std::to_string(Body(response).value("number", 0));
  }

  Router router_;
  std::string agent_token_, alice_token_, gina_token_;
};

TEST_F(ApiCasesTest, OpenAndReadACase) {
  const HttpResponse created = Send("POST", "/api/v1/cases", alice_token_, {},
                                    json{{"subject", "VM unreachable"},
                                         {"description", "since 09:00"},
                                         {"severity", 2},
                                         {"category", "incident"},
                                         {"fields", {{"server_name", "vm-7"}}},
                                         {"secret_fields", {{"root_password", "pw-123"}}}}
                                        .dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const json opened = Body(created);
  EXPECT_EQ(opened["status"], "new");
  EXPECT_EQ(opened["severity"], 2);
  EXPECT_EQ(opened["severity_confirmed"], false);
  EXPECT_EQ(opened["fields"]["server_name"], "vm-7");
  EXPECT_FALSE(opened.contains("secret_fields"));
  EXPECT_EQ(opened["created_at"], "2026-03-09T09:00:00Z");
  const std::string number = std::to_string(opened["number"].get<int64_t>());
  EXPECT_EQ(Header(created, "Location"), "/api/v1/cases/" + number);

  const HttpResponse staff =
      Send("GET", "/api/v1/cases/{number}", agent_token_, {{"number", number}});
  ASSERT_EQ(staff.status, 200);
  EXPECT_EQ(Body(staff)["secret_fields"]["root_password"], "pw-123");
  const HttpResponse customer =
      Send("GET", "/api/v1/cases/{number}", alice_token_, {{"number", number}});
  ASSERT_EQ(customer.status, 200);
  EXPECT_FALSE(Body(customer).contains("secret_fields"));
  EXPECT_EQ(Send("GET", "/api/v1/cases/{number}", gina_token_, {{"number", number}}).status, 404);

  const HttpResponse list =
      Send("GET", "/api/v1/cases", alice_token_, {}, "", {{"status", "new"}, {"limit", "10"}});
  ASSERT_EQ(list.status, 200);
  const json page = Body(list);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_TRUE(page["next_cursor"].is_null());
  EXPECT_FALSE(page["items"][0].contains("secret_fields"));
}

TEST_F(ApiCasesTest, BadInputIsAClearProblem) {
  struct Row {
    const char* name;
    std::string token;
    std::string body;
    int status;
    std::string detail;  // part of the problem's detail
  };
  const Row rows[] = {
      {"no token", "", R"({"subject":"x","severity":3})", 401, "token"},
      {"malformed JSON", alice_token_, R"({"subject":)", 400, "not valid JSON"},
      {"not an object", alice_token_, R"([1,2])", 400, "JSON object"},
      {"unknown field", alice_token_, R"({"subject":"x","severity":3,"priority":1})", 400,
       "unknown field 'priority'"},
      {"wrong type", alice_token_, R"({"subject":"x","severity":"high"})", 400,
       "field 'severity' must be an integer"},
      {"severity out of range", alice_token_, R"({"subject":"x","severity":9})", 400, "severity"},
      {"missing subject", alice_token_, R"({"severity":3})", 400, "field 'subject' is required"},
      {"bad category", alice_token_, R"({"subject":"x","severity":3,"category":"bug"})", 400,
       "field 'category' must be one of incident"},
      {"field value not a string", alice_token_,
       R"({"subject":"x","severity":3,"fields":{"stack":1}})", 400,
       "field 'fields.stack' must be a string"},
      {"another tenant's org", alice_token_,
       R"({"subject":"x","severity":3,"org_id":)" + std::to_string(globex_) + "}", 400, "org_id"},
  };
  for (const Row& row : rows) {
    const HttpResponse response = Send("POST", "/api/v1/cases", row.token, {}, row.body);
    EXPECT_EQ(response.status, row.status) << row.name << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json") << row.name;
    const json problem = Body(response);
    EXPECT_EQ(problem["status"], row.status) << row.name;
    EXPECT_NE(problem.value("detail", "").find(row.detail), std::string::npos)
        << row.name << ": " << response.body;
  }
  // None of it created a case.
  const json page = Body(Send("GET", "/api/v1/cases", agent_token_));
  EXPECT_TRUE(page["items"].empty());
}

TEST_F(ApiCasesTest, PatchMapsRuleViolations) {
  const std::string number =
      OpenCaseOverHttp(alice_token_, {{"subject", "patch me"}, {"severity", 3}});
  const auto patch = [&](const std::string& token, json body) {
    return Send("PATCH", "/api/v1/cases/{number}", token, {{"number", number}}, body.dump());
  };
  EXPECT_EQ(patch(agent_token_, {{"status", "closed"}}).status, 422);
  EXPECT_EQ(patch(agent_token_, {{"status", "done"}}).status, 400);
  EXPECT_EQ(patch(agent_token_, {{"severity", 1}}).status, 400);  // reason required
  EXPECT_EQ(patch(alice_token_, {{"assignee_id", agent_.user.id}}).status, 403);
  EXPECT_EQ(patch(gina_token_, {{"subject", "mine now"}}).status, 404);

  const HttpResponse changed =
      patch(agent_token_, {{"severity", 1},
                           {"severity_reason", "all regions affected"},
                           {"severity_reason_code", "impact_changed"},
                           {"assignee_id", agent_.user.id},
                           {"fields", {{"server_name", "db-2"}, {"stack", nullptr}}}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  const json c = Body(changed);
  EXPECT_EQ(c["severity"], 1);
  EXPECT_EQ(c["severity_confirmed"], true);
  EXPECT_EQ(c["assignee_id"], agent_.user.id);

  const HttpResponse unassigned = patch(agent_token_, {{"assignee_id", nullptr}});
  ASSERT_EQ(unassigned.status, 200);
  EXPECT_TRUE(Body(unassigned)["assignee_id"].is_null());

  const json events =
      Body(Send("GET", "/api/v1/cases/{number}/events", alice_token_, {{"number", number}}));
  ASSERT_EQ(events["items"].size(), 3u);
  const json& severity_event = events["items"][1];
  EXPECT_EQ(severity_event["kind"], "case.updated");
  EXPECT_EQ(severity_event["reason"], "all regions affected");
  EXPECT_EQ(severity_event["actor_id"], agent_.user.id);
  EXPECT_EQ(severity_event["at"], "2026-03-09T09:00:00Z");
  std::set<std::string> fields;
  for (const json& change : severity_event["changes"]) fields.insert(change["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"fields.server_name", "assignee_id", "severity",
                                           "severity_reason_code", "severity_confirmed"}));
}

TEST_F(ApiCasesTest, ConversationShapesAndVisibility) {
  const std::string number = OpenCaseOverHttp(alice_token_, {{"subject", "talk"}, {"severity", 3}});
  const auto post = [&](const std::string& token, json body) {
    return Send("POST", "/api/v1/cases/{number}/comments", token, {{"number", number}},
                body.dump());
  };
  EXPECT_EQ(post(alice_token_, {{"body", "note"}, {"visibility", "internal"}}).status, 403);
  EXPECT_EQ(post(alice_token_, {{"body", ""}}).status, 400);
  const HttpResponse reply = post(agent_token_, {{"body", "Hello Alice"}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(Body(reply)["case_status"], "open");
  ASSERT_EQ(post(agent_token_, {{"body", "internal remark"}, {"visibility", "internal"}}).status,
            201);

  const json customer =
      Body(Send("GET", "/api/v1/cases/{number}/comments", alice_token_, {{"number", number}}));
  ASSERT_EQ(customer["items"].size(), 1u);
  const json& comment = customer["items"][0];
  EXPECT_EQ(comment["body"], "Hello Alice");
  EXPECT_EQ(comment["visibility"], "public");
  EXPECT_EQ(comment["author"]["id"], agent_.user.id);
  EXPECT_EQ(comment["author"]["name"], "agent");
  EXPECT_EQ(comment["created_at"], "2026-03-09T09:00:00Z");
  EXPECT_TRUE(comment["attachments"].is_array());
  EXPECT_TRUE(customer["next_cursor"].is_null());
  const json staff =
      Body(Send("GET", "/api/v1/cases/{number}/comments", agent_token_, {{"number", number}}));
  EXPECT_EQ(staff["items"].size(), 2u);
  EXPECT_EQ(
      Send("GET", "/api/v1/cases/{number}/comments", gina_token_, {{"number", number}}).status,
      404);
}

TEST_F(ApiCasesTest, AttachmentsUploadAndDownloadSafely) {
  const std::string number =
      OpenCaseOverHttp(alice_token_, {{"subject", "files"}, {"severity", 3}});
  const HttpResponse uploaded =
      Send("POST", "/api/v1/cases/{number}/attachments", alice_token_, {{"number", number}},
           "<script>alert(1)</script>", {{"filename", "Prüfbericht \"final\".html"}}, "text/html");
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const json attachment = Body(uploaded);
  EXPECT_EQ(attachment["size"], 25);
  EXPECT_EQ(attachment["content_type"], "text/html");
  const std::string id = attachment["id"];

  const HttpResponse download = Send("GET", "/api/v1/attachments/{id}", agent_token_, {{"id", id}});
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, "<script>alert(1)</script>");
  EXPECT_EQ(download.content_type, "application/octet-stream");
  EXPECT_EQ(Header(download, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(download, "Content-Disposition"),
            "attachment; filename=\"Pr__fbericht final.html\"; "
            "filename*=UTF-8''Pr%C3%BCfbericht%20final.html");
  EXPECT_EQ(Send("GET", "/api/v1/attachments/{id}", gina_token_, {{"id", id}}).status, 404);

  const json listed =
      Body(Send("GET", "/api/v1/cases/{number}/attachments", alice_token_, {{"number", number}}));
  ASSERT_EQ(listed["items"].size(), 1u);
  EXPECT_EQ(listed["items"][0]["id"], id);

  context().limits.max_attachment_bytes = 4;
  EXPECT_EQ(Send("POST", "/api/v1/cases/{number}/attachments", alice_token_, {{"number", number}},
                 "12345", {{"filename", "a.bin"}}, "")
                .status,
            413);
  EXPECT_EQ(Send("POST", "/api/v1/cases/{number}/attachments", alice_token_, {{"number", number}},
                 "1", {}, "")
                .status,
            400);
}

TEST_F(ApiCasesTest, SearchShape) {
  const std::string number =
      OpenCaseOverHttp(alice_token_, {{"subject", "Marmot migration stuck"}, {"severity", 3}});
  const HttpResponse found = Send("GET", "/api/v1/search", alice_token_, {}, "", {{"q", "marmot"}});
  ASSERT_EQ(found.status, 200) << found.body;
  const json hits = Body(found);
  ASSERT_EQ(hits["items"].size(), 1u);
  EXPECT_EQ(std::to_string(hits["items"][0]["case_number"].get<int64_t>()), number);
  EXPECT_EQ(hits["items"][0]["subject"], "Marmot migration stuck");
  EXPECT_EQ(hits["items"][0]["matched_in"], "subject");
  EXPECT_TRUE(hits["items"][0].contains("snippet"));
  EXPECT_TRUE(
      Body(Send("GET", "/api/v1/search", gina_token_, {}, "", {{"q", "marmot"}}))["items"].empty());
  EXPECT_EQ(Send("GET", "/api/v1/search", alice_token_).status, 400);
}

}  // namespace
}  // namespace casedesk::adapters::http

// The SLA routes over the HTTP vocabulary: escalation requests, a case's notifications,
// severity flags and the SLA report (JSON and CSV), with their status codes and problem+json
// errors, against the real store and bearer-token authentication.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_split.h"
#include "adapters/http/api_routes.h"
#include "app/case_test_fixture.h"
#include "app/sla_settings.h"
#include "app/timer_firing.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

class ApiSlaTest : public app::CaseTestFixture {
 protected:
  void SetUp() override {
    app::CaseTestFixture::SetUp();
    RegisterSlaRoutes(router_, context());
    agent_token_ = IssueToken(agent_);
    admin_token_ = IssueToken(admin_);
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
                    std::vector<std::pair<std::string, std::string>> query = {}) {
    HttpRequest request;
    request.method = method;
    request.route = pattern;
    request.path_params = std::move(path_params);
    request.query = std::move(query);
    request.body = std::move(body);
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    request.headers.emplace_back("content-type", "application/json");
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

  HttpResponse Report(const std::string& token,
                      std::vector<std::pair<std::string, std::string>> query = {}) {
    return Send("GET", "/api/v1/reports/sla", token, {}, "", std::move(query));
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

  // Opens a case for Acme's alice as the admin, created `ago` before now.
  core::Case Import(int severity, absl::Duration ago) {
    app::OpenCaseRequest request = Request("imported", severity);
    request.org_id = acme_;
    request.requester_id = acme_alice_.user.id;
    request.created_at = clock_.Now() - ago;
    return MustOpen(admin_, std::move(request));
  }

  static std::map<std::string, std::string> Number(const core::Case& record) {
    return {{"number", std::to_string(record.number)}};
  }

  Router router_;
  std::string agent_token_, admin_token_, alice_token_, gina_token_;
};

TEST_F(ApiSlaTest, EscalationRequestsAnswer202WithTheLevelsArmed) {
  core::EscalationPolicy policy;
  policy.name = "management";
  policy.levels.push_back(
      {.trigger = core::EscalationTrigger::kCustomerRequest,
       .clocks = {},
       .delay_minutes = 0,
       .targets = {{core::EscalationTargetKind::kUser, std::to_string(agent_.user.id)}},
       .actions = {core::EscalationAction::kNotify}});
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) {
                    return txn.PutSetting(app::EscalationPolicySettingKey(policy.name),
                                          app::EscalationPolicyToSetting(policy));
                  })
                  .ok());
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 2));
  const HttpResponse customer = Send("POST", "/api/v1/cases/{number}/escalations", alice_token_,
                                     Number(opened), R"({"reason":"no answer yet"})");
  ASSERT_EQ(customer.status, 202) << customer.body;
  EXPECT_EQ(Body(customer), (json{{"levels_armed", 1}, {"trigger", "customer_request"}}));
  const HttpResponse staff = Send("POST", "/api/v1/cases/{number}/escalations", agent_token_,
                                  Number(opened), R"({"reason":"needs the network team"})");
  ASSERT_EQ(staff.status, 202) << staff.body;
  EXPECT_EQ(Body(staff), (json{{"levels_armed", 0}, {"trigger", "manual"}}));

  // The armed level fires and its notification joins the case's outbox, after the requester's
  // confirmation of the opening.
  ASSERT_TRUE(app::FireDueTimers(context(), clock_.Now(), 100).ok());
  const HttpResponse listed =
      Send("GET", "/api/v1/cases/{number}/notifications", agent_token_, Number(opened));
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json page = Body(listed);
  EXPECT_TRUE(page["next_cursor"].is_null());
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["kind"], "case.opened");
  const json& notification = page["items"][1];
  EXPECT_GT(notification["id"].get<int64_t>(), 0);
  EXPECT_EQ(notification["kind"], "case.escalated");
  EXPECT_EQ(notification["recipient_id"], agent_.user.id);
  EXPECT_EQ(notification["recipient_email"], agent_.user.email);
  EXPECT_EQ(notification["created_at"], "2026-03-09T09:00:00Z");
  EXPECT_TRUE(notification["sent_at"].is_null());
  EXPECT_EQ(notification["attempts"], 0);
  EXPECT_EQ(notification["last_error"], "");
  for (const char* field : {"subject", "body", "case_number"}) {
    EXPECT_TRUE(notification.contains(field)) << field;
  }
  EXPECT_EQ(
      Send("GET", "/api/v1/cases/{number}/notifications", alice_token_, Number(opened)).status,
      403);
  EXPECT_EQ(Send("GET", "/api/v1/cases/{number}/notifications", gina_token_, Number(opened)).status,
            404);
}

TEST_F(ApiSlaTest, BadEscalationAndFlagRequestsAreClearProblems) {
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 1));
  const core::Case closed = MustOpen(acme_alice_, Request("Closed", 2));
  for (core::CaseStatus status : {core::CaseStatus::kSolved, core::CaseStatus::kClosed}) {
    app::UpdateCaseRequest move;
    move.status = status;
    ASSERT_TRUE(Update(agent_, closed.number, move).ok());
  }
  struct Row {
    const char* name;
    std::string pattern;
    std::string token;
    std::string number;
    std::string body;
    int status;
    std::string detail;
  };
  const std::string escalations = "/api/v1/cases/{number}/escalations";
  const std::string flags = "/api/v1/cases/{number}/severity-flags";
  const std::string open = std::to_string(opened.number);
  const Row rows[] = {
      {"no token", escalations, "", open, R"({"reason":"x"})", 401, "token"},
      {"not visible", escalations, gina_token_, open, R"({"reason":"x"})", 404, "not found"},
      {"no such case", escalations, alice_token_, "999999", R"({"reason":"x"})", 404, "not found"},
      {"not a number", escalations, alice_token_, "abc", R"({"reason":"x"})", 404, ""},
      {"missing reason", escalations, alice_token_, open, R"({})", 400,
       "field 'reason' is required"},
      {"reason not a string", escalations, alice_token_, open, R"({"reason":1})", 400,
       "field 'reason' must be a string"},
      {"unknown field", escalations, alice_token_, open, R"({"reason":"x","level":2})", 400,
       "unknown field 'level'"},
      {"reason too long", escalations, alice_token_, open,
       json{{"reason", std::string(2001, 'x')}}.dump(), 400, "at most 2000 characters"},
      {"closed case", escalations, alice_token_, std::to_string(closed.number), R"({"reason":"x"})",
       422, "closed"},
      {"customer flags", flags, alice_token_, open, R"({"reason":"x"})", 403, "provider staff"},
      {"flag not visible", flags, gina_token_, open, R"({"reason":"x"})", 404, "not found"},
      {"flag without reason", flags, agent_token_, open, R"({"reason":""})", 400,
       "field 'reason' is required"},
  };
  for (const Row& row : rows) {
    const HttpResponse response =
        Send("POST", row.pattern, row.token, {{"number", row.number}}, row.body);
    EXPECT_EQ(response.status, row.status) << row.name << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json") << row.name;
    EXPECT_NE(Body(response).value("detail", "").find(row.detail), std::string::npos)
        << row.name << ": " << response.body;
  }
}

TEST_F(ApiSlaTest, StaffFlagAndListSeverityFlags) {
  const core::Case opened = MustOpen(acme_alice_, Request("Everything down", 1));
  const std::string pattern = "/api/v1/cases/{number}/severity-flags";
  const HttpResponse created =
      Send("POST", pattern, agent_token_, Number(opened), R"({"reason":"a typo in a page"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json flag = Body(created);
  EXPECT_GT(flag["id"].get<int64_t>(), 0);
  EXPECT_EQ(flag["case_number"], opened.number);
  EXPECT_EQ(flag["org_id"], acme_);
  EXPECT_EQ(flag["requester_id"], acme_alice_.user.id);
  EXPECT_EQ(flag["flagged_by"], agent_.user.id);
  EXPECT_EQ(flag["flagged_severity"], 1);
  EXPECT_EQ(flag["reason"], "a typo in a page");
  EXPECT_EQ(flag["at"], "2026-03-09T09:00:00Z");

  const HttpResponse again =
      Send("POST", pattern, admin_token_, Number(opened), R"({"reason":"same again"})");
  EXPECT_EQ(again.status, 409) << again.body;

  const HttpResponse listed = Send("GET", pattern, agent_token_, Number(opened));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(Body(listed)["items"].size(), 1u);
  EXPECT_EQ(Body(listed)["items"][0], flag);
  EXPECT_EQ(Send("GET", pattern, alice_token_, Number(opened)).status, 403);
  EXPECT_EQ(Send("GET", pattern, gina_token_, Number(opened)).status, 404);
}

TEST_F(ApiSlaTest, ReportAsJson) {
  const core::Case late = Import(1, absl::Hours(3));  // first response breached 2 h ago
  Import(2, absl::Hours(1));
  ASSERT_TRUE(Send("POST", "/api/v1/cases/{number}/severity-flags", agent_token_, Number(late),
                   R"({"reason":"not critical"})")
                  .status == 201);
  clock_.Advance(absl::Minutes(1));

  const HttpResponse response = Report(agent_token_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "application/json");
  const json report = Body(response);
  EXPECT_EQ(report["to"], "2026-03-09T09:01:00Z");
  EXPECT_EQ(report["from"], "2026-02-07T09:01:00Z");
  EXPECT_TRUE(report["plan"].is_null());
  EXPECT_TRUE(report["severity"].is_null());
  ASSERT_EQ(report["rows"].size(), 2u);
  const json& critical = report["rows"][0];
  EXPECT_EQ(critical["plan"], "enterprise");
  EXPECT_EQ(critical["severity"], 1);
  EXPECT_EQ(critical["cases"], 1);
  EXPECT_EQ(critical["first_response"], (json{{"achieved_within_target", 0},
                                              {"breached", 1},
                                              {"pending", 0},
                                              {"without_target", 0},
                                              {"compliance_percent", 0.0}}));
  EXPECT_TRUE(critical["resolution"]["compliance_percent"].is_null());
  EXPECT_EQ(critical["update_breaches"], 0);
  EXPECT_TRUE(critical["mean_first_response_minutes"].is_null());
  EXPECT_TRUE(critical["p90_first_response_minutes"].is_null());
  EXPECT_TRUE(report["total"]["plan"].is_null());
  EXPECT_TRUE(report["total"]["severity"].is_null());
  EXPECT_EQ(report["total"]["cases"], 2);
  ASSERT_EQ(report["breaches"].size(), 1u);
  EXPECT_EQ(report["breaches"][0], (json{{"case_number", late.number},
                                         {"plan", "enterprise"},
                                         {"severity", 1},
                                         {"clock", "first_response"},
                                         {"due_at", "2026-03-09T07:00:00Z"},
                                         {"breached_at", "2026-03-09T07:00:00Z"}}));
  EXPECT_EQ(
      report["severity_flags"],
      (json::array({{{"org_id", acme_}, {"requester_id", acme_alice_.user.id}, {"flags", 1}}})));

  const HttpResponse filtered = Report(agent_token_, {{"severity", "2"}, {"plan", "enterprise"}});
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_EQ(Body(filtered)["total"]["cases"], 1);
  EXPECT_EQ(Body(filtered)["severity"], 2);
  EXPECT_EQ(Body(filtered)["plan"], "enterprise");
}

TEST_F(ApiSlaTest, BadReportRequestsAreClearProblems) {
  struct Row {
    const char* name;
    std::string token;
    std::vector<std::pair<std::string, std::string>> query;
    int status;
    std::string detail;
  };
  const Row rows[] = {
      {"no token", "", {}, 401, "token"},
      {"customer", alice_token_, {}, 403, "provider staff"},
      {"bad from", agent_token_, {{"from", "yesterday"}}, 400, "'from' must be an RFC 3339"},
      {"bad to", agent_token_, {{"to", "2026-13-01T00:00:00Z"}}, 400, "'to' must be an RFC 3339"},
      {"from after to",
       agent_token_,
       {{"from", "2026-03-09T00:00:00Z"}, {"to", "2026-03-08T00:00:00Z"}},
       400,
       "'from' must be before 'to'"},
      {"too long",
       agent_token_,
       {{"from", "2025-01-01T00:00:00Z"}, {"to", "2026-03-01T00:00:00Z"}},
       400,
       "at most 400 days"},
      {"severity 9", agent_token_, {{"severity", "9"}}, 400, "'severity' must be from 1 to 4"},
      {"severity text", agent_token_, {{"severity", "high"}}, 400, "'severity'"},
      {"format xml", agent_token_, {{"format", "xml"}}, 400, "'format' must be json or csv"},
  };
  for (const Row& row : rows) {
    const HttpResponse response = Report(row.token, row.query);
    EXPECT_EQ(response.status, row.status) << row.name << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json") << row.name;
    EXPECT_NE(Body(response).value("detail", "").find(row.detail), std::string::npos)
        << row.name << ": " << response.body;
  }
  const HttpResponse offset = Report(
      agent_token_, {{"from", "2026-03-01T00:00:00+01:00"}, {"to", "2026-03-09T10:00:00+01:00"}});
  ASSERT_EQ(offset.status, 200) << offset.body;
  EXPECT_EQ(Body(offset)["from"], "2026-02-28T23:00:00Z");
  EXPECT_EQ(Body(offset)["to"], "2026-03-09T09:00:00Z");
}

TEST_F(ApiSlaTest, ReportAsCsvQuotesFieldsPerRfc4180) {
  Import(1, absl::Hours(3));
  // A summary under a plan name that needs quoting (stored directly: the API would refuse it).
  ports::CaseSlaRecord odd;
  odd.case_number = Import(3, absl::Hours(1)).number;
  odd.org_id = acme_;
  odd.plan = "gold, \"plus\"";
  odd.severity = core::Severity::kMinor;
  odd.created_at = clock_.Now() - absl::Hours(1);
  odd.first_response.target = "480";
  odd.first_response.achieved_at = clock_.Now() - absl::Minutes(15);
  odd.resolution.target = "next_release";
  ASSERT_TRUE(
      store_->WriteAndWait([&](ports::StoreTransaction& txn) { return txn.UpsertCaseSla(odd); })
          .ok());

  const HttpResponse response = Report(agent_token_, {{"format", "csv"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(Header(response, "Content-Disposition"), "attachment; filename=\"sla-report.csv\"");
  const std::vector<std::string> lines = absl::StrSplit(response.body, "\r\n");
  ASSERT_EQ(lines.size(), 5u) << response.body;  // header, two rows, total, and the final CRLF
  EXPECT_EQ(lines[0],
            "plan,severity,cases,first_response_achieved_within_target,first_response_breached,"
            "first_response_pending,first_response_without_target,"
            "first_response_compliance_percent,resolution_achieved_within_target,"
            "resolution_breached,resolution_pending,resolution_without_target,"
            "resolution_compliance_percent,update_breaches,mean_first_response_minutes,"
            "p90_first_response_minutes");
  EXPECT_EQ(lines[1], "enterprise,1,1,0,1,0,0,0.0,0,0,1,0,,0,,");
  EXPECT_EQ(lines[2], "\"gold, \"\"plus\"\"\",3,1,1,0,0,0,100.0,0,0,0,1,,0,45.0,45.0");
  EXPECT_EQ(lines[3], "(all),(all),2,1,1,0,0,50.0,0,0,1,1,,0,45.0,45.0");
  EXPECT_EQ(lines[4], "");
}

}  // namespace
}  // namespace casedesk::adapters::http

// The SLA configuration routes below the HTTP server: real handlers, real SQLite store, real
// tokens; requests are built as the server would build them after route matching.
#include <future>
#include <nlohmann/json.hpp>

#include "adapters/http/api_routes.h"
#include "app/directory_test_fixture.h"
#include "app/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ApiSlaConfigTest : public app::DirectoryTest {
 protected:
  void SetUp() override {
    app::DirectoryTest::SetUp();
    RegisterSlaConfigRoutes(router_, context());
    admin_token_ = Token(desk_.admin.email);
    globex_ = MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "enterprise");
    agent_ = MakeUser("agent@acme.test", core::Role::kAgent, desk_.provider.id);
    second_ = MakeUser("second@acme.test", core::Role::kAgent, desk_.provider.id);
    agent_token_ = Token(agent_.email);
    customer_token_ = Token(MakeUser("jo@globex.test", core::Role::kCustomer, globex_.id).email);
  }

  std::string Token(const std::string& email) {
    absl::StatusOr<app::IssuedToken> issued = app::CreateApiToken(
        context(), std::nullopt, {.user_id = std::nullopt, .email = email}, "test");
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? issued->secret : "";
  }

  HttpResponse Call(const std::string& method, const std::string& pattern,
                    std::map<std::string, std::string> params, const std::string& token,
                    const std::string& body = "",
                    std::vector<std::pair<std::string, std::string>> query = {}) {
    HttpRequest request;
    request.method = method;
    request.route = pattern;
    request.path = pattern;
    request.path_params = std::move(params);
    request.query = std::move(query);
    request.body = body;
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    if (!body.empty()) request.headers.emplace_back("content-type", "application/json");
    for (const Route& route : router_.routes()) {
      if (route.method == method && route.pattern == pattern) {
        std::promise<HttpResponse> answered;
        route.handler(request, [&answered](HttpResponse response) {
          answered.set_value(std::move(response));
        });
        return answered.get_future().get();
      }
    }
    ADD_FAILURE() << "no route " << method << " " << pattern;
    return {};
  }

  HttpResponse Admin(const std::string& method, const std::string& pattern,
                     std::map<std::string, std::string> params, const json& body = nullptr) {
    return Call(method, pattern, std::move(params), admin_token_,
                body.is_null() ? "" : body.dump());
  }

  static json Body(const HttpResponse& response) { return json::parse(response.body); }

  static std::string Detail(const HttpResponse& response) {
    EXPECT_EQ(response.content_type, "application/problem+json") << response.body;
    const json body = json::parse(response.body, nullptr, false);
    return body.is_object() && body.contains("detail") ? body["detail"].get<std::string>() : "";
  }

  json Rotation() const {
    return {{"time_zone", "Europe/London"},
            {"layers", json::array({{{"name", "weekly"},
                                     {"participants", {agent_.id, second_.id}},
                                     {"start", "2026-03-02T09:00"},
                                     {"turn_minutes", 10080}}})}};
  }

  Router router_;
  std::string admin_token_, agent_token_, customer_token_;
  core::Organisation globex_;
  core::User agent_, second_;
};

TEST_F(ApiSlaConfigTest, StaffReadAdminsWriteCustomersAreForbidden) {
  EXPECT_EQ(Call("GET", "/api/v1/calendars", {}, "").status, 401);
  HttpResponse customer = Call("GET", "/api/v1/calendars", {}, customer_token_);
  EXPECT_EQ(customer.status, 403);
  EXPECT_EQ(customer.content_type, "application/problem+json");
  EXPECT_EQ(
      Call("GET", "/api/v1/plans/{name}/sla-policy", {{"name", "enterprise"}}, customer_token_)
          .status,
      403);
  EXPECT_EQ(Call("GET", "/api/v1/oncall/{schedule}/now", {{"schedule", "primary"}}, customer_token_)
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/v1/calendars", {}, agent_token_).status, 200);
  EXPECT_EQ(Call("PUT", "/api/v1/calendars/{name}", {{"name", "eu"}}, agent_token_,
                 R"({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}})")
                .status,
            403);
  EXPECT_EQ(Call("DELETE", "/api/v1/oncall-schedules/{name}", {{"name", "x"}}, agent_token_).status,
            403);
}

TEST_F(ApiSlaConfigTest, CalendarsRoundTripAndDeleteAsDocumented) {
  HttpResponse listed = Call("GET", "/api/v1/calendars", {}, agent_token_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json items = Body(listed)["items"];
  ASSERT_EQ(items.size(), 3u);  // always, business-gmt, service-tasks-pacific
  EXPECT_EQ(items[1]["name"], "business-gmt");
  EXPECT_EQ(items[1]["shipped"], true);
  EXPECT_EQ(items[1]["time_zone"], "GMT");
  EXPECT_EQ(items[1]["hours"]["fri"], json::array({"08:00-01:00"}));
  EXPECT_TRUE(Body(listed)["next_cursor"].is_null());

  const std::map<std::string, std::string> eu{{"name", "support-eu"}};
  HttpResponse created = Admin("PUT", "/api/v1/calendars/{name}", eu,
                               {{"time_zone", "Europe/Paris"},
                                {"holidays", {"2026-12-25"}},
                                {"hours", {{"mon", {"09:00-12:00", "13:00-17:00"}}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(Body(created)["name"], "support-eu");
  EXPECT_EQ(Body(created)["shipped"], false);

  // What GET answers may be sent back as it is.
  HttpResponse fetched = Call("GET", "/api/v1/calendars/{name}", eu, agent_token_);
  ASSERT_EQ(fetched.status, 200);
  json document = Body(fetched);
  document["holidays"].push_back("2026-12-26");
  HttpResponse replaced = Admin("PUT", "/api/v1/calendars/{name}", eu, document);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Body(replaced)["holidays"].size(), 2u);

  // A shipped calendar: replaced, then reverted by DELETE (200 with the shipped one), then
  // refused.
  const std::map<std::string, std::string> always{{"name", "always"}};
  ASSERT_EQ(Admin("PUT", "/api/v1/calendars/{name}", always,
                  {{"time_zone", "UTC"}, {"hours", {{"sun", {"00:00-24:00"}}}}})
                .status,
            200);
  HttpResponse reverted = Admin("DELETE", "/api/v1/calendars/{name}", always);
  ASSERT_EQ(reverted.status, 200) << reverted.body;
  EXPECT_EQ(Body(reverted)["shipped"], true);
  EXPECT_EQ(Body(reverted)["hours"].size(), 7u);
  HttpResponse refused = Admin("DELETE", "/api/v1/calendars/{name}", always);
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(Detail(refused), HasSubstr("shipped"));

  HttpResponse deleted = Admin("DELETE", "/api/v1/calendars/{name}", eu);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(Admin("DELETE", "/api/v1/calendars/{name}", eu).status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/calendars/{name}", eu, agent_token_).status, 404);
}

TEST_F(ApiSlaConfigTest, BadCalendarsAre400NamingTheField) {
  struct Row {
    std::string name;
    std::string body;
    std::string says;
  };
  const std::vector<Row> rows = {
      {"eu", R"({"time_zone": 5, "hours": {}})", "time_zone"},
      {"eu", R"({"time_zone": "UTC", "hours": {"mon": "09:00-17:00"}})", "hours.mon"},
      {"eu", R"({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "colour": 1})", "colour"},
      {"eu", R"({"hours": {"mon": ["09:00-17:00"]}})", "time_zone"},
      {"eu", R"({"time_zone": "Mars/Base", "hours": {"mon": ["09:00-17:00"]}})", "time_zone"},
      {"eu", R"({"time_zone": "UTC", "hours": {"mon": ["09:00-13:00", "12:00-17:00"]}})", "mon"},
      {"eu", R"({"time_zone": "UTC", "hours": {"mon": ["9-5"]}})", "mon"},
      {"eu", R"({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "name": "us"})", "name"},
      {"eu", R"({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}, "shipped": "no"})",
       "shipped"},
      {"Not A Name", R"({"time_zone": "UTC", "hours": {"mon": ["09:00-17:00"]}})", "name"},
      {"eu", "[]", "JSON object"},
      {"eu", "{", "not valid JSON"},
  };
  for (const Row& row : rows) {
    HttpResponse response =
        Call("PUT", "/api/v1/calendars/{name}", {{"name", row.name}}, admin_token_, row.body);
    EXPECT_EQ(response.status, 400) << row.body << " -> " << response.body;
    EXPECT_THAT(Detail(response), HasSubstr(row.says)) << row.body;
  }
  EXPECT_TRUE(EventsOfKind("calendar.updated").empty());
}

TEST_F(ApiSlaConfigTest, PlanSlaPoliciesAreShippedThenReplaced) {
  const std::map<std::string, std::string> enterprise{{"name", "enterprise"}};
  HttpResponse shipped = Call("GET", "/api/v1/plans/{name}/sla-policy", enterprise, agent_token_);
  ASSERT_EQ(shipped.status, 200) << shipped.body;
  json policy = Body(shipped);
  EXPECT_EQ(policy["plan"], "enterprise");
  EXPECT_EQ(policy["shipped"], true);
  EXPECT_EQ(policy["business_calendar"], "business-gmt");
  EXPECT_EQ(policy["targets"]["1"]["first_response"],
            json({{"minutes", 60}, {"calendar", "always"}}));
  EXPECT_EQ(policy["targets"]["3"]["resolution"]["named"], "next_release");
  EXPECT_EQ(policy["after_hours"]["clocks"]["triage"]["minutes"], 15);

  policy["targets"]["2"]["first_response"]["minutes"] = 120;
  HttpResponse saved = Admin("PUT", "/api/v1/plans/{name}/sla-policy", enterprise, policy);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["shipped"], false);
  EXPECT_EQ(Body(saved)["targets"]["2"]["first_response"]["minutes"], 120);
  HttpResponse again = Call("GET", "/api/v1/plans/{name}/sla-policy", enterprise, agent_token_);
  EXPECT_EQ(Body(again)["targets"]["2"]["first_response"]["minutes"], 120);
  EXPECT_EQ(EventsOfKind("sla_policy.updated").size(), 1u);

  EXPECT_EQ(Call("GET", "/api/v1/plans/{name}/sla-policy", {{"name", "gold"}}, agent_token_).status,
            404);
  json unplanned = Body(shipped);
  unplanned.erase("plan");
  EXPECT_EQ(Admin("PUT", "/api/v1/plans/{name}/sla-policy", {{"name", "gold"}}, unplanned).status,
            404);

  struct Row {
    std::string pointer;
    json value;
    std::string says;
  };
  const std::vector<Row> rows = {
      {"/business_calendar", "mars", "business_calendar"},
      {"/warning_fraction", 1, "warning_fraction"},
      {"/warning_fraction", "most", "warning_fraction"},
      {"/targets/1/first_response/minutes", "60", "targets.1.first_response.minutes"},
      {"/targets/1/first_response/minutes", -5, "first_response"},
      {"/targets/9", json::object(), "targets.9"},
      {"/targets/2/next_update", json({{"every_minutes", 10}, {"on_milestone", true}}),
       "targets.2.next_update"},
      {"/pause_statuses", json::array({"closed"}), "pause_statuses"},
      {"/after_hours/clocks/lunch", json({{"minutes", 5}}), "after_hours.clocks.lunch"},
      {"/plan", "professional", "plan"},
      {"/colour", "red", "colour"},
  };
  for (const Row& row : rows) {
    json body = Body(shipped);
    body[json::json_pointer(row.pointer)] = row.value;
    HttpResponse response = Admin("PUT", "/api/v1/plans/{name}/sla-policy", enterprise, body);
    EXPECT_EQ(response.status, 400) << row.pointer << " -> " << response.body;
    EXPECT_THAT(Detail(response), HasSubstr(row.says)) << row.pointer;
  }
  json missing = Body(shipped);
  missing["targets"].erase("4");
  HttpResponse incomplete = Admin("PUT", "/api/v1/plans/{name}/sla-policy", enterprise, missing);
  EXPECT_EQ(incomplete.status, 400);
  EXPECT_THAT(Detail(incomplete), HasSubstr("severity 4"));
}

TEST_F(ApiSlaConfigTest, SchedulesAndWhoIsOnCall) {
  const std::map<std::string, std::string> primary{{"name", "primary"}};
  HttpResponse saved = Admin("PUT", "/api/v1/oncall-schedules/{name}", primary, Rotation());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["name"], "primary");
  HttpResponse listed = Call("GET", "/api/v1/oncall-schedules", {}, agent_token_);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(Body(listed)["items"].size(), 1u);
  EXPECT_EQ(Body(listed)["items"][0], Body(saved));

  const std::map<std::string, std::string> now{{"schedule", "primary"}};
  // Without "at": the clock's now, 2026-03-09T09:00:00Z, the second agent's first minute.
  HttpResponse current = Call("GET", "/api/v1/oncall/{schedule}/now", now, agent_token_);
  ASSERT_EQ(current.status, 200) << current.body;
  EXPECT_EQ(Body(current),
            json({{"schedule", "primary"},
                  {"at", "2026-03-09T09:00:00Z"},
                  {"user", {{"id", second_.id}, {"name", "second"}, {"email", "second@acme.test"}}},
                  {"layer", "weekly"},
                  {"since", "2026-03-09T09:00:00Z"},
                  {"until", "2026-03-16T09:00:00Z"}}));
  HttpResponse earlier = Call("GET", "/api/v1/oncall/{schedule}/now", now, agent_token_, "",
                              {{"at", "2026-03-09T09:59:59+01:00"}});
  ASSERT_EQ(earlier.status, 200) << earlier.body;
  EXPECT_EQ(Body(earlier)["user"]["id"], agent_.id);
  EXPECT_EQ(Body(earlier)["at"], "2026-03-09T08:59:59Z");
  HttpResponse before = Call("GET", "/api/v1/oncall/{schedule}/now", now, agent_token_, "",
                             {{"at", "2020-01-01T00:00:00Z"}});
  ASSERT_EQ(before.status, 200);
  EXPECT_TRUE(Body(before)["user"].is_null());
  EXPECT_TRUE(Body(before)["layer"].is_null());
  EXPECT_TRUE(Body(before)["since"].is_null());
  EXPECT_EQ(
      Call("GET", "/api/v1/oncall/{schedule}/now", now, agent_token_, "", {{"at", "yesterday"}})
          .status,
      400);
  EXPECT_EQ(
      Call("GET", "/api/v1/oncall/{schedule}/now", {{"schedule", "other"}}, agent_token_).status,
      404);

  json gap = Rotation();
  gap["layers"][0]["restrictions"] = json::array({{{"day", "mon"}, {"window", "09:00-17:00"}}});
  HttpResponse gapped = Admin("PUT", "/api/v1/oncall-schedules/{name}", primary, gap);
  EXPECT_EQ(gapped.status, 400);
  EXPECT_THAT(Detail(gapped), HasSubstr("gap"));
  json typed = Rotation();
  typed["layers"][0]["turn_minutes"] = "weekly";
  HttpResponse wrong = Admin("PUT", "/api/v1/oncall-schedules/{name}", primary, typed);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_THAT(Detail(wrong), HasSubstr("layers[0].turn_minutes"));
  json extra = Rotation();
  extra["colour"] = "red";
  EXPECT_THAT(Detail(Admin("PUT", "/api/v1/oncall-schedules/{name}", primary, extra)),
              HasSubstr("colour"));

  HttpResponse deleted = Admin("DELETE", "/api/v1/oncall-schedules/{name}", primary);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_EQ(Call("GET", "/api/v1/oncall-schedules/{name}", primary, agent_token_).status, 404);
}

TEST_F(ApiSlaConfigTest, EscalationPolicies) {
  ASSERT_EQ(
      Admin("PUT", "/api/v1/oncall-schedules/{name}", {{"name", "primary"}}, Rotation()).status,
      200);
  const json urgent = {
      {"description", "Executives hear about urgent issues"},
      {"plans", {"enterprise"}},
      {"severities", {1}},
      {"levels", json::array({{{"trigger", "case_created_critical"},
                               {"targets", json::array({{{"kind", "oncall"}, {"ref", "primary"}},
                                                        {{"kind", "tier"}, {"ref", "executive"}}})},
                               {"actions", {"notify"}}}})}};
  HttpResponse saved =
      Admin("PUT", "/api/v1/escalation-policies/{name}", {{"name", "urgent"}}, urgent);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["name"], "urgent");
  EXPECT_EQ(Body(saved)["enabled"], true);
  HttpResponse listed = Call("GET", "/api/v1/escalation-policies", {}, agent_token_);
  ASSERT_EQ(listed.status, 200);
  // The four shipped policies `casedesk init` stores, and this one.
  ASSERT_EQ(Body(listed)["items"].size(), 5u);
  const json items = Body(listed)["items"];
  const json saved_body = Body(saved);
  bool found = false;
  for (const json& item : items) found |= item == saved_body;
  EXPECT_TRUE(found);

  // b hands over to urgent; urgent handing over to b would close a cycle.
  json handover = urgent;
  handover["levels"][0]["targets"] = json::array({{{"kind", "policy"}, {"ref", "urgent"}}});
  ASSERT_EQ(Admin("PUT", "/api/v1/escalation-policies/{name}", {{"name", "b"}}, handover).status,
            200);
  json cyclic = urgent;
  cyclic["levels"][0]["targets"] = json::array({{{"kind", "policy"}, {"ref", "b"}}});
  HttpResponse cycle =
      Admin("PUT", "/api/v1/escalation-policies/{name}", {{"name", "urgent"}}, cyclic);
  EXPECT_EQ(cycle.status, 400);
  EXPECT_THAT(Detail(cycle), HasSubstr("cycle"));
  json empty = urgent;
  empty["levels"] = json::array();
  HttpResponse none = Admin("PUT", "/api/v1/escalation-policies/{name}", {{"name", "x"}}, empty);
  EXPECT_EQ(none.status, 400);
  EXPECT_THAT(Detail(none), HasSubstr("levels"));
  json unknown = urgent;
  unknown["levels"][0]["trigger"] = "full_moon";
  HttpResponse trigger =
      Admin("PUT", "/api/v1/escalation-policies/{name}", {{"name", "x"}}, unknown);
  EXPECT_EQ(trigger.status, 400);
  EXPECT_THAT(Detail(trigger), HasSubstr("levels[0].trigger"));

  HttpResponse in_use = Admin("DELETE", "/api/v1/oncall-schedules/{name}", {{"name", "primary"}});
  EXPECT_EQ(in_use.status, 422);
  EXPECT_THAT(Detail(in_use), HasSubstr("urgent"));
  EXPECT_EQ(Admin("DELETE", "/api/v1/escalation-policies/{name}", {{"name", "urgent"}}).status,
            422);
  EXPECT_EQ(Admin("DELETE", "/api/v1/escalation-policies/{name}", {{"name", "b"}}).status, 204);
  EXPECT_EQ(Admin("DELETE", "/api/v1/escalation-policies/{name}", {{"name", "urgent"}}).status,
            204);
  EXPECT_EQ(
      Call("GET", "/api/v1/escalation-policies/{name}", {{"name", "urgent"}}, agent_token_).status,
      404);
}

TEST_F(ApiSlaConfigTest, GarbageBodiesAreNeverA500) {
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"/api/v1/calendars/{name}", "name"},
      {"/api/v1/plans/{name}/sla-policy", "name"},
      {"/api/v1/escalation-policies/{name}", "name"},
      {"/api/v1/oncall-schedules/{name}", "name"},
  };
  const std::vector<std::string> bodies = {
      "null",
      "[]",
      "42",
      "\"x\"",
      "{}",
      R"({"targets": null})",
      R"({"targets": [1]})",
      R"({"layers": {"a": 1}})",
      R"({"levels": [null]})",
      R"({"hours": [[[]]]})",
      R"({"time_zone": "UTC", "hours": {"mon": [null]}})",
      R"({"business_calendar": "always", "targets": {"1": null}})",
      R"({"levels": [{"trigger": "manual", "targets": [{"kind": "user", "ref": "-1"}],
                      "actions": ["notify"]}]})",
      R"({"time_zone": "UTC", "layers": [{"name": "a", "participants": [1e300],
          "start": "2026-01-01T00:00", "turn_minutes": 60}]})",
      R"({"time_zone": "UTC", "layers": [{"name": "a", "participants": [18446744073709551615],
          "start": "2026-01-01T00:00", "turn_minutes": 99999999999999999999}]})",
  };
  for (const auto& [pattern, parameter] : routes) {
    for (const std::string& body : bodies) {
      const std::string name = pattern.find("plans") != std::string::npos ? "enterprise" : "x";
      HttpResponse response = Call("PUT", pattern, {{parameter, name}}, admin_token_, body);
      EXPECT_GE(response.status, 400) << pattern << " " << body;
      EXPECT_LT(response.status, 500) << pattern << " " << body << " -> " << response.body;
    }
  }
}

}  // namespace
}  // namespace casedesk::adapters::http

// The directory routes end to end below the HTTP server: real handlers, real SQLite store, real
// tokens; requests are built as the server would build them after route matching.
#include <future>

#include <nlohmann/json.hpp>

#include "adapters/http/api_routes.h"
#include "app/directory_test_fixture.h"
#include "app/tokens.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

class ApiDirectoryTest : public app::DirectoryTest {
 protected:
  void SetUp() override {
    app::DirectoryTest::SetUp();
    RegisterDirectoryRoutes(router_, context());
    admin_token_ = Token(desk_.admin.email);
  }

  std::string Token(const std::string& email) {
    absl::StatusOr<app::IssuedToken> issued =
        app::CreateApiToken(context(), std::nullopt, {.email = email}, "test");
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

  static json Body(const HttpResponse& response) { return json::parse(response.body); }

  Router router_;
  std::string admin_token_;
};

TEST_F(ApiDirectoryTest, RequiresAValidBearerToken) {
  HttpResponse response = Call("GET", "/api/v1/orgs", {}, "");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.content_type, "application/problem+json");
  EXPECT_EQ(Call("GET", "/api/v1/orgs", {}, "cd_forged").status, 401);
  EXPECT_EQ(Call("GET", "/api/v1/orgs", {}, admin_token_).status, 200);
}

TEST_F(ApiDirectoryTest, OrganisationsAndPeopleKeepTheDocumentedShapes) {
  HttpResponse created = Call("POST", "/api/v1/orgs", {}, admin_token_,
                              R"({"name": "Globex", "kind": "customer", "parent_id": )" +
                                  std::to_string(desk_.provider.id) +
                                  R"(, "plan": "professional", "shares_cases": true})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json org = Body(created);
  EXPECT_GT(org["id"].get<int64_t>(), 0);
  EXPECT_EQ(org["kind"], "customer");
  EXPECT_EQ(org["plan"], "professional");
  EXPECT_EQ(org["shares_cases"], true);

  const std::string user_body = R"({"email": "Jo@Globex.test", "name": "Jo", "role": "customer",
      "org_id": )" + std::to_string(org["id"].get<int64_t>()) + R"(, "verified": true})";
  HttpResponse user = Call("POST", "/api/v1/users", {}, admin_token_, user_body);
  ASSERT_EQ(user.status, 201) << user.body;
  const json jo = Body(user);
  EXPECT_EQ(jo["email"], "jo@globex.test");
  EXPECT_EQ(jo["role"], "customer");
  EXPECT_TRUE(jo["tier"].is_null());
  EXPECT_FALSE(jo.contains("password_hash"));
  EXPECT_FALSE(jo.contains("pin_hash"));
  EXPECT_EQ(Call("POST", "/api/v1/users", {}, admin_token_, user_body).status, 409);

  const std::string jo_token = Token("jo@globex.test");
  HttpResponse me = Call("GET", "/api/v1/users/me", {}, jo_token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(Body(me)["id"], jo["id"]);
  HttpResponse listed = Call("GET", "/api/v1/orgs", {}, jo_token);
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(Body(listed)["items"].size(), 1u);
  EXPECT_TRUE(Body(listed)["next_cursor"].is_null());
  // Another tenant's id: 404, the same as an id that does not exist.
  HttpResponse provider =
      Call("GET", "/api/v1/orgs/{id}", {{"id", std::to_string(desk_.provider.id)}}, jo_token);
  EXPECT_EQ(provider.status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/users/{id}", {{"id", std::to_string(desk_.admin.id)}}, jo_token)
                .status,
            404);
}

TEST_F(ApiDirectoryTest, BadInputIsAProblem) {
  HttpResponse unknown = Call("POST", "/api/v1/orgs", {}, admin_token_,
                              R"({"name": "X", "kind": "customer", "plan": "developer", "x": 1})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(Body(unknown)["detail"].get<std::string>().find("unknown field 'x'"),
            std::string::npos);
  EXPECT_EQ(Call("POST", "/api/v1/orgs", {}, admin_token_, "{not json").status, 400);
  EXPECT_EQ(Call("POST", "/api/v1/orgs", {}, admin_token_, R"({"name": 5, "kind": "customer"})")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/orgs", {}, admin_token_,
                 R"({"name": "X", "kind": "galaxy", "plan": "developer"})")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/api/v1/orgs", {}, admin_token_,
                 std::string(2 * 1024 * 1024, ' '))
                .status,
            413);
  EXPECT_EQ(Call("GET", "/api/v1/orgs", {}, admin_token_, "", {{"limit", "0"}}).status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/orgs/{id}", {{"id", "abc"}}, admin_token_).status, 404);
}

TEST_F(ApiDirectoryTest, PlansSeveritiesGroupsTokensAndPins) {
  HttpResponse plans = Call("GET", "/api/v1/plans", {}, admin_token_);
  ASSERT_EQ(plans.status, 200);
  EXPECT_EQ(Body(plans)["items"].size(), 3u);
  EXPECT_EQ(Call("GET", "/api/v1/plans/{name}", {{"name", "enterprise"}}, admin_token_).status,
            200);
  EXPECT_EQ(Call("POST", "/api/v1/plans", {}, admin_token_,
                 R"({"name": "basic", "channels": ["portal", "email"]})")
                .status,
            201);
  EXPECT_EQ(Call("PATCH", "/api/v1/plans/{name}", {{"name", "basic"}}, admin_token_,
                 R"({"channels": ["fax"]})")
                .status,
            400);

  HttpResponse severities = Call("GET", "/api/v1/severities", {}, admin_token_);
  ASSERT_EQ(severities.status, 200);
  json items = Body(severities)["items"];
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0]["level"], 1);
  items[0]["summary"] = "Everything is on fire.";
  HttpResponse replaced =
      Call("PUT", "/api/v1/severities", {}, admin_token_, json{{"items", items}}.dump());
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(Body(replaced)["items"][0]["summary"], "Everything is on fire.");

  HttpResponse group = Call("POST", "/api/v1/groups", {}, admin_token_,
                            R"({"name": "Network", "members": [)" +
                                std::to_string(desk_.admin.id) + "]}");
  ASSERT_EQ(group.status, 201) << group.body;
  EXPECT_EQ(Body(group)["members"], json::array({desk_.admin.id}));

  HttpResponse token = Call("POST", "/api/v1/tokens", {}, admin_token_, R"({"name": "ci"})");
  ASSERT_EQ(token.status, 201) << token.body;
  const std::string secret = Body(token)["token"];
  EXPECT_EQ(Call("GET", "/api/v1/users/me", {}, secret).status, 200);

  const std::map<std::string, std::string> me{{"id", std::to_string(desk_.admin.id)}};
  HttpResponse pin = Call("POST", "/api/v1/users/{id}/pin", me, admin_token_);
  ASSERT_EQ(pin.status, 200) << pin.body;
  const std::string value = Body(pin)["pin"];
  HttpResponse valid = Call("POST", "/api/v1/users/{id}/pin/verify", me, admin_token_,
                            json{{"pin", value}}.dump());
  ASSERT_EQ(valid.status, 200) << valid.body;
  EXPECT_EQ(Body(valid)["valid"], true);
  HttpResponse invalid = Call("POST", "/api/v1/users/{id}/pin/verify", me, admin_token_,
                              json{{"pin", value == "000000" ? "111111" : "000000"}}.dump());
  EXPECT_EQ(Body(invalid)["valid"], false);
}

}  // namespace
}  // namespace casedesk::adapters::http

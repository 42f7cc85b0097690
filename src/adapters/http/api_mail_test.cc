// The email channel's routes below the HTTP server: real handlers, the real GMime parser, a real
// SQLite store and blob store, real tokens; requests are built as the server would build them
// after route matching.
#include <algorithm>
#include <cctype>
#include <future>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/api_system.h"
#include "adapters/mail/gmime_parser.h"
#include "app/directory_test_fixture.h"
#include "app/mail_ingest.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using Params = std::map<std::string, std::string>;
using Query = std::vector<std::pair<std::string, std::string>>;

constexpr char kInbound[] = "/api/v1/mail/inbound";
constexpr char kInboundItem[] = "/api/v1/mail/inbound/{id}";
constexpr char kInboundRaw[] = "/api/v1/mail/inbound/{id}/raw";
constexpr char kAccept[] = "/api/v1/mail/inbound/{id}/accept";
constexpr char kReject[] = "/api/v1/mail/inbound/{id}/reject";
constexpr char kSettings[] = "/api/v1/mail/settings";
constexpr char kOrgSettings[] = "/api/v1/orgs/{id}/mail-settings";
constexpr char kTemplates[] = "/api/v1/mail/templates";
constexpr char kTemplate[] = "/api/v1/mail/templates/{kind}";
constexpr char kOutbox[] = "/api/v1/mail/outbox";
constexpr char kOutboxRetry[] = "/api/v1/mail/outbox/{id}/retry";

// A plain-text message as a mail client would send it.
std::string Message(const std::string& from, const std::string& subject,
                    const std::string& message_id, const std::string& body = "It is broken.") {
  return absl::StrCat("From: ", from, "\r\nTo: support@help.example.com\r\nSubject: ", subject,
                      "\r\nMessage-ID: <", message_id,
                      ">\r\nDate: Mon, 9 Mar 2026 13:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\n\r\n",
                      body, "\r\n");
}

class ApiMailTest : public app::DirectoryTest {
 protected:
  void SetUp() override {
    app::DirectoryTest::SetUp();
    RegisterMailRoutes(router_, context(), parser_);
    admin_token_ = Token(desk_.admin.email);
    globex_ = MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "enterprise");
    partner_ = MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
    agent_ = MakeUser("agent@acme.test", core::Role::kAgent, desk_.provider.id);
    agent_token_ = Token(agent_.email);
    jo_ = MakeUser("jo@globex.test", core::Role::kCustomer, globex_.id, /*org_admin=*/true);
    customer_token_ = Token(jo_.email);
    partner_token_ =
        Token(MakeUser("pat@resell.test", core::Role::kPartnerAgent, partner_.id).email);
  }

  std::string Token(const std::string& email) {
    absl::StatusOr<app::IssuedToken> issued = app::CreateApiToken(
        context(), std::nullopt, {.user_id = std::nullopt, .email = email}, "test");
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? issued->secret : "";
  }

  HttpResponse Call(const std::string& method, const std::string& pattern, Params params,
                    const std::string& token, const std::string& body = "", Query query = {},
                    const std::string& content_type = "application/json") {
    HttpRequest request;
    request.method = method;
    request.route = pattern;
    request.path = pattern;
    request.path_params = std::move(params);
    request.query = std::move(query);
    request.body = body;
    if (!token.empty()) request.headers.emplace_back("authorization", "Bearer " + token);
    if (!body.empty()) request.headers.emplace_back("content-type", content_type);
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

  HttpResponse Admin(const std::string& method, const std::string& pattern, Params params = {},
                     const json& body = nullptr) {
    return Call(method, pattern, std::move(params), admin_token_,
                body.is_null() ? "" : body.dump());
  }

  HttpResponse Agent(const std::string& method, const std::string& pattern, Params params = {},
                     const json& body = nullptr, Query query = {}) {
    return Call(method, pattern, std::move(params), agent_token_, body.is_null() ? "" : body.dump(),
                std::move(query));
  }

  // POST /mail/inbound as the admin; the envelope recipient is support@.
  HttpResponse Submit(const std::string& raw) {
    return Call("POST", kInbound, {}, admin_token_, raw, {{"to", "support@help.example.com"}},
                "message/rfc822");
  }

  static json Body(const HttpResponse& response) {
    const json body = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << response.body;
    return body;
  }

  static std::string Detail(const HttpResponse& response) {
    EXPECT_EQ(response.content_type, "application/problem+json") << response.body;
    const json body = json::parse(response.body, nullptr, false);
    return body.is_object() && body.contains("detail") ? body["detail"].get<std::string>() : "";
  }

  static std::string Header(const HttpResponse& response, const std::string& name) {
    for (const auto& [key, value] : response.headers) {
      if (key == name) return value;
    }
    return "";
  }

  static Params Id(const json& id) { return {{"id", std::to_string(id.get<int64_t>())}}; }

  absl::StatusOr<core::Case> LoadCase(core::CaseNumber number) {
    return app::ReadValue<core::Case>(
        context().store, [number](ports::StoreTransaction& txn) { return txn.GetCase(number); });
  }

  void QuarantineUnknownSenders() {
    HttpResponse saved = Admin("PUT", kSettings, {}, {{"unknown_senders", "quarantine"}});
    ASSERT_EQ(saved.status, 200) << saved.body;
  }

  adapters::mail::GmimeMailParser parser_;
  Router router_;
  std::string admin_token_, agent_token_, customer_token_, partner_token_;
  core::Organisation globex_, partner_;
  core::User agent_, jo_;
};

TEST_F(ApiMailTest, AdminSubmitsMessageFromVerifiedContactAndACaseOpens) {
  const std::string raw = Message("Jo <jo@globex.test>", "Printer on fire", "m1@globex.test");
  HttpResponse created = Submit(raw);
  ASSERT_EQ(created.status, 201) << created.body;
  const json result = Body(created);
  EXPECT_EQ(result["status"], "case_opened");
  ASSERT_TRUE(result["case_number"].is_number_integer()) << created.body;
  EXPECT_EQ(Header(created, "Location"),
            absl::StrCat("/api/v1/mail/inbound/", result["id"].get<int64_t>()));

  absl::StatusOr<core::Case> opened = LoadCase(result["case_number"].get<int64_t>());
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->subject, "Printer on fire");
  EXPECT_EQ(opened->requester_id, jo_.id);
  EXPECT_EQ(opened->org_id, globex_.id);

  HttpResponse row = Agent("GET", kInboundItem, Id(result["id"]));
  ASSERT_EQ(row.status, 200) << row.body;
  const json mail = Body(row);
  EXPECT_EQ(mail["channel"], "api");
  EXPECT_EQ(mail["from"], "jo@globex.test");
  EXPECT_EQ(mail["envelope_to"], "support@help.example.com");
  EXPECT_EQ(mail["message_id"], "m1@globex.test");
  EXPECT_EQ(mail["subject"], "Printer on fire");
  EXPECT_EQ(mail["status"], "case_opened");
  EXPECT_EQ(mail["case_number"], result["case_number"]);
  EXPECT_EQ(mail["raw_size"], static_cast<int64_t>(raw.size()));
  EXPECT_TRUE(mail["decided_at"].is_null());
  EXPECT_EQ(mail["received_at"], http::FormatTime(clock_.Now()));

  // The same message again is recognised, kept, and not acted on.
  HttpResponse again = Submit(raw);
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(Body(again)["status"], "duplicate");
  EXPECT_TRUE(Body(again)["case_number"].is_null());
}

TEST_F(ApiMailTest, StrangerIsRejectedWithANoticeThatWaitsInTheOutbox) {
  HttpResponse created = Submit(Message("stranger@elsewhere.test", "Hello?", "s1@elsewhere.test"));
  ASSERT_EQ(created.status, 201) << created.body;
  const json result = Body(created);
  EXPECT_EQ(result["status"], "rejected");
  EXPECT_FALSE(result["reason"].get<std::string>().empty());

  HttpResponse listed = Agent("GET", kInbound, {}, nullptr, {{"status", "rejected"}});
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json items = Body(listed)["items"];
  ASSERT_EQ(items.size(), 1u) << listed.body;
  EXPECT_EQ(items[0]["id"], result["id"]);
  EXPECT_EQ(items[0]["from"], "stranger@elsewhere.test");
  EXPECT_EQ(Body(Agent("GET", kInbound, {}, nullptr, {{"status", "case_opened"}}))["items"].size(),
            0u);

  HttpResponse outbox = Agent("GET", kOutbox, {}, nullptr, {{"state", "pending"}});
  ASSERT_EQ(outbox.status, 200) << outbox.body;
  const json queued = Body(outbox);
  EXPECT_EQ(queued["counts"]["pending"], 1);
  EXPECT_EQ(queued["counts"]["failed"], 0);
  ASSERT_EQ(queued["items"].size(), 1u) << outbox.body;
  const json& notice = queued["items"][0];
  EXPECT_EQ(notice["kind"], app::kMailUnknownSender);
  EXPECT_EQ(notice["recipient_email"], "stranger@elsewhere.test");
  EXPECT_EQ(notice["attempts"], 0);
  EXPECT_TRUE(notice["failed_at"].is_null());
  EXPECT_TRUE(notice["last_error"].is_null());
  EXPECT_FALSE(notice.contains("body")) << "account mail bodies carry secret links";

  EXPECT_EQ(Agent("GET", kOutbox, {}, nullptr, {{"state", "sent"}}).status, 400);
}

// Records a failed delivery attempt of notification `id` with no retry: the outbox gives it up.
void GiveUp(app::AppContext& context, int64_t id, absl::Time at) {
  ASSERT_TRUE(context.store
                  .WriteAndWait([&](ports::StoreTransaction& txn) {
                    return txn.RecordNotificationAttempt(id, at, "550 mailbox unavailable",
                                                         std::nullopt);
                  })
                  .ok());
}

std::vector<int64_t> ItemIds(const json& page) {
  std::vector<int64_t> ids;
  for (const json& item : page["items"]) ids.push_back(item["id"].get<int64_t>());
  return ids;
}

TEST_F(ApiMailTest, GivenUpNotificationsAreListedAndAnAdminQueuesThemAgain) {
  for (const char* sender : {"one@elsewhere.test", "two@elsewhere.test"}) {
    ASSERT_EQ(Body(Submit(Message(sender, "Hello?", absl::StrCat("hi.", sender))))["status"],
              "rejected");
  }
  const std::vector<int64_t> ids =
      ItemIds(Body(Agent("GET", kOutbox, {}, nullptr, {{"state", "pending"}})));
  ASSERT_EQ(ids.size(), 2u);
  clock_.Advance(absl::Minutes(5));
  const absl::Time given_up_at = clock_.Now();
  GiveUp(context(), ids[0], given_up_at);

  HttpResponse failed = Agent("GET", kOutbox, {}, nullptr, {{"state", "failed"}});
  ASSERT_EQ(failed.status, 200) << failed.body;
  json page = Body(failed);
  EXPECT_EQ(page["state"], "failed");
  EXPECT_EQ(page["counts"]["pending"], 1);
  EXPECT_EQ(page["counts"]["failed"], 1);
  EXPECT_TRUE(page["next_cursor"].is_null());
  ASSERT_EQ(ItemIds(page), (std::vector<int64_t>{ids[0]}));
  EXPECT_EQ(page["items"][0]["failed_at"], http::FormatTime(given_up_at));
  EXPECT_EQ(page["items"][0]["last_error"], "550 mailbox unavailable");
  EXPECT_EQ(page["items"][0]["attempts"], 1);
  EXPECT_FALSE(page["items"][0].contains("body"));
  EXPECT_EQ(ItemIds(Body(Agent("GET", kOutbox))), (std::vector<int64_t>{ids[1]}));

  // Agents look; admins retry. The row goes back to pending, due at once, with its history.
  EXPECT_EQ(Agent("POST", kOutboxRetry, {{"id", std::to_string(ids[0])}}).status, 403);
  clock_.Advance(absl::Minutes(10));
  int woken = 0;
  context().outbox_changed = [&woken] { ++woken; };
  HttpResponse retried = Admin("POST", kOutboxRetry, {{"id", std::to_string(ids[0])}});
  ASSERT_EQ(retried.status, 200) << retried.body;
  EXPECT_EQ(woken, 1) << "the delivery worker is woken after the commit";
  const json row = Body(retried);
  EXPECT_EQ(row["id"], ids[0]);
  EXPECT_TRUE(row["failed_at"].is_null());
  EXPECT_TRUE(row["sent_at"].is_null());
  EXPECT_EQ(row["next_attempt_at"], http::FormatTime(clock_.Now()));
  EXPECT_EQ(row["attempts"], 1);
  EXPECT_EQ(row["last_error"], "550 mailbox unavailable");

  page = Body(Agent("GET", kOutbox));
  EXPECT_EQ(page["state"], "pending");
  EXPECT_EQ(ItemIds(page), (std::vector<int64_t>{ids[0], ids[1]})) << "oldest first";
  EXPECT_EQ(page["counts"]["pending"], 2);
  EXPECT_EQ(page["counts"]["failed"], 0);
  EXPECT_TRUE(Body(Agent("GET", kOutbox, {}, nullptr, {{"state", "failed"}}))["items"].empty());

  const auto events = EventsOfKind("notification.requeued");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity, "notification");
  EXPECT_EQ(events[0].entity_id, std::to_string(ids[0]));
  EXPECT_EQ(events[0].actor_id, desk_.admin.id);

  // Only a given-up row is retried; pending ones (this one again included) are 422.
  for (int64_t id : ids) {
    HttpResponse refused = Admin("POST", kOutboxRetry, {{"id", std::to_string(id)}});
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_THAT(Detail(refused), HasSubstr("not given up"));
  }
  EXPECT_EQ(Admin("POST", kOutboxRetry, {{"id", "999999"}}).status, 404);
  EXPECT_EQ(Admin("POST", kOutboxRetry, {{"id", "nope"}}).status, 404);
  for (const std::string* token : {&customer_token_, &partner_token_}) {
    EXPECT_EQ(Call("POST", kOutboxRetry, {{"id", std::to_string(ids[0])}}, *token).status, 404);
    EXPECT_EQ(Call("GET", kOutbox, {}, *token, "", {{"state", "failed"}}).status, 404);
  }
  EXPECT_EQ(EventsOfKind("notification.requeued").size(), 1u) << "refusals record nothing";
  EXPECT_EQ(woken, 1);
}

TEST_F(ApiMailTest, OutboxPagesPendingOldestFirstAndFailedNewestFirst) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(Body(Submit(Message(absl::StrCat("s", i, "@elsewhere.test"), "Hello?",
                                  absl::StrCat("pg", i, "@elsewhere.test"))))["status"],
              "rejected");
  }
  ids = ItemIds(Body(Agent("GET", kOutbox)));
  ASSERT_EQ(ids.size(), 3u);

  json first = Body(Agent("GET", kOutbox, {}, nullptr, {{"limit", "2"}}));
  EXPECT_EQ(ItemIds(first), (std::vector<int64_t>{ids[0], ids[1]}));
  ASSERT_TRUE(first["next_cursor"].is_string()) << first.dump();
  for (const char* name : {"cursor", "after"}) {
    const json rest =
        Body(Agent("GET", kOutbox, {}, nullptr,
                   {{"limit", "2"}, {name, first["next_cursor"].get<std::string>()}}));
    EXPECT_EQ(ItemIds(rest), (std::vector<int64_t>{ids[2]})) << name;
    EXPECT_TRUE(rest["next_cursor"].is_null());
  }

  for (int64_t id : ids) GiveUp(context(), id, clock_.Now());
  first = Body(Agent("GET", kOutbox, {}, nullptr, {{"state", "failed"}, {"limit", "2"}}));
  EXPECT_EQ(ItemIds(first), (std::vector<int64_t>{ids[2], ids[1]}));
  ASSERT_TRUE(first["next_cursor"].is_string()) << first.dump();
  for (const char* name : {"cursor", "before"}) {
    const json rest = Body(Agent(
        "GET", kOutbox, {}, nullptr,
        {{"state", "failed"}, {"limit", "2"}, {name, first["next_cursor"].get<std::string>()}}));
    EXPECT_EQ(ItemIds(rest), (std::vector<int64_t>{ids[0]})) << name;
    EXPECT_TRUE(rest["next_cursor"].is_null());
  }

  const struct {
    Query query;
    const char* detail;
  } bad[] = {
      {{{"state", "sent"}}, "'state'"}, {{{"state", "failed"}, {"after", "3"}}, "'after'"},
      {{{"before", "3"}}, "'before'"},  {{{"state", "failed"}, {"before", "0"}}, "'before'"},
      {{{"cursor", "x"}}, "'cursor'"},  {{{"after", "2"}, {"cursor", "2"}}, "'after' or 'cursor'"},
      {{{"limit", "0"}}, "limit"},
  };
  for (const auto& request : bad) {
    HttpResponse refused = Agent("GET", kOutbox, {}, nullptr, request.query);
    EXPECT_EQ(refused.status, 400) << request.detail;
    EXPECT_THAT(Detail(refused), HasSubstr(request.detail));
  }
}

TEST_F(ApiMailTest, GivenUpMailAboutAHiddenCaseIsNeitherListedNorRetried) {
  const json opened = Body(Submit(Message("jo@globex.test", "Breach", "hidden@globex.test")));
  ASSERT_EQ(opened["status"], "case_opened") << opened.dump();
  const core::CaseNumber number = opened["case_number"].get<int64_t>();
  int64_t id = 0;
  ASSERT_TRUE(context()
                  .store
                  .WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                    absl::StatusOr<core::Case> c = txn.GetCase(number);
                    if (!c.ok()) return c.status();
                    c->security_incident = true;
                    if (absl::Status s = txn.UpdateCase(*c); !s.ok()) return s;
                    ports::Notification notification;
                    notification.case_number = number;
                    notification.kind = "case.reply";
                    notification.recipient_email = "jo@globex.test";
                    notification.subject = "Re: Breach";
                    notification.created_at = clock_.Now();
                    notification.message_id = "hidden-notice@help.example.com";
                    notification.attempts = 1;
                    notification.last_error = "550 no";
                    notification.failed_at = clock_.Now();
                    absl::StatusOr<int64_t> inserted = txn.InsertNotification(notification);
                    if (!inserted.ok()) return inserted.status();
                    id = *inserted;
                    return absl::OkStatus();
                  })
                  .ok());
  // Not cleared for security incidents: the row is not shown, yet the page still leads past it.
  const json failed =
      Body(Agent("GET", kOutbox, {}, nullptr, {{"state", "failed"}, {"limit", "1"}}));
  EXPECT_TRUE(failed["items"].empty()) << failed.dump();
  EXPECT_EQ(failed["counts"]["failed"], 1);
  EXPECT_EQ(failed["next_cursor"], std::to_string(id));
  HttpResponse retried = Admin("POST", kOutboxRetry, {{"id", std::to_string(id)}});
  EXPECT_EQ(retried.status, 404) << retried.body;
  EXPECT_TRUE(EventsOfKind("notification.requeued").empty());
}

TEST_F(ApiMailTest, QuarantinedMailIsAcceptedIntoACaseOrRejected) {
  QuarantineUnknownSenders();
  const json first =
      Body(Submit(Message("Sam <sam@globex-branch.test>", "VPN down", "q1@branch.test")));
  ASSERT_EQ(first["status"], "quarantined") << first.dump();
  const json second = Body(Submit(Message("spam@junk.test", "Cheap pills", "q2@junk.test")));
  ASSERT_EQ(second["status"], "quarantined") << second.dump();

  HttpResponse waiting = Agent("GET", kInbound, {}, nullptr, {{"status", "quarantined"}});
  ASSERT_EQ(waiting.status, 200) << waiting.body;
  ASSERT_EQ(Body(waiting)["items"].size(), 2u);
  EXPECT_EQ(Body(waiting)["items"][0]["id"], second["id"]) << "newest first";

  // Nobody has the address: the agent must say which organisation it belongs to.
  HttpResponse no_org = Agent("POST", kAccept, Id(first["id"]));
  EXPECT_EQ(no_org.status, 400);
  EXPECT_THAT(Detail(no_org), HasSubstr("org_id"));

  HttpResponse accepted = Agent("POST", kAccept, Id(first["id"]), {{"org_id", globex_.id}});
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  const json row = Body(accepted);
  EXPECT_EQ(row["status"], "case_opened");
  EXPECT_EQ(row["decided_by"], agent_.id);
  EXPECT_FALSE(row["decided_at"].is_null());
  absl::StatusOr<core::Case> opened = LoadCase(row["case_number"].get<int64_t>());
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->subject, "VPN down");
  EXPECT_EQ(opened->org_id, globex_.id);

  // A decision is taken once.
  EXPECT_EQ(Agent("POST", kAccept, Id(first["id"]), {{"org_id", globex_.id}}).status, 422);
  EXPECT_EQ(Agent("POST", kReject, Id(first["id"])).status, 422);

  HttpResponse rejected = Agent("POST", kReject, Id(second["id"]), {{"reason", "spam"}});
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Body(rejected)["status"], "rejected");
  EXPECT_EQ(Body(rejected)["reason"], "spam");
  EXPECT_TRUE(Body(rejected)["case_number"].is_null());

  EXPECT_EQ(Agent("POST", kAccept, {{"id", "999999"}}, {{"org_id", globex_.id}}).status, 404);
  EXPECT_EQ(Agent("POST", kReject, Id(second["id"]), {{"because", "x"}}).status, 400);
  EXPECT_EQ(EventsOfKind(std::string(app::kMailAccepted)).size(), 1u);
  EXPECT_EQ(EventsOfKind(std::string(app::kMailRejected)).size(), 1u);
}

TEST_F(ApiMailTest, RawDownloadReturnsTheExactBytes) {
  // 8-bit header bytes, a bare LF and no final line break: stored and served as they came.
  std::string raw = Message("jo@globex.test",
                            "Gr\xfc\xdf"
                            "e",
                            "raw@globex.test", "line one\nline two\r\n\xff\xfe tail");
  raw.pop_back();
  raw.pop_back();
  const json result = Body(Submit(raw));
  ASSERT_TRUE(result.contains("id")) << result.dump();

  HttpResponse download = Agent("GET", kInboundRaw, Id(result["id"]));
  ASSERT_EQ(download.status, 200) << download.body;
  EXPECT_EQ(download.body, raw);
  EXPECT_EQ(download.content_type, "message/rfc822");
  EXPECT_EQ(Header(download, "Content-Disposition"),
            absl::StrCat("attachment; filename=\"inbound-", result["id"].get<int64_t>(), ".eml\""));
  EXPECT_EQ(Header(download, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Agent("GET", kInboundRaw, {{"id", "424242"}}).status, 404);
  EXPECT_EQ(Agent("GET", kInboundItem, {{"id", "nope"}}).status, 404);
}

TEST_F(ApiMailTest, SubmissionIsCheckedBeforeAnythingIsStored) {
  const std::string raw = Message("jo@globex.test", "Hi", "chk@globex.test");
  EXPECT_EQ(Call("POST", kInbound, {}, admin_token_, raw, {}, "text/html").status, 415);
  EXPECT_EQ(Call("POST", kInbound, {}, admin_token_, "", {}, "message/rfc822").status, 400);
  HttpResponse bad_to =
      Call("POST", kInbound, {}, admin_token_, raw, {{"to", "a b@x.test"}}, "message/rfc822");
  EXPECT_EQ(bad_to.status, 400);
  EXPECT_THAT(Detail(bad_to), HasSubstr("'to'"));
  // Agents read the log but only admins feed the desk.
  EXPECT_EQ(Call("POST", kInbound, {}, agent_token_, raw, {}, "message/rfc822").status, 403);
  EXPECT_EQ(Body(Agent("GET", kInbound))["items"].size(), 0u);
  // Octet-stream is the same bytes.
  HttpResponse created =
      Call("POST", kInbound, {}, admin_token_, raw, {{"from", "<>"}}, "application/octet-stream");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(Agent("GET", kInboundItem, Id(Body(created)["id"])))["envelope_from"], "<>");
}

TEST_F(ApiMailTest, InboundListPagesNewestFirst) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    const json result = Body(Submit(Message("jo@globex.test", absl::StrCat("Issue ", i),
                                            absl::StrCat("p", i, "@globex.test"))));
    ids.push_back(result["id"].get<int64_t>());
  }
  HttpResponse first = Agent("GET", kInbound, {}, nullptr, {{"limit", "2"}});
  ASSERT_EQ(first.status, 200) << first.body;
  const json page = Body(first);
  ASSERT_EQ(page["items"].size(), 2u);
  EXPECT_EQ(page["items"][0]["id"], ids[2]);
  EXPECT_EQ(page["items"][1]["id"], ids[1]);
  ASSERT_TRUE(page["next_cursor"].is_string());
  for (const char* name : {"before", "cursor"}) {
    const json rest = Body(Agent("GET", kInbound, {}, nullptr,
                                 {{"limit", "2"}, {name, page["next_cursor"].get<std::string>()}}));
    ASSERT_EQ(rest["items"].size(), 1u) << rest.dump();
    EXPECT_EQ(rest["items"][0]["id"], ids[0]);
    EXPECT_TRUE(rest["next_cursor"].is_null());
  }
  EXPECT_EQ(Agent("GET", kInbound, {}, nullptr, {{"status", "lost"}}).status, 400);
  EXPECT_EQ(Agent("GET", kInbound, {}, nullptr, {{"before", "-1"}}).status, 400);
  EXPECT_EQ(Agent("GET", kInbound, {}, nullptr, {{"limit", "0"}}).status, 400);
}

TEST_F(ApiMailTest, MailAboutASecurityIncidentIsHiddenLikeTheCase) {
  const json hidden = Body(Submit(Message("jo@globex.test", "Breach", "sec@globex.test")));
  ASSERT_EQ(hidden["status"], "case_opened") << hidden.dump();
  const json shown = Body(Submit(Message("jo@globex.test", "Printer", "plain@globex.test")));
  ASSERT_EQ(shown["status"], "case_opened") << shown.dump();
  ASSERT_TRUE(context()
                  .store
                  .WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                    absl::StatusOr<core::Case> c =
                        txn.GetCase(hidden["case_number"].get<int64_t>());
                    if (!c.ok()) return c.status();
                    c->security_incident = true;
                    return txn.UpdateCase(*c);
                  })
                  .ok());

  EXPECT_EQ(Agent("GET", kInboundItem, Id(hidden["id"])).status, 404);
  EXPECT_EQ(Agent("GET", kInboundRaw, Id(hidden["id"])).status, 404);
  EXPECT_EQ(Agent("GET", kInboundItem, Id(shown["id"])).status, 200);
  // The newest row is visible, the older one is not; the page still leads past it.
  const json page = Body(Agent("GET", kInbound, {}, nullptr, {{"limit", "2"}}));
  ASSERT_EQ(page["items"].size(), 1u) << page.dump();
  EXPECT_EQ(page["items"][0]["id"], shown["id"]);
  EXPECT_TRUE(page["next_cursor"].is_string());
}

TEST_F(ApiMailTest, CustomersAndPartnersFindNoMailRoutes) {
  const Params some_id = {{"id", "1"}};
  const Params org = {{"id", std::to_string(globex_.id)}};
  const Params kind = {{"kind", std::string(app::kMailCaseOpened)}};
  const struct {
    const char* method;
    const char* pattern;
    Params params;
  } routes[] = {
      {"POST", kInbound, {}},          {"GET", kInbound, {}},       {"GET", kInboundItem, some_id},
      {"GET", kInboundRaw, some_id},   {"POST", kAccept, some_id},  {"POST", kReject, some_id},
      {"GET", kSettings, {}},          {"PUT", kSettings, {}},      {"GET", kOrgSettings, org},
      {"PUT", kOrgSettings, org},      {"GET", kTemplates, {}},     {"GET", kTemplate, kind},
      {"PUT", kTemplate, kind},        {"DELETE", kTemplate, kind}, {"GET", kOutbox, {}},
      {"POST", kOutboxRetry, some_id},
  };
  ASSERT_EQ(std::size(routes), router_.routes().size()) << "every mail route is in the table";
  for (const auto& route : routes) {
    for (const std::string* token : {&customer_token_, &partner_token_}) {
      HttpResponse response = Call(route.method, route.pattern, route.params, *token, "{}");
      EXPECT_EQ(response.status, 404) << route.method << " " << route.pattern;
    }
    EXPECT_EQ(Call(route.method, route.pattern, route.params, "").status, 401);
  }
  // Staff who are not admins read but do not write.
  EXPECT_EQ(Agent("GET", kSettings).status, 200);
  EXPECT_EQ(Agent("PUT", kSettings, {}, json::object()).status, 403);
  EXPECT_EQ(Agent("PUT", kOrgSettings, org, json::object()).status, 403);
  EXPECT_EQ(Agent("PUT", kTemplate, kind, {{"subject", "s"}, {"body", "b"}}).status, 403);
  EXPECT_EQ(Agent("DELETE", kTemplate, kind).status, 403);
  EXPECT_EQ(Agent("POST", kOutboxRetry, some_id).status, 403);
}

TEST_F(ApiMailTest, DeskSettingsRoundTripAndBadInputNamesTheField) {
  HttpResponse defaults = Agent("GET", kSettings);
  ASSERT_EQ(defaults.status, 200) << defaults.body;
  json document = Body(defaults);
  EXPECT_EQ(document["unknown_senders"], "notice");
  EXPECT_EQ(document["default_severity"], 3);

  const struct {
    json body;
    std::string field;
  } bad[] = {
      {{{"unknown_senders", "maybe"}}, "unknown_senders"},
      {{{"default_severity", 9}}, "default_severity"},
      {{{"notice_interval_minutes", 0}}, "notice_interval_minutes"},
      {{{"from_address", "not an address"}}, "from_address"},
      {{{"routes", json::array({{{"address", "critical"}, {"action", "page"}}})}},
       "routes[0].action"},
      {{{"colour", "blue"}}, "colour"},
  };
  for (const auto& [body, field] : bad) {
    HttpResponse refused = Admin("PUT", kSettings, {}, body);
    EXPECT_EQ(refused.status, 400) << body.dump();
    EXPECT_THAT(Detail(refused), HasSubstr(field)) << body.dump();
  }
  EXPECT_TRUE(EventsOfKind("mail_settings.updated").empty());

  document["from_address"] = "help@acme.test";
  document["from_name"] = "Acme Help";
  document["unknown_senders"] = "quarantine";
  document["routes"] =
      json::array({{{"address", "critical"}, {"action", "open_case"}, {"severity", 1}},
                   {{"address", "escalation"}, {"action", "escalate"}}});
  HttpResponse saved = Admin("PUT", kSettings, {}, document);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved), document);
  EXPECT_EQ(Body(Agent("GET", kSettings)), document);
  // Saving the same document again changes nothing and records nothing.
  ASSERT_EQ(Admin("PUT", kSettings, {}, document).status, 200);
  const std::vector<app::EventRow> events = EventsOfKind("mail_settings.updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity, "setting");
  EXPECT_EQ(events[0].entity_id, std::string(app::kMailDeskSettingKey));
  EXPECT_EQ(events[0].actor_id, desk_.admin.id);
  EXPECT_THAT(events[0].changes, HasSubstr("help@acme.test"));
}

TEST_F(ApiMailTest, OrganisationSettingsRoundTrip) {
  const Params org = {{"id", std::to_string(globex_.id)}};
  HttpResponse empty = Agent("GET", kOrgSettings, org);
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(Body(empty)["org_id"], globex_.id);
  EXPECT_EQ(Body(empty)["domains"], json::array());

  json document = Body(empty);
  document["domains"] = {"globex.test"};
  document["support_aliases"] = {"helpdesk@globex.test"};
  HttpResponse saved = Admin("PUT", kOrgSettings, org, document);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved), document);
  EXPECT_EQ(Body(Agent("GET", kOrgSettings, org)), document);
  ASSERT_EQ(EventsOfKind("organisation_mail_settings.updated").size(), 1u);
  EXPECT_EQ(EventsOfKind("organisation_mail_settings.updated")[0].entity_id,
            absl::StrCat("mail/organisation/", globex_.id));

  HttpResponse alias = Admin("PUT", kOrgSettings, org, {{"support_aliases", {"nobody"}}});
  EXPECT_EQ(alias.status, 400);
  EXPECT_THAT(Detail(alias), HasSubstr("support_aliases[0]"));
  HttpResponse other = Admin("PUT", kOrgSettings, org, {{"org_id", partner_.id}});
  EXPECT_EQ(other.status, 400);
  EXPECT_THAT(Detail(other), HasSubstr("org_id"));
  EXPECT_EQ(Agent("GET", kOrgSettings, {{"id", "999999"}}).status, 404);
  EXPECT_EQ(Admin("PUT", kOrgSettings, {{"id", "999999"}}, json::object()).status, 404);
}

TEST_F(ApiMailTest, TemplatesAreListedCustomisedAndReset) {
  HttpResponse listed = Agent("GET", kTemplates);
  ASSERT_EQ(listed.status, 200) << listed.body;
  const json items = Body(listed)["items"];
  ASSERT_EQ(items.size(), app::MailTemplateKinds().size());
  for (const json& item : items) {
    EXPECT_FALSE(item["customised"].get<bool>()) << item.dump();
    EXPECT_FALSE(item["subject"].get<std::string>().empty()) << item.dump();
  }

  const Params kind = {{"kind", std::string(app::kMailCaseOpened)}};
  const json shipped = Body(Agent("GET", kTemplate, kind));
  EXPECT_EQ(shipped["kind"], app::kMailCaseOpened);

  HttpResponse broken =
      Admin("PUT", kTemplate, kind, {{"subject", "Case {{#case_number}}"}, {"body", "x"}});
  EXPECT_EQ(broken.status, 400);
  EXPECT_THAT(Detail(broken), HasSubstr("case.opened"));
  HttpResponse missing = Admin("PUT", kTemplate, kind, {{"subject", "Opened"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(Detail(missing), HasSubstr("case.opened"));

  json mine = shipped;
  mine["subject"] = "We opened case {{case_number}}";
  mine["body"] = "Hello {{recipient_name}},\nthanks.";
  HttpResponse saved = Admin("PUT", kTemplate, kind, mine);
  ASSERT_EQ(saved.status, 200) << saved.body;
  mine["customised"] = true;
  EXPECT_EQ(Body(saved), mine);
  EXPECT_EQ(Body(Agent("GET", kTemplate, kind)), mine);
  const json relisted = Body(Agent("GET", kTemplates))["items"];
  const auto found = std::find_if(relisted.begin(), relisted.end(), [](const json& item) {
    return item["kind"] == app::kMailCaseOpened;
  });
  ASSERT_NE(found, relisted.end());
  EXPECT_TRUE((*found)["customised"].get<bool>());

  HttpResponse reset = Admin("DELETE", kTemplate, kind);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(Body(reset), shipped);
  EXPECT_EQ(Body(Agent("GET", kTemplate, kind)), shipped);
  EXPECT_EQ(EventsOfKind("mail_template.updated").size(), 1u);
  EXPECT_EQ(EventsOfKind("mail_template.reset").size(), 1u);
  // Resetting a template that is not customised is harmless and records nothing.
  EXPECT_EQ(Admin("DELETE", kTemplate, kind).status, 200);
  EXPECT_EQ(EventsOfKind("mail_template.reset").size(), 1u);

  EXPECT_EQ(Agent("GET", kTemplate, {{"kind", "case.lost"}}).status, 404);
  EXPECT_EQ(Admin("PUT", kTemplate, {{"kind", "case.lost"}}, mine).status, 404);
  EXPECT_EQ(Admin("PUT", kTemplate, kind, {{"kind", "case.reply"}, {"subject", "s"}, {"body", "b"}})
                .status,
            400);
}

// The router and docs/api/openapi.json agree on the mail routes (openapi_test checks the whole
// API once the wiring registers them there too).
TEST_F(ApiMailTest, EveryMailRouteIsDocumentedAndEveryDocumentedMailRouteServed) {
  const json document = json::parse(OpenApiDocument());
  std::set<std::string> served;
  for (const Route& route : router_.routes()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    served.insert(method + " " + route.pattern);
    EXPECT_TRUE(document["paths"].contains(route.pattern) &&
                document["paths"][route.pattern].contains(method))
        << method << " " << route.pattern << " is served but not documented";
  }
  for (const auto& [path, item] : document["paths"].items()) {
    const bool mail =
        path.rfind("/api/v1/mail/", 0) == 0 || path.find("/mail-settings") != std::string::npos;
    if (!mail) continue;
    for (const auto& [method, operation] : item.items()) {
      EXPECT_TRUE(served.count(method + " " + path))
          << method << " " << path << " is documented but not served";
    }
  }
}

}  // namespace
}  // namespace casedesk::adapters::http

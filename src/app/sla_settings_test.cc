// The SLA settings loaders against a real SQLite store: shipped defaults, stored documents that
// replace or join them, malformed stored text (DataLoss naming the key), and the SLA policy JSON
// codec (round trips, the documented shape, errors naming the field).
#include "app/sla_settings.h"

#include <string>
#include <vector>

#include "app/calendar_json.h"
#include "app/default_escalations.h"
#include "app/directory_test_fixture.h"
#include "app/escalation_json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class SlaSettingsTest : public DirectoryTest {
 protected:
  void Put(const std::string& key, const std::string& text) {
    ASSERT_TRUE(
        store_
            ->WriteAndWait([&](ports::StoreTransaction& txn) { return txn.PutSetting(key, text); })
            .ok());
  }

  template <typename T>
  absl::StatusOr<T> Read(const std::function<absl::StatusOr<T>(ports::StoreTransaction&)>& work) {
    return ReadValue<T>(*store_, work);
  }

  using Specs = std::map<std::string, core::CalendarSpec>;
  using Texts = std::map<std::string, std::string>;
  using Policies = std::map<std::string, core::SlaPolicy>;

  absl::StatusOr<Specs> CalendarSpecs() {
    return Read<Specs>([](ports::StoreTransaction& txn) { return LoadCalendarSpecs(txn); });
  }
  absl::StatusOr<Texts> CalendarTexts() {
    return Read<Texts>([](ports::StoreTransaction& txn) { return LoadCalendarTexts(txn); });
  }
  absl::StatusOr<std::optional<core::SlaPolicy>> Policy(const std::string& plan) {
    return Read<std::optional<core::SlaPolicy>>(
        [&plan](ports::StoreTransaction& txn) { return LoadSlaPolicy(txn, plan); });
  }
  absl::StatusOr<Policies> AllPolicies() {
    return Read<Policies>([](ports::StoreTransaction& txn) { return LoadSlaPolicies(txn); });
  }
};

TEST_F(SlaSettingsTest, AFreshDeskHasTheShippedCalendarsAndPolicies) {
  absl::StatusOr<std::map<std::string, core::CalendarSpec>> specs =
      Read<std::map<std::string, core::CalendarSpec>>(
          [](ports::StoreTransaction& txn) { return LoadCalendarSpecs(txn); });
  ASSERT_TRUE(specs.ok()) << specs.status();
  const std::map<std::string, core::CalendarSpec> shipped = core::DefaultCalendarSpecs();
  ASSERT_EQ(specs->size(), shipped.size());
  for (const auto& [name, spec] : shipped) {
    ASSERT_TRUE(specs->count(name)) << name;
    EXPECT_EQ(specs->at(name).time_zone, spec.time_zone);
    EXPECT_EQ(specs->at(name).hours, spec.hours);
    EXPECT_EQ(specs->at(name).holidays, spec.holidays);
  }

  absl::StatusOr<std::map<std::string, std::string>> texts =
      Read<std::map<std::string, std::string>>(
          [](ports::StoreTransaction& txn) { return LoadCalendarTexts(txn); });
  ASSERT_TRUE(texts.ok()) << texts.status();
  ASSERT_EQ(texts->size(), shipped.size());
  EXPECT_EQ(texts->at("business-gmt"), CalendarSpecToSetting(shipped.at("business-gmt")));

  for (const auto& [plan, policy] : core::DefaultSlaPolicies()) {
    absl::StatusOr<std::optional<core::SlaPolicy>> loaded = Read<std::optional<core::SlaPolicy>>(
        [&plan](ports::StoreTransaction& txn) { return LoadSlaPolicy(txn, plan); });
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ASSERT_TRUE(loaded->has_value()) << plan;
    EXPECT_EQ(**loaded, policy) << plan;
    absl::StatusOr<std::optional<std::string>> text = Read<std::optional<std::string>>(
        [&plan](ports::StoreTransaction& txn) { return LoadSlaPolicyText(txn, plan); });
    ASSERT_TRUE(text.ok()) << text.status();
    EXPECT_EQ(text->value_or(""), SlaPolicyToSetting(policy)) << plan;
  }
  absl::StatusOr<std::optional<core::SlaPolicy>> none = Read<std::optional<core::SlaPolicy>>(
      [](ports::StoreTransaction& txn) { return LoadSlaPolicy(txn, "basic"); });
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->has_value());
  absl::StatusOr<std::optional<std::string>> no_text = Read<std::optional<std::string>>(
      [](ports::StoreTransaction& txn) { return LoadSlaPolicyText(txn, "basic"); });
  ASSERT_TRUE(no_text.ok()) << no_text.status();
  EXPECT_FALSE(no_text->has_value());

  absl::StatusOr<std::vector<core::EscalationPolicy>> escalations =
      Read<std::vector<core::EscalationPolicy>>(
          [](ports::StoreTransaction& txn) { return LoadEscalationPolicies(txn); });
  ASSERT_TRUE(escalations.ok()) << escalations.status();
  // `casedesk init` stores the shipped escalation policies as ordinary documents.
  EXPECT_EQ(escalations->size(), DefaultEscalationPolicies().size());
  absl::StatusOr<std::map<std::string, core::OnCallSchedule>> schedules =
      Read<std::map<std::string, core::OnCallSchedule>>(
          [](ports::StoreTransaction& txn) { return LoadOnCallSchedules(txn); });
  ASSERT_TRUE(schedules.ok()) << schedules.status();
  EXPECT_TRUE(schedules->empty());
}

TEST_F(SlaSettingsTest, StoredDocumentsReplaceOrJoinTheShippedOnes) {
  const std::string london =
      R"({"time_zone": "Europe/London", "holidays": ["2026-12-25"],
          "hours": {"mon": ["09:00-17:00"]}})";
  Put("calendar/business-gmt", london);
  Put("calendar/support-eu", R"({"time_zone": "Europe/Paris", "hours": {"tue": ["08:00-12:00"]}})");
  core::SlaPolicy professional = core::DefaultSlaPolicies().at("professional");
  professional.business_calendar = "support-eu";
  professional.warning_fraction = 0.5;
  Put("sla_policy/professional", SlaPolicyToSetting(professional));
  core::SlaPolicy basic = professional;
  basic.after_hours = core::DefaultAfterHoursRule();
  Put("sla_policy/basic", SlaPolicyToSetting(basic));

  absl::StatusOr<std::map<std::string, core::CalendarSpec>> specs =
      Read<std::map<std::string, core::CalendarSpec>>(
          [](ports::StoreTransaction& txn) { return LoadCalendarSpecs(txn); });
  ASSERT_TRUE(specs.ok()) << specs.status();
  EXPECT_EQ(specs->size(), 4u);  // with the service-task calendar (issue 7)
  EXPECT_EQ(specs->at("business-gmt").time_zone, "Europe/London");
  EXPECT_EQ(specs->at("business-gmt").holidays, std::vector<std::string>{"2026-12-25"});
  EXPECT_EQ(specs->at("support-eu").time_zone, "Europe/Paris");
  EXPECT_EQ(specs->at("always").time_zone, "UTC");

  absl::StatusOr<std::map<std::string, core::CalendarSpec>> stored =
      Read<std::map<std::string, core::CalendarSpec>>(
          [](ports::StoreTransaction& txn) { return LoadStoredCalendarSpecs(txn); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->size(), 2u);
  EXPECT_FALSE(stored->count("always"));

  // The engine compares texts: stored ones verbatim.
  absl::StatusOr<std::map<std::string, std::string>> texts =
      Read<std::map<std::string, std::string>>(
          [](ports::StoreTransaction& txn) { return LoadCalendarTexts(txn); });
  ASSERT_TRUE(texts.ok()) << texts.status();
  EXPECT_EQ(texts->at("business-gmt"), london);
  EXPECT_EQ(texts->size(), 4u);

  absl::StatusOr<std::optional<core::SlaPolicy>> loaded = Read<std::optional<core::SlaPolicy>>(
      [](ports::StoreTransaction& txn) { return LoadSlaPolicy(txn, "professional"); });
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->value(), professional);
  absl::StatusOr<std::map<std::string, core::SlaPolicy>> all =
      Read<std::map<std::string, core::SlaPolicy>>(
          [](ports::StoreTransaction& txn) { return LoadSlaPolicies(txn); });
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 4u);
  EXPECT_EQ(all->at("basic"), basic);
  EXPECT_EQ(all->at("professional"), professional);
  EXPECT_EQ(all->at("enterprise"), core::DefaultSlaPolicies().at("enterprise"));
}

TEST_F(SlaSettingsTest, MalformedStoredDocumentsAreDataLossNamingTheKey) {
  struct Row {
    std::string key;
    std::string text;
  };
  const std::vector<Row> rows = {
      {"calendar/broken", "not json"},
      {"calendar/broken", R"({"time_zone": 5})"},
      {"calendar/broken", R"({"time_zone": "UTC", "colour": "red"})"},
      {"sla_policy/enterprise", "{"},
      {"sla_policy/enterprise", R"({"targets": {}})"},
      {"sla_policy/enterprise", R"(["business-gmt"])"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.key + " = " + row.text);
    Put(row.key, row.text);
    absl::Status status;
    if (row.key.rfind("calendar/", 0) == 0) {
      status = CalendarSpecs().status();
      // The text is handed to the engine as it is; only parsing it fails.
      EXPECT_TRUE(CalendarTexts().ok());
    } else {
      status = Policy("enterprise").status();
      EXPECT_EQ(AllPolicies().status().code(), absl::StatusCode::kDataLoss);
    }
    EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
    EXPECT_THAT(std::string(status.message()), HasSubstr(row.key));
    ASSERT_TRUE(
        store_
            ->WriteAndWait([&](ports::StoreTransaction& txn) { return txn.DeleteSetting(row.key); })
            .ok());
  }
}

TEST_F(SlaSettingsTest, EscalationPoliciesAndSchedulesAreLoadedByName) {
  const json schedule = {{"name", "primary"},
                         {"time_zone", "Europe/London"},
                         {"layers", json::array({{{"name", "weekly"},
                                                  {"participants", {7, 8}},
                                                  {"start", "2026-03-02T09:00"},
                                                  {"turn_minutes", 10080}}})}};
  const json policy = {
      {"name", "urgent"},
      {"levels", json::array({{{"trigger", "manual"},
                               {"targets", json::array({{{"kind", "oncall"}, {"ref", "primary"}}})},
                               {"actions", {"notify"}}}})}};
  Put("oncall/primary", schedule.dump());
  Put("escalation_policy/urgent", policy.dump());
  json another = policy;
  another["name"] = "another";
  Put("escalation_policy/another", another.dump());

  absl::StatusOr<std::map<std::string, core::OnCallSchedule>> schedules =
      Read<std::map<std::string, core::OnCallSchedule>>(
          [](ports::StoreTransaction& txn) { return LoadOnCallSchedules(txn); });
  ASSERT_TRUE(schedules.ok()) << schedules.status();
  ASSERT_EQ(schedules->size(), 1u);
  EXPECT_EQ(schedules->at("primary").layers[0].participants, (std::vector<core::UserId>{7, 8}));
  EXPECT_EQ(OnCallScheduleToSetting(schedules->at("primary")),
            OnCallScheduleToJson(schedules->at("primary")).dump());

  absl::StatusOr<std::vector<core::EscalationPolicy>> policies =
      Read<std::vector<core::EscalationPolicy>>(
          [](ports::StoreTransaction& txn) { return LoadEscalationPolicies(txn); });
  ASSERT_TRUE(policies.ok()) << policies.status();
  std::map<std::string, core::EscalationPolicy> by_name;
  for (const core::EscalationPolicy& loaded : *policies) by_name[loaded.name] = loaded;
  ASSERT_EQ(policies->size(), 2u + DefaultEscalationPolicies().size());  // and the shipped ones
  ASSERT_TRUE(by_name.contains("another"));
  ASSERT_TRUE(by_name.contains("urgent"));
  EXPECT_EQ(by_name["urgent"].levels[0].targets[0].ref, "primary");

  Put("oncall/broken", R"({"name": "broken", "layers": 3})");
  absl::Status broken =
      Read<std::map<std::string, core::OnCallSchedule>>([](ports::StoreTransaction& txn) {
        return LoadOnCallSchedules(txn);
      }).status();
  EXPECT_EQ(broken.code(), absl::StatusCode::kDataLoss) << broken;
  EXPECT_THAT(std::string(broken.message()), HasSubstr("oncall/broken"));
  Put("escalation_policy/broken", "[1, 2");
  absl::Status bad_policy =
      Read<std::vector<core::EscalationPolicy>>([](ports::StoreTransaction& txn) {
        return LoadEscalationPolicies(txn);
      }).status();
  EXPECT_EQ(bad_policy.code(), absl::StatusCode::kDataLoss) << bad_policy;
  EXPECT_THAT(std::string(bad_policy.message()), HasSubstr("escalation_policy/broken"));
}

TEST(LoadZoneTest, LoadsIanaNamesAndRefusesPaths) {
  for (const char* good : {"UTC", "GMT", "Europe/London", "America/Port-au-Prince", "Etc/GMT+5"}) {
    EXPECT_TRUE(LoadZone(good).ok()) << good;
  }
  for (const char* bad : {"", "Mars/Olympus", "/etc/passwd", "../../etc/passwd", "localtime",
                          "Europe//London", "Europe/London/", "file:UTC", "Europe/London "}) {
    absl::StatusOr<absl::TimeZone> zone = LoadZone(bad);
    ASSERT_FALSE(zone.ok()) << bad;
    EXPECT_EQ(zone.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(zone.status().message()), HasSubstr("time_zone"));
  }
}

TEST(SlaPolicyJsonTest, EveryShippedPolicyRoundTrips) {
  for (const auto& [plan, policy] : core::DefaultSlaPolicies()) {
    absl::StatusOr<core::SlaPolicy> back = SlaPolicyFromJson(SlaPolicyToJson(policy));
    ASSERT_TRUE(back.ok()) << plan << ": " << back.status();
    EXPECT_EQ(*back, policy) << plan;
    absl::StatusOr<core::SlaPolicy> stored =
        SlaPolicyFromSetting(SlaPolicySettingKey(plan), SlaPolicyToSetting(policy));
    ASSERT_TRUE(stored.ok()) << stored.status();
    EXPECT_EQ(*stored, policy);
  }
}

TEST(SlaPolicyJsonTest, ReadsTheDocumentedShape) {
  const json document = json::parse(R"({
      "business_calendar": "business-gmt", "warning_fraction": 0.8,
      "pause_statuses": ["pending", "on_hold"], "confirm_critical_before_paging": true,
      "targets": {
        "1": {"first_response": {"minutes": 60},
              "next_update": {"every_minutes": 240, "calendar": "always"},
              "resolution": {"minutes": 1440, "calendar": "always"}},
        "2": {"first_response": {"minutes": 240}, "next_update": {"every_minutes": 1440},
              "resolution": {"minutes": 2880}},
        "3": {"first_response": {"minutes": 480}, "next_update": {"on_milestone": true},
              "resolution": {"named": "next_release"}},
        "4": {"first_response": {"minutes": 1440}, "next_update": {"on_milestone": true},
              "resolution": {"named": "to_be_decided"}}},
      "after_hours": {"severities": [1], "hours_calendar": "business-gmt",
                      "clocks": {"triage": {"minutes": 15, "calendar": "always"},
                                 "status_notification": {"minutes": 60, "calendar": "always"}}}
  })");
  absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromJson(document);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->business_calendar, "business-gmt");
  EXPECT_DOUBLE_EQ(policy->warning_fraction, 0.8);
  EXPECT_EQ(policy->pause_statuses,
            (std::vector<core::CaseStatus>{core::CaseStatus::kPending, core::CaseStatus::kOnHold}));
  EXPECT_TRUE(policy->confirm_critical_before_paging);
  const core::SeverityTargets& critical = policy->targets.at(core::Severity::kCritical);
  EXPECT_EQ(critical.first_response, core::SlaTarget::Minutes(60));
  EXPECT_EQ(critical.next_update, core::UpdateCadence::Every(240, "always"));
  EXPECT_EQ(critical.resolution, core::SlaTarget::Minutes(1440, "always"));
  EXPECT_EQ(policy->targets.at(core::Severity::kMinor).next_update,
            core::UpdateCadence::OnMilestone());
  EXPECT_EQ(policy->targets.at(core::Severity::kOther).resolution,
            core::SlaTarget::Named("to_be_decided"));
  ASSERT_TRUE(policy->after_hours.has_value());
  EXPECT_EQ(*policy->after_hours, core::DefaultAfterHoursRule());
  EXPECT_TRUE(
      core::ValidateSlaPolicy(*policy, {"business-gmt", "always", "service-tasks-pacific"}).ok());

  // Defaults for the optional fields; after_hours may be null.
  absl::StatusOr<core::SlaPolicy> minimal = SlaPolicyFromJson(json{
      {"business_calendar", "always"}, {"targets", document["targets"]}, {"after_hours", nullptr}});
  ASSERT_TRUE(minimal.ok()) << minimal.status();
  EXPECT_DOUBLE_EQ(minimal->warning_fraction, 0.75);
  EXPECT_EQ(minimal->pause_statuses, std::vector<core::CaseStatus>{core::CaseStatus::kPending});
  EXPECT_FALSE(minimal->after_hours.has_value());
}

TEST(SlaPolicyJsonTest, WrongShapesNameTheField) {
  const json targets = SlaPolicyToJson(core::DefaultSlaPolicies().at("enterprise"))["targets"];
  auto with = [&](const std::string& key, json value) {
    json document = {{"business_calendar", "business-gmt"}, {"targets", targets}};
    document[key] = std::move(value);
    return document;
  };
  auto with_target = [&](const std::string& path, json value) {
    json document = {{"business_calendar", "business-gmt"}, {"targets", targets}};
    document["targets"][json::json_pointer(path)] = std::move(value);
    return document;
  };
  struct Row {
    json document;
    std::string names;
  };
  const std::vector<Row> rows = {
      {json::array(), "JSON object"},
      {json{{"targets", targets}}, "business_calendar"},
      {json{{"business_calendar", "business-gmt"}}, "targets"},
      {with("business_calendar", 5), "business_calendar"},
      {with("colour", "red"), "colour"},
      {with("warning_fraction", "high"), "warning_fraction"},
      {with("pause_statuses", "pending"), "pause_statuses"},
      {with("pause_statuses", json::array({"waiting"})), "pause_statuses[0]"},
      {with("confirm_critical_before_paging", 1), "confirm_critical_before_paging"},
      {with("targets", json::array()), "targets"},
      {with_target("/5", targets["1"]), "targets.5"},
      {with_target("/critical", targets["1"]), "targets.critical"},
      {with_target("/1/first_response", 60), "targets.1.first_response"},
      {with_target("/1/first_response", json{{"minutes", 60}, {"named", "x"}}),
       "targets.1.first_response"},
      {with_target("/1/first_response", json::object()), "targets.1.first_response"},
      {with_target("/1/first_response/minutes", 1.5), "targets.1.first_response.minutes"},
      {with_target("/1/first_response/minutes", "60"), "targets.1.first_response.minutes"},
      {with_target("/1/first_response/hours", 1), "targets.1.first_response.hours"},
      {with_target("/1/first_response/calendar", 7), "targets.1.first_response.calendar"},
      {with_target("/2/next_update", json{{"on_milestone", false}}),
       "targets.2.next_update.on_milestone"},
      {with_target("/2/next_update", json{{"every_minutes", 5}, {"on_milestone", true}}),
       "targets.2.next_update"},
      {with_target("/3/resolution/named", 3), "targets.3.resolution.named"},
      {with_target("/4/extra", json::object()), "targets.4.extra"},
      {with("after_hours", 1), "after_hours"},
      {with("after_hours", json{{"severities", json::array({1})}}), "after_hours.clocks"},
      {with("after_hours", json{{"severities", json::array({5})}, {"clocks", json::object()}}),
       "after_hours.severities[0]"},
      {with("after_hours", json{{"clocks", json{{"lunch", json{{"minutes", 5}}}}}}),
       "after_hours.clocks.lunch"},
      {with("after_hours", json{{"clocks", json::object()}, {"when", "night"}}),
       "after_hours.when"},
  };
  for (const Row& row : rows) {
    absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromJson(row.document);
    ASSERT_FALSE(policy.ok()) << row.document.dump();
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(policy.status().message()), HasSubstr(row.names))
        << row.document.dump();
  }
  // A missing severity parses; the policy's rules (core::ValidateSlaPolicy) refuse it.
  json missing = {{"business_calendar", "business-gmt"}, {"targets", targets}};
  missing["targets"].erase("4");
  absl::StatusOr<core::SlaPolicy> partial = SlaPolicyFromJson(missing);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_FALSE(core::ValidateSlaPolicy(*partial, {"business-gmt", "always"}).ok());
}

TEST(ConfigNameTest, LowerCaseLettersDigitsUnderscoreAndDash) {
  const std::vector<std::string> good = {"a", "business-gmt", "tier_2", "x0", std::string(64, 'a')};
  for (const std::string& name : good) EXPECT_TRUE(IsValidConfigName(name)) << name;
  const std::vector<std::string> bad = {"",   "Business", "a b", "a/b",
                                        "..", "é",        "a.b", std::string(65, 'a')};
  for (const std::string& name : bad) {
    EXPECT_FALSE(IsValidConfigName(name)) << name;
  }
}

}  // namespace
}  // namespace casedesk::app

#include "adapters/web/status_documents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "adapters/web/status_test_snapshot.h"

namespace casedesk::adapters::web {
namespace {

using nlohmann::ordered_json;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using testing::MakeSnapshot;

// Field lists of Statuspage's v2 objects (the oracle's FIELDS.json).
const std::vector<std::string> kPageFields = {"id", "name", "url", "time_zone", "updated_at"};
const std::vector<std::string> kComponentFields = {"id",
                                                   "name",
                                                   "status",
                                                   "created_at",
                                                   "updated_at",
                                                   "position",
                                                   "description",
                                                   "showcase",
                                                   "start_date",
                                                   "group_id",
                                                   "page_id",
                                                   "group",
                                                   "only_show_if_degraded"};
const std::vector<std::string> kIncidentFields = {
    "id",          "name",   "status",    "created_at", "updated_at", "monitoring_at",
    "resolved_at", "impact", "shortlink", "started_at", "page_id",    "incident_updates",
    "components"};
const std::vector<std::string> kUpdateFields = {"id",
                                                "status",
                                                "body",
                                                "incident_id",
                                                "created_at",
                                                "updated_at",
                                                "display_at",
                                                "affected_components",
                                                "deliver_notifications",
                                                "custom_tweet",
                                                "tweet_id"};

std::vector<std::string> Keys(const ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

std::vector<std::string> With(std::vector<std::string> fields,
                              std::initializer_list<std::string> more) {
  fields.insert(fields.end(), more);
  return fields;
}

ordered_json Render(const app::StatusPageSnapshot& s, StatusDocument document) {
  return ordered_json::parse(RenderStatusJson(s, document));
}

std::vector<std::string> Ids(const ordered_json& list) {
  std::vector<std::string> ids;
  for (const ordered_json& item : list) ids.push_back(item.at("id").get<std::string>());
  return ids;
}

const ordered_json& FindById(const ordered_json& list, const std::string& id) {
  for (const ordered_json& item : list) {
    if (item.at("id") == id) return item;
  }
  ADD_FAILURE() << "no " << id;
  static const ordered_json kNone;
  return kNone;
}

TEST(StatusDocumentsTest, TopLevelKeysFollowStatuspage) {
  const app::StatusPageSnapshot s = MakeSnapshot();
  const struct {
    StatusDocument document;
    std::vector<std::string> keys;
  } cases[] = {
      {StatusDocument::kStatus, {"page", "status"}},
      {StatusDocument::kSummary,
       {"page", "components", "incidents", "scheduled_maintenances", "status"}},
      {StatusDocument::kComponents, {"page", "components"}},
      {StatusDocument::kIncidents, {"page", "incidents"}},
      {StatusDocument::kIncidentsUnresolved, {"page", "incidents"}},
      {StatusDocument::kMaintenances, {"page", "scheduled_maintenances"}},
      {StatusDocument::kMaintenancesUpcoming, {"page", "scheduled_maintenances"}},
      {StatusDocument::kMaintenancesActive, {"page", "scheduled_maintenances"}},
  };
  for (const auto& c : cases) {
    const ordered_json doc = Render(s, c.document);
    EXPECT_EQ(Keys(doc), c.keys) << doc.dump();
    EXPECT_EQ(Keys(doc["page"]), kPageFields);
  }
}

TEST(StatusDocumentsTest, PageAndStatus) {
  const ordered_json doc = Render(MakeSnapshot(), StatusDocument::kStatus);
  EXPECT_EQ(doc["page"]["id"], "casedesk");
  EXPECT_EQ(doc["page"]["name"], "Example Cloud Status");
  EXPECT_EQ(doc["page"]["url"], "https://status.example.com");
  EXPECT_EQ(doc["page"]["time_zone"], "America/Denver");
  // 21:00:00.473 UTC in November is 14:00 MST.
  EXPECT_EQ(doc["page"]["updated_at"], "2026-11-22T14:00:00.473-07:00");
  EXPECT_EQ(doc["status"],
            ordered_json({{"indicator", "major"}, {"description", "Partial System Outage"}}));
}

TEST(StatusDocumentsTest, TimestampsCarryThePageOffsetAcrossDst) {
  app::StatusPageSnapshot s = MakeSnapshot();
  // Component 1 was updated on 2026-07-01 12:00 UTC: summer time in Denver (UTC-6).
  ordered_json doc = Render(s, StatusDocument::kComponents);
  const ordered_json& api = FindById(doc["components"], "c1");
  EXPECT_EQ(api["updated_at"], "2026-07-01T06:00:00.000-06:00");
  EXPECT_EQ(api["created_at"], "2025-03-09T23:00:00.000-06:00");
  // The local date, not the UTC one (2025-03-10).
  EXPECT_EQ(api["start_date"], "2025-03-09");

  const std::regex format(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d)");
  for (const char* field : {"created_at", "updated_at"}) {
    for (const ordered_json& component : doc["components"]) {
      EXPECT_TRUE(std::regex_match(component[field].get<std::string>(), format));
    }
  }

  s.page.time_zone = "UTC";
  doc = Render(s, StatusDocument::kComponents);
  EXPECT_EQ(FindById(doc["components"], "c1")["updated_at"], "2026-07-01T12:00:00.000+00:00");
  s.page.time_zone = "";
  doc = Render(s, StatusDocument::kStatus);
  EXPECT_EQ(doc["page"]["time_zone"], "UTC");
  EXPECT_EQ(doc["page"]["updated_at"], "2026-11-22T21:00:00.473+00:00");
}

TEST(StatusDocumentsTest, ComponentsIncludeGroupsWithTheirMembers) {
  const ordered_json doc = Render(MakeSnapshot(), StatusDocument::kComponents);
  const ordered_json& components = doc["components"];
  EXPECT_THAT(Ids(components), ElementsAre("c1", "c2", "c3", "c4", "c5"));
  for (const ordered_json& component : components) {
    if (component["group"] == true) {
      EXPECT_EQ(Keys(component), With(kComponentFields, {"components"}));
    } else {
      EXPECT_EQ(Keys(component), kComponentFields);
    }
    EXPECT_EQ(component["page_id"], "casedesk");
  }
  const ordered_json& api = FindById(components, "c1");
  EXPECT_EQ(api["name"], "API");
  EXPECT_EQ(api["status"], "operational");
  EXPECT_EQ(api["position"], 1);
  EXPECT_EQ(api["description"], "The public REST API");
  EXPECT_EQ(api["showcase"], true);
  EXPECT_TRUE(api["group_id"].is_null());
  EXPECT_EQ(api["group"], false);
  EXPECT_EQ(api["only_show_if_degraded"], false);

  const ordered_json& voice = FindById(components, "c2");
  EXPECT_EQ(voice["group"], true);
  EXPECT_EQ(voice["status"], "partial_outage");
  EXPECT_EQ(voice["showcase"], false);
  EXPECT_TRUE(voice["description"].is_null());
  EXPECT_THAT(voice["components"], ElementsAre("c3", "c4"));

  const ordered_json& eu = FindById(components, "c3");
  EXPECT_EQ(eu["group_id"], "c2");
  EXPECT_EQ(eu["showcase"], false);
  EXPECT_EQ(eu["status"], "partial_outage");
  EXPECT_EQ(FindById(components, "c5")["only_show_if_degraded"], true);
}

TEST(StatusDocumentsTest, EveryComponentStatusHasItsStatuspageName) {
  const struct {
    core::ComponentStatus status;
    const char* name;
  } cases[] = {
      {core::ComponentStatus::kOperational, "operational"},
      {core::ComponentStatus::kDegradedPerformance, "degraded_performance"},
      {core::ComponentStatus::kPartialOutage, "partial_outage"},
      {core::ComponentStatus::kMajorOutage, "major_outage"},
      {core::ComponentStatus::kUnderMaintenance, "under_maintenance"},
  };
  for (const auto& c : cases) {
    app::StatusPageSnapshot s = MakeSnapshot();
    s.components[0].status = c.status;
    const ordered_json doc = Render(s, StatusDocument::kComponents);
    EXPECT_EQ(FindById(doc["components"], "c1")["status"], c.name);
  }
}

TEST(StatusDocumentsTest, IncidentsWithTheirUpdates) {
  const ordered_json doc = Render(MakeSnapshot(), StatusDocument::kIncidents);
  EXPECT_THAT(Ids(doc["incidents"]), ElementsAre("i7", "i5"));
  const ordered_json& open = doc["incidents"][0];
  EXPECT_EQ(Keys(open), kIncidentFields);
  EXPECT_EQ(open["name"], "Voice calls dropping in EU West");
  EXPECT_EQ(open["status"], "identified");
  EXPECT_EQ(open["impact"], "major");
  EXPECT_EQ(open["created_at"], "2026-11-22T13:00:00.000-07:00");
  EXPECT_EQ(open["started_at"], "2026-11-22T12:55:00.000-07:00");
  EXPECT_TRUE(open["monitoring_at"].is_null());
  EXPECT_TRUE(open["resolved_at"].is_null());
  EXPECT_EQ(open["shortlink"], "https://status.example.com/status/incidents/7");
  EXPECT_EQ(open["page_id"], "casedesk");
  ASSERT_EQ(open["components"].size(), 1u);
  EXPECT_EQ(Keys(open["components"][0]), kComponentFields);
  EXPECT_EQ(open["components"][0]["id"], "c3");

  ASSERT_EQ(open["incident_updates"].size(), 2u);
  const ordered_json& newest = open["incident_updates"][0];
  EXPECT_EQ(Keys(newest), kUpdateFields);
  EXPECT_EQ(newest["id"], "u12");
  EXPECT_EQ(newest["incident_id"], "i7");
  EXPECT_EQ(newest["status"], "identified");
  EXPECT_EQ(newest["body"], "A faulty router was found.\nWe are replacing it.");
  EXPECT_EQ(newest["display_at"], "2026-11-22T14:00:00.000-07:00");
  EXPECT_EQ(newest["updated_at"], newest["created_at"]);
  EXPECT_EQ(newest["deliver_notifications"], true);
  EXPECT_TRUE(newest["custom_tweet"].is_null());
  EXPECT_TRUE(newest["tweet_id"].is_null());
  EXPECT_EQ(newest["affected_components"],
            ordered_json::parse(R"([{"code":"c3","name":"EU West","old_status":"operational",
                                     "new_status":"partial_outage"}])"));
  const ordered_json& oldest = open["incident_updates"][1];
  EXPECT_EQ(oldest["id"], "u11");
  EXPECT_TRUE(oldest["affected_components"].is_null());
  EXPECT_EQ(oldest["deliver_notifications"], false);

  const ordered_json& closed = doc["incidents"][1];
  EXPECT_EQ(closed["status"], "resolved");
  EXPECT_EQ(closed["impact"], "minor");
  EXPECT_EQ(closed["monitoring_at"], "2026-11-03T03:30:00.000-07:00");
  EXPECT_EQ(closed["resolved_at"], "2026-11-03T04:00:00.000-07:00");
}

TEST(StatusDocumentsTest, UnresolvedHoldsOnlyOpenIncidents) {
  const ordered_json doc = Render(MakeSnapshot(), StatusDocument::kIncidentsUnresolved);
  EXPECT_THAT(Ids(doc["incidents"]), ElementsAre("i7"));
}

TEST(StatusDocumentsTest, IncidentsListsTheFiftyMostRecent) {
  app::StatusPageSnapshot s = MakeSnapshot();
  s.incidents.clear();
  std::vector<std::string> expected;
  for (int id = 60; id >= 1; --id) {
    core::Incident incident;
    incident.id = id;
    incident.name = "Incident";
    incident.status = core::IncidentStatus::kResolved;
    s.incidents.push_back(incident);
    if (expected.size() < 50) expected.push_back("i" + std::to_string(id));
  }
  const ordered_json doc = Render(s, StatusDocument::kIncidents);
  EXPECT_THAT(Ids(doc["incidents"]), ElementsAreArray(expected));
  // Unset times are null rather than a made-up instant.
  EXPECT_TRUE(doc["incidents"][0]["created_at"].is_null());
}

TEST(StatusDocumentsTest, Maintenances) {
  const app::StatusPageSnapshot s = MakeSnapshot();
  const ordered_json all = Render(s, StatusDocument::kMaintenances);
  EXPECT_THAT(Ids(all["scheduled_maintenances"]), ElementsAre("i10", "i9", "i6"));
  for (const ordered_json& m : all["scheduled_maintenances"]) {
    EXPECT_EQ(Keys(m), With(kIncidentFields, {"scheduled_for", "scheduled_until"}));
    EXPECT_EQ(m["impact"], "maintenance");
  }
  const ordered_json& upcoming = all["scheduled_maintenances"][0];
  EXPECT_EQ(upcoming["status"], "scheduled");
  EXPECT_EQ(upcoming["scheduled_for"], "2026-11-24T23:00:00.000-07:00");
  EXPECT_EQ(upcoming["scheduled_until"], "2026-11-25T01:00:00.000-07:00");
  EXPECT_EQ(upcoming["incident_updates"][0]["status"], "scheduled");
  EXPECT_EQ(upcoming["components"][0]["id"], "c4");
  EXPECT_EQ(all["scheduled_maintenances"][1]["status"], "in_progress");
  EXPECT_EQ(all["scheduled_maintenances"][2]["status"], "completed");
  EXPECT_EQ(all["scheduled_maintenances"][2]["resolved_at"], "2026-10-01T02:00:00.000-06:00");

  EXPECT_THAT(Ids(Render(s, StatusDocument::kMaintenancesUpcoming)["scheduled_maintenances"]),
              ElementsAre("i10"));
  EXPECT_THAT(Ids(Render(s, StatusDocument::kMaintenancesActive)["scheduled_maintenances"]),
              ElementsAre("i9"));

  app::StatusPageSnapshot verifying = s;
  verifying.maintenances[0].status = core::IncidentStatus::kVerifying;
  EXPECT_THAT(Ids(Render(verifying, StatusDocument::kMaintenancesActive)["scheduled_maintenances"]),
              ElementsAre("i10", "i9"));
}

TEST(StatusDocumentsTest, SummaryHoldsOpenEventsOnly) {
  const ordered_json doc = Render(MakeSnapshot(), StatusDocument::kSummary);
  EXPECT_EQ(doc["components"].size(), 5u);
  EXPECT_THAT(Ids(doc["incidents"]), ElementsAre("i7"));
  EXPECT_THAT(Ids(doc["scheduled_maintenances"]), ElementsAre("i10", "i9"));
  EXPECT_EQ(doc["status"]["indicator"], "major");
}

TEST(StatusDocumentsTest, EmptyPage) {
  app::StatusPageSnapshot s;
  s.page = {"p", "Empty", "https://x.example", "Europe/London"};
  s.indicator = {"none", "All Systems Operational"};
  const ordered_json doc = Render(s, StatusDocument::kSummary);
  EXPECT_TRUE(doc["page"]["updated_at"].is_null());
  EXPECT_EQ(doc["components"], ordered_json::array());
  EXPECT_EQ(doc["incidents"], ordered_json::array());
  EXPECT_EQ(doc["scheduled_maintenances"], ordered_json::array());
  EXPECT_EQ(doc["status"]["indicator"], "none");
}

TEST(StatusDocumentsTest, HostileTextStaysValidJson) {
  app::StatusPageSnapshot s = MakeSnapshot();
  s.incidents[0].name = "</script><script>alert(\"x\")</script>";
  s.incidents[0].updates[0].body = "bad \xff byte";
  const ordered_json doc = Render(s, StatusDocument::kIncidentsUnresolved);
  EXPECT_EQ(doc["incidents"][0]["name"], "</script><script>alert(\"x\")</script>");
  EXPECT_EQ(doc["incidents"][0]["incident_updates"][0]["body"], "bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace casedesk::adapters::web

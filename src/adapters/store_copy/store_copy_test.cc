// `store copy` against a real PostgreSQL 15 server: a SQLite desk populated through the store
// port is copied, then read back through PostgresStore and compared entity by entity with what
// SqliteStore reads; search, case numbers, timers and token lookup keep working; an interrupted
// copy resumes without duplicates; a re-run catches up appended rows; verification catches a
// tampered or missing row; a target holding another desk is refused. The desk includes the
// status page (components, history, incidents, links, subscribers, notices) and web sessions,
// whose key is a binary digest.
#include "adapters/store_copy/store_copy.h"

#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/postgres_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/support/postgres_server_environment.h"

namespace casedesk::adapters::store_copy {
namespace {

using ::testing::HasSubstr;

const absl::Time kT0 = absl::FromUnixSeconds(1767225600);  // 2026-01-01T00:00:00Z
const std::string kDigest(32, '\x7f');
// Web session digests, keyed as bytes: NULs and bytes above 0x7f must sort the same in both
// stores for batches to resume after the right row.
const std::vector<std::string> kSessionDigests = {
    std::string(32, '\0'), std::string(32, '\x01'), std::string(32, '\x7f'),
    std::string(32, '\x80'), std::string("\xfe\x00\xff", 3) + std::string(29, '\0')};

std::string T(absl::Time t) { return absl::StrCat(absl::ToUnixMicros(t)); }
std::string T(const std::optional<absl::Time>& t) { return t ? T(*t) : "-"; }
ports::PageRequest Page200() {
  ports::PageRequest page;
  page.limit = 200;
  return page;
}

template <typename Id>
std::string O(const std::optional<Id>& id) {
  return id ? absl::StrCat(*id) : "-";
}

// Every field of what the port returns, as text, so two stores' answers compare with ==.
std::string Dump(const core::Organisation& o) {
  return absl::StrCat(o.id, "|", o.name, "|", static_cast<int>(o.kind), "|", O(o.parent_id), "|",
                      o.plan, "|", o.shares_cases, "|", o.time_zone, "|", T(o.created_at));
}
std::string Dump(const core::User& u) {
  return absl::StrCat(u.id, "|", u.email, "|", u.name, "|", static_cast<int>(u.role), "|", u.org_id,
                      "|", static_cast<int>(u.tier), "|", absl::StrJoin(u.skills, ","), "|",
                      u.verified, u.org_admin, u.active, "|", u.password_hash, "|", u.pin_hash, "|",
                      T(u.created_at));
}
std::string Dump(const core::ApiToken& t) {
  return absl::StrCat(t.id, "|", t.user_id, "|", t.name, "|", t.digest == kDigest, "|",
                      T(t.created_at), "|", T(t.revoked_at));
}
std::string Dump(const core::Group& g) {
  return absl::StrCat(g.id, "|", g.name, "|", g.description, "|", g.triage, "|",
                      absl::StrJoin(g.members, ","), "|", T(g.created_at));
}
std::string Dump(const core::Case& c) {
  std::string fields;
  for (const auto& [key, value] : c.fields) absl::StrAppend(&fields, key, "=", value, ";");
  return absl::StrCat(
      c.number, "|", c.org_id, "|", c.requester_id, "|", c.subject, "|", c.description, "|",
      static_cast<int>(c.severity), static_cast<int>(c.proposed_severity), c.severity_confirmed,
      "|", static_cast<int>(c.status), static_cast<int>(c.category), "|", c.product, "|",
      c.component, "|", O(c.assignee_id), "|", O(c.group_id), "|", c.partner_reference, "|",
      absl::StrJoin(c.followers, ","), "|", fields, "|", absl::CEscape(c.sealed_secrets), "|",
      T(c.created_at), "|", T(c.updated_at), "|", T(c.first_public_reply_at), "|", T(c.solved_at),
      "|", T(c.closed_at), "|", c.security_incident, "|", static_cast<int>(c.escalation_tier));
}
std::string Dump(const core::Comment& c) {
  return absl::StrCat(c.id, "|", c.case_number, "|", c.author_id, "|", c.body, "|",
                      static_cast<int>(c.visibility), "|", c.channel, "|",
                      absl::StrJoin(c.attachment_ids, ","), "|", T(c.created_at));
}
std::string Dump(const core::Attachment& a) {
  return absl::StrCat(a.id, "|", a.case_number, "|", O(a.comment_id), "|", a.blob_digest, "|",
                      a.filename, "|", a.content_type, "|", a.size, "|", a.uploaded_by, "|",
                      static_cast<int>(a.visibility), "|", T(a.created_at));
}
std::string Dump(const core::AuditEvent& e) {
  std::string changes;
  for (const auto& change : e.changes) {
    absl::StrAppend(&changes, change.field, ":", change.before, ">", change.after, ";");
  }
  return absl::StrCat(e.id, "|", e.entity, "|", e.entity_id, "|", e.case_number, "|", e.actor_id,
                      "|", T(e.at), "|", e.kind, "|", changes, "|", e.reason);
}
std::string Dump(const ports::Timer& t) {
  return absl::StrCat(t.case_number, "|", t.key, "|", T(t.due_at), "|", T(t.fired_at));
}
std::string Dump(const ports::Notification& n) {
  return absl::StrCat(n.id, "|", n.case_number, "|", n.kind, "|", n.recipient_id, "|",
                      n.recipient_email, "|", n.subject, "|", n.body, "|", T(n.created_at), "|",
                      T(n.sent_at), "|", n.attempts, "|", n.last_error, "|", n.extra_headers);
}
std::string Dump(const core::StatusComponent& c) {
  return absl::StrCat(c.id, "|", c.name, "|", c.description, "|", c.group_id, "|", c.is_group, "|",
                      c.position, "|", static_cast<int>(c.status), "|", c.only_show_if_degraded,
                      "|", T(c.created_at), "|", T(c.updated_at));
}
std::string Dump(const core::ComponentStatusChange& c) {
  return absl::StrCat(c.component_id, "|", T(c.at), "|", static_cast<int>(c.status));
}
std::string Dump(const core::IncidentUpdate& u) {
  std::string affected;
  for (const core::AffectedComponent& a : u.affected_components) {
    absl::StrAppend(&affected, a.component_id, ":", a.name, ":", static_cast<int>(a.old_status),
                    ">", static_cast<int>(a.new_status), ";");
  }
  return absl::StrCat(u.id, "|", u.incident_id, "|", static_cast<int>(u.status), "|", u.body, "|",
                      T(u.created_at), "|", T(u.display_at), "|", affected, "|", u.author_id, "|",
                      u.notify);
}
std::string Dump(const core::Incident& i) {
  std::string updates;
  for (const core::IncidentUpdate& u : i.updates) absl::StrAppend(&updates, "\n  ", Dump(u));
  return absl::StrCat(
      i.id, "|", static_cast<int>(i.kind), "|", i.name, "|", static_cast<int>(i.status), "|",
      static_cast<int>(i.impact), "|", absl::StrJoin(i.component_ids, ","), "|", T(i.created_at),
      "|", T(i.updated_at), "|", T(i.started_at), "|", T(i.monitoring_at), "|", T(i.resolved_at),
      "|", T(i.scheduled_for), "|", T(i.scheduled_until), "|", i.auto_transition, updates);
}
std::string Dump(const ports::StatusSubscriber& s) {
  return absl::StrCat(s.id, "|", static_cast<int>(s.kind), "|", s.address, "|", s.user_id, "|",
                      absl::StrJoin(s.component_ids, ","), "|", s.opted_out, "|", T(s.confirmed_at),
                      "|", T(s.unsubscribed_at), "|", T(s.created_at));
}
std::string Dump(const ports::CaseSlaRecord& r) {
  auto clock = [](const ports::ClockSummary& c) {
    return absl::StrCat(T(c.due_at), ",", T(c.achieved_at), ",", T(c.breached_at), ",", c.target);
  };
  return absl::StrCat(r.case_number, "|", r.org_id, "|", r.plan, "|", static_cast<int>(r.severity),
                      "|", T(r.created_at), "|", clock(r.first_response), "|", clock(r.resolution),
                      "|", r.update_breaches, "|", T(r.first_update_breach_at));
}
std::string Dump(const ports::SeverityFlag& f) {
  return absl::StrCat(f.id, "|", f.case_number, "|", f.org_id, "|", f.requester_id, "|",
                      f.flagged_by, "|", static_cast<int>(f.flagged_severity), "|", f.reason, "|",
                      T(f.at));
}
std::string Dump(const core::WebSession& s) {
  return absl::StrCat(absl::BytesToHexString(s.digest), "|", s.user_id, "|", T(s.created_at), "|",
                      T(s.last_seen_at), "|", T(s.expires_at));
}
template <typename T>
std::string DumpAll(const std::vector<T>& items) {
  std::vector<std::string> lines;
  for (const T& item : items) lines.push_back(Dump(item));
  return absl::StrJoin(lines, "\n");
}

// Everything a desk holds, read through the port: the same text from both stores means the
// copy carried every entity.
absl::StatusOr<std::string> Snapshot(ports::Store& store) {
  std::string out;
  absl::Status status = store.Read([&](ports::StoreTransaction& tx) -> absl::Status {
    ports::OrgFilter orgs;
    orgs.page.limit = 200;
    auto org_page = tx.ListOrganisations(orgs);
    if (!org_page.ok()) return org_page.status();
    absl::StrAppend(&out, "orgs\n", DumpAll(org_page->items), "\n");
    ports::UserFilter users;
    users.page.limit = 200;
    auto user_page = tx.ListUsers(users);
    if (!user_page.ok()) return user_page.status();
    absl::StrAppend(&out, "users\n", DumpAll(user_page->items), "\n");
    for (const core::User& user : user_page->items) {
      auto tokens = tx.ListApiTokens(user.id);
      if (!tokens.ok()) return tokens.status();
      absl::StrAppend(&out, "tokens ", user.id, "\n", DumpAll(*tokens), "\n");
      auto events = tx.ListEntityEvents("user", std::to_string(user.id), Page200());
      if (!events.ok()) return events.status();
      absl::StrAppend(&out, "user events\n", DumpAll(events->items), "\n");
    }
    auto groups = tx.ListGroups(Page200());
    if (!groups.ok()) return groups.status();
    absl::StrAppend(&out, "groups\n", DumpAll(groups->items), "\n");
    auto plans = tx.ListPlans();
    if (!plans.ok()) return plans.status();
    for (const core::SupportPlan& plan : *plans) {
      absl::StrAppend(&out, "plan ", plan.name, "|", plan.display_name, "|", plan.description, "|",
                      plan.channels.size(), plan.partner_eligible, plan.after_hours_coverage, "\n");
    }
    auto settings = tx.ListSettings("");
    if (!settings.ok()) return settings.status();
    for (const auto& [key, value] : *settings) absl::StrAppend(&out, key, "=", value, "\n");
    ports::CaseFilter filter;
    filter.scope.all = true;
    filter.page.limit = 200;
    auto cases = tx.ListCases(filter);
    if (!cases.ok()) return cases.status();
    absl::StrAppend(&out, "cases\n", DumpAll(cases->items), "\n");
    for (const core::Case& c : cases->items) {
      auto comments = tx.ListComments(c.number, true, Page200());
      if (!comments.ok()) return comments.status();
      auto attachments = tx.ListAttachments(c.number);
      if (!attachments.ok()) return attachments.status();
      auto events = tx.ListCaseEvents(c.number, Page200());
      if (!events.ok()) return events.status();
      auto timers = tx.ListCaseTimers(c.number);
      if (!timers.ok()) return timers.status();
      auto notifications = tx.ListCaseNotifications(c.number);
      if (!notifications.ok()) return notifications.status();
      auto flags = tx.ListCaseSeverityFlags(c.number);
      if (!flags.ok()) return flags.status();
      absl::StrAppend(&out, "case ", c.number, "\n", DumpAll(comments->items), "\n",
                      DumpAll(*attachments), "\n", DumpAll(events->items), "\n", DumpAll(*timers),
                      "\n", DumpAll(*notifications), "\n", DumpAll(*flags), "\n");
    }
    auto sla = tx.ListCaseSla({});
    if (!sla.ok()) return sla.status();
    absl::StrAppend(&out, "sla\n", DumpAll(*sla), "\n");
    auto components = tx.ListStatusComponents();
    if (!components.ok()) return components.status();
    auto history = tx.ListComponentStatusChanges(absl::InfinitePast());
    if (!history.ok()) return history.status();
    auto incidents = tx.ListIncidents({});
    if (!incidents.ok()) return incidents.status();
    absl::StrAppend(&out, "status page\n", DumpAll(*components), "\n", DumpAll(*history), "\n",
                    DumpAll(*incidents), "\n");
    for (const core::Incident& incident : *incidents) {
      auto linked = tx.ListIncidentCases(incident.id);
      if (!linked.ok()) return linked.status();
      absl::StrAppend(&out, "incident ", incident.id, " cases ", absl::StrJoin(*linked, ","), "\n");
    }
    for (bool users : {false, true}) {
      auto subscribers = tx.ListStatusSubscribers(users, 0, 100);
      if (!subscribers.ok()) return subscribers.status();
      absl::StrAppend(&out, "subscribers\n", DumpAll(*subscribers), "\n");
    }
    std::vector<std::string> digests = kSessionDigests;
    digests.push_back(std::string(32, '\xff'));  // added to the live desk by one test
    for (const std::string& digest : digests) {
      auto session = tx.FindWebSession(digest);
      if (!session.ok()) return session.status();
      absl::StrAppend(&out, "session ", *session ? Dump(**session) : "-", "\n");
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return out;
}

class StoreCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test_support::SharedPostgresServer();
    ASSERT_TRUE(server.ok()) << server.status();
    auto url = (*server)->CreateDatabase("copy");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    std::string pattern = (std::filesystem::temp_directory_path() / "store-copy-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    sqlite_path_ = directory_ + "/casedesk.db";
    auto store = sqlite::SqliteStore::Open(sqlite_path_);
    ASSERT_TRUE(store.ok()) << store.status();
    sqlite_ = *std::move(store);
  }
  void TearDown() override {
    sqlite_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  void Write(const ports::UnitOfWork& work) {
    absl::Status status = sqlite_->WriteAndWait(work);
    ASSERT_TRUE(status.ok()) << status;
  }

  // A desk with one of everything: organisations, people, a token (and a revoked one), a group
  // with members, a plan, settings, and cases with followers, comments (public and internal),
  // attachments, events, timers (one fired, one due), notifications, SLA summaries and a flag.
  void Populate(int cases) {
    Write([&](ports::StoreTransaction& tx) -> absl::Status {
      core::Organisation provider;
      provider.name = "Provider";
      provider.kind = core::OrgKind::kProvider;
      provider.created_at = kT0;
      auto provider_id = tx.InsertOrganisation(provider);
      if (!provider_id.ok()) return provider_id.status();
      core::Organisation customer;
      customer.name = "Customer ÄÖ";
      customer.parent_id = *provider_id;
      customer.plan = "gold";
      customer.shares_cases = true;
      customer.time_zone = "Europe/Berlin";
      customer.created_at = kT0;
      auto customer_id = tx.InsertOrganisation(customer);
      if (!customer_id.ok()) return customer_id.status();
      org_ = *customer_id;
      core::User agent;
      agent.email = "agent@provider.example";
      agent.name = "Agent";
      agent.role = core::Role::kAgent;
      agent.org_id = *provider_id;
      agent.tier = core::Tier::kSme;
      agent.skills = {"network", "storage"};
      agent.verified = true;
      agent.password_hash = "$argon2id$v=19$fake";
      agent.created_at = kT0;
      auto agent_id = tx.InsertUser(agent);
      if (!agent_id.ok()) return agent_id.status();
      agent_ = *agent_id;
      core::User requester;
      requester.email = "requester@customer.example";
      requester.name = "Requester";
      requester.org_id = org_;
      requester.org_admin = true;
      requester.active = false;
      requester.created_at = kT0;
      auto requester_id = tx.InsertUser(requester);
      if (!requester_id.ok()) return requester_id.status();
      requester_ = *requester_id;
      core::ApiToken token;
      token.user_id = agent_;
      token.name = "cli";
      token.digest = kDigest;
      token.created_at = kT0;
      auto token_id = tx.InsertApiToken(token);
      if (!token_id.ok()) return token_id.status();
      core::ApiToken revoked = token;
      revoked.digest = std::string(32, '\0');  // a digest with NUL bytes survives bytea
      revoked.name = "old";
      auto revoked_id = tx.InsertApiToken(revoked);
      if (!revoked_id.ok()) return revoked_id.status();
      if (auto s = tx.RevokeApiToken(*revoked_id, kT0 + absl::Hours(1)); !s.ok()) return s;
      core::Group group;
      group.name = "Triage";
      group.triage = true;
      group.members = {agent_, requester_};
      group.created_at = kT0;
      auto group_id = tx.InsertGroup(group);
      if (!group_id.ok()) return group_id.status();
      group_ = *group_id;
      core::SupportPlan plan;
      plan.name = "gold";
      plan.display_name = "Gold";
      plan.description = "24/7";
      plan.channels = {core::Channel::kEmail, core::Channel::kApi};
      plan.after_hours_coverage = true;
      if (auto s = tx.UpsertPlan(plan); !s.ok()) return s;
      if (auto s = tx.PutSetting("sla.policy.gold", R"({"first_response":60})"); !s.ok()) return s;
      if (auto s = tx.PutSetting("calendar.default", "{}"); !s.ok()) return s;
      core::AuditEvent event;
      event.entity = "user";
      event.entity_id = std::to_string(agent_);
      event.kind = "user.created";
      event.at = kT0;
      event.changes = {{"role", "", "agent"}};
      return tx.AppendEvent(event).status();
    });
    AddCases(cases);
    AddStatusPage();
    for (const std::string& digest : kSessionDigests) AddWebSession(digest);
  }

  void AddWebSession(const std::string& digest) {
    Write([&](ports::StoreTransaction& tx) {
      core::WebSession session;
      session.digest = digest;
      session.user_id = agent_;
      session.created_at = kT0;
      session.last_seen_at = kT0 + absl::Minutes(static_cast<unsigned char>(digest[0]));
      session.expires_at = kT0 + absl::Hours(12);
      return tx.InsertWebSession(session);
    });
  }

  // The status page: a group with a component, their history, an incident with an update and a
  // linked case, a maintenance, subscribers and a notice.
  void AddStatusPage() {
    Write([&](ports::StoreTransaction& tx) -> absl::Status {
      core::StatusComponent group;
      group.name = "Platform";
      group.is_group = true;
      group.created_at = kT0;
      group.updated_at = kT0;
      auto group_id = tx.InsertStatusComponent(group);
      if (!group_id.ok()) return group_id.status();
      core::StatusComponent api = group;
      api.name = "API";
      api.description = "REST — v2";
      api.is_group = false;
      api.group_id = *group_id;
      api.position = 1;
      api.status = core::ComponentStatus::kPartialOutage;
      api.only_show_if_degraded = true;
      auto api_id = tx.InsertStatusComponent(api);
      if (!api_id.ok()) return api_id.status();
      for (auto status :
           {core::ComponentStatus::kOperational, core::ComponentStatus::kPartialOutage}) {
        core::ComponentStatusChange change{*api_id, kT0 + absl::Minutes(static_cast<int>(status)),
                                           status};
        if (auto s = tx.AppendComponentStatusChange(change); !s.ok()) return s;
      }
      core::Incident incident;
      incident.name = "API errors";
      incident.status = core::IncidentStatus::kIdentified;
      incident.impact = core::IncidentImpact::kMajor;
      incident.component_ids = {*api_id};
      incident.created_at = kT0;
      incident.updated_at = kT0 + absl::Minutes(5);
      incident.started_at = kT0;
      incident.auto_transition = false;
      auto incident_id = tx.InsertIncident(incident);
      if (!incident_id.ok()) return incident_id.status();
      core::IncidentUpdate update;
      update.incident_id = *incident_id;
      update.status = core::IncidentStatus::kIdentified;
      update.body = "Found it.";
      update.created_at = kT0 + absl::Minutes(5);
      update.display_at = kT0 + absl::Minutes(4);
      update.affected_components = {{*api_id, "API", core::ComponentStatus::kOperational,
                                     core::ComponentStatus::kPartialOutage}};
      update.author_id = agent_;
      auto update_id = tx.InsertIncidentUpdate(update);
      if (!update_id.ok()) return update_id.status();
      if (auto s = tx.LinkCaseToIncident(*incident_id, 100001, kT0); !s.ok()) return s;
      core::Incident maintenance;
      maintenance.kind = core::IncidentKind::kMaintenance;
      maintenance.name = "Upgrade";
      maintenance.status = core::IncidentStatus::kScheduled;
      maintenance.impact = core::IncidentImpact::kMaintenance;
      maintenance.created_at = kT0;
      maintenance.updated_at = kT0;
      maintenance.started_at = kT0;
      maintenance.scheduled_for = kT0 + absl::Hours(24);
      maintenance.scheduled_until = kT0 + absl::Hours(26);
      if (auto s = tx.InsertIncident(maintenance).status(); !s.ok()) return s;
      ports::StatusSubscriber visitor;
      visitor.address = "visitor@example.com";
      visitor.component_ids = {*api_id};
      visitor.confirmed_at = kT0;
      visitor.created_at = kT0;
      if (auto s = tx.InsertStatusSubscriber(visitor).status(); !s.ok()) return s;
      ports::StatusSubscriber preferences;
      preferences.address = "agent@provider.example";
      preferences.user_id = agent_;
      preferences.opted_out = true;
      preferences.created_at = kT0;
      if (auto s = tx.InsertStatusSubscriber(preferences).status(); !s.ok()) return s;
      ports::StatusNotice notice;
      notice.incident_id = *incident_id;
      notice.update_id = *update_id;
      notice.created_at = kT0;
      notice.user_cursor = agent_;
      return tx.InsertStatusNotice(notice).status();
    });
  }

  void AddCases(int count) {
    for (int i = 0; i < count; ++i) {
      Write([&](ports::StoreTransaction& tx) -> absl::Status {
        auto number = tx.NextCaseNumber();
        if (!number.ok()) return number.status();
        core::Case c;
        c.number = *number;
        c.org_id = org_;
        c.requester_id = requester_;
        c.subject = "Disk full on server " + std::to_string(*number);
        c.description = "The volume reports no space left.";
        c.severity = core::Severity::kMajor;
        c.status = core::CaseStatus::kOpen;
        c.assignee_id = agent_;
        c.group_id = group_;
        c.followers = {agent_};
        c.fields = {{"host", "db-" + std::to_string(*number)}};
        c.sealed_secrets = std::string("\x01\x00\xff", 3);
        c.created_at = kT0 + absl::Minutes(*number - 100000);
        c.updated_at = c.created_at;
        c.security_incident = *number % 2 == 0;
        c.escalation_tier = core::Tier::kShiftLead;
        if (auto s = tx.InsertCase(c); !s.ok()) return s;
        core::Attachment attachment;
        attachment.id = "att" + std::to_string(*number);
        attachment.case_number = *number;
        attachment.blob_digest = std::string(64, 'a');
        attachment.filename = "log.txt";
        attachment.content_type = "text/plain";
        attachment.size = 42;
        attachment.uploaded_by = requester_;
        attachment.created_at = c.created_at;
        if (auto s = tx.InsertAttachment(attachment); !s.ok()) return s;
        core::Comment comment;
        comment.case_number = *number;
        comment.author_id = agent_;
        comment.body = "The zebrafish volume was resized for " + std::to_string(*number);
        comment.attachment_ids = {attachment.id};
        comment.created_at = c.created_at + absl::Seconds(5);
        auto comment_id = tx.InsertComment(comment);
        if (!comment_id.ok()) return comment_id.status();
        if (auto s = tx.AttachToComment(attachment.id, *comment_id); !s.ok()) return s;
        core::Comment note = comment;
        note.body = "internal okapi note";
        note.visibility = core::Visibility::kInternal;
        if (auto s = tx.InsertComment(note).status(); !s.ok()) return s;
        core::AuditEvent event;
        event.entity = "case";
        event.entity_id = std::to_string(*number);
        event.case_number = *number;
        event.actor_id = requester_;
        event.at = c.created_at;
        event.kind = "case.created";
        if (auto s = tx.AppendEvent(event).status(); !s.ok()) return s;
        ports::Timer due{*number, "sla:first_response:breach:0", kT0, std::nullopt};
        if (auto s = tx.ArmTimer(due); !s.ok()) return s;
        ports::Timer fired{*number, "sla:first_response:warning:0", kT0, std::nullopt};
        if (auto s = tx.ArmTimer(fired); !s.ok()) return s;
        if (auto s = tx.MarkTimerFired(*number, fired.key, kT0).status(); !s.ok()) return s;
        ports::Notification notification;
        notification.case_number = *number;
        notification.kind = "sla.warning";
        notification.recipient_id = agent_;
        notification.recipient_email = "agent@provider.example";
        notification.subject = "Warning";
        notification.body = "Case is due";
        notification.created_at = kT0;
        notification.extra_headers = "X-Case: " + std::to_string(*number);
        auto notification_id = tx.InsertNotification(notification);
        if (!notification_id.ok()) return notification_id.status();
        if (auto s = tx.RecordNotificationAttempt(*notification_id, kT0, "smtp down",
                                                  kT0 + absl::Minutes(1));
            !s.ok()) {
          return s;
        }
        ports::CaseSlaRecord sla;
        sla.case_number = *number;
        sla.org_id = org_;
        sla.plan = "gold";
        sla.severity = core::Severity::kMajor;
        sla.created_at = c.created_at;
        sla.first_response = {kT0 + absl::Hours(1), std::nullopt, std::nullopt, "60"};
        sla.resolution = {std::nullopt, std::nullopt, std::nullopt, "none"};
        sla.update_breaches = 1;
        if (auto s = tx.UpsertCaseSla(sla); !s.ok()) return s;
        ports::SeverityFlag flag;
        flag.case_number = *number;
        flag.org_id = org_;
        flag.requester_id = requester_;
        flag.flagged_by = agent_;
        flag.reason = "not an outage";
        flag.at = kT0;
        return tx.InsertSeverityFlag(flag).status();
      });
    }
  }

  absl::StatusOr<StoreCopyReport> Copy(int batch, int64_t stop_after = 0) {
    StoreCopyOptions options;
    options.sqlite_path = sqlite_path_;
    options.postgres_url = url_;
    options.batch_size = batch;
    options.stop_after_batches = stop_after;
    options.progress = &progress_;
    return CopySqliteToPostgres(options);
  }

  void Sql(const std::string& sql) {
    auto connection = postgres::PgConnection::Connect(url_);
    ASSERT_TRUE(connection.ok()) << connection.status();
    ASSERT_TRUE((*connection)->ExecuteScript(sql).ok()) << sql;
  }

  int64_t PgInt(const std::string& sql) {
    auto connection = postgres::PgConnection::Connect(url_);
    EXPECT_TRUE(connection.ok()) << connection.status();
    if (!connection.ok()) return -1;
    auto result = (*connection)->Execute(sql);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->Int(0, 0) : -1;
  }

  std::unique_ptr<postgres::PostgresStore> OpenPostgres() {
    auto store = postgres::PostgresStore::Open(url_, {});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::string url_;
  std::string directory_;
  std::string sqlite_path_;
  std::unique_ptr<sqlite::SqliteStore> sqlite_;
  std::ostringstream progress_;
  core::OrgId org_ = 0;
  core::UserId agent_ = 0;
  core::UserId requester_ = 0;
  core::GroupId group_ = 0;
};

TEST_F(StoreCopyTest, CopiesEveryEntityAndPostgresReadsItBackEqual) {
  Populate(5);
  auto report = Copy(/*batch=*/3);
  ASSERT_TRUE(report.ok()) << report.status() << "\n" << progress_.str();
  EXPECT_EQ(report->next_case_number, 100006);
  for (const TableCopyReport& table : report->tables) {
    EXPECT_EQ(table.copied_rows, table.source_rows) << table.table;
    EXPECT_EQ(table.target_rows, table.source_rows) << table.table;
  }
  EXPECT_THAT(progress_.str(), HasSubstr("cases: 5/5 copied"));
  EXPECT_THAT(progress_.str(), HasSubstr("verify comments: ok, 10 rows equal"));
  // Five sessions in batches of three: the second batch resumes after a binary key.
  EXPECT_THAT(progress_.str(), HasSubstr("web_sessions: 5/5 copied"));
  EXPECT_THAT(progress_.str(), HasSubstr("verify web_sessions: ok, 5 rows equal"));

  auto postgres = OpenPostgres();
  ASSERT_NE(postgres, nullptr);
  auto expected = Snapshot(*sqlite_);
  ASSERT_TRUE(expected.ok()) << expected.status();
  auto actual = Snapshot(*postgres);
  ASSERT_TRUE(actual.ok()) << actual.status();
  EXPECT_THAT(*expected, HasSubstr("zebrafish"));
  EXPECT_EQ(*actual, *expected);

  ASSERT_TRUE(postgres
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    // Search: PostgreSQL's own index was built as the rows arrived.
                    ports::SearchQuery query;
                    query.text = "zebrafish";
                    query.scope.all = true;
                    auto hits = tx.Search(query);
                    EXPECT_TRUE(hits.ok()) << hits.status();
                    if (hits.ok()) {
                      EXPECT_EQ(hits->items.size(), 5u);
                      if (!hits->items.empty()) {
                        EXPECT_EQ(hits->items[0].matched_in, "comment");
                      }
                    }
                    query.text = "okapi";
                    auto internal = tx.Search(query);
                    EXPECT_TRUE(internal.ok() && internal->items.empty()) << "internal notes leak";
                    query.include_internal = true;
                    internal = tx.Search(query);
                    EXPECT_TRUE(internal.ok() && internal->items.size() == 5u);
                    // A timer still due; the token still authenticates by digest.
                    auto due = tx.ListDueTimers(kT0 + absl::Hours(1), 100);
                    EXPECT_TRUE(due.ok() && due->size() == 5u);
                    if (due.ok() && !due->empty()) {
                      EXPECT_EQ((*due)[0].key, "sla:first_response:breach:0");
                    }
                    auto token = tx.FindApiTokenByDigest(kDigest);
                    EXPECT_TRUE(token.ok()) << token.status();
                    if (token.ok()) {
                      EXPECT_EQ(token->user_id, agent_);
                    }
                    return absl::OkStatus();
                  })
                  .ok());

  // New rows continue the sequences: the next case number and ids past the copied ones.
  core::CaseNumber next = 0;
  core::OrgId org = 0;
  ASSERT_TRUE(postgres
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    auto number = tx.NextCaseNumber();
                    if (!number.ok()) return number.status();
                    next = *number;
                    core::Organisation o;
                    o.name = "New";
                    o.parent_id = 1;
                    auto id = tx.InsertOrganisation(o);
                    if (!id.ok()) return id.status();
                    org = *id;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(next, 100006);
  EXPECT_EQ(org, 3);
  EXPECT_THAT(*expected, HasSubstr("REST — v2"));
  EXPECT_EQ(PgInt("SELECT count(*) FROM status_notices WHERE done_at IS NULL"), 1);
  EXPECT_THAT(*expected, HasSubstr("session fe00ff"));
  // The status page's tables continue their ids too.
  core::ComponentId component = 0;
  ASSERT_TRUE(postgres
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    core::StatusComponent c;
                    c.name = "Website";
                    auto id = tx.InsertStatusComponent(c);
                    if (!id.ok()) return id.status();
                    component = *id;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(component, 3);
}

TEST_F(StoreCopyTest, InterruptedCopyResumesWithoutDuplicates) {
  Populate(12);
  // Seven batches fill the seven small tables; two more copy 8 of the 12 cases.
  auto first = Copy(/*batch=*/4, /*stop_after=*/9);
  ASSERT_EQ(first.status().code(), absl::StatusCode::kCancelled) << first.status();
  EXPECT_THAT(first.status().message(), HasSubstr("run the copy again"));
  const int64_t partial = PgInt("SELECT count(*) FROM cases");
  EXPECT_EQ(partial, 8);
  auto second = Copy(/*batch=*/4, /*stop_after=*/5);
  ASSERT_EQ(second.status().code(), absl::StatusCode::kCancelled) << second.status();
  auto third = Copy(/*batch=*/5);
  ASSERT_TRUE(third.ok()) << third.status() << "\n" << progress_.str();
  for (const TableCopyReport& table : third->tables) {
    EXPECT_EQ(table.target_rows, table.source_rows) << table.table;
    if (table.table == "organisations") {
      EXPECT_TRUE(table.skipped);
    }
    if (table.table == "severity_flags") {
      EXPECT_FALSE(table.skipped);
    }
  }
  EXPECT_THAT(progress_.str(), HasSubstr("organisations: 2/2 already copied, skipped"));
  EXPECT_EQ(PgInt("SELECT count(*) FROM cases"), 12);
  EXPECT_EQ(PgInt("SELECT count(*) FROM comments"), 24);
  EXPECT_EQ(PgInt("SELECT count(*) FROM search_parts"), 2 * 12 + 24);
  // Attachments kept SQLite's order.
  EXPECT_EQ(PgInt("SELECT count(*) FROM attachments a JOIN attachments b"
                  " ON a.position < b.position AND a.case_number > b.case_number"),
            0);

  // A finished copy run again copies nothing and still verifies.
  auto again = Copy(/*batch=*/5);
  ASSERT_TRUE(again.ok()) << again.status();
  for (const TableCopyReport& table : again->tables) EXPECT_TRUE(table.skipped) << table.table;

  auto postgres = OpenPostgres();
  ASSERT_NE(postgres, nullptr);
  auto expected = Snapshot(*sqlite_);
  auto actual = Snapshot(*postgres);
  ASSERT_TRUE(expected.ok() && actual.ok());
  EXPECT_EQ(*actual, *expected);
}

TEST_F(StoreCopyTest, ReRunCatchesUpCasesAddedToTheLiveDeskAfterTheCopy) {
  Populate(3);
  ASSERT_TRUE(Copy(/*batch=*/2).ok());
  // The desk kept serving: new cases, and a session whose digest sorts after every copied one.
  AddCases(4);
  AddWebSession(std::string(32, '\xff'));
  auto caught_up = Copy(/*batch=*/2);
  ASSERT_TRUE(caught_up.ok()) << caught_up.status() << "\n" << progress_.str();
  for (const TableCopyReport& table : caught_up->tables) {
    if (table.table == "cases") {
      EXPECT_EQ(table.copied_rows, 4);
    }
    if (table.table == "web_sessions") {
      EXPECT_EQ(table.copied_rows, 1);  // resumed after the last copied binary digest
      EXPECT_EQ(table.target_rows, 6);
    }
  }
  {
    auto postgres = OpenPostgres();
    ASSERT_NE(postgres, nullptr);
    auto expected = Snapshot(*sqlite_);
    auto actual = Snapshot(*postgres);
    ASSERT_TRUE(expected.ok() && actual.ok());
    EXPECT_EQ(*actual, *expected);
  }
  EXPECT_EQ(caught_up->next_case_number, 100008);

  // A change to a row already copied is not carried; verification says so.
  Write([&](ports::StoreTransaction& tx) -> absl::Status {
    auto c = tx.GetCase(100001);
    if (!c.ok()) return c.status();
    c->status = core::CaseStatus::kSolved;
    return tx.UpdateCase(*c);
  });
  auto stale = Copy(/*batch=*/2);
  ASSERT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(stale.status().message(),
              HasSubstr("cases: row number=100001 differs in column status"));
}

TEST_F(StoreCopyTest, VerificationCatchesTamperedAndMissingRows) {
  Populate(3);
  ASSERT_TRUE(Copy(/*batch=*/100).ok());
  // At once: the copy gave its lock back before it closed its connection.
  const absl::Status verified = VerifyCopy(sqlite_path_, url_, 2, nullptr);
  ASSERT_TRUE(verified.ok()) << verified;

  Sql("UPDATE comments SET body = 'tampered' WHERE id = 3");
  absl::Status tampered = VerifyCopy(sqlite_path_, url_, 2, nullptr);
  EXPECT_EQ(tampered.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(tampered.message(), HasSubstr("comments: row id=3 differs in column body"));

  Sql("UPDATE comments SET body = (SELECT body FROM comments WHERE id = 1) WHERE id = 3");
  Sql("DELETE FROM timers WHERE case_number = 100002 AND key = 'sla:first_response:breach:0'");
  Sql("UPDATE api_tokens SET digest = '\\x00'::bytea WHERE id = 1");
  Sql("UPDATE web_sessions SET expires_at = 1 WHERE digest = decode(repeat('80', 32), 'hex')");
  absl::Status missing = VerifyCopy(sqlite_path_, url_, 2, nullptr);
  EXPECT_EQ(missing.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.message(), HasSubstr("timers: SQLite has 6 rows, PostgreSQL 5"));
  EXPECT_THAT(missing.message(),
              HasSubstr("timers: row (case_number, key)=(100002, sla:first_response:breach:0) "
                        "is missing from PostgreSQL"));
  EXPECT_THAT(missing.message(), HasSubstr("api_tokens: row id=1 differs in column digest"));
  EXPECT_THAT(missing.message(),
              HasSubstr("web_sessions: row digest=" + absl::BytesToHexString(kSessionDigests[3]) +
                        " differs in column expires_at"));
  EXPECT_THAT(missing.message(), HasSubstr("comments: row id=3 differs in column body"));

  Sql("SELECT setval('case_numbers', 100001, false)");
  absl::Status sequence = VerifyCopy(sqlite_path_, url_, 2, nullptr);
  EXPECT_THAT(sequence.message(), HasSubstr("case numbers: PostgreSQL would hand out 100001"));
}

TEST_F(StoreCopyTest, RefusesATargetHoldingADeskItDidNotWrite) {
  Populate(1);
  {
    auto postgres = OpenPostgres();
    ASSERT_NE(postgres, nullptr);
    ASSERT_TRUE(postgres
                    ->WriteAndWait([](ports::StoreTransaction& tx) {
                      core::Organisation o;
                      o.name = "Other desk";
                      o.kind = core::OrgKind::kProvider;
                      return tx.InsertOrganisation(o).status();
                    })
                    .ok());
  }
  auto refused = Copy(/*batch=*/10);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("copy into an empty database"));
  EXPECT_EQ(PgInt("SELECT count(*) FROM organisations"), 1);
}

TEST_F(StoreCopyTest, RejectsBadOptionsAndAMissingDesk) {
  StoreCopyOptions options;
  options.sqlite_path = sqlite_path_;
  options.postgres_url = "mysql://nope";
  EXPECT_EQ(CopySqliteToPostgres(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.postgres_url = url_;
  options.batch_size = 0;
  EXPECT_EQ(CopySqliteToPostgres(options).status().code(), absl::StatusCode::kInvalidArgument);
  options.batch_size = 10;
  options.sqlite_path = directory_ + "/none.db";
  EXPECT_EQ(CopySqliteToPostgres(options).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(options.sqlite_path));
}

}  // namespace
}  // namespace casedesk::adapters::store_copy

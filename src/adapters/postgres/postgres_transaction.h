// The PostgreSQL view of one unit of work: every StoreTransaction method as parameterised SQL
// on one connection. The store opens and ends the surrounding transaction (or savepoint); this
// class only runs statements. In read-only mode every write method fails with
// FailedPrecondition before touching the database.
//
// Duplicates are detected with INSERT ... ON CONFLICT DO NOTHING, so an AlreadyExists leaves
// the transaction usable, as in SQLite. Other statement errors (an unknown reference, a lost
// connection) abort PostgreSQL's transaction: the unit should return the error it got.
// In read-write mode GetCase locks the case row (FOR NO KEY UPDATE), so read-modify-write units
// running on different connections or nodes never lose each other's updates.
//
// Thread-safety: not thread-safe; used by the one thread running the unit of work.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_node_caches.h"
#include "ports/store.h"

namespace casedesk::adapters::postgres {

enum class TransactionMode { kReadOnly, kReadWrite };

// What the units of one write transaction have read row by row, shared by them (see
// PgBatchPart): organisations, users and settings, kept until a unit changes them
// (UpdateOrganisation, UpdateUser, PutSetting and DeleteSetting forget the row they write; no
// trigger writes these tables), and the versions (xmin) of the rows read that a unit may write
// back. Units ask for the same few rows again and again (opening a case reads its
// organisation, the provider, the requester and two mail settings), and every read is a round
// trip made while the batch holds its locks. A row kept here may be older than one read now by
// as long as the batch has run; a unit that writes it back does so only over the version read
// (UpdateReadRow), so it never undoes a newer change. Whoever runs the units clears it when
// one fails, so nothing a rolled-back unit wrote and read again outlives it.
struct PgReadCache {
  std::unordered_map<core::OrgId, core::Organisation> organisations;
  std::unordered_map<core::UserId, core::User> users;
  std::unordered_map<std::string, std::optional<std::string>> settings;
  // FindProvider's answer until the batch writes an organisation, and pages of ListUsers by
  // their filter until it writes a user: an escalation level that fires reads the provider's
  // staff, and a batch often fires several. A later unit sees the list as the first one read
  // it, as if it had run at that moment.
  std::optional<std::optional<core::Organisation>> provider;
  std::unordered_map<std::string, ports::Page<core::User>> user_pages;
  // Keyed "user:7", "org:3", "setting:KEY" (an empty version: the setting did not exist), ...
  std::unordered_map<std::string, std::string> versions;

  void Clear() {
    organisations.clear();
    users.clear();
    settings.clear();
    provider.reset();
    user_pages.clear();
    versions.clear();
  }
};

// Case numbers taken from the sequence for a batch's units together (see ports::WriteHints):
// the first unit to ask takes as many as it and the units after it said they would, in one
// round trip, and each unit then takes the next. Numbers still follow the order in which the
// units run, and a batch takes them before any of its units is answered, so a case opened
// after another one was answered still gets a higher number, on any node. A number left over
// (a unit that said it would take one and did not) is a gap, as a rolled-back nextval is.
struct PgCaseNumbers {
  std::deque<core::CaseNumber> ready;
  // Set by whoever runs the units, before each: the numbers it and the units after it said
  // they would take.
  int wanted = 0;
};

// How a write batch runs its units; the defaults suit a unit alone.
struct PgBatchPart {
  // When set, the number of every case this unit inserts, updates or adds an event to is
  // appended there (for live pages, after the commit).
  std::vector<core::CaseNumber>* changed_cases = nullptr;
  // When set, become true when the unit changes an organisation (cached case reads hold one)
  // or a group (PgNodeCaches keeps pages of them).
  bool* organisations_changed = nullptr;
  bool* groups_changed = nullptr;
  // When set, the addresses whose state (PutMailAddressState) the unit writes are appended.
  std::vector<std::string>* mail_addresses_changed = nullptr;
  // Writes whose answer the unit does not need (events, SLA timers and summaries, mail
  // threads, a notification with a random Message-ID, a case under a number the unit took from
  // the sequence) are queued on the connection (PgConnection::Queue, QueueRows) and travel with
  // the next statement that is waited for; whoever runs the unit must flush or drop the queue
  // before the commit.
  bool queue_writes = false;
  // Shared by the batch's units (see PgReadCache); when null the unit keeps its own.
  PgReadCache* read_cache = nullptr;
  // When set, the node's caches, of which a unit uses only the mail-address states: which
  // addresses bounce is asked for every mail a change sends, and a state a few milliseconds
  // old (a bounce just recorded on another node) costs at most one more mail to it. The
  // addresses the batch itself wrote (mail_addresses_changed) are read from the server, which
  // holds the batch's own state.
  PgNodeCaches* mail_address_cache = nullptr;
  // When set, NextCaseNumber takes numbers from there (see PgCaseNumbers); when null, the unit
  // keeps its own, and takes one number at a time.
  PgCaseNumbers* case_numbers = nullptr;
};

// A read transaction's use of the node's caches (none: everything is read from the server),
// with their Epoch() taken before the transaction's first statement.
struct PgCachedReads {
  PgNodeCaches* caches = nullptr;
  uint64_t epoch = 0;
};

class PostgresTransaction : public ports::StoreTransaction {
 public:
  PostgresTransaction(PgConnection& connection, TransactionMode mode, PgBatchPart batch = {},
                      PgCachedReads cached = {})
      : connection_(connection),
        mode_(mode),
        changed_cases_(batch.changed_cases),
        organisations_changed_(batch.organisations_changed),
        groups_changed_(batch.groups_changed),
        mail_addresses_changed_(batch.mail_addresses_changed),
        mail_address_cache_(batch.mail_address_cache),
        queue_writes_(batch.queue_writes),
        read_(batch.read_cache != nullptr ? *batch.read_cache : own_read_cache_),
        case_numbers_(batch.case_numbers != nullptr ? *batch.case_numbers : own_case_numbers_),
        cached_(cached) {}

  absl::StatusOr<core::OrgId> InsertOrganisation(const core::Organisation& org) override;
  absl::StatusOr<core::Organisation> GetOrganisation(core::OrgId id) override;
  absl::Status UpdateOrganisation(const core::Organisation& org) override;
  absl::StatusOr<ports::Page<core::Organisation>> ListOrganisations(
      const ports::OrgFilter& filter) override;
  absl::StatusOr<std::vector<core::OrgId>> ListChildOrganisationIds(core::OrgId parent) override;
  absl::StatusOr<std::optional<core::Organisation>> FindProvider() override;

  absl::StatusOr<core::UserId> InsertUser(const core::User& user) override;
  absl::StatusOr<core::User> GetUser(core::UserId id) override;
  absl::StatusOr<core::User> FindUserByEmail(std::string_view normalised_email) override;
  absl::Status UpdateUser(const core::User& user) override;
  absl::StatusOr<ports::Page<core::User>> ListUsers(const ports::UserFilter& filter) override;

  absl::StatusOr<core::TokenId> InsertApiToken(const core::ApiToken& token) override;
  absl::StatusOr<core::ApiToken> FindApiTokenByDigest(std::string_view digest) override;
  absl::StatusOr<core::ApiToken> GetApiToken(core::TokenId id) override;
  absl::StatusOr<std::vector<core::ApiToken>> ListApiTokens(core::UserId user_id) override;
  absl::Status RevokeApiToken(core::TokenId id, absl::Time at) override;

  absl::StatusOr<core::GroupId> InsertGroup(const core::Group& group) override;
  absl::StatusOr<core::Group> GetGroup(core::GroupId id) override;
  absl::Status UpdateGroup(const core::Group& group) override;
  absl::StatusOr<ports::Page<core::Group>> ListGroups(const ports::PageRequest& page) override;

  absl::Status UpsertPlan(const core::SupportPlan& plan) override;
  absl::StatusOr<core::SupportPlan> GetPlan(std::string_view name) override;
  absl::StatusOr<std::vector<core::SupportPlan>> ListPlans() override;

  absl::StatusOr<core::CaseNumber> NextCaseNumber() override;
  absl::Status InsertCase(const core::Case& c) override;
  absl::Status InsertCaseWithDeadline(const core::Case& c,
                                      std::optional<absl::Time> next_deadline) override;
  absl::StatusOr<core::Case> GetCase(core::CaseNumber number) override;
  absl::StatusOr<ports::CaseWithHistory> GetCaseWithHistory(core::CaseNumber number) override;
  absl::Status UpdateCase(const core::Case& c) override;
  absl::StatusOr<ports::Page<core::Case>> ListCases(const ports::CaseFilter& filter) override;
  absl::StatusOr<int64_t> CountCases(const ports::CaseFilter& filter) override;

  absl::StatusOr<core::CommentId> InsertComment(const core::Comment& comment) override;
  absl::StatusOr<ports::Page<core::Comment>> ListComments(core::CaseNumber number,
                                                          bool include_internal,
                                                          const ports::PageRequest& page) override;

  absl::Status InsertAttachment(const core::Attachment& attachment) override;
  absl::StatusOr<core::Attachment> GetAttachment(std::string_view id) override;
  absl::StatusOr<std::vector<core::Attachment>> ListAttachments(core::CaseNumber number) override;
  absl::Status AttachToComment(std::string_view attachment_id, core::CommentId comment_id) override;

  absl::StatusOr<core::EventId> AppendEvent(const core::AuditEvent& event) override;
  absl::Status RecordEvent(const core::AuditEvent& event) override;
  absl::StatusOr<ports::Page<core::AuditEvent>> ListCaseEvents(
      core::CaseNumber number, const ports::PageRequest& page) override;
  absl::StatusOr<ports::Page<core::AuditEvent>> ListEntityEvents(
      std::string_view entity, std::string_view entity_id, const ports::PageRequest& page) override;

  absl::StatusOr<ports::Page<ports::SearchHit>> Search(const ports::SearchQuery& query) override;

  absl::StatusOr<std::optional<std::string>> GetSetting(std::string_view key) override;
  absl::Status PutSetting(std::string_view key, std::string_view value) override;
  absl::Status DeleteSetting(std::string_view key) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListSettings(
      std::string_view prefix) override;

  // Timers, outbox, SLA summaries and severity flags: postgres_sla_queries.cc.
  absl::Status ArmTimer(const ports::Timer& timer) override;
  absl::Status DisarmTimersExcept(core::CaseNumber number, std::string_view key_prefix,
                                  const std::vector<std::string>& keep_keys) override;
  absl::Status ArmCaseTimers(core::CaseNumber number, std::string_view key_prefix,
                             const std::vector<ports::Timer>& timers) override;
  absl::Status ArmNewCaseTimers(core::CaseNumber number, std::string_view key_prefix,
                                const std::vector<ports::Timer>& timers) override;
  absl::StatusOr<std::vector<ports::Timer>> ListDueTimers(absl::Time now, int limit) override;
  absl::StatusOr<std::optional<absl::Time>> NextTimerDue() override;
  absl::StatusOr<bool> MarkTimerFired(core::CaseNumber number, std::string_view key,
                                      absl::Time at) override;
  absl::StatusOr<std::vector<ports::Timer>> ListCaseTimers(core::CaseNumber number) override;
  absl::StatusOr<int64_t> CountUnfiredTimers() override;

  absl::StatusOr<int64_t> InsertNotification(const ports::Notification& notification) override;
  absl::Status RecordNotification(const ports::Notification& notification) override;
  absl::StatusOr<std::vector<ports::Notification>> ListCaseNotifications(
      core::CaseNumber number) override;
  absl::StatusOr<std::vector<ports::Notification>> ListUnsentNotifications(int limit) override;
  absl::StatusOr<std::vector<ports::Notification>> ListPendingNotifications(int64_t after_id,
                                                                            int limit) override;
  absl::StatusOr<std::vector<ports::Notification>> ListFailedNotifications(int64_t before_id,
                                                                           int limit) override;
  absl::StatusOr<std::vector<ports::Notification>> ClaimNotifications(absl::Time now,
                                                                      absl::Time lease_until,
                                                                      int limit) override;
  absl::Status RecordNotificationAttempt(int64_t id, absl::Time at, std::string_view error,
                                         std::optional<absl::Time> retry_at) override;
  absl::Status RequeueNotification(int64_t id, absl::Time at) override;
  absl::StatusOr<ports::Notification> GetNotification(int64_t id) override;
  absl::StatusOr<std::pair<int64_t, int64_t>> CountPendingAndFailedNotifications() override;

  absl::StatusOr<int64_t> InsertInboundMail(const ports::InboundMail& mail) override;
  absl::StatusOr<ports::InboundMail> GetInboundMail(int64_t id) override;
  absl::Status UpdateInboundMail(const ports::InboundMail& mail) override;
  absl::StatusOr<std::vector<ports::InboundMail>> ListInboundMail(
      const ports::InboundMailFilter& filter) override;
  absl::StatusOr<std::optional<ports::InboundMail>> FindInboundMailByMessageId(
      std::string_view message_id) override;
  absl::Status RecordMailThread(std::string_view message_id, core::CaseNumber number) override;
  absl::StatusOr<std::optional<core::CaseNumber>> FindCaseByMessageIds(
      const std::vector<std::string>& message_ids) override;
  absl::StatusOr<std::optional<ports::MailAddressState>> GetMailAddressState(
      std::string_view address) override;
  absl::Status PutMailAddressState(const ports::MailAddressState& state) override;

  absl::Status UpsertCaseSla(const ports::CaseSlaRecord& record) override;
  absl::StatusOr<std::vector<ports::CaseSlaRecord>> ListCaseSla(
      const ports::CaseSlaFilter& filter) override;

  absl::StatusOr<int64_t> InsertSeverityFlag(const ports::SeverityFlag& flag) override;
  absl::StatusOr<std::vector<ports::SeverityFlag>> ListCaseSeverityFlags(
      core::CaseNumber number) override;
  absl::StatusOr<std::vector<ports::SeverityFlagCount>> CountSeverityFlags(
      absl::Time from, absl::Time to, std::optional<core::OrgId> org) override;

  absl::StatusOr<core::ComponentId> InsertStatusComponent(
      const core::StatusComponent& component) override;
  absl::StatusOr<core::StatusComponent> GetStatusComponent(core::ComponentId id) override;
  absl::Status UpdateStatusComponent(const core::StatusComponent& component) override;
  absl::StatusOr<std::vector<core::StatusComponent>> ListStatusComponents() override;
  absl::Status AppendComponentStatusChange(const core::ComponentStatusChange& change) override;
  absl::StatusOr<std::vector<core::ComponentStatusChange>> ListComponentStatusChanges(
      absl::Time since) override;

  absl::StatusOr<core::IncidentId> InsertIncident(const core::Incident& incident) override;
  absl::StatusOr<core::Incident> GetIncident(core::IncidentId id) override;
  absl::StatusOr<bool> UpdateIncident(const core::Incident& incident,
                                      absl::Time expected_updated_at) override;
  absl::StatusOr<int64_t> InsertIncidentUpdate(const core::IncidentUpdate& update) override;
  absl::StatusOr<std::vector<core::Incident>> ListIncidents(
      const ports::IncidentFilter& filter) override;
  absl::StatusOr<std::vector<core::Incident>> ListDueMaintenance(absl::Time now,
                                                                 int limit) override;
  absl::StatusOr<std::optional<absl::Time>> NextMaintenanceEdge() override;

  absl::Status LinkCaseToIncident(core::IncidentId incident, core::CaseNumber number,
                                  absl::Time at) override;
  absl::Status UnlinkCaseFromIncident(core::IncidentId incident, core::CaseNumber number) override;
  absl::StatusOr<std::vector<core::CaseNumber>> ListIncidentCases(
      core::IncidentId incident) override;
  absl::StatusOr<std::vector<core::IncidentId>> ListCaseIncidents(core::CaseNumber number) override;

  absl::StatusOr<int64_t> InsertStatusSubscriber(
      const ports::StatusSubscriber& subscriber) override;
  absl::StatusOr<ports::StatusSubscriber> GetStatusSubscriber(int64_t id) override;
  absl::Status UpdateStatusSubscriber(const ports::StatusSubscriber& subscriber) override;
  absl::StatusOr<std::optional<ports::StatusSubscriber>> FindUserStatusSubscription(
      core::UserId user_id) override;
  absl::StatusOr<std::optional<ports::StatusSubscriber>> FindStatusSubscriberByAddress(
      ports::SubscriberKind kind, std::string_view address) override;
  absl::StatusOr<std::vector<ports::StatusSubscriber>> ListStatusSubscribers(bool users,
                                                                             int64_t after_id,
                                                                             int limit) override;
  absl::StatusOr<std::vector<core::User>> ListVerifiedUsers(core::UserId after_id,
                                                            int limit) override;

  absl::StatusOr<int64_t> InsertStatusNotice(const ports::StatusNotice& notice) override;
  absl::StatusOr<std::optional<ports::StatusNotice>> ClaimStatusNotice(
      absl::Time now, absl::Time lease_until) override;
  absl::Status UpdateStatusNotice(const ports::StatusNotice& notice) override;

  absl::Status InsertWebSession(const core::WebSession& session) override;
  absl::StatusOr<std::optional<core::WebSession>> FindWebSession(std::string_view digest) override;
  absl::Status TouchWebSession(std::string_view digest, absl::Time at) override;
  absl::Status DeleteWebSession(std::string_view digest) override;
  absl::Status DeleteUserWebSessions(core::UserId user_id) override;
  absl::StatusOr<int64_t> DeleteExpiredWebSessions(absl::Time now) override;
  absl::Status PutBlob(std::string_view digest, std::string_view content) override;
  absl::StatusOr<std::optional<std::string>> GetBlob(std::string_view digest) override;
  absl::StatusOr<bool> ClaimLease(std::string_view name, std::string_view holder, absl::Time now,
                                  absl::Time until) override;
  absl::Status ReleaseLease(std::string_view name, std::string_view holder) override;
  absl::StatusOr<int> CountThrottleHits(std::string_view key, absl::Time since) override;
  absl::StatusOr<bool> AdmitThrottleHit(std::string_view key, absl::Time at, absl::Time since,
                                        int max_hits) override;
  absl::Status ClearThrottleHits(std::string_view key) override;
  absl::StatusOr<int64_t> DeleteThrottleHitsBefore(absl::Time before) override;

  // Customer accounts' single-use links (postgres_account_queries.cc).
  absl::Status InsertAccountToken(const ports::AccountToken& token) override;
  absl::StatusOr<std::optional<ports::AccountToken>> FindAccountToken(
      std::string_view digest) override;
  absl::StatusOr<bool> UseAccountToken(std::string_view digest, absl::Time at) override;
  absl::Status UseUserAccountTokens(core::UserId user_id, absl::Time at) override;
  absl::StatusOr<int64_t> DeleteExpiredAccountTokens(absl::Time now) override;

  // Staff console queues (issue 5), in postgres_queue_queries.cc. ListCases hands pages in the
  // next-deadline order to ListCasesByNextDeadline.
  absl::Status SetCaseNextDeadline(core::CaseNumber number,
                                   std::optional<absl::Time> due_at) override;
  absl::StatusOr<std::optional<absl::Time>> GetCaseNextDeadline(core::CaseNumber number) override;
  absl::StatusOr<ports::Page<core::Case>> ListCasesByNextDeadline(const ports::CaseFilter& filter);

  // Bulk SLA recomputation (issue 3), in postgres_sla_bulk_queries.cc.
  absl::StatusOr<std::vector<ports::CaseClockInputs>> ListCaseClockInputs(
      core::CaseNumber first, core::CaseNumber last) override;
  absl::StatusOr<std::vector<core::AuditEvent>> ListEventsOfCases(
      core::CaseNumber first, core::CaseNumber last,
      const std::vector<std::string>& kinds) override;
  absl::StatusOr<std::vector<ports::Timer>> ListUnfiredTimersOfCases(
      core::CaseNumber first, core::CaseNumber last, std::string_view key_prefix) override;
  absl::Status SetCaseNextDeadlines(
      const std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>>& deadlines)
      override;

  // Time entries and contract hours (issue 7), in postgres_hours_queries.cc.
  absl::StatusOr<ports::TimeEntryWrite> InsertTimeEntry(const core::TimeEntry& entry) override;
  absl::StatusOr<std::vector<core::TimeEntry>> ListCaseTimeEntries(core::CaseNumber number,
                                                                   int limit) override;
  absl::StatusOr<std::vector<core::TimeEntry>> ListOrgTimeEntries(core::OrgId org_id,
                                                                  std::string_view period,
                                                                  int limit) override;
  absl::StatusOr<std::vector<ports::HoursUsage>> ListHoursUsage(
      core::OrgId org_id, std::string_view from_period) override;
  absl::StatusOr<std::vector<ports::HoursUsage>> ListHoursDailyUsage(
      core::OrgId org_id, core::HoursKind kind, std::string_view period) override;
  absl::StatusOr<std::optional<ports::OrgHoursPackages>> GetOrgHoursPackages(
      core::OrgId org_id) override;
  absl::Status PutOrgHoursPackages(const ports::OrgHoursPackages& packages) override;
  absl::StatusOr<bool> ClaimHoursAlert(core::OrgId org_id, core::HoursKind kind,
                                       std::string_view period, int threshold,
                                       absl::Time at) override;
  absl::StatusOr<std::vector<int>> ListHoursAlerts(core::OrgId org_id, core::HoursKind kind,
                                                   std::string_view period) override;

  // Knowledge base (issue 7), in postgres_kb_queries.cc.
  absl::StatusOr<core::KbCategoryId> InsertKbCategory(const core::KbCategory& category) override;
  absl::StatusOr<std::vector<core::KbCategory>> ListKbCategories() override;
  absl::StatusOr<core::KbSectionId> InsertKbSection(const core::KbSection& section) override;
  absl::StatusOr<std::vector<core::KbSection>> ListKbSections() override;
  absl::StatusOr<core::KbArticleId> InsertKbArticle(const core::KbArticle& article) override;
  absl::StatusOr<core::KbArticle> GetKbArticle(core::KbArticleId id) override;
  absl::Status UpdateKbArticle(const core::KbArticle& article) override;
  absl::StatusOr<std::vector<core::KbArticle>> ListKbArticles(
      const ports::KbArticleFilter& filter) override;
  absl::Status InsertKbVersion(const core::KbVersion& version) override;
  absl::StatusOr<core::KbVersion> GetKbVersion(core::KbArticleId article_id, int number) override;
  absl::StatusOr<std::vector<core::KbVersion>> ListKbVersions(
      core::KbArticleId article_id) override;
  absl::StatusOr<std::vector<ports::KbSearchHit>> SearchKbArticles(
      const ports::KbSearchQuery& query) override;
  absl::StatusOr<ports::KbVoteCounts> RecordKbVote(core::KbArticleId article_id,
                                                   std::optional<core::UserId> user_id,
                                                   bool helpful, absl::Time at) override;
  absl::Status AddKbDeflection(core::KbArticleId article_id) override;

  // Reports and service reviews (issue 7), in postgres_report_queries.cc.
  absl::StatusOr<std::vector<core::SlaCountRow>> CountSlaCompliance(
      const ports::ReportRange& range) override;
  absl::StatusOr<std::vector<core::BacklogCountRow>> CountBacklog(
      const ports::BacklogQuery& query) override;
  absl::StatusOr<std::vector<core::PartnerResolutionRow>> CountPartnerResolution(
      const ports::ReportRange& range) override;

  // Engineering links and problems (issue 7), in postgres_engineering_queries.cc.
  absl::StatusOr<core::EngineeringLinkId> InsertEngineeringLink(
      const core::EngineeringLink& link) override;
  absl::StatusOr<core::EngineeringLink> GetEngineeringLink(core::EngineeringLinkId id) override;
  absl::Status UpdateEngineeringLink(const core::EngineeringLink& link) override;
  absl::StatusOr<std::vector<core::EngineeringLink>> ListCaseEngineeringLinks(
      core::CaseNumber number) override;
  absl::StatusOr<std::vector<core::EngineeringLink>> ListEngineeringLinksByKey(
      std::string_view tracker, std::string_view issue_key, int limit) override;
  absl::StatusOr<core::ProblemId> InsertProblem(const core::Problem& problem) override;
  absl::StatusOr<core::Problem> GetProblem(core::ProblemId id) override;
  absl::Status UpdateProblem(const core::Problem& problem) override;
  absl::StatusOr<std::vector<core::Problem>> ListProblems(
      const ports::ProblemFilter& filter) override;
  absl::StatusOr<bool> LinkProblemCase(core::ProblemId problem_id, core::CaseNumber number,
                                       core::UserId by, absl::Time at) override;
  absl::StatusOr<bool> UnlinkProblemCase(core::ProblemId problem_id,
                                         core::CaseNumber number) override;
  absl::StatusOr<std::vector<ports::ProblemCase>> ListProblemCases(core::ProblemId problem_id,
                                                                   int limit) override;
  absl::StatusOr<std::vector<core::Problem>> ListCaseProblems(core::CaseNumber number) override;
  absl::StatusOr<ports::IncidentTrend> CountIncidents(absl::Time from, absl::Time to) override;

  // Service tasks (issue 7), in postgres_service_task_queries.cc.
  absl::Status InsertServiceTask(const ports::ServiceTaskRecord& task) override;
  absl::StatusOr<std::optional<ports::ServiceTaskRecord>> GetServiceTask(
      core::CaseNumber number) override;
  absl::StatusOr<ports::ServiceTaskWrite> UpdateServiceTask(const ports::ServiceTaskRecord& task,
                                                            int64_t expected_revision) override;

  // Remote access requests (issue 7), in postgres_remote_access_queries.cc.
  absl::StatusOr<core::RemoteAccessId> InsertRemoteAccessRequest(
      const core::RemoteAccessRequest& request) override;
  absl::StatusOr<core::RemoteAccessRequest> GetRemoteAccessRequest(
      core::RemoteAccessId id) override;
  absl::StatusOr<std::vector<core::RemoteAccessRequest>> ListCaseRemoteAccessRequests(
      core::CaseNumber number, int limit) override;
  absl::StatusOr<ports::RemoteAccessWrite> UpdateRemoteAccessRequest(
      const core::RemoteAccessRequest& request, core::RemoteAccessStatus expected) override;
  absl::StatusOr<std::vector<core::RemoteAccessRequest>> ListEndedRemoteAccessRequests(
      absl::Time at, int limit) override;
  absl::StatusOr<core::SavedViewId> InsertSavedView(const core::SavedView& view) override;
  absl::StatusOr<std::vector<core::SavedView>> ListSavedViews(core::UserId user_id) override;
  absl::Status DeleteSavedView(core::UserId user_id, core::SavedViewId id) override;

 private:
  absl::Status RequireWritable() const;
  // A write whose answer is not needed: queued when this unit queues writes, else run now.
  absl::Status ExecuteWrite(const std::string& sql, PgParams params);
  // The same for rows of a PgRowsInsert, which travel with the batch's other rows of its kind.
  absl::Status WriteRows(const PgRowsInsert& insert, std::vector<PgParams> rows);
  absl::Status WriteRow(const PgRowsInsert& insert, PgParams row);
  void NoteCaseChanged(core::CaseNumber number) {
    if (changed_cases_ != nullptr && number > 0) changed_cases_->push_back(number);
  }
  // Loads the updates of `incidents` (newest first) with one query.
  absl::Status LoadIncidentUpdates(std::vector<core::Incident>& incidents);
  // AlreadyExists when another row holds `component`'s unique name (checked before writing,
  // because a failed statement would abort the whole transaction).
  absl::Status CheckComponentNameFree(const core::StatusComponent& component);
  absl::Status CheckSubscriberFree(const ports::StatusSubscriber& subscriber);
  // The subscriber of a one-row read with ", xmin" last, its version noted (UpdateReadRow).
  ports::StatusSubscriber NotedSubscriber(const PgResult& rows);
  absl::Status ReplaceGroupMembers(const core::Group& group);
  absl::Status ReplaceFollowers(const core::Case& c, bool is_new);

  PgConnection& connection_;
  TransactionMode mode_;
  std::vector<core::CaseNumber>* changed_cases_;
  bool* organisations_changed_;
  bool* groups_changed_;
  std::vector<std::string>* mail_addresses_changed_;
  PgNodeCaches* mail_address_cache_;
  // Numbers NextCaseNumber gave this unit: nobody else can hold them, so inserting such a case
  // cannot conflict and need not wait for an answer.
  std::vector<core::CaseNumber> numbers_taken_;
  bool queue_writes_;
  PgReadCache own_read_cache_;
  PgReadCache& read_;  // own_read_cache_, or the batch's
  PgCaseNumbers own_case_numbers_;
  PgCaseNumbers& case_numbers_;  // own_case_numbers_, or the batch's
  PgCachedReads cached_;

  // Single-row reads of users, organisations, settings, groups, status components, status
  // subscribers, problems and engineering links note the row's version (xmin) in read_.versions. A
  // later write of such a row applies only to the version read; if another writer changed it
  // meanwhile, the write changes nothing and the unit lost a race (PgConnection::NoteLostRace), so
  // the store runs it again on fresh rows. Without this, a read-modify-write on one writer
  // connection would silently undo a change committed on another (these rows are not locked when
  // read: every case creation reads its organisation, and locking would serialise them). Cases and
  // comments are locked when read instead (FOR NO KEY UPDATE).
  void NoteVersion(std::string key, std::string_view xmin);
  // For a row read with ", xmin" as its last column.
  void NoteVersionOfRow(std::string key, const PgResult& rows) {
    NoteVersion(std::move(key), rows.Text(0, rows.columns() - 1));
  }
  // The version read and forgotten (the write that asks locks the row until the commit).
  std::optional<std::string> TakeVersion(const std::string& key);
  // Runs the UPDATE `sql` (whose WHERE names the row `key`, `what` in messages), then
  // `returning` (a RETURNING clause, or nothing). When this unit read that row, the update
  // applies only to the version read, and changing nothing then means another writer changed
  // the row: ChangedMeanwhile. Otherwise the result, whose affected() is 0 when there is no
  // such row.
  absl::StatusOr<PgResult> UpdateReadRow(const std::string& key, std::string sql, PgParams params,
                                         std::string_view what, std::string_view returning = "");
  absl::Status ChangedMeanwhile(std::string_view what);
};

}  // namespace casedesk::adapters::postgres

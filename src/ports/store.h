// The persistence port. A Store runs units of work inside transactions; a StoreTransaction is
// the view of the data one unit of work has. Implementations: SqliteStore (default, embedded)
// and later PostgresStore; one contract suite (test/contract) runs against each.
//
// Durability: Write's `done` callback runs only after the transaction is durably committed, so
// an acknowledged write survives kill -9 and power loss. Implementations may group several
// concurrent units of work into one commit; each unit still succeeds or fails alone (a unit
// whose function returns an error leaves no trace).
//
// Thread-safety: Store methods may be called from any thread. A StoreTransaction is used only
// by the thread running the unit of work and only during that call.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/access.h"
#include "core/audit_event.h"
#include "core/case.h"
#include "core/conversation.h"
#include "core/credential.h"
#include "core/engineering_link.h"
#include "core/group.h"
#include "core/organisation.h"
#include "core/plan.h"
#include "core/queue_view.h"
#include "core/status_page.h"
#include "core/user.h"
#include "ports/account_records.h"
#include "ports/engineering_records.h"
#include "ports/hours_records.h"
#include "ports/kb_records.h"
#include "ports/mail_records.h"
#include "ports/remote_access_records.h"
#include "ports/report_records.h"
#include "ports/service_task_records.h"
#include "ports/sla_bulk_records.h"
#include "ports/sla_records.h"
#include "ports/status_records.h"

namespace casedesk::ports {

// One page of a list. `next_cursor` is empty on the last page. Cursors are opaque strings
// produced by the store; a malformed cursor is InvalidArgument.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;
};

struct PageRequest {
  int limit = 25;  // 1..200, checked by the caller
  std::string cursor;
};

// Staff console queues (issue 5): how ListCases orders a page.
enum class CaseOrder { kNewest, kNextDeadline };

struct CaseFilter {
  core::CaseScope scope;  // always applied
  std::optional<core::CaseStatus> status;
  std::optional<core::Severity> severity;
  std::optional<core::OrgId> org_id;
  std::optional<core::UserId> assignee_id;
  std::optional<core::GroupId> group_id;
  std::string text;  // full-text match over subject, description and public comments
  PageRequest page;  // newest first (by number, descending)

  // Staff console queues (issue 5). With kNextDeadline the page is ordered by the case's next
  // SLA deadline (earliest first, cases without a running deadline last, ties by number
  // ascending), keyset-paged, and `text` must be empty. The queue filters below are honoured
  // only with kNextDeadline (the ListCases use case refuses them otherwise; CountCases ignores
  // them).
  CaseOrder order = CaseOrder::kNewest;
  bool active_only = false;                // status new, open, pending or on_hold
  bool unassigned_only = false;            // no assignee (the shared triage queue)
  std::vector<core::GroupId> group_ids;    // in any of these groups (empty: no condition)
  std::vector<core::CaseStatus> statuses;  // any of these statuses (empty: no condition)
  std::optional<absl::Time> due_before;    // next SLA deadline before this instant
};

struct OrgFilter {
  // When set, only these organisations (a caller's visible set); unset means all.
  std::optional<std::vector<core::OrgId>> only_ids;
  std::optional<core::OrgId> parent_id;
  std::optional<core::OrgKind> kind;
  PageRequest page;  // by id ascending
};

struct UserFilter {
  std::optional<std::vector<core::OrgId>> only_org_ids;
  std::optional<core::OrgId> org_id;
  std::optional<core::Role> role;
  PageRequest page;  // by id ascending
};

struct SearchQuery {
  std::string text;  // user's words; the store quotes them, no query syntax is exposed
  core::CaseScope scope;
  bool include_internal = false;  // match internal notes too (provider staff only)
  PageRequest page;
};

struct SearchHit {
  core::CaseNumber case_number = 0;
  std::string subject;
  std::string snippet;     // plain text around the match
  std::string matched_in;  // "subject", "description", "comment", "internal_note"
};

// A case and what its clocks are computed from (StoreTransaction::GetCaseWithHistory).
struct CaseWithHistory {
  core::Case record;
  core::Organisation org;
  std::vector<core::AuditEvent> events;  // oldest first
};

class StoreTransaction {
 public:
  virtual ~StoreTransaction() = default;

  // Organisations.
  virtual absl::StatusOr<core::OrgId> InsertOrganisation(const core::Organisation& org) = 0;
  virtual absl::StatusOr<core::Organisation> GetOrganisation(core::OrgId id) = 0;
  virtual absl::Status UpdateOrganisation(const core::Organisation& org) = 0;
  virtual absl::StatusOr<Page<core::Organisation>> ListOrganisations(const OrgFilter& filter) = 0;
  virtual absl::StatusOr<std::vector<core::OrgId>> ListChildOrganisationIds(core::OrgId parent) = 0;
  virtual absl::StatusOr<std::optional<core::Organisation>> FindProvider() = 0;

  // People. Emails are unique (AlreadyExists on a duplicate).
  virtual absl::StatusOr<core::UserId> InsertUser(const core::User& user) = 0;
  virtual absl::StatusOr<core::User> GetUser(core::UserId id) = 0;
  virtual absl::StatusOr<core::User> FindUserByEmail(std::string_view normalised_email) = 0;
  virtual absl::Status UpdateUser(const core::User& user) = 0;
  virtual absl::StatusOr<Page<core::User>> ListUsers(const UserFilter& filter) = 0;

  // API tokens, looked up by the digest of the secret.
  virtual absl::StatusOr<core::TokenId> InsertApiToken(const core::ApiToken& token) = 0;
  virtual absl::StatusOr<core::ApiToken> FindApiTokenByDigest(std::string_view digest) = 0;
  virtual absl::StatusOr<core::ApiToken> GetApiToken(core::TokenId id) = 0;
  // A user's tokens, newest first, revoked ones included.
  virtual absl::StatusOr<std::vector<core::ApiToken>> ListApiTokens(core::UserId user_id) = 0;
  // Sets revoked_at (NotFound for an unknown id; revoking twice keeps the first time).
  virtual absl::Status RevokeApiToken(core::TokenId id, absl::Time at) = 0;

  // Groups.
  virtual absl::StatusOr<core::GroupId> InsertGroup(const core::Group& group) = 0;
  virtual absl::StatusOr<core::Group> GetGroup(core::GroupId id) = 0;
  virtual absl::Status UpdateGroup(const core::Group& group) = 0;
  virtual absl::StatusOr<Page<core::Group>> ListGroups(const PageRequest& page) = 0;

  // Support plans, keyed by name.
  virtual absl::Status UpsertPlan(const core::SupportPlan& plan) = 0;
  virtual absl::StatusOr<core::SupportPlan> GetPlan(std::string_view name) = 0;
  virtual absl::StatusOr<std::vector<core::SupportPlan>> ListPlans() = 0;

  // Cases. Numbers come from a monotonic sequence and are never reused (gaps are allowed).
  virtual absl::StatusOr<core::CaseNumber> NextCaseNumber() = 0;
  virtual absl::Status InsertCase(const core::Case& c) = 0;
  // InsertCase with the case's queue deadline (SetCaseNextDeadline below) written in the same
  // row: a case opened with its clocks already computed then needs no second version of its
  // row. This default writes it separately.
  virtual absl::Status InsertCaseWithDeadline(const core::Case& c,
                                              std::optional<absl::Time> next_deadline) {
    if (absl::Status inserted = InsertCase(c); !inserted.ok()) return inserted;
    return next_deadline ? SetCaseNextDeadline(c.number, next_deadline) : absl::OkStatus();
  }
  virtual absl::StatusOr<core::Case> GetCase(core::CaseNumber number) = 0;
  // A case with its organisation and its whole history (oldest first): what showing the case
  // with its SLA clocks reads. NotFound when there is no such case. This default reads them
  // one after another; a store that pays a round trip per statement sends them together.
  virtual absl::StatusOr<CaseWithHistory> GetCaseWithHistory(core::CaseNumber number);
  virtual absl::Status UpdateCase(const core::Case& c) = 0;
  virtual absl::StatusOr<Page<core::Case>> ListCases(const CaseFilter& filter) = 0;
  virtual absl::StatusOr<int64_t> CountCases(const CaseFilter& filter) = 0;

  // Conversation; comments oldest first.
  virtual absl::StatusOr<core::CommentId> InsertComment(const core::Comment& comment) = 0;
  virtual absl::StatusOr<Page<core::Comment>> ListComments(core::CaseNumber number,
                                                           bool include_internal,
                                                           const PageRequest& page) = 0;

  virtual absl::Status InsertAttachment(const core::Attachment& attachment) = 0;
  virtual absl::StatusOr<core::Attachment> GetAttachment(std::string_view id) = 0;
  virtual absl::StatusOr<std::vector<core::Attachment>> ListAttachments(
      core::CaseNumber number) = 0;
  // Links uploaded attachments to the comment that carries them.
  virtual absl::Status AttachToComment(std::string_view attachment_id,
                                       core::CommentId comment_id) = 0;

  // Audit trail, oldest first.
  virtual absl::StatusOr<core::EventId> AppendEvent(const core::AuditEvent& event) = 0;
  // AppendEvent for a caller that does not need the new event's id, so a store may send the
  // write along with the unit's next statement. The default is AppendEvent.
  virtual absl::Status RecordEvent(const core::AuditEvent& event) {
    return AppendEvent(event).status();
  }
  virtual absl::StatusOr<Page<core::AuditEvent>> ListCaseEvents(core::CaseNumber number,
                                                                const PageRequest& page) = 0;
  // Events about one entity ("organisation", "user", "group", "plan", "token", ...), oldest
  // first.
  virtual absl::StatusOr<Page<core::AuditEvent>> ListEntityEvents(std::string_view entity,
                                                                  std::string_view entity_id,
                                                                  const PageRequest& page) = 0;

  // Full-text search over what the scope may see.
  virtual absl::StatusOr<Page<SearchHit>> Search(const SearchQuery& query) = 0;

  // Small configuration documents (severity definitions, calendars, SLA and escalation
  // policies, on-call schedules), JSON text by key.
  virtual absl::StatusOr<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  virtual absl::Status PutSetting(std::string_view key, std::string_view value) = 0;
  // NotFound when there is no such key.
  virtual absl::Status DeleteSetting(std::string_view key) = 0;
  // (key, value) of every setting whose key starts with `prefix`, by key.
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>> ListSettings(
      std::string_view prefix) = 0;

  // Timers. ArmTimer inserts the key (as fired when `fired_at` is set), or moves its due
  // instant while it has not fired; a fired key is left alone (it never fires again).
  virtual absl::Status ArmTimer(const Timer& timer) = 0;
  // Removes the case's unfired timers whose key starts with `key_prefix` and is not in
  // `keep_keys` (deadlines that no longer exist after a change).
  virtual absl::Status DisarmTimersExcept(core::CaseNumber number, std::string_view key_prefix,
                                          const std::vector<std::string>& keep_keys) = 0;
  // A case's whole set of timers under `key_prefix`: ArmTimer of each of `timers` (all of case
  // `number`, keys under the prefix), then DisarmTimersExcept of their keys. The default does
  // exactly that; a store may do it in one statement.
  virtual absl::Status ArmCaseTimers(core::CaseNumber number, std::string_view key_prefix,
                                     const std::vector<Timer>& timers);
  // ArmCaseTimers for a case known to have no timers yet (one just opened), so a store need not
  // look for timers to replace or disarm. The default is ArmCaseTimers.
  virtual absl::Status ArmNewCaseTimers(core::CaseNumber number, std::string_view key_prefix,
                                        const std::vector<Timer>& timers) {
    return ArmCaseTimers(number, key_prefix, timers);
  }
  // Unfired timers due at or before `now`, earliest first.
  virtual absl::StatusOr<std::vector<Timer>> ListDueTimers(absl::Time now, int limit) = 0;
  // The earliest unfired due instant, if any.
  virtual absl::StatusOr<std::optional<absl::Time>> NextTimerDue() = 0;
  // Marks the timer fired; false when it had already fired or does not exist (another node or
  // an earlier run got there first), so the caller does nothing.
  virtual absl::StatusOr<bool> MarkTimerFired(core::CaseNumber number, std::string_view key,
                                              absl::Time at) = 0;
  // A case's timers, fired ones included, by due instant then key.
  virtual absl::StatusOr<std::vector<Timer>> ListCaseTimers(core::CaseNumber number) = 0;
  virtual absl::StatusOr<int64_t> CountUnfiredTimers() = 0;

  // Outbox.
  virtual absl::StatusOr<int64_t> InsertNotification(const Notification& notification) = 0;
  // InsertNotification for a caller that needs no id back and whose Message-ID is random (so
  // it cannot already exist: a clash fails the unit). A store may send it without waiting.
  virtual absl::Status RecordNotification(const Notification& notification) {
    return InsertNotification(notification).status();
  }
  // A case's notifications, oldest first.
  virtual absl::StatusOr<std::vector<Notification>> ListCaseNotifications(
      core::CaseNumber number) = 0;
  // Unsent notifications that are not given up, oldest first.
  virtual absl::StatusOr<std::vector<Notification>> ListUnsentNotifications(int limit) = 0;
  // The same rows one keyset page at a time: ids greater than `after_id` (0: from the oldest).
  virtual absl::StatusOr<std::vector<Notification>> ListPendingNotifications(int64_t after_id,
                                                                             int limit) = 0;
  // Given-up notifications (failed_at set, never sent), newest first by id; keyset: ids less
  // than `before_id` (0: from the newest).
  virtual absl::StatusOr<std::vector<Notification>> ListFailedNotifications(int64_t before_id,
                                                                            int limit) = 0;
  // Claims up to `limit` notifications due for delivery at `now` (unsent, not given up,
  // next_attempt_at unset or <= now, no lease or an expired one), oldest first, by setting
  // claimed_until = lease_until. Two senders (two nodes) never claim the same row at once.
  virtual absl::StatusOr<std::vector<Notification>> ClaimNotifications(absl::Time now,
                                                                       absl::Time lease_until,
                                                                       int limit) = 0;
  // Records a delivery attempt and releases the lease: sent when `error` is empty; otherwise
  // attempts+1 and last_error, then retried at `retry_at`, or given up (failed_at = at) when
  // `retry_at` is unset. NotFound for an unknown id.
  virtual absl::Status RecordNotificationAttempt(int64_t id, absl::Time at, std::string_view error,
                                                 std::optional<absl::Time> retry_at) = 0;
  // Queues a given-up notification again: clears failed_at and claimed_until and sets
  // next_attempt_at = at; attempts and last_error are kept. NotFound for an unknown id;
  // FailedPrecondition unless the row is given up (unsent with failed_at set).
  virtual absl::Status RequeueNotification(int64_t id, absl::Time at) = 0;
  virtual absl::StatusOr<Notification> GetNotification(int64_t id) = 0;
  // Counts for /metrics and the admin page: unsent (not given up) and given up.
  virtual absl::StatusOr<std::pair<int64_t, int64_t>> CountPendingAndFailedNotifications() = 0;

  // Inbound mail: one row per message received, whatever became of it.
  virtual absl::StatusOr<int64_t> InsertInboundMail(const InboundMail& mail) = 0;
  virtual absl::StatusOr<InboundMail> GetInboundMail(int64_t id) = 0;
  virtual absl::Status UpdateInboundMail(const InboundMail& mail) = 0;
  // Newest first.
  virtual absl::StatusOr<std::vector<InboundMail>> ListInboundMail(
      const InboundMailFilter& filter) = 0;
  // The earliest row with this Message-ID that is not kDuplicate/kFailed (a message delivered
  // twice is recognised), if any.
  virtual absl::StatusOr<std::optional<InboundMail>> FindInboundMailByMessageId(
      std::string_view message_id) = 0;

  // Threading: Message-IDs (without brackets) of mail sent or received about a case. Recording
  // an id twice keeps the first case.
  virtual absl::Status RecordMailThread(std::string_view message_id, core::CaseNumber number) = 0;
  // The case of the first of `message_ids` that is known (callers pass In-Reply-To first, then
  // References newest first).
  virtual absl::StatusOr<std::optional<core::CaseNumber>> FindCaseByMessageIds(
      const std::vector<std::string>& message_ids) = 0;

  // Per-address mail state (normalised addresses).
  virtual absl::StatusOr<std::optional<MailAddressState>> GetMailAddressState(
      std::string_view address) = 0;
  virtual absl::Status PutMailAddressState(const MailAddressState& state) = 0;

  // SLA summaries, one per case.
  virtual absl::Status UpsertCaseSla(const CaseSlaRecord& record) = 0;
  // UpsertCaseSla for a case known to have no summary yet (one just opened), so a store need
  // not look for an existing one first. The default is UpsertCaseSla.
  virtual absl::Status InsertNewCaseSla(const CaseSlaRecord& record) {
    return UpsertCaseSla(record);
  }
  // By case number ascending, created within the filter's period.
  virtual absl::StatusOr<std::vector<CaseSlaRecord>> ListCaseSla(const CaseSlaFilter& filter) = 0;

  // Priority-abuse flags.
  virtual absl::StatusOr<int64_t> InsertSeverityFlag(const SeverityFlag& flag) = 0;
  virtual absl::StatusOr<std::vector<SeverityFlag>> ListCaseSeverityFlags(
      core::CaseNumber number) = 0;
  // Flags per (organisation, requester) raised in [from, to), most flagged first; with `org`,
  // that organisation's only.
  virtual absl::StatusOr<std::vector<SeverityFlagCount>> CountSeverityFlags(
      absl::Time from, absl::Time to, std::optional<core::OrgId> org) = 0;

  // Status page components (groups are components with is_group). Names are unique among
  // groups, and among the components of one group (AlreadyExists otherwise).
  virtual absl::StatusOr<core::ComponentId> InsertStatusComponent(
      const core::StatusComponent& component) = 0;
  virtual absl::StatusOr<core::StatusComponent> GetStatusComponent(core::ComponentId id) = 0;
  virtual absl::Status UpdateStatusComponent(const core::StatusComponent& component) = 0;
  // Every component and group, by (position, id).
  virtual absl::StatusOr<std::vector<core::StatusComponent>> ListStatusComponents() = 0;
  // Components' status history, appended whenever a status changes (and at creation).
  virtual absl::Status AppendComponentStatusChange(const core::ComponentStatusChange& change) = 0;
  // For each component: its last change before `since` (if any) and every change from `since`
  // on; ordered by (component_id, at, insertion).
  virtual absl::StatusOr<std::vector<core::ComponentStatusChange>> ListComponentStatusChanges(
      absl::Time since) = 0;

  // Incidents and maintenance with their updates. Inserting ignores `updates`; Get and List load
  // them newest first (by display_at, then id).
  virtual absl::StatusOr<core::IncidentId> InsertIncident(const core::Incident& incident) = 0;
  virtual absl::StatusOr<core::Incident> GetIncident(core::IncidentId id) = 0;
  // Optimistic: writes only when the stored updated_at still equals `expected_updated_at`
  // (microseconds), so two nodes cannot both apply a transition; false when it changed.
  virtual absl::StatusOr<bool> UpdateIncident(const core::Incident& incident,
                                              absl::Time expected_updated_at) = 0;
  virtual absl::StatusOr<int64_t> InsertIncidentUpdate(const core::IncidentUpdate& update) = 0;
  // Newest first by id.
  virtual absl::StatusOr<std::vector<core::Incident>> ListIncidents(
      const IncidentFilter& filter) = 0;
  // Open automatic maintenance with a transition due at `now` (core::DueMaintenanceTransition),
  // earliest edge first.
  virtual absl::StatusOr<std::vector<core::Incident>> ListDueMaintenance(absl::Time now,
                                                                         int limit) = 0;
  // The earliest edge of any open automatic maintenance (core::NextMaintenanceEdge).
  virtual absl::StatusOr<std::optional<absl::Time>> NextMaintenanceEdge() = 0;

  // Cases linked to incidents. Linking twice is harmless; unknown ids are NotFound.
  virtual absl::Status LinkCaseToIncident(core::IncidentId incident, core::CaseNumber number,
                                          absl::Time at) = 0;
  virtual absl::Status UnlinkCaseFromIncident(core::IncidentId incident,
                                              core::CaseNumber number) = 0;
  virtual absl::StatusOr<std::vector<core::CaseNumber>> ListIncidentCases(
      core::IncidentId incident) = 0;
  virtual absl::StatusOr<std::vector<core::IncidentId>> ListCaseIncidents(
      core::CaseNumber number) = 0;

  // Status subscribers. (kind, address) is unique among rows without a user, user_id among
  // rows with one (AlreadyExists otherwise).
  virtual absl::StatusOr<int64_t> InsertStatusSubscriber(const StatusSubscriber& subscriber) = 0;
  virtual absl::StatusOr<StatusSubscriber> GetStatusSubscriber(int64_t id) = 0;
  virtual absl::Status UpdateStatusSubscriber(const StatusSubscriber& subscriber) = 0;
  virtual absl::StatusOr<std::optional<StatusSubscriber>> FindUserStatusSubscription(
      core::UserId user_id) = 0;
  virtual absl::StatusOr<std::optional<StatusSubscriber>> FindStatusSubscriberByAddress(
      SubscriberKind kind, std::string_view address) = 0;
  // Rows with an id above `after_id`, ascending, at most `limit`; users' rows when
  // `users` is true, visitors' and webhooks' otherwise.
  virtual absl::StatusOr<std::vector<StatusSubscriber>> ListStatusSubscribers(bool users,
                                                                              int64_t after_id,
                                                                              int limit) = 0;
  // Active users with a verified address and an id above `after_id`, ascending.
  virtual absl::StatusOr<std::vector<core::User>> ListVerifiedUsers(core::UserId after_id,
                                                                    int limit) = 0;

  // Notice fan-out jobs.
  virtual absl::StatusOr<int64_t> InsertStatusNotice(const StatusNotice& notice) = 0;
  // The oldest unfinished notice whose lease is free at `now`, leased until `lease_until`
  // (FOR UPDATE SKIP LOCKED on PostgreSQL); nothing when none is.
  virtual absl::StatusOr<std::optional<StatusNotice>> ClaimStatusNotice(absl::Time now,
                                                                        absl::Time lease_until) = 0;
  // Writes the cursors, done_at and claimed_until.
  virtual absl::Status UpdateStatusNotice(const StatusNotice& notice) = 0;

  // Web sign-in sessions, by the digest of the cookie's token.
  virtual absl::Status InsertWebSession(const core::WebSession& session) = 0;
  // Nothing for an unknown digest (expiry is the caller's decision).
  virtual absl::StatusOr<std::optional<core::WebSession>> FindWebSession(
      std::string_view digest) = 0;
  // Records use: last_seen_at.
  virtual absl::Status TouchWebSession(std::string_view digest, absl::Time at) = 0;
  // Deleting an unknown session is harmless.
  virtual absl::Status DeleteWebSession(std::string_view digest) = 0;
  // Every session of a user (signing out everywhere, a password change, a deactivation).
  virtual absl::Status DeleteUserWebSessions(core::UserId user_id) = 0;
  // Sessions whose expires_at is at or before `now`; returns how many were deleted.
  virtual absl::StatusOr<int64_t> DeleteExpiredWebSessions(absl::Time now) = 0;

  // Attachment and raw-mail bytes (ports::BlobStore keeps them here), by the lower-case hex
  // SHA-256 of their content. Storing a digest that is already stored changes nothing.
  virtual absl::Status PutBlob(std::string_view digest, std::string_view content) = 0;
  // Nothing for an unknown digest.
  virtual absl::StatusOr<std::optional<std::string>> GetBlob(std::string_view digest) = 0;

  // Leases on work only one node should do at a time (polling one mailbox): `holder` gets
  // `name` until `until` when nobody holds it, the lease has run out at `now`, or `holder`
  // already holds it (a renewal); says whether it did.
  virtual absl::StatusOr<bool> ClaimLease(std::string_view name, std::string_view holder,
                                          absl::Time now, absl::Time until) = 0;
  // Gives the lease up when `holder` holds it (a node stopping); otherwise changes nothing.
  virtual absl::Status ReleaseLease(std::string_view name, std::string_view holder) = 0;

  // Throttles (sign-in failures, account-mail requests): one row per counted hit, by an opaque
  // key (a digest naming the throttle and the address), shared by every node on the store.
  // Hits at or after `since`.
  virtual absl::StatusOr<int> CountThrottleHits(std::string_view key, absl::Time since) = 0;
  // Counts the hit at `at` when fewer than `max_hits` were counted at or after `since`, and
  // says whether it did; concurrent admissions for one key (other nodes) are serialised, so
  // the limit holds across nodes.
  virtual absl::StatusOr<bool> AdmitThrottleHit(std::string_view key, absl::Time at,
                                                absl::Time since, int max_hits) = 0;
  // Forgets a key's hits (a successful sign-in).
  virtual absl::Status ClearThrottleHits(std::string_view key) = 0;
  // Hits before `before`, of every key; returns how many were deleted.
  virtual absl::StatusOr<int64_t> DeleteThrottleHitsBefore(absl::Time before) = 0;

  // Customer accounts (sign-up, verification, password reset, invitations): single-use links,
  // by the SHA-256 digest of the link's token (AlreadyExists for a duplicate digest).
  virtual absl::Status InsertAccountToken(const AccountToken& token) = 0;
  // Nothing for an unknown digest (expiry and use are the caller's decision).
  virtual absl::StatusOr<std::optional<AccountToken>> FindAccountToken(std::string_view digest) = 0;
  // Sets used_at when the token is still unused; false when it was used already or is unknown
  // (the claim that makes a link single-use, also under concurrent use).
  virtual absl::StatusOr<bool> UseAccountToken(std::string_view digest, absl::Time at) = 0;
  // Sets used_at on every unused token of the user (a new password makes older links void).
  virtual absl::Status UseUserAccountTokens(core::UserId user_id, absl::Time at) = 0;
  // Tokens whose expires_at is at or before `now`; returns how many were deleted.
  virtual absl::StatusOr<int64_t> DeleteExpiredAccountTokens(absl::Time now) = 0;

  // Staff console queues (issue 5). The case's next SLA deadline, the key of
  // CaseOrder::kNextDeadline: written by the SLA engine in every unit of work that refreshes the
  // case's clocks (nullopt: no running clock has a due instant). NotFound for an unknown case.
  virtual absl::Status SetCaseNextDeadline(core::CaseNumber number,
                                           std::optional<absl::Time> due_at) = 0;
  // The stored next deadline (nullopt when none).
  virtual absl::StatusOr<std::optional<absl::Time>> GetCaseNextDeadline(
      core::CaseNumber number) = 0;

  // Bulk SLA recomputation (issue 3): what the clocks of a range of cases are computed from and
  // what they keep in the store, read with one query each instead of a few per case.
  // The cases numbered first..last that are not solved or closed, by number.
  virtual absl::StatusOr<std::vector<CaseClockInputs>> ListCaseClockInputs(
      core::CaseNumber first, core::CaseNumber last) = 0;
  // The audit events of the cases numbered first..last whose kind is one of `kinds`, by case
  // number, then oldest first.
  virtual absl::StatusOr<std::vector<core::AuditEvent>> ListEventsOfCases(
      core::CaseNumber first, core::CaseNumber last, const std::vector<std::string>& kinds) = 0;
  // The unfired timers of the cases numbered first..last whose key starts with `key_prefix`,
  // by case number, then key.
  virtual absl::StatusOr<std::vector<Timer>> ListUnfiredTimersOfCases(
      core::CaseNumber first, core::CaseNumber last, std::string_view key_prefix) = 0;
  // SetCaseNextDeadline for many cases in one statement (case number -> deadline, nullopt for
  // none); numbers of cases that do not exist are ignored.
  virtual absl::Status SetCaseNextDeadlines(
      const std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>>& deadlines) = 0;

  // Time entries and contract-hours packages (issue 7). InsertTimeEntry writes the entry (its
  // `period` and `day` set by the caller) and adds its minutes to the (org, kind, period) and
  // (org, kind, day) usage rows in the same statement sequence; the period row is updated
  // atomically (a row lock on PostgreSQL), so the usage returned counts every entry committed
  // before and this one, also under concurrent writers. InvalidArgument for an empty period/day.
  virtual absl::StatusOr<TimeEntryWrite> InsertTimeEntry(const core::TimeEntry& entry) = 0;
  // A case's entries by worked_at then id, at most `limit`.
  virtual absl::StatusOr<std::vector<core::TimeEntry>> ListCaseTimeEntries(core::CaseNumber number,
                                                                           int limit) = 0;
  // An organisation's entries in one period (case work and account work) by worked_at then id,
  // at most `limit`.
  virtual absl::StatusOr<std::vector<core::TimeEntry>> ListOrgTimeEntries(core::OrgId org_id,
                                                                          std::string_view period,
                                                                          int limit) = 0;
  // The organisation's usage rows of every period from `from_period` on, by kind then period.
  virtual absl::StatusOr<std::vector<HoursUsage>> ListHoursUsage(core::OrgId org_id,
                                                                 std::string_view from_period) = 0;
  // Daily usage rows of one kind within one period, by day.
  virtual absl::StatusOr<std::vector<HoursUsage>> ListHoursDailyUsage(core::OrgId org_id,
                                                                      core::HoursKind kind,
                                                                      std::string_view period) = 0;
  // The organisation's own packages; nothing when it uses its plan's defaults.
  virtual absl::StatusOr<std::optional<OrgHoursPackages>> GetOrgHoursPackages(
      core::OrgId org_id) = 0;
  // Replaces the organisation's own packages (NotFound for an unknown organisation).
  virtual absl::Status PutOrgHoursPackages(const OrgHoursPackages& packages) = 0;
  // Records that `threshold` (percent) was alerted for (org, kind, period); false when it was
  // already (the claim that makes each threshold's alert go out once per period).
  virtual absl::StatusOr<bool> ClaimHoursAlert(core::OrgId org_id, core::HoursKind kind,
                                               std::string_view period, int threshold,
                                               absl::Time at) = 0;
  // The thresholds alerted for (org, kind, period), ascending.
  virtual absl::StatusOr<std::vector<int>> ListHoursAlerts(core::OrgId org_id, core::HoursKind kind,
                                                           std::string_view period) = 0;

  // Knowledge base (issue 7): categories, sections, articles with their versions, full-text
  // search over published articles, "was this helpful" votes and deflection counts.
  virtual absl::StatusOr<core::KbCategoryId> InsertKbCategory(const core::KbCategory& category) = 0;
  // By (position, id).
  virtual absl::StatusOr<std::vector<core::KbCategory>> ListKbCategories() = 0;
  // InvalidArgument when the category does not exist.
  virtual absl::StatusOr<core::KbSectionId> InsertKbSection(const core::KbSection& section) = 0;
  // Every section, by (category_id, position, id).
  virtual absl::StatusOr<std::vector<core::KbSection>> ListKbSections() = 0;
  // Inserts the article (its id is assigned) and nothing else; versions are inserted apart.
  virtual absl::StatusOr<core::KbArticleId> InsertKbArticle(const core::KbArticle& article) = 0;
  // NotFound for an unknown id.
  virtual absl::StatusOr<core::KbArticle> GetKbArticle(core::KbArticleId id) = 0;
  // Writes every field but the counters (votes and deflections) and re-indexes the published
  // title and text for search. NotFound for an unknown id.
  virtual absl::Status UpdateKbArticle(const core::KbArticle& article) = 0;
  // By id ascending from filter.after_id.
  virtual absl::StatusOr<std::vector<core::KbArticle>> ListKbArticles(
      const KbArticleFilter& filter) = 0;
  // AlreadyExists for a duplicate (article_id, number).
  virtual absl::Status InsertKbVersion(const core::KbVersion& version) = 0;
  // NotFound when there is no such version.
  virtual absl::StatusOr<core::KbVersion> GetKbVersion(core::KbArticleId article_id,
                                                       int number) = 0;
  // Newest first.
  virtual absl::StatusOr<std::vector<core::KbVersion>> ListKbVersions(
      core::KbArticleId article_id) = 0;
  // Published articles of the query's visibilities whose title and text match every word, best
  // match first.
  virtual absl::StatusOr<std::vector<KbSearchHit>> SearchKbArticles(const KbSearchQuery& query) = 0;
  // Counts a vote. A signed-in voter (user_id set) has one vote per article, which a later vote
  // replaces; anonymous votes are each counted. Returns the article's counts after the vote.
  // NotFound for an unknown article.
  virtual absl::StatusOr<KbVoteCounts> RecordKbVote(core::KbArticleId article_id,
                                                    std::optional<core::UserId> user_id,
                                                    bool helpful, absl::Time at) = 0;
  // Adds one to the article's deflections (a case that was not opened). NotFound when unknown.
  virtual absl::Status AddKbDeflection(core::KbArticleId article_id) = 0;

  // Engineering links and problems (issue 7). Provider-staff records; the app layer decides
  // who may read them. InsertEngineeringLink assigns the id; AlreadyExists when the case already
  // links (tracker, issue_key). Several cases may link the same key.
  virtual absl::StatusOr<core::EngineeringLinkId> InsertEngineeringLink(
      const core::EngineeringLink& link) = 0;
  // NotFound for an unknown id.
  virtual absl::StatusOr<core::EngineeringLink> GetEngineeringLink(core::EngineeringLinkId id) = 0;
  // Writes url, state, title, pending_update, updated_by and updated_at. NotFound when unknown.
  virtual absl::Status UpdateEngineeringLink(const core::EngineeringLink& link) = 0;
  // A case's links by id.
  virtual absl::StatusOr<std::vector<core::EngineeringLink>> ListCaseEngineeringLinks(
      core::CaseNumber number) = 0;
  // Every link to (tracker, issue_key), by case number, at most `limit`.
  virtual absl::StatusOr<std::vector<core::EngineeringLink>> ListEngineeringLinksByKey(
      std::string_view tracker, std::string_view issue_key, int limit) = 0;
  // Assigns the id; case_count is ignored.
  virtual absl::StatusOr<core::ProblemId> InsertProblem(const core::Problem& problem) = 0;
  // With its case_count. NotFound for an unknown id.
  virtual absl::StatusOr<core::Problem> GetProblem(core::ProblemId id) = 0;
  // Writes title, status, component, root_cause, updated_at, resolved_at. NotFound when unknown.
  virtual absl::Status UpdateProblem(const core::Problem& problem) = 0;
  // Newest first, with their case_count.
  virtual absl::StatusOr<std::vector<core::Problem>> ListProblems(const ProblemFilter& filter) = 0;
  // Links a case; false when it was linked already. InvalidArgument for an unknown problem or case.
  virtual absl::StatusOr<bool> LinkProblemCase(core::ProblemId problem_id, core::CaseNumber number,
                                               core::UserId by, absl::Time at) = 0;
  // False when it was not linked.
  virtual absl::StatusOr<bool> UnlinkProblemCase(core::ProblemId problem_id,
                                                 core::CaseNumber number) = 0;
  // A problem's cases by case number descending, at most `limit`.
  virtual absl::StatusOr<std::vector<ProblemCase>> ListProblemCases(core::ProblemId problem_id,
                                                                    int limit) = 0;
  // The problems a case is linked to, by id.
  virtual absl::StatusOr<std::vector<core::Problem>> ListCaseProblems(core::CaseNumber number) = 0;
  // Cases opened (created_at) in [from, to), counted by problem, component and organisation.
  virtual absl::StatusOr<IncidentTrend> CountIncidents(absl::Time from, absl::Time to) = 0;

  // Service tasks (issue 7): the flow's record beside each service-task case. Insert:
  // AlreadyExists when the case already has one, NotFound for an unknown case.
  virtual absl::Status InsertServiceTask(const ServiceTaskRecord& task) = 0;
  // nullopt when the case is not a service task.
  virtual absl::StatusOr<std::optional<ServiceTaskRecord>> GetServiceTask(
      core::CaseNumber number) = 0;
  // Writes every field of `task` when the stored revision is `expected_revision`; kStale (and
  // nothing written) otherwise. NotFound when the case has no service task.
  virtual absl::StatusOr<ServiceTaskWrite> UpdateServiceTask(const ServiceTaskRecord& task,
                                                             int64_t expected_revision) = 0;

  // Reports and service reviews (issue 7): aggregate counts, never rows per case.
  // SLA summaries of the cases created in the range, counted per (organisation, plan, severity).
  virtual absl::StatusOr<std::vector<core::SlaCountRow>> CountSlaCompliance(
      const ReportRange& range) = 0;
  // The open backlog at query.at per (severity, age bucket); rows with no cases left out.
  virtual absl::StatusOr<std::vector<core::BacklogCountRow>> CountBacklog(
      const BacklogQuery& query) = 0;
  // Cases of partners' customers created in the range, per partner: resolved without a
  // hand-over to the provider, handed over (a provider user's public comment or an escalation
  // request, kept in case_handoffs by the store), and all of them.
  virtual absl::StatusOr<std::vector<core::PartnerResolutionRow>> CountPartnerResolution(
      const ReportRange& range) = 0;

  // Remote access requests (issue 7): structured requests on a case (remote_access_records.h).
  // Insert assigns the id; InvalidArgument for an unknown case.
  virtual absl::StatusOr<core::RemoteAccessId> InsertRemoteAccessRequest(
      const core::RemoteAccessRequest& request) = 0;
  // NotFound for an unknown id.
  virtual absl::StatusOr<core::RemoteAccessRequest> GetRemoteAccessRequest(
      core::RemoteAccessId id) = 0;
  // A case's requests, newest first (id descending), at most `limit`.
  virtual absl::StatusOr<std::vector<core::RemoteAccessRequest>> ListCaseRemoteAccessRequests(
      core::CaseNumber number, int limit) = 0;
  // Writes status, the decision and end fields, refusal_reason, credential_fields and
  // updated_at when the stored status is still `expected` (a conditional UPDATE: the claim that
  // makes each move happen once); kStale and nothing written otherwise. NotFound when unknown.
  virtual absl::StatusOr<RemoteAccessWrite> UpdateRemoteAccessRequest(
      const core::RemoteAccessRequest& request, core::RemoteAccessStatus expected) = 0;
  // Requests still stored as requested or granted whose window ended at or before `at`, by
  // window end then id, at most `limit`.
  virtual absl::StatusOr<std::vector<core::RemoteAccessRequest>> ListEndedRemoteAccessRequests(
      absl::Time at, int limit) = 0;
  // Saved queue views (issue 5): each person's named console views (core/queue_view.h).
  // Insert assigns the id; AlreadyExists when the person has a view of that name.
  virtual absl::StatusOr<core::SavedViewId> InsertSavedView(const core::SavedView& view) = 0;
  // A person's views, by name.
  virtual absl::StatusOr<std::vector<core::SavedView>> ListSavedViews(core::UserId user_id) = 0;
  // NotFound unless `user_id` has a view `id`.
  virtual absl::Status DeleteSavedView(core::UserId user_id, core::SavedViewId id) = 0;
};

// Every event of a case, oldest first, read page by page.
absl::StatusOr<std::vector<core::AuditEvent>> ListAllCaseEvents(StoreTransaction& txn,
                                                                core::CaseNumber number);

using UnitOfWork = std::function<absl::Status(StoreTransaction&)>;

// What a unit of work will ask of the store, said before it runs, so a store that runs units
// in batches can prepare for the whole batch at once. A unit may ask for more or less; hints
// only save round trips.
struct WriteHints {
  // How many case numbers the unit takes (StoreTransaction::NextCaseNumber).
  int case_numbers = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `work` in a read-write transaction and calls `done` (on a store thread) once the
  // outcome is durable. If `work` returns an error, nothing it wrote is kept and `done`
  // receives that error. Store failures arrive as Unavailable.
  virtual void Write(UnitOfWork work, std::function<void(absl::Status)> done) = 0;
  // Write, with what the unit will ask for; this default ignores the hints.
  virtual void WriteWithHints(UnitOfWork work, std::function<void(absl::Status)> done,
                              WriteHints hints) {
    (void)hints;
    Write(std::move(work), std::move(done));
  }

  // Runs `work` on the calling thread against a consistent read-only snapshot.
  virtual absl::Status Read(const UnitOfWork& work) = 0;

  // Blocking convenience over Write.
  absl::Status WriteAndWait(UnitOfWork work);

  // An online, consistent copy of the whole store to `path`.
  virtual absl::Status Backup(const std::string& path) = 0;

  // Brings the schema to the latest version. Idempotent.
  virtual absl::Status Migrate() = 0;

  // OK when the store answers queries.
  virtual absl::Status Ping() = 0;

  // Store latency figures for /metrics, Prometheus text lines.
  virtual std::string MetricsText() const { return ""; }

  // Live pages: called after each commit with the numbers of the cases its units created,
  // changed or added events to (each number once per call), and on PostgreSQL also for other
  // nodes' commits. Set once, before writes begin. The listener runs on a store thread, so it
  // must be quick and must not write to the store.
  using CaseChangeListener = std::function<void(const std::vector<core::CaseNumber>&)>;
  virtual void SetCaseChangeListener(CaseChangeListener listener) {}

  // Several nodes: tells every node's signal listener (this node's too) that `signal` happened,
  // e.g. "access" after a write changed who may do what. A no-op where one process owns the
  // store (SQLite). Best effort: caches that rely on it also expire on their own.
  virtual void BroadcastSignal(const std::string& signal) {}
  using SignalListener = std::function<void(const std::string& signal)>;
  // Set once, before serving; called on a store thread.
  virtual void SetSignalListener(SignalListener listener) {}
};

}  // namespace casedesk::ports

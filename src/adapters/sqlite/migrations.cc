#include "adapters/sqlite/migrations.h"

#include <array>
#include <string>

namespace casedesk::adapters::sqlite {
namespace {

// Times are microseconds since the Unix epoch (NULL for "unset"). Lists and maps that are only
// ever read whole live in JSON text columns; anything a query filters on has its own column or
// table with an index.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id INTEGER REFERENCES organisations(id),
  plan TEXT NOT NULL DEFAULT '',
  shares_cases INTEGER NOT NULL DEFAULT 0,
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  created_at INTEGER
);
CREATE INDEX organisations_by_parent ON organisations(parent_id, id);
CREATE INDEX organisations_by_kind ON organisations(kind, id);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  tier TEXT NOT NULL,
  skills TEXT NOT NULL DEFAULT '[]',
  verified INTEGER NOT NULL DEFAULT 0,
  org_admin INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  password_hash TEXT NOT NULL DEFAULT '',
  pin_hash TEXT NOT NULL DEFAULT '',
  created_at INTEGER
);
CREATE INDEX users_by_org ON users(org_id, id);
CREATE INDEX users_by_role ON users(role, id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  digest BLOB NOT NULL UNIQUE,
  created_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE groups (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  triage INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER
);
CREATE TABLE group_members (
  group_id INTEGER NOT NULL REFERENCES groups(id),
  position INTEGER NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (group_id, position)
) WITHOUT ROWID;

CREATE TABLE plans (
  name TEXT PRIMARY KEY,
  display_name TEXT NOT NULL,
  description TEXT NOT NULL,
  channels TEXT NOT NULL,
  partner_eligible INTEGER NOT NULL,
  after_hours_coverage INTEGER NOT NULL
) WITHOUT ROWID;

-- Case numbers come from here, never from MAX(number): a number is never handed out twice.
CREATE TABLE case_number_sequence (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  next_number INTEGER NOT NULL
);
INSERT INTO case_number_sequence (id, next_number) VALUES (1, 100001);

CREATE TABLE cases (
  number INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  requester_id INTEGER NOT NULL REFERENCES users(id),
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  severity INTEGER NOT NULL,
  proposed_severity INTEGER NOT NULL,
  severity_confirmed INTEGER NOT NULL,
  status TEXT NOT NULL,
  category TEXT NOT NULL,
  product TEXT NOT NULL,
  component TEXT NOT NULL,
  assignee_id INTEGER REFERENCES users(id),
  group_id INTEGER REFERENCES groups(id),
  partner_reference TEXT NOT NULL,
  followers TEXT NOT NULL,
  fields TEXT NOT NULL,
  sealed_secrets BLOB NOT NULL,
  created_at INTEGER,
  updated_at INTEGER,
  first_public_reply_at INTEGER,
  solved_at INTEGER,
  closed_at INTEGER
);
-- Every list filter is served by an index ending in number, so "newest first" pages walk an
-- index in order and stop after one page.
CREATE INDEX cases_by_status ON cases(status, number);
CREATE INDEX cases_by_severity ON cases(severity, number);
CREATE INDEX cases_by_org ON cases(org_id, number);
CREATE INDEX cases_by_org_status ON cases(org_id, status, number);
CREATE INDEX cases_by_requester ON cases(requester_id, number);
CREATE INDEX cases_by_assignee ON cases(assignee_id, number) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_by_group ON cases(group_id, number) WHERE group_id IS NOT NULL;
CREATE TRIGGER cases_are_never_deleted BEFORE DELETE ON cases
BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;

-- Followers are kept as JSON on the case for reading, and here for the participant scope.
CREATE TABLE case_followers (
  user_id INTEGER NOT NULL,
  case_number INTEGER NOT NULL,
  PRIMARY KEY (user_id, case_number)
) WITHOUT ROWID;

CREATE TABLE comments (
  id INTEGER PRIMARY KEY,
  case_number INTEGER NOT NULL REFERENCES cases(number),
  author_id INTEGER NOT NULL REFERENCES users(id),
  body TEXT NOT NULL,
  visibility TEXT NOT NULL,
  channel TEXT NOT NULL,
  attachment_ids TEXT NOT NULL,
  search_part INTEGER NOT NULL,
  created_at INTEGER
);
CREATE INDEX comments_by_case ON comments(case_number, id);

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  case_number INTEGER NOT NULL REFERENCES cases(number),
  comment_id INTEGER REFERENCES comments(id),
  blob_digest TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by INTEGER NOT NULL REFERENCES users(id),
  visibility TEXT NOT NULL,
  created_at INTEGER
);
CREATE INDEX attachments_by_case ON attachments(case_number);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  case_number INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  at INTEGER,
  kind TEXT NOT NULL,
  changes TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX events_by_case ON events(case_number, id);
CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per searchable part of a case. rowid = case number * 2^20 + part, where part 0 is the
-- subject, 1 the description and 2.. the comments in order, so FTS5 can walk matches newest
-- case first. Internal notes go in their own column so a column filter can exclude them.
CREATE VIRTUAL TABLE search_parts USING fts5(
  public_text, internal_text, kind UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
)sql";

// Token management lists a user's tokens; the audit trail of organisations, users, groups,
// plans and tokens is read per entity.
constexpr std::string_view kTokenAndEntityIndexes = R"sql(
CREATE INDEX api_tokens_by_user ON api_tokens(user_id, created_at, id);
CREATE INDEX events_by_entity ON events(entity, entity_id, id);
)sql";

// Every case index keyed by something other than number puts each new case on a random leaf
// page, so a commit of N cases dirties about N pages per such index and writes them all to the
// WAL: these indexes were most of the bytes written per case. cases_by_org_status goes; the
// organisation and requester indexes carry status after number instead, so "organisation (or
// requester) + status" pages still walk one index newest first and test status in the index
// entry without reading the case row. Same number of random inserts, one index fewer.
constexpr std::string_view kLeanerCaseIndexes = R"sql(
DROP INDEX cases_by_org_status;
DROP INDEX cases_by_org;
CREATE INDEX cases_by_org ON cases(org_id, number, status);
DROP INDEX cases_by_requester;
CREATE INDEX cases_by_requester ON cases(requester_id, number, status);
)sql";

// The SLA and escalation engine: case flags, durable timers (one row per (case, key), kept after
// firing so a key fires once), the outbox, per-case SLA summaries for reports, and priority-abuse
// flags. Times are microseconds since the epoch, as everywhere.
constexpr std::string_view kSlaAndEscalation = R"sql(
ALTER TABLE cases ADD COLUMN security_incident INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN escalation_tier TEXT NOT NULL DEFAULT 'none';
CREATE TABLE timers (
  case_number INTEGER NOT NULL REFERENCES cases(number),
  key TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  fired_at INTEGER,
  PRIMARY KEY (case_number, key)
) WITHOUT ROWID;
CREATE INDEX timers_due ON timers(due_at, case_number, key) WHERE fired_at IS NULL;
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number INTEGER NOT NULL,
  kind TEXT NOT NULL,
  recipient_id INTEGER NOT NULL,
  recipient_email TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_by_case ON notifications(case_number, id);
CREATE INDEX notifications_unsent ON notifications(id) WHERE sent_at IS NULL;
CREATE TABLE case_sla (
  case_number INTEGER PRIMARY KEY REFERENCES cases(number),
  org_id INTEGER NOT NULL,
  plan TEXT NOT NULL,
  severity INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  first_response_target TEXT NOT NULL,
  first_response_due_at INTEGER,
  first_response_achieved_at INTEGER,
  first_response_breached_at INTEGER,
  resolution_target TEXT NOT NULL,
  resolution_due_at INTEGER,
  resolution_achieved_at INTEGER,
  resolution_breached_at INTEGER,
  update_breaches INTEGER NOT NULL,
  first_update_breach_at INTEGER
);
CREATE INDEX case_sla_by_created ON case_sla(created_at, case_number);
CREATE TABLE severity_flags (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  case_number INTEGER NOT NULL REFERENCES cases(number),
  org_id INTEGER NOT NULL,
  requester_id INTEGER NOT NULL,
  flagged_by INTEGER NOT NULL,
  flagged_severity INTEGER NOT NULL,
  reason TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX severity_flags_by_case ON severity_flags(case_number, id);
CREATE INDEX severity_flags_by_at ON severity_flags(at);
)sql";

constexpr std::string_view kMail = R"sql(
ALTER TABLE notifications ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN in_reply_to TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN thread_references TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN from_name TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN automatic INTEGER NOT NULL DEFAULT 1;
ALTER TABLE notifications ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE notifications ADD COLUMN failed_at INTEGER;
ALTER TABLE notifications ADD COLUMN claimed_until INTEGER;
DROP INDEX notifications_unsent;
CREATE INDEX notifications_pending ON notifications(id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE UNIQUE INDEX notifications_by_message_id ON notifications(message_id) WHERE message_id <> '';
CREATE TABLE inbound_mail (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  envelope_from TEXT NOT NULL,
  envelope_to TEXT NOT NULL,
  raw_digest TEXT NOT NULL,
  raw_size INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  case_number INTEGER NOT NULL DEFAULT 0,
  comment_id INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  decided_at INTEGER,
  decided_by INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX inbound_mail_by_message_id ON inbound_mail(message_id) WHERE message_id <> '';
CREATE INDEX inbound_mail_by_status ON inbound_mail(status, id);
CREATE TABLE mail_threads (
  message_id TEXT PRIMARY KEY,
  case_number INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE mail_addresses (
  address TEXT PRIMARY KEY,
  last_notice_at INTEGER,
  bounced_at INTEGER,
  bounce_reason TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
)sql";

// The public status page: components (groups are components with is_group) and their status
// history, incidents and maintenance (component ids as a JSON list, in the order given) with
// their updates, cases linked to incidents, subscribers and the notice fan-out jobs; and the
// outbox's extra header lines (List-Unsubscribe). Names are unique among groups and among the
// components of one group; (kind, address) among subscribers without a user, user_id among
// those with one.
constexpr std::string_view kStatusPage = R"sql(
ALTER TABLE notifications ADD COLUMN extra_headers TEXT NOT NULL DEFAULT '';
CREATE TABLE status_components (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  group_id INTEGER NOT NULL DEFAULT 0,
  is_group INTEGER NOT NULL DEFAULT 0,
  position INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  only_show_if_degraded INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER,
  updated_at INTEGER
);
CREATE UNIQUE INDEX status_groups_by_name ON status_components(name) WHERE is_group <> 0;
CREATE UNIQUE INDEX status_components_by_group_name ON status_components(group_id, name)
  WHERE is_group = 0;
CREATE TABLE component_status_changes (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  component_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX component_status_changes_by_component
  ON component_status_changes(component_id, at, id);
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  impact TEXT NOT NULL,
  component_ids TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER,
  updated_at INTEGER,
  started_at INTEGER,
  monitoring_at INTEGER,
  resolved_at INTEGER,
  scheduled_for INTEGER,
  scheduled_until INTEGER,
  auto_transition INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incidents_open ON incidents(id)
  WHERE status NOT IN ('resolved', 'postmortem', 'completed');
-- The maintenance scheduler's question: the earliest edge among automatic maintenance that may
-- still move (the expression and condition are the store code's kMaintenanceEdge and
-- kMovingMaintenanceCondition, term for term: SQLite only uses an expression index, or a
-- partial one, for a query that repeats the same terms).
CREATE INDEX incidents_maintenance_edges ON incidents(
  (CASE WHEN status = 'scheduled' AND scheduled_for IS NOT NULL
     AND (scheduled_until IS NULL OR scheduled_for < scheduled_until)
     THEN scheduled_for ELSE scheduled_until END), id)
  WHERE kind = 'maintenance' AND auto_transition
    AND status IN ('scheduled', 'in_progress', 'verifying');
CREATE TABLE incident_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  status TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER,
  display_at INTEGER,
  affected_components TEXT NOT NULL DEFAULT '[]',
  author_id INTEGER NOT NULL DEFAULT 0,
  notify INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incident_updates_by_incident ON incident_updates(incident_id, display_at, id);
CREATE TABLE incident_cases (
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  case_number INTEGER NOT NULL REFERENCES cases(number),
  linked_at INTEGER,
  PRIMARY KEY (incident_id, case_number)
) WITHOUT ROWID;
CREATE INDEX incident_cases_by_case ON incident_cases(case_number, incident_id);
CREATE TABLE status_subscribers (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  address TEXT NOT NULL,
  user_id INTEGER NOT NULL DEFAULT 0,
  component_ids TEXT NOT NULL DEFAULT '[]',
  opted_out INTEGER NOT NULL DEFAULT 0,
  confirmed_at INTEGER,
  unsubscribed_at INTEGER,
  created_at INTEGER
);
CREATE UNIQUE INDEX status_subscribers_by_address ON status_subscribers(kind, address)
  WHERE user_id = 0;
CREATE UNIQUE INDEX status_subscribers_by_user ON status_subscribers(user_id) WHERE user_id <> 0;
CREATE TABLE status_notices (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  incident_id INTEGER NOT NULL REFERENCES incidents(id),
  update_id INTEGER NOT NULL,
  created_at INTEGER,
  user_cursor INTEGER NOT NULL DEFAULT 0,
  subscriber_cursor INTEGER NOT NULL DEFAULT 0,
  done_at INTEGER,
  claimed_until INTEGER
);
CREATE INDEX status_notices_pending ON status_notices(id) WHERE done_at IS NULL;
)sql";

// Web sign-in sessions, keyed by the SHA-256 digest of the cookie's token.
constexpr std::string_view kWebSessions = R"sql(
CREATE TABLE web_sessions (
  digest BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER,
  last_seen_at INTEGER,
  expires_at INTEGER NOT NULL
);
CREATE INDEX web_sessions_by_user ON web_sessions(user_id);
CREATE INDEX web_sessions_by_expiry ON web_sessions(expires_at);
)sql";

// Customer accounts' single-use links (verification, password reset, invitations), keyed by
// the SHA-256 digest of the link's token.
constexpr std::string_view kAccountTokens = R"sql(
CREATE TABLE account_tokens (
  digest BLOB PRIMARY KEY,
  purpose TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX account_tokens_by_user ON account_tokens(user_id);
CREATE INDEX account_tokens_by_expiry ON account_tokens(expires_at);
)sql";

// Staff console queues (issue 5): each case's next SLA deadline (microseconds; the largest
// integer when no running clock has one, so such cases sort last and keyset paging needs no NULL
// handling), kept by the SLA engine, and one partial index per queue over the active cases
// (and one over the held ones). The index conditions are the store code's kActiveCases and
// kHeldCases, term for term (SQLite uses a partial index only for a query that repeats them),
// and the store names the index each queue walks (INDEXED BY), so a changed schema fails loudly
// instead of quietly sorting. Existing cases start from their stored SLA summary.
constexpr std::string_view kCaseQueues = R"sql(
ALTER TABLE cases ADD COLUMN next_deadline INTEGER NOT NULL DEFAULT 9223372036854775807;
UPDATE cases SET next_deadline = COALESCE((
  SELECT min(COALESCE(CASE WHEN s.first_response_achieved_at IS NULL
                           THEN s.first_response_due_at END, 9223372036854775807),
             COALESCE(CASE WHEN s.resolution_achieved_at IS NULL
                           THEN s.resolution_due_at END, 9223372036854775807))
  FROM case_sla s WHERE s.case_number = cases.number), 9223372036854775807)
WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_queue ON cases(next_deadline, number)
  WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_queue_unassigned ON cases(next_deadline, number)
  WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_queue_by_assignee ON cases(assignee_id, next_deadline, number)
  WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_queue_by_group ON cases(group_id, next_deadline, number)
  WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_queue_by_severity ON cases(severity, next_deadline, number)
  WHERE status IN ('new', 'open', 'pending', 'on_hold');
CREATE INDEX cases_queue_held ON cases(next_deadline, number)
  WHERE status IN ('pending', 'on_hold');
)sql";

// Time entries and contract-hours packages (issue 7): the entries, usage pre-aggregated per
// (organisation, kind, period) and per local day (kept in the entry's unit of work, so reading
// an organisation's hours never scans entries), an organisation's own packages (JSON, replacing
// its plan's defaults) and the thresholds alerted per period (the claim that alerts once).
constexpr std::string_view kHoursSchema = R"sql(
CREATE TABLE time_entries (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  case_number INTEGER REFERENCES cases(number),
  author_id INTEGER NOT NULL REFERENCES users(id),
  worked_at INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  billable INTEGER NOT NULL,
  note TEXT NOT NULL,
  activity TEXT,
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  day TEXT NOT NULL,
  created_at INTEGER
);
CREATE INDEX time_entries_by_case ON time_entries(case_number, worked_at, id)
  WHERE case_number IS NOT NULL;
CREATE INDEX time_entries_by_org_period ON time_entries(org_id, period, worked_at, id);
CREATE TABLE hours_usage (
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  billable_minutes INTEGER NOT NULL,
  other_minutes INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  PRIMARY KEY (org_id, kind, period)
) WITHOUT ROWID;
CREATE TABLE hours_usage_daily (
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL,
  day TEXT NOT NULL,
  billable_minutes INTEGER NOT NULL,
  other_minutes INTEGER NOT NULL,
  entries INTEGER NOT NULL,
  PRIMARY KEY (org_id, kind, day)
) WITHOUT ROWID;
CREATE TABLE hours_packages (
  org_id INTEGER PRIMARY KEY REFERENCES organisations(id),
  packages TEXT NOT NULL,
  starts_period TEXT NOT NULL,
  updated_at INTEGER,
  updated_by INTEGER NOT NULL
);
CREATE TABLE hours_alerts (
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  kind TEXT NOT NULL,
  period TEXT NOT NULL,
  threshold INTEGER NOT NULL,
  alerted_at INTEGER,
  PRIMARY KEY (org_id, kind, period, threshold)
) WITHOUT ROWID;
)sql";

// Knowledge base (issue 7): categories -> sections -> articles, every saved version of an
// article (Markdown source, rendered HTML, plain text), one helpful vote per signed-in user and
// article, and an FTS5 index over the published title and text only. The index reads its text
// from kb_articles (external content) and is kept by triggers, so a draft is never searchable
// and a withdrawn article leaves the index in the same statement. The visibility is indexed
// too, so search applies the reader's visibilities inside the MATCH and never joins a row it
// will not show. Titles weigh ten times the body in the ranking. Suggestions while a subject
// is typed match titles only, in a second index of titles (kb_titles, with prefix indexes),
// whose lists are a few dozen times shorter than those of the title and text together.
constexpr std::string_view kKnowledgeBase = R"sql(
CREATE TABLE kb_categories (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER
);
CREATE TABLE kb_sections (
  id INTEGER PRIMARY KEY,
  category_id INTEGER NOT NULL REFERENCES kb_categories(id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER
);
CREATE INDEX kb_sections_by_category ON kb_sections(category_id, position, id);
CREATE TABLE kb_articles (
  id INTEGER PRIMARY KEY,
  section_id INTEGER REFERENCES kb_sections(id),
  title TEXT NOT NULL,
  visibility TEXT NOT NULL,
  status TEXT NOT NULL,
  latest_version INTEGER NOT NULL,
  published_version INTEGER,
  published_title TEXT NOT NULL DEFAULT '',
  published_text TEXT NOT NULL DEFAULT '',
  source_case INTEGER REFERENCES cases(number),
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER,
  updated_at INTEGER,
  published_at INTEGER,
  helpful_yes INTEGER NOT NULL DEFAULT 0,
  helpful_no INTEGER NOT NULL DEFAULT 0,
  deflections INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX kb_articles_by_section ON kb_articles(section_id, id);
CREATE INDEX kb_articles_by_case ON kb_articles(source_case) WHERE source_case IS NOT NULL;
CREATE TABLE kb_versions (
  article_id INTEGER NOT NULL REFERENCES kb_articles(id),
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  body_html TEXT NOT NULL,
  body_text TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER,
  PRIMARY KEY (article_id, number)
);
CREATE TABLE kb_votes (
  article_id INTEGER NOT NULL REFERENCES kb_articles(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  helpful INTEGER NOT NULL,
  voted_at INTEGER,
  PRIMARY KEY (article_id, user_id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE kb_search USING fts5(
  published_title, published_text, visibility,
  content = 'kb_articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO kb_search (kb_search, rank) VALUES ('rank', 'bm25(10.0, 1.0, 0.0)');
CREATE VIRTUAL TABLE kb_titles USING fts5(
  published_title, visibility,
  content = 'kb_articles', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4 5 6'
);
INSERT INTO kb_titles (kb_titles, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
CREATE TRIGGER kb_articles_indexed AFTER INSERT ON kb_articles WHEN NEW.status = 'published'
BEGIN
  INSERT INTO kb_search (rowid, published_title, published_text, visibility)
  VALUES (NEW.id, NEW.published_title, NEW.published_text, NEW.visibility);
  INSERT INTO kb_titles (rowid, published_title, visibility)
  VALUES (NEW.id, NEW.published_title, NEW.visibility);
END;
CREATE TRIGGER kb_articles_reindexed
AFTER UPDATE OF status, published_title, published_text, visibility ON kb_articles
BEGIN
  INSERT INTO kb_search (kb_search, rowid, published_title, published_text, visibility)
  SELECT 'delete', OLD.id, OLD.published_title, OLD.published_text, OLD.visibility
  WHERE OLD.status = 'published';
  INSERT INTO kb_titles (kb_titles, rowid, published_title, visibility)
  SELECT 'delete', OLD.id, OLD.published_title, OLD.visibility WHERE OLD.status = 'published';
  INSERT INTO kb_search (rowid, published_title, published_text, visibility)
  SELECT NEW.id, NEW.published_title, NEW.published_text, NEW.visibility
  WHERE NEW.status = 'published';
  INSERT INTO kb_titles (rowid, published_title, visibility)
  SELECT NEW.id, NEW.published_title, NEW.visibility WHERE NEW.status = 'published';
END;
)sql";

// Engineering links and problems (issue 7): links from cases to tracker issues (several cases
// may link one key; a case links a key once), problems and their cases, and a covering index
// over when cases were opened so incident trends read one index range per period.
constexpr std::string_view kEngineeringSchema = R"sql(
CREATE TABLE engineering_links (
  id INTEGER PRIMARY KEY,
  case_number INTEGER NOT NULL REFERENCES cases(number),
  tracker TEXT NOT NULL,
  issue_key TEXT NOT NULL,
  url TEXT NOT NULL,
  state TEXT NOT NULL,
  title TEXT NOT NULL,
  pending_update TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER,
  updated_by INTEGER NOT NULL,
  updated_at INTEGER,
  UNIQUE (case_number, tracker, issue_key)
);
CREATE INDEX engineering_links_by_key ON engineering_links(tracker, issue_key, case_number);
CREATE TABLE problems (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  status TEXT NOT NULL,
  component TEXT NOT NULL,
  root_cause TEXT NOT NULL,
  created_by INTEGER NOT NULL REFERENCES users(id),
  created_at INTEGER,
  updated_at INTEGER,
  resolved_at INTEGER
);
CREATE TABLE problem_cases (
  problem_id INTEGER NOT NULL REFERENCES problems(id),
  case_number INTEGER NOT NULL REFERENCES cases(number),
  linked_by INTEGER NOT NULL,
  linked_at INTEGER,
  PRIMARY KEY (problem_id, case_number)
) WITHOUT ROWID;
CREATE INDEX problem_cases_by_case ON problem_cases(case_number, problem_id);
CREATE INDEX cases_opened_for_trends ON cases(created_at, component, org_id);
)sql";

// Service tasks (issue 7): one row per service-task case beside the case, with the flow's
// state, the latest estimate and schedule; updates are conditional on the revision read.
constexpr std::string_view kServiceTaskSchema = R"sql(
CREATE TABLE service_tasks (
  case_number INTEGER PRIMARY KEY REFERENCES cases(number),
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  state TEXT NOT NULL,
  estimate_minutes INTEGER,
  completion_date TEXT NOT NULL,
  start_date TEXT NOT NULL,
  decline_reason TEXT NOT NULL,
  estimate_count INTEGER NOT NULL,
  requested_at INTEGER,
  estimated_at INTEGER,
  decided_at INTEGER,
  started_at INTEGER,
  done_at INTEGER,
  updated_at INTEGER,
  revision INTEGER NOT NULL
);
CREATE INDEX service_tasks_by_org_state ON service_tasks(org_id, state, case_number);
)sql";

// Reports and service reviews (issue 7): indexes for the aggregate queries (SLA summaries per
// organisation and period, the open backlog by solved_at, cases by creation for partner
// resolution) and case_handoffs, the first moment each case was handed to the provider (a
// public comment by a provider user, or an escalation request), kept by triggers in the unit
// of work that writes the comment or event, so partner resolution never scans comments.
constexpr std::string_view kReportsSchema = R"sql(
CREATE INDEX case_sla_by_org_created ON case_sla(org_id, created_at);
CREATE INDEX cases_backlog ON cases(solved_at, created_at, org_id, severity);
CREATE INDEX cases_by_created ON cases(created_at, org_id, solved_at);
CREATE TABLE case_handoffs (
  case_number INTEGER PRIMARY KEY,
  handed_at INTEGER
);
CREATE TRIGGER case_handoff_by_reply AFTER INSERT ON comments
WHEN NEW.visibility = 'public' AND EXISTS (
  SELECT 1 FROM users u JOIN organisations o ON o.id = u.org_id
  WHERE u.id = NEW.author_id AND o.kind = 'provider')
BEGIN
  INSERT OR IGNORE INTO case_handoffs (case_number, handed_at)
  VALUES (NEW.case_number, NEW.created_at);
END;
CREATE TRIGGER case_handoff_by_escalation AFTER INSERT ON events
WHEN NEW.kind = 'case.escalation_requested' AND NEW.case_number > 0
BEGIN
  INSERT OR IGNORE INTO case_handoffs (case_number, handed_at) VALUES (NEW.case_number, NEW.at);
END;
INSERT OR IGNORE INTO case_handoffs (case_number, handed_at)
  SELECT c.case_number, MIN(c.created_at) FROM comments c
  JOIN users u ON u.id = c.author_id JOIN organisations o ON o.id = u.org_id
  WHERE c.visibility = 'public' AND o.kind = 'provider' GROUP BY c.case_number;
INSERT OR IGNORE INTO case_handoffs (case_number, handed_at)
  SELECT case_number, MIN(at) FROM events
  WHERE kind = 'case.escalation_requested' AND case_number > 0 GROUP BY case_number;
)sql";

// Remote access requests (issue 7): one row per request on a case; moves are conditional
// updates on the status; the expiry sweep reads the open requests by window end.
constexpr std::string_view kRemoteAccessSchema = R"sql(
CREATE TABLE remote_access_requests (
  id INTEGER PRIMARY KEY,
  case_number INTEGER NOT NULL REFERENCES cases(number),
  method TEXT NOT NULL,
  purpose TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES users(id),
  requested_at INTEGER,
  status TEXT NOT NULL,
  decided_by INTEGER NOT NULL,
  decided_at INTEGER,
  refusal_reason TEXT NOT NULL,
  ended_by INTEGER NOT NULL,
  ended_at INTEGER,
  credential_fields TEXT NOT NULL,
  updated_at INTEGER
);
CREATE INDEX remote_access_by_case ON remote_access_requests(case_number, id);
CREATE INDEX remote_access_open_by_end ON remote_access_requests(window_end, id)
  WHERE status IN ('requested', 'granted');
)sql";

// Report counters (issue 7: reports over 1,000,000 cases in under 2 s). sla_counts holds the
// SLA summaries of the cases created in a bucket, classified as CountSlaCompliance classifies
// them; case_counts holds the cases created in a bucket, solved, handed to the provider, and
// both (partner resolution). A bucket is a UTC month (YYYYMM) or a UTC day (YYYYMMDD): every case
// counts once in each (core/report_counters.h). Triggers keep them in the unit of work that
// writes case_sla, cases or case_handoffs, through two views whose INSTEAD OF triggers hold the
// classification and the upserts once: a write adds the old row's contribution with sign -1
// and the new one's with +1. Rows at zero are kept (readers drop them).
constexpr std::string_view kReportCountersSchema = R"sql(
CREATE TABLE sla_counts (
  bucket INTEGER NOT NULL,
  org_id INTEGER NOT NULL,
  plan TEXT NOT NULL,
  severity INTEGER NOT NULL,
  cases INTEGER NOT NULL,
  first_response_breached INTEGER NOT NULL,
  first_response_untargeted INTEGER NOT NULL,
  first_response_met INTEGER NOT NULL,
  resolution_breached INTEGER NOT NULL,
  resolution_untargeted INTEGER NOT NULL,
  resolution_met INTEGER NOT NULL,
  update_breaches INTEGER NOT NULL,
  PRIMARY KEY (bucket, org_id, plan, severity)
) WITHOUT ROWID;
CREATE INDEX sla_counts_by_org ON sla_counts(org_id, bucket);
CREATE VIEW sla_count_changes AS SELECT 0 AS sign, 0 AS created_at, 0 AS org_id, '' AS plan,
  0 AS severity, '' AS first_response_target, 0 AS first_response_achieved,
  0 AS first_response_breached, '' AS resolution_target, 0 AS resolution_achieved,
  0 AS resolution_breached, 0 AS update_breaches WHERE 0;
CREATE TRIGGER sla_count_change INSTEAD OF INSERT ON sla_count_changes
BEGIN
  INSERT INTO sla_counts
  SELECT b.bucket, NEW.org_id, NEW.plan, NEW.severity, NEW.sign,
    NEW.sign * NEW.first_response_breached,
    NEW.sign * (NOT NEW.first_response_breached AND NOT fr.timed),
    NEW.sign * (NOT NEW.first_response_breached AND fr.timed AND NEW.first_response_achieved),
    NEW.sign * NEW.resolution_breached,
    NEW.sign * (NOT NEW.resolution_breached AND NOT res.timed),
    NEW.sign * (NOT NEW.resolution_breached AND res.timed AND NEW.resolution_achieved),
    NEW.sign * NEW.update_breaches
  FROM (SELECT CAST(strftime('%Y%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) AS bucket
        UNION ALL
        SELECT CAST(strftime('%Y%m%d', NEW.created_at / 1000000, 'unixepoch') AS INTEGER)) b,
    (SELECT NEW.first_response_target <> ''
            AND NEW.first_response_target NOT GLOB '*[^0-9]*' AS timed) fr,
    (SELECT NEW.resolution_target <> ''
            AND NEW.resolution_target NOT GLOB '*[^0-9]*' AS timed) res
  WHERE NEW.created_at IS NOT NULL
  ON CONFLICT DO UPDATE SET cases = cases + excluded.cases,
    first_response_breached = first_response_breached + excluded.first_response_breached,
    first_response_untargeted = first_response_untargeted + excluded.first_response_untargeted,
    first_response_met = first_response_met + excluded.first_response_met,
    resolution_breached = resolution_breached + excluded.resolution_breached,
    resolution_untargeted = resolution_untargeted + excluded.resolution_untargeted,
    resolution_met = resolution_met + excluded.resolution_met,
    update_breaches = update_breaches + excluded.update_breaches;
END;
CREATE TRIGGER sla_counts_on_insert AFTER INSERT ON case_sla
BEGIN
  INSERT INTO sla_count_changes VALUES (1, NEW.created_at, NEW.org_id, NEW.plan, NEW.severity,
    NEW.first_response_target, NEW.first_response_achieved_at IS NOT NULL,
    NEW.first_response_breached_at IS NOT NULL, NEW.resolution_target,
    NEW.resolution_achieved_at IS NOT NULL, NEW.resolution_breached_at IS NOT NULL,
    NEW.update_breaches);
END;
CREATE TRIGGER sla_counts_on_update AFTER UPDATE ON case_sla
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.org_id IS NOT NEW.org_id
  OR OLD.plan IS NOT NEW.plan OR OLD.severity IS NOT NEW.severity
  OR OLD.first_response_target IS NOT NEW.first_response_target
  OR (OLD.first_response_achieved_at IS NULL) <> (NEW.first_response_achieved_at IS NULL)
  OR (OLD.first_response_breached_at IS NULL) <> (NEW.first_response_breached_at IS NULL)
  OR OLD.resolution_target IS NOT NEW.resolution_target
  OR (OLD.resolution_achieved_at IS NULL) <> (NEW.resolution_achieved_at IS NULL)
  OR (OLD.resolution_breached_at IS NULL) <> (NEW.resolution_breached_at IS NULL)
  OR OLD.update_breaches IS NOT NEW.update_breaches
BEGIN
  INSERT INTO sla_count_changes VALUES (-1, OLD.created_at, OLD.org_id, OLD.plan, OLD.severity,
    OLD.first_response_target, OLD.first_response_achieved_at IS NOT NULL,
    OLD.first_response_breached_at IS NOT NULL, OLD.resolution_target,
    OLD.resolution_achieved_at IS NOT NULL, OLD.resolution_breached_at IS NOT NULL,
    OLD.update_breaches);
  INSERT INTO sla_count_changes VALUES (1, NEW.created_at, NEW.org_id, NEW.plan, NEW.severity,
    NEW.first_response_target, NEW.first_response_achieved_at IS NOT NULL,
    NEW.first_response_breached_at IS NOT NULL, NEW.resolution_target,
    NEW.resolution_achieved_at IS NOT NULL, NEW.resolution_breached_at IS NOT NULL,
    NEW.update_breaches);
END;
CREATE TRIGGER sla_counts_on_delete AFTER DELETE ON case_sla
BEGIN
  INSERT INTO sla_count_changes VALUES (-1, OLD.created_at, OLD.org_id, OLD.plan, OLD.severity,
    OLD.first_response_target, OLD.first_response_achieved_at IS NOT NULL,
    OLD.first_response_breached_at IS NOT NULL, OLD.resolution_target,
    OLD.resolution_achieved_at IS NOT NULL, OLD.resolution_breached_at IS NOT NULL,
    OLD.update_breaches);
END;
INSERT INTO sla_count_changes SELECT 1, created_at, org_id, plan, severity,
  first_response_target, first_response_achieved_at IS NOT NULL,
  first_response_breached_at IS NOT NULL, resolution_target, resolution_achieved_at IS NOT NULL,
  resolution_breached_at IS NOT NULL, update_breaches FROM case_sla;
CREATE TABLE case_counts (
  bucket INTEGER NOT NULL,
  org_id INTEGER NOT NULL,
  cases INTEGER NOT NULL,
  solved INTEGER NOT NULL,
  handed INTEGER NOT NULL,
  solved_handed INTEGER NOT NULL,
  PRIMARY KEY (bucket, org_id)
) WITHOUT ROWID;
CREATE INDEX case_counts_by_org ON case_counts(org_id, bucket);
CREATE VIEW case_count_changes AS SELECT 0 AS sign, 0 AS created_at, 0 AS org_id, 0 AS solved,
  0 AS handed WHERE 0;
CREATE TRIGGER case_count_change INSTEAD OF INSERT ON case_count_changes
BEGIN
  INSERT INTO case_counts
  SELECT b.bucket, NEW.org_id, NEW.sign, NEW.sign * NEW.solved, NEW.sign * NEW.handed,
    NEW.sign * (NEW.solved AND NEW.handed)
  FROM (SELECT CAST(strftime('%Y%m', NEW.created_at / 1000000, 'unixepoch') AS INTEGER) AS bucket
        UNION ALL
        SELECT CAST(strftime('%Y%m%d', NEW.created_at / 1000000, 'unixepoch') AS INTEGER)) b
  WHERE NEW.created_at IS NOT NULL
  ON CONFLICT DO UPDATE SET cases = cases + excluded.cases, solved = solved + excluded.solved,
    handed = handed + excluded.handed, solved_handed = solved_handed + excluded.solved_handed;
END;
CREATE TRIGGER case_counts_on_insert AFTER INSERT ON cases
BEGIN
  INSERT INTO case_count_changes VALUES (1, NEW.created_at, NEW.org_id,
    NEW.solved_at IS NOT NULL,
    EXISTS (SELECT 1 FROM case_handoffs WHERE case_number = NEW.number));
END;
CREATE TRIGGER case_counts_on_update AFTER UPDATE OF created_at, org_id, solved_at ON cases
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.org_id IS NOT NEW.org_id
  OR (OLD.solved_at IS NULL) <> (NEW.solved_at IS NULL)
BEGIN
  INSERT INTO case_count_changes VALUES (-1, OLD.created_at, OLD.org_id,
    OLD.solved_at IS NOT NULL,
    EXISTS (SELECT 1 FROM case_handoffs WHERE case_number = OLD.number));
  INSERT INTO case_count_changes VALUES (1, NEW.created_at, NEW.org_id,
    NEW.solved_at IS NOT NULL,
    EXISTS (SELECT 1 FROM case_handoffs WHERE case_number = NEW.number));
END;
CREATE TRIGGER case_counts_on_delete AFTER DELETE ON cases
BEGIN
  INSERT INTO case_count_changes VALUES (-1, OLD.created_at, OLD.org_id,
    OLD.solved_at IS NOT NULL,
    EXISTS (SELECT 1 FROM case_handoffs WHERE case_number = OLD.number));
END;
CREATE TRIGGER case_counts_on_handoff AFTER INSERT ON case_handoffs
BEGIN
  INSERT INTO case_count_changes SELECT -1, created_at, org_id, solved_at IS NOT NULL, 0
    FROM cases WHERE number = NEW.case_number;
  INSERT INTO case_count_changes SELECT 1, created_at, org_id, solved_at IS NOT NULL, 1
    FROM cases WHERE number = NEW.case_number;
END;
INSERT INTO case_count_changes SELECT 1, created_at, org_id, solved_at IS NOT NULL,
  EXISTS (SELECT 1 FROM case_handoffs h WHERE h.case_number = cases.number) FROM cases;
)sql";

// Saved queue views (issue 5): each person's named console views; `filter` is the canonical
// query string of core/queue_view.h.
constexpr std::string_view kSavedViewsSchema = R"sql(
CREATE TABLE saved_views (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  filter TEXT NOT NULL,
  created_at INTEGER,
  UNIQUE (user_id, name)
);
)sql";

// Console queues narrowed to one organisation (issue 5's saved views): the organisation's
// active cases in deadline order, so a view of a customer with many cases reads one page of
// them instead of every case the customer ever had.
constexpr std::string_view kOrgQueueIndex = R"sql(
CREATE INDEX cases_queue_by_org ON cases(org_id, next_deadline, number)
  WHERE status IN ('new', 'open', 'pending', 'on_hold');
)sql";

// The assignee and group queue indexes hold only cases that have an assignee or a group: the
// queries that walk them always name one, and a new (untriaged) case then moves four queue
// index entries, not six, every time its deadline does.
constexpr std::string_view kLeanerQueueIndexes = R"sql(
DROP INDEX cases_queue_by_assignee;
CREATE INDEX cases_queue_by_assignee ON cases(assignee_id, next_deadline, number)
  WHERE assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending', 'on_hold');
DROP INDEX cases_queue_by_group;
CREATE INDEX cases_queue_by_group ON cases(group_id, next_deadline, number)
  WHERE group_id IS NOT NULL AND status IN ('new', 'open', 'pending', 'on_hold');
)sql";

// The severity flags of one organisation in a period (the case page's abuse context counts an
// organisation's last 90 days on every view).
constexpr std::string_view kFlagsByOrgIndex = R"sql(
CREATE INDEX severity_flags_by_org ON severity_flags(org_id, at);
)sql";

// Throttle hits (sign-in failures, account-mail requests), shared by every node: a hit is a
// key (a digest of the throttle and the address) and the instant it was counted. Rows older
// than the longest window are swept as new hits arrive.
constexpr std::string_view kThrottleHits = R"sql(
CREATE TABLE throttle_hits (
  key BLOB NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX throttle_hits_by_key ON throttle_hits(key, at);
CREATE INDEX throttle_hits_by_time ON throttle_hits(at);
)sql";

// Attachment and raw-mail bytes, by the hex SHA-256 of their content: in the store, so every
// node serves every attachment and one commit makes a message's bytes and rows durable
// together. Blobs written as files by earlier versions stay readable there.
constexpr std::string_view kBlobs = R"sql(
CREATE TABLE blobs (
  digest TEXT PRIMARY KEY,
  content BLOB NOT NULL
);
)sql";

// Leases on work only one node does at a time (polling a mailbox), by name.
constexpr std::string_view kLeases = R"sql(
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  until INTEGER NOT NULL
);
)sql";

// The SLA counters (migration 16) count whether a target is timed, never its minutes: a policy
// change that only moves targets (every case's summary rewritten by a recomputation) no longer
// moves counter rows.
constexpr std::string_view kSlaCountsOnTimedTargets = R"sql(
DROP TRIGGER sla_counts_on_update;
CREATE TRIGGER sla_counts_on_update AFTER UPDATE ON case_sla
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.org_id IS NOT NEW.org_id
  OR OLD.plan IS NOT NEW.plan OR OLD.severity IS NOT NEW.severity
  OR (OLD.first_response_target <> '' AND OLD.first_response_target NOT GLOB '*[^0-9]*')
     IS NOT (NEW.first_response_target <> '' AND NEW.first_response_target NOT GLOB '*[^0-9]*')
  OR (OLD.first_response_achieved_at IS NULL) <> (NEW.first_response_achieved_at IS NULL)
  OR (OLD.first_response_breached_at IS NULL) <> (NEW.first_response_breached_at IS NULL)
  OR (OLD.resolution_target <> '' AND OLD.resolution_target NOT GLOB '*[^0-9]*')
     IS NOT (NEW.resolution_target <> '' AND NEW.resolution_target NOT GLOB '*[^0-9]*')
  OR (OLD.resolution_achieved_at IS NULL) <> (NEW.resolution_achieved_at IS NULL)
  OR (OLD.resolution_breached_at IS NULL) <> (NEW.resolution_breached_at IS NULL)
  OR OLD.update_breaches IS NOT NEW.update_breaches
BEGIN
  INSERT INTO sla_count_changes VALUES (-1, OLD.created_at, OLD.org_id, OLD.plan, OLD.severity,
    OLD.first_response_target, OLD.first_response_achieved_at IS NOT NULL,
    OLD.first_response_breached_at IS NOT NULL, OLD.resolution_target,
    OLD.resolution_achieved_at IS NOT NULL, OLD.resolution_breached_at IS NOT NULL,
    OLD.update_breaches);
  INSERT INTO sla_count_changes VALUES (1, NEW.created_at, NEW.org_id, NEW.plan, NEW.severity,
    NEW.first_response_target, NEW.first_response_achieved_at IS NOT NULL,
    NEW.first_response_breached_at IS NOT NULL, NEW.resolution_target,
    NEW.resolution_achieved_at IS NOT NULL, NEW.resolution_breached_at IS NOT NULL,
    NEW.update_breaches);
END;
)sql";

// Outbox claims walk the notifications that are due, earliest first (a new one is due from its
// creation, a retried one at its next attempt), instead of every pending one in id order:
// while the relay is down, thousands wait on their backoff and each poll read them all to find
// none due.
constexpr std::string_view kNotificationsReady = R"sql(
CREATE INDEX notifications_ready ON notifications(COALESCE(next_attempt_at, created_at), id)
  WHERE sent_at IS NULL AND failed_at IS NULL;
)sql";

// PostgreSQL's version 26 rewrote its report bucket functions so they inline; SQLite computes
// buckets with strftime in its counter triggers and needs nothing. The version exists here so
// that both stores stay at the same schema version (`store copy` requires it).
constexpr std::string_view kInlinedReportBuckets = R"sql(
-- nothing to change in SQLite
;
)sql";

// PostgreSQL's version 27 made its insert triggers run once per statement, for the rows its
// write batches insert together; SQLite inserts one row per statement and keeps its triggers.
// The version exists so that both stores stay at the same schema version.
constexpr std::string_view kStatementInsertTriggers = R"sql(
-- nothing to change in SQLite
;
)sql";

constexpr Migration kMigrations[] = {
    {1, "initial", kInitialSchema},
    {2, "token and entity event indexes", kTokenAndEntityIndexes},
    {3, "leaner case indexes", kLeanerCaseIndexes},
    {4, "sla and escalation", kSlaAndEscalation},
    {5, "email channel", kMail},
    {6, "status page", kStatusPage},
    {7, "web sessions", kWebSessions},
    {8, "case queues", kCaseQueues},
    {9, "account links", kAccountTokens},
    {10, "knowledge base", kKnowledgeBase},
    {11, "time entries and contract hours", kHoursSchema},
    {12, "engineering links and problems", kEngineeringSchema},
    {13, "service tasks", kServiceTaskSchema},
    {14, "reports", kReportsSchema},
    {15, "remote access requests", kRemoteAccessSchema},
    {16, "report counters", kReportCountersSchema},
    {17, "saved queue views", kSavedViewsSchema},
    {18, "organisation queue index", kOrgQueueIndex},
    {19, "leaner assignee and group queue indexes", kLeanerQueueIndexes},
    {20, "severity flags by organisation", kFlagsByOrgIndex},
    {21, "throttle hits", kThrottleHits},
    {22, "blobs", kBlobs},
    {23, "leases", kLeases},
    {24, "sla counters follow timed targets only", kSlaCountsOnTimedTargets},
    {25, "outbox claims by due time", kNotificationsReady},
    {26, "report buckets inlined", kInlinedReportBuckets},
    {27, "statement triggers on batched inserts", kStatementInsertTriggers},
};

}  // namespace

std::span<const Migration> AllMigrations() { return kMigrations; }

absl::StatusOr<int> CurrentSchemaVersion(SqliteConnection& connection) {
  absl::StatusOr<Statement> exists = connection.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists.ok()) return exists.status();
  absl::StatusOr<bool> found = exists->Step();
  if (!found.ok()) return found.status();
  if (exists->Int(0) == 0) return 0;
  absl::StatusOr<Statement> query =
      connection.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(query->Int(0));
}

absl::Status ApplyMigrations(SqliteConnection& connection) {
  // Every process opens the store through here, nearly always at the latest version: one read
  // then, instead of taking the write lock once per migration (behind a busy server's writer).
  if (absl::StatusOr<int> current = CurrentSchemaVersion(connection);
      current.ok() && *current >= AllMigrations().back().version) {
    return absl::OkStatus();
  }
  absl::Status created = connection.Execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  if (!created.ok()) return created;
  for (const Migration& migration : kMigrations) {
    // The version check happens under the write lock, so two processes migrating at once
    // apply each migration exactly once.
    absl::Status status = connection.Execute("BEGIN IMMEDIATE");
    if (!status.ok()) return status;
    absl::StatusOr<int> current = CurrentSchemaVersion(connection);
    if (current.ok() && *current < migration.version) {
      status = connection.Execute(migration.sql);
      if (status.ok()) {
        absl::StatusOr<Statement> record = connection.Prepare(
            "INSERT INTO schema_migrations (version, name, applied_at)"
            " VALUES (?, ?, unixepoch() * 1000000)");
        status = record.ok()
                     ? record->Bind(1, int64_t{migration.version}).Bind(2, migration.name).Run()
                     : record.status();
      }
    } else if (!current.ok()) {
      status = current.status();
    }
    if (!status.ok()) {
      connection.Execute("ROLLBACK").IgnoreError();
      return absl::UnavailableError("migration " + std::to_string(migration.version) + " (" +
                                    std::string(migration.name) +
                                    ") failed: " + std::string(status.message()));
    }
    status = connection.Execute("COMMIT");
    if (!status.ok()) {
      connection.Execute("ROLLBACK").IgnoreError();
      return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::sqlite

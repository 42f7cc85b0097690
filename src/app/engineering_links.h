// Engineering links (issue 7, seed 004): a case escalated to engineering links to the tracker
// issue that carries the fix, and the tracker's state changes reach every linked case.
//
// Who may do what: provider staff link, list, update and send; provider admins read and change
// the tracker settings (webhook secret, policy and templates). Everyone else gets NotFound, the
// same answer as for a case that does not exist, so a customer learns nothing of the links.
//
// A state change (by API on one link, by API on a tracker key, or by the signed webhook on a
// key) is one unit of work per request that, for every affected link whose state really moved
// (a replayed identical state changes nothing): updates the link, records the
// "engineering.state_changed" event on the case, posts an internal note, and per the policy for
// the new state either keeps the templated public text on the link for an agent to send with
// one click (prompt), or posts it as a public reply (send), which mails the requester and
// followers through the outbox like any staff reply. Closed cases only get the state and event.
// Notes and replies on a case are written as the person who linked it (or the API caller).
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/engineering_link.h"
#include "core/problem.h"

namespace casedesk::app {

inline constexpr std::string_view kEngineeringLinked = "engineering.linked";
inline constexpr std::string_view kEngineeringStateChanged = "engineering.state_changed";
inline constexpr std::string_view kEngineeringUpdateSent = "engineering.update_sent";
inline constexpr std::string_view kEngineeringSettingsKey = "engineering/tracker";
// At most this many cases are updated per tracker key and request.
inline constexpr int kMaxCasesPerTrackerKey = 1000;

struct EngineeringLinkInput {
  std::string tracker;
  std::string key;
  std::string url;
  std::string state = "open";
  std::string title;
};

// A tracker's news about one issue; unset title/url leave the stored ones.
struct TrackerStateUpdate {
  std::string state;
  std::optional<std::string> title;
  std::optional<std::string> url;
};

// What happened to one link.
struct LinkStateChange {
  core::EngineeringLink link;  // after the change
  std::string state_before;
  bool changed = false;  // false: the same state again (nothing was written)
  core::StateAction action = core::StateAction::kNote;
  bool public_update_sent = false;
};

struct TrackerUpdateResult {
  std::string tracker;
  std::string key;
  std::string state;
  std::vector<LinkStateChange> links;  // by case number
};

void LinkEngineeringIssue(AppContext& context, const Caller& caller, core::CaseNumber number,
                          EngineeringLinkInput input, Done<core::EngineeringLink> done);

absl::StatusOr<std::vector<core::EngineeringLink>> ListEngineeringLinks(AppContext& context,
                                                                        const Caller& caller,
                                                                        core::CaseNumber number);

// The links of (tracker, key) across cases (staff).
absl::StatusOr<std::vector<core::EngineeringLink>> ListTrackerIssueLinks(AppContext& context,
                                                                         const Caller& caller,
                                                                         std::string_view tracker,
                                                                         std::string_view key);

// One link's state (and title/url). NotFound for an unknown link or one on another case.
void UpdateEngineeringLink(AppContext& context, const Caller& caller, core::CaseNumber number,
                           core::EngineeringLinkId id, TrackerStateUpdate update,
                           Done<TrackerUpdateResult> done);

// Every link to (tracker, key). NotFound when no case links it.
void UpdateTrackerIssue(AppContext& context, const Caller& caller, std::string tracker,
                        std::string key, TrackerStateUpdate update, Done<TrackerUpdateResult> done);

// The webhook: Unauthenticated unless `signature_header` is "sha256=<hex HMAC-SHA256 of
// raw_body under the configured secret>" (compared in constant time; no secret configured:
// always Unauthenticated). Check before reading the body.
absl::Status VerifyTrackerSignature(AppContext& context, std::string_view raw_body,
                                    std::string_view signature_header);
// After VerifyTrackerSignature: applies the update to every link of (tracker, key); a key no
// case links is answered with no links (the tracker need not retry).
void ApplyTrackerWebhook(AppContext& context, std::string tracker, std::string key,
                         TrackerStateUpdate update, Done<TrackerUpdateResult> done);

// Sends the link's pending public update as a public reply on its case and clears it.
// FailedPrecondition when there is none.
void SendPendingUpdate(AppContext& context, const Caller& caller, core::CaseNumber number,
                       core::EngineeringLinkId id, Done<core::EngineeringLink> done);

struct EngineeringSettings {
  bool secret_configured = false;
  core::EngineeringPolicy policy;
};

// Given fields replace the stored ones: the secret (16..256 bytes), the policies (state ->
// action, the whole map) and the templates (state -> text, the whole map).
struct EngineeringSettingsInput {
  std::optional<std::string> secret;
  std::optional<std::map<std::string, core::StateAction>> policies;
  std::optional<std::map<std::string, std::string>> templates;
};

absl::StatusOr<EngineeringSettings> GetEngineeringSettings(AppContext& context,
                                                           const Caller& caller);
void SetEngineeringSettings(AppContext& context, const Caller& caller,
                            EngineeringSettingsInput input, Done<EngineeringSettings> done);

// What the console's case page shows: the case's links and problems; empty for anyone but
// provider staff.
struct CaseEngineering {
  std::vector<core::EngineeringLink> links;
  std::vector<core::Problem> problems;
};
CaseEngineering LoadCaseEngineering(AppContext& context, const Caller& caller,
                                    core::CaseNumber number);

}  // namespace casedesk::app

#include "app/engineering_links.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "app/add_comment.h"
#include "app/case_support.h"
#include "app/outbox.h"
#include "core/access.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

using nlohmann::json;

constexpr size_t kMinSecretBytes = 16;
constexpr size_t kMaxSecretBytes = 256;

absl::Status LinkNotFound(core::EngineeringLinkId id) {
  return absl::NotFoundError(absl::StrCat("engineering link ", id, " not found"));
}

// The settings document: the sealed secret (hex), the policies and the templates.
struct StoredSettings {
  std::string sealed_secret;
  core::EngineeringPolicy policy = core::DefaultEngineeringPolicy();
};

std::string ActionName(core::StateAction action) {
  return std::string(core::NameOf<core::StateAction>(core::kStateActionNames, action));
}

absl::StatusOr<StoredSettings> LoadSettings(ports::StoreTransaction& txn) {
  absl::StatusOr<std::optional<std::string>> text = txn.GetSetting(kEngineeringSettingsKey);
  if (!text.ok()) return text.status();
  StoredSettings settings;
  if (!text->has_value()) return settings;
  const json document = json::parse(**text, nullptr, false);
  if (!document.is_object()) return absl::DataLossError("engineering settings: not JSON");
  settings.sealed_secret = absl::HexStringToBytes(document.value("secret_sealed", ""));
  if (document.contains("policies") && document["policies"].is_object()) {
    settings.policy.actions.clear();
    for (const auto& [state, name] : document["policies"].items()) {
      const std::optional<core::StateAction> action = core::EnumFromName<core::StateAction>(
          core::kStateActionNames, name.is_string() ? name.get<std::string>() : "");
      if (action) settings.policy.actions[state] = *action;
    }
  }
  if (document.contains("templates") && document["templates"].is_object()) {
    settings.policy.templates.clear();
    for (const auto& [state, text_value] : document["templates"].items()) {
      if (text_value.is_string()) settings.policy.templates[state] = text_value.get<std::string>();
    }
  }
  return settings;
}

std::string SettingsJson(const StoredSettings& settings) {
  json policies = json::object();
  for (const auto& [state, action] : settings.policy.actions) policies[state] = ActionName(action);
  json templates = json::object();
  for (const auto& [state, text] : settings.policy.templates) templates[state] = text;
  return json{{"secret_sealed", absl::BytesToHexString(settings.sealed_secret)},
              {"policies", policies},
              {"templates", templates}}
      .dump();
}

EngineeringSettings PublicSettings(const StoredSettings& stored) {
  return EngineeringSettings{!stored.sealed_secret.empty(), stored.policy};
}

// Notes and public updates on a case are written as `author` (the person who linked it, or the
// API caller), with a provider viewer that may write on any linked case.
absl::StatusOr<core::Viewer> AuthorViewer(ports::StoreTransaction& txn, core::UserId author) {
  absl::StatusOr<core::User> user = txn.GetUser(author);
  if (!user.ok()) return user.status();
  core::Viewer viewer;
  viewer.user_id = user->id;
  viewer.role = core::IsProviderStaff(user->role) ? user->role : core::Role::kAgent;
  viewer.org_id = user->org_id;
  viewer.sees_security_incidents = true;
  return viewer;
}

absl::StatusOr<core::CommentId> PostComment(AppContext& context, ports::StoreTransaction& txn,
                                            const core::Viewer& author, core::CaseNumber number,
                                            std::string body, core::Visibility visibility,
                                            absl::Time now) {
  core::Comment draft;
  draft.case_number = number;
  draft.author_id = author.user_id;
  draft.body = std::move(body);
  draft.visibility = visibility;
  draft.channel = "api";
  draft.created_at = now;
  if (absl::Status valid = core::ValidateComment(draft); !valid.ok()) return valid;
  absl::StatusOr<CommentWrite> written =
      InsertCommentOnCase(txn, context, author, std::move(draft), CommentWriteOptions{});
  if (!written.ok()) return written.status();
  return written->comment.id;
}

// Applies `update` to one link inside the caller's unit of work (see the header comment).
absl::StatusOr<LinkStateChange> ApplyToLink(AppContext& context, ports::StoreTransaction& txn,
                                            const core::EngineeringLink& link,
                                            const TrackerStateUpdate& update,
                                            const core::EngineeringPolicy& policy,
                                            core::UserId actor, absl::Time now) {
  LinkStateChange change;
  change.state_before = link.state;
  change.link = link;
  core::EngineeringLink next = link;
  next.state = core::NormaliseTrackerState(update.state);
  if (update.title) next.title = *update.title;
  if (update.url) next.url = *update.url;
  if (absl::Status valid = core::ValidateEngineeringLink(next); !valid.ok()) return valid;
  const bool moved = next.state != link.state;
  if (!moved && next.title == link.title && next.url == link.url) return change;
  next.updated_by = actor;
  next.updated_at = now;
  if (!moved) {
    if (absl::Status updated = txn.UpdateEngineeringLink(next); !updated.ok()) return updated;
    change.link = next;
    return change;
  }
  change.changed = true;
  change.action = core::ActionForState(policy, next.state);
  std::optional<std::string> suggestion;
  if (change.action != core::StateAction::kNote) {
    suggestion = core::PublicUpdateText(policy, next.state, link.case_number);
  }
  absl::StatusOr<core::Case> record = txn.GetCase(link.case_number);
  if (!record.ok()) return record.status();
  // A newer state supersedes an unsent suggestion.
  next.pending_update.clear();
  if (record->status != core::CaseStatus::kClosed) {
    absl::StatusOr<core::Viewer> author = AuthorViewer(txn, actor != 0 ? actor : link.created_by);
    if (!author.ok()) return author.status();
    const std::string note = core::StateChangeNote(next, link.state, change.action, suggestion);
    absl::StatusOr<core::CommentId> noted = PostComment(context, txn, *author, link.case_number,
                                                        note, core::Visibility::kInternal, now);
    if (!noted.ok()) return noted.status();
    if (suggestion && change.action == core::StateAction::kSend) {
      absl::StatusOr<core::CommentId> sent = PostComment(
          context, txn, *author, link.case_number, *suggestion, core::Visibility::kPublic, now);
      if (!sent.ok()) return sent.status();
      change.public_update_sent = true;
    } else if (suggestion) {
      next.pending_update = *suggestion;
    }
  }
  if (absl::Status updated = txn.UpdateEngineeringLink(next); !updated.ok()) return updated;
  core::AuditEvent event = CaseEvent(link.case_number, actor, now, kEngineeringStateChanged);
  core::RecordChange(event.changes, "link", "", absl::StrCat(link.id));
  core::RecordChange(event.changes, "issue", "", absl::StrCat(link.tracker, " ", link.issue_key));
  core::RecordChange(event.changes, "state", link.state, next.state);
  core::RecordChange(event.changes, "public_update", "",
                     change.public_update_sent     ? "sent"
                     : next.pending_update.empty() ? ""
                                                   : "suggested");
  if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) return appended;
  change.link = std::move(next);
  return change;
}

// Applies the update to `links` (already loaded) with the desk's policy.
absl::StatusOr<TrackerUpdateResult> ApplyToLinks(AppContext& context, ports::StoreTransaction& txn,
                                                 const std::vector<core::EngineeringLink>& links,
                                                 const TrackerStateUpdate& update,
                                                 core::UserId actor, absl::Time now) {
  if (absl::Status state = core::ValidateTrackerState(core::NormaliseTrackerState(update.state));
      !state.ok()) {
    return state;
  }
  absl::StatusOr<StoredSettings> settings = LoadSettings(txn);
  if (!settings.ok()) return settings.status();
  TrackerUpdateResult result;
  result.state = core::NormaliseTrackerState(update.state);
  for (const core::EngineeringLink& link : links) {
    absl::StatusOr<LinkStateChange> change =
        ApplyToLink(context, txn, link, update, settings->policy, actor, now);
    if (!change.ok()) return change.status();
    result.links.push_back(*std::move(change));
  }
  return result;
}

bool IsLinkStaff(const Caller& caller) { return core::IsProviderStaff(caller.viewer.role); }

// The link, when it exists, belongs to `number` and the caller (staff) may see the case.
absl::StatusOr<core::EngineeringLink> LoadLink(ports::StoreTransaction& txn, const Caller& caller,
                                               core::CaseNumber number,
                                               core::EngineeringLinkId id) {
  if (!IsLinkStaff(caller)) return NotFoundCase(number);
  absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
  if (!record.ok()) return record.status();
  absl::StatusOr<core::EngineeringLink> link = txn.GetEngineeringLink(id);
  if (!link.ok() || link->case_number != number) {
    if (link.ok() || absl::IsNotFound(link.status())) return LinkNotFound(id);
    return link.status();
  }
  return link;
}

void UpdateKey(AppContext& context, std::optional<Caller> caller, std::string tracker,
               std::string key, TrackerStateUpdate update, bool not_found_when_unlinked,
               Done<TrackerUpdateResult> done) {
  const absl::Time now = context.clock.Now();
  tracker = core::NormaliseTrackerName(tracker);
  WriteValue<TrackerUpdateResult>(
      context.store,
      [&context, caller, tracker, key, update, not_found_when_unlinked,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<TrackerUpdateResult> {
        absl::StatusOr<std::vector<core::EngineeringLink>> links =
            txn.ListEngineeringLinksByKey(tracker, key, kMaxCasesPerTrackerKey);
        if (!links.ok()) return links.status();
        if (links->empty() && not_found_when_unlinked) {
          return absl::NotFoundError(absl::StrCat("no case links ", tracker, " ", key));
        }
        absl::StatusOr<TrackerUpdateResult> result =
            ApplyToLinks(context, txn, *links, update, caller ? caller->user.id : 0, now);
        if (!result.ok()) return result.status();
        result->tracker = tracker;
        result->key = key;
        return result;
      },
      WakingOutbox<TrackerUpdateResult>(context, std::move(done)));
}

}  // namespace

void LinkEngineeringIssue(AppContext& context, const Caller& caller, core::CaseNumber number,
                          EngineeringLinkInput input, Done<core::EngineeringLink> done) {
  const absl::Time now = context.clock.Now();
  core::EngineeringLink link;
  link.case_number = number;
  link.tracker = core::NormaliseTrackerName(input.tracker);
  link.issue_key = std::move(input.key);
  link.url = std::move(input.url);
  link.state = core::NormaliseTrackerState(input.state.empty() ? "open" : input.state);
  link.title = std::move(input.title);
  link.created_by = caller.user.id;
  link.created_at = now;
  link.updated_by = caller.user.id;
  link.updated_at = now;
  WriteValue<core::EngineeringLink>(
      context.store,
      [caller, link, now](ports::StoreTransaction& txn) -> absl::StatusOr<core::EngineeringLink> {
        if (!IsLinkStaff(caller)) return NotFoundCase(link.case_number);
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, link.case_number);
        if (!record.ok()) return record.status();
        if (absl::Status valid = core::ValidateEngineeringLink(link); !valid.ok()) return valid;
        core::EngineeringLink written = link;
        absl::StatusOr<core::EngineeringLinkId> id = txn.InsertEngineeringLink(written);
        if (!id.ok()) return id.status();
        written.id = *id;
        core::AuditEvent event =
            CaseEvent(link.case_number, caller.user.id, now, kEngineeringLinked);
        core::RecordChange(event.changes, "link", "", absl::StrCat(written.id));
        core::RecordChange(event.changes, "issue", "",
                           absl::StrCat(written.tracker, " ", written.issue_key));
        core::RecordChange(event.changes, "state", "", written.state);
        if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) {
          return appended;
        }
        return written;
      },
      std::move(done));
}

absl::StatusOr<std::vector<core::EngineeringLink>> ListEngineeringLinks(AppContext& context,
                                                                        const Caller& caller,
                                                                        core::CaseNumber number) {
  return ReadValue<std::vector<core::EngineeringLink>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::EngineeringLink>> {
        if (!IsLinkStaff(caller)) return NotFoundCase(number);
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        return txn.ListCaseEngineeringLinks(number);
      });
}

absl::StatusOr<std::vector<core::EngineeringLink>> ListTrackerIssueLinks(AppContext& context,
                                                                         const Caller& caller,
                                                                         std::string_view tracker,
                                                                         std::string_view key) {
  const std::string name = core::NormaliseTrackerName(tracker);
  return ReadValue<std::vector<core::EngineeringLink>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::EngineeringLink>> {
        if (!IsLinkStaff(caller)) return absl::NotFoundError("not found");
        absl::StatusOr<std::vector<core::EngineeringLink>> links =
            txn.ListEngineeringLinksByKey(name, key, kMaxCasesPerTrackerKey);
        if (!links.ok()) return links.status();
        if (links->empty()) {
          return absl::NotFoundError(absl::StrCat("no case links ", name, " ", std::string(key)));
        }
        return links;
      });
}

void UpdateEngineeringLink(AppContext& context, const Caller& caller, core::CaseNumber number,
                           core::EngineeringLinkId id, TrackerStateUpdate update,
                           Done<TrackerUpdateResult> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<TrackerUpdateResult>(
      context.store,
      [&context, caller, number, id, update,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<TrackerUpdateResult> {
        absl::StatusOr<core::EngineeringLink> link = LoadLink(txn, caller, number, id);
        if (!link.ok()) return link.status();
        TrackerStateUpdate effective = update;
        if (effective.state.empty()) effective.state = link->state;
        absl::StatusOr<TrackerUpdateResult> result =
            ApplyToLinks(context, txn, {*link}, effective, caller.user.id, now);
        if (!result.ok()) return result.status();
        result->tracker = link->tracker;
        result->key = link->issue_key;
        return result;
      },
      WakingOutbox<TrackerUpdateResult>(context, std::move(done)));
}

void UpdateTrackerIssue(AppContext& context, const Caller& caller, std::string tracker,
                        std::string key, TrackerStateUpdate update,
                        Done<TrackerUpdateResult> done) {
  if (!IsLinkStaff(caller)) {
    done(absl::NotFoundError("not found"));
    return;
  }
  UpdateKey(context, caller, std::move(tracker), std::move(key), std::move(update), true,
            std::move(done));
}

absl::Status VerifyTrackerSignature(AppContext& context, std::string_view raw_body,
                                    std::string_view signature_header) {
  const absl::Status refused =
      absl::UnauthenticatedError("X-Casedesk-Signature: missing or not valid for this body");
  const std::optional<std::string> signature = core::ParseSignatureHeader(signature_header);
  if (!signature) return refused;
  absl::StatusOr<StoredSettings> settings = ReadValue<StoredSettings>(
      context.store, [](ports::StoreTransaction& txn) { return LoadSettings(txn); });
  if (!settings.ok()) return settings.status();
  if (settings->sealed_secret.empty()) return refused;
  absl::StatusOr<std::string> secret = context.crypto.Unseal(settings->sealed_secret);
  if (!secret.ok()) return absl::InternalError("engineering settings: the secret does not unseal");
  const std::string expected = context.crypto.HmacSha256(*secret, raw_body);
  if (!context.crypto.ConstantTimeEquals(expected, *signature)) return refused;
  return absl::OkStatus();
}

void ApplyTrackerWebhook(AppContext& context, std::string tracker, std::string key,
                         TrackerStateUpdate update, Done<TrackerUpdateResult> done) {
  UpdateKey(context, std::nullopt, std::move(tracker), std::move(key), std::move(update), false,
            std::move(done));
}

void SendPendingUpdate(AppContext& context, const Caller& caller, core::CaseNumber number,
                       core::EngineeringLinkId id, Done<core::EngineeringLink> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<core::EngineeringLink>(
      context.store,
      [&context, caller, number, id,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::EngineeringLink> {
        absl::StatusOr<core::EngineeringLink> link = LoadLink(txn, caller, number, id);
        if (!link.ok()) return link.status();
        if (link->pending_update.empty()) {
          return absl::FailedPreconditionError(
              "this link has no suggested update to send (it was sent already or superseded)");
        }
        absl::StatusOr<core::CommentId> sent =
            PostComment(context, txn, caller.viewer, number, link->pending_update,
                        core::Visibility::kPublic, now);
        if (!sent.ok()) return sent.status();
        core::EngineeringLink next = *link;
        next.pending_update.clear();
        next.updated_by = caller.user.id;
        next.updated_at = now;
        if (absl::Status updated = txn.UpdateEngineeringLink(next); !updated.ok()) return updated;
        core::AuditEvent event = CaseEvent(number, caller.user.id, now, kEngineeringUpdateSent);
        core::RecordChange(event.changes, "link", "", absl::StrCat(id));
        core::RecordChange(event.changes, "comment", "", absl::StrCat(*sent));
        if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) {
          return appended;
        }
        return next;
      },
      WakingOutbox<core::EngineeringLink>(context, std::move(done)));
}

absl::StatusOr<EngineeringSettings> GetEngineeringSettings(AppContext& context,
                                                           const Caller& caller) {
  if (!IsLinkStaff(caller)) return absl::NotFoundError("not found");
  if (!core::IsAdmin(caller.viewer)) {
    return absl::PermissionDeniedError("only provider admins manage the tracker settings");
  }
  absl::StatusOr<StoredSettings> stored = ReadValue<StoredSettings>(
      context.store, [](ports::StoreTransaction& txn) { return LoadSettings(txn); });
  if (!stored.ok()) return stored.status();
  return PublicSettings(*stored);
}

void SetEngineeringSettings(AppContext& context, const Caller& caller,
                            EngineeringSettingsInput input, Done<EngineeringSettings> done) {
  if (!IsLinkStaff(caller)) return done(absl::NotFoundError("not found"));
  if (!core::IsAdmin(caller.viewer)) {
    return done(absl::PermissionDeniedError("only provider admins manage the tracker settings"));
  }
  if (input.secret &&
      (input.secret->size() < kMinSecretBytes || input.secret->size() > kMaxSecretBytes)) {
    return done(absl::InvalidArgumentError("secret: 16 to 256 bytes"));
  }
  // Sealed here, outside the unit of work: a retried unit writes the same sealed value.
  std::optional<std::string> sealed;
  if (input.secret) sealed = context.crypto.Seal(*input.secret);
  const absl::Time now = context.clock.Now();
  WriteValue<EngineeringSettings>(
      context.store,
      [caller, input = std::move(input), sealed,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<EngineeringSettings> {
        absl::StatusOr<StoredSettings> stored = LoadSettings(txn);
        if (!stored.ok()) return stored.status();
        StoredSettings next = *stored;
        if (sealed) next.sealed_secret = *sealed;
        if (input.policies) next.policy.actions = *input.policies;
        if (input.templates) next.policy.templates = *input.templates;
        if (absl::Status valid = core::ValidateEngineeringPolicy(next.policy); !valid.ok()) {
          return valid;
        }
        if (absl::Status put = txn.PutSetting(kEngineeringSettingsKey, SettingsJson(next));
            !put.ok()) {
          return put;
        }
        std::vector<core::FieldChange> changes;
        if (sealed) core::RecordChange(changes, "secret", "", "changed");
        if (input.policies) core::RecordChange(changes, "policies", "", "changed");
        if (input.templates) core::RecordChange(changes, "templates", "", "changed");
        core::AuditEvent event =
            MakeAuditEvent("setting", std::string(kEngineeringSettingsKey), caller.user.id, now,
                           "engineering.settings_changed", std::move(changes));
        if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) {
          return appended;
        }
        return PublicSettings(next);
      },
      std::move(done));
}

CaseEngineering LoadCaseEngineering(AppContext& context, const Caller& caller,
                                    core::CaseNumber number) {
  absl::StatusOr<CaseEngineering> loaded = ReadValue<CaseEngineering>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<CaseEngineering> {
        CaseEngineering engineering;
        if (!IsLinkStaff(caller)) return engineering;
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return engineering;
        absl::StatusOr<std::vector<core::EngineeringLink>> links =
            txn.ListCaseEngineeringLinks(number);
        if (!links.ok()) return links.status();
        engineering.links = *std::move(links);
        absl::StatusOr<std::vector<core::Problem>> problems = txn.ListCaseProblems(number);
        if (!problems.ok()) return problems.status();
        engineering.problems = *std::move(problems);
        return engineering;
      });
  return loaded.ok() ? *std::move(loaded) : CaseEngineering{};
}

}  // namespace casedesk::app

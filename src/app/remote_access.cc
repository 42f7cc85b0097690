#include "app/remote_access.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

using core::RemoteAccessAction;
using core::RemoteAccessSide;
using core::RemoteAccessStatus;

std::string StatusName(RemoteAccessStatus status) {
  return std::string(core::NameOf<RemoteAccessStatus>(core::kRemoteAccessStatusNames, status));
}

std::string WhenText(absl::Time at) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", at, absl::UTCTimeZone());
}

absl::Status RequestNotFound(core::RemoteAccessId id) {
  return absl::NotFoundError(absl::StrCat("remote access request ", id, " not found"));
}

struct Loaded {
  core::Case record;
  core::RemoteAccessRequest request;
};

// The case (visible to the viewer) and its request; NotFound for a request of another case.
absl::StatusOr<Loaded> LoadRequest(ports::StoreTransaction& txn, const core::Viewer& viewer,
                                   core::CaseNumber number, core::RemoteAccessId id) {
  absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
  if (!record.ok()) return record.status();
  absl::StatusOr<core::RemoteAccessRequest> request = txn.GetRemoteAccessRequest(id);
  if (absl::IsNotFound(request.status())) return RequestNotFound(id);
  if (!request.ok()) return request.status();
  if (request->case_number != number) return RequestNotFound(id);
  return Loaded{*std::move(record), *std::move(request)};
}

RemoteAccessView ViewFor(const core::Viewer& viewer, const core::Case& record,
                         core::RemoteAccessRequest request, absl::Time now) {
  RemoteAccessView view;
  const RemoteAccessSide side = core::RemoteAccessSideOf(viewer, record);
  const bool open_case = record.status != core::CaseStatus::kClosed;
  view.status = core::EffectiveStatus(request, now);
  view.active = core::IsRemoteAccessActive(request, now) && open_case;
  const bool requested = view.status == RemoteAccessStatus::kRequested;
  view.can_grant = side == RemoteAccessSide::kCustomer && requested && open_case;
  view.can_refuse = side == RemoteAccessSide::kCustomer && requested;
  view.can_withdraw = side == RemoteAccessSide::kStaff && requested;
  view.can_revoke =
      side == RemoteAccessSide::kCustomer && view.status == RemoteAccessStatus::kGranted;
  const bool reader = side == RemoteAccessSide::kStaff ||
                      (side == RemoteAccessSide::kCustomer && viewer.user_id == request.decided_by);
  view.can_read_credentials = view.active && reader && !request.credential_fields.empty();
  view.record = std::move(request);
  return view;
}

// Removes the request's credentials from the case's secret fields and records which were
// erased (names only). No-op when there were none.
absl::Status EraseCredentials(AppContext& context, ports::StoreTransaction& txn,
                              core::CaseNumber number, core::RemoteAccessId id, core::UserId actor,
                              absl::Time at, std::string_view why) {
  absl::StatusOr<core::Case> record = txn.GetCase(number);
  if (!record.ok()) return record.status();
  if (record->sealed_secrets.empty()) return absl::OkStatus();
  absl::StatusOr<SecretFields> secrets = UnsealSecretFields(context.crypto, record->sealed_secrets);
  if (!secrets.ok()) return secrets.status();
  const std::string prefix = core::RemoteAccessSecretPrefix(id);
  std::vector<core::FieldChange> erased;
  for (auto it = secrets->begin(); it != secrets->end();) {
    if (it->first.rfind(prefix, 0) == 0) {
      erased.push_back({"secret_fields." + it->first, "(hidden)", ""});
      it = secrets->erase(it);
    } else {
      ++it;
    }
  }
  if (erased.empty()) return absl::OkStatus();
  record->sealed_secrets = SealSecretFields(context.crypto, *secrets);
  if (absl::Status updated = txn.UpdateCase(*record); !updated.ok()) return updated;
  core::AuditEvent event = CaseEvent(number, actor, at, kCaseSecretsErased);
  event.changes = std::move(erased);
  event.reason = std::string(why);
  return txn.AppendEvent(event).status();
}

// Stores the given credentials as the case's secret fields named for the request.
absl::Status StoreCredentials(AppContext& context, ports::StoreTransaction& txn, core::Case& record,
                              core::RemoteAccessId id,
                              const std::map<std::string, std::string>& credentials) {
  if (credentials.empty()) return absl::OkStatus();
  absl::StatusOr<SecretFields> secrets = UnsealSecretFields(context.crypto, record.sealed_secrets);
  if (!secrets.ok()) return secrets.status();
  for (const auto& [name, value] : credentials) {
    (*secrets)[core::RemoteAccessSecretName(id, name)] = value;
  }
  if (absl::Status valid = ValidateSecretFields(*secrets); !valid.ok()) {
    return absl::InvalidArgumentError(
        "credentials: the case cannot hold more secret fields (at most 32)");
  }
  record.sealed_secrets = SealSecretFields(context.crypto, *secrets);
  return txn.UpdateCase(record);
}

// The partner whose sender the case's customers hear from, if any.
absl::StatusOr<std::optional<core::OrgId>> PartnerSender(ports::StoreTransaction& txn,
                                                         const core::Case& record) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record.org_id);
  if (!org.ok()) return org.status();
  if (org->kind == core::OrgKind::kPartner) return std::optional<core::OrgId>(org->id);
  if (!org->parent_id) return std::optional<core::OrgId>();
  absl::StatusOr<core::Organisation> parent = txn.GetOrganisation(*org->parent_id);
  if (!parent.ok()) return parent.status();
  if (parent->kind != core::OrgKind::kPartner) return std::optional<core::OrgId>();
  return std::optional<core::OrgId>(parent->id);
}

nlohmann::json RequestValues(const AppContext& context, const core::Case& record,
                             const core::RemoteAccessRequest& request) {
  return {{"case_subject", record.subject},
          {"method", std::string(core::RemoteAccessMethodLabel(request.method))},
          {"purpose", request.purpose},
          {"window_start", WhenText(request.window_start)},
          {"window_end", WhenText(request.window_end)},
          {"request_id", request.id}};
}

// Queues `kind` to `user` when they are active, have an address and can see the case.
absl::Status QueueTo(ports::StoreTransaction& txn, MailQueue& queue, const core::Case& record,
                     const core::User& user, std::string_view kind, const nlohmann::json& values,
                     std::optional<core::OrgId> sender_org, const std::string& unique_key) {
  if (!user.active || user.email.empty()) return absl::OkStatus();
  absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, user);
  if (!viewer.ok()) return viewer.status();
  if (!core::CanSeeCase(*viewer, record)) return absl::OkStatus();
  MailRequest mail;
  mail.kind = std::string(kind);
  mail.recipient_id = user.id;
  mail.recipient_email = user.email;
  mail.recipient_name = user.name;
  mail.case_number = record.number;
  mail.values = values;
  mail.sender_org = sender_org;
  mail.unique_key = unique_key;
  return queue.Queue(mail).status();
}

// The request, to the requester, the followers and the organisation's admins.
absl::Status MailRequested(AppContext& context, ports::StoreTransaction& txn,
                           const core::Case& record, const core::RemoteAccessRequest& request,
                           const core::User& asker, absl::Time now) {
  std::vector<core::User> recipients;
  std::vector<core::UserId> ids = {record.requester_id};
  ids.insert(ids.end(), record.followers.begin(), record.followers.end());
  for (core::UserId id : ids) {
    absl::StatusOr<std::optional<core::User>> user = UserIfExists(txn, id);
    if (!user.ok()) return user.status();
    if (user->has_value()) recipients.push_back(**user);
  }
  ports::UserFilter filter;
  filter.org_id = record.org_id;
  filter.page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::User>> page = txn.ListUsers(filter);
    if (!page.ok()) return page.status();
    for (const core::User& user : page->items) {
      if (user.org_admin) recipients.push_back(user);
    }
    if (page->next_cursor.empty()) break;
    filter.page.cursor = page->next_cursor;
  }
  absl::StatusOr<std::optional<core::OrgId>> sender = PartnerSender(txn, record);
  if (!sender.ok()) return sender.status();
  nlohmann::json values = RequestValues(context, record, request);
  values["requested_by"] = asker.name;
  values["portal_url"] =
      absl::StrCat(context.public_url, "/portal/cases/", record.number, "#remote-access");
  MailQueue queue({.now = now, .crypto = &context.crypto, .mail_from = context.mail_from}, txn);
  std::vector<core::UserId> done;
  for (const core::User& user : recipients) {
    if (std::find(done.begin(), done.end(), user.id) != done.end()) continue;
    done.push_back(user.id);
    const std::string key = absl::StrCat("remote-access-", request.id, "-requested-", user.id);
    if (absl::Status queued =
            QueueTo(txn, queue, record, user, kMailRemoteAccessRequested, values, *sender, key);
        !queued.ok()) {
      return queued;
    }
  }
  return absl::OkStatus();
}

// A decision, to the case's assignee, else to the staff member who asked.
absl::Status MailDecision(AppContext& context, ports::StoreTransaction& txn,
                          const core::Case& record, const core::RemoteAccessRequest& request,
                          const core::User& actor, absl::Time now) {
  const core::UserId to = record.assignee_id.value_or(request.requested_by);
  absl::StatusOr<std::optional<core::User>> user = UserIfExists(txn, to);
  if (!user.ok()) return user.status();
  if (!user->has_value() || (*user)->id == actor.id) return absl::OkStatus();
  nlohmann::json values = RequestValues(context, record, request);
  values["decision"] = StatusName(request.status);
  values["decided_by"] = actor.name;
  values["reason"] = request.refusal_reason;
  values["credentials_given"] = !request.credential_fields.empty();
  values["console_url"] = absl::StrCat(context.public_url, "/console/cases/", record.number);
  MailQueue queue({.now = now, .crypto = &context.crypto, .mail_from = context.mail_from}, txn);
  const std::string key =
      absl::StrCat("remote-access-", request.id, "-", StatusName(request.status), "-", (*user)->id);
  return QueueTo(txn, queue, record, **user, kMailRemoteAccessDecision, values, std::nullopt, key);
}

std::string_view EventKind(RemoteAccessStatus status) {
  switch (status) {
    case RemoteAccessStatus::kRequested:
      return kRemoteAccessRequested;
    case RemoteAccessStatus::kGranted:
      return kRemoteAccessGranted;
    case RemoteAccessStatus::kRefused:
      return kRemoteAccessRefused;
    case RemoteAccessStatus::kWithdrawn:
      return kRemoteAccessWithdrawn;
    case RemoteAccessStatus::kRevoked:
      return kRemoteAccessRevoked;
    case RemoteAccessStatus::kExpired:
      return kRemoteAccessExpired;
  }
  return kRemoteAccessRequested;
}

absl::Status AppendMoveEvent(ports::StoreTransaction& txn, const core::RemoteAccessRequest& request,
                             RemoteAccessStatus from, core::UserId actor, absl::Time at) {
  core::AuditEvent event = CaseEvent(request.case_number, actor, at, EventKind(request.status));
  event.changes.push_back({"remote_access_id", "", absl::StrCat(request.id)});
  event.changes.push_back(
      {"status", from == request.status ? "" : StatusName(from), StatusName(request.status)});
  if (request.status == RemoteAccessStatus::kGranted && !request.credential_fields.empty()) {
    // Which credentials were given, never their values.
    event.changes.push_back(
        {"credential_fields", "", absl::StrJoin(request.credential_fields, ",")});
  }
  if (request.status == RemoteAccessStatus::kRefused) event.reason = request.refusal_reason;
  return txn.AppendEvent(event).status();
}

// One customer-side or staff move, in its unit of work.
absl::StatusOr<RemoteAccessView> MoveInTransaction(
    ports::StoreTransaction& txn, AppContext& context, const Caller& caller,
    core::CaseNumber number, core::RemoteAccessId id, RemoteAccessAction action,
    const std::string& reason, const std::map<std::string, std::string>& credentials,
    absl::Time now) {
  absl::StatusOr<Loaded> loaded = LoadRequest(txn, caller.viewer, number, id);
  if (!loaded.ok()) return loaded.status();
  core::RemoteAccessRequest& request = loaded->request;
  const RemoteAccessStatus stored = request.status;
  const RemoteAccessStatus from = core::EffectiveStatus(request, now);
  const RemoteAccessSide side = core::RemoteAccessSideOf(caller.viewer, loaded->record);
  if (absl::Status applied =
          core::ApplyRemoteAccessAction(request, action, side, caller.viewer.user_id, now, reason);
      !applied.ok()) {
    return applied;
  }
  if (action == RemoteAccessAction::kGrant) {
    if (loaded->record.status == core::CaseStatus::kClosed) {
      return absl::FailedPreconditionError(
          absl::StrCat("case ", number, " is closed; access cannot be granted"));
    }
    if (absl::Status valid = core::ValidateRemoteAccessCredentials(credentials); !valid.ok()) {
      return valid;
    }
    for (const auto& [name, value] : credentials) request.credential_fields.push_back(name);
  }
  absl::StatusOr<ports::RemoteAccessWrite> written = txn.UpdateRemoteAccessRequest(request, stored);
  if (!written.ok()) return written.status();
  if (*written == ports::RemoteAccessWrite::kStale) {
    return absl::FailedPreconditionError(
        absl::StrCat("remote access request ", id, " was changed meanwhile; reload it"));
  }
  if (action == RemoteAccessAction::kGrant) {
    if (absl::Status stored_credentials =
            StoreCredentials(context, txn, loaded->record, id, credentials);
        !stored_credentials.ok()) {
      return stored_credentials;
    }
  }
  if (absl::Status event = AppendMoveEvent(txn, request, from, caller.viewer.user_id, now);
      !event.ok()) {
    return event;
  }
  if (action == RemoteAccessAction::kRevoke) {
    if (absl::Status erased = EraseCredentials(context, txn, number, id, caller.viewer.user_id, now,
                                               "remote access revoked");
        !erased.ok()) {
      return erased;
    }
  }
  if (action == RemoteAccessAction::kGrant || action == RemoteAccessAction::kRefuse ||
      action == RemoteAccessAction::kRevoke) {
    if (absl::Status mailed = MailDecision(context, txn, loaded->record, request, caller.user, now);
        !mailed.ok()) {
      return mailed;
    }
  }
  absl::StatusOr<core::Case> after = txn.GetCase(number);
  if (!after.ok()) return after.status();
  return ViewFor(caller.viewer, *after, std::move(request), now);
}

void Move(AppContext& context, const Caller& caller, core::CaseNumber number,
          core::RemoteAccessId id, RemoteAccessAction action, std::string reason,
          std::map<std::string, std::string> credentials, Done<RemoteAccessView> done) {
  const absl::Time now = context.clock.Now();
  auto work = [&context, caller, number, id, action, reason = std::move(reason),
               credentials = std::move(credentials),
               now](ports::StoreTransaction& txn) -> absl::StatusOr<RemoteAccessView> {
    return MoveInTransaction(txn, context, caller, number, id, action, reason, credentials, now);
  };
  WriteValue<RemoteAccessView>(context.store, std::move(work),
                               WakingOutbox(context, std::move(done)));
}

// The expiry of one request, in its own unit of work; false when it was not due any more (moved
// by someone else, or expired by another node first).
absl::StatusOr<bool> ExpireOne(ports::StoreTransaction& txn, AppContext& context,
                               core::RemoteAccessId id, absl::Time now) {
  absl::StatusOr<core::RemoteAccessRequest> request = txn.GetRemoteAccessRequest(id);
  if (!request.ok()) return request.status();
  const RemoteAccessStatus stored = request->status;
  if (core::IsFinalRemoteAccessStatus(stored) || now < request->window_end) return false;
  if (absl::Status applied = core::ApplyRemoteAccessAction(*request, RemoteAccessAction::kExpire,
                                                           RemoteAccessSide::kSystem, 0, now);
      !applied.ok()) {
    return applied;
  }
  absl::StatusOr<ports::RemoteAccessWrite> written =
      txn.UpdateRemoteAccessRequest(*request, stored);
  if (!written.ok()) return written.status();
  if (*written == ports::RemoteAccessWrite::kStale) return false;
  if (absl::Status event = AppendMoveEvent(txn, *request, stored, 0, request->ended_at);
      !event.ok()) {
    return event;
  }
  if (absl::Status erased = EraseCredentials(context, txn, request->case_number, id, 0,
                                             request->ended_at, "remote access expired");
      !erased.ok()) {
    return erased;
  }
  return true;
}

}  // namespace

void RequestRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                         RemoteAccessInput input, Done<RemoteAccessView> done) {
  const absl::Time now = context.clock.Now();
  auto work = [&context, caller, number, input = std::move(input),
               now](ports::StoreTransaction& txn) -> absl::StatusOr<RemoteAccessView> {
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
    if (!record.ok()) return record.status();
    if (core::RemoteAccessSideOf(caller.viewer, *record) != RemoteAccessSide::kStaff) {
      return absl::PermissionDeniedError("only provider staff may ask for remote access");
    }
    if (record->status == core::CaseStatus::kClosed) {
      return absl::FailedPreconditionError(
          absl::StrCat("case ", number, " is closed; remote access cannot be requested"));
    }
    core::RemoteAccessRequest request;
    request.case_number = number;
    request.method = input.method;
    request.purpose = input.purpose;
    request.window_start = input.window_start;
    request.window_end = input.window_end;
    request.requested_by = caller.viewer.user_id;
    request.requested_at = now;
    request.updated_at = now;
    if (absl::Status valid = core::ValidateNewRemoteAccessRequest(request, now); !valid.ok()) {
      return valid;
    }
    absl::StatusOr<core::RemoteAccessId> id = txn.InsertRemoteAccessRequest(request);
    if (!id.ok()) return id.status();
    request.id = *id;
    core::AuditEvent event = CaseEvent(number, caller.viewer.user_id, now, kRemoteAccessRequested);
    event.changes = {{"remote_access_id", "", absl::StrCat(request.id)},
                     {"method", "",
                      std::string(core::NameOf<core::RemoteAccessMethod>(
                          core::kRemoteAccessMethodNames, request.method))},
                     {"window_start", "", absl::FormatTime(request.window_start)},
                     {"window_end", "", absl::FormatTime(request.window_end)}};
    event.reason = request.purpose;
    if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) return appended;
    if (absl::Status mailed = MailRequested(context, txn, *record, request, caller.user, now);
        !mailed.ok()) {
      return mailed;
    }
    return ViewFor(caller.viewer, *record, std::move(request), now);
  };
  WriteValue<RemoteAccessView>(context.store, std::move(work),
                               WakingOutbox(context, std::move(done)));
}

absl::StatusOr<std::vector<RemoteAccessView>> ListRemoteAccess(AppContext& context,
                                                               const Caller& caller,
                                                               core::CaseNumber number) {
  const absl::Time now = context.clock.Now();
  return ReadValue<std::vector<RemoteAccessView>>(
      context.store,
      [&](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<RemoteAccessView>> {
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        absl::StatusOr<std::vector<core::RemoteAccessRequest>> requests =
            txn.ListCaseRemoteAccessRequests(number, kMaxRemoteAccessListed);
        if (!requests.ok()) return requests.status();
        std::vector<RemoteAccessView> views;
        views.reserve(requests->size());
        for (core::RemoteAccessRequest& request : *requests) {
          views.push_back(ViewFor(caller.viewer, *record, std::move(request), now));
        }
        return views;
      });
}

absl::StatusOr<RemoteAccessView> GetRemoteAccess(AppContext& context, const Caller& caller,
                                                 core::CaseNumber number, core::RemoteAccessId id) {
  const absl::Time now = context.clock.Now();
  return ReadValue<RemoteAccessView>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<RemoteAccessView> {
        absl::StatusOr<Loaded> loaded = LoadRequest(txn, caller.viewer, number, id);
        if (!loaded.ok()) return loaded.status();
        return ViewFor(caller.viewer, loaded->record, std::move(loaded->request), now);
      });
}

void GrantRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                       core::RemoteAccessId id, std::map<std::string, std::string> credentials,
                       Done<RemoteAccessView> done) {
  Move(context, caller, number, id, RemoteAccessAction::kGrant, "", std::move(credentials),
       std::move(done));
}

void RefuseRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                        core::RemoteAccessId id, std::string reason, Done<RemoteAccessView> done) {
  Move(context, caller, number, id, RemoteAccessAction::kRefuse, std::move(reason), {},
       std::move(done));
}

void RevokeRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                        core::RemoteAccessId id, Done<RemoteAccessView> done) {
  Move(context, caller, number, id, RemoteAccessAction::kRevoke, "", {}, std::move(done));
}

void WithdrawRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                          core::RemoteAccessId id, Done<RemoteAccessView> done) {
  Move(context, caller, number, id, RemoteAccessAction::kWithdraw, "", {}, std::move(done));
}

absl::StatusOr<RemoteAccessCredentials> ReadRemoteAccessCredentials(AppContext& context,
                                                                    const Caller& caller,
                                                                    core::CaseNumber number,
                                                                    core::RemoteAccessId id) {
  const absl::Time now = context.clock.Now();
  return ReadValue<RemoteAccessCredentials>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<RemoteAccessCredentials> {
        absl::StatusOr<Loaded> loaded = LoadRequest(txn, caller.viewer, number, id);
        if (!loaded.ok()) return loaded.status();
        const core::RemoteAccessRequest& request = loaded->request;
        const RemoteAccessSide side = core::RemoteAccessSideOf(caller.viewer, loaded->record);
        const bool reader =
            side == RemoteAccessSide::kStaff ||
            (side == RemoteAccessSide::kCustomer && caller.viewer.user_id == request.decided_by);
        if (!reader) {
          return absl::PermissionDeniedError(
              "only provider staff may read the credentials of a remote access grant");
        }
        if (loaded->record.status == core::CaseStatus::kClosed) {
          return absl::FailedPreconditionError(
              absl::StrCat("case ", number, " is closed; its credentials were erased"));
        }
        const RemoteAccessStatus status = core::EffectiveStatus(request, now);
        if (status != RemoteAccessStatus::kGranted) {
          return absl::FailedPreconditionError(absl::StrCat(
              "remote access request ", id, " is ", StatusName(status), "; no credentials"));
        }
        if (now < request.window_start) {
          return absl::FailedPreconditionError(
              absl::StrCat("remote access request ", id, " opens at ",
                           WhenText(request.window_start), "; credentials are readable then"));
        }
        if (request.credential_fields.empty()) {
          return absl::NotFoundError(
              absl::StrCat("remote access request ", id, " was granted without credentials"));
        }
        absl::StatusOr<SecretFields> secrets =
            UnsealSecretFields(context.crypto, loaded->record.sealed_secrets);
        if (!secrets.ok()) return secrets.status();
        RemoteAccessCredentials credentials;
        credentials.id = id;
        credentials.until = request.window_end;
        const std::string prefix = core::RemoteAccessSecretPrefix(id);
        for (const auto& [name, value] : *secrets) {
          if (name.rfind(prefix, 0) == 0) credentials.values[name.substr(prefix.size())] = value;
        }
        if (credentials.values.empty()) {
          return absl::NotFoundError(
              absl::StrCat("remote access request ", id, ": the credentials were erased"));
        }
        return credentials;
      });
}

absl::StatusOr<int> ExpireEndedRemoteAccess(AppContext& context, absl::Time now, int limit) {
  absl::StatusOr<std::vector<core::RemoteAccessRequest>> due =
      ReadValue<std::vector<core::RemoteAccessRequest>>(
          context.store, [&](ports::StoreTransaction& txn) {
            return txn.ListEndedRemoteAccessRequests(now, limit);
          });
  if (!due.ok()) return due.status();
  int expired = 0;
  for (const core::RemoteAccessRequest& request : *due) {
    const core::RemoteAccessId id = request.id;
    absl::StatusOr<bool> done = Await<bool>([&](Done<bool> finish) {
      WriteValue<bool>(
          context.store,
          [&context, id, now](ports::StoreTransaction& txn) {
            return ExpireOne(txn, context, id, now);
          },
          std::move(finish));
    });
    if (!done.ok()) return done.status();
    if (*done) ++expired;
  }
  return expired;
}

}  // namespace casedesk::app

// The portal's Contacts page for organisation admins: GET /portal/contacts lists the
// organisation's people; POST /portal/contacts invites one; POST
// /portal/contacts/{id}/active|org-admin|invitation deactivate or reactivate a contact, make or
// unmake an organisation admin, and send an invitation again. Successful forms redirect back
// with a fixed notice (post, redirect, get); refusals show the page again with the error beside
// the form it is about. Anyone else gets 404: the page does not exist for them.
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/web_accounts.h"
#include "adapters/http/web_auth.h"
#include "adapters/http/web_message_page.h"
#include "adapters/web/account_contacts_page.h"
#include "app/account_contacts.h"
#include "app/store_calls.h"
#include "app/users.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

constexpr char kContactsPath[] = "/portal/contacts";

// The fixed confirmations a redirect may ask for; anything else shows none.
std::string NoticeFor(std::string_view done) {
  if (done == "invited") return "The invitation is on its way.";
  if (done == "reinvited") return "The invitation was sent again.";
  if (done == "deactivated") return "The contact was deactivated.";
  if (done == "reactivated") return "The contact was reactivated.";
  if (done == "admin") return "The contact is now an organisation admin.";
  if (done == "not-admin") return "The contact is no longer an organisation admin.";
  return "";
}

// The frame's facts: whose support brand the person sees (a partner's for its customers, the
// provider's otherwise) and their organisation's name.
absl::StatusOr<web::PortalFrame> FrameFor(app::AppContext& context, const WebCaller& web) {
  web::PortalFrame frame;
  frame.user_name = web.caller.user.name;
  frame.csrf_token = web.csrf_token;
  frame.org_admin = app::ManagesContacts(web.caller.viewer);
  frame.active = "contacts";
  frame.title = "Contacts";
  const absl::Status status = context.store.Read([&](ports::StoreTransaction& txn) {
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(web.caller.user.org_id);
    if (!org.ok()) return org.status();
    frame.org_name = org->name;
    if (org->parent_id) {
      absl::StatusOr<core::Organisation> parent = txn.GetOrganisation(*org->parent_id);
      if (!parent.ok()) return parent.status();
      if (parent->kind == core::OrgKind::kPartner) {
        frame.brand_name = parent->name;
        frame.show_status_link = false;
        return absl::OkStatus();
      }
    }
    absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
    if (!provider.ok()) return provider.status();
    if (provider->has_value()) frame.brand_name = (*provider)->name;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return frame;
}

HttpResponse Unavailable() {
  return MessagePage(503, "Unavailable",
                     "The desk is unavailable at the moment; try again shortly.");
}

HttpResponse NotFound() { return MessagePage(404, "Not found", "There is no such page."); }

// The page, with `posted` (a refused form) and `notice`.
HttpResponse ContactsPage(app::AppContext& context, const WebCaller& web, int status,
                          web::PostedForm posted, std::string notice) {
  absl::StatusOr<app::ContactList> list = app::ListContacts(context, web.caller.viewer);
  if (absl::IsPermissionDenied(list.status())) return NotFound();
  if (!list.ok()) return Unavailable();
  absl::StatusOr<web::PortalFrame> frame = FrameFor(context, web);
  if (!frame.ok()) return Unavailable();
  frame->notice = std::move(notice);
  web::ContactsView view;
  view.org_name = list->org.name;
  for (const core::User& user : list->contacts) {
    view.contacts.push_back({.id = user.id,
                             .name = user.name,
                             .email = user.email,
                             .active = user.active,
                             .invited = !user.verified && user.password_hash.empty(),
                             .org_admin = user.org_admin,
                             .is_self = user.id == web.caller.user.id});
  }
  view.posted = std::move(posted);
  return HtmlPage(status, web::RenderContactsPage(*frame, view));
}

int ContactStatusFor(const absl::Status& status) {
  if (absl::IsInvalidArgument(status)) return 400;
  if (absl::IsNotFound(status)) return 404;
  if (absl::IsPermissionDenied(status)) return 403;
  if (absl::IsAlreadyExists(status) || absl::IsFailedPrecondition(status)) return 409;
  return 503;
}

// What a finished action answers: back to the list with `done`'s notice, or the page again
// with the refusal beside `form`.
app::Done<core::User> Answer(app::AppContext& context, WebCaller web, Respond respond,
                             web::PostedForm form, std::string done) {
  return [&context, web = std::move(web), respond = std::move(respond), form = std::move(form),
          done = std::move(done)](absl::StatusOr<core::User> outcome) mutable {
    if (outcome.ok()) return respond(SeeOther(absl::StrCat(kContactsPath, "?done=", done)));
    const int status = ContactStatusFor(outcome.status());
    if (status == 503) return respond(Unavailable());
    if (status == 404) return respond(NotFound());
    form.error = std::string(outcome.status().message());
    respond(ContactsPage(context, web, status, std::move(form), ""));
  };
}

std::optional<core::UserId> ContactId(const HttpRequest& request) {
  const auto it = request.path_params.find("id");
  int64_t id = 0;
  if (it == request.path_params.end() || !absl::SimpleAtoi(it->second, &id) || id <= 0) {
    return std::nullopt;
  }
  return id;
}

void Invite(app::AppContext& context, const HttpRequest& request, Respond respond,
            const WebCaller& web) {
  if (!app::ManagesContacts(web.caller.viewer)) return respond(NotFound());
  // WebAuthenticated checked the form already.
  const Fields fields = FormFields(request).value_or(Fields{});
  web::PostedForm form{"invite", fields, ""};
  app::InviteContact(context, web.caller, {FormValue(fields, "email"), FormValue(fields, "name")},
                     Answer(context, web, std::move(respond), std::move(form), "invited"));
}

// Changes one flag of a contact through app/users' UpdateUser and its rules.
void ChangeContact(app::AppContext& context, const HttpRequest& request, Respond respond,
                   const WebCaller& web, std::string_view field) {
  if (!app::ManagesContacts(web.caller.viewer)) return respond(NotFound());
  const std::optional<core::UserId> id = ContactId(request);
  if (!id) return respond(NotFound());
  const Fields fields = FormFields(request).value_or(Fields{});
  const bool on = FormValue(fields, field) == "true";
  app::UserPatch patch;
  std::string done;
  if (field == "active") {
    patch.active = on;
    done = on ? "reactivated" : "deactivated";
  } else {
    patch.org_admin = on;
    done = on ? "admin" : "not-admin";
  }
  web::PostedForm form{absl::StrCat("contact-", *id), fields, ""};
  app::UpdateUser(context, web.caller.viewer, *id, std::move(patch),
                  Answer(context, web, std::move(respond), std::move(form), std::move(done)));
}

void Reinvite(app::AppContext& context, const HttpRequest& request, Respond respond,
              const WebCaller& web) {
  if (!app::ManagesContacts(web.caller.viewer)) return respond(NotFound());
  const std::optional<core::UserId> id = ContactId(request);
  if (!id) return respond(NotFound());
  web::PostedForm form{absl::StrCat("contact-", *id), {}, ""};
  app::ResendInvitation(context, web.caller, *id,
                        Answer(context, web, std::move(respond), std::move(form), "reinvited"));
}

}  // namespace

void RegisterAccountContactRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", kContactsPath,
      WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                           const WebCaller& web) {
        respond(ContactsPage(context, web, 200, {}, NoticeFor(request.Query("done").value_or(""))));
      }));
  router.Add("POST", kContactsPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               Invite(context, request, std::move(respond), web);
             }));
  router.Add("POST", "/portal/contacts/{id}/active",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               ChangeContact(context, request, std::move(respond), web, "active");
             }));
  router.Add("POST", "/portal/contacts/{id}/org-admin",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               ChangeContact(context, request, std::move(respond), web, "org_admin");
             }));
  router.Add("POST", "/portal/contacts/{id}/invitation",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               Reinvite(context, request, std::move(respond), web);
             }));
}

}  // namespace casedesk::adapters::http

// The signed-out account pages. Every page is the same centred frame around one block: a form
// of labelled fields (errors beside them, described by aria-describedby) or a short message
// with the links that lead on.
#include "adapters/web/account_pages.h"

#include <kainjow/mustache.hpp>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kFrameTemplate = R"html(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · Casedesk</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/casedesk.css">
</head>
<body class="cd-centred-body">
<main id="main" class="cd-centred ac-page">
<h1>{{title}}</h1>
{{#intro}}<p class="ac-intro">{{intro}}</p>{{/intro}}
{{#form_error}}<p class="sp-flash sp-flash-error" id="account-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{form_error}}</p>{{/form_error}}
{{#form}}
<form class="sp-form cd-sign-in ac-form" method="post" action="{{action}}"{{#form_error}} aria-describedby="account-error"{{/form_error}}>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">
{{/hidden}}
{{#fields}}
<div class="sp-field">
<label for="{{id}}">{{label}}</label>
<input id="{{id}}" name="{{name}}" type="{{type}}"{{#value}} value="{{value}}"{{/value}} required maxlength="{{maxlength}}"{{#minlength}} minlength="{{minlength}}"{{/minlength}} autocomplete="{{autocomplete}}"{{#plain}} autocapitalize="none" spellcheck="false"{{/plain}}{{#error}} aria-invalid="true"{{/error}}{{#describedby}} aria-describedby="{{describedby}}"{{/describedby}}>
{{#hint}}<p class="sp-hint" id="{{id}}-hint">{{hint}}</p>{{/hint}}
{{#error}}<p class="ac-field-error" id="{{id}}-error"><span class="sp-icon" aria-hidden="true">!</span> {{error}}</p>{{/error}}
</div>
{{/fields}}
<button type="submit" class="sp-button">{{submit}}</button>
</form>
{{/form}}
{{#has_links}}
<ul class="ac-links">
{{#links}}<li><a href="{{href}}">{{text}}</a></li>
{{/links}}
</ul>
{{/has_links}}
</main>
</body>
</html>
)html";

// The part of `error` after "<field>: " when it is about `field`, else "".
std::string ErrorAbout(const std::string& error, std::string_view field) {
  const std::string prefix = std::string(field) + ": ";
  return error.rfind(prefix, 0) == 0 ? error.substr(prefix.size()) : "";
}

struct Field {
  std::string id;
  std::string name;
  std::string label;
  std::string type;
  std::string value;
  std::string autocomplete;
  std::string hint;
  int maxlength = 254;
  int minlength = 0;
  bool plain = false;  // an address: no capitals, no spelling correction
};

struct Page {
  std::string title;
  std::string intro;
  std::string action;  // empty: no form
  std::string csrf_token;
  std::vector<std::pair<std::string, std::string>> hidden;
  std::vector<Field> fields;
  std::string submit;
  std::string error;  // the whole form's; a field's error goes beside it
  std::vector<std::pair<std::string, std::string>> links;  // href, text
};

std::string Render(const Page& page) {
  Data data{Data::type::object};
  data.set("title", CleanText(page.title));
  data.set("intro", CleanTextOrFalse(page.intro));
  // An error about one of the fields is shown beside it, any other above the form.
  bool placed = false;
  Data fields{Data::type::list};
  for (const Field& field : page.fields) {
    Data item{Data::type::object};
    item.set("id", field.id);
    item.set("name", field.name);
    item.set("label", CleanText(field.label));
    item.set("type", field.type);
    item.set("value", CleanTextOrFalse(field.value));
    item.set("autocomplete", field.autocomplete);
    item.set("maxlength", std::to_string(field.maxlength));
    item.set("minlength",
             field.minlength > 0 ? Data{std::to_string(field.minlength)} : Data{false});
    item.set("plain", Data{field.plain});
    item.set("hint", CleanTextOrFalse(field.hint));
    const std::string error = ErrorAbout(page.error, field.name);
    if (!error.empty()) placed = true;
    item.set("error", CleanTextOrFalse(error));
    std::string described;
    if (!field.hint.empty()) described = field.id + "-hint";
    if (!error.empty()) described += (described.empty() ? "" : " ") + field.id + "-error";
    item.set("describedby", CleanTextOrFalse(described));
    fields.push_back(item);
  }
  data.set("form_error", CleanTextOrFalse(placed ? "" : page.error));
  if (page.action.empty()) {
    data.set("form", Data{false});
  } else {
    Data form{Data::type::object};
    form.set("action", page.action);
    form.set("csrf_token", CleanText(page.csrf_token));
    Data hidden{Data::type::list};
    for (const auto& [name, value] : page.hidden) {
      Data item{Data::type::object};
      item.set("name", name);
      item.set("value", CleanText(value));
      hidden.push_back(item);
    }
    form.set("hidden", hidden);
    form.set("fields", fields);
    form.set("submit", CleanText(page.submit));
    data.set("form", form);
  }
  Data links{Data::type::list};
  for (const auto& [href, text] : page.links) {
    Data item{Data::type::object};
    item.set("href", href);
    item.set("text", CleanText(text));
    links.push_back(item);
  }
  data.set("links", links);
  data.set("has_links", Data{!page.links.empty()});
  mustache::mustache document{std::string(kFrameTemplate)};
  return document.render(data);
}

Field EmailField(std::string id, std::string value, std::string hint = "") {
  return Field{.id = std::move(id),
               .name = "email",
               .label = "Email address",
               .type = "email",
               .value = std::move(value),
               .autocomplete = "email",
               .hint = std::move(hint),
               .plain = true};
}

const char kCheckMail[] = "Check your mail";

}  // namespace

std::string RenderSignUpPage(const SignUpView& view) {
  Page page;
  if (view.sent) {
    page.title = kCheckMail;
    page.intro =
        "We have sent a message to the address you gave, telling you what to do next. It may "
        "take a few minutes to arrive; if nothing comes, look in your spam folder.";
    page.links = {{"/login", "Sign in"}};
    return Render(page);
  }
  page.title = "Sign up";
  page.intro =
      "Use your work email address: it tells us which organisation you belong to. We will send "
      "you a link to confirm it and choose your password.";
  page.action = "/signup";
  page.csrf_token = view.csrf_token;
  page.fields = {Field{.id = "signup-name",
                       .name = "name",
                       .label = "Your name",
                       .type = "text",
                       .value = view.name,
                       .autocomplete = "name",
                       .maxlength = 200},
                 EmailField("signup-email", view.email)};
  page.submit = "Sign up";
  page.error = view.error;
  page.links = {{"/login", "Already have an account? Sign in"},
                {"/password/forgot", "Forgot your password?"}};
  return Render(page);
}

std::string RenderForgotPasswordPage(const ForgotPasswordView& view) {
  Page page;
  if (view.sent) {
    page.title = kCheckMail;
    page.intro =
        "If an account uses that address, we have sent it a link to choose a new password. The "
        "link works once, within an hour.";
    page.links = {{"/login", "Sign in"}};
    return Render(page);
  }
  page.title = "Forgot your password?";
  page.intro =
      "Enter the address you sign in with and we will send you a link to choose a new "
      "password.";
  page.action = "/password/forgot";
  page.csrf_token = view.csrf_token;
  page.fields = {EmailField("forgot-email", view.email)};
  page.submit = "Send the link";
  page.error = view.error;
  page.links = {{"/login", "Sign in"}, {"/signup", "No account yet? Sign up"}};
  return Render(page);
}

std::string RenderChoosePasswordPage(const ChoosePasswordView& view) {
  Page page;
  const bool reset = view.kind == PasswordLinkKind::kReset;
  page.title = reset ? "Choose a new password" : "Choose your password";
  page.intro = std::string(view.kind == PasswordLinkKind::kVerify   ? "Your address is confirmed. "
                           : view.kind == PasswordLinkKind::kInvite ? "Welcome! "
                                                                    : "") +
               "Choose the password for " + view.email + "; you will be signed in at once.";
  page.action = reset ? "/password/reset" : "/verify";
  page.csrf_token = view.csrf_token;
  page.hidden = {{"token", view.token}};
  page.fields = {Field{.id = "new-password",
                       .name = "password",
                       .label = "Password",
                       .type = "password",
                       .autocomplete = "new-password",
                       .hint = "At least 10 characters, and not your name or address.",
                       .maxlength = 1024,
                       .minlength = 10},
                 Field{.id = "new-password-confirmation",
                       .name = "password_confirmation",
                       .label = "Password again",
                       .type = "password",
                       .autocomplete = "new-password",
                       .maxlength = 1024,
                       .minlength = 10}};
  page.submit = "Save and sign in";
  page.error = view.error;
  return Render(page);
}

std::string RenderInvalidLinkPage(PasswordLinkKind kind, const std::string& message) {
  Page page;
  page.title = "This link does not work";
  page.intro = message;
  if (kind == PasswordLinkKind::kReset) {
    page.links = {{"/password/forgot", "Ask for a new link"}, {"/login", "Sign in"}};
  } else {
    page.links = {{"/signup", "Sign up again for a new link"},
                  {"/password/forgot", "Already chose a password? Reset it"},
                  {"/login", "Sign in"}};
  }
  return Render(page);
}

}  // namespace casedesk::adapters::web

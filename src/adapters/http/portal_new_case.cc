// GET /portal/cases/new (the category step, then the intake form for ?category=...&org_id=...)
// and POST /portal/cases (multipart/form-data): app::OpenPortalCase, then 303 to the new case,
// or the form again with the typed values and the error beside its field.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/http/portal_routes.h"
#include "adapters/http/portal_support.h"
#include "adapters/http/problem.h"
#include "adapters/web/portal_new_case_page.h"
#include "adapters/web/portal_text.h"
#include "app/portal_intake.h"
#include "app/severity_definitions.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kTitle[] = "Open a case";

struct FieldSpec {
  std::string_view key;
  std::string_view label;
  std::string_view hint;
  bool multiline = false;
  bool partner_only = false;  // shown to partner agents (and to others only when required)
};

// The intake fields in the order the form asks for them (seed 001's list).
constexpr FieldSpec kFieldSpecs[] = {
    {"error_text", "Error message", "Copy the error or warning exactly as it is shown.", true},
    {"steps_tried", "Steps already tried", "What you have done to verify or solve it so far.",
     true},
    {"server_name", "Server name", "The name of the server or system that has the problem."},
    {"external_ip", "External IP address", ""},
    {"stack", "Stack", "Which stack the server or the error is on."},
    {"customer_alias", "Customer name and alias", "", false, true},
    {"partner_reference", "Your reference number",
     "Your own ticket number, if you track the case under a different number.", false, true},
    {"cc", "People to CC",
     "Email addresses of people in the organisation who should hear about this case, separated "
     "by commas.",
     false},
};

std::string_view CategoryHint(core::Category category) {
  switch (category) {
    case core::Category::kIncident:
      return "Something is broken or not working as it should.";
    case core::Category::kServiceRequest:
      return "Ask us to do something for you: a restore, a change, a task.";
    case core::Category::kQuestion:
      return "Ask how something works.";
    case core::Category::kProblem:
      return "Something keeps going wrong and needs its cause found.";
  }
  return "";
}

std::optional<core::Category> CategoryFrom(std::string_view value) {
  return core::EnumFromName<core::Category>(core::kCategoryNames, value);
}

// The organisation the case is for: the person's own, or for a partner agent one of their
// customers named by `org_id` (anything else falls back to their own).
const core::Organisation& TargetOrganisation(const app::PortalIdentity& identity,
                                             std::string_view org_id) {
  int64_t id = 0;
  if (absl::SimpleAtoi(std::string(org_id), &id)) {
    for (const core::Organisation& customer : identity.customers) {
      if (customer.id == id) return customer;
    }
  }
  return identity.organisation;
}

// The intake form for `category` and `org`, with `post`'s values when it comes back.
web::PortalIntakeForm BuildForm(app::AppContext& context, const PortalPage& page,
                                const WebCaller& web, core::Category category,
                                const core::Organisation& org, const PortalPost* post) {
  web::PortalIntakeForm form;
  form.category = std::string(core::NameOf<core::Category>(core::kCategoryNames, category));
  form.category_label = web::PortalCategoryText(category);
  if (org.id != page.identity.organisation.id) {
    form.org_id = absl::StrCat(org.id);
    form.org_name = org.name;
  }
  const auto value = [post](std::string_view key) {
    return post ? post->Value(key) : std::string();
  };
  form.subject = {"subject", "Subject", "One line that says what is wrong.", value("subject")};
  form.subject.required = true;
  form.description = {"description", "Description",
                      "What happens, since when, and what you expected instead.",
                      value("description")};
  form.description.required = true;
  form.description.multiline = true;
  form.severity = value("severity");
  absl::StatusOr<std::vector<core::SeverityDefinition>> severities =
      app::GetSeverityDefinitions(context);
  form.severities = severities.ok() ? *std::move(severities) : app::DefaultSeverityDefinitions();
  absl::StatusOr<app::PortalIntakeSettings> settings = app::GetPortalIntakeSettings(context);
  const std::set<std::string> required = app::RequiredIntakeFields(
      settings.ok() ? *settings : app::DefaultPortalIntakeSettings(), org.plan, category);
  const bool partner = web.caller.viewer.role == core::Role::kPartnerAgent;
  for (const FieldSpec& spec : kFieldSpecs) {
    const bool needed = required.count(std::string(spec.key)) > 0;
    if (spec.key == app::kIntakePartnerReference && !partner) continue;
    if (spec.partner_only && !partner && !needed) continue;
    web::PortalInputField field{std::string(spec.key), std::string(spec.label),
                                std::string(spec.hint), value(spec.key)};
    field.required = needed;
    field.multiline = spec.multiline;
    form.fields.push_back(std::move(field));
  }
  form.attachments_required = required.count(std::string(app::kIntakeAttachments)) > 0;
  form.credentials_required = required.count(std::string(app::kIntakeCredentials)) > 0;
  form.max_file_size = web::FileSizeText(context.limits.max_attachment_bytes);
  form.resubmitted = post != nullptr;
  return form;
}

void ShowNewCase(app::AppContext& context, app::StatusPageCache& cache, const HttpRequest& request,
                 Respond respond, const WebCaller& web) {
  absl::StatusOr<PortalPage> page = LoadPortalPage(context, cache, web, kTitle, "new");
  if (!page.ok()) return respond(PortalLoadFailure(page.status(), request.method));
  const std::optional<core::Category> category =
      CategoryFrom(request.Query("category").value_or(""));
  const std::string org_id(request.Query("org_id").value_or(""));
  if (!category) {
    web::PortalCategoryStep step;
    for (const auto& [value, name] : core::kCategoryNames) {
      step.categories.push_back({std::string(name), web::PortalCategoryText(value),
                                 std::string(CategoryHint(value)),
                                 value == core::Category::kIncident});
    }
    if (!page->identity.customers.empty()) {
      step.customers.push_back({absl::StrCat(page->identity.organisation.id),
                                absl::StrCat(page->identity.organisation.name, " (your own)"), "",
                                false});
      for (const core::Organisation& customer : page->identity.customers) {
        const std::string id = absl::StrCat(customer.id);
        step.customers.push_back({id, customer.name, "", id == org_id});
      }
    }
    return respond(HtmlPage(200, web::RenderPortalCategoryStep(page->frame, step)));
  }
  const core::Organisation& org = TargetOrganisation(page->identity, org_id);
  web::PortalIntakeForm form = BuildForm(context, *page, web, *category, org, nullptr);
  respond(HtmlPage(200, web::RenderPortalIntakeForm(page->frame, form)));
}

// Puts a refusal beside the field it names, or at the top of the form.
void PlaceError(web::PortalIntakeForm& form, const absl::Status& status) {
  const std::string field = RefusedField(status);
  const std::string text = RefusalWithoutField(status);
  if (field == "subject") {
    form.subject.error = text;
  } else if (field == "description") {
    form.description.error = text;
  } else if (field == "severity") {
    form.severity_error = text;
  } else if (field == app::kIntakeAttachments) {
    form.attachments_error = text;
  } else if (field == app::kIntakeCredentials) {
    form.credentials_error = text;
  } else {
    for (web::PortalInputField& input : form.fields) {
      if (!field.empty() && input.key == field) {
        input.error = text;
        return;
      }
    }
    form.form_error = PortalRefusalText(status);
  }
}

std::vector<std::string> Addresses(const std::string& text) {
  std::vector<std::string> addresses;
  for (absl::string_view part : absl::StrSplit(text, absl::ByAnyChar(",; \n\r\t"))) {
    if (!part.empty()) addresses.emplace_back(part);
  }
  return addresses;
}

void SubmitNewCase(app::AppContext& context, app::StatusPageCache& cache,
                   const HttpRequest& request, Respond respond, const WebCaller& web,
                   PortalPost post) {
  absl::StatusOr<PortalPage> page = LoadPortalPage(context, cache, web, kTitle, "new");
  if (!page.ok()) return respond(PortalLoadFailure(page.status(), request.method));
  const std::optional<core::Category> category = CategoryFrom(post.Value("category"));
  if (!category) return respond(SeeOther("/portal/cases/new"));
  // A copy: the page moves into the answer below.
  const core::Organisation org = TargetOrganisation(page->identity, post.Value("org_id"));

  app::PortalCaseSubmission submission;
  app::OpenCaseRequest& open = submission.request;
  open.subject = post.Value("subject");
  open.description = post.Value("description");
  int severity = 0;
  open.severity = absl::SimpleAtoi(post.Value("severity"), &severity) ? severity : 0;
  open.category = *category;
  if (org.id != page->identity.organisation.id) open.org_id = org.id;
  for (const std::string_view key : app::kIntakeCaseFields) {
    const std::string value = post.Value(key);
    if (!value.empty()) open.fields[std::string(key)] = value;
  }
  open.partner_reference = post.Value(app::kIntakePartnerReference);
  if (const std::string secret = post.Value(app::kIntakeCredentials); !secret.empty()) {
    open.secret_fields["credentials"] = secret;
  }
  submission.cc_emails = Addresses(post.Value(app::kIntakeCc));
  submission.files = std::move(post.files);

  auto shown = std::make_shared<PortalPage>(*std::move(page));
  auto kept = std::make_shared<PortalPost>(std::move(post));  // without the files
  app::OpenPortalCase(
      context, web.caller, std::move(submission),
      [&context, web, shown, kept, category = *category, org,
       respond = std::move(respond)](absl::StatusOr<app::PortalOpenedCase> opened) {
        if (opened.ok()) {
          const bool all_files = opened->files_not_attached.empty();
          return respond(SeeOther(absl::StrCat(PortalCasePath(opened->view.record.number),
                                               "?notice=", all_files ? "opened" : "files_failed")));
        }
        web::PortalIntakeForm form = BuildForm(context, *shown, web, category, org, kept.get());
        PlaceError(form, opened.status());
        respond(HtmlPage(HttpStatusFor(opened.status()),
                         web::RenderPortalIntakeForm(shown->frame, form)));
      });
}

}  // namespace

void RegisterPortalNewCaseRoutes(Router& router, app::AppContext& context,
                                 app::StatusPageCache& cache) {
  router.Add("GET", "/portal/cases/new",
             WebAuthenticated(context, [&context, &cache](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web) {
               ShowNewCase(context, cache, request, std::move(respond), web);
             }));
  router.Add("POST", "/portal/cases",
             PortalFormAuthenticated(
                 context, [&context, &cache](const HttpRequest& request, Respond respond,
                                             const WebCaller& web, PortalPost post) {
                   SubmitNewCase(context, cache, request, std::move(respond), web, std::move(post));
                 }));
}

}  // namespace casedesk::adapters::http

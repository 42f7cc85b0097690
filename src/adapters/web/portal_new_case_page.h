// The portal's "Open a case" pages (/portal/cases/new). Step one chooses the category (and, for
// partner agents, the customer the case is for), a GET form; step two is the intake form for
// that category: subject and description, the severity picker with each level's definition and
// examples, the intake fields (required ones marked, per the desk's intake configuration), people
// to CC, screenshots and logs (multipart/form-data), a secret field for credentials (never shown
// back), and the partner's own reference for partner agents. A refused form comes back with the
// typed values kept (never the secret nor the files) and the error beside its field.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/web/portal_layout.h"
#include "core/severity.h"

namespace casedesk::adapters::web {

struct PortalChoice {
  std::string value;
  std::string label;
  std::string hint;  // a line under the label; "" for none
  bool selected = false;
};

struct PortalCategoryStep {
  std::vector<PortalChoice> categories;
  std::vector<PortalChoice> customers;  // partner agents: the organisations they work for
};

struct PortalInputField {
  std::string key;  // the form field's name
  std::string label;
  std::string hint;
  std::string value;
  std::string error;
  bool required = false;
  bool multiline = false;
};

struct PortalIntakeForm {
  std::string category;        // the form's category value ("incident")
  std::string category_label;  // "Incident"
  std::string org_id;          // partner agents: the customer chosen in step one; "" otherwise
  std::string org_name;        // shown when org_id is set
  PortalInputField subject;
  PortalInputField description;
  std::vector<core::SeverityDefinition> severities;
  std::string severity;  // the chosen level, "1".."4", or ""
  std::string severity_error;
  std::vector<PortalInputField> fields;  // intake fields, partner reference and CC included
  bool attachments_required = false;
  std::string attachments_error;
  std::string max_file_size = "25 MB";  // per file, as the hint says it
  bool credentials_required = false;
  std::string credentials_error;
  std::string form_error;    // a refusal that belongs to no one field
  bool resubmitted = false;  // the form came back: files and the secret must be given again
};

std::string RenderPortalCategoryStep(const PortalFrame& frame, const PortalCategoryStep& step);
std::string RenderPortalIntakeForm(const PortalFrame& frame, const PortalIntakeForm& form);

}  // namespace casedesk::adapters::web

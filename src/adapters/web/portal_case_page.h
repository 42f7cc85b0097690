// The portal's case page (/portal/cases/{number}): the case's subject, status, severity and the
// SLA promise in plain words; what was reported (description, intake fields, files); the public
// conversation, oldest first, with each comment's files as downloads; and the forms: reply (with
// files, multipart/form-data), ask for an escalation with a reason, and for partner agents their
// own reference number. Refused forms come back with the typed text kept and the error beside
// the field. Thread-safe: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/web/portal_layout.h"
#include "adapters/web/portal_remote_access_section.h"
#include "adapters/web/portal_service_task_section.h"

namespace casedesk::adapters::web {

struct PortalFileLink {
  std::string name;
  std::string href;  // /portal/files/{id}
  std::string size;  // "12 KB"
};

struct PortalCommentEntry {
  std::string author;    // a person's name
  std::string side;      // "You", "Support", "Customer", ...
  bool support = false;  // written by the support side (styled apart, and said in words)
  std::string time;      // in the person's time zone
  std::string time_iso;  // RFC 3339 UTC for <time datetime>
  std::string body;
  std::vector<PortalFileLink> files;
};

struct PortalCasePageView {
  std::string number;
  std::string subject;
  std::string status;
  std::string status_class;
  std::string severity;
  std::string category;
  std::string org_name;
  std::string opened;  // when, in the person's time zone
  std::string promise;
  bool promise_late = false;
  std::string description;
  std::vector<std::pair<std::string, std::string>> facts;  // label, value (intake fields)
  std::string partner_reference;                           // shown to partner agents
  std::vector<PortalFileLink> files;                       // files not carried by a comment
  std::vector<PortalCommentEntry> comments;
  bool closed = false;         // no more replies or requests
  bool partner_agent = false;  // shows the reference form and "escalate to <provider>"
  std::string provider_name;   // partner agents: who an escalation goes to
  std::string max_file_size = "25 MB";
  // The forms' kept values and errors.
  std::string reply_body;
  std::string reply_error;
  std::string escalation_reason;
  std::string escalation_error;
  std::string reference_error;
  PortalRemoteAccessSection remote_access;  // remote access requests (issue 7)
  PortalServiceTaskSection service_task;    // the estimate and its decision (issue 7)
};

std::string RenderPortalCasePage(const PortalFrame& frame, const PortalCasePageView& view);

}  // namespace casedesk::adapters::web

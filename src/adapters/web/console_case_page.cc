#include "adapters/web/console_case_page.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_case_templates.h"
#include "adapters/web/console_engineering_section.h"
#include "adapters/web/console_hours_section.h"
#include "adapters/web/console_remote_access_section.h"
#include "adapters/web/console_service_task_section.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

Data TextOrFalse(const std::string& text) { return text.empty() ? Data{false} : Data{text}; }
Data List() { return Data{Data::type::list}; }
Data Object() { return Data{Data::type::object}; }

void AddTime(Data& data, const std::string& prefix, absl::Time time) {
  data.set(prefix + "_iso", IsoTime(time));
  data.set(prefix + "_text", ShortTime(time));
}

Data Option(const std::string& value, const std::string& label, bool selected) {
  Data option = Object();
  option.set("value", value);
  option.set("label", CleanText(label));
  option.set("selected", selected);
  return option;
}

std::string SizeText(int64_t bytes) {
  if (bytes < 1024) return absl::StrCat(bytes, " B");
  if (bytes < 1024 * 1024) return absl::StrCat((bytes + 512) / 1024, " KB");
  return absl::StrCat((bytes + 512 * 1024) / (1024 * 1024), " MB");
}

Data File(const core::Attachment& attachment) {
  Data file = Object();
  file.set("file_id", CleanText(attachment.id));
  file.set("file_name", CleanText(attachment.filename.empty() ? "file" : attachment.filename));
  file.set("file_size", SizeText(attachment.size));
  file.set("file_internal", attachment.visibility == core::Visibility::kInternal);
  return file;
}

Data Comments(const ConsoleCaseView& view) {
  Data comments = List();
  for (const app::CommentView& entry : view.comments) {
    const bool internal = entry.comment.visibility == core::Visibility::kInternal;
    Data comment = Object();
    comment.set("comment_id", absl::StrCat(entry.comment.id));
    comment.set("internal", internal);
    comment.set("kind_label", internal ? "Internal note" : "Public reply");
    comment.set("author", CleanText(entry.author_name.empty()
                                        ? PersonName(view.names, entry.comment.author_id)
                                        : entry.author_name));
    AddTime(comment, "at", entry.comment.created_at);
    comment.set("channel", TextOrFalse(CleanText(entry.comment.channel)));
    comment.set("body", CleanText(entry.comment.body));
    Data files = List();
    for (const core::Attachment& attachment : entry.attachments) files.push_back(File(attachment));
    comment.set("files", files);
    comment.set("has_files", !entry.attachments.empty());
    comments.push_back(comment);
  }
  return comments;
}

Data Event(const core::AuditEvent& event, const std::map<core::UserId, std::string>& names) {
  Data data = Object();
  AddTime(data, "at", event.at);
  data.set("kind_text", EventKindText(event.kind));
  data.set("actor", CleanText(PersonName(names, event.actor_id)));
  Data changes = List();
  for (const core::FieldChange& change : event.changes) {
    Data entry = Object();
    entry.set("field", CleanText(change.field));
    entry.set("before", CleanText(change.before.empty() ? "(none)" : change.before));
    entry.set("after", CleanText(change.after.empty() ? "(none)" : change.after));
    changes.push_back(entry);
  }
  data.set("changes", changes);
  data.set("has_changes", !event.changes.empty());
  data.set("reason", TextOrFalse(CleanText(event.reason)));
  return data;
}

Data Events(const std::vector<core::AuditEvent>& events,
            const std::map<core::UserId, std::string>& names) {
  Data list = List();
  for (const core::AuditEvent& event : events) list.push_back(Event(event, names));
  return list;
}

// A form's data: its error state and the posted values of `fields` (when it was this form).
Data FormData(const PostedForm& form, std::string_view name,
              std::initializer_list<std::string_view> error_fields,
              std::initializer_list<std::string_view> kept_fields) {
  Data data = Object();
  AddFormState(data, form, name, absl::StrCat("cc-", std::string(name), "-error"), error_fields);
  for (std::string_view field : kept_fields) {
    data.set(std::string(field), form.Is(name) ? CleanText(form.Value(field)) : std::string());
  }
  return data;
}

Data StatusForm(const ConsoleCaseView& view) {
  const core::Case& c = view.view.record;
  Data form = FormData(view.form, "status", {"status"}, {});
  const std::string selected =
      view.form.Is("status")
          ? view.form.Value("status")
          : std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, c.status));
  Data options = List();
  for (const auto& [status, name] : core::kCaseStatusNames) {
    if (status != c.status && !core::IsValidTransition(c.status, status)) continue;
    options.push_back(
        Option(std::string(name), std::string(CaseStatusText(status)), selected == name));
  }
  form.set("options", options);
  return form;
}

Data SeverityForm(const ConsoleCaseView& view) {
  const core::Case& c = view.view.record;
  Data form = FormData(view.form, "severity",
                       {"severity", "severity_reason", "severity_reason_code"}, {"reason"});
  const std::string selected = view.form.Is("severity")
                                   ? view.form.Value("severity")
                                   : absl::StrCat(core::SeverityLevel(c.severity));
  Data options = List();
  for (const auto& [severity, name] : core::kSeverityNames) {
    const std::string value = absl::StrCat(core::SeverityLevel(severity));
    options.push_back(Option(value, SeverityText(severity), selected == value));
  }
  form.set("options", options);
  const std::string code = view.form.Is("severity") ? view.form.Value("reason_code") : "triage";
  Data codes = List();
  static constexpr std::pair<std::string_view, std::string_view> kCodes[] = {
      {"triage", "Triage"},
      {"impact_changed", "The impact changed"},
      {"workaround_provided", "A workaround was provided"},
  };
  for (const auto& [value, label] : kCodes) {
    codes.push_back(Option(std::string(value), std::string(label), code == value));
  }
  form.set("codes", codes);
  form.set("unconfirmed", !c.severity_confirmed);
  return form;
}

Data AssigneeForm(const ConsoleCaseView& view) {
  const core::Case& c = view.view.record;
  Data form = FormData(view.form, "assignee", {"assignee_id"}, {});
  const std::string selected = view.form.Is("assignee")
                                   ? view.form.Value("assignee")
                                   : (c.assignee_id ? absl::StrCat(*c.assignee_id) : std::string());
  Data options = List();
  options.push_back(Option("", "Unassigned", selected.empty()));
  bool listed = !c.assignee_id.has_value();
  for (const ConsolePerson& person : view.staff) {
    const std::string value = absl::StrCat(person.id);
    listed = listed || (c.assignee_id && *c.assignee_id == person.id);
    options.push_back(Option(value, person.name, selected == value));
  }
  if (!listed) {  // the current assignee is no longer among the staff listed
    options.push_back(Option(absl::StrCat(*c.assignee_id), view.assignee_name, true));
  }
  form.set("options", options);
  return form;
}

Data GroupForm(const ConsoleCaseView& view) {
  const core::Case& c = view.view.record;
  Data form = FormData(view.form, "group", {"group_id"}, {});
  const std::string selected = view.form.Is("group")
                                   ? view.form.Value("group")
                                   : (c.group_id ? absl::StrCat(*c.group_id) : std::string());
  Data options = List();
  options.push_back(Option("", "No group", selected.empty()));
  for (const core::Group& group : view.groups) {
    const std::string value = absl::StrCat(group.id);
    options.push_back(
        Option(value, group.triage ? group.name + " (triage)" : group.name, selected == value));
  }
  form.set("options", options);
  return form;
}

Data Clock(const core::SlaClock& clock, absl::Time now) {
  Data data = Object();
  data.set("name", std::string(ClockText(clock.kind)));
  data.set("state",
           std::string(core::NameOf<core::SlaClockState>(core::kSlaClockStateNames, clock.state)));
  data.set("state_text", std::string(ClockStateText(clock.state)));
  if (clock.due_at) {
    Data due = Object();
    AddTime(due, "due", *clock.due_at);
    due.set("countdown", CountdownText(*clock.due_at, now));
    due.set("overdue", *clock.due_at <= now);
    data.set("due", due);
  } else {
    data.set("due", false);
  }
  if (clock.achieved_at) {
    Data achieved = Object();
    AddTime(achieved, "achieved", *clock.achieved_at);
    achieved.set("late", clock.breached_at.has_value());
    data.set("achieved", achieved);
  } else {
    data.set("achieved", false);
  }
  if (clock.breached_at) {
    Data breached = Object();
    AddTime(breached, "breached", *clock.breached_at);
    data.set("breached", breached);
  } else {
    data.set("breached", false);
  }
  Data steps = List();
  for (const std::string& line : core::ExplainSlaClock(clock)) {
    Data step = Object();
    step.set("step", CleanText(line));
    steps.push_back(step);
  }
  data.set("has_steps", !clock.explanation.empty());
  data.set("steps", steps);
  return data;
}

void AddSla(Data& data, const ConsoleCaseView& view) {
  data.set("has_sla", view.view.sla.has_value());
  if (!view.view.sla) return;
  const app::CaseSla& sla = *view.view.sla;
  data.set("plan", CleanText(sla.plan));
  Data clocks = List();
  clocks.push_back(Clock(sla.clocks.first_response, view.now));
  if (sla.clocks.triage) clocks.push_back(Clock(*sla.clocks.triage, view.now));
  if (sla.clocks.status_notification) {
    clocks.push_back(Clock(*sla.clocks.status_notification, view.now));
  }
  if (sla.clocks.estimate) clocks.push_back(Clock(*sla.clocks.estimate, view.now));
  clocks.push_back(Clock(sla.clocks.next_update, view.now));
  clocks.push_back(Clock(sla.clocks.resolution, view.now));
  data.set("clocks", clocks);
}

void AddContext(Data& data, const ConsoleCaseView& view) {
  const core::Case& c = view.view.record;
  data.set("requester_name",
           CleanText(view.requester.name.empty() ? view.requester.email : view.requester.name));
  data.set("requester_email", CleanText(view.requester.email));
  data.set("org_name", CleanText(view.org.name));
  data.set("plan_name", TextOrFalse(CleanText(view.org.plan)));
  data.set("category", std::string(core::NameOf<core::Category>(core::kCategoryNames, c.category)));
  data.set("product", TextOrFalse(CleanText(c.product)));
  data.set("component", TextOrFalse(CleanText(c.component)));
  Data fields = List();
  for (const auto& [key, value] : c.fields) {
    Data field = Object();
    field.set("key", CleanText(key));
    field.set("value", CleanText(value));
    fields.push_back(field);
  }
  data.set("fields", fields);
  data.set("has_fields", !c.fields.empty());
  Data flags = List();
  for (const ports::SeverityFlag& flag : view.flags) {
    Data entry = Object();
    entry.set("flagged", SeverityText(flag.flagged_severity));
    entry.set("flagged_by", CleanText(PersonName(view.names, flag.flagged_by)));
    AddTime(entry, "at", flag.at);
    entry.set("reason", CleanText(flag.reason));
    flags.push_back(entry);
  }
  data.set("flags", flags);
  data.set("has_flags", !view.flags.empty());
  data.set("org_flags", absl::StrCat(view.recent_flags.organisation));
  data.set("requester_flags", absl::StrCat(view.recent_flags.requester));
  data.set("flags_alert", view.recent_flags.organisation > 0);
  Data recent = List();
  for (const core::Case& other : view.recent_cases) {
    Data entry = Object();
    entry.set("recent_number", absl::StrCat(other.number));
    entry.set("recent_subject", CleanText(other.subject));
    entry.set("recent_status", std::string(CaseStatusText(other.status)));
    recent.push_back(entry);
  }
  data.set("recent", recent);
  data.set("has_recent", !view.recent_cases.empty());
  Data attachments = List();
  for (const core::Attachment& attachment : view.attachments) {
    attachments.push_back(File(attachment));
  }
  data.set("attachments", attachments);
  data.set("has_attachments", !view.attachments.empty());
}

Data Shortcuts() {
  return Data{mustache::partial([] { return std::string(ConsoleShortcutsPartial()); })};
}

}  // namespace

std::string RenderConsoleCasePage(const ConsoleFrame& frame, const ConsoleCaseView& view) {
  const core::Case& c = view.view.record;
  Data data = Object();
  data.set("number", absl::StrCat(c.number));
  data.set("subject", CleanText(c.subject));
  data.set("severity_level", absl::StrCat(core::SeverityLevel(c.severity)));
  data.set("severity_icon", std::string(SeverityIcon(c.severity)));
  data.set("severity_text", SeverityText(c.severity));
  data.set("severity_confirmed", c.severity_confirmed);
  data.set("proposed_text", SeverityText(c.proposed_severity));
  data.set("status", std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, c.status)));
  data.set("status_text", std::string(CaseStatusText(c.status)));
  data.set("assignee_name", TextOrFalse(CleanText(view.assignee_name)));
  data.set("group_name", TextOrFalse(CleanText(view.group_name)));
  data.set("escalated", c.escalation_tier != core::Tier::kNone);
  data.set("tier", std::string(core::NameOf<core::Tier>(core::kTierNames, c.escalation_tier)));
  data.set("security_incident", c.security_incident);
  AddTime(data, "created", c.created_at);
  data.set("description", CleanText(c.description));
  data.set("comments", Comments(view));
  data.set("has_comments", !view.comments.empty());
  data.set("earlier_comments",
           view.earlier_comments > 0 ? Data{absl::StrCat(view.earlier_comments)} : Data{false});
  data.set("open_for_comments", c.status != core::CaseStatus::kClosed);
  data.set("reply", FormData(view.form, "reply", {"body"}, {"body"}));
  data.set("note", FormData(view.form, "note", {"body"}, {"body"}));
  data.set("events", Events(view.events, view.names));
  data.set("earlier_events",
           view.earlier_events > 0 ? Data{absl::StrCat(view.earlier_events)} : Data{false});
  if (!c.assignee_id || *c.assignee_id != view.viewer_id) {
    Data take = Object();
    take.set("viewer_id", absl::StrCat(view.viewer_id));
    data.set("take", take);
  } else {
    data.set("take", false);
  }
  const bool closed = c.status == core::CaseStatus::kClosed;
  data.set("status_form", closed ? Data{false} : StatusForm(view));
  data.set("severity_form", closed ? Data{false} : SeverityForm(view));
  data.set("assignee_form", AssigneeForm(view));
  data.set("group_form", GroupForm(view));
  data.set("escalate_form",
           closed ? Data{false} : FormData(view.form, "escalate", {"reason"}, {"reason"}));
  data.set("flag_form", FormData(view.form, "flag", {"reason"}, {"reason"}));
  AddSla(data, view);
  AddContext(data, view);
  data.set("shortcuts", Shortcuts());
  // Time entries and the "Log time" form (issue 7, console_hours_section).
  data.set("time", ConsoleTimeData(view));
  data.set("time_section",
           Data{mustache::partial([] { return std::string(ConsoleTimeSectionPartial()); })});
  // Engineering links and problems (issue 7, console_engineering_section).
  data.set("engineering", ConsoleEngineeringData(view));
  data.set("engineering_section",
           Data{mustache::partial([] { return std::string(ConsoleEngineeringSectionPartial()); })});
  // Remote access requests (issue 7, console_remote_access_section).
  data.set("remote_access", ConsoleRemoteAccessData(view));
  data.set(
      "remote_access_section",
      Data{mustache::partial([] { return std::string(ConsoleRemoteAccessSectionPartial()); })});
  // The service task and its forms (issue 7, console_service_task_section).
  data.set("service_task", ConsoleServiceTaskData(view.service_task, view.form, view.now));
  data.set("service_task_section",
           Data{mustache::partial([] { return std::string(ConsoleServiceTaskSectionPartial()); })});
  return RenderConsoleDocument(frame, data, ConsoleCaseMainPartial());
}

std::string RenderConsoleHistoryPage(const ConsoleFrame& frame, const ConsoleHistoryView& view) {
  Data data = Object();
  data.set("number", absl::StrCat(view.number));
  data.set("subject", CleanText(view.subject));
  data.set("events", Events(view.events, view.names));
  data.set("next_href", TextOrFalse(view.next_href));
  return RenderConsoleDocument(frame, data, ConsoleHistoryMainPartial());
}

}  // namespace casedesk::adapters::web

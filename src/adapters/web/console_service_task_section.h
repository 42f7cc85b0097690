// The console case page's "Service task" section (issue 7): the task's state, the estimate
// (hours, projected completion date, how many estimates), the planned start, a decline's
// reason, when the estimate is due (the estimate clock), and the staff's forms for the steps the
// state allows: estimate (hours, completion date), schedule (start date), start and done. They
// post to /console/cases/{number}/service-task/{step}; a refused form comes back with its error
// beside it and what was typed. Nothing is shown for a case that is not a service task. All
// text is escaped. Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <optional>
#include <string_view>

#include "absl/time/time.h"
#include "adapters/web/console_form.h"
#include "app/service_tasks.h"

namespace casedesk::adapters::web {

// The section's data (the page sets it as "service_task"; false when the case is none).
kainjow::mustache::data ConsoleServiceTaskData(const std::optional<app::ServiceTaskView>& task,
                                               const PostedForm& posted, absl::Time now);
// The section's template (the page sets it as the partial "service_task_section"); it reads
// {{number}} and the "csrf"/"form_error_partial" partials from the page and everything else
// from {{#service_task}}.
std::string_view ConsoleServiceTaskSectionPartial();

}  // namespace casedesk::adapters::web

// The console's problem pages (issue 7): /console/problems (the problems, newest first, with a
// status filter and the "New problem" form) and /console/problems/{id} (status, component,
// root cause as an edit form, the linked cases with an unlink button each, "Link a case" by
// number, and the problem's history). Forms post, redirect and get; a refused form comes back
// with its error beside it and what was typed. Everything is escaped by the templates.
// Thread-safe: pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "adapters/web/console_form.h"
#include "adapters/web/console_layout.h"
#include "app/problems.h"
#include "core/problem.h"

namespace casedesk::adapters::web {

struct ProblemListView {
  std::vector<core::Problem> problems;
  std::string status_filter;  // "" for all, else a status name
  PostedForm form;            // a refused "new-problem" form
};

std::string RenderProblemListPage(const ConsoleFrame& frame, const ProblemListView& view);

struct ProblemPageView {
  app::ProblemDetail detail;
  PostedForm form;  // a refused "problem" or "link-case" form
};

std::string RenderProblemPage(const ConsoleFrame& frame, const ProblemPageView& view);

}  // namespace casedesk::adapters::web

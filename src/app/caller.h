// Who is making a request: the user and the facts about them that access decisions use.
// Thread-safe: a value type.
#pragma once

#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {

struct Caller {
  core::Viewer viewer;
  core::User user;
};

}  // namespace casedesk::app

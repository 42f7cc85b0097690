// The body of GET /api/v1/cases/{number} written straight into a string. It is byte for byte
// what JsonResponse(CaseToJson(view)) writes (the same members, in nlohmann's sorted key order,
// the same escaping), without first building a tree of std::map nodes: building and
// serialising that tree was a third of a case read (docs/PERFORMANCE.md). CaseToJson stays the
// definition; case_json_text_test compares the two on many cases.
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "app/case_support.h"

namespace casedesk::adapters::http {

std::string CaseViewJsonText(const app::CaseView& view);

}  // namespace casedesk::adapters::http

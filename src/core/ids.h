// Identifier types shared by the whole domain. Plain integers with names, so a signature says
// which kind of id it takes. Thread-safe: values only.
#pragma once

#include <cstdint>

namespace casedesk::core {

using OrgId = int64_t;
using UserId = int64_t;
using GroupId = int64_t;
using CaseNumber = int64_t;
using CommentId = int64_t;
using EventId = int64_t;
using TokenId = int64_t;

}  // namespace casedesk::core

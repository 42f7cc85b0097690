// Recognising automatic email (RFC 3834 and common practice): auto-replies, machine-generated
// mail, bounces and list traffic, which must never be answered automatically. Pure function,
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mail_message.h"

namespace casedesk::core {

// `headers` are the message's top-level headers (names in any case, values decoded);
// `null_return_path` is true for "Return-Path: <>"; `top_content_type` is the top-level
// Content-Type value with its parameters ("multipart/report; report-type=delivery-status").
// A bounce wins over everything; an explicit auto-reply or auto-generated marker wins over
// list traffic.
AutoKind ClassifyAutomatic(const std::vector<std::pair<std::string, std::string>>& headers,
                           bool null_return_path, std::string_view top_content_type);

}  // namespace casedesk::core

#include "adapters/http/web_message_page.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::http {

HttpResponse MessagePage(int status, std::string_view title, std::string_view message) {
  return HtmlPage(status,
                  absl::StrCat("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                               "<title>",
                               web::XmlEscape(title), "</title></head><body><p>",
                               web::XmlEscape(message), "</p></body></html>\n"));
}

}  // namespace casedesk::adapters::http

#include "adapters/mail/tnef_reader.h"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// ytnef.h defines BYTE, WORD, DWORD ... as macros; it is included last and only here.
#include <stdio.h>  // ytnef.h uses FILE and size_t without including them
extern "C" {        // ytnef.h has no C++ guard
#include <ytnef.h>
}

namespace casedesk::adapters::mail {
namespace {

std::string Bytes(const variableLength* value) {
  if (value == nullptr || value == MAPI_UNDEFINED || value->data == nullptr || value->size <= 0) {
    return "";
  }
  std::string out(reinterpret_cast<const char*>(value->data), static_cast<size_t>(value->size));
  while (!out.empty() && out.back() == '\0') out.pop_back();  // strings carry their terminator
  return out;
}

std::string FindString(MAPIProps* props, unsigned int id) {
  std::string value = Bytes(MAPIFindProperty(props, PROP_TAG(PT_STRING8, id)));
  if (!value.empty()) return value;
  // PT_UNICODE is UTF-16LE; reduce it to Latin-1 when it is only that, else give up on it.
  std::string wide = Bytes(MAPIFindProperty(props, PROP_TAG(PT_UNICODE, id)));
  std::string narrow;
  for (size_t i = 0; i + 1 < wide.size(); i += 2) {
    if (wide[i + 1] != '\0') return "";
    if (wide[i] == '\0') break;
    narrow.push_back(wide[i]);
  }
  return narrow;
}

}  // namespace

std::optional<TnefContent> ReadTnef(std::string_view data) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  TNEFStruct tnef{};
  TNEFInitialize(&tnef);
  tnef.Debug = 0;  // TNEFInitialize leaves it unset, and any non-zero value prints to stdout
  std::string copy(data);  // libytnef takes a non-const buffer
  if (TNEFParseMemory(reinterpret_cast<BYTE*>(copy.data()), static_cast<long>(copy.size()),
                      &tnef) != 0) {
    TNEFFree(&tnef);
    return std::nullopt;
  }
  TnefContent content;
  content.body = Bytes(&tnef.body);
  if (content.body.empty()) content.body = FindString(&tnef.MapiProperties, PR_BODY);
  for (Attachment* attachment = tnef.starting_attach.next; attachment != nullptr;
       attachment = attachment->next) {
    TnefFile file;
    file.filename = FindString(&attachment->MAPI, PR_ATTACH_LONG_FILENAME);
    if (file.filename.empty()) file.filename = Bytes(&attachment->Title);
    if (attachment->FileData.size > 0 && attachment->FileData.data != nullptr) {
      // Binary content: keep trailing NULs, unlike strings.
      file.content.assign(reinterpret_cast<const char*>(attachment->FileData.data),
                          static_cast<size_t>(attachment->FileData.size));
    }
    if (file.filename.empty() && file.content.empty()) continue;
    content.files.push_back(std::move(file));
  }
  TNEFFree(&tnef);
  return content;
}

}  // namespace casedesk::adapters::mail

#include "adapters/mail/gmime_parser.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/mail/html_sanitiser.h"
#include "adapters/mail/mail_charset.h"
#include "adapters/mail/tnef_reader.h"
#include "core/mail_auto.h"
#include "core/mail_message.h"
#include "core/mail_reply.h"
#include "core/text.h"

namespace casedesk::adapters::mail {
namespace {

// Owning handle for GObjects.
template <typename T>
class Ref {
 public:
  explicit Ref(T* object = nullptr) : object_(object) {}
  ~Ref() {
    if (object_ != nullptr) g_object_unref(object_);
  }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  T* get() const { return object_; }

 private:
  T* object_;
};

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string Utf8(const char* value) { return value == nullptr ? "" : RepairUtf8(value); }

std::string StripBrackets(std::string_view id) {
  id = Trim(id);
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  return std::string(Trim(id));
}

std::string WithoutCarriageReturns(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '\r'), text.end());
  return text;
}

// A header field line: a name of printable ASCII without colon, then a colon.
bool LooksLikeHeaderLine(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  std::string_view name = Trim(line.substr(0, colon));
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

// The bytes GMime should read: an mbox "From " envelope line is skipped; a message over the size
// limit is cut after its header block.
std::string_view HeaderBlockEnd(std::string_view raw) {
  for (size_t pos = 0; pos < raw.size();) {
    size_t nl = raw.find('\n', pos);
    if (nl == std::string_view::npos) return raw;
    std::string_view next = raw.substr(nl + 1);
    if (next.empty() || next.front() == '\n' || next.substr(0, 2) == "\r\n") {
      return raw.substr(0, nl + 1);
    }
    pos = nl + 1;
  }
  return raw;
}

std::string MimeType(GMimeObject* object) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "application/octet-stream";
  char* mime = g_mime_content_type_get_mime_type(type);
  std::string out = core::AsciiLower(mime == nullptr ? "application/octet-stream" : mime);
  g_free(mime);
  return out;
}

std::string Parameter(GMimeObject* object, const char* name) {
  GMimeContentType* type = g_mime_object_get_content_type(object);
  if (type == nullptr) return "";
  const char* value = g_mime_content_type_get_parameter(type, name);
  return value == nullptr ? "" : value;
}

std::string Content(GMimePart* part) {
  GMimeDataWrapper* wrapper = g_mime_part_get_content(part);
  if (wrapper == nullptr) return "";
  Ref<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(wrapper, stream.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string Serialise(GMimeObject* object) {
  Ref<GMimeStream> stream(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(object, nullptr, stream.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string ExtensionFor(std::string_view content_type) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {"image/png", ".png"},          {"image/jpeg", ".jpg"},
      {"image/gif", ".gif"},          {"image/webp", ".webp"},
      {"image/bmp", ".bmp"},          {"application/pdf", ".pdf"},
      {"text/plain", ".txt"},         {"text/html", ".html"},
      {"text/calendar", ".ics"},      {"text/csv", ".csv"},
      {"message/rfc822", ".eml"},     {"application/zip", ".zip"},
      {"application/json", ".json"},  {"message/delivery-status", ".txt"},
      {"text/rfc822-headers", ".txt"}};
  for (const auto& [type, extension] : kTypes) {
    if (content_type == type) return std::string(extension);
  }
  return content_type.substr(0, 5) == "text/" ? ".txt" : ".bin";
}

// The name of a part that has none: "attachment.png", or what a report part is.
std::string DefaultFilename(std::string_view content_type) {
  if (content_type == "message/delivery-status" ||
      content_type == "message/global-delivery-status") {
    return "delivery-status.txt";
  }
  if (content_type == "text/rfc822-headers") return "original-headers.txt";
  return "attachment" + ExtensionFor(content_type);
}

std::string ContentTypeFor(std::string_view filename) {
  static constexpr std::pair<std::string_view, std::string_view> kExtensions[] = {
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".pdf", "application/pdf"},
      {".txt", "text/plain"},
      {".htm", "text/html"},
      {".html", "text/html"},
      {".csv", "text/csv"},
      {".zip", "application/zip"},
      {".ics", "text/calendar"},
      {".eml", "message/rfc822"},
      {".doc", "application/msword"},
      {".xls", "application/vnd.ms-excel"},
      {".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}};
  std::string lower = core::AsciiLower(filename);
  size_t dot = lower.rfind('.');
  if (dot != std::string::npos) {
    for (const auto& [extension, type] : kExtensions) {
      if (lower.substr(dot) == extension) return std::string(type);
    }
  }
  return "application/octet-stream";
}

// A file name safe to show and to store: no directories, no control characters, bounded length
// (cut on a UTF-8 boundary); `fallback` when nothing is left.
std::string SafeFilename(std::string_view name, std::string_view fallback) {
  std::string decoded = RepairUtf8(name);
  size_t slash = decoded.find_last_of("/\\");
  if (slash != std::string::npos) decoded = decoded.substr(slash + 1);
  std::string out;
  for (char c : decoded) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7F ? '_' : c);
  }
  std::string_view trimmed = Trim(out);
  out = std::string(trimmed);
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
  }
  if (out.empty() || out == "." || out == "..") return std::string(fallback);
  return out;
}

std::vector<core::MailAddress> Addresses(InternetAddressList* list) {
  std::vector<core::MailAddress> out;
  if (list == nullptr) return out;
  int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      std::vector<core::MailAddress> members =
          Addresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)));
      out.insert(out.end(), members.begin(), members.end());
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    core::MailAddress mailbox;
    mailbox.address = Utf8(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address)));
    mailbox.name = std::string(Trim(Utf8(internet_address_get_name(address))));
    if (mailbox.address.empty() && mailbox.name.empty()) continue;
    out.push_back(std::move(mailbox));
  }
  return out;
}

// "Final-Recipient: rfc822; user@example.com" fields of a message/delivery-status body, lower
// case, in order, without duplicates.
std::vector<std::string> FinalRecipients(std::string_view status) {
  std::vector<std::string> out;
  while (!status.empty()) {
    size_t nl = status.find('\n');
    std::string_view line = Trim(status.substr(0, nl));
    status = nl == std::string_view::npos ? std::string_view() : status.substr(nl + 1);
    constexpr std::string_view kField = "final-recipient:";
    if (core::AsciiLower(line.substr(0, kField.size())) != kField) continue;
    std::string_view value = Trim(line.substr(kField.size()));
    size_t semicolon = value.find(';');
    if (semicolon != std::string_view::npos) value = value.substr(semicolon + 1);
    std::string recipient = core::AsciiLower(StripBrackets(value));
    if (!recipient.empty() && std::find(out.begin(), out.end(), recipient) == out.end()) {
      out.push_back(std::move(recipient));
    }
  }
  return out;
}

// Walks the MIME tree collecting bodies and attachments within the limits.
class BodyWalker {
 public:
  BodyWalker(const core::MailLimits& limits, core::ParsedMail& mail)
      : limits_(limits), mail_(mail) {}

  void Visit(GMimeObject* object, int depth, bool in_forward, bool in_related) {
    if (depth > limits_.max_depth) {
      Hit("depth");
      return;
    }
    if (!CountPart()) return;
    if (GMIME_IS_MULTIPART(object)) {
      VisitMultipart(GMIME_MULTIPART(object), depth, in_forward);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      VisitForward(GMIME_MESSAGE_PART(object), depth);
    } else if (GMIME_IS_PART(object)) {
      VisitLeaf(GMIME_PART(object), in_forward, in_related);
    }
  }

  // Bodies into the ParsedMail; inline flags for parts the HTML references by cid:.
  void Finish() {
    std::string html_source;
    for (const std::string& html : htmls_) html_source += html;
    std::string text;
    for (const std::string& part : texts_) {
      if (!text.empty() && text.back() != '\n') text.push_back('\n');
      text += part;
    }
    if (text.empty() && !html_source.empty()) text = HtmlToText(html_source);
    if (text.empty()) text = tnef_body_;
    mail_.text = std::move(text);
    if (!html_source.empty()) {
      if (limits_.html_body) mail_.html = SanitiseHtml(html_source);
      for (core::MailAttachment& attachment : mail_.attachments) {
        if (!attachment.content_id.empty() &&
            html_source.find("cid:" + attachment.content_id) != std::string::npos) {
          attachment.inline_part = true;
        }
      }
    }
  }

 private:
  void Hit(const char* limit) {
    if (std::find(mail_.limits_hit.begin(), mail_.limits_hit.end(), limit) ==
        mail_.limits_hit.end()) {
      mail_.limits_hit.push_back(limit);
    }
  }

  bool CountPart() {
    if (parts_ >= limits_.max_parts) {
      Hit("parts");
      return false;
    }
    ++parts_;
    return true;
  }

  void VisitMultipart(GMimeMultipart* multipart, int depth, bool in_forward) {
    GMimeObject* object = GMIME_OBJECT(multipart);
    std::string type = MimeType(object);
    bool alternative = type == "multipart/alternative";
    bool related = type == "multipart/related";
    bool text_taken = false;
    bool html_taken = false;
    int count = g_mime_multipart_get_count(multipart);
    for (int i = 0; i < count; ++i) {
      size_t texts_before = texts_.size();
      size_t htmls_before = htmls_.size();
      Visit(g_mime_multipart_get_part(multipart, i), depth + 1, in_forward, related);
      if (!alternative) continue;
      // Alternatives render the same content: keep the first plain and the first HTML one.
      if (text_taken) texts_.resize(texts_before);
      if (html_taken) htmls_.resize(htmls_before);
      text_taken = text_taken || texts_.size() > texts_before;
      html_taken = html_taken || htmls_.size() > htmls_before;
    }
  }

  // A forwarded message: kept whole as a .eml attachment, and the files inside it become
  // attachments too. Its text stays in the .eml rather than joining this message's text.
  void VisitForward(GMimeMessagePart* part, int depth) {
    GMimeMessage* message = g_mime_message_part_get_message(part);
    if (message == nullptr) return;
    core::MailAttachment attachment;
    std::string subject = Utf8(g_mime_message_get_subject(message));
    attachment.filename =
        SafeFilename(subject.empty() ? "" : subject + ".eml", "forwarded-message.eml");
    std::replace(attachment.filename.begin(), attachment.filename.end(), '/', '_');
    attachment.content_type = MimeType(GMIME_OBJECT(part));
    attachment.content = Serialise(GMIME_OBJECT(message));
    attachment.content_id = StripBrackets(Utf8(g_mime_object_get_content_id(GMIME_OBJECT(part))));
    mail_.attachments.push_back(std::move(attachment));
    GMimeObject* body = g_mime_message_get_mime_part(message);
    if (body != nullptr) Visit(body, depth + 1, /*in_forward=*/true, /*in_related=*/false);
  }

  void VisitLeaf(GMimePart* part, bool in_forward, bool in_related) {
    GMimeObject* object = GMIME_OBJECT(part);
    std::string type = MimeType(object);
    const char* disposition = g_mime_object_get_disposition(object);
    std::string disposition_lower = core::AsciiLower(disposition == nullptr ? "" : disposition);
    std::string filename = Utf8(g_mime_part_get_filename(part));
    bool is_body_type = type == "text/plain" || type == "text/html";
    if (is_body_type && disposition_lower != "attachment" && filename.empty()) {
      if (in_forward) return;  // the forwarded text lives in its .eml attachment
      std::string text =
          WithoutCarriageReturns(DecodeText(Content(part), Parameter(object, "charset")));
      (type == "text/plain" ? texts_ : htmls_).push_back(std::move(text));
      return;
    }
    std::string content = Content(part);
    if (type == "application/ms-tnef" || type == "application/vnd.ms-tnef" ||
        core::AsciiLower(filename) == "winmail.dat") {
      if (ReadTnefInto(content)) return;
    }
    if (type == "message/delivery-status" || type == "message/global-delivery-status") {
      for (std::string& recipient : FinalRecipients(RepairUtf8(content))) {
        if (std::find(mail_.bounced_recipients.begin(), mail_.bounced_recipients.end(),
                      recipient) == mail_.bounced_recipients.end()) {
          mail_.bounced_recipients.push_back(std::move(recipient));
        }
      }
    }
    core::MailAttachment attachment;
    attachment.content_type = type;
    attachment.content_id = StripBrackets(Utf8(g_mime_object_get_content_id(object)));
    attachment.filename = SafeFilename(filename, DefaultFilename(type));
    attachment.inline_part =
        disposition_lower == "inline" || (in_related && !attachment.content_id.empty());
    attachment.content = std::move(content);
    mail_.attachments.push_back(std::move(attachment));
  }

  // The files inside a TNEF stream become attachments; false when it cannot be read (the
  // winmail.dat is then kept as it is).
  bool ReadTnefInto(const std::string& content) {
    std::optional<TnefContent> tnef = ReadTnef(content);
    if (!tnef.has_value() || (tnef->files.empty() && tnef->body.empty())) return false;
    if (tnef_body_.empty()) tnef_body_ = WithoutCarriageReturns(RepairUtf8(tnef->body));
    for (TnefFile& file : tnef->files) {
      if (!CountPart()) break;
      core::MailAttachment attachment;
      attachment.filename = SafeFilename(file.filename, "attachment.bin");
      attachment.content_type = ContentTypeFor(attachment.filename);
      attachment.content = std::move(file.content);
      mail_.attachments.push_back(std::move(attachment));
    }
    return true;
  }

  const core::MailLimits& limits_;
  core::ParsedMail& mail_;
  int parts_ = 0;
  std::vector<std::string> texts_;
  std::vector<std::string> htmls_;
  std::string tnef_body_;
};

// A header's value unfolded and decoded. Most headers (Received, DKIM, trace lines) are plain
// ASCII without encoded words; unfolding those here skips GMime's decoder, which is a
// noticeable share of the parse time for header-heavy mail.
std::string DecodedValue(GMimeHeader* header) {
  const char* raw = g_mime_header_get_raw_value(header);
  if (raw != nullptr) {
    std::string_view view(raw);
    bool plain = view.find("=?") == std::string_view::npos &&
                 std::all_of(view.begin(), view.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (plain) {
      std::string value;
      value.reserve(view.size());
      for (char c : view) {
        if (c != '\r' && c != '\n') value.push_back(c);
      }
      return std::string(Trim(value));
    }
  }
  return std::string(Trim(Utf8(g_mime_header_get_value(header))));
}

void ReadHeaders(GMimeMessage* message, core::ParsedMail& mail) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
  int count = g_mime_header_list_get_count(headers);
  for (int i = 0; i < count; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    std::string name = Utf8(g_mime_header_get_name(header));
    std::string value = DecodedValue(header);
    if (core::AsciiLower(name) == "return-path") {
      std::string raw = Utf8(g_mime_header_get_raw_value(header));
      std::string address = StripBrackets(raw);
      mail.null_return_path = address.empty() && Trim(raw).size() >= 2;
      mail.return_path = address;
    }
    mail.headers.emplace_back(std::move(name), std::move(value));
  }
}

void ReadEnvelope(GMimeMessage* message, GMimeParserOptions* options, core::ParsedMail& mail) {
  std::vector<core::MailAddress> from = Addresses(g_mime_message_get_from(message));
  if (!from.empty()) mail.from = std::move(from.front());
  mail.to = Addresses(g_mime_message_get_to(message));
  mail.cc = Addresses(g_mime_message_get_cc(message));
  mail.reply_to = Addresses(g_mime_message_get_reply_to(message));
  mail.subject = Utf8(g_mime_message_get_subject(message));
  if (GDateTime* date = g_mime_message_get_date(message)) {
    mail.date = absl::FromUnixMicros(g_date_time_to_unix(date) * 1000000 +
                                     g_date_time_get_microsecond(date));
  }
  mail.message_id = StripBrackets(Utf8(g_mime_message_get_message_id(message)));
  auto header = [&](const char* name) -> std::string {
    const char* value = g_mime_object_get_header(GMIME_OBJECT(message), name);
    return value == nullptr ? "" : value;
  };
  auto ids = [&](const std::string& value) {
    std::vector<std::string> out;
    if (value.empty()) return out;
    GMimeReferences* references = g_mime_references_parse(options, value.c_str());
    if (references != nullptr) {
      int count = g_mime_references_length(references);
      for (int i = 0; i < count; ++i) {
        out.push_back(StripBrackets(Utf8(g_mime_references_get_message_id(references, i))));
      }
      g_mime_references_free(references);
    }
    return out;
  };
  std::string in_reply_to = header("In-Reply-To");
  std::vector<std::string> reply_ids = ids(in_reply_to);
  if (!reply_ids.empty()) {
    mail.in_reply_to = reply_ids.front();
  } else if (!Trim(in_reply_to).empty()) {
    // Not an msg-id at all (some clients write bare ids): keep its first word.
    std::string_view value = Trim(in_reply_to);
    mail.in_reply_to = StripBrackets(RepairUtf8(value.substr(0, value.find_first_of(" \t"))));
  }
  mail.references = ids(header("References"));
}

std::string TopContentType(const core::ParsedMail& mail) {
  for (const auto& [name, value] : mail.headers) {
    if (core::AsciiLower(name) == "content-type") return value;
  }
  return "text/plain";
}

}  // namespace

GmimeMailParser::GmimeMailParser() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
  options_ = g_mime_parser_options_new();
  g_mime_parser_options_set_rfc2047_compliance_mode(options_, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_address_compliance_mode(options_, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode(options_, GMIME_RFC_COMPLIANCE_LOOSE);
  // Undeclared 8-bit header bytes: UTF-8 when they are, else the most common Western charset.
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(options_, fallback);
}

GmimeMailParser::~GmimeMailParser() { g_mime_parser_options_free(options_); }

absl::StatusOr<core::ParsedMail> GmimeMailParser::Parse(std::string_view raw,
                                                        const core::MailLimits& limits) const {
  // An mbox envelope line ("From jan@x Tue Mar  5 ...") is not a header.
  if (raw.substr(0, 5) == "From ") {
    size_t nl = raw.find('\n');
    raw = nl == std::string_view::npos ? std::string_view() : raw.substr(nl + 1);
  }
  std::string_view first_line = raw.substr(0, raw.find('\n'));
  if (!LooksLikeHeaderLine(first_line)) {
    return absl::InvalidArgumentError(
        "mail: no header block (the message must start with a header field \"Name: value\")");
  }
  core::ParsedMail mail;
  std::string_view input = raw;
  if (static_cast<int64_t>(raw.size()) > limits.max_message_bytes) {
    input = HeaderBlockEnd(raw.substr(0, static_cast<size_t>(limits.max_message_bytes)));
    mail.limits_hit.push_back("size");
  }
  Ref<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(input.data(), input.size()));
  Ref<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  Ref<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), options_));
  if (message.get() == nullptr) {
    return absl::InvalidArgumentError("mail: no header block GMime can read");
  }
  ReadHeaders(message.get(), mail);
  ReadEnvelope(message.get(), options_, mail);
  BodyWalker walker(limits, mail);
  if (mail.limits_hit.empty()) {
    if (GMimeObject* body = g_mime_message_get_mime_part(message.get())) {
      walker.Visit(body, 1, /*in_forward=*/false, /*in_related=*/false);
    }
  }
  walker.Finish();
  mail.reply = core::VisibleReply(mail.text);
  mail.auto_kind =
      core::ClassifyAutomatic(mail.headers, mail.null_return_path, TopContentType(mail));
  return mail;
}

}  // namespace casedesk::adapters::mail

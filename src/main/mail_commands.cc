#include "main/mail_commands.h"

#include <iostream>
#include <iterator>
#include <sstream>

#include "adapters/mail/gmime_parser.h"
#include "adapters/mail/mail_json.h"
#include "app/mail_ingest.h"
#include "main/desk.h"

namespace casedesk {
namespace {

int TemporaryFailure(std::string_view why) {
  std::cerr << "casedesk: message not stored, the sender will retry: " << why << "\n";
  return kExitTemporaryFailure;
}

}  // namespace

int RunMailIngest(const std::string& data_dir, const std::optional<std::string>& config_file,
                  const std::string& recipient, const std::string& sender, std::istream& in) {
  // Read the message before anything can fail, so a failure never loses part of a stream.
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return TemporaryFailure("cannot read standard input");
  if (raw.empty()) {
    std::cerr << "casedesk: no message on standard input\n";
    return 1;  // nothing arrived, so nothing is lost: a retry cannot help
  }
  auto desk = OpenDesk(data_dir, config_file, CreateMissing::kNo);
  if (!desk.ok()) return TemporaryFailure(std::string(desk.status().message()));
  adapters::mail::GmimeMailParser parser;
  app::MailEnvelope envelope;
  envelope.channel = "pipe";
  envelope.mail_from = sender;
  envelope.rcpt_to = recipient;
  absl::StatusOr<app::IngestResult> result =
      app::IngestMail(*(*desk)->context, parser, raw, envelope);
  if (!result.ok()) return TemporaryFailure(std::string(result.status().message()));
  std::cout << "stored as inbound message " << result->inbound_id << ": "
            << ports::InboundMailStatusName(result->status);
  if (result->case_number != 0) std::cout << " (case " << result->case_number << ")";
  if (!result->reason.empty()) std::cout << " - " << result->reason;
  std::cout << std::endl;
  return 0;
}

int RunMailParse(std::istream& in, std::ostream& out) {
  adapters::mail::GmimeMailParser parser;
  if (absl::Status status = adapters::mail::RunMailParse(in, out, parser); !status.ok()) {
    return Fail(status);
  }
  return 0;
}

}  // namespace casedesk

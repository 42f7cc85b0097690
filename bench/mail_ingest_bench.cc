// End-to-end mail ingest: typical 20 KB messages with one attachment, from a verified contact,
// through app::IngestMail on a real desk (SqliteStore, GmimeMailParser, blobs in the store): raw
// bytes stored, parsed, threaded, the case or reply written with its events, SLA clocks and the
// confirmation mail in the outbox. Half the messages open cases, half reply (by In-Reply-To) to
// the case the message before them opened. Several threads ingest at once (the store groups their
// commits). Also reports the parse-only rate of the same messages in the same run, for the ratio.
//
//   MAIL_MESSAGES (default 4000)  messages in all
//   MAIL_THREADS  (default 2)     ingesting threads
#include <atomic>
#include <chrono>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/mail/gmime_parser.h"
#include "app/mail_ingest.h"
#include "bench/bench_desk.h"

namespace casedesk::bench {
namespace {

// A message of about 20 KB: a plain body, an HTML alternative and a 12 KB attachment.
std::string TypicalMessage(int index, const std::string& in_reply_to) {
  std::string body;
  for (int line = 0; body.size() < 3000; ++line) {
    body += "Line " + std::to_string(line) +
            ": the export job fails with error 0x80004005 after 20 minutes of work.\r\n";
  }
  std::string html = "<html><body><p>" + body + "</p></body></html>";
  std::string attachment;
  for (int line = 0; attachment.size() < 12000; ++line) {
    attachment += "QmVuY2htYXJrIGF0dGFjaG1lbnQgY29udGVudCBmb3IgdGhlIGluZ2VzdCBiZW5jaG1hcmsu\r\n";
  }
  std::string raw =
      "From: Requester <requester@enterprise.example>\r\n"
      "To: support@desk.example\r\n"
      "Subject: Export job fails (" +
      std::to_string(index) +
      ")\r\n"
      "Date: Mon, 09 Mar 2026 09:00:00 +0000\r\n"
      "Message-ID: <bench-" +
      std::to_string(index) + "@enterprise.example>\r\n";
  if (!in_reply_to.empty()) raw += "In-Reply-To: <" + in_reply_to + ">\r\n";
  raw +=
      "MIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
      "--outer\r\nContent-Type: multipart/alternative; boundary=\"inner\"\r\n\r\n"
      "--inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
      body + "\r\n--inner\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html +
      "\r\n--inner--\r\n"
      "--outer\r\nContent-Type: application/octet-stream; name=\"export.log\"\r\n"
      "Content-Disposition: attachment; filename=\"export.log\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      attachment + "--outer--\r\n";
  return raw;
}

double Seconds(std::chrono::steady_clock::duration elapsed) {
  return std::chrono::duration<double>(elapsed).count();
}

int Run() {
  const int messages = static_cast<int>(EnvInt("MAIL_MESSAGES", 4000));
  const int threads = static_cast<int>(std::max<int64_t>(1, EnvInt("MAIL_THREADS", 2)));
  BenchDesk desk("mail-ingest");
  std::unique_ptr<app::AppContext> context = desk.MakeContext(desk.store());
  adapters::mail::GmimeMailParser parser;

  // Even messages open cases; odd ones answer the message before them. Both halves of a pair
  // go to the same thread, in order, so the reply finds its case.
  std::vector<std::string> raws;
  raws.reserve(messages);
  for (int i = 0; i < messages; ++i) {
    raws.push_back(TypicalMessage(
        i, i % 2 == 1 ? "bench-" + std::to_string(i - 1) + "@enterprise.example" : ""));
  }
  std::cout << "message size: " << raws[0].size() << " bytes" << std::endl;

  // Parse only, one thread: the same messages, as ingest parses them, for the ratio.
  auto parse_start = std::chrono::steady_clock::now();
  const int parse_count = std::min(messages, 2000);
  for (int i = 0; i < parse_count; ++i) {
    Check(parser.Parse(raws[i], core::MailLimits{.html_body = false}).status(), "parse");
  }
  const double parse_rate = parse_count / Seconds(std::chrono::steady_clock::now() - parse_start);

  app::MailEnvelope envelope{
      .channel = "bench", .mail_from = "", .rcpt_to = "support@desk.example"};
  std::atomic<int> next{0};
  std::atomic<int> opened{0};
  std::atomic<int> replied{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int pair = next.fetch_add(2); pair < messages; pair = next.fetch_add(2)) {
        for (int i = pair; i < std::min(pair + 2, messages); ++i) {
          absl::StatusOr<app::IngestResult> result =
              app::IngestMail(*context, parser, raws[i], envelope);
          Check(result.status(), "ingest");
          if (result->status == ports::InboundMailStatus::kCaseOpened) ++opened;
          if (result->status == ports::InboundMailStatus::kReplyAdded) ++replied;
        }
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  const double elapsed = Seconds(std::chrono::steady_clock::now() - start);
  const int ingested = messages;
  std::cout << "parse only (1 thread): " << static_cast<int64_t>(parse_rate) << " messages/s\n"
            << "ingest (" << threads << " threads): " << ingested << " messages in " << elapsed
            << " s = " << static_cast<int64_t>(ingested / elapsed) << " messages/s ("
            << opened.load() << " cases opened, " << replied.load() << " replies)\n"
            << "ingest / parse-only ratio: " << (ingested / elapsed) / parse_rate << std::endl;
  if (opened.load() + replied.load() != ingested) {
    std::cerr << "some messages were not acted on as expected" << std::endl;
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace casedesk::bench

int main() { return casedesk::bench::Run(); }

// Outbox delivery throughput. Notifications are queued through app::QueueMail (pipelined units
// of work) before the clock starts; the measured part is OutboxDelivery::DeliverDue until the
// outbox is empty: claim, compose (core/mail_compose), send, record the attempt.
//   BM_DeliverToFakeSender  our own cost: a sender that only counts
//   BM_DeliverToSmtpSink    through CurlSmtpSender to a real SMTP server (aiosmtpd,
//                           test/support/smtp_sink.py) on 127.0.0.1
//   BM_SmtpSinkAlone        the same composed message sent with CurlSmtpSender in a loop, no
//                           outbox: what the SMTP server takes at all
//   BM_ComposeMessage       composing one message
//   BM_PollWhileRelayIsDown one delivery poll (claim what is due: nothing) while a backlog of
//                           notifications waits on its retry because the relay refused them
// Sizes: CASEDESK_BENCH_MAILS (fake sender, default 5000), CASEDESK_BENCH_SMTP_MAILS (default
// 1000), CASEDESK_BENCH_BACKLOG (default 20000). Needs /usr/bin/python3 with aiosmtpd for the SMTP benchmarks.
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <iostream>

#include "adapters/smtp/curl_smtp_sender.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "app/outbox_delivery.h"
#include "bench/bench_desk.h"
#include "core/mail_compose.h"
#include "test/support/smtp_sink_process.h"

namespace casedesk::bench {
namespace {

class CountingSender : public ports::MailSender {
 public:
  absl::Status Send(const ports::OutgoingMail& mail) override {
    bytes_.fetch_add(static_cast<int64_t>(mail.data.size()));
    sent_.fetch_add(1);
    return absl::OkStatus();
  }
  int64_t sent() const { return sent_.load(); }

 private:
  std::atomic<int64_t> sent_{0};
  std::atomic<int64_t> bytes_{0};
};

// A desk with one case and `count` queued case replies.
struct OutboxDesk {
  explicit OutboxDesk(int64_t count) : desk("outbox-bench") {
    context = desk.MakeContext(desk.store());
    context->mail_from = "support@help.example.com";
    const CaseRange range = desk.LoadCases(1, [&](int64_t) {
      core::Case record;
      record.org_id = desk.parties().enterprise;
      record.requester_id = desk.parties().requester;
      record.subject = "Database cluster fails over repeatedly";
      record.description = "Details";
      record.created_at = record.updated_at = desk.clock().Now();
      return record;
    });
    const std::string comment =
        "We replaced the failing network card on the primary node and the cluster has been "
        "stable for an hour. Please confirm that your application reconnects; we keep the case "
        "open until then.\n";
    constexpr int64_t kPerUnit = 500;
    for (int64_t first = 0; first < count; first += kPerUnit) {
      const int64_t last = std::min(count, first + kPerUnit);
      Check(desk.store().WriteAndWait(
                [this, first, last, range, comment](ports::StoreTransaction& txn) -> absl::Status {
                  for (int64_t i = first; i < last; ++i) {
                    app::MailRequest request;
                    request.kind = std::string(app::kMailCaseReply);
                    request.recipient_email = "customer" + std::to_string(i % 50) + "@acme.example";
                    request.recipient_name = "Customer";
                    request.case_number = range.first;
                    request.values = {{"author_name", "Agent Smith"}, {"comment", comment}};
                    absl::StatusOr<int64_t> id = app::QueueMail(*context, txn, request);
                    if (!id.ok()) return id.status();
                  }
                  return absl::OkStatus();
                }),
            "queueing");
    }
  }

  // Delivers until nothing is due; returns the seconds it took and checks everything was sent.
  double DeliverAll(ports::MailSender& sender, int64_t expected) {
    app::OutboxDelivery delivery(*context, sender);
    int64_t sent = 0;
    const auto start = std::chrono::steady_clock::now();
    while (true) {
      absl::StatusOr<app::DeliveryReport> report = delivery.DeliverDue(desk.clock().Now());
      Check(report.status(), "deliver");
      sent += report->sent;
      if (report->claimed == 0) break;
      if (report->sent != report->claimed) {
        std::cerr << "delivery failed: " << report->retrying << " retrying, " << report->failed
                  << " failed" << std::endl;
        std::abort();
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sent != expected) {
      std::cerr << "sent " << sent << " of " << expected << std::endl;
      std::abort();
    }
    return seconds;
  }

  BenchDesk desk;
  std::unique_ptr<app::AppContext> context;
};

// A relay that is down: every send fails for now, so every notification waits on its retry.
class RelayDownSender : public ports::MailSender {
 public:
  absl::Status Send(const ports::OutgoingMail&) override {
    return absl::UnavailableError("451 4.3.0 relay down");
  }
};

std::unique_ptr<adapters::smtp::CurlSmtpSender> SinkSender(const test::SmtpSinkProcess& sink) {
  adapters::smtp::CurlSmtpOptions options;
  options.url = sink.url();
  absl::StatusOr<std::unique_ptr<adapters::smtp::CurlSmtpSender>> sender =
      adapters::smtp::CurlSmtpSender::Create(options);
  Check(sender.status(), "smtp sender");
  return *std::move(sender);
}

void BM_DeliverToFakeSender(benchmark::State& state) {
  const int64_t count = EnvInt("CASEDESK_BENCH_MAILS", 5000);
  for (auto _ : state) {
    OutboxDesk desk(count);
    CountingSender sender;
    state.SetIterationTime(desk.DeliverAll(sender, count));
  }
  state.counters["mails_per_s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DeliverToFakeSender)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_DeliverToSmtpSink(benchmark::State& state) {
  const int64_t count = EnvInt("CASEDESK_BENCH_SMTP_MAILS", 1000);
  for (auto _ : state) {
    OutboxDesk desk(count);
    test::SmtpSinkProcess sink;
    if (!sink.Start()) {
      state.SkipWithError(sink.error().c_str());
      return;
    }
    auto sender = SinkSender(sink);
    state.SetIterationTime(desk.DeliverAll(*sender, count));
    if (sink.WaitForMessages(count).size() != static_cast<size_t>(count)) {
      state.SkipWithError("the sink did not store every message");
    }
  }
  state.counters["mails_per_s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_DeliverToSmtpSink)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

core::OutgoingMessage SampleMessage() {
  core::OutgoingMessage message;
  message.from = {"support@help.example.com", "Example Support"};
  message.to = {{"customer@acme.example", ""}};
  message.subject = "New reply: Database cluster fails over repeatedly [Case #123456]";
  message.text_body = std::string(600, 'x') + "\nGrüße\n";
  message.message_id = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg@help.example.com";
  message.in_reply_to = "case-123456@help.example.com";
  message.references = {"case-123456@help.example.com"};
  message.automatic = true;
  message.date = absl::FromUnixSeconds(1'772'964'000);
  message.extra_headers = {{"X-Casedesk-Case", "123456"}};
  return message;
}

void BM_SmtpSinkAlone(benchmark::State& state) {
  const int64_t count = EnvInt("CASEDESK_BENCH_SMTP_MAILS", 1000);
  test::SmtpSinkProcess sink;
  if (!sink.Start()) {
    state.SkipWithError(sink.error().c_str());
    return;
  }
  auto sender = SinkSender(sink);
  absl::StatusOr<std::string> data = core::ComposeMessage(SampleMessage());
  Check(data.status(), "compose");
  const ports::OutgoingMail mail{.envelope_from = "support@help.example.com",
                                 .recipients = {"customer@acme.example"},
                                 .data = *data};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < count; ++i) Check(sender->Send(mail), "send");
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  state.counters["mails_per_s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SmtpSinkAlone)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_PollWhileRelayIsDown(benchmark::State& state) {
  const int64_t backlog = EnvInt("CASEDESK_BENCH_BACKLOG", 20000);
  OutboxDesk desk(backlog);
  RelayDownSender sender;
  app::OutboxDelivery delivery(*desk.context, sender);
  int64_t retrying = 0;
  while (true) {  // the first attempt of every notification fails
    absl::StatusOr<app::DeliveryReport> report = delivery.DeliverDue(desk.desk.clock().Now());
    Check(report.status(), "deliver");
    if (report->claimed == 0) break;
    retrying += report->retrying;
  }
  if (retrying != backlog) {
    std::cerr << "expected " << backlog << " retrying, got " << retrying << std::endl;
    std::abort();
  }
  for (auto _ : state) {
    absl::StatusOr<app::DeliveryReport> report = delivery.DeliverDue(desk.desk.clock().Now());
    Check(report.status(), "poll");
    if (report->claimed != 0) {
      state.SkipWithError("a notification was due");
      break;
    }
  }
  state.counters["backlog"] = static_cast<double>(backlog);
}
BENCHMARK(BM_PollWhileRelayIsDown)->Unit(benchmark::kMicrosecond);

void BM_ComposeMessage(benchmark::State& state) {
  const core::OutgoingMessage message = SampleMessage();
  for (auto _ : state) {
    absl::StatusOr<std::string> data = core::ComposeMessage(message);
    benchmark::DoNotOptimize(data);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ComposeMessage);

}  // namespace
}  // namespace casedesk::bench

BENCHMARK_MAIN();

// The casedesk command line and the one place that picks concrete adapters and wires them:
// SQLite store, libsodium crypto, file blob store, system clock, RESTinio HTTP server.
//
//   casedesk init     --data DIR --admin-email EMAIL
//   casedesk token create --data DIR --email EMAIL [--name NAME]
//   casedesk serve    --data DIR [--listen HOST:PORT] [--config FILE]
//   casedesk backup   --data DIR --to FILE
//   casedesk migrate  --data DIR
//   casedesk store copy --data DIR --to postgresql://... [--batch N]
//   casedesk calendar add|between --calendar FILE ...
//   casedesk mail ingest --data DIR [--to ADDRESS] [--from SENDER] < message
//   casedesk mail parse < message
#include <signal.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/cli/calendar_command.h"
#include "adapters/crypto/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/http/api_engineering.h"
#include "adapters/http/api_hours.h"
#include "adapters/http/api_remote_access.h"
#include "adapters/http/api_reports.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_saved_views.h"
#include "adapters/http/api_service_tasks.h"
#include "adapters/http/api_system.h"
#include "adapters/http/console_admin_calendars.h"
#include "adapters/http/console_admin_escalation.h"
#include "adapters/http/console_admin_index.h"
#include "adapters/http/console_admin_mail.h"
#include "adapters/http/console_admin_orgs.h"
#include "adapters/http/console_admin_people.h"
#include "adapters/http/console_admin_plans.h"
#include "adapters/http/console_cases.h"
#include "adapters/http/console_live.h"
#include "adapters/http/console_saved_views.h"
#include "adapters/http/console_status.h"
#include "adapters/http/console_tokens.h"
#include "adapters/http/http_server.h"
#include "adapters/http/kb_routes.h"
#include "adapters/http/metrics.h"
#include "adapters/http/portal_routes.h"
#include "adapters/http/web_accounts.h"
#include "adapters/http/web_sign_in.h"
#include "adapters/mail/gmime_parser.h"
#include "adapters/markdown/cmark_renderer.h"
#include "adapters/postgres/postgres_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/store_copy/store_copy.h"
#include "adapters/system/config.h"
#include "adapters/system/real_clock.h"
#include "app/init_desk.h"
#include "app/remote_access_worker.h"
#include "app/status_page_cache.h"
#include "app/status_worker.h"
#include "app/timer_scheduler.h"
#include "app/tokens.h"
#include "main/desk.h"
#include "main/mail_commands.h"
#include "main/mail_services.h"

namespace casedesk {
namespace {

namespace fs = std::filesystem;

int RunInit(const std::string& data_dir, const std::string& admin_email,
            const std::string& provider_name, const std::optional<std::string>& config_file) {
  // (A PostgreSQL store answers AlreadyExists from InitDesk itself.)
  if (fs::exists(fs::path(data_dir) / kDatabaseFile)) {
    return Fail("a desk already exists in " + data_dir);
  }
  auto desk = OpenDesk(data_dir, config_file, CreateMissing::kYes);
  if (!desk.ok()) return Fail(desk.status());
  const char* password = std::getenv("CASEDESK_ADMIN_PASSWORD");
  app::InitDeskRequest request;
  request.admin_email = admin_email;
  request.admin_password = password == nullptr ? "" : password;
  request.provider_name = provider_name;
  auto result = app::InitDesk(*(*desk)->context, request);
  if (!result.ok()) return Fail(result.status());
  std::cout << "Casedesk is ready in " << data_dir << "\n"
            << "  admin:    " << result->admin.email << "\n";
  if (result->password_generated) {
    std::cout << "  password: " << result->admin_password
              << "   (shown once; change it after login)\n";
  } else {
    std::cout << "  password: from CASEDESK_ADMIN_PASSWORD\n";
  }
  std::cout.flush();
  return 0;
}

int RunTokenCreate(const std::string& data_dir, const std::string& email, const std::string& name,
                   const std::optional<std::string>& config_file) {
  auto desk = OpenDesk(data_dir, config_file, CreateMissing::kNo);
  if (!desk.ok()) return Fail(desk.status());
  app::TokenOwner owner;
  owner.email = email;
  auto issued = app::CreateApiToken(*(*desk)->context, std::nullopt, owner, name);
  if (!issued.ok()) return Fail(issued.status());
  std::cout << issued->secret << std::endl;
  return 0;
}

int RunMigrate(const std::string& data_dir, const std::optional<std::string>& config_file) {
  auto desk = OpenDesk(data_dir, config_file, CreateMissing::kNo);
  if (!desk.ok()) return Fail(desk.status());
  // Opening the store migrates it; Migrate() again is a no-op that confirms the version.
  if (absl::Status status = (*desk)->store->Migrate(); !status.ok()) return Fail(status);
  std::cout << "store is up to date\n";
  return 0;
}

int RunBackup(const std::string& data_dir, const std::string& target,
              const std::optional<std::string>& config_file) {
  auto desk = OpenDesk(data_dir, config_file, CreateMissing::kNo);
  if (!desk.ok()) return Fail(desk.status());
  if (absl::Status status = (*desk)->store->Backup(target); !status.ok()) return Fail(status);
  std::cout << "backup written to " << target << "\n";
  return 0;
}

// Copies the SQLite desk in DATA to PostgreSQL (resumable, verified); progress on stderr.
int RunStoreCopy(const std::string& data_dir, const std::string& target, int batch,
                 const std::optional<std::string>& config_file) {
  auto config =
      adapters::system::LoadConfig(config_file, adapters::system::EnvironmentFromProcess());
  if (!config.ok()) return Fail(config.status());
  if (IsPostgresUrl(config->store.url)) {
    return Fail(
        "store copy reads the SQLite desk in --data, but store.url (or "
        "CASEDESK_STORE_URL) names PostgreSQL: unset it for the copy");
  }
  // Attachment files from before blobs lived in the store go into the SQLite store first, so
  // the copy carries them like every other row (and verifies them).
  if (std::filesystem::is_directory(std::filesystem::path(data_dir) / "attachments")) {
    auto desk = OpenDesk(data_dir, config_file, CreateMissing::kNo);
    if (!desk.ok()) return Fail(desk.status());
    if ((*desk)->legacy_blobs != nullptr) {
      absl::StatusOr<int64_t> moved =
          adapters::crypto::CopyFileBlobsIntoStore(*(*desk)->legacy_blobs, *(*desk)->blobs);
      if (!moved.ok()) return Fail(moved.status());
      std::cerr << "attachment files: " << *moved << " copied into the store\n";
    }
  }
  adapters::store_copy::StoreCopyOptions options;
  options.sqlite_path = SqlitePath(config->store.url, data_dir);
  options.postgres_url = target;
  options.batch_size = batch;
  options.progress = &std::cerr;
  auto report = adapters::store_copy::CopySqliteToPostgres(options);
  if (!report.ok()) return Fail(report.status());
  std::cout << "copied and verified " << report->tables.size() << " tables from "
            << options.sqlite_path << "; next case number " << report->next_case_number << "\n"
            << "serve it with store.url (or CASEDESK_STORE_URL) set to the target; keep --data "
               "for the key\n";
  return 0;
}

int RunServe(const std::string& data_dir, const std::optional<std::string>& listen,
             const std::optional<std::string>& config_file) {
  // Block the stop signals in every thread; this thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Metrics outlive the store: the store's writer thread answers requests (and so records
  // their metrics) until the store is destroyed.
  adapters::http::Metrics metrics;
  // The console's live streams, told by the store which cases each commit changed: declared
  // before the store so that it outlives the store's threads.
  adapters::http::LiveUpdates live;
  auto desk_or = OpenDesk(data_dir, config_file, CreateMissing::kNo, DeskUse::kServer);
  if (!desk_or.ok()) return Fail(desk_or.status());
  Desk& desk = **desk_or;
  desk.store->SetCaseChangeListener(
      [&live](const std::vector<core::CaseNumber>& numbers) { live.CasesChanged(numbers); });
  // A revoked token or a changed user stops working on every node at once, not after the
  // cache's few seconds.
  desk.context->callers->SetBroadcast([&desk] { desk.store->BroadcastSignal("access"); });
  // Presence on a case page reaches agents on every node.
  live.SetPresenceBroadcast(desk.crypto->RandomToken(), [&desk](const std::string& signal) {
    desk.store->BroadcastSignal(signal);
  });
  desk.store->SetSignalListener(
      [callers = desk.context->callers, &live](const std::string& signal) {
        if (signal == "access") {
          callers->Invalidate();
        } else {
          live.ApplyPresenceSignal(signal);
        }
      });

  auto address = adapters::system::ParseListenAddress(listen.value_or(desk.config.server.listen));
  if (!address.ok()) return Fail(address.status());

  metrics.AddSource([&desk] { return desk.store->MetricsText(); });
  adapters::mail::GmimeMailParser mail_parser;  // outlives the server and the mail services
  adapters::http::Router router;
  adapters::http::RegisterSystemRoutes(router, *desk.context, metrics);
  adapters::http::RegisterDirectoryRoutes(router, *desk.context);
  adapters::http::RegisterCaseRoutes(router, *desk.context);
  adapters::http::RegisterSlaConfigRoutes(router, *desk.context);
  adapters::http::RegisterSlaRoutes(router, *desk.context);
  adapters::http::RegisterMailRoutes(router, *desk.context, mail_parser);
  adapters::http::RegisterStatusRoutes(router, *desk.context);
  app::StatusPageCache status_page(*desk.context);
  adapters::http::RegisterStatusSiteRoutes(router, *desk.context, status_page);
  adapters::http::RegisterSignInRoutes(router, *desk.context);
  adapters::http::RegisterConsoleStatusRoutes(router, *desk.context);
  adapters::http::RegisterConsoleCaseRoutes(router, *desk.context);
  adapters::http::RegisterConsoleSavedViewRoutes(router, *desk.context);
  adapters::http::RegisterSavedViewApiRoutes(router, *desk.context);
  adapters::http::RegisterConsoleLiveRoutes(router, *desk.context, live);
  adapters::http::RegisterConsoleTokenRoutes(router, *desk.context);
  adapters::http::RegisterConsoleAdminIndexRoute(router, *desk.context);
  adapters::http::RegisterConsoleCalendarRoutes(router, *desk.context);
  adapters::http::RegisterConsoleEscalationRoutes(router, *desk.context);
  adapters::http::RegisterConsolePeopleRoutes(router, *desk.context);
  adapters::http::RegisterConsoleOrgRoutes(router, *desk.context);
  adapters::http::RegisterConsoleMailRoutes(router, *desk.context, mail_parser);
  adapters::http::RegisterConsolePlanRoutes(router, *desk.context);
  adapters::http::RegisterAccountRoutes(router, *desk.context);
  adapters::http::RegisterPortalRoutes(router, *desk.context, status_page);
  adapters::http::RegisterHoursRoutes(router, *desk.context, status_page);
  adapters::http::RegisterReportRoutes(router, *desk.context);
  adapters::http::RegisterServiceTaskRoutes(router, *desk.context, status_page);
  adapters::http::RegisterKbRoutes(router, *desk.context,
                                   adapters::markdown::SharedMarkdownRenderer());
  adapters::http::RegisterEngineeringRoutes(router, *desk.context);
  adapters::http::RegisterRemoteAccessRoutes(router, *desk.context, status_page);

  adapters::http::HttpServerOptions options;
  options.host = address->first;
  options.port = address->second;
  options.threads = ServerThreads(desk.config);
  options.max_body_bytes = desk.config.limits.max_attachment_bytes + 64 * 1024;
  options.drain_timeout = std::chrono::seconds(desk.config.server.drain_timeout_seconds);
  // SLA warnings, breaches and escalations fire from here; it first fires whatever fell due
  // while the desk was down. Started once the server listens.
  app::TimerScheduler timers(*desk.context);
  desk.context->sla_config_changed = [&timers](const std::string& plan) {
    timers.RequestRecompute(plan);
  };
  // Maintenance windows and subscriber notices; woken (and the page cache refreshed) by every
  // status change on this node.
  app::StatusWorker status_worker(*desk.context);
  app::RemoteAccessWorker remote_access_worker(*desk.context);  // grants end at their window
  desk.context->status_changed = [&status_page, &status_worker] {
    status_page.Invalidate();
    status_worker.Wake();
  };
  // Links in mail and on the status page; without server.public_url, the listen address. With
  // port 0 the port is known only once listening, before "listening on" is printed (nobody
  // knows the port to send a request to until then).
  const auto listen_url = [&options](uint16_t port) {
    const bool bracket = options.host.find(':') != std::string::npos;
    return absl::StrCat("http://", bracket ? "[" : "", options.host, bracket ? "]" : "", ":", port);
  };
  desk.context->public_url = desk.config.server.public_url.empty() ? listen_url(options.port)
                                                                   : desk.config.server.public_url;
  adapters::http::HttpServer server(std::move(router), metrics, options);
  if (absl::Status status = server.Start(); !status.ok()) return Fail(status);
  if (desk.config.server.public_url.empty() && options.port == 0) {
    desk.context->public_url = listen_url(server.port());
  }
  timers.Start();
  status_worker.Start();
  remote_access_worker.Start();
  // Outgoing mail (smtp.url), the LMTP listener and IMAP polling (mail.*), when configured.
  MailServices mail(desk);
  if (absl::Status status = mail.Start(); !status.ok()) return Fail(status);

  const bool ipv6 = options.host.find(':') != std::string::npos;
  std::cout << "listening on http://" << (ipv6 ? "[" : "") << options.host << (ipv6 ? "]" : "")
            << ":" << server.port() << std::endl;

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cerr << "casedesk: stopping (signal " << received << "), draining requests\n";
  mail.Stop();
  server.Stop();
  server.Wait();
  status_worker.Stop();
  remote_access_worker.Stop();
  timers.Stop();
  return 0;
}

}  // namespace
}  // namespace casedesk

int main(int argc, char** argv) {
  using namespace casedesk;
  CLI::App cli{"Casedesk: a support case desk in one binary."};
  cli.require_subcommand(1);
  cli.set_help_all_flag("--help-all", "Help for every command");

  std::string data_dir;
  std::optional<std::string> config_file;
  auto add_data = [&](CLI::App* command) {
    command->add_option("--data", data_dir, "Data directory (database, key, attachments)")
        ->required();
    command->add_option("--config", config_file, "TOML configuration file");
  };

  std::string admin_email;
  std::string provider_name = "Support";
  CLI::App* init = cli.add_subcommand("init", "Create a desk: store, provider organisation, admin");
  add_data(init);
  init->add_option("--admin-email", admin_email, "Email of the first admin")->required();
  init->add_option("--provider-name", provider_name, "Name of the provider organisation");

  std::string token_email;
  std::string token_name = "cli";
  CLI::App* token = cli.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  CLI::App* token_create = token->add_subcommand("create", "Print a new API token for a user");
  add_data(token_create);
  token_create->add_option("--email", token_email, "The user's email")->required();
  token_create->add_option("--name", token_name, "A name to recognise the token by");

  std::optional<std::string> listen;
  CLI::App* serve = cli.add_subcommand("serve", "Serve the web pages and the API");
  add_data(serve);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free port)");

  std::string backup_target;
  CLI::App* backup = cli.add_subcommand("backup", "Write an online, consistent copy of the store");
  add_data(backup);
  backup->add_option("--to", backup_target, "File to write")->required();

  CLI::App* migrate = cli.add_subcommand("migrate", "Bring the store's schema up to date");
  add_data(migrate);

  std::string copy_target;
  int copy_batch = 1000;
  CLI::App* store = cli.add_subcommand("store", "Move the desk between stores");
  store->require_subcommand(1);
  CLI::App* store_copy = store->add_subcommand(
      "copy", "Copy the SQLite desk to an empty PostgreSQL database (resumable, verified)");
  add_data(store_copy);
  store_copy->add_option("--to", copy_target, "postgresql:// URL of the target database")
      ->required();
  store_copy->add_option("--batch", copy_batch, "Rows per batch and PostgreSQL transaction");

  std::string calendar_file;
  std::string from;
  std::string to;
  int64_t minutes = 0;
  CLI::App* calendar = cli.add_subcommand("calendar", "Check business-hours calendar math");
  calendar->require_subcommand(1);
  CLI::App* calendar_add =
      calendar->add_subcommand("add", "The instant N business minutes after --from");
  calendar_add->add_option("--calendar", calendar_file, "Calendar TOML file")->required();
  calendar_add->add_option("--from", from, "Start instant, RFC 3339")->required();
  calendar_add->add_option("--minutes", minutes, "Business minutes to add")->required();
  CLI::App* calendar_between =
      calendar->add_subcommand("between", "Business seconds between two instants");
  calendar_between->add_option("--calendar", calendar_file, "Calendar TOML file")->required();
  calendar_between->add_option("--from", from, "Start instant, RFC 3339")->required();
  calendar_between->add_option("--to", to, "End instant, RFC 3339")->required();

  std::string mail_recipient;
  std::string mail_sender;
  CLI::App* mail = cli.add_subcommand("mail", "Email: ingest or inspect one message");
  mail->require_subcommand(1);
  CLI::App* mail_ingest = mail->add_subcommand(
      "ingest", "Store one RFC 5322 message from stdin (for an MTA pipe); exit 75 to retry");
  add_data(mail_ingest);
  mail_ingest->add_option("--to", mail_recipient, "The address it was delivered to");
  mail_ingest->add_option("--from", mail_sender, "The envelope sender (MAIL FROM)");
  CLI::App* mail_parse =
      mail->add_subcommand("parse", "Parse one message from stdin and print it as JSON");

  CLI11_PARSE(cli, argc, argv);

  if (*init) return RunInit(data_dir, admin_email, provider_name, config_file);
  if (*token_create) return RunTokenCreate(data_dir, token_email, token_name, config_file);
  if (*serve) return RunServe(data_dir, listen, config_file);
  if (*backup) return RunBackup(data_dir, backup_target, config_file);
  if (*migrate) return RunMigrate(data_dir, config_file);
  if (*store_copy) return RunStoreCopy(data_dir, copy_target, copy_batch, config_file);
  if (*mail_ingest) {
    return RunMailIngest(data_dir, config_file, mail_recipient, mail_sender, std::cin);
  }
  if (*mail_parse) return RunMailParse(std::cin, std::cout);
  if (*calendar_add) {
    return adapters::RunCalendarAdd(calendar_file, from, minutes, std::cout, std::cerr);
  }
  if (*calendar_between) {
    return adapters::RunCalendarBetween(calendar_file, from, to, std::cout, std::cerr);
  }
  return 1;
}

// Status notice fan-out: how long one incident announcement takes to become a mail in the
// outbox for every subscriber (target: 100,000 subscribers in under 10 seconds). The desk holds
// CASEDESK_BENCH_SUBSCRIBERS verified users (default 100,000), written straight through the
// store before the clock starts; the measured part is app::FanOutStatusNotices from the
// incident's notice to the last queued mail: per chunk one unit of work that lists users,
// renders the notice template, signs the unsubscribe link and inserts the outbox row.
// Run: build/status_notice_bench (a plain program: one measurement, printed).
#include <iostream>

#include "absl/strings/str_cat.h"
#include "app/status_components.h"
#include "app/status_incidents.h"
#include "app/status_notices.h"
#include "app/store_calls.h"
#include "bench/bench_desk.h"

namespace casedesk::bench {
namespace {

void LoadUsers(BenchDesk& desk, int64_t count) {
  constexpr int64_t kPerUnit = 5000;
  const absl::Time now = desk.clock().Now();
  for (int64_t first = 0; first < count; first += kPerUnit) {
    const absl::Status loaded =
        app::Await<bool>([&](app::Done<bool> done) {
          app::WriteValue<bool>(
              desk.store(),
              [&](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
                for (int64_t i = first; i < std::min(count, first + kPerUnit); ++i) {
                  core::User user;
                  user.email = absl::StrCat("subscriber", i, "@customer.example");
                  user.name = absl::StrCat("Subscriber ", i);
                  user.role = core::Role::kCustomer;
                  user.org_id = desk.parties().enterprise;
                  user.verified = true;
                  user.created_at = now;
                  absl::StatusOr<core::UserId> id = txn.InsertUser(user);
                  if (!id.ok()) return id.status();
                }
                return true;
              },
              std::move(done));
        }).status();
    Check(loaded, "load users");
  }
}

int Run() {
  const int64_t subscribers = EnvInt("CASEDESK_BENCH_SUBSCRIBERS", 100000);
  BenchDesk desk("status-notice-bench");
  std::unique_ptr<app::AppContext> context = desk.MakeContext(desk.store());
  context->mail_from = "status@help.example.com";
  LoadUsers(desk, subscribers);

  core::Viewer admin;
  admin.user_id = desk.parties().requester;  // the audit trail's actor only
  admin.role = core::Role::kAdmin;
  admin.org_id = desk.parties().provider;
  app::NewStatusComponent component;
  component.name = "API";
  component.group = "EU West";
  absl::StatusOr<core::StatusComponent> api =
      app::Await<core::StatusComponent>([&](app::Done<core::StatusComponent> done) {
        app::CreateStatusComponent(*context, admin, component, std::move(done));
      });
  Check(api.status(), "component");
  app::NewIncident incident;
  incident.name = "Elevated API error rates";
  incident.impact = core::IncidentImpact::kMajor;
  incident.body =
      "We are investigating elevated error rates on the API in EU West. Requests may "
      "fail or take longer than usual; we will post an update within 30 minutes.";
  incident.component_ids = {api->id};
  incident.component_status = core::ComponentStatus::kPartialOutage;
  absl::StatusOr<app::IncidentView> created =
      app::Await<app::IncidentView>([&](app::Done<app::IncidentView> done) {
        app::CreateIncident(*context, admin, incident, std::move(done));
      });
  Check(created.status(), "incident");

  const absl::Time start = absl::Now();
  absl::StatusOr<app::StatusNoticeReport> report =
      app::FanOutStatusNotices(*context, app::StatusNoticeOptions{}, nullptr);
  const absl::Duration took = absl::Now() - start;
  Check(report.status(), "fan-out");
  std::cout << "subscribers " << subscribers << ", queued " << report->queued << " in "
            << absl::FormatDuration(took) << " ("
            << static_cast<int64_t>(report->queued / absl::ToDoubleSeconds(took)) << " per second)"
            << std::endl;
  return report->queued >= subscribers ? 0 : 1;
}

}  // namespace
}  // namespace casedesk::bench

int main() { return casedesk::bench::Run(); }

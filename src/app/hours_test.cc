// The contract-hours use cases against a real SqliteStore: who may log and read time, usage by
// kind and period in the organisation's zone, and threshold alerts that go out exactly once.
#include "app/hours.h"

#include <atomic>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/mail_templates.h"
#include "gmock/gmock.h"

namespace casedesk::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class HoursTest : public CaseTestFixture {
 protected:
  absl::StatusOr<core::TimeEntry> LogOnCase(const Caller& caller, core::CaseNumber number,
                                            TimeEntryInput input) {
    return Await<core::TimeEntry>([&](Done<core::TimeEntry> done) {
      LogCaseTime(context(), caller, number, std::move(input), std::move(done));
    });
  }
  absl::StatusOr<core::TimeEntry> LogOnOrg(const Caller& caller, core::OrgId org,
                                           TimeEntryInput input) {
    return Await<core::TimeEntry>([&](Done<core::TimeEntry> done) {
      LogOrgTime(context(), caller, org, std::move(input), std::move(done));
    });
  }
  absl::StatusOr<ports::OrgHoursPackages> SetPackages(const Caller& caller, core::OrgId org,
                                                      std::vector<core::HoursPackage> packages) {
    return Await<ports::OrgHoursPackages>([&](Done<ports::OrgHoursPackages> done) {
      SetOrgPackages(context(), caller, org, std::move(packages), std::move(done));
    });
  }
  static TimeEntryInput Minutes(int64_t minutes, bool billable = true) {
    TimeEntryInput input;
    input.minutes = minutes;
    input.billable = billable;
    input.note = "work";
    return input;
  }
  std::vector<ports::Notification> ThresholdMails() {
    std::vector<ports::Notification> mails;
    EXPECT_TRUE(context()
                    .store
                    .Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      auto unsent = txn.ListUnsentNotifications(1000);
                      if (!unsent.ok()) return unsent.status();
                      for (const auto& mail : *unsent) {
                        if (mail.kind == kMailHoursThreshold) mails.push_back(mail);
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return mails;
  }
  void SetZone(core::OrgId org_id, std::string zone) {
    ASSERT_TRUE(context()
                    .store
                    .WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      auto org = txn.GetOrganisation(org_id);
                      if (!org.ok()) return org.status();
                      org->time_zone = zone;
                      return txn.UpdateOrganisation(*org);
                    })
                    .ok());
  }
};

TEST_F(HoursTest, StaffAndPartnersLogTimeOnCasesCustomersCannot) {
  const core::Case acme_case = MustOpen(acme_alice_, Request("Disk full"));
  TimeEntryInput input = Minutes(45);
  input.activity = core::Activity::kIncidentProblemManagement;
  absl::StatusOr<core::TimeEntry> logged = LogOnCase(agent_, acme_case.number, input);
  ASSERT_TRUE(logged.ok()) << logged.status();
  EXPECT_GT(logged->id, 0);
  EXPECT_EQ(logged->org_id, acme_);
  EXPECT_EQ(logged->case_number, acme_case.number);
  EXPECT_EQ(logged->author_id, agent_.user.id);

  EXPECT_EQ(LogOnCase(acme_alice_, acme_case.number, Minutes(10)).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(LogOnCase(globex_gina_, acme_case.number, Minutes(10)).status().code(),
            absl::StatusCode::kNotFound);
  // A partner agent works only its customers' cases.
  EXPECT_EQ(LogOnCase(partner_agent_, acme_case.number, Minutes(10)).status().code(),
            absl::StatusCode::kNotFound);
  const core::Case partner_case = MustOpen(partner_customer_carl_, Request("VPN down"));
  ASSERT_TRUE(LogOnCase(partner_agent_, partner_case.number, Minutes(20)).ok());

  absl::StatusOr<std::vector<core::TimeEntry>> listed =
      ListCaseTime(context(), agent_, acme_case.number);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].minutes, 45);
  EXPECT_EQ((*listed)[0].activity, core::Activity::kIncidentProblemManagement);
  EXPECT_EQ(ListCaseTime(context(), acme_alice_, acme_case.number).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(HoursTest, BadInputIsRefusedNamingTheField) {
  const core::Case acme_case = MustOpen(acme_alice_, Request("Disk full"));
  for (int64_t minutes : {int64_t{0}, int64_t{1441}, int64_t{-3}, int64_t{1} << 40}) {
    const absl::Status status = LogOnCase(agent_, acme_case.number, Minutes(minutes)).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << minutes;
    EXPECT_THAT(std::string(status.message()), HasSubstr("minutes:"));
  }
  EXPECT_EQ(GetOrgHours(context(), agent_, acme_, "2026-13").status().code(),
            absl::StatusCode::kInvalidArgument);
  core::HoursPackage bad{.kind = core::HoursKind::kTraining, .included_minutes = -1};
  EXPECT_THAT(std::string(SetPackages(admin_, acme_, {bad}).status().message()),
              HasSubstr("packages[0].included_minutes"));
}

TEST_F(HoursTest, HoursByKindAreReadableByTheOrganisationAndItsPartnerOnly) {
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(90)).ok());
  TimeEntryInput training = Minutes(60);
  training.kind = core::HoursKind::kTraining;
  ASSERT_TRUE(LogOnOrg(agent_, acme_, training).ok());
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(30, /*billable=*/false)).ok());

  absl::StatusOr<OrgHours> hours = GetOrgHours(context(), acme_bob_, acme_, std::nullopt);
  ASSERT_TRUE(hours.ok()) << hours.status();
  EXPECT_FALSE(hours->own_packages);  // enterprise defaults
  ASSERT_EQ(hours->packages.size(), 2u);
  const PackageHours& success = hours->packages[0];
  EXPECT_EQ(success.package.kind, core::HoursKind::kCustomerSuccess);
  EXPECT_EQ(success.balance.included_minutes, 16 * 60);
  EXPECT_EQ(success.balance.used_minutes, 90);
  EXPECT_EQ(success.balance.remaining_minutes, 16 * 60 - 90);
  EXPECT_EQ(success.non_billable_minutes, 30);
  EXPECT_EQ(success.entries, 2);
  ASSERT_EQ(success.daily.size(), 1u);
  EXPECT_EQ(success.daily[0].billable_minutes, 90);
  EXPECT_EQ(hours->packages[1].balance.used_minutes, 60);

  // Customers may not log account work; other tenants see nothing at all.
  EXPECT_EQ(LogOnOrg(acme_admin_, acme_, Minutes(5)).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetOrgHours(context(), globex_gina_, acme_, std::nullopt).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(GetOrgHours(context(), partner_agent_, acme_, std::nullopt).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(LogOnOrg(agent_, 99999, Minutes(5)).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(GetOrgHours(context(), partner_agent_, partner_customer_, std::nullopt).ok());
  EXPECT_TRUE(GetOrgHours(context(), partner_customer_carl_, partner_customer_, std::nullopt).ok());
  // Only provider admins set packages.
  EXPECT_EQ(SetPackages(agent_, acme_, {}).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(SetPackages(globex_gina_, acme_, {}).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(HoursTest, PeriodsAreMonthsInTheOrganisationsZone) {
  SetZone(acme_, "America/Los_Angeles");
  // 2027-01-01 05:00 UTC is New Year's Eve in Los Angeles.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 1, 1, 12, 0, 0), absl::UTCTimeZone()));
  TimeEntryInput input = Minutes(120);
  input.worked_at = absl::FromCivil(absl::CivilSecond(2027, 1, 1, 5, 0, 0), absl::UTCTimeZone());
  absl::StatusOr<core::TimeEntry> logged = LogOnOrg(agent_, acme_, input);
  ASSERT_TRUE(logged.ok()) << logged.status();
  EXPECT_EQ(logged->period, "2026-12");
  EXPECT_EQ(logged->day, "2026-12-31");
  absl::StatusOr<OrgHours> december = GetOrgHours(context(), agent_, acme_, "2026-12");
  ASSERT_TRUE(december.ok());
  EXPECT_EQ(december->packages[0].balance.used_minutes, 120);
  EXPECT_EQ(december->ends_at,
            absl::FromCivil(absl::CivilSecond(2027, 1, 1, 8, 0, 0), absl::UTCTimeZone()));
  absl::StatusOr<OrgHours> january = GetOrgHours(context(), agent_, acme_, std::nullopt);
  ASSERT_TRUE(january.ok());
  EXPECT_EQ(core::PeriodName(january->period), "2027-01");
  EXPECT_EQ(january->packages[0].balance.used_minutes, 0);
  // Enterprise carries up to 8 unused hours: December used 2 of 16.
  EXPECT_EQ(january->packages[0].balance.carried_in_minutes, 8 * 60);
}

TEST_F(HoursTest, EachThresholdAlertsTheOrgAdminsOncePerPeriod) {
  ASSERT_TRUE(SetPackages(admin_, acme_,
                          {{.kind = core::HoursKind::kCustomerSuccess, .included_minutes = 600}})
                  .ok());
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(470)).ok());
  EXPECT_THAT(ThresholdMails(), IsEmpty());
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(300, /*billable=*/false)).ok());
  EXPECT_THAT(ThresholdMails(), IsEmpty());  // non-billable time does not draw on the package
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(10)).ok());  // 480 of 600: 80 %
  std::vector<ports::Notification> mails = ThresholdMails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].recipient_id, acme_admin_.user.id);
  EXPECT_THAT(mails[0].subject, HasSubstr("80%"));
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(60)).ok());
  EXPECT_EQ(ThresholdMails().size(), 1u);
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(60)).ok());  // 600 of 600: 100 %
  mails = ThresholdMails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_THAT(mails[1].subject, HasSubstr("100%"));
  EXPECT_THAT(mails[1].body, HasSubstr("used up"));
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(60)).ok());
  EXPECT_EQ(ThresholdMails().size(), 2u);
  absl::StatusOr<OrgHours> hours = GetOrgHours(context(), acme_admin_, acme_, std::nullopt);
  ASSERT_TRUE(hours.ok());
  EXPECT_THAT(hours->packages[0].alerted_thresholds, ElementsAre(80, 100));
  EXPECT_EQ(hours->packages[0].balance.overrun_minutes, 60);
  // The next period starts afresh and alerts again.
  clock_.Advance(absl::Hours(24 * 31));
  ASSERT_TRUE(LogOnOrg(agent_, acme_, Minutes(600)).ok());
  EXPECT_EQ(ThresholdMails().size(), 4u);
}

TEST_F(HoursTest, ConcurrentEntriesAlertEachThresholdExactlyOnce) {
  ASSERT_TRUE(SetPackages(admin_, acme_,
                          {{.kind = core::HoursKind::kCustomerSuccess, .included_minutes = 600}})
                  .ok());
  constexpr int kEntries = 16;  // 16 x 60 = 960 minutes, over both thresholds
  std::atomic<int> ok{0};
  std::vector<std::future<absl::StatusOr<core::TimeEntry>>> pending;
  for (int i = 0; i < kEntries; ++i) {
    auto promise = std::make_shared<std::promise<absl::StatusOr<core::TimeEntry>>>();
    pending.push_back(promise->get_future());
    LogOrgTime(context(), agent_, acme_, Minutes(60),
               [promise](absl::StatusOr<core::TimeEntry> outcome) {
                 promise->set_value(std::move(outcome));
               });
  }
  for (auto& future : pending) ok += future.get().ok() ? 1 : 0;
  EXPECT_EQ(ok.load(), kEntries);
  EXPECT_EQ(ThresholdMails().size(), 2u);
  absl::StatusOr<OrgHours> hours = GetOrgHours(context(), agent_, acme_, std::nullopt);
  ASSERT_TRUE(hours.ok());
  EXPECT_EQ(hours->packages[0].balance.used_minutes, 960);
}

}  // namespace
}  // namespace casedesk::app

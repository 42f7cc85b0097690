#include "core/remote_access.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace casedesk::core {
namespace {

using A = RemoteAccessAction;
using S = RemoteAccessStatus;
using W = RemoteAccessSide;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

RemoteAccessRequest Pending() {
  RemoteAccessRequest request;
  request.id = 3;
  request.case_number = 42;
  request.method = RemoteAccessMethod::kRdp;
  request.purpose = "Check the recogniser's logs";
  request.window_start = kNow;
  request.window_end = kNow + absl::Hours(2);
  request.requested_by = 9;
  request.requested_at = kNow;
  return request;
}

TEST(RemoteAccessValidation, AcceptsABoundedFutureWindow) {
  EXPECT_TRUE(ValidateNewRemoteAccessRequest(Pending(), kNow).ok());
}

TEST(RemoteAccessValidation, NamesTheField) {
  struct Case {
    std::string name;
    void (*change)(RemoteAccessRequest&);
    std::string field;
  };
  const std::vector<Case> cases = {
      {"empty purpose", [](RemoteAccessRequest& r) { r.purpose = " \n"; }, "purpose:"},
      {"long purpose", [](RemoteAccessRequest& r) { r.purpose = std::string(2001, 'x'); },
       "purpose:"},
      {"control in purpose", [](RemoteAccessRequest& r) { r.purpose = "a\x01"; }, "purpose:"},
      {"no start", [](RemoteAccessRequest& r) { r.window_start = absl::InfinitePast(); },
       "window_start:"},
      {"end before start",
       [](RemoteAccessRequest& r) { r.window_end = r.window_start - absl::Minutes(1); },
       "window_end: must be after"},
      {"ended already",
       [](RemoteAccessRequest& r) {
         r.window_start = kNow - absl::Hours(3);
         r.window_end = kNow - absl::Hours(1);
       },
       "window_end: must be in the future"},
      {"too long",
       [](RemoteAccessRequest& r) { r.window_end = r.window_start + absl::Hours(14 * 24 + 1); },
       "window_end: the window may last at most 14 days"},
      {"too far ahead",
       [](RemoteAccessRequest& r) {
         r.window_start = kNow + absl::Hours(31 * 24);
         r.window_end = r.window_start + absl::Hours(1);
       },
       "window_start: at most 30 days"},
  };
  for (const Case& c : cases) {
    RemoteAccessRequest request = Pending();
    c.change(request);
    const absl::Status status = ValidateNewRemoteAccessRequest(request, kNow);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(status.message().find(c.field), std::string::npos) << c.name << ": " << status;
  }
}

TEST(RemoteAccessValidation, ExactlyFourteenDaysIsAllowed) {
  RemoteAccessRequest request = Pending();
  request.window_end = request.window_start + absl::Hours(14 * 24);
  EXPECT_TRUE(ValidateNewRemoteAccessRequest(request, kNow).ok());
}

TEST(RemoteAccessCredentials, ChecksNamesAndValuesWithoutQuotingThem) {
  EXPECT_TRUE(ValidateRemoteAccessCredentials({{"host", "10.0.0.5"}, {"password", "s3cret"}}).ok());
  EXPECT_TRUE(ValidateRemoteAccessCredentials({}).ok());
  const absl::Status bad_name = ValidateRemoteAccessCredentials({{"Pass word", "x"}});
  EXPECT_EQ(bad_name.code(), absl::StatusCode::kInvalidArgument);
  const absl::Status empty = ValidateRemoteAccessCredentials({{"password", ""}});
  EXPECT_EQ(empty.message(), "credentials.password: empty");
  const absl::Status long_value =
      ValidateRemoteAccessCredentials({{"password", std::string(4097, 'p')}});
  EXPECT_EQ(long_value.message(), "credentials.password: at most 4096 characters");
  std::map<std::string, std::string> many;
  for (int i = 0; i < 9; ++i) many["f" + std::to_string(i)] = "v";
  EXPECT_EQ(ValidateRemoteAccessCredentials(many).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RemoteAccessStatus, AGrantReadsAsExpiredAtTheWindowsEnd) {
  RemoteAccessRequest request = Pending();
  request.status = S::kGranted;
  EXPECT_EQ(EffectiveStatus(request, kNow + absl::Minutes(119)), S::kGranted);
  EXPECT_TRUE(IsRemoteAccessActive(request, kNow + absl::Minutes(119)));
  EXPECT_EQ(EffectiveStatus(request, kNow + absl::Hours(2)), S::kExpired);
  EXPECT_FALSE(IsRemoteAccessActive(request, kNow + absl::Hours(2)));
  request.status = S::kRevoked;
  EXPECT_EQ(EffectiveStatus(request, kNow + absl::Hours(3)), S::kRevoked);
}

TEST(RemoteAccessStatus, AGrantIsActiveOnlyOnceTheWindowStarts) {
  RemoteAccessRequest request = Pending();
  request.window_start = kNow + absl::Hours(1);
  request.window_end = kNow + absl::Hours(3);
  request.status = S::kGranted;
  EXPECT_FALSE(IsRemoteAccessActive(request, kNow));
  EXPECT_TRUE(IsRemoteAccessActive(request, kNow + absl::Hours(1)));
}

struct TransitionCase {
  S from;
  A action;
  W side;
  absl::StatusCode code;
  S to;  // when OK
};

TEST(RemoteAccessTransitions, TableOfMovesAndWhoMayMakeThem) {
  using C = absl::StatusCode;
  const std::vector<TransitionCase> cases = {
      {S::kRequested, A::kGrant, W::kCustomer, C::kOk, S::kGranted},
      {S::kRequested, A::kGrant, W::kStaff, C::kPermissionDenied, S::kRequested},
      {S::kRequested, A::kGrant, W::kNone, C::kPermissionDenied, S::kRequested},
      {S::kRequested, A::kRefuse, W::kCustomer, C::kOk, S::kRefused},
      {S::kRequested, A::kRefuse, W::kStaff, C::kPermissionDenied, S::kRequested},
      {S::kRequested, A::kWithdraw, W::kStaff, C::kOk, S::kWithdrawn},
      {S::kRequested, A::kWithdraw, W::kCustomer, C::kPermissionDenied, S::kRequested},
      {S::kRequested, A::kRevoke, W::kCustomer, C::kFailedPrecondition, S::kRequested},
      {S::kGranted, A::kRevoke, W::kCustomer, C::kOk, S::kRevoked},
      {S::kGranted, A::kRevoke, W::kStaff, C::kPermissionDenied, S::kGranted},
      {S::kGranted, A::kWithdraw, W::kStaff, C::kFailedPrecondition, S::kGranted},
      {S::kGranted, A::kGrant, W::kCustomer, C::kFailedPrecondition, S::kGranted},
      {S::kGranted, A::kRefuse, W::kCustomer, C::kFailedPrecondition, S::kGranted},
      {S::kGranted, A::kExpire, W::kStaff, C::kPermissionDenied, S::kGranted},
      {S::kRefused, A::kGrant, W::kCustomer, C::kFailedPrecondition, S::kRefused},
      {S::kWithdrawn, A::kGrant, W::kCustomer, C::kFailedPrecondition, S::kWithdrawn},
      {S::kRevoked, A::kRevoke, W::kCustomer, C::kFailedPrecondition, S::kRevoked},
      {S::kExpired, A::kExpire, W::kSystem, C::kFailedPrecondition, S::kExpired},
      {S::kRevoked, A::kExpire, W::kSystem, C::kFailedPrecondition, S::kRevoked},
  };
  for (const TransitionCase& c : cases) {
    RemoteAccessRequest request = Pending();
    request.status = c.from;
    const absl::Status status =
        ApplyRemoteAccessAction(request, c.action, c.side, 7, kNow + absl::Minutes(5), "no");
    const std::string label =
        std::string(NameOf<RemoteAccessStatus>(kRemoteAccessStatusNames, c.from)) + " " +
        std::string(NameOf<RemoteAccessAction>(kRemoteAccessActionNames, c.action));
    EXPECT_EQ(status.code(), c.code) << label << ": " << status;
    EXPECT_EQ(request.status, c.to) << label;
  }
}

TEST(RemoteAccessTransitions, RecordsWhoDecidedAndWhoEnded) {
  RemoteAccessRequest request = Pending();
  const absl::Time at = kNow + absl::Minutes(1);
  ASSERT_TRUE(ApplyRemoteAccessAction(request, A::kGrant, W::kCustomer, 11, at).ok());
  EXPECT_EQ(request.decided_by, 11);
  EXPECT_EQ(request.decided_at, at);
  ASSERT_TRUE(ApplyRemoteAccessAction(request, A::kRevoke, W::kCustomer, 12, at).ok());
  EXPECT_EQ(request.ended_by, 12);
  EXPECT_EQ(request.ended_at, at);

  RemoteAccessRequest refused = Pending();
  ASSERT_TRUE(
      ApplyRemoteAccessAction(refused, A::kRefuse, W::kCustomer, 11, at, "not on Fridays").ok());
  EXPECT_EQ(refused.refusal_reason, "not on Fridays");
  RemoteAccessRequest long_reason = Pending();
  EXPECT_EQ(
      ApplyRemoteAccessAction(long_reason, A::kRefuse, W::kCustomer, 11, at, std::string(1001, 'r'))
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(RemoteAccessTransitions, ExpiryWaitsForTheWindowsEndAndIsDatedThere) {
  RemoteAccessRequest request = Pending();
  request.status = S::kGranted;
  EXPECT_EQ(ApplyRemoteAccessAction(request, A::kExpire, W::kSystem, 0, kNow).code(),
            absl::StatusCode::kFailedPrecondition);
  const absl::Time later = request.window_end + absl::Minutes(3);
  ASSERT_TRUE(ApplyRemoteAccessAction(request, A::kExpire, W::kSystem, 0, later).ok());
  EXPECT_EQ(request.status, S::kExpired);
  EXPECT_EQ(request.ended_at, request.window_end);
}

TEST(RemoteAccessTransitions, AnEndedWindowCannotBeGrantedOrRevoked) {
  RemoteAccessRequest request = Pending();
  const absl::Time after = request.window_end;
  const absl::Status grant = ApplyRemoteAccessAction(request, A::kGrant, W::kCustomer, 11, after);
  EXPECT_EQ(grant.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(grant.message(), "remote access request 3 is expired; it cannot be granted");
  request.status = S::kGranted;
  EXPECT_EQ(ApplyRemoteAccessAction(request, A::kRevoke, W::kCustomer, 11, after).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(RemoteAccessSide, WhoStandsWhere) {
  Case c;
  c.number = 42;
  c.org_id = 5;
  c.requester_id = 20;
  c.followers = {21};
  struct SideCase {
    std::string name;
    Viewer viewer;
    W side;
  };
  const std::vector<SideCase> cases = {
      {"agent", {.user_id = 1, .role = Role::kAgent, .org_id = 1}, W::kStaff},
      {"requester", {.user_id = 20, .role = Role::kCustomer, .org_id = 5}, W::kCustomer},
      {"follower", {.user_id = 21, .role = Role::kCustomer, .org_id = 5}, W::kCustomer},
      {"org admin",
       {.user_id = 22, .role = Role::kCustomer, .org_id = 5, .org_admin = true},
       W::kCustomer},
      {"colleague on a shared org",
       {.user_id = 23, .role = Role::kCustomer, .org_id = 5, .org_shares_cases = true},
       W::kNone},
      {"other org", {.user_id = 30, .role = Role::kCustomer, .org_id = 6}, W::kNone},
      {"partner agent",
       {.user_id = 40, .role = Role::kPartnerAgent, .org_id = 3, .child_org_ids = {5}},
       W::kCustomer},
      {"other partner",
       {.user_id = 41, .role = Role::kPartnerAgent, .org_id = 4, .child_org_ids = {6}},
       W::kNone},
  };
  for (const SideCase& sc : cases) {
    EXPECT_EQ(RemoteAccessSideOf(sc.viewer, c), sc.side) << sc.name;
  }
}

TEST(RemoteAccessSecrets, NamesAreTiedToTheRequest) {
  EXPECT_EQ(RemoteAccessSecretName(12, "password"), "remote_access.12.password");
  EXPECT_EQ(RemoteAccessSecretPrefix(12), "remote_access.12.");
}

}  // namespace
}  // namespace casedesk::core

// The email channel's configuration, as documents in the store's settings (JSON):
//   "mail/desk"              desk-wide: sender, case tag, reply addresses, unknown senders, routes
//   "mail/organisation/<id>" per organisation: registered support aliases and domains (who may
//                            open cases by mail), and for partners the sender address, name and
//                            signature their customers see instead of the provider's
// A fresh desk has no documents and gets the defaults below, so mail works at once: every
// address opens cases at severity 3 and threads replies. Thread-safe: stateless functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/ids.h"
#include "core/severity.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kMailDeskSettingKey = "mail/desk";
inline constexpr std::string_view kMailOrganisationSettingPrefix = "mail/organisation/";

// What an inbound address does with mail that is not a reply to a known case.
enum class MailRouteAction {
  kOpenCase,  // open a case (replies to known cases are threaded whatever the route)
  kEscalate,  // raise a customer escalation request on the referenced case
};

struct MailRoute {
  // Local part ("critical") or whole address ("critical@help.example.com"), lower case.
  std::string address;
  MailRouteAction action = MailRouteAction::kOpenCase;
  // New cases opened through this route get this severity; unset: the default severity.
  std::optional<core::Severity> severity;
};

// What happens to mail from an address that may not open a case or reply.
enum class UnknownSenderTreatment {
  kNotice,      // keep it (rejected) and send a rate-limited notice explaining how to register
  kQuarantine,  // keep it for an agent to accept (as the sender) or reject
};

struct MailDeskSettings {
  std::string from_address;  // sender of the desk's mail; empty: smtp.from from configuration
  std::string from_name = "Support";
  // Subject tag "[<case_tag_prefix> #123456]"; replies carrying it thread to the case.
  std::string case_tag_prefix = "Case";
  // Signed reply addresses "<local>+c<number>-<mac>@<domain>": set reply_domain to use them
  // (the address must deliver to Casedesk); empty: replies go to from_address.
  std::string reply_local_part = "support";
  std::string reply_domain;
  UnknownSenderTreatment unknown_senders = UnknownSenderTreatment::kNotice;
  absl::Duration notice_interval = absl::Hours(1);  // at most one automatic notice per address
  core::Severity default_severity = core::Severity::kMinor;  // level 3
  std::vector<MailRoute> routes;  // empty: every address follows the default route
};

struct OrganisationMailSettings {
  core::OrgId org_id = 0;
  // Addresses that may open cases for this organisation although no user has them (a partner's
  // registered support alias), lower case.
  std::vector<std::string> support_aliases;
  // Domains whose every address may open cases for this organisation ("example.com").
  std::vector<std::string> domains;
  // For partners: the sender their customers see, and a signature appended to that mail.
  std::string sender_address;
  std::string sender_name;
  std::string signature;
};

// JSON shapes (the API's bodies and the stored form):
//   {"from_address": "support@help.example.com", "from_name": "Example Support",
//    "case_tag_prefix": "Case", "reply_local_part": "support", "reply_domain": "",
//    "unknown_senders": "notice"|"quarantine", "notice_interval_minutes": 60,
//    "default_severity": 3,
//    "routes": [{"address": "critical", "action": "open_case", "severity": 1},
//               {"address": "escalation", "action": "escalate"}]}
//   {"support_aliases": ["helpdesk@partner.example"], "domains": ["customer.example"],
//    "sender_address": "support@partner.example", "sender_name": "Partner Support",
//    "signature": "..."}
// FromJson: InvalidArgument naming the field; missing fields take their defaults.
nlohmann::json MailDeskSettingsToJson(const MailDeskSettings& settings);
absl::StatusOr<MailDeskSettings> MailDeskSettingsFromJson(const nlohmann::json& json);
nlohmann::json OrganisationMailSettingsToJson(const OrganisationMailSettings& settings);
absl::StatusOr<OrganisationMailSettings> OrganisationMailSettingsFromJson(
    const nlohmann::json& json);

// Stored, else the defaults.
absl::StatusOr<MailDeskSettings> LoadMailDeskSettings(ports::StoreTransaction& txn);
absl::Status SaveMailDeskSettings(ports::StoreTransaction& txn, const MailDeskSettings& settings);
// Stored, else empty settings for `org_id`.
absl::StatusOr<OrganisationMailSettings> LoadOrganisationMailSettings(ports::StoreTransaction& txn,
                                                                      core::OrgId org_id);
absl::Status SaveOrganisationMailSettings(ports::StoreTransaction& txn,
                                          const OrganisationMailSettings& settings);
// Every organisation's settings (for matching a sender's alias or domain), by org id.
absl::StatusOr<std::vector<OrganisationMailSettings>> ListOrganisationMailSettings(
    ports::StoreTransaction& txn);

}  // namespace casedesk::app

#include "app/mail_settings.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using json = nlohmann::json;

absl::Status InvalidMailSetting(std::string_view field, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(what)));
}

absl::Status CheckMailObject(const json& value, std::string_view where,
                             std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) return InvalidMailSetting(where, "must be an object");
  for (const auto& [key, unused] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return InvalidMailSetting(absl::StrCat(std::string(where), ".", key), "unknown field");
    }
  }
  return absl::OkStatus();
}

// Reads an optional string field into `out`.
absl::Status ReadString(const json& object, std::string_view key, std::string* out) {
  auto it = object.find(std::string(key));
  if (it == object.end()) return absl::OkStatus();
  if (!it->is_string()) return InvalidMailSetting(key, "must be a string");
  *out = it->get<std::string>();
  if (out->find_first_of("\r\n") != std::string::npos) {
    return InvalidMailSetting(key, "must not contain line breaks");
  }
  return absl::OkStatus();
}

absl::StatusOr<core::Severity> ReadSeverity(const json& value, std::string_view field) {
  core::Severity severity;
  if (!value.is_number_integer() || !core::SeverityFromLevel(value.get<int>(), &severity)) {
    return InvalidMailSetting(field, "must be a severity level 1..4");
  }
  return severity;
}

// A plausible address: one '@', something on both sides, no spaces or brackets.
bool LooksLikeAddress(std::string_view address) {
  const size_t at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  return std::none_of(address.begin(), address.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '<' || c == '>' || c == ',';
  });
}

// Lower case and trimmed, for addresses, local parts and domains alike (core::NormaliseEmail
// accepts only whole addresses).
std::string Lower(std::string_view text) {
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(std::string(text)));
}

bool LooksLikeDomain(std::string_view domain) {
  if (domain.empty() || domain.front() == '.' || domain.back() == '.') return false;
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

absl::StatusOr<std::vector<std::string>> ReadList(const json& object, std::string_view key,
                                                  bool (*valid)(std::string_view)) {
  std::vector<std::string> out;
  auto it = object.find(std::string(key));
  if (it == object.end()) return out;
  if (!it->is_array()) return InvalidMailSetting(key, "must be a list of strings");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& item = (*it)[i];
    const std::string field = absl::StrCat(std::string(key), "[", i, "]");
    if (!item.is_string()) return InvalidMailSetting(field, "must be a string");
    std::string value = Lower(item.get<std::string>());
    if (!valid(value)) return InvalidMailSetting(field, absl::StrCat("'", value, "' is not valid"));
    out.push_back(std::move(value));
  }
  return out;
}

absl::StatusOr<MailRoute> RouteFromJson(const json& value, const std::string& where) {
  if (absl::Status s = CheckMailObject(value, where, {"address", "action", "severity"}); !s.ok()) {
    return s;
  }
  MailRoute route;
  auto address = value.find("address");
  if (address == value.end() || !address->is_string() || address->get<std::string>().empty()) {
    return InvalidMailSetting(where + ".address", "is required (a local part or a whole address)");
  }
  route.address = Lower(address->get<std::string>());
  if (route.address.find_first_of(" \t\r\n<>,") != std::string::npos) {
    return InvalidMailSetting(where + ".address", "is not an address");
  }
  if (auto action = value.find("action"); action != value.end()) {
    if (*action == "open_case") {
      route.action = MailRouteAction::kOpenCase;
    } else if (*action == "escalate") {
      route.action = MailRouteAction::kEscalate;
    } else {
      return InvalidMailSetting(where + ".action", "must be open_case or escalate");
    }
  }
  if (auto severity = value.find("severity"); severity != value.end()) {
    absl::StatusOr<core::Severity> level = ReadSeverity(*severity, where + ".severity");
    if (!level.ok()) return level.status();
    route.severity = *level;
  }
  return route;
}

absl::StatusOr<json> ParseStored(std::string_view key, const std::string& text) {
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return absl::DataLossError(absl::StrCat("setting ", std::string(key), " is not JSON"));
  }
  return parsed;
}

std::string OrganisationKey(core::OrgId org_id) {
  return absl::StrCat(std::string(kMailOrganisationSettingPrefix), org_id);
}

}  // namespace

json MailDeskSettingsToJson(const MailDeskSettings& settings) {
  json routes = json::array();
  for (const MailRoute& route : settings.routes) {
    json item = {{"address", route.address},
                 {"action", route.action == MailRouteAction::kEscalate ? "escalate" : "open_case"}};
    if (route.severity) item["severity"] = core::SeverityLevel(*route.severity);
    routes.push_back(std::move(item));
  }
  return {
      {"from_address", settings.from_address},
      {"from_name", settings.from_name},
      {"case_tag_prefix", settings.case_tag_prefix},
      {"reply_local_part", settings.reply_local_part},
      {"reply_domain", settings.reply_domain},
      {"unknown_senders",
       settings.unknown_senders == UnknownSenderTreatment::kQuarantine ? "quarantine" : "notice"},
      {"notice_interval_minutes", absl::ToInt64Minutes(settings.notice_interval)},
      {"default_severity", core::SeverityLevel(settings.default_severity)},
      {"routes", std::move(routes)}};
}

absl::StatusOr<MailDeskSettings> MailDeskSettingsFromJson(const json& value) {
  if (absl::Status s = CheckMailObject(
          value, "mail settings",
          {"from_address", "from_name", "case_tag_prefix", "reply_local_part", "reply_domain",
           "unknown_senders", "notice_interval_minutes", "default_severity", "routes"});
      !s.ok()) {
    return s;
  }
  MailDeskSettings settings;
  for (auto [key, field] : {std::pair{"from_address", &settings.from_address},
                            std::pair{"from_name", &settings.from_name},
                            std::pair{"case_tag_prefix", &settings.case_tag_prefix},
                            std::pair{"reply_local_part", &settings.reply_local_part},
                            std::pair{"reply_domain", &settings.reply_domain}}) {
    if (absl::Status s = ReadString(value, key, field); !s.ok()) return s;
  }
  if (!settings.from_address.empty()) {
    settings.from_address = core::NormaliseEmail(settings.from_address);
    if (!LooksLikeAddress(settings.from_address)) {
      return InvalidMailSetting("from_address", "is not an email address");
    }
  }
  if (settings.case_tag_prefix.empty() ||
      settings.case_tag_prefix.find_first_of("[]#") != std::string::npos) {
    return InvalidMailSetting("case_tag_prefix", "must be a word without [, ] or #");
  }
  settings.reply_domain = Lower(settings.reply_domain);
  if (!settings.reply_domain.empty() && !LooksLikeDomain(settings.reply_domain)) {
    return InvalidMailSetting("reply_domain", "is not a domain name");
  }
  settings.reply_local_part = Lower(settings.reply_local_part);
  if (settings.reply_local_part.empty() ||
      settings.reply_local_part.find_first_of("@+ <>,") != std::string::npos) {
    return InvalidMailSetting("reply_local_part", "must be a local part without @ or +");
  }
  if (auto it = value.find("unknown_senders"); it != value.end()) {
    if (*it == "notice") {
      settings.unknown_senders = UnknownSenderTreatment::kNotice;
    } else if (*it == "quarantine") {
      settings.unknown_senders = UnknownSenderTreatment::kQuarantine;
    } else {
      return InvalidMailSetting("unknown_senders", "must be notice or quarantine");
    }
  }
  if (auto it = value.find("notice_interval_minutes"); it != value.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 7 * 24 * 60) {
      return InvalidMailSetting("notice_interval_minutes",
                                "must be a whole number of minutes, 1..10080");
    }
    settings.notice_interval = absl::Minutes(it->get<int64_t>());
  }
  if (auto it = value.find("default_severity"); it != value.end()) {
    absl::StatusOr<core::Severity> level = ReadSeverity(*it, "default_severity");
    if (!level.ok()) return level.status();
    settings.default_severity = *level;
  }
  if (auto it = value.find("routes"); it != value.end()) {
    if (!it->is_array()) return InvalidMailSetting("routes", "must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      absl::StatusOr<MailRoute> route = RouteFromJson((*it)[i], absl::StrCat("routes[", i, "]"));
      if (!route.ok()) return route.status();
      for (const MailRoute& earlier : settings.routes) {
        if (earlier.address == route->address) {
          return InvalidMailSetting(absl::StrCat("routes[", i, "].address"),
                                    absl::StrCat("'", route->address, "' is routed twice"));
        }
      }
      settings.routes.push_back(*std::move(route));
    }
  }
  return settings;
}

json OrganisationMailSettingsToJson(const OrganisationMailSettings& settings) {
  return {{"support_aliases", settings.support_aliases},
          {"domains", settings.domains},
          {"sender_address", settings.sender_address},
          {"sender_name", settings.sender_name},
          {"signature", settings.signature}};
}

absl::StatusOr<OrganisationMailSettings> OrganisationMailSettingsFromJson(const json& value) {
  if (absl::Status s = CheckMailObject(
          value, "organisation mail settings",
          {"support_aliases", "domains", "sender_address", "sender_name", "signature"});
      !s.ok()) {
    return s;
  }
  OrganisationMailSettings settings;
  absl::StatusOr<std::vector<std::string>> aliases =
      ReadList(value, "support_aliases", LooksLikeAddress);
  if (!aliases.ok()) return aliases.status();
  settings.support_aliases = *std::move(aliases);
  absl::StatusOr<std::vector<std::string>> domains = ReadList(value, "domains", LooksLikeDomain);
  if (!domains.ok()) return domains.status();
  settings.domains = *std::move(domains);
  if (absl::Status s = ReadString(value, "sender_address", &settings.sender_address); !s.ok()) {
    return s;
  }
  if (!settings.sender_address.empty()) {
    settings.sender_address = core::NormaliseEmail(settings.sender_address);
    if (!LooksLikeAddress(settings.sender_address)) {
      return InvalidMailSetting("sender_address", "is not an email address");
    }
  }
  if (absl::Status s = ReadString(value, "sender_name", &settings.sender_name); !s.ok()) return s;
  if (auto it = value.find("signature"); it != value.end()) {
    if (!it->is_string()) return InvalidMailSetting("signature", "must be a string");
    settings.signature = it->get<std::string>();  // may span lines: it goes in the body
  }
  return settings;
}

absl::StatusOr<MailDeskSettings> LoadMailDeskSettings(ports::StoreTransaction& txn) {
  absl::StatusOr<std::optional<std::string>> text = txn.GetSetting(kMailDeskSettingKey);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return MailDeskSettings{};
  absl::StatusOr<json> parsed = ParseStored(kMailDeskSettingKey, **text);
  if (!parsed.ok()) return parsed.status();
  return MailDeskSettingsFromJson(*parsed);
}

absl::Status SaveMailDeskSettings(ports::StoreTransaction& txn, const MailDeskSettings& settings) {
  return txn.PutSetting(kMailDeskSettingKey, MailDeskSettingsToJson(settings).dump());
}

absl::StatusOr<OrganisationMailSettings> LoadOrganisationMailSettings(ports::StoreTransaction& txn,
                                                                      core::OrgId org_id) {
  const std::string key = OrganisationKey(org_id);
  absl::StatusOr<std::optional<std::string>> text = txn.GetSetting(key);
  if (!text.ok()) return text.status();
  OrganisationMailSettings settings;
  if (text->has_value()) {
    absl::StatusOr<json> parsed = ParseStored(key, **text);
    if (!parsed.ok()) return parsed.status();
    absl::StatusOr<OrganisationMailSettings> stored = OrganisationMailSettingsFromJson(*parsed);
    if (!stored.ok()) return stored.status();
    settings = *std::move(stored);
  }
  settings.org_id = org_id;
  return settings;
}

absl::Status SaveOrganisationMailSettings(ports::StoreTransaction& txn,
                                          const OrganisationMailSettings& settings) {
  return txn.PutSetting(OrganisationKey(settings.org_id),
                        OrganisationMailSettingsToJson(settings).dump());
}

absl::StatusOr<std::vector<OrganisationMailSettings>> ListOrganisationMailSettings(
    ports::StoreTransaction& txn) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> rows =
      txn.ListSettings(kMailOrganisationSettingPrefix);
  if (!rows.ok()) return rows.status();
  std::vector<OrganisationMailSettings> out;
  for (const auto& [key, text] : *rows) {
    int64_t org_id = 0;
    if (!absl::SimpleAtoi(key.substr(kMailOrganisationSettingPrefix.size()), &org_id)) continue;
    absl::StatusOr<json> parsed = ParseStored(key, text);
    if (!parsed.ok()) return parsed.status();
    absl::StatusOr<OrganisationMailSettings> settings = OrganisationMailSettingsFromJson(*parsed);
    if (!settings.ok()) return settings.status();
    settings->org_id = org_id;
    out.push_back(*std::move(settings));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.org_id < b.org_id; });
  return out;
}

}  // namespace casedesk::app

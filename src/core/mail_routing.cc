#include "core/mail_routing.h"

#include <algorithm>

#include "core/text.h"

namespace casedesk::core {
namespace {

struct Candidate {
  std::string address;  // lower case, "+detail" removed
  std::string local;    // the local part of `address`
};

std::optional<Candidate> MakeCandidate(std::string_view raw) {
  std::string address = AsciiLower(raw);
  // Tolerate "<addr>" and surrounding spaces from an envelope.
  while (!address.empty() && (address.front() == ' ' || address.front() == '<')) {
    address.erase(address.begin());
  }
  while (!address.empty() && (address.back() == ' ' || address.back() == '>')) address.pop_back();
  const size_t at = address.rfind('@');
  if (at == std::string::npos || at == 0) return std::nullopt;
  std::string local = address.substr(0, at);
  const std::string domain = address.substr(at + 1);
  if (const size_t plus = local.find('+'); plus != std::string::npos && plus > 0) {
    local.resize(plus);
  }
  return Candidate{local + "@" + domain, local};
}

const RouteRule* Match(const std::vector<RouteRule>& rules,
                       const std::vector<Candidate>& candidates) {
  for (const Candidate& candidate : candidates) {
    for (const RouteRule& rule : rules) {
      if (rule.address.find('@') != std::string::npos &&
          AsciiLower(rule.address) == candidate.address) {
        return &rule;
      }
    }
  }
  for (const Candidate& candidate : candidates) {
    for (const RouteRule& rule : rules) {
      if (rule.address.find('@') == std::string::npos &&
          AsciiLower(rule.address) == candidate.local) {
        return &rule;
      }
    }
  }
  return nullptr;
}

}  // namespace

RouteDecision PickRoute(const std::vector<RouteRule>& rules, std::string_view envelope_recipient,
                        const std::vector<std::string>& to, const std::vector<std::string>& cc) {
  std::vector<Candidate> candidates;
  if (std::optional<Candidate> envelope = MakeCandidate(envelope_recipient)) {
    candidates.push_back(*std::move(envelope));
  } else {
    for (const std::vector<std::string>* list : {&to, &cc}) {
      for (const std::string& address : *list) {
        if (std::optional<Candidate> candidate = MakeCandidate(address)) {
          candidates.push_back(*std::move(candidate));
        }
      }
    }
  }
  RouteDecision decision;
  if (const RouteRule* rule = Match(rules, candidates)) {
    decision.action = rule->action;
    decision.severity = rule->severity;
    decision.matched = rule->address;
  }
  return decision;
}

}  // namespace casedesk::core

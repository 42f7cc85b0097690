// What sign-up and password-reset requests share: the per-address limit on how often mail may
// be asked for (kSignUpThrottle, kPasswordResetThrottle in throttle.h, counted in the store so
// every node sees the same count), and the messages every answer uses. A request is answered
// once it has been counted, which costs the same for every address; the request's own unit of
// work is not waited for, so neither the answer nor its timing tells which addresses have
// accounts (the mail it causes differs, the page does not).
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/throttle.h"

namespace casedesk::app {

inline constexpr std::string_view kTooManyAccountRequestsMessage =
    "Too many requests for this address; try again in an hour.";

// Told once a request has been counted: OK when it goes ahead (its unit of work is queued
// by then), ResourceExhausted (kTooManyAccountRequestsMessage) when the address has asked too
// often within the throttle's window, or the store's error.
using Admitted = std::function<void(absl::Status)>;

// The normalised address; InvalidArgument "email: ..." for one that does not normalise.
absl::StatusOr<std::string> NormaliseRequestAddress(std::string_view email);

// Counts a request for `address` (normalised) against `throttle` in a unit of work of its
// own. Once that is committed, runs `proceed` if the request was admitted, then tells
// `admitted`. Each admitted request counts, whatever it causes.
void AdmitAccountRequest(AppContext& context, const Throttle& throttle, std::string address,
                         std::function<void()> proceed, Admitted admitted);

}  // namespace casedesk::app

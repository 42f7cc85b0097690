// JSON shapes of the status page's admin API (/api/v1/status/...): components, incidents and
// maintenance with their updates, subscriptions; and strict parsing of the request bodies.
// Unknown fields, wrong types and unknown enum names are InvalidArgument naming the field.
// Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/status_components.h"
#include "app/status_incidents.h"
#include "app/status_page_view.h"
#include "app/status_subscriptions.h"
#include "core/status_page.h"
#include "ports/status_records.h"

namespace casedesk::adapters::http {

nlohmann::json StatusComponentToJson(const core::StatusComponent& component);
nlohmann::json IncidentToJson(const core::Incident& incident);
nlohmann::json IncidentViewToJson(const app::IncidentView& view);
nlohmann::json StatusSubscriberToJson(const ports::StatusSubscriber& subscriber);
nlohmann::json MyStatusSubscriptionToJson(const app::MyStatusSubscription& mine);
nlohmann::json StatusPageInfoToJson(const app::StatusPageInfo& info);

absl::StatusOr<app::NewStatusComponent> ParseNewStatusComponent(const HttpRequest& request,
                                                                int64_t max_bytes);
absl::StatusOr<app::StatusComponentPatch> ParseStatusComponentPatch(const HttpRequest& request,
                                                                    int64_t max_bytes);
// `kind` decides the defaults and which fields are allowed (maintenance: the window).
absl::StatusOr<app::NewIncident> ParseNewIncident(const HttpRequest& request, int64_t max_bytes,
                                                  core::IncidentKind kind);
absl::StatusOr<app::IncidentUpdateRequest> ParseIncidentUpdate(const HttpRequest& request,
                                                               int64_t max_bytes);

}  // namespace casedesk::adapters::http

// Test fixture for the status page use cases: the case fixture's desk (a real SqliteStore,
// SodiumCrypto, a FakeClock, one caller per role) plus helpers that run the status use cases as
// plain calls and read what they stored (components, their history, incidents, outbox rows).
// Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "app/case_test_fixture.h"
#include "app/status_components.h"
#include "app/status_incidents.h"
#include "app/status_maintenance.h"
#include "app/status_notices.h"
#include "app/status_subscriptions.h"
#include "app/store_calls.h"

namespace casedesk::core {

// Readable names in gtest's failure messages.
inline void PrintTo(ComponentStatus status, std::ostream* out) {
  *out << NameOf(ComponentStatusNames(), status);
}
inline void PrintTo(IncidentStatus status, std::ostream* out) {
  *out << NameOf(IncidentStatusNames(), status);
}

}  // namespace casedesk::core

namespace casedesk::app {

class StatusTestFixture : public CaseTestFixture {
 protected:
  absl::Status Write(const std::function<absl::Status(ports::StoreTransaction&)>& work) {
    return store_->WriteAndWait(work);
  }

  // Reads a value straight from the store, bypassing every access rule.
  template <typename T>
  T FromStore(const std::function<absl::StatusOr<T>(ports::StoreTransaction&)>& read) {
    absl::StatusOr<T> value = ReadValue<T>(*store_, read);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *std::move(value) : T{};
  }

  absl::StatusOr<core::StatusComponent> CreateComponent(const Caller& caller, std::string name,
                                                        std::string group = "") {
    NewStatusComponent request;
    request.name = std::move(name);
    request.group = std::move(group);
    return Await<core::StatusComponent>([&](Done<core::StatusComponent> done) {
      CreateStatusComponent(context(), caller.viewer, std::move(request), std::move(done));
    });
  }

  // An admin creates the component; fails the test if that does not work.
  core::StatusComponent MustComponent(std::string name, std::string group = "") {
    absl::StatusOr<core::StatusComponent> component =
        CreateComponent(admin_, std::move(name), std::move(group));
    EXPECT_TRUE(component.ok()) << component.status();
    return component.ok() ? *component : core::StatusComponent{};
  }

  core::StatusComponent StoredComponent(core::ComponentId id) {
    return FromStore<core::StatusComponent>(
        [id](ports::StoreTransaction& txn) { return txn.GetStatusComponent(id); });
  }

  // The component's recorded statuses, oldest first.
  std::vector<core::ComponentStatus> History(core::ComponentId id) {
    std::vector<core::ComponentStatus> statuses;
    for (const core::ComponentStatusChange& change :
         FromStore<std::vector<core::ComponentStatusChange>>([](ports::StoreTransaction& txn) {
           return txn.ListComponentStatusChanges(absl::InfinitePast());
         })) {
      if (change.component_id == id) statuses.push_back(change.status);
    }
    return statuses;
  }

  absl::StatusOr<IncidentView> OpenEvent(const Caller& caller, NewIncident request) {
    return Await<IncidentView>([&](Done<IncidentView> done) {
      CreateIncident(context(), caller.viewer, std::move(request), std::move(done));
    });
  }

  static NewIncident Incident(std::string name, std::vector<core::ComponentId> components,
                              std::optional<core::ComponentStatus> status = std::nullopt) {
    NewIncident request;
    request.name = std::move(name);
    request.body = "We are looking into it.";
    request.component_ids = std::move(components);
    request.component_status = status;
    return request;
  }

  // The agent opens the incident; fails the test if that does not work.
  IncidentView MustOpenEvent(NewIncident request) {
    absl::StatusOr<IncidentView> view = OpenEvent(agent_, std::move(request));
    EXPECT_TRUE(view.ok()) << view.status();
    return view.ok() ? *std::move(view) : IncidentView{};
  }

  static IncidentUpdateRequest Update(
      core::IncidentStatus status, std::string body,
      std::optional<core::ComponentStatus> component_status = std::nullopt) {
    IncidentUpdateRequest request;
    request.status = status;
    request.body = std::move(body);
    request.component_status = component_status;
    return request;
  }

  absl::StatusOr<IncidentView> Post(const Caller& caller, core::IncidentId id,
                                    IncidentUpdateRequest request) {
    return Await<IncidentView>([&](Done<IncidentView> done) {
      PostIncidentUpdate(context(), caller.viewer, id, std::move(request), std::move(done));
    });
  }

  absl::StatusOr<IncidentView> Link(const Caller& caller, core::IncidentId id,
                                    core::CaseNumber number) {
    return Await<IncidentView>([&](Done<IncidentView> done) {
      LinkCaseToIncident(context(), caller.viewer, id, number, std::move(done));
    });
  }

  core::Incident StoredIncident(core::IncidentId id) {
    return FromStore<core::Incident>(
        [id](ports::StoreTransaction& txn) { return txn.GetIncident(id); });
  }

  // Every unsent outbox row of `kind`, oldest first.
  std::vector<ports::Notification> Outbox(std::string_view kind) {
    std::vector<ports::Notification> rows;
    for (ports::Notification& row : FromStore<std::vector<ports::Notification>>(
             [](ports::StoreTransaction& txn) { return txn.ListPendingNotifications(0, 10000); })) {
      if (row.kind == kind) rows.push_back(std::move(row));
    }
    return rows;
  }

  // Every comment on a case, internal ones too.
  std::vector<core::Comment> Comments(core::CaseNumber number) {
    return FromStore<std::vector<core::Comment>>(
        [number](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::Comment>> {
          ports::PageRequest page;
          page.limit = 200;
          absl::StatusOr<ports::Page<core::Comment>> listed = txn.ListComments(number, true, page);
          if (!listed.ok()) return listed.status();
          return std::move(listed->items);
        });
  }

  absl::StatusOr<StatusNoticeReport> FanOut(int chunk = 2000,
                                            const std::atomic<bool>* stopping = nullptr) {
    StatusNoticeOptions options;
    options.chunk = chunk;
    return FanOutStatusNotices(context(), options, stopping);
  }

  // Inserts a person directly (the directory's use cases are not under test here).
  Caller AddUser(std::string name, bool verified, bool active = true) {
    Caller caller = AddPerson(std::move(name), core::Role::kCustomer, acme_);
    caller.user.verified = verified;
    caller.user.active = active;
    EXPECT_TRUE(
        Write([&](ports::StoreTransaction& txn) { return txn.UpdateUser(caller.user); }).ok());
    return caller;
  }
};

}  // namespace casedesk::app

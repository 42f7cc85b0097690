// LiveUpdates (see live_updates.h).
#include "adapters/http/live_updates.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace casedesk::adapters::http {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

// Presence signals between nodes: "presence NODE SEQUENCE NUMBER USER STATE NAME".
constexpr std::string_view kPresenceSignal = "presence ";

std::string_view StateName(PresenceState state) {
  return state == PresenceState::kTyping ? "typing" : "viewing";
}

}  // namespace

std::string_view PresenceStateName(PresenceState state) {
  switch (state) {
    case PresenceState::kViewing:
      return "viewing";
    case PresenceState::kTyping:
      return "typing";
    case PresenceState::kLeft:
      return "left";
  }
  return "left";
}

std::optional<PresenceState> PresenceStateFromName(std::string_view name) {
  if (name == "viewing") return PresenceState::kViewing;
  if (name == "typing") return PresenceState::kTyping;
  if (name == "left") return PresenceState::kLeft;
  return std::nullopt;
}

LiveUpdates::LiveUpdates() : LiveUpdates(Options{}) {}

LiveUpdates::LiveUpdates(Options options) : options_(options), thread_([this] { Run(); }) {}

LiveUpdates::~LiveUpdates() {
  std::vector<Watcher> watchers;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    watchers.swap(watchers_);
  }
  wake_.notify_all();
  thread_.join();
  for (Watcher& watcher : watchers) watcher.stream->Close();
}

void LiveUpdates::WatchCase(core::CaseNumber number, core::UserId viewer,
                            std::shared_ptr<ResponseStream> stream) {
  const SteadyTime now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (stopping_) return stream->Close();
  watchers_.push_back(Watcher{std::move(stream), number, viewer, now, now});
  // Who is already there, at once (the list may be empty: the page shows nobody).
  SendPresenceLocked(number, now);
}

void LiveUpdates::WatchQueues(std::shared_ptr<ResponseStream> stream) {
  const SteadyTime now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (stopping_) return stream->Close();
  watchers_.push_back(Watcher{std::move(stream), 0, 0, now, now});
}

void LiveUpdates::CasesChanged(const std::vector<core::CaseNumber>& numbers) {
  if (numbers.empty()) return;
  const SteadyTime now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  bool closed = false;
  for (Watcher& watcher : watchers_) {
    if (watcher.number == 0) continue;
    if (std::find(numbers.begin(), numbers.end(), watcher.number) != numbers.end()) {
      closed |= !SendLocked(watcher,
                            "event: case\ndata: " + std::to_string(watcher.number) + "\n\n", now);
    }
  }
  if (closed) PruneLocked();
  queues_changed_ = true;
  wake_.notify_all();
}

void LiveUpdates::SetPresenceBroadcast(std::string node,
                                       std::function<void(const std::string& signal)> broadcast) {
  node_ = std::move(node);
  broadcast_ = std::move(broadcast);
}

void LiveUpdates::SetPresence(core::CaseNumber number, core::UserId user, const std::string& name,
                              PresenceState state) {
  ApplyPresence(number, user, name, state);
  if (broadcast_) {
    broadcast_(absl::StrCat(std::string(kPresenceSignal), node_, " ", ++sent_signals_, " ", number,
                            " ", user, " ", std::string(PresenceStateName(state)), " ", name));
  }
}

bool LiveUpdates::ApplyPresenceSignal(std::string_view signal) {
  if (!signal.starts_with(kPresenceSignal)) return false;
  signal.remove_prefix(kPresenceSignal.size());
  // "NODE SEQUENCE NUMBER USER STATE NAME", the name last because it may hold spaces.
  std::vector<std::string> parts = absl::StrSplit(std::string(signal), absl::MaxSplits(' ', 5));
  if (parts.size() != 6 || parts[0].empty()) return false;
  if (parts[0] == node_) return false;  // our own, applied when it was sent
  uint64_t sequence = 0;
  core::CaseNumber number = 0;
  core::UserId user = 0;
  const std::optional<PresenceState> state = PresenceStateFromName(parts[4]);
  if (!state || !absl::SimpleAtoi(parts[1], &sequence) || !absl::SimpleAtoi(parts[2], &number) ||
      !absl::SimpleAtoi(parts[3], &user)) {
    return false;
  }
  {
    // Signals travel on pooled connections and may arrive out of order: one older than the
    // last applied from that node for that person on that case is dropped.
    std::lock_guard lock(mutex_);
    RemoteSequence& last = remote_sequences_[{parts[0], number, user}];
    if (sequence <= last.sequence) return true;
    last.sequence = sequence;
    last.expires = std::chrono::steady_clock::now() + options_.presence_ttl;
  }
  ApplyPresence(number, user, parts[5], *state);
  return true;
}

void LiveUpdates::ApplyPresence(core::CaseNumber number, core::UserId user, const std::string& name,
                                PresenceState state) {
  const SteadyTime now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto& people = presence_[number];
  const auto known = people.find(user);
  const bool was_there = known != people.end();
  const PresenceState before = was_there ? known->second.state : PresenceState::kLeft;
  if (state == PresenceState::kLeft) {
    if (was_there) people.erase(known);
    if (people.empty()) presence_.erase(number);
  } else {
    people[user] = Presence{name, state, now + options_.presence_ttl};
  }
  // Only a change is news; a heartbeat that repeats the state just renews it.
  if (before != state) SendPresenceLocked(number, now);
}

size_t LiveUpdates::open_streams() const {
  std::lock_guard lock(mutex_);
  return static_cast<size_t>(std::count_if(watchers_.begin(), watchers_.end(),
                                           [](const Watcher& w) { return !w.stream->closed(); }));
}

void LiveUpdates::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.tick);
    if (stopping_) break;
    const SteadyTime now = std::chrono::steady_clock::now();
    // Presence that was not renewed.
    for (auto it = presence_.begin(); it != presence_.end();) {
      const size_t before = it->second.size();
      std::erase_if(it->second, [now](const auto& entry) { return entry.second.expires <= now; });
      const core::CaseNumber number = it->first;
      const bool changed = it->second.size() != before;
      it = it->second.empty() ? presence_.erase(it) : std::next(it);
      if (changed) SendPresenceLocked(number, now);
    }
    std::erase_if(remote_sequences_,
                  [now](const auto& entry) { return entry.second.expires <= now; });
    const bool queue_event_due =
        queues_changed_ && now - last_queue_event_ >= options_.queue_event_interval;
    if (queue_event_due) {
      queues_changed_ = false;
      last_queue_event_ = now;
    }
    for (Watcher& watcher : watchers_) {
      if (now - watcher.opened >= options_.max_stream_age) {
        watcher.stream->Close();
      } else if (queue_event_due && watcher.number == 0) {
        SendLocked(watcher, "event: queue\ndata: changed\n\n", now);
      } else if (now - watcher.last_write >= options_.keepalive) {
        SendLocked(watcher, ": keep-alive\n\n", now);
      }
    }
    PruneLocked();
  }
}

void LiveUpdates::SendPresenceLocked(core::CaseNumber number, SteadyTime now) {
  const auto people = presence_.find(number);
  for (Watcher& watcher : watchers_) {
    if (watcher.number != number) continue;
    nlohmann::json others = nlohmann::json::array();
    if (people != presence_.end()) {
      for (const auto& [user, presence] : people->second) {
        if (user == watcher.viewer) continue;
        others.push_back({{"name", presence.name}, {"state", StateName(presence.state)}});
      }
    }
    SendLocked(watcher,
               "event: presence\ndata: " + nlohmann::json{{"others", others}}.dump() + "\n\n", now);
  }
}

bool LiveUpdates::SendLocked(Watcher& watcher, std::string text, SteadyTime now) {
  watcher.last_write = now;
  return watcher.stream->Write(std::move(text));
}

void LiveUpdates::PruneLocked() {
  std::erase_if(watchers_, [](const Watcher& watcher) { return watcher.stream->closed(); });
}

}  // namespace casedesk::adapters::http

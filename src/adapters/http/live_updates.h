// LiveUpdates: the staff console's Server-Sent Events. Case pages and queue pages keep a stream
// open; the store's commit listener tells this hub which cases changed, and it sends
//   event: case    to the streams watching that case (the page then refreshes its live regions),
//   event: queue   to the queue streams, at most once a second (a queue may hold any case),
//   event: presence with who else is viewing or typing on a case (collision awareness).
// Events carry no case content: the page fetches what changed through its usual GET, with the
// usual access checks. A comment line every `keepalive` keeps proxies from closing a quiet
// stream and finds streams whose client has gone; a stream is ended after `max_stream_age`
// (EventSource reconnects on its own and the page catches up on "open").
//
// Presence lives in each node's memory. With several nodes, each change is also broadcast as a
// signal through the store (PostgreSQL NOTIFY) and every node applies it, so agents see each
// other whichever node their pages are connected to.
//
// Thread-safety: every method may be called from any thread. A background thread sends the
// keep-alives, queue events and presence expiries; the destructor stops it and ends every stream.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <vector>

#include "adapters/http/http_types.h"
#include "core/case.h"
#include "core/user.h"

namespace casedesk::adapters::http {

enum class PresenceState { kViewing, kTyping, kLeft };

// "viewing", "typing", "left", as pages send them.
std::string_view PresenceStateName(PresenceState state);
std::optional<PresenceState> PresenceStateFromName(std::string_view name);

class LiveUpdates {
 public:
  struct Options {
    std::chrono::milliseconds keepalive{15000};
    std::chrono::milliseconds max_stream_age{300000};
    // A page that stops sending heartbeats (closed, asleep, offline) drops out after this.
    std::chrono::milliseconds presence_ttl{45000};
    std::chrono::milliseconds queue_event_interval{1000};
    std::chrono::milliseconds tick{250};
  };

  LiveUpdates();
  explicit LiveUpdates(Options options);
  ~LiveUpdates();
  LiveUpdates(const LiveUpdates&) = delete;
  LiveUpdates& operator=(const LiveUpdates&) = delete;

  // A case page's stream; presence sent to it leaves out `viewer` (the agent's own other tabs).
  void WatchCase(core::CaseNumber number, core::UserId viewer,
                 std::shared_ptr<ResponseStream> stream);
  // A queue page's stream.
  void WatchQueues(std::shared_ptr<ResponseStream> stream);

  // From the store's commit listener (quick: it only queues writes to the streams).
  void CasesChanged(const std::vector<core::CaseNumber>& numbers);

  // A heartbeat from a case page: `user` is viewing or typing there, or has left.
  void SetPresence(core::CaseNumber number, core::UserId user, const std::string& name,
                   PresenceState state);

  // Several nodes: `broadcast` carries each presence heartbeat to every node (the store's
  // BroadcastSignal), whose signal listener hands it to ApplyPresenceSignal. `node` names this
  // node in its signals (a random id), so that it ignores its own when they come back: it
  // applied them already, and an echo arriving after a later change would undo that change.
  // Set before serving.
  void SetPresenceBroadcast(std::string node,
                            std::function<void(const std::string& signal)> broadcast);
  // Applies a presence heartbeat another node broadcast, unless a later one from that node for
  // that person and case was applied already (signals may arrive out of order); false when
  // `signal` is not one (or is this node's own).
  bool ApplyPresenceSignal(std::string_view signal);

  // For tests and /metrics: the streams open now.
  size_t open_streams() const;

 private:
  struct Watcher {
    std::shared_ptr<ResponseStream> stream;
    core::CaseNumber number = 0;  // 0: a queue stream
    core::UserId viewer = 0;
    std::chrono::steady_clock::time_point opened;
    std::chrono::steady_clock::time_point last_write;
  };
  // The newest signal applied from one node for one person on one case; kept a presence TTL.
  struct RemoteSequence {
    uint64_t sequence = 0;
    std::chrono::steady_clock::time_point expires;
  };
  struct Presence {
    std::string name;
    PresenceState state = PresenceState::kViewing;
    std::chrono::steady_clock::time_point expires;
  };

  void Run();
  // SetPresence without the broadcast.
  void ApplyPresence(core::CaseNumber number, core::UserId user, const std::string& name,
                     PresenceState state);
  // Under mutex_: sends the case's presence to its watchers (each without its own viewer).
  void SendPresenceLocked(core::CaseNumber number, std::chrono::steady_clock::time_point now);
  // Under mutex_: writes `text` to `watcher`, false when its stream has closed.
  static bool SendLocked(Watcher& watcher, std::string text,
                         std::chrono::steady_clock::time_point now);
  // Under mutex_: drops watchers whose stream is closed.
  void PruneLocked();

  const Options options_;
  std::string node_;                       // set before serving
  std::atomic<uint64_t> sent_signals_{0};  // this node's signal sequence
  std::map<std::tuple<std::string, core::CaseNumber, core::UserId>, RemoteSequence>
      remote_sequences_;                                      // guarded
  std::function<void(const std::string& signal)> broadcast_;  // set before serving
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Watcher> watchers_;                                          // guarded
  std::map<core::CaseNumber, std::map<core::UserId, Presence>> presence_;  // guarded
  bool queues_changed_ = false;                                            // guarded
  std::chrono::steady_clock::time_point last_queue_event_;                 // guarded
  bool stopping_ = false;                                                  // guarded
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace casedesk::adapters::http
